//! readOnly / writeOnly: a type that is sent never carries read-only fields, a
//! type that is received never carries write-only fields.

mod common;

use common::*;
use generator::ir::{TypeKind, View};

#[test]
fn a_schema_used_both_ways_gets_a_received_and_a_sent_type() {
    let api = model("views.yaml");
    assert_eq!(
        field_names(&api, "Item"),
        ["id", "name", "parts", "by_name", "owner", "shape"]
    );
    assert_eq!(
        field_names(&api, "ItemInput"),
        ["name", "password", "parts", "by_name", "shape"]
    );
    assert_eq!(ty(&api, "Item").view, View::Output);
    assert_eq!(ty(&api, "ItemInput").view, View::Input);
    // `id` is required, but read-only: it is not part of what is sent.
    assert!(field(&api, "Item", "id").required);
}

#[test]
fn nested_references_follow_the_view() {
    let api = model("views.yaml");
    assert_eq!(named(&api, &field(&api, "Item", "parts").ty), "Part");
    assert_eq!(
        named(&api, &field(&api, "ItemInput", "parts").ty),
        "PartInput"
    );
    assert_eq!(named(&api, &field(&api, "Item", "by_name").ty), "Part");
    assert_eq!(
        named(&api, &field(&api, "ItemInput", "by_name").ty),
        "PartInput"
    );
    assert_eq!(field_names(&api, "Part"), ["label", "checksum"]);
    assert_eq!(field_names(&api, "PartInput"), ["label", "secret"]);
    // Through a union too.
    let TypeKind::Union(shape) = &ty(&api, "Shape").kind else {
        panic!("Shape is a union")
    };
    assert_eq!(named(&api, &shape.variants[0].ty), "Part");
    let TypeKind::Union(shape_input) = &ty(&api, "ShapeInput").kind else {
        panic!("ShapeInput is a union")
    };
    assert_eq!(named(&api, &shape_input.variants[0].ty), "PartInput");
}

#[test]
fn a_schema_with_no_direction_dependent_fields_is_one_type() {
    let api = model("views.yaml");
    assert!(has_type(&api, "Plain"));
    assert!(!has_type(&api, "PlainInput"));
    assert_eq!(ty(&api, "Plain").view, View::Neutral);
}

#[test]
fn a_schema_used_one_way_is_one_type_with_that_view() {
    let api = model("views.yaml");
    assert_eq!(field_names(&api, "ReceivedOnly"), ["visible", "stamp"]);
    assert!(!has_type(&api, "ReceivedOnlyInput"));
    assert_eq!(field_names(&api, "SentOnly"), ["visible", "token"]);
    assert!(!has_type(&api, "SentOnlyInput"));
    // Unused schemas are treated as received.
    assert_eq!(field_names(&api, "Unused"), ["b"]);
}

#[test]
fn write_only_fields_are_secret() {
    let api = model("views.yaml");
    assert!(field(&api, "ItemInput", "password").secret);
    assert!(!field(&api, "ItemInput", "name").secret);
    assert!(field(&api, "PartInput", "secret").secret);
}

#[test]
fn views_apply_through_all_of() {
    let api = model("views.yaml");
    assert_eq!(
        field_names(&api, "Extended"),
        ["label", "checksum", "revision"]
    );
    assert_eq!(
        field_names(&api, "ExtendedInput"),
        ["label", "secret", "reason"]
    );
}
