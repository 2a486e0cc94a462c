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

mod inheritance;

use crate::diagnostics::{Collector, Diagnostic, pointer_push};
use crate::load::kind_of;
use serde_json::{Map, Value, json};

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
    normalise_document(&mut doc, diags);
    if diags.has_errors() && !had_errors {
        return None;
    }
    inheritance::subtypes_as_unions(&mut doc, diags);
    match deserialise(&doc) {
        Ok(api) => Some((doc, api)),
        Err(found) => {
            for d in found {
                diags.push(d);
            }
            None
        }
    }
}

fn deserialise(doc: &Value) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
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

fn normalise_document(doc: &mut Value, diags: &mut Collector) {
    inline_path_item_refs(doc, diags);
    let Some(root) = doc.as_object_mut() else {
        diags.error("#", "the document is not a mapping");
        return;
    };
    match root.get("info") {
        Some(Value::Object(info)) => {
            for field in ["title", "version"] {
                match info.get(field) {
                    Some(Value::String(_)) => {}
                    // Versions like `1.0` are read by YAML as numbers.
                    Some(Value::Number(n)) if field == "version" => {
                        let text = n.to_string();
                        root["info"]["version"] = Value::String(text);
                        break;
                    }
                    Some(other) => diags.error(
                        format!("#/info/{field}"),
                        format!("`{field}` must be a string, found {}", kind_of(other)),
                    ),
                    None => diags.error("#/info", format!("`info` has no `{field}`")),
                }
            }
        }
        Some(other) => diags.error(
            "#/info",
            format!("`info` must be a mapping, found {}", kind_of(other)),
        ),
        None => diags.error("#", "the document has no `info` section"),
    }
    match root.get_mut("paths") {
        None => {
            root.insert("paths".into(), Value::Object(Map::new()));
        }
        Some(Value::Object(paths)) => {
            for (path, item) in paths.iter_mut() {
                if path.starts_with("x-") {
                    continue;
                }
                let pointer = pointer_push("#/paths", path);
                if !path.starts_with('/') {
                    diags.error(&pointer, format!("path `{path}` does not start with `/`"));
                }
                path_item(item, &pointer, diags);
            }
        }
        Some(other) => diags.error(
            "#/paths",
            format!("`paths` must be a mapping, found {}", kind_of(other)),
        ),
    }
    if let Some(components) = root.get_mut("components") {
        let Some(components) = components.as_object_mut() else {
            diags.error("#/components", "`components` must be a mapping");
            return;
        };
        let sections: [(&str, Visit); 5] = [
            ("schemas", schema),
            ("parameters", parameter),
            ("responses", response),
            ("requestBodies", request_body),
            ("headers", header),
        ];
        for (section, visit) in sections {
            let pointer = format!("#/components/{section}");
            match components.get_mut(section) {
                None => {}
                Some(Value::Object(entries)) => {
                    for (name, entry) in entries.iter_mut() {
                        visit(entry, &pointer_push(&pointer, name), diags);
                    }
                }
                Some(other) => diags.error(
                    &pointer,
                    format!("must be a mapping, found {}", kind_of(other)),
                ),
            }
        }
    }
}

/// Replaces each path item that is a `$ref` (to `#/components/pathItems/X`
/// in 3.1, or anywhere in the document) by a copy of what it names, which
/// `openapiv3` cannot resolve. Problems in the copy are reported where the
/// original is. Keywords beside the `$ref` are kept where the original has
/// none of the same name.
fn inline_path_item_refs(doc: &mut Value, diags: &mut Collector) {
    use crate::model::resolve::{local_pointer, lookup};
    /// Most `$ref` hops followed from one path item.
    const MAX_HOPS: usize = 32;
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return;
    };
    let mut copies = Vec::new();
    for (path, item) in paths {
        let Some(Value::String(reference)) = item.get("$ref") else {
            continue;
        };
        let at = pointer_push(&pointer_push("#/paths", path), "$ref");
        let mut current = reference.clone();
        let found = (0..MAX_HOPS).find_map(|_| {
            let target = local_pointer(&current).and_then(|pointer| match lookup(doc, &pointer) {
                Some(Value::Object(target)) => Ok((target, pointer)),
                Some(other) => Err(format!(
                    "`$ref: {current}` names {}, not a path item",
                    kind_of(other)
                )),
                None => Err(format!(
                    "`$ref: {current}` points to nothing in this document"
                )),
            });
            match target {
                Ok((target, _)) if target.get("$ref").is_some_and(Value::is_string) => {
                    current = target["$ref"].as_str().unwrap_or_default().to_string();
                    None
                }
                other => Some(other),
            }
        });
        match found {
            Some(Ok((target, pointer))) => {
                let mut copy = target.clone();
                if let Value::Object(siblings) = item {
                    for (k, v) in siblings.iter().filter(|(k, _)| *k != "$ref") {
                        copy.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
                copies.push((path.clone(), copy, pointer));
            }
            Some(Err(message)) => diags.error(&at, message),
            None => diags.error(
                &at,
                format!("`$ref: {reference}` goes through more than {MAX_HOPS} references"),
            ),
        }
    }
    for (path, copy, original) in copies {
        diags.moved(pointer_push("#/paths", &path), original);
        if let Some(Value::Object(paths)) = doc.get_mut("paths") {
            paths.insert(path, Value::Object(copy));
        }
    }
}

/// Normalises one node at a pointer, reporting to the collector.
type Visit = fn(&mut Value, &str, &mut Collector);

fn as_object<'a>(
    value: &'a mut Value,
    pointer: &str,
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

fn is_reference(map: &Map<String, Value>, pointer: &str, diags: &mut Collector) -> bool {
    match map.get("$ref") {
        Some(Value::String(_)) => true,
        Some(other) => {
            diags.error(
                pointer_push(pointer, "$ref"),
                format!("`$ref` must be a string, found {}", kind_of(other)),
            );
            true
        }
        None => false,
    }
}

fn path_item(value: &mut Value, pointer: &str, diags: &mut Collector) {
    let Some(item) = as_object(value, pointer, "a path item", diags) else {
        return;
    };
    if is_reference(item, pointer, diags) {
        return;
    }
    if let Some(params) = item.get_mut("parameters") {
        parameter_list(params, &pointer_push(pointer, "parameters"), diags);
    }
    for method in HTTP_METHODS {
        if let Some(op) = item.get_mut(method) {
            operation(op, &pointer_push(pointer, method), diags);
        }
    }
}

fn operation(value: &mut Value, pointer: &str, diags: &mut Collector) {
    let Some(op) = as_object(value, pointer, "an operation", diags) else {
        return;
    };
    if let Some(params) = op.get_mut("parameters") {
        parameter_list(params, &pointer_push(pointer, "parameters"), diags);
    }
    if let Some(body) = op.get_mut("requestBody") {
        request_body(body, &pointer_push(pointer, "requestBody"), diags);
    }
    match op.get_mut("responses") {
        // Optional in 3.1; `openapiv3` requires it.
        None => {
            op.insert("responses".into(), Value::Object(Map::new()));
        }
        Some(responses) => {
            let pointer = pointer_push(pointer, "responses");
            if let Some(responses) = as_object(responses, &pointer, "`responses`", diags) {
                for (status, r) in responses.iter_mut() {
                    if !status.starts_with("x-") {
                        response(r, &pointer_push(&pointer, status), diags);
                    }
                }
            }
        }
    }
}

fn parameter_list(value: &mut Value, pointer: &str, diags: &mut Collector) {
    match value {
        Value::Array(params) => {
            for (i, p) in params.iter_mut().enumerate() {
                parameter(p, &pointer_push(pointer, &i.to_string()), diags);
            }
        }
        other => diags.error(
            pointer,
            format!("`parameters` must be a list, found {}", kind_of(other)),
        ),
    }
}

fn parameter(value: &mut Value, pointer: &str, diags: &mut Collector) {
    let Some(param) = as_object(value, pointer, "a parameter", diags) else {
        return;
    };
    if is_reference(param, pointer, diags) {
        return;
    }
    match param.get("name") {
        Some(Value::String(_)) => {}
        _ => diags.error(pointer, "the parameter has no `name` string"),
    }
    match param.get("in").and_then(Value::as_str) {
        Some("path" | "query" | "header" | "cookie") => {}
        Some(other) => diags.error(
            pointer_push(pointer, "in"),
            format!(
                "unknown parameter location `{other}` (expected path, query, header or cookie)"
            ),
        ),
        None => diags.error(pointer, "the parameter has no `in` location"),
    }
    if let Some(s) = param.get_mut("schema") {
        schema(s, &pointer_push(pointer, "schema"), diags);
    }
    if let Some(content) = param.get_mut("content") {
        content_map(content, &pointer_push(pointer, "content"), diags);
    }
}

fn request_body(value: &mut Value, pointer: &str, diags: &mut Collector) {
    let Some(body) = as_object(value, pointer, "a request body", diags) else {
        return;
    };
    if is_reference(body, pointer, diags) {
        return;
    }
    match body.get_mut("content") {
        Some(content) => content_map(content, &pointer_push(pointer, "content"), diags),
        None => {
            body.insert("content".into(), Value::Object(Map::new()));
        }
    }
}

fn response(value: &mut Value, pointer: &str, diags: &mut Collector) {
    let Some(resp) = as_object(value, pointer, "a response", diags) else {
        return;
    };
    if is_reference(resp, pointer, diags) {
        return;
    }
    if !resp.contains_key("description") {
        // Required by 3.x, harmless to default.
        resp.insert("description".into(), Value::String(String::new()));
    }
    if let Some(content) = resp.get_mut("content") {
        content_map(content, &pointer_push(pointer, "content"), diags);
    }
    if let Some(headers) = resp.get_mut("headers") {
        let pointer = pointer_push(pointer, "headers");
        if let Some(headers) = as_object(headers, &pointer, "`headers`", diags) {
            for (name, h) in headers.iter_mut() {
                header(h, &pointer_push(&pointer, name), diags);
            }
        }
    }
}

fn header(value: &mut Value, pointer: &str, diags: &mut Collector) {
    let Some(h) = as_object(value, pointer, "a header", diags) else {
        return;
    };
    if is_reference(h, pointer, diags) {
        return;
    }
    if let Some(s) = h.get_mut("schema") {
        schema(s, &pointer_push(pointer, "schema"), diags);
    }
    if let Some(content) = h.get_mut("content") {
        content_map(content, &pointer_push(pointer, "content"), diags);
    }
}

fn content_map(value: &mut Value, pointer: &str, diags: &mut Collector) {
    let Some(content) = as_object(value, pointer, "`content`", diags) else {
        return;
    };
    for (media_type, mt) in content.iter_mut() {
        let pointer = pointer_push(pointer, media_type);
        let Some(mt) = as_object(mt, &pointer, "a media type", diags) else {
            continue;
        };
        if let Some(s) = mt.get_mut("schema") {
            schema(s, &pointer_push(&pointer, "schema"), diags);
        }
        // `examples` here is a map of Example objects in both 3.0 and 3.1;
        // `encoding` headers may hold schemas.
        if let Some(Value::Object(encodings)) = mt.get_mut("encoding") {
            for (name, enc) in encodings.iter_mut() {
                if let Some(Value::Object(headers)) = enc.get_mut("headers") {
                    for (h, hv) in headers.iter_mut() {
                        let p = pointer_push(
                            &pointer_push(&pointer_push(&pointer, "encoding"), name),
                            "headers",
                        );
                        header(hv, &pointer_push(&p, h), diags);
                    }
                }
            }
        }
    }
}

/// Keywords whose value is one schema.
const SUB_SCHEMA: [&str; 8] = [
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
];
/// Keywords whose value is a list of schemas.
const SUB_SCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
const SUB_SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Normalises one schema and, recursively, its sub-schemas.
pub(crate) fn schema(value: &mut Value, pointer: &str, diags: &mut Collector) {
    // 3.1 boolean schemas.
    if let Value::Bool(b) = value {
        *value = if *b { json!({}) } else { json!({"not": {}}) };
        diags.moved(pointer_push(pointer, "not"), pointer.to_string());
        return;
    }
    let Some(map) = as_object(value, pointer, "a schema", diags) else {
        return;
    };

    if map.contains_key("$ref") {
        if !map.get("$ref").is_some_and(Value::is_string) {
            // Reported once, here; not again inside an `allOf` wrapper.
            is_reference(map, pointer, diags);
            return;
        }
        let siblings: Vec<&String> = map
            .keys()
            .filter(|k| *k != "$ref" && !k.starts_with("x-"))
            .collect();
        if !siblings.is_empty() {
            // 3.1: keywords beside `$ref` apply too; 3.0 (and `openapiv3`)
            // would drop them. An `allOf` wrapper keeps both.
            let reference = map.remove("$ref").unwrap_or(Value::Null);
            let mut wrapper = Map::new();
            wrapper.insert("$ref".into(), reference);
            let all_of_pointer = pointer_push(pointer, "allOf");
            let at = |i: usize| pointer_push(&all_of_pointer, &i.to_string());
            diags.moved(at(0), pointer.to_string());
            let all_of = match map.remove("allOf") {
                Some(Value::Array(mut items)) => {
                    for i in 0..items.len() {
                        diags.moved(at(i + 1), at(i));
                    }
                    items.insert(0, Value::Object(wrapper));
                    items
                }
                Some(other) => {
                    diags.error(
                        &all_of_pointer,
                        format!(
                            "`allOf` must be a list of schemas, found {}",
                            kind_of(&other)
                        ),
                    );
                    vec![Value::Object(wrapper)]
                }
                None => vec![Value::Object(wrapper)],
            };
            map.insert("allOf".into(), Value::Array(all_of));
        } else {
            return;
        }
    }

    normalise_type(map, pointer, diags);
    normalise_keywords(map, pointer, diags);
    warn_unused_keywords(map, pointer, diags);

    // Sub-schemas.
    for key in SUB_SCHEMA {
        if let Some(sub) = map.get_mut(key) {
            schema(sub, &pointer_push(pointer, key), diags);
        }
    }
    match map.get_mut("items") {
        None => {}
        Some(Value::Array(_)) => {
            diags.error(
                pointer_push(pointer, "items"),
                "`items` must be one schema; a list of schemas (tuple form) is not OpenAPI 3",
            );
        }
        Some(items) => schema(items, &pointer_push(pointer, "items"), diags),
    }
    match map.get_mut("additionalProperties") {
        None | Some(Value::Bool(_)) => {}
        Some(sub) => schema(sub, &pointer_push(pointer, "additionalProperties"), diags),
    }
    for key in SUB_SCHEMA_LISTS {
        let p = pointer_push(pointer, key);
        match map.get_mut(key) {
            None => {}
            Some(Value::Array(list)) => {
                if list.is_empty() && key != "prefixItems" {
                    diags.error(&p, format!("`{key}` must not be empty"));
                }
                for (i, sub) in list.iter_mut().enumerate() {
                    schema(sub, &pointer_push(&p, &i.to_string()), diags);
                }
            }
            Some(other) => diags.error(
                &p,
                format!(
                    "`{key}` must be a list of schemas, found {}",
                    kind_of(other)
                ),
            ),
        }
    }
    for key in SUB_SCHEMA_MAPS {
        let p = pointer_push(pointer, key);
        match map.get_mut(key) {
            None => {}
            Some(Value::Object(entries)) => {
                for (name, sub) in entries.iter_mut() {
                    schema(sub, &pointer_push(&p, name), diags);
                }
            }
            Some(other) => diags.error(
                &p,
                format!("`{key}` must be a mapping, found {}", kind_of(other)),
            ),
        }
    }
}

fn normalise_type(map: &mut Map<String, Value>, pointer: &str, diags: &mut Collector) {
    let p = pointer_push(pointer, "type");
    let types: Vec<String> = match map.get("type") {
        None => return,
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(list)) => {
            let mut out = Vec::new();
            for (i, t) in list.iter().enumerate() {
                match t.as_str() {
                    Some(t) => out.push(t.to_string()),
                    None => {
                        diags.error(
                            pointer_push(&p, &i.to_string()),
                            format!("a type name must be a string, found {}", kind_of(t)),
                        );
                        return;
                    }
                }
            }
            out
        }
        Some(other) => {
            diags.error(
                &p,
                format!(
                    "`type` must be a string or a list of strings, found {}",
                    kind_of(other)
                ),
            );
            return;
        }
    };
    for t in &types {
        if !TYPES.contains(&t.as_str()) {
            diags.error(
                &p,
                format!("unknown type `{t}` (expected one of {})", TYPES.join(", ")),
            );
            return;
        }
    }
    let nullable = types.iter().any(|t| t == "null");
    let mut concrete: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    concrete.dedup();
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match concrete.as_slice() {
        [] if nullable => {
            map.remove("type");
            if !map.contains_key("enum") {
                map.insert("enum".into(), json!([null]));
            }
        }
        [] => {
            map.remove("type");
        }
        [one] => {
            let one = (*one).clone();
            map.insert("type".into(), Value::String(one));
        }
        many => {
            // `type: [string, integer]`: one alternative per type.
            let alternatives: Vec<Value> = many.iter().map(|t| json!({"type": t})).collect();
            map.remove("type");
            if map.contains_key("anyOf") || map.contains_key("oneOf") {
                let mut all_of = match map.remove("allOf") {
                    Some(Value::Array(items)) => items,
                    Some(other) => {
                        diags.error(
                            pointer_push(pointer, "allOf"),
                            format!(
                                "`allOf` must be a list of schemas, found {}",
                                kind_of(&other)
                            ),
                        );
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                let at = pointer_push(&pointer_push(pointer, "allOf"), &all_of.len().to_string());
                diags.moved(at.clone(), p.clone());
                diags.moved(pointer_push(&at, "anyOf"), p.clone());
                all_of.push(json!({"anyOf": alternatives}));
                map.insert("allOf".into(), Value::Array(all_of));
            } else {
                diags.moved(pointer_push(pointer, "anyOf"), p.clone());
                map.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
    }
}

fn normalise_keywords(map: &mut Map<String, Value>, pointer: &str, diags: &mut Collector) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.get(exclusive) {
            None | Some(Value::Bool(_)) => {}
            Some(Value::Number(n)) => {
                let n = n.clone();
                map.insert(exclusive.into(), Value::Bool(true));
                map.insert(bound.into(), Value::Number(n));
            }
            Some(other) => diags.error(
                pointer_push(pointer, exclusive),
                format!(
                    "`{exclusive}` must be a number or a boolean, found {}",
                    kind_of(other)
                ),
            ),
        }
    }
    if let Some(value) = map.remove("const") {
        if value.is_null() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    match map.remove("examples") {
        None => {}
        Some(Value::Array(mut examples))
            if !map.contains_key("example") && !examples.is_empty() =>
        {
            map.insert("example".into(), examples.swap_remove(0));
        }
        Some(Value::Array(_)) => {}
        // Not a 3.1 schema `examples`; leave it alone.
        Some(other) => {
            map.insert("examples".into(), other);
        }
    }
    match map.get("enum") {
        None => {}
        Some(Value::Array(values)) if values.iter().any(Value::is_null) => {
            map.insert("nullable".into(), Value::Bool(true));
        }
        Some(Value::Array(_)) => {}
        Some(other) => diags.error(
            pointer_push(pointer, "enum"),
            format!("`enum` must be a list, found {}", kind_of(other)),
        ),
    }
    match map.get("required") {
        None => {}
        Some(Value::Array(names)) if names.iter().all(Value::is_string) => {}
        // `required: true` on a property is a common 2.0-ism; it means nothing here.
        Some(Value::Bool(_)) => {
            diags.warning(pointer_push(pointer, "required"), "`required: true` on a schema has no effect; list the property in its parent's `required`");
            map.remove("required");
        }
        Some(other) => diags.error(
            pointer_push(pointer, "required"),
            format!(
                "`required` must be a list of property names, found {}",
                kind_of(other)
            ),
        ),
    }
    for flag in [
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "uniqueItems",
    ] {
        match map.get(flag) {
            None | Some(Value::Bool(_)) => {}
            Some(other) => diags.error(
                pointer_push(pointer, flag),
                format!("`{flag}` must be a boolean, found {}", kind_of(other)),
            ),
        }
    }
    for text in ["description", "title", "format", "pattern"] {
        match map.get(text) {
            None | Some(Value::String(_)) => {}
            Some(other) => diags.error(
                pointer_push(pointer, text),
                format!("`{text}` must be a string, found {}", kind_of(other)),
            ),
        }
    }
    if let Some(Value::String(pattern)) = map.get("pattern") {
        check_pattern(pattern, &pointer_push(pointer, "pattern"), diags);
    }
    if let Some(Value::Object(patterns)) = map.get("patternProperties") {
        let p = pointer_push(pointer, "patternProperties");
        for pattern in patterns.keys() {
            check_pattern(pattern, &pointer_push(&p, pattern), diags);
        }
    }
    match map.get("discriminator") {
        None => {}
        Some(Value::Object(d)) if d.get("propertyName").is_some_and(Value::is_string) => {}
        Some(_) => diags.error(
            pointer_push(pointer, "discriminator"),
            "`discriminator` must be a mapping with a `propertyName` string",
        ),
    }
}

/// Keywords that can change which values a schema holds but that the
/// generated types do not follow, with what happens to such values. Each gets
/// a warning at its pointer, so nothing is lost silently.
const UNUSED_KEYWORDS: [(&str, &str); 6] = [
    (
        "patternProperties",
        "properties matching these patterns are not fields of the type; they are kept only where `additionalProperties` allows other properties",
    ),
    (
        "prefixItems",
        "the items are typed by `items` alone (as serde_json::Value without it); leading items of another type fail to read",
    ),
    (
        "if",
        "`if`/`then`/`else` is not used; properties it adds are not fields of the type",
    ),
    (
        "dependentSchemas",
        "properties these schemas add are not fields of the type",
    ),
    (
        "unevaluatedProperties",
        "not used; properties it describes are not fields of the type",
    ),
    (
        "unevaluatedItems",
        "not used; the items are typed by `items` alone",
    ),
];

fn warn_unused_keywords(map: &Map<String, Value>, pointer: &str, diags: &mut Collector) {
    for (keyword, consequence) in UNUSED_KEYWORDS {
        if map.contains_key(keyword) {
            diags.warning(
                pointer_push(pointer, keyword),
                format!("`{keyword}` is not supported: {consequence}"),
            );
        }
    }
}

/// Warns about a `pattern` that is not a regular expression.
///
/// Patterns do not change the generated code (the client does not validate
/// values; a pattern is shown in the field's documentation), so a broken one
/// is a warning, not an error. They are ECMA-262 expressions, read here with
/// Rust's `regex-syntax`, which agrees on the common syntax; lookaround and
/// backreferences, which it does not support, are not checked.
fn check_pattern(pattern: &str, pointer: &str, diags: &mut Collector) {
    use regex_syntax::ast::{ErrorKind, parse::Parser};
    let Err(e) = Parser::new().parse(pattern) else {
        return;
    };
    if matches!(
        e.kind(),
        ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference
    ) {
        return;
    }
    diags.warning(
        pointer,
        format!(
            "`{pattern}` is not a valid regular expression ({} at offset {}); it is kept in the documentation only",
            e.kind(),
            e.span().start.offset
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm_schema(v: Value) -> Value {
        let mut v = v;
        let mut d = Collector::default();
        schema(&mut v, "#/s", &mut d);
        assert!(!d.has_errors(), "{:?}", d.into_diagnostics());
        v
    }

    #[test]
    fn type_arrays_with_null_become_nullable() {
        assert_eq!(
            norm_schema(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            norm_schema(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(
            norm_schema(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_const_and_examples() {
        assert_eq!(
            norm_schema(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0, "exclusiveMaximum": true, "maximum": 10})
        );
        assert_eq!(norm_schema(json!({"const": "a"})), json!({"enum": ["a"]}));
        assert_eq!(
            norm_schema(json!({"type": "string", "examples": ["x", "y"]})),
            json!({"type": "string", "example": "x"})
        );
    }

    #[test]
    fn ref_siblings_are_kept_in_an_all_of() {
        assert_eq!(
            norm_schema(
                json!({"$ref": "#/components/schemas/a", "description": "d", "nullable": true})
            ),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/a"}]})
        );
        assert_eq!(norm_schema(json!({"$ref": "#/x"})), json!({"$ref": "#/x"}));
    }

    #[test]
    fn nested_schemas_are_rewritten() {
        let v = norm_schema(
            json!({"type": "object", "properties": {"a": {"type": ["integer", "null"]}},
            "items": {"anyOf": [{"$ref": "#/a"}, {"type": "null"}]}}),
        );
        assert_eq!(
            v["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            v["items"]["anyOf"][1],
            json!({"nullable": true, "enum": [null]})
        );
    }

    #[test]
    fn problems_are_reported_at_their_pointer() {
        let mut v = json!({"properties": {"a": {"type": 7}, "b": {"type": "strin"}, "c": {"required": "x"}}});
        let mut d = Collector::default();
        schema(&mut v, "#/components/schemas/s", &mut d);
        let diags = d.into_diagnostics();
        let pointers: Vec<&str> = diags.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/s/properties/a/type",
                "#/components/schemas/s/properties/b/type",
                "#/components/schemas/s/properties/c/required"
            ]
        );
        assert!(diags[1].message.contains("unknown type `strin`"));
    }

    #[test]
    fn problems_in_rewritten_schemas_are_reported_at_the_document_pointer() {
        let mut v = json!({"$ref": "#/a", "description": "d",
            "allOf": [{"type": "strin"}, {"type": [true, "null"]}],
            "properties": {"p": {"type": ["string", "integer"], "oneOf": [{"type": "x"}]}}});
        let mut d = Collector::default();
        schema(&mut v, "#/s", &mut d);
        let pointers: Vec<String> = d
            .into_diagnostics()
            .into_iter()
            .map(|d| d.pointer)
            .collect();
        assert_eq!(
            pointers,
            [
                "#/s/allOf/0/type",
                "#/s/allOf/1/type/0",
                "#/s/properties/p/oneOf/0/type"
            ]
        );
    }

    #[test]
    fn every_part_that_does_not_deserialise_is_reported() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "links": 5}}},
                             "post": {"parameters": [{"name": "q", "in": "query", "required": "yes"}]}},
                      "/b": {"get": {"responses": {"default": {"description": "ok", "links": 5}}}}},
            "components": {"securitySchemes": {"k": {"type": "apiKey", "in": 4}}}});
        let mut d = Collector::default();
        assert!(normalise(doc, &mut d).is_none());
        let pointers: Vec<String> = d
            .into_diagnostics()
            .into_iter()
            .map(|d| d.pointer)
            .collect();
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
