//! One type for one shape: inline schemas that are copies of each other
//! give one type, named after their property; a new copy never renames it.

use generator::diff::{Kind, diff};
use generator::ir::{Api, TypeKind};

const BASE: &str = r#"
openapi: 3.0.3
info: {title: Shapes, version: '1'}
paths:
  /resources:
    get:
      operationId: listResources
      parameters:
        - {name: unit, in: query, schema: {type: string, enum: [bytes, requests]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Resource'}
  /origins:
    get:
      operationId: listOrigins
      parameters:
        - {name: unit, in: query, schema: {type: string, enum: [bytes, requests]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Origin'}
components:
  schemas:
    Resource:
      type: object
      properties:
        billing_value_unit:
          description: What a resource is billed by.
          type: string
          enum: [bytes, requests]
        status: {type: string, enum: [active, suspended]}
        limits:
          type: object
          properties:
            period: {type: string, enum: [day, month]}
            value: {type: integer}
    Origin:
      type: object
      properties:
        billing_value_unit:
          description: What an origin is billed by.
          type: string
          enum: [bytes, requests]
        status: {type: string, enum: [online, offline]}
        limits:
          type: object
          properties:
            period: {type: string, enum: [day, month]}
            value: {type: integer}
        unit: {type: string, enum: [bytes, requests]}
    Named:
      type: string
      enum: [bytes, requests]
    NamedToo:
      type: string
      enum: [bytes, requests]
"#;

fn api(text: &str) -> Api {
    match generator::model(text) {
        Ok((api, _)) => api,
        Err(failure) => panic!("does not lower:\n{failure}\n{text}"),
    }
}

/// The name of the type a struct's field holds.
fn field_type<'a>(api: &'a Api, ty: &str, field: &str) -> &'a str {
    let def = api.types.iter().find(|t| t.name == ty).unwrap();
    let TypeKind::Struct(s) = &def.kind else {
        panic!("{ty} is not a struct")
    };
    let f = s.fields.iter().find(|f| f.wire == field).unwrap();
    let id = f.ty.named().unwrap_or_else(|| panic!("{ty}.{field}"));
    &api.ty(id).name
}

fn names(api: &Api) -> Vec<&str> {
    api.types.iter().map(|t| t.name.as_str()).collect()
}

#[test]
fn copies_of_an_inline_schema_are_one_type_named_after_their_property() {
    let api = api(BASE);
    assert_eq!(
        field_type(&api, "Resource", "billing_value_unit"),
        "BillingValueUnit"
    );
    assert_eq!(
        field_type(&api, "Origin", "billing_value_unit"),
        "BillingValueUnit"
    );
    // Docs aside: the type has the first copy's.
    let unit = api
        .types
        .iter()
        .find(|t| t.name == "BillingValueUnit")
        .unwrap();
    assert_eq!(
        unit.docs.description.as_deref(),
        Some("What a resource is billed by.")
    );
    // Objects whose fields are copies are copies too.
    assert_eq!(field_type(&api, "Resource", "limits"), "Limits");
    assert_eq!(field_type(&api, "Origin", "limits"), "Limits");
    assert_eq!(field_type(&api, "Limits", "period"), "Period");
    // Parameters are named like properties.
    for op in &api.operations {
        let id = op.params[0].ty.named().unwrap();
        assert_eq!(api.ty(id).name, "Unit", "{}", op.id);
    }
}

#[test]
fn different_shapes_or_names_stay_distinct() {
    let api = api(BASE);
    // One property name, two shapes: each is named after where it is.
    assert_eq!(field_type(&api, "Resource", "status"), "ResourceStatus");
    assert_eq!(field_type(&api, "Origin", "status"), "OriginStatus");
    // The same shape under another name is the other name's type.
    assert_eq!(field_type(&api, "Origin", "unit"), "Unit");
    // Component schemas are the API's vocabulary: never merged.
    let all = names(&api);
    assert!(
        all.contains(&"Named") && all.contains(&"NamedToo"),
        "{all:?}"
    );
}

#[test]
fn a_new_copy_joins_the_existing_type_and_renames_nothing() {
    let old = api(BASE);
    // A new schema, first in the document, with copies of existing inline
    // schemas (and a new property).
    let new_text = BASE.replacen(
        "  schemas:\n",
        "  schemas:\n    Zone:\n      type: object\n      properties:\n        billing_value_unit: {type: string, enum: [bytes, requests]}\n        limits:\n          type: object\n          properties:\n            period: {type: string, enum: [day, month]}\n            value: {type: integer}\n",
        1,
    );
    let new = api(&new_text);
    assert_eq!(
        field_type(&new, "Zone", "billing_value_unit"),
        "BillingValueUnit"
    );
    assert_eq!(field_type(&new, "Zone", "limits"), "Limits");
    let report = diff(&old, &new);
    let kinds: Vec<(Kind, &str)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.name.as_str()))
        .collect();
    assert_eq!(kinds, [(Kind::TypeAdded, "Zone")], "{}", report.text());
    assert_eq!(names(&new).len(), names(&old).len() + 1);
}
