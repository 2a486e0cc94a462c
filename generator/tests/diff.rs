//! The API change report on hand-written pairs: `diff_base.yaml` against a
//! copy with one edit, one test per kind of change. Each test lists every
//! change it expects, so a spurious one fails it too.

mod common;

use common::fixture;
use generator::diff::{Bump, Class, Kind, Report, Surface, compare, diff};

fn api(text: &str) -> generator::ir::Api {
    match generator::model(text) {
        Ok((api, _)) => api,
        Err(failure) => panic!("does not lower:\n{failure}\n{text}"),
    }
}

/// The base spec with each `(from, to)` replacement applied; `from` must
/// occur exactly once.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = fixture("diff_base.yaml");
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "`{from}` is not unique");
        text = text.replacen(from, to, 1);
    }
    text
}

fn report(edits: &[(&str, &str)]) -> Report {
    diff(&api(&fixture("diff_base.yaml")), &api(&edited(edits)))
}

/// `(class, kind, name, member)` of every change.
fn changes(report: &Report) -> Vec<(Class, Kind, String, Option<String>)> {
    report
        .changes
        .iter()
        .map(|c| (c.class, c.kind, c.name.clone(), c.member.clone()))
        .collect()
}

fn change(
    class: Class,
    kind: Kind,
    name: &str,
    member: Option<&str>,
) -> (Class, Kind, String, Option<String>) {
    (class, kind, name.to_string(), member.map(String::from))
}

use Class::{Additive, Breaking, Compatible};

#[test]
fn the_same_api_has_no_changes_and_needs_no_bump() {
    let r = report(&[]);
    assert!(r.is_empty());
    assert_eq!(r.bump, Bump::None);
    assert!(r.text().contains("No changes to the public API."));
    assert!(
        r.text().trim_end().ends_with("Semver: none"),
        "{}",
        r.text()
    );
}

#[test]
fn a_new_info_version_alone_is_no_change() {
    let r = report(&[("version: 'aaaa1111'", "version: 'bbbb2222'")]);
    assert!(r.is_empty(), "{:?}", r.changes);
}

#[test]
fn operations_added_and_removed() {
    let r = report(&[(
        "  /pets/{pet_id}:\n    get:\n      operationId: getPet",
        "  /owners:\n    get:\n      operationId: listOwners\n      responses:\n        '200':\n          description: ok\n  /x/{pet_id}:\n    get:\n      operationId: getPet",
    )]);
    // `/x/{pet_id}` keeps getPet: only its endpoint moved.
    assert_eq!(
        changes(&r),
        [
            change(Compatible, Kind::Endpoint, "get_pet", None),
            change(Compatible, Kind::Docs, "get_pet", None),
            change(Additive, Kind::OperationAdded, "list_owners", None),
        ]
    );
    assert_eq!(r.bump, Bump::Minor);

    let text = fixture("diff_base.yaml");
    let start = text.find("  /pets/{pet_id}:").unwrap();
    let end = text.find("components:").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    let r = diff(&api(&text), &api(&without));
    assert_eq!(
        changes(&r),
        [change(Breaking, Kind::OperationRemoved, "get_pet", None)]
    );
    assert_eq!(r.bump, Bump::Major);
    assert!(
        r.text()
            .contains("`Client::get_pet`: removed (GET /pets/{pet_id})"),
        "{}",
        r.text()
    );
}

#[test]
fn a_new_operation_id_renames_the_method() {
    let r = report(&[("operationId: getPet", "operationId: fetchPet")]);
    assert_eq!(
        changes(&r),
        [change(Breaking, Kind::OperationRenamed, "get_pet", None)]
    );
    assert!(r.changes[0].message.contains("`Client::fetch_pet`"));
}

#[test]
fn parameters_added_removed_and_changed() {
    let optional_added = report(&[(
        "      - name: limit\n",
        "      - name: offset\n        in: query\n        schema:\n          type: integer\n      - name: limit\n",
    )]);
    assert_eq!(
        changes(&optional_added),
        [change(
            Additive,
            Kind::ParameterAdded,
            "list_pets",
            Some("offset")
        )]
    );

    let required_added = report(&[(
        "      - name: limit\n",
        "      - name: owner\n        in: query\n        required: true\n        schema:\n          type: string\n      - name: limit\n",
    )]);
    assert_eq!(
        changes(&required_added),
        [change(
            Breaking,
            Kind::ParameterAdded,
            "list_pets",
            Some("owner")
        )]
    );
    assert!(
        required_added.changes[0]
            .message
            .contains("new required argument `owner: String`")
    );

    let now_required = report(&[(
        "        in: query\n",
        "        in: query\n        required: true\n",
    )]);
    assert_eq!(
        changes(&now_required),
        [change(
            Breaking,
            Kind::ParameterRequired,
            "list_pets",
            Some("limit")
        )]
    );

    let retyped = report(&[("format: int32", "format: int64")]);
    assert_eq!(
        changes(&retyped),
        [change(
            Breaking,
            Kind::ParameterType,
            "list_pets",
            Some("limit")
        )]
    );
    assert!(retyped.changes[0].message.contains("`i32` -> `i64`"));

    let removed = report(&[(
        "      parameters:\n      - name: limit\n        in: query\n        schema:\n          type: integer\n          format: int32\n",
        "",
    )]);
    assert_eq!(
        changes(&removed),
        [change(
            Breaking,
            Kind::ParameterRemoved,
            "list_pets",
            Some("limit")
        )]
    );
}

#[test]
fn a_required_parameter_becoming_optional_is_breaking() {
    let base = edited(&[(
        "        in: query\n",
        "        in: query\n        required: true\n",
    )]);
    let r = diff(&api(&base), &api(&fixture("diff_base.yaml")));
    assert_eq!(
        changes(&r),
        [change(
            Breaking,
            Kind::ParameterOptional,
            "list_pets",
            Some("limit")
        )]
    );
}

#[test]
fn result_and_error_responses() {
    let output = report(&[(
        "          description: The pet\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'",
        "          description: The pet\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Owner'",
    )]);
    // Owner is now received as well: its own entry says nothing, the
    // result changed.
    assert_eq!(
        changes(&output),
        [change(Breaking, Kind::OutputType, "get_pet", None)]
    );
    assert!(output.changes[0].message.contains("`Pet` -> `Owner`"));

    let error_added = report(&[(
        "        '404':\n          description: Not found\n",
        "        '404':\n          description: Not found\n        '409':\n          description: Conflict\n",
    )]);
    // Error enums are `#[non_exhaustive]`: a new documented error is additive.
    assert_eq!(
        changes(&error_added),
        [change(
            Additive,
            Kind::ErrorAdded,
            "get_pet",
            Some("Conflict")
        )]
    );

    let error_removed = report(&[("        '404':\n          description: Not found\n", "")]);
    assert_eq!(
        changes(&error_removed),
        [change(
            Breaking,
            Kind::ErrorRemoved,
            "get_pet",
            Some("NotFound")
        )]
    );
}

#[test]
fn types_added_removed_and_renamed() {
    let added = report(&[(
        "    Legacy:\n",
        "    Toy:\n      type: object\n      properties:\n        name:\n          type: string\n    Legacy:\n",
    )]);
    assert_eq!(
        changes(&added),
        [change(Additive, Kind::TypeAdded, "Toy", None)]
    );

    let removed = report(&[(
        "    Legacy:\n      type: object\n      properties:\n        old:\n          type: string\n",
        "",
    )]);
    assert_eq!(
        changes(&removed),
        [change(Breaking, Kind::TypeRemoved, "Legacy", None)]
    );
}

#[test]
fn fields_added_to_received_and_sent_types() {
    // Error (`ErrorModel`: `Error` is taken) is only received: a new field is an addition.
    let received = report(&[(
        "        message:\n          type: string\n",
        "        message:\n          type: string\n        code:\n          type: integer\n",
    )]);
    assert_eq!(
        changes(&received),
        [change(
            Additive,
            Kind::FieldAdded,
            "ErrorModel",
            Some("code")
        )]
    );

    // An optional field in a sent type with `Default`: an addition too.
    let optional = report(&[(
        "        tag:\n          type: string\n",
        "        tag:\n          type: string\n        age:\n          type: integer\n",
    )]);
    assert_eq!(
        changes(&optional),
        [
            change(Additive, Kind::FieldAdded, "Pet", Some("age")),
            change(Additive, Kind::FieldAdded, "PetInput", Some("age")),
        ]
    );

    // A required one must be set in requests.
    let required = report(&[
        (
            "      - name\n      properties:",
            "      - name\n      - age\n      properties:",
        ),
        (
            "        tag:\n          type: string\n",
            "        tag:\n          type: string\n        age:\n          type: integer\n",
        ),
    ]);
    assert_eq!(
        changes(&required),
        [
            change(Additive, Kind::FieldAdded, "Pet", Some("age")),
            change(Breaking, Kind::FieldAdded, "PetInput", Some("age")),
        ]
    );
    assert!(
        required.changes[1]
            .message
            .contains("new field `age: i64` (required in requests)"),
        "{}",
        required.changes[1].message
    );
}

#[test]
fn fields_removed_retyped_required_optional_and_nullable() {
    let removed = report(&[("        tag:\n          type: string\n", "")]);
    assert_eq!(
        changes(&removed),
        [
            change(Breaking, Kind::FieldRemoved, "Pet", Some("tag")),
            change(Breaking, Kind::FieldRemoved, "PetInput", Some("tag")),
        ]
    );

    let retyped = report(&[(
        "        tag:\n          type: string\n",
        "        tag:\n          type: integer\n",
    )]);
    assert_eq!(
        changes(&retyped),
        [
            change(Breaking, Kind::FieldType, "Pet", Some("tag")),
            change(Breaking, Kind::FieldType, "PetInput", Some("tag")),
        ]
    );
    assert!(
        retyped.changes[0]
            .message
            .contains("`Option<String>` -> `Option<i64>`")
    );

    let optional = report(&[(
        "      description: A pet.\n      required:\n      - name\n",
        "      description: A pet.\n",
    )]);
    assert_eq!(
        changes(&optional),
        [
            change(Breaking, Kind::FieldOptional, "Pet", Some("name")),
            change(Breaking, Kind::FieldOptional, "PetInput", Some("name")),
        ]
    );
    assert!(
        optional.changes[0]
            .message
            .contains("now optional: `String` -> `Option<String>`")
    );

    let required = report(&[(
        "      - name\n      properties:",
        "      - name\n      - tag\n      properties:",
    )]);
    assert_eq!(
        changes(&required),
        [
            change(Breaking, Kind::FieldRequired, "Pet", Some("tag")),
            change(Breaking, Kind::FieldRequired, "PetInput", Some("tag")),
        ]
    );

    let nullable = report(&[(
        "        tag:\n          type: string\n",
        "        tag:\n          type:\n          - string\n          - 'null'\n",
    )]);
    assert_eq!(
        changes(&nullable),
        [
            change(Breaking, Kind::FieldNullable, "Pet", Some("tag")),
            change(Breaking, Kind::FieldNullable, "PetInput", Some("tag")),
        ]
    );
    assert!(
        nullable.changes[0]
            .message
            .contains("`Option<String>` -> `Nullable<String>`"),
        "{}",
        nullable.changes[0].message
    );
}

#[test]
fn enum_values_added_and_removed() {
    // Enums are `#[non_exhaustive]`: a new value is additive.
    let added = report(&[("      - sold\n", "      - sold\n      - pending\n")]);
    assert_eq!(
        changes(&added),
        [change(
            Additive,
            Kind::EnumValueAdded,
            "Status",
            Some("pending")
        )]
    );
    assert!(
        added.changes[0]
            .message
            .contains("new value `pending` (variant `Pending`)")
    );

    let removed = report(&[("      - sold\n", "")]);
    assert_eq!(
        changes(&removed),
        [change(
            Breaking,
            Kind::EnumValueRemoved,
            "Status",
            Some("sold")
        )]
    );
}

#[test]
fn a_property_becoming_read_only_splits_the_views() {
    // Owner was one type used both ways; with a readOnly id it is `Owner`
    // received and `OwnerInput` sent, and `PetInput.owner` follows.
    let r = report(&[(
        "        id:\n          type: integer\n          format: int64\n        nickname:",
        "        id:\n          type: integer\n          format: int64\n          readOnly: true\n        nickname:",
    )]);
    assert_eq!(
        changes(&r),
        [
            change(Breaking, Kind::ViewSplit, "Owner", None),
            change(Breaking, Kind::FieldType, "PetInput", Some("owner")),
        ]
    );
    assert!(r.changes[0].message.contains("requests take `OwnerInput`"));
    assert!(
        r.changes[1]
            .message
            .contains("`Option<Owner>` -> `Option<OwnerInput>`")
    );
}

#[test]
fn no_read_only_property_left_merges_the_views() {
    let r = report(&[(
        "          format: int64\n          readOnly: true\n",
        "          format: int64\n",
    )]);
    assert_eq!(
        changes(&r),
        [
            change(Breaking, Kind::BodyType, "create_pet", Some("body")),
            change(Breaking, Kind::ViewMerged, "Pet", None),
        ]
    );
    assert!(r.changes[0].message.contains("`PetInput` -> `Pet`"));
}

#[test]
fn a_field_becoming_read_only_leaves_the_sent_view() {
    let r = report(&[(
        "        tag:\n          type: string\n",
        "        tag:\n          type: string\n          readOnly: true\n",
    )]);
    assert_eq!(
        changes(&r),
        [change(
            Breaking,
            Kind::FieldRemoved,
            "PetInput",
            Some("tag")
        )]
    );
    assert!(
        r.changes[0]
            .message
            .contains("(now readOnly: only in `Pet`, as received)"),
        "{}",
        r.changes[0].message
    );
}

#[test]
fn request_bodies() {
    let optional = report(&[(
        "      requestBody:\n        required: true\n",
        "      requestBody:\n",
    )]);
    assert_eq!(
        changes(&optional),
        [change(
            Breaking,
            Kind::BodyOptional,
            "create_pet",
            Some("body")
        )]
    );
}

#[test]
fn documentation_deprecation_and_base_url() {
    let docs = report(&[("summary: List pets", "summary: List every pet")]);
    assert_eq!(
        changes(&docs),
        [change(Compatible, Kind::Docs, "list_pets", None)]
    );
    assert_eq!(docs.bump, Bump::Patch);
    assert!(
        docs.text()
            .contains("documentation changed (1 operation): `list_pets`"),
        "{}",
        docs.text()
    );

    let deprecated = report(&[(
        "      operationId: getPet\n",
        "      operationId: getPet\n      deprecated: true\n",
    )]);
    let kinds: Vec<Kind> = deprecated.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [Kind::Deprecated, Kind::Docs]);
    assert_eq!(deprecated.bump, Bump::Minor);

    let moved = report(&[("https://pets.example", "https://api.pets.example")]);
    assert_eq!(
        changes(&moved),
        [change(Compatible, Kind::BaseUrl, "", None)]
    );
}

#[test]
fn the_text_report_groups_by_class_and_ends_with_the_bump() {
    let r = report(&[
        ("      - sold\n", ""),
        (
            "        message:\n          type: string\n",
            "        message:\n          type: string\n        code:\n          type: integer\n",
        ),
        ("summary: List pets", "summary: List every pet"),
    ]);
    let text = r.text();
    let breaking = text.find("\nBreaking:\n").expect(&text);
    let additive = text.find("\nAdditive:\n").expect(&text);
    let compatible = text.find("\nCompatible:\n").expect(&text);
    assert!(breaking < additive && additive < compatible, "{text}");
    assert!(text.starts_with("1 breaking, 1 additive, 1 compatible change(s):\n"));
    assert!(
        text.trim_end()
            .ends_with("Semver: major (breaking changes; for a 0.x crate, the minor version)"),
        "{text}"
    );
}

#[test]
fn the_surface_round_trips_through_its_json_form() {
    let new = api(&edited(&[(
        "      - sold\n",
        "      - sold\n      - pending\n",
    )]));
    let surface = Surface::of(&new);
    let json = surface.to_json();
    assert_eq!(Surface::from_json(&json).unwrap(), surface);
    // Comparing the stored form is comparing the APIs.
    let old = Surface::of(&api(&fixture("diff_base.yaml")));
    let stored = Surface::from_json(&old.to_json()).unwrap();
    assert_eq!(
        changes(&compare(&stored, &surface)),
        changes(&diff(&api(&fixture("diff_base.yaml")), &new))
    );
    // No info.version in it: it must not churn with every publication.
    assert!(!json.contains("aaaa1111"));
    let other_format = json.replacen("\"format\": 1", "\"format\": 999", 1);
    assert!(
        Surface::from_json(&other_format)
            .unwrap_err()
            .contains("format 999")
    );
}

#[test]
fn the_json_report_names_class_kind_and_member() {
    let r = report(&[("      - sold\n", "")]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["changes"][0]["class"], "breaking");
    assert_eq!(json["changes"][0]["kind"], "enum_value_removed");
    assert_eq!(json["changes"][0]["scope"], "type");
    assert_eq!(json["changes"][0]["name"], "Status");
    assert_eq!(json["changes"][0]["member"], "sold");
}

/// A union whose alternatives come to be of one Rust type collapses to that
/// type: users who matched on its variants must change their code.
#[test]
fn a_union_collapsing_to_its_one_type_is_breaking() {
    let spec = |second: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Address'}}\ncomponents:\n  schemas:\n    Address:\n      anyOf:\n        - {{type: string}}\n        - {second}\n"
        )
    };
    let r = diff(
        &api(&spec("{type: integer}")),
        &api(&spec("{type: string, format: ipvanynetwork}")),
    );
    // The docs list the alternatives' formats.
    assert_eq!(
        changes(&r),
        [
            change(Compatible, Kind::Docs, "Address", None),
            change(Breaking, Kind::TypeKind, "Address", None)
        ]
    );
}

#[test]
fn moving_an_operation_to_another_tag_changes_the_features_that_compile_it() {
    let base = fixture("tags.yaml");
    let moved = base.replacen(
        "operationId: listTypes\n      tags: [Types]",
        "operationId: listTypes\n      tags: [Apps]",
        1,
    );
    assert_ne!(base, moved);
    let r = diff(&api(&base), &api(&moved));
    let texts: Vec<(Class, Kind, String, String)> = r
        .changes
        .iter()
        .map(|c| (c.class, c.kind, c.name.clone(), c.message.clone()))
        .collect();
    assert_eq!(
        texts,
        [
            (
                Breaking,
                Kind::Feature,
                "list_types".to_string(),
                "now feature `apps` (was feature `types-tag`)".to_string()
            ),
            (
                Breaking,
                Kind::Feature,
                "Kind".to_string(),
                "now compiled with feature `apps` (was compiled with feature `types-tag`)"
                    .to_string()
            ),
        ],
        "{}",
        r.text()
    );
    // The other way: a type that more features compile is additive (here
    // `App`, always compiled, now holds a `Kind`).
    let shared = base.replacen(
        "        name: {type: string}\n        status:",
        "        name: {type: string}\n        kind: {$ref: '#/components/schemas/Kind'}\n        status:",
        1,
    );
    assert_ne!(base, shared);
    let r = diff(&api(&base), &api(&shared));
    let kind = r
        .changes
        .iter()
        .find(|c| c.kind == Kind::Feature)
        .unwrap_or_else(|| panic!("{}", r.text()));
    assert_eq!(
        (kind.class, kind.name.as_str(), kind.message.as_str()),
        (
            Additive,
            "Kind",
            "now always compiled (was compiled with feature `types-tag`)"
        )
    );
}
