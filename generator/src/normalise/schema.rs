//! The 3.1 rewrites of one schema and its sub-schemas (see the list in
//! `normalise.rs`), with the checks of its keywords.

use super::{TYPES, as_object, is_reference};
use crate::diagnostics::Collector;
use crate::load::kind_of;
use crate::pointer::Pointer;
use serde_json::{Map, Value, json};

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
pub(crate) fn schema(value: &mut Value, pointer: &Pointer, diags: &mut Collector) {
    // 3.1 boolean schemas.
    if let Value::Bool(b) = value {
        *value = if *b { json!({}) } else { json!({"not": {}}) };
        diags.moved(pointer.push("not"), pointer.clone());
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
            let all_of_pointer = pointer.push("allOf");
            let at = |i: usize| all_of_pointer.push(&i.to_string());
            diags.moved(at(0), pointer.clone());
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
            schema(sub, &pointer.push(key), diags);
        }
    }
    match map.get_mut("items") {
        None => {}
        Some(Value::Array(_)) => {
            diags.error(
                pointer.push("items"),
                "`items` must be one schema; a list of schemas (tuple form) is not OpenAPI 3",
            );
        }
        Some(items) => schema(items, &pointer.push("items"), diags),
    }
    match map.get_mut("additionalProperties") {
        None | Some(Value::Bool(_)) => {}
        Some(sub) => schema(sub, &pointer.push("additionalProperties"), diags),
    }
    for key in SUB_SCHEMA_LISTS {
        let p = pointer.push(key);
        match map.get_mut(key) {
            None => {}
            Some(Value::Array(list)) => {
                if list.is_empty() && key != "prefixItems" {
                    diags.error(&p, format!("`{key}` must not be empty"));
                }
                for (i, sub) in list.iter_mut().enumerate() {
                    schema(sub, &p.push(&i.to_string()), diags);
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
        let p = pointer.push(key);
        match map.get_mut(key) {
            None => {}
            Some(Value::Object(entries)) => {
                for (name, sub) in entries.iter_mut() {
                    schema(sub, &p.push(name), diags);
                }
            }
            Some(other) => diags.error(
                &p,
                format!("`{key}` must be a mapping, found {}", kind_of(other)),
            ),
        }
    }
}

fn normalise_type(map: &mut Map<String, Value>, pointer: &Pointer, diags: &mut Collector) {
    let p = pointer.push("type");
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
                            p.push(&i.to_string()),
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
                            pointer.push("allOf"),
                            format!(
                                "`allOf` must be a list of schemas, found {}",
                                kind_of(&other)
                            ),
                        );
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                let at = pointer.push("allOf").push(&all_of.len().to_string());
                diags.moved(at.clone(), p.clone());
                diags.moved(at.push("anyOf"), p.clone());
                all_of.push(json!({"anyOf": alternatives}));
                map.insert("allOf".into(), Value::Array(all_of));
            } else {
                diags.moved(pointer.push("anyOf"), p.clone());
                map.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
    }
}

fn normalise_keywords(map: &mut Map<String, Value>, pointer: &Pointer, diags: &mut Collector) {
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
                pointer.push(exclusive),
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
            pointer.push("enum"),
            format!("`enum` must be a list, found {}", kind_of(other)),
        ),
    }
    match map.get("required") {
        None => {}
        Some(Value::Array(names)) if names.iter().all(Value::is_string) => {}
        // `required: true` on a property is a common 2.0-ism; it means nothing here.
        Some(Value::Bool(_)) => {
            diags.warning(pointer.push("required"), "`required: true` on a schema has no effect; list the property in its parent's `required`");
            map.remove("required");
        }
        Some(other) => diags.error(
            pointer.push("required"),
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
                pointer.push(flag),
                format!("`{flag}` must be a boolean, found {}", kind_of(other)),
            ),
        }
    }
    for text in ["description", "title", "format", "pattern"] {
        match map.get(text) {
            None | Some(Value::String(_)) => {}
            Some(other) => diags.error(
                pointer.push(text),
                format!("`{text}` must be a string, found {}", kind_of(other)),
            ),
        }
    }
    if let Some(Value::String(pattern)) = map.get("pattern") {
        check_pattern(pattern, &pointer.push("pattern"), diags);
    }
    if let Some(Value::Object(patterns)) = map.get("patternProperties") {
        let p = pointer.push("patternProperties");
        for pattern in patterns.keys() {
            check_pattern(pattern, &p.push(pattern), diags);
        }
    }
    match map.get("discriminator") {
        None => {}
        Some(Value::Object(d)) if d.get("propertyName").is_some_and(Value::is_string) => {}
        Some(_) => diags.error(
            pointer.push("discriminator"),
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

fn warn_unused_keywords(map: &Map<String, Value>, pointer: &Pointer, diags: &mut Collector) {
    for (keyword, consequence) in UNUSED_KEYWORDS {
        if map.contains_key(keyword) {
            diags.warning(
                pointer.push(keyword),
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
fn check_pattern(pattern: &str, pointer: &Pointer, diags: &mut Collector) {
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
        schema(&mut v, &Pointer::root().push("s"), &mut d);
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
        schema(&mut v, &Pointer::from("#/components/schemas/s"), &mut d);
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
        schema(&mut v, &Pointer::root().push("s"), &mut d);
        let pointers = d.into_pointers();
        assert_eq!(
            pointers,
            [
                "#/s/allOf/0/type",
                "#/s/allOf/1/type/0",
                "#/s/properties/p/oneOf/0/type"
            ]
        );
    }
}
