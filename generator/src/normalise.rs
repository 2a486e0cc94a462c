//! Stage 2: rewrite OpenAPI 3.1 constructs into the 3.0 form `openapiv3` reads,
//! then deserialise into [`openapiv3::OpenAPI`].
//!
//! The walk knows where schemas live in a document (components, parameters,
//! media types, headers, and the sub-schemas of a schema), so it rewrites only
//! schemas and reports every problem with the JSON pointer of the node.
//! `openapiv3` alone would report a bad schema only as "somewhere in `paths`".
//!
//! Rewrites (3.1 -> 3.0):
//! - `type: [T, "null"]` -> `type: T, nullable: true`; several non-null types ->
//!   `anyOf` of one schema per type;
//! - `type: "null"` -> `nullable: true, enum: [null]` (the "only null" schema);
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` -> `minimum`/`maximum` plus
//!   the boolean flag;
//! - `const: v` -> `enum: [v]`;
//! - `examples: [a, ...]` in a schema -> `example: a`;
//! - `$ref` with sibling keywords -> `allOf: [{$ref}]` plus the siblings, so the
//!   siblings (description, nullable, readOnly, ...) are not dropped;
//! - boolean schemas: `true` -> `{}`, `false` -> `{not: {}}`;
//! - a missing `paths` or operation `responses` (optional in 3.1) -> empty.
//!
//! And one rewrite that is not about versions: inheritance through `allOf`
//! with a `discriminator` becomes the tagged `oneOf` it means (`inheritance`).
//!
//! One job per module: `document` walks the document to its schemas,
//! `schema` rewrites and checks one schema, `inheritance` is the rewrite
//! above, `deserialise` reads the result with `openapiv3` and locates what
//! it refuses.

mod deserialise;
mod document;
mod inheritance;
mod schema;

use crate::diagnostics::Collector;
use crate::load::kind_of;
use crate::pointer::Pointer;
use serde_json::{Map, Value};

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// Rewrites `doc` in place and deserialises it. Problems are pushed to `diags`;
/// `None` means at least one of them is an error.
pub fn normalise(mut doc: Value, diags: &mut Collector) -> Option<(Value, openapiv3::OpenAPI)> {
    let had_errors = diags.has_errors();
    document::normalise_document(&mut doc, diags);
    if diags.has_errors() && !had_errors {
        return None;
    }
    inheritance::subtypes_as_unions(&mut doc, diags);
    match deserialise::deserialise(&doc) {
        Ok(api) => Some((doc, api)),
        Err(found) => {
            for d in found {
                diags.push(d);
            }
            None
        }
    }
}

fn as_object<'a>(
    value: &'a mut Value,
    pointer: &Pointer,
    what: &str,
    diags: &mut Collector,
) -> Option<&'a mut Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        other => {
            diags.error(
                pointer,
                format!("{what} must be a mapping, found {}", kind_of(other)),
            );
            None
        }
    }
}

fn is_reference(map: &Map<String, Value>, pointer: &Pointer, diags: &mut Collector) -> bool {
    match map.get("$ref") {
        Some(Value::String(_)) => true,
        Some(other) => {
            diags.error(
                pointer.push("$ref"),
                format!("`$ref` must be a string, found {}", kind_of(other)),
            );
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_part_that_does_not_deserialise_is_reported() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "links": 5}}},
                             "post": {"parameters": [{"name": "q", "in": "query", "required": "yes"}]}},
                      "/b": {"get": {"responses": {"default": {"description": "ok", "links": 5}}}}},
            "components": {"securitySchemes": {"k": {"type": "apiKey", "in": 4}}}});
        let mut d = Collector::default();
        assert!(normalise(doc, &mut d).is_none());
        let pointers = d.into_pointers();
        assert_eq!(
            pointers,
            [
                "#/paths/~1a/get/responses/200",
                "#/paths/~1a/post/parameters/0",
                "#/paths/~1b/get/responses/default",
                "#/components/securitySchemes/k"
            ]
        );
    }

    #[test]
    fn deserialisation_errors_name_the_path() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        let mut d = Collector::default();
        assert!(normalise(doc, &mut d).is_none());
        let diags = d.into_diagnostics();
        let first = &diags[0];
        assert!(first.pointer.starts_with("#/paths/~1a"), "{first}");
    }
}
