//! How each OpenAPI construct maps to the IR, on `fixtures/fidelity.yaml`.
//! The crate it generates is compiled and exercised by `xtask/tests/fidelity.rs`.

mod common;

use common::*;
use generator::ir::{
    BodyKind, ParamLocation, ParamStyle, Primitive, ResponseBody, Status, TypeKind, TypeRef,
};

fn prim(api: &generator::ir::Api, ty: &str, field_name: &str) -> Primitive {
    match &field(api, ty, field_name).ty {
        TypeRef::Primitive(p) => *p,
        other => panic!("{ty}.{field_name} is {other:?}"),
    }
}

#[test]
fn the_fixture_needs_no_fallback() {
    let (_, warnings) = generator::model(&fixture("fidelity.yaml")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn formats_map_to_fitting_types() {
    let api = model("fidelity.yaml");
    let expected = [
        ("size", Primitive::I32),
        ("big", Primitive::U64),
        ("small", Primitive::U8),
        ("odd", Primitive::I64), // unknown integer format
        ("95_percentile", Primitive::F32),
        ("ratio", Primitive::F64),
        ("address", Primitive::String), // unknown string format
        ("created_at", Primitive::DateTime),
        ("birthday", Primitive::Date),
        ("id", Primitive::Uuid),
        ("enabled", Primitive::Bool),
    ];
    for (name, p) in expected {
        assert_eq!(prim(&api, "Thing", name), p, "{name}");
    }
    let docs = &field(&api, "Thing", "address").docs.notes;
    assert!(
        docs.iter().any(|n| n.contains("`ipvanyaddress`")),
        "{docs:?}"
    );
    let name_notes = field(&api, "Thing", "name").docs.notes.join(" ");
    assert!(
        name_notes.contains("length 1..=64") && name_notes.contains("pattern `^[a-z]+$`"),
        "{name_notes}"
    );
    assert!(name_notes.contains("Example: `box`"), "{name_notes}");
    assert!(
        field(&api, "Thing", "size")
            .docs
            .notes
            .join(" ")
            .contains("less than 100")
    );
}

#[test]
fn maps_free_form_objects_and_nullability() {
    let api = model("fidelity.yaml");
    assert_eq!(
        field(&api, "Thing", "labels").ty,
        TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    assert_eq!(
        field(&api, "Thing", "extra").ty,
        TypeRef::Map(Box::new(TypeRef::Any))
    );
    assert_eq!(field(&api, "Thing", "meta").ty, TypeRef::Any);
    let comment = field(&api, "Thing", "comment");
    assert!(comment.nullable && !comment.required);
    let note = field(&api, "Thing", "note");
    assert!(note.nullable && note.deprecated);
    assert_eq!(note.ty, TypeRef::Primitive(Primitive::String));
}

#[test]
fn names_are_repaired_and_distinct() {
    let api = model("fidelity.yaml");
    let thing = fields(&api, "Thing");
    let by_wire = |w: &str| {
        thing
            .fields
            .iter()
            .find(|f| f.wire == w)
            .unwrap()
            .name
            .clone()
    };
    assert_eq!(by_wire("type"), "r#type");
    assert_eq!(by_wire("yourwebsite.com:8000"), "yourwebsite_com_8000");
    assert_eq!(by_wire("95_percentile"), "v95_percentile");
    for name in [
        "Id2",
        "Id",
        "Id3",
        "Path",
        "Path2",
        "DefaultModel",
        "ResultModel",
        "OptionModel",
    ] {
        assert!(has_type(&api, name), "{name}");
    }
    let TypeKind::Enum(sort) = &ty(&api, "Sort").kind else {
        panic!()
    };
    let variants: Vec<&str> = sort.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        variants,
        ["Name", "MinusName", "CreatedAt", "MinusCreatedAt"]
    );
    let TypeKind::Enum(status) = &ty(&api, "Status").kind else {
        panic!()
    };
    let variants: Vec<&str> = status.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(variants, ["Active", "Inactive", "Active2"]);
    // An operation without an operationId gets one from its method and path.
    assert!(
        api.operations
            .iter()
            .any(|o| o.method_name == "get_things_thing_id_export")
    );
}

#[test]
fn inheritance_through_all_of_with_a_discriminator_is_a_tagged_union_of_the_subtypes() {
    let api = model("fidelity.yaml");
    let variants = |name: &str| -> Vec<(String, Vec<String>)> {
        let TypeKind::Union(u) = &ty(&api, name).kind else {
            panic!("{name} is not a union")
        };
        assert_eq!(u.tag.as_deref(), Some("kind"), "{name}");
        u.variants
            .iter()
            .map(|v| match &v.ty {
                TypeRef::Named(id) => (api.ty(*id).name.clone(), v.tags.clone()),
                other => panic!("{name}: variant {other:?}"),
            })
            .collect()
    };
    // `Car` is in the mapping; `Bike` only extends `Vehicle`, so its tag is its name.
    let tags = |t: &str| vec![t.to_string()];
    assert_eq!(
        variants("Vehicle"),
        [("Car".into(), tags("car")), ("Bike".into(), tags("Bike"))]
    );
    // Sent as the body of `addVehicle`, received in its response: the views
    // follow the subtypes' readOnly fields.
    assert_eq!(
        variants("VehicleInput"),
        [
            ("CarInput".into(), tags("car")),
            ("BikeInput".into(), tags("Bike"))
        ]
    );
    assert_eq!(field_names(&api, "Car"), ["kind", "id", "wheels", "doors"]);
    assert_eq!(field_names(&api, "CarInput"), ["kind", "wheels", "doors"]);
    assert_eq!(field_names(&api, "Bike"), ["kind", "id", "wheels", "gears"]);
    // The base's own fields stay available as a struct.
    assert_eq!(field_names(&api, "VehicleBase"), ["kind", "id", "wheels"]);
}

#[test]
fn unions_enums_and_recursion() {
    let api = model("fidelity.yaml");
    let TypeKind::Union(shape) = &ty(&api, "Shape").kind else {
        panic!()
    };
    assert_eq!(shape.tag.as_deref(), Some("shape_type"));
    assert_eq!(
        shape
            .variants
            .iter()
            .map(|v| v.tags.clone())
            .collect::<Vec<_>>(),
        [["circle"], ["square"]]
    );
    let TypeKind::Union(pet) = &ty(&api, "Pet").kind else {
        panic!()
    };
    assert!(pet.tag.is_none());
    let TypeKind::Enum(priority) = &ty(&api, "Priority").kind else {
        panic!()
    };
    assert!(priority.is_integer());
    assert!(matches!(
        ty(&api, "MaybeBase").kind,
        TypeKind::Alias(TypeRef::Nullable(_))
    ));
    assert!(matches!(
        ty(&api, "Wrapped").kind,
        TypeKind::Alias(TypeRef::Named(_))
    ));
    assert_eq!(field_names(&api, "Extended"), ["id", "name", "extra"]);
    assert!(field(&api, "Extended", "extra").required);
    let payment = fields(&api, "Payment");
    assert!(
        payment
            .fields
            .iter()
            .any(|f| f.flatten && f.name == "one_of")
    );
    assert_eq!(field_names(&api, "Contact"), ["email", "phone"]);
}

#[test]
fn parameters_bodies_and_responses() {
    let api = model("fidelity.yaml");
    let op = |name: &str| {
        api.operations
            .iter()
            .find(|o| o.method_name == name)
            .unwrap()
    };
    let list = op("list_things");
    let param = |w: &str| list.params.iter().find(|p| p.wire == w).unwrap();
    assert_eq!(param("tags").style, ParamStyle::Form { explode: true });
    assert_eq!(param("ids").style, ParamStyle::Form { explode: false });
    assert_eq!(param("filter").style, ParamStyle::DeepObject);
    assert_eq!(param("type").name, "r#type");
    assert_eq!(
        (
            param("X-Request-Tag").location,
            param("X-Request-Tag").name.as_str()
        ),
        (ParamLocation::Header, "x_request_tag")
    );
    assert!(param("limit").docs.notes.join(" ").contains("at most 100")); // from a $ref'd parameter
    assert_eq!(list.responses[1].status, Status::Code(400)); // a $ref'd response
    assert!(matches!(list.responses[1].body, ResponseBody::Json(_)));

    assert!(matches!(
        op("upload_file").body.as_ref().unwrap().kind,
        BodyKind::Multipart(_)
    ));
    assert!(matches!(
        op("login").body.as_ref().unwrap().kind,
        BodyKind::Form(_)
    ));
    assert!(!op("login").auth && list.auth);
    assert!(matches!(
        op("put_raw").body.as_ref().unwrap().kind,
        BodyKind::Binary
    ));
    assert_eq!(
        op("get_things_thing_id_export").responses[0].body,
        ResponseBody::Binary
    );
    let patch = op("patch_thing");
    let bodies: Vec<&ResponseBody> = patch.responses.iter().map(|r| &r.body).collect();
    assert!(matches!(
        bodies.as_slice(),
        [
            ResponseBody::Json(_),
            ResponseBody::Empty,
            ResponseBody::Text
        ]
    ));
    assert!(op("delete_thing").deprecated);
}

#[test]
fn deprecated_items_are_marked_in_the_code() {
    let options = generator::Options {
        crate_name: "fidelity".into(),
        test_dependencies: false,
        source: "fidelity.yaml".into(),
        env_prefix: "GCORE".into(),
    };
    let files = generator::generate(&fixture("fidelity.yaml"), &options)
        .unwrap()
        .files;
    let file = |p: &str| files.iter().find(|f| f.path == p).unwrap().contents.clone();
    let types = file("src/types.rs");
    assert!(types.contains("#[deprecated]\n#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]\npub struct OldThing"), "OldThing");
    assert!(types.contains("    #[deprecated]\n    #[serde(default, skip_serializing_if = \"Nullable::is_absent\")]\n    pub note: Nullable<String>,"), "Thing.note");
    let operations = file("src/operations.rs");
    assert!(
        operations.contains("#[deprecated]\n    pub fn delete_thing("),
        "delete_thing"
    );
}
