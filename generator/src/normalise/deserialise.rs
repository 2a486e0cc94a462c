//! Deserialising the normalised document into `openapiv3`, and when that
//! fails, finding the smallest parts that do not deserialise, so that the
//! error names its place (`openapiv3` flattens most objects, which hides
//! the path of an error below the first flattened level).

use super::HTTP_METHODS;
use crate::diagnostics::{Diagnostic, pointer_push};
use serde_json::Value;

pub(super) fn deserialise(doc: &Value) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    serde_path_to_error::deserialize(doc).map_err(|e| {
        // `openapiv3` flattens most objects, which hides the path of an error
        // below the first flattened level; find the smallest failing parts.
        let found = locate(doc);
        if !found.is_empty() {
            return found;
        }
        let pointer = path_to_pointer(e.path());
        let inner = e.into_inner().to_string();
        vec![Diagnostic::error(
            pointer,
            format!("not a valid OpenAPI 3 document here: {inner}"),
        )]
    })
}

/// The smallest known parts of the document that do not deserialise: the
/// first in each operation, path item and component.
fn locate(doc: &Value) -> Vec<Diagnostic> {
    use openapiv3::{Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    fn check<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str) -> Option<Diagnostic> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let mut at = pointer.to_string();
        let inner = path_to_pointer(error.path());
        at.push_str(inner.trim_start_matches('#'));
        Some(Diagnostic::error(
            at,
            format!(
                "not a valid OpenAPI 3 document here: {}",
                error.into_inner()
            ),
        ))
    }
    fn entries<'v>(value: &'v Value, key: &str) -> Vec<(String, &'v Value)> {
        match value.get(key) {
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        }
    }
    /// The first failing part of an operation.
    fn operation(op: &Value, op_pointer: &str) -> Option<Diagnostic> {
        for (i, p) in entries(op, "parameters") {
            let at = pointer_push(&pointer_push(op_pointer, "parameters"), &i);
            if let Some(d) = check::<ReferenceOr<Parameter>>(p, &at) {
                return Some(d);
            }
        }
        if let Some(body) = op.get("requestBody") {
            let at = pointer_push(op_pointer, "requestBody");
            if let Some(d) = check::<ReferenceOr<RequestBody>>(body, &at) {
                return Some(d);
            }
        }
        for (code, r) in entries(op, "responses") {
            let at = pointer_push(&pointer_push(op_pointer, "responses"), &code);
            if let Some(d) = check::<ReferenceOr<Response>>(r, &at) {
                return Some(d);
            }
        }
        check::<openapiv3::Operation>(op, op_pointer)
    }

    let mut found = Vec::new();
    for (path, item) in entries(doc, "paths") {
        let item_pointer = pointer_push("#/paths", &path);
        if item.get("$ref").is_some()
            || check::<ReferenceOr<PathItem>>(item, &item_pointer).is_none()
        {
            continue;
        }
        let before = found.len();
        for (i, p) in entries(item, "parameters") {
            let at = pointer_push(&pointer_push(&item_pointer, "parameters"), &i);
            found.extend(check::<ReferenceOr<Parameter>>(p, &at));
        }
        for method in HTTP_METHODS {
            if let Some(op) = item.get(method) {
                found.extend(operation(op, &pointer_push(&item_pointer, method)));
            }
        }
        if found.len() == before {
            found.extend(check::<ReferenceOr<PathItem>>(item, &item_pointer));
        }
    }
    let Some(components) = doc.get("components") else {
        return found;
    };
    type Check = fn(&Value, &str) -> Option<Diagnostic>;
    let sections: [(&str, Check); 5] = [
        ("schemas", check::<ReferenceOr<Schema>>),
        ("parameters", check::<ReferenceOr<Parameter>>),
        ("responses", check::<ReferenceOr<Response>>),
        ("requestBodies", check::<ReferenceOr<RequestBody>>),
        (
            "securitySchemes",
            check::<ReferenceOr<openapiv3::SecurityScheme>>,
        ),
    ];
    for (section, check) in sections {
        for (name, value) in entries(components, section) {
            let at = pointer_push(&pointer_push("#/components", section), &name);
            found.extend(check(value, &at));
        }
    }
    found
}

/// Turns a `serde_path_to_error` path (`paths./a.get.responses`) into a pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer = pointer_push(&pointer, &index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => {
                pointer = pointer_push(&pointer, key);
            }
            serde_path_to_error::Segment::Enum { variant } => {
                pointer = pointer_push(&pointer, variant);
            }
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    pointer
}
