//! Every response example in the shared specs decodes: media-type `example`
//! and `examples`, and, where a response schema carries `example`s of its
//! own, the example Prism assembles from them (its `example`, else its
//! `default`, `const` or first `enum` value, else one built from its
//! properties and items the same way).
//!
//! Each example is first validated against its own schema (JSON Schema
//! 2020-12, as OpenAPI 3.1 says; formats not asserted; `oneOf` read as
//! `anyOf`, since Gcore's alternatives overlap). One that breaks it is
//! a problem of the spec: it is listed with its JSON pointer and not counted.
//! Every other example must decode with the generated operation's decoder
//! for its status (a success as `Ok`, a documented error as `Error::Api`) and
//! encode back, as the body's type, without losing a field. The checks are
//! written as a test into each generated crate, tested in one workspace.

use generator::ir::{Api, ResponseBody, Status, TypeRef};
use generator::pointer::Pointer;
use generator::surface::rust::{RustType, Scope};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use xtask::schema::{OneOf, Schemas, resolve};
use xtask::{cargo, shared};

/// Nesting followed when assembling an example from a schema.
const MAX_DEPTH: usize = 12;

struct Counts {
    checked: usize,
    /// Examples that break their own schema.
    problems: Vec<String>,
    /// Examples with fields their schema does not declare.
    undeclared: Vec<String>,
}

/// The test file for one crate, and what was found.
fn checks(crate_ident: &str, label: &str, text: &str) -> (String, Counts) {
    let doc = generator::load::load(text).unwrap_or_else(|d| panic!("{label}: {d}"));
    let (api, _) = generator::model(text).unwrap_or_else(|f| panic!("{label}: {f}"));
    let schemas = Schemas::new(&doc, OneOf::Relaxed).unwrap_or_else(|e| panic!("{label}: {e}"));
    let mut counts = Counts {
        checked: 0,
        problems: Vec::new(),
        undeclared: Vec::new(),
    };
    let mut out = format!(
        "//! Written by xtask/tests/examples.rs.\n#![allow(deprecated)]\n\nuse {crate_ident}::{{Error, Operation, RawResponse, operations, reqwest, types}};\n\n{}\n#[test]\nfn every_example_decodes() {{\n    let mut failures = Vec::new();\n",
        include_str!("examples/check.rs")
    );
    for (op, raw_op, op_pointer) in operations(&api, &doc) {
        let Some(responses) = raw_op.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (code, response) in responses {
            let Ok(status) = code.parse::<u16>() else {
                continue;
            };
            let Some(ir) = op
                .responses
                .iter()
                .find(|r| r.status == Status::Code(status))
            else {
                continue;
            };
            let ResponseBody::Json(ty) = &ir.body else {
                continue;
            };
            let (response, response_pointer) = match resolve(&doc, response) {
                Some((resolved, Some(pointer))) => (resolved, pointer),
                Some((resolved, None)) => (resolved, op_pointer.push("responses").push(code)),
                None => continue,
            };
            let Some(content) = response.get("content").and_then(Value::as_object) else {
                continue;
            };
            for (media, body) in content {
                if !media.contains("json") {
                    continue;
                }
                let media_pointer = response_pointer.push("content").push(media);
                let schema_pointer = media_pointer.push("schema");
                // Without a schema the body is not checked (nor would the
                // client decode it as JSON; the IR has it as `Any`).
                let validator = body.get("schema").map(|_| {
                    schemas
                        .validator(&schema_pointer, false)
                        .unwrap_or_else(|e| panic!("{label}: {e}"))
                });
                for (origin, example) in examples(&doc, body, &media_pointer) {
                    let error = validator
                        .as_ref()
                        .and_then(|v| v.iter_errors(&example).next());
                    if let Some(error) = error {
                        counts.problems.push(format!(
                            "{label} {origin}: breaks its schema at {}: {error}",
                            error.instance_path()
                        ));
                        continue;
                    }
                    counts.checked += 1;
                    // Fields the schema does not declare: the types do not
                    // keep them, so the spec is told, not the decoding.
                    let mut undeclared = Vec::new();
                    if let Some(schema) = body.get("schema") {
                        undeclared_fields(
                            &doc,
                            schema,
                            &example,
                            String::new(),
                            0,
                            &mut undeclared,
                        );
                    }
                    if !undeclared.is_empty() {
                        counts.undeclared.push(format!(
                            "{label} {origin}: fields its schema does not declare: {}",
                            undeclared.join(", ")
                        ));
                    }
                    let body_type = RustType::of(&api, ty).tokens(Scope::Outside);
                    let _ = writeln!(
                        out,
                        "    example::<operations::{}, {body_type}>(&mut failures, {:?}, {status}, {}, r###\"{example}\"###, &{undeclared:?});",
                        op.type_name,
                        origin.as_str(),
                        status_is_success(status),
                    );
                }
            }
        }
    }
    out.push_str("    assert!(failures.is_empty(), \"{}\", failures.join(\"\\n\"));\n}\n");
    (out, counts)
}

fn status_is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Each operation of the IR with its object in the document and its pointer.
fn operations<'a>(
    api: &'a Api,
    doc: &'a Value,
) -> Vec<(&'a generator::ir::Operation, &'a Value, Pointer)> {
    api.operations
        .iter()
        .filter_map(|op| {
            let method = op.method.key();
            let raw = doc.get("paths")?.get(&op.path)?.get(method)?;
            Some((op, raw, op.origin.clone()))
        })
        .collect()
}

/// The examples of a media type, each with the pointer it comes from.
fn examples(doc: &Value, media: &Value, pointer: &Pointer) -> Vec<(Pointer, Value)> {
    let mut found = Vec::new();
    if let Some(example) = media.get("example") {
        found.push((pointer.push("example"), example.clone()));
    }
    if let Some(named) = media.get("examples").and_then(Value::as_object) {
        for (name, example) in named {
            let origin = pointer.push("examples").push(name);
            let value = resolve(doc, example).and_then(|(resolved, _)| resolved.get("value"));
            if let Some(value) = value {
                found.push((origin, value.clone()));
            }
        }
    }
    let assembled = media
        .get("schema")
        .filter(|schema| found.is_empty() && has_example(doc, schema, 0))
        .and_then(|schema| assemble(doc, schema, 0));
    if let Some(assembled) = assembled {
        found.push((pointer.push("schema"), assembled));
    }
    found
}

/// The paths (`.a.b`, `.list[0].c`) of the fields of `value` that `schema`
/// does not declare: not among the properties of an object schema that has
/// no `additionalProperties`. Properties of any `allOf`, `oneOf` or `anyOf`
/// member count as declared.
fn undeclared_fields(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: String,
    depth: usize,
    out: &mut Vec<String>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some((schema, _)) = resolve(doc, schema) else {
        return;
    };
    let Some(object) = schema.as_object() else {
        return;
    };
    match value {
        Value::Object(fields) => {
            let mut properties: Map<String, Value> = Map::new();
            let mut open = object.contains_key("additionalProperties");
            collect_properties(doc, object, &mut properties, &mut open, depth);
            if properties.is_empty() && !object.contains_key("properties") {
                // Not an object schema with properties (a map, `Any`).
                return;
            }
            for (key, field) in fields {
                let path = format!("{at}.{key}");
                match properties.get(key) {
                    Some(property) => undeclared_fields(doc, property, field, path, depth + 1, out),
                    None if !open => out.push(path),
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = object.get("items") {
                for (i, item) in items.iter().enumerate() {
                    undeclared_fields(doc, item_schema, item, format!("{at}[{i}]"), depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// The properties an object schema declares, its own and its members'; `open`
/// becomes true when one allows additional properties.
fn collect_properties(
    doc: &Value,
    object: &Map<String, Value>,
    properties: &mut Map<String, Value>,
    open: &mut bool,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(own) = object.get("properties").and_then(Value::as_object) {
        for (k, v) in own {
            properties.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for member in object
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let member = resolve(doc, member).and_then(|(member, _)| member.as_object());
            if let Some(member) = member {
                *open |= member.contains_key("additionalProperties");
                collect_properties(doc, member, properties, open, depth + 1);
            }
        }
    }
}

/// Whether the schema or any schema in it carries an example.
fn has_example(doc: &Value, schema: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some((schema, _)) = resolve(doc, schema) else {
        return false;
    };
    let Some(object) = schema.as_object() else {
        return false;
    };
    if object.contains_key("example") || object.contains_key("examples") {
        return true;
    }
    subschemas(object).any(|s| has_example(doc, s, depth + 1))
}

fn subschemas(object: &Map<String, Value>) -> impl Iterator<Item = &Value> {
    let lists = ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter_map(|k| object.get(k)?.as_array())
        .flatten();
    let properties = object
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values());
    let single = ["items", "additionalProperties"]
        .into_iter()
        .filter_map(|k| object.get(k).filter(|v| v.is_object()));
    lists.chain(properties).chain(single)
}

/// The example Prism's static mode answers with for a schema: its own
/// `example` (or first of `examples`), `default`, `const` or first `enum`
/// value; otherwise one assembled from its parts (every property but
/// writeOnly ones, one item), and a value of its type at a leaf.
fn assemble(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (schema, _) = resolve(doc, schema)?;
    let object = schema.as_object()?;
    if let Some(example) = object.get("example") {
        return Some(example.clone());
    }
    if let Some(first) = object
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Some(first.clone());
    }
    for key in ["default", "const"] {
        if let Some(value) = object.get(key) {
            return Some(value.clone());
        }
    }
    if let Some(first) = object
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Some(first.clone());
    }
    if let Some(members) = object.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for member in members {
            match assemble(doc, member, depth + 1)? {
                Value::Object(part) => merged.extend(part),
                other => return Some(other),
            }
        }
        return Some(Value::Object(merged));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = object
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return assemble(doc, first, depth + 1);
        }
    }
    let typ = match object.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if object.contains_key("properties") => "object",
        _ => return Some(json!({})),
    };
    Some(match typ {
        "object" => {
            let mut map = Map::new();
            if let Some(properties) = object.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    let write_only = resolve(doc, property)
                        .and_then(|(p, _)| p.get("writeOnly"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    if write_only {
                        continue;
                    }
                    if let Some(value) = assemble(doc, property, depth + 1) {
                        map.insert(name.clone(), value);
                    }
                }
            }
            Value::Object(map)
        }
        "array" => Value::Array(
            object
                .get("items")
                .and_then(|items| assemble(doc, items, depth + 1))
                .into_iter()
                .collect(),
        ),
        "string" => json!(match object.get("format").and_then(Value::as_str) {
            Some("date-time") => "2019-08-24T14:15:22Z",
            Some("date") => "2019-08-24",
            Some("uuid") => "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
            Some("email") => "user@example.com",
            Some("uri") => "http://example.com",
            Some("ipv4") => "192.168.0.1",
            Some("ipv6") => "::1",
            _ => "string",
        }),
        "integer" | "number" => json!(0),
        "boolean" => json!(true),
        _ => Value::Null,
    })
}

#[test]
fn every_response_example_of_every_shared_spec_decodes() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    let mut specs = shared::yaml_files(&dir.join("gcore"));
    specs.push(dir.join("fastedge/latest.yaml"));
    let mut crates = Vec::new();
    let mut summary = Vec::new();
    let mut problems = Vec::new();
    let mut undeclared = Vec::new();
    for spec in specs {
        let label = spec.file_name().unwrap().to_string_lossy().into_owned();
        let stem = spec
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace(['.', '_'], "-");
        let name = format!("ex-{stem}");
        let text = std::fs::read_to_string(&spec).unwrap();
        let (test, counts) = checks(&name.replace('-', "_"), &label, &text);
        summary.push(format!(
            "{label}: {} examples decoded, {} break their schema, {} have undeclared fields",
            counts.checked,
            counts.problems.len(),
            counts.undeclared.len()
        ));
        problems.extend(counts.problems);
        undeclared.extend(counts.undeclared);
        if counts.checked == 0 {
            continue;
        }
        let options = generator::Options {
            crate_name: name.clone(),
            test_dependencies: false,
            source: label.clone(),
            env_prefix: "GCORE".into(),
        };
        let mut files = generator::generate(&text, &options)
            .unwrap_or_else(|f| panic!("{label}:\n{f}"))
            .files;
        files.push(generator::File {
            path: "tests/examples.rs".into(),
            contents: test,
        });
        crates.push((name, files));
    }
    if !crates.is_empty() {
        cargo::test_all(&crates);
    }
    eprintln!(
        "response examples:\n  {}\nspec problems: examples that break their own schema:\n  {}\nexamples with fields their schema does not declare (the types drop them):\n  {}",
        summary.join("\n  "),
        problems.join("\n  "),
        undeclared.join("\n  ")
    );
}

/// Validates what `generator::synth` builds (what `cargo xtask verify`
/// sends and what the round-trip property decodes) against the schema it
/// was built for: every parameter, JSON request body and JSON response of
/// each operation, and every component schema, formats asserted. Returns how many values were checked
/// and what failed. `oneOf` is kept strict: a value that several
/// alternatives accept fails, except in the unions `overlapping_unions`
/// names (no value matches exactly one).
fn synthesised_values(label: &str, text: &str) -> (usize, Vec<String>) {
    let doc = generator::load::load(text).unwrap_or_else(|d| panic!("{label}: {d}"));
    let (api, _) = generator::model(text).unwrap_or_else(|f| panic!("{label}: {f}"));
    let schemas = Schemas::new(&doc, OneOf::Strict).unwrap_or_else(|e| panic!("{label}: {e}"));
    // What OpenAPI allows beyond JSON Schema: a `required` readOnly
    // property left out of a request; several alternatives of a `oneOf`
    // that accept each other's values (no value matches exactly one).
    let validate = |pointer: &str, value: &Value, ty: &TypeRef, read_only: &[String]| {
        let validator = schemas
            .validator(pointer, true)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let overlapping = !generator::verify::overlapping_unions_in(&api, &[ty]).is_empty();
        validator
            .iter_errors(value)
            .map(|e| (e.to_string(), e.instance_path().to_string()))
            .find(|(message, _)| {
                let read_only_left_out = read_only
                    .iter()
                    .any(|p| *message == format!("\"{p}\" is a required property"));
                let one_of = message
                    .contains("under more than one of the schemas listed in the 'oneOf'")
                    || message
                        .contains("is not valid under any of the schemas listed in the 'oneOf'");
                let allowed = read_only_left_out || (overlapping && one_of);
                !allowed
            })
            .map(|(message, at)| format!("{label} {pointer}: {value} at {at}: {message}"))
    };
    let (mut checked, mut failures) = (0, Vec::new());
    for (op, raw, op_pointer) in operations(&api, &doc) {
        let read_only = generator::verify::read_only_properties(&api, op);
        let path_item = doc
            .get("paths")
            .and_then(|p| p.get(&op.path))
            .unwrap_or(&Value::Null);
        let declared = [
            (raw.get("parameters"), op_pointer.clone()),
            (
                path_item.get("parameters"),
                Pointer::root().push("paths").push(&op.path),
            ),
        ];
        for param in &op.params {
            let place = declared.iter().find_map(|(list, owner)| {
                (*list)?.as_array()?.iter().enumerate().find_map(|(i, p)| {
                    let (p, pointer) = resolve(&doc, p)?;
                    let matches = p.get("name").and_then(Value::as_str)
                        == Some(param.wire.as_str())
                        && p.get("in").and_then(Value::as_str) == Some(param.location.key());
                    let pointer =
                        pointer.unwrap_or_else(|| owner.push("parameters").push(&i.to_string()));
                    (matches && p.get("schema").is_some()).then(|| pointer.push("schema"))
                })
            });
            let (Some(pointer), Some(value)) =
                (place, generator::synth::param_instance(&api, param))
            else {
                continue;
            };
            checked += 1;
            failures.extend(validate(&pointer, &value, &param.ty, &[]));
        }
        let body = raw.get("requestBody").and_then(|b| resolve(&doc, b));
        if let (Some(generator::ir::BodyKind::Json(ty)), Some((body, pointer))) =
            (op.body.as_ref().map(|b| &b.kind), body)
        {
            let pointer = pointer.unwrap_or_else(|| op_pointer.push("requestBody"));
            let media = body
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.keys().find(|k| k.contains("json")));
            if let (Some(media), Some(value)) = (media, generator::synth::instance(&api, ty)) {
                let pointer = pointer.push("content").push(media).push("schema");
                checked += 1;
                failures.extend(validate(&pointer, &value, ty, &read_only));
            }
        }
        for response in &op.responses {
            let (Status::Code(code), ResponseBody::Json(ty)) = (response.status, &response.body)
            else {
                continue;
            };
            let Some((raw_response, pointer)) = raw
                .get("responses")
                .and_then(|r| r.get(code.to_string()))
                .and_then(|r| resolve(&doc, r))
            else {
                continue;
            };
            let pointer =
                pointer.unwrap_or_else(|| op_pointer.push("responses").push(&code.to_string()));
            let Some(content) = raw_response.get("content").and_then(Value::as_object) else {
                continue;
            };
            let Some((media, _)) = content
                .iter()
                .find(|(k, v)| k.contains("json") && v.get("schema").is_some())
            else {
                continue;
            };
            let Some(value) = generator::synth::instance(&api, ty) else {
                continue;
            };
            let pointer = pointer.push("content").push(media).push("schema");
            checked += 1;
            failures.extend(validate(&pointer, &value, ty, &[]));
        }
    }
    // Every component schema, also those no operation uses (the input view
    // leaves out readOnly properties, which JSON Schema would require).
    for (index, t) in api.types.iter().enumerate() {
        // (A type made from a part of a schema, such as the alternatives
        // beside an object's properties, has that part as its origin.)
        let is_schema = t.origin.starts_with("#/components/schemas/")
            && doc.pointer(&t.origin[1..]).is_some_and(Value::is_object);
        if !is_schema || t.view == generator::ir::View::Input {
            continue;
        }
        let ty = TypeRef::Named(generator::ir::TypeId(index));
        let Some(value) = generator::synth::instance(&api, &ty) else {
            continue;
        };
        checked += 1;
        failures.extend(validate(&t.origin, &value, &ty, &[]));
    }
    (checked, failures)
}

#[test]
fn synthesised_values_validate_against_their_schemas() {
    let mut specs = vec![xtask::repo_root().join("generator/tests/fixtures/fidelity.yaml")];
    if let Some(dir) = shared::specs_dir() {
        specs.extend(shared::yaml_files(&dir.join("gcore")));
        specs.push(dir.join("fastedge/latest.yaml"));
    }
    let mut failures = Vec::new();
    for spec in specs {
        let label = spec.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&spec).unwrap();
        let (checked, failed) = synthesised_values(&label, &text);
        eprintln!(
            "{label}: {checked} synthesised values validated, {} fail",
            failed.len()
        );
        failures.extend(failed);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
