//! Realistic payloads through the types generated from
//! `generator/tests/fixtures/fidelity.yaml`. Copied into the generated crate
//! by `xtask/tests/fidelity.rs`.

use fidelity::Nullable;
use fidelity::types::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("decodes")
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

fn full_thing() -> Value {
    json!({
        "id": "3f2b8c1e-9d4a-4b6f-8e2a-1c5d7f9a0b3e",
        "name": "box",
        "type": "container",
        "yourwebsite.com:8000": "site",
        "95_percentile": 12.5,
        "size": 42,
        "big": 18_446_744_073_709_551_615u64,
        "small": 255,
        "odd": -7,
        "ratio": 0.25,
        "address": "10.0.0.1",
        "created_at": "2026-05-27T10:00:00Z",
        "birthday": "2020-02-29",
        "comment": null,
        "labels": {"env": "prod"},
        "extra": {"any": [1, "two"]},
        "meta": {"free": {"form": true}},
        "status": "Active",
        "priority": 2,
        "value": ["a", "b"],
        "shape": {"shape_type": "circle", "radius": 1.5},
        "parent": {"name": "outer", "status": "active"},
        "kind": "thing",
        "enabled": false,
        "added_by_a_newer_server": {"ignored": true}
    })
}

#[test]
fn a_thing_with_every_kind_of_field_decodes() {
    let thing: Thing = decode(full_thing());
    assert_eq!(
        thing.id.unwrap().to_string(),
        "3f2b8c1e-9d4a-4b6f-8e2a-1c5d7f9a0b3e"
    );
    assert_eq!(thing.r#type.as_deref(), Some("container"));
    assert_eq!(thing.yourwebsite_com_8000.as_deref(), Some("site"));
    assert_eq!(thing.v95_percentile, Some(12.5_f32));
    assert_eq!(thing.big, Some(u64::MAX));
    assert_eq!(thing.small, Some(255_u8));
    assert_eq!(thing.odd, Some(-7_i64));
    assert_eq!(
        thing.created_at.unwrap().value().unwrap().to_rfc3339(),
        "2026-05-27T10:00:00+00:00"
    );
    assert_eq!(thing.birthday.unwrap().to_string(), "2020-02-29");
    assert_eq!(thing.comment, Nullable::Null);
    assert_eq!(thing.labels.unwrap()["env"], "prod");
    assert_eq!(thing.extra.unwrap()["any"], json!([1, "two"]));
    assert_eq!(thing.meta.unwrap()["free"]["form"], true);
    // `active` and `Active` are distinct values.
    assert_eq!(thing.status, Status::Active2);
    assert_eq!(thing.status.as_str(), "Active");
    assert_eq!(thing.priority, Some(Priority::V2));
    assert_eq!(
        thing.value,
        Some(ThingValue::Array(vec!["a".into(), "b".into()]))
    );
    match thing.shape {
        Some(Shape::Circle(c)) => assert_eq!(c.radius, 1.5),
        other => panic!("expected a circle, got {other:?}"),
    }
    assert_eq!(thing.parent.unwrap().name, "outer");
    assert_eq!(thing.kind, Some(Kind::Thing));
    assert_eq!(thing.enabled, Some(false));
}

#[test]
fn unknown_enum_values_are_kept_and_sent_back_unchanged() {
    let mut payload = full_thing();
    payload["status"] = json!("archived");
    payload["priority"] = json!(9);
    let thing: Thing = decode(payload);
    assert_eq!(thing.status, Status::Unknown("archived".into()));
    assert_eq!(thing.priority, Some(Priority::Unknown(9)));
    let back = encode(&thing);
    assert_eq!(back["status"], "archived");
    assert_eq!(back["priority"], 9);
    assert_eq!(
        "archived".parse::<Status>().unwrap(),
        Status::Unknown("archived".into())
    );
    assert_eq!(Status::Inactive.to_string(), "inactive");
}

#[test]
fn sort_orders_that_differ_by_a_dash_are_distinct_variants() {
    assert_eq!(Sort::Name.as_str(), "name");
    assert_eq!(Sort::MinusName.as_str(), "-name");
    assert_eq!(Sort::from("-created_at"), Sort::MinusCreatedAt);
}

#[test]
fn absent_null_and_value_are_three_different_requests() {
    let mut input = ThingInput::new("box", Status::Active);
    assert_eq!(encode(&input), json!({"name": "box", "status": "active"}));
    input.comment = Nullable::Null;
    assert_eq!(encode(&input)["comment"], Value::Null);
    input.comment = Nullable::Value("hi".into());
    assert_eq!(encode(&input)["comment"], "hi");
    // Read-only fields do not exist in the sent type; write-only ones do.
    input.secret = Some("s3cr3t".into());
    assert_eq!(encode(&input)["secret"], "s3cr3t");
    assert!(!format!("{input:?}").contains("s3cr3t"));
}

#[test]
fn a_default_patch_body_sends_only_required_fields() {
    // Optional fields with a spec default (`enabled: true`) are not sent
    // unless set: the server applies its default.
    let input = ThingInput::new("box", Status::Inactive);
    let sent = encode(&input);
    assert_eq!(sent.as_object().unwrap().len(), 2, "{sent}");
}

#[test]
fn tagged_unions_dispatch_on_the_discriminator_and_keep_unknown_kinds() {
    let square: Shape = decode(json!({"shape_type": "square", "side": 2.0}));
    assert!(matches!(&square, Shape::Square(s) if s.side == 2.0));
    assert_eq!(
        encode(&square),
        json!({"shape_type": "square", "side": 2.0})
    );
    let future: Shape = decode(json!({"shape_type": "hexagon", "size": 3}));
    assert_eq!(
        future,
        Shape::Unknown(json!({"shape_type": "hexagon", "size": 3}))
    );
    assert_eq!(encode(&future), json!({"shape_type": "hexagon", "size": 3}));
    assert!(
        serde_json::from_value::<Shape>(json!({"shape_type": "circle"})).is_err(),
        "radius is required"
    );
}

#[test]
fn subtypes_extending_a_base_decode_by_their_tag_and_are_sent_without_read_only_fields() {
    let vehicles: Vec<Vehicle> = decode(json!([
        {"kind": "car", "id": 1, "wheels": 4, "doors": 5},
        {"kind": "Bike", "id": 2, "wheels": 2, "gears": 21},
        {"kind": "boat", "id": 3, "wheels": 0, "sails": 2}
    ]));
    assert!(
        matches!(&vehicles[0], Vehicle::Car(c) if c.id == Some(1) && c.doors == Some(5)),
        "{vehicles:?}"
    );
    assert!(
        matches!(&vehicles[1], Vehicle::Bike(b) if b.wheels == 2 && b.gears == Some(21)),
        "{vehicles:?}"
    );
    let boat = json!({"kind": "boat", "id": 3, "wheels": 0, "sails": 2});
    assert_eq!(vehicles[2], Vehicle::Unknown(boat.clone()));
    assert_eq!(encode(&vehicles[2]), boat);
    let car = VehicleInput::Car(Box::new(CarInput {
        doors: Some(3),
        ..CarInput::new("car", 4)
    }));
    assert_eq!(
        encode(&car),
        json!({"kind": "car", "wheels": 4, "doors": 3})
    );
}

#[test]
fn untagged_unions_take_the_first_alternative_that_fits() {
    let pets: Vec<Pet> = decode(json!([{"meows": true}, {"barks": false}]));
    assert!(matches!(&pets[0], Pet::Cat(c) if c.meows));
    assert!(matches!(&pets[1], Pet::Dog(d) if !d.barks));
    assert_eq!(
        decode::<ThingValue>(json!("x")),
        ThingValue::String("x".into())
    );
    assert_eq!(decode::<ThingValue>(json!(7)), ThingValue::Integer(7));
    assert_eq!(decode::<Mixed>(json!(3)), Mixed::Integer(3));
}

#[test]
fn recursive_types_nest() {
    let tree: Node = decode(
        json!({"value": "root", "children": [{"value": "leaf"}], "next": {"value": "sibling", "next": {"value": "last"}}}),
    );
    assert_eq!(tree.children.unwrap()[0].value.as_deref(), Some("leaf"));
    assert_eq!(
        tree.next.unwrap().next.unwrap().value.as_deref(),
        Some("last")
    );
    let a: A = decode(json!({"b": {"a": {"b": {}}}}));
    assert!(a.b.unwrap().a.unwrap().b.is_some());
    let t: Tree = decode(json!([[], [[]]]));
    assert_eq!(t.0.len(), 2);
}

#[test]
fn all_of_merges_and_wrappers_stay_the_referenced_type() {
    let e: Extended = decode(json!({"id": "1", "name": "n", "extra": "x"}));
    assert_eq!(
        (e.id.as_deref(), e.name.as_deref(), e.extra.as_str()),
        (Some("1"), Some("n"), "x")
    );
    let w: Wrapped = decode(json!({"name": "n"}));
    let _: &Base = &w;
    let maybe: MaybeBase = decode(Value::Null);
    assert!(maybe.is_none());
}

#[test]
fn schema_names_that_are_not_identifiers_or_collide_get_distinct_types() {
    let names: GetNamesResponse = decode(json!({
        "id2": {"x": "1"}, "upper": "A", "lower": 5, "path_upper": {"segments": ["a"]}, "path_lower": "/a",
        "default": {"a": "d"}, "result": "r", "option": {"k": 1}
    }));
    let _: Option<Id2> = names.id2;
    let _: Option<Id> = names.upper; // `ID`
    assert_eq!(names.lower, Some(5)); // `id` is an integer
    let _: Option<Path> = names.path_upper;
    let _: Option<Path2> = names.path_lower;
    assert_eq!(names.default.unwrap().a.as_deref(), Some("d"));
    let _: Option<ResultModel> = names.result;
    assert_eq!(names.option.unwrap()["k"], 1);
}

#[test]
#[allow(deprecated)] // reads a deprecated field on purpose
fn deprecated_fields_still_decode() {
    let mut payload = full_thing();
    payload["note"] = json!("old");
    let thing: Thing = decode(payload);
    assert_eq!(thing.note, Nullable::Value("old".into()));
}

#[test]
fn objects_with_alternatives_decode_both_parts() {
    // Alternatives that only require properties leave a plain struct.
    let c: Contact = decode(json!({"email": "a@b.c"}));
    assert_eq!(c.email.as_deref(), Some("a@b.c"));
    // Alternatives with properties of their own sit beside the object's.
    let p: Payment = decode(json!({"amount": 9.5, "iban": "DE00"}));
    assert_eq!(p.amount, 9.5);
    assert!(matches!(&p.one_of, PaymentOneOf::Transfer(t) if t.iban == "DE00"));
    assert_eq!(encode(&p), json!({"amount": 9.5, "iban": "DE00"}));
    let a: Animal = decode(json!({"name": "Rex", "barks": true}));
    assert_eq!(a.name.as_deref(), Some("Rex"));
    assert!(matches!(&a.one_of, AnimalOneOf::Dog(d) if d.barks));
}

#[test]
fn required_fields_with_a_default_decode_when_left_out() {
    let s: Settings = decode(json!({}));
    assert_eq!(
        (s.retries, s.verbose, s.label.as_str(), s.ratio),
        (3, false, "none", 0.5)
    );
    assert_eq!(s.status, Status::Inactive);
    let s: Settings = decode(
        json!({"retries": 1, "verbose": true, "label": "x", "status": "active", "ratio": 1.0}),
    );
    assert_eq!((s.retries, s.verbose, s.status), (1, true, Status::Active));
}
