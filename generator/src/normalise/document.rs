//! The walk over the document: where schemas live (components, parameters,
//! media types, headers), checked for the shape OpenAPI requires, each
//! schema handed to [`super::schema`] with its JSON pointer.

use super::schema::schema;
use super::{HTTP_METHODS, as_object, is_reference};
use crate::diagnostics::Collector;
use crate::load::kind_of;
use crate::pointer::Pointer;
use serde_json::{Map, Value};

pub(super) fn normalise_document(doc: &mut Value, diags: &mut Collector) {
    inline_path_item_refs(doc, diags);
    let Some(root) = doc.as_object_mut() else {
        diags.error(Pointer::root(), "the document is not a mapping");
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
                        Pointer::root().push("info").push(field),
                        format!("`{field}` must be a string, found {}", kind_of(other)),
                    ),
                    None => diags.error(
                        Pointer::root().push("info"),
                        format!("`info` has no `{field}`"),
                    ),
                }
            }
        }
        Some(other) => diags.error(
            Pointer::root().push("info"),
            format!("`info` must be a mapping, found {}", kind_of(other)),
        ),
        None => diags.error(Pointer::root(), "the document has no `info` section"),
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
                let pointer = Pointer::root().push("paths").push(path);
                if !path.starts_with('/') {
                    diags.error(&pointer, format!("path `{path}` does not start with `/`"));
                }
                path_item(item, &pointer, diags);
            }
        }
        Some(other) => diags.error(
            Pointer::root().push("paths"),
            format!("`paths` must be a mapping, found {}", kind_of(other)),
        ),
    }
    if let Some(components) = root.get_mut("components") {
        let Some(components) = components.as_object_mut() else {
            diags.error(
                Pointer::root().push("components"),
                "`components` must be a mapping",
            );
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
            let pointer = Pointer::root().push("components").push(section);
            match components.get_mut(section) {
                None => {}
                Some(Value::Object(entries)) => {
                    for (name, entry) in entries.iter_mut() {
                        visit(entry, &pointer.push(name), diags);
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
        let at = Pointer::root().push("paths").push(path).push("$ref");
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
        diags.moved(Pointer::root().push("paths").push(&path), original);
        if let Some(Value::Object(paths)) = doc.get_mut("paths") {
            paths.insert(path, Value::Object(copy));
        }
    }
}

/// Normalises one node at a pointer, reporting to the collector.
type Visit = fn(&mut Value, &Pointer, &mut Collector);

fn path_item(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
    let Some(item) = as_object(value, pointer, "a path item", diags) else {
        return;
    };
    if is_reference(item, pointer, diags) {
        return;
    }
    if let Some(params) = item.get_mut("parameters") {
        parameter_list(params, &pointer.push("parameters"), diags);
    }
    for method in HTTP_METHODS {
        if let Some(op) = item.get_mut(method) {
            operation(op, &pointer.push(method), diags);
        }
    }
}

fn operation(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
    let Some(op) = as_object(value, pointer, "an operation", diags) else {
        return;
    };
    if let Some(params) = op.get_mut("parameters") {
        parameter_list(params, &pointer.push("parameters"), diags);
    }
    if let Some(body) = op.get_mut("requestBody") {
        request_body(body, &pointer.push("requestBody"), diags);
    }
    match op.get_mut("responses") {
        // Optional in 3.1; `openapiv3` requires it.
        None => {
            op.insert("responses".into(), Value::Object(Map::new()));
        }
        Some(responses) => {
            let pointer = pointer.push("responses");
            if let Some(responses) = as_object(responses, &pointer, "`responses`", diags) {
                for (status, r) in responses.iter_mut() {
                    if !status.starts_with("x-") {
                        response(r, &pointer.push(status), diags);
                    }
                }
            }
        }
    }
}

fn parameter_list(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
    match value {
        Value::Array(params) => {
            for (i, p) in params.iter_mut().enumerate() {
                parameter(p, &pointer.push(&i.to_string()), diags);
            }
        }
        other => diags.error(
            pointer,
            format!("`parameters` must be a list, found {}", kind_of(other)),
        ),
    }
}

fn parameter(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
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
            pointer.push("in"),
            format!(
                "unknown parameter location `{other}` (expected path, query, header or cookie)"
            ),
        ),
        None => diags.error(pointer, "the parameter has no `in` location"),
    }
    if let Some(s) = param.get_mut("schema") {
        schema(s, &pointer.push("schema"), diags);
    }
    if let Some(content) = param.get_mut("content") {
        content_map(content, &pointer.push("content"), diags);
    }
}

fn request_body(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
    let Some(body) = as_object(value, pointer, "a request body", diags) else {
        return;
    };
    if is_reference(body, pointer, diags) {
        return;
    }
    match body.get_mut("content") {
        Some(content) => content_map(content, &pointer.push("content"), diags),
        None => {
            body.insert("content".into(), Value::Object(Map::new()));
        }
    }
}

fn response(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
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
        content_map(content, &pointer.push("content"), diags);
    }
    if let Some(headers) = resp.get_mut("headers") {
        let pointer = pointer.push("headers");
        if let Some(headers) = as_object(headers, &pointer, "`headers`", diags) {
            for (name, h) in headers.iter_mut() {
                header(h, &pointer.push(name), diags);
            }
        }
    }
}

fn header(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
    let Some(h) = as_object(value, pointer, "a header", diags) else {
        return;
    };
    if is_reference(h, pointer, diags) {
        return;
    }
    if let Some(s) = h.get_mut("schema") {
        schema(s, &pointer.push("schema"), diags);
    }
    if let Some(content) = h.get_mut("content") {
        content_map(content, &pointer.push("content"), diags);
    }
}

fn content_map(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
    let Some(content) = as_object(value, pointer, "`content`", diags) else {
        return;
    };
    for (media_type, mt) in content.iter_mut() {
        let pointer = pointer.push(media_type);
        let Some(mt) = as_object(mt, &pointer, "a media type", diags) else {
            continue;
        };
        if let Some(s) = mt.get_mut("schema") {
            schema(s, &pointer.push("schema"), diags);
        }
        // `examples` here is a map of Example objects in both 3.0 and 3.1;
        // `encoding` headers may hold schemas.
        if let Some(Value::Object(encodings)) = mt.get_mut("encoding") {
            for (name, enc) in encodings.iter_mut() {
                if let Some(Value::Object(headers)) = enc.get_mut("headers") {
                    for (h, hv) in headers.iter_mut() {
                        let p = pointer.push("encoding").push(name).push("headers");
                        header(hv, &p.push(h), diags);
                    }
                }
            }
        }
    }
}
