//! Deserialising the normalised document into `openapiv3`, and when that
//! fails, finding the smallest parts that do not deserialise, so that the
//! error names its place (`openapiv3` flattens most objects, which hides
//! the path of an error below the first flattened level).

use super::HTTP_METHODS;
use crate::diagnostics::Diagnostic;
use crate::pointer::Pointer;
use serde_json::Value;

pub(super) fn deserialise(doc: &Value) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    serde_path_to_error::deserialize(doc).map_err(|e| {
        // `openapiv3` flattens most objects, which hides the path of an error
        // below the first flattened level; find the smallest failing parts.
        let found = locate(doc);
        if !found.is_empty() {
            return found;
        }
        let pointer = path_to_pointer(&Pointer::root(), e.path());
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
    fn check<T: serde::de::DeserializeOwned>(
        value: &Value,
        pointer: &Pointer,
    ) -> Option<Diagnostic> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let at = path_to_pointer(pointer, error.path());
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
    fn operation(op: &Value, op_pointer: &Pointer) -> Option<Diagnostic> {
        for (i, p) in entries(op, "parameters") {
            let at = op_pointer.push("parameters").push(&i);
            if let Some(d) = check::<ReferenceOr<Parameter>>(p, &at) {
                return Some(d);
            }
        }
        if let Some(body) = op.get("requestBody") {
            let at = op_pointer.push("requestBody");
            if let Some(d) = check::<ReferenceOr<RequestBody>>(body, &at) {
                return Some(d);
            }
        }
        for (code, r) in entries(op, "responses") {
            let at = op_pointer.push("responses").push(&code);
            if let Some(d) = check::<ReferenceOr<Response>>(r, &at) {
                return Some(d);
            }
        }
        check::<openapiv3::Operation>(op, op_pointer)
    }

    let mut found = Vec::new();
    for (path, item) in entries(doc, "paths") {
        let item_pointer = Pointer::root().push("paths").push(&path);
        if item.get("$ref").is_some()
            || check::<ReferenceOr<PathItem>>(item, &item_pointer).is_none()
        {
            continue;
        }
        let before = found.len();
        for (i, p) in entries(item, "parameters") {
            let at = item_pointer.push("parameters").push(&i);
            found.extend(check::<ReferenceOr<Parameter>>(p, &at));
        }
        for method in HTTP_METHODS {
            if let Some(op) = item.get(method) {
                found.extend(operation(op, &item_pointer.push(method)));
            }
        }
        if found.len() == before {
            found.extend(check::<ReferenceOr<PathItem>>(item, &item_pointer));
        }
    }
    let Some(components) = doc.get("components") else {
        return found;
    };
    type Check = fn(&Value, &Pointer) -> Option<Diagnostic>;
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
            let at = Pointer::root().push("components").push(section).push(&name);
            found.extend(check(value, &at));
        }
    }
    found
}

/// The pointer of a `serde_path_to_error` path (`paths./a.get.responses`)
/// under `base`.
fn path_to_pointer(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    let mut pointer = base.clone();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer = pointer.push(&index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => {
                pointer = pointer.push(key);
            }
            serde_path_to_error::Segment::Enum { variant } => {
                pointer = pointer.push(variant);
            }
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    pointer
}
