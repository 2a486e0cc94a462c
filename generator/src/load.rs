//! Stage 1: spec text to a JSON value.
//!
//! YAML is parsed with `yaml_serde` into its own value type first, because YAML
//! allows keys that JSON does not (`200:` unquoted is an integer key, common in
//! `responses`). Keys are turned into strings here, once, so every later stage
//! works on plain JSON with JSON pointers.

use crate::diagnostics::{Diagnostic, pointer_push};
use serde_json::{Map, Number, Value};

/// The OpenAPI versions the generator reads.
pub const SUPPORTED_VERSIONS: &str = "3.0.x and 3.1.x";

/// Parses YAML (or JSON, which is YAML) into a JSON value and checks that it
/// looks like an OpenAPI 3.0 or 3.1 document.
pub fn load(text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("#", "the document is empty"));
    }
    if let Some(offset) = text.find('\0') {
        return Err(Diagnostic::error(
            "#",
            format!("the document contains a NUL byte at offset {offset}; it is binary, not YAML"),
        ));
    }
    let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        let message = format!("malformed YAML: {}", strip_location(&e.to_string()));
        match e.location() {
            Some(loc) => Diagnostic::error("#", message).at_line(loc.line(), loc.column()),
            None => Diagnostic::error("#", message),
        }
    })?;
    let value = to_json(yaml, "#")?;
    check_openapi_version(&value)?;
    Ok(value)
}

/// `yaml_serde` appends " at line L column C" to its messages; the location is
/// reported in its own fields instead.
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

fn to_json(yaml: yaml_serde::Value, pointer: &str) -> Result<Value, Diagnostic> {
    Ok(match yaml {
        yaml_serde::Value::Null => Value::Null,
        yaml_serde::Value::Bool(b) => Value::Bool(b),
        yaml_serde::Value::Number(n) => Value::Number(to_json_number(&n, pointer)?),
        yaml_serde::Value::String(s) => Value::String(s),
        yaml_serde::Value::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &pointer_push(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        yaml_serde::Value::Mapping(mapping) => {
            let mut map = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = mapping_key(key, pointer)?;
                let child = pointer_push(pointer, &key);
                map.insert(key, to_json(value, &child)?);
            }
            Value::Object(map)
        }
        // Tags (`!foo`) carry no meaning in OpenAPI; keep the tagged value.
        yaml_serde::Value::Tagged(tagged) => to_json(tagged.value, pointer)?,
    })
}

fn to_json_number(n: &yaml_serde::Number, pointer: &str) -> Result<Number, Diagnostic> {
    if let Some(i) = n.as_i64() {
        return Ok(Number::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Ok(Number::from(u));
    }
    n.as_f64()
        .and_then(Number::from_f64)
        .ok_or_else(|| Diagnostic::error(pointer, format!("the number {n} has no JSON form")))
}

fn mapping_key(key: yaml_serde::Value, pointer: &str) -> Result<String, Diagnostic> {
    match key {
        yaml_serde::Value::String(s) => Ok(s),
        yaml_serde::Value::Number(n) => Ok(n.to_string()),
        yaml_serde::Value::Bool(b) => Ok(b.to_string()),
        yaml_serde::Value::Null => Ok("null".to_string()),
        yaml_serde::Value::Tagged(tagged) => mapping_key(tagged.value, pointer),
        yaml_serde::Value::Sequence(_) | yaml_serde::Value::Mapping(_) => Err(Diagnostic::error(
            pointer,
            "a mapping key is itself a list or mapping; OpenAPI keys are strings",
        )),
    }
}

fn check_openapi_version(doc: &Value) -> Result<(), Diagnostic> {
    let Some(root) = doc.as_object() else {
        return Err(Diagnostic::error(
            "#",
            format!(
                "the document is {}, not an OpenAPI object (a mapping with `openapi`, `info` and `paths`)",
                kind_of(doc)
            ),
        ));
    };
    if let Some(swagger) = root.get("swagger") {
        return Err(Diagnostic::error(
            "#/swagger",
            format!(
                "Swagger {} documents are not supported; convert to OpenAPI 3 (supported: {SUPPORTED_VERSIONS})",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.as_str(),
        Some(other) => {
            return Err(Diagnostic::error(
                "#/openapi",
                format!(
                    "`openapi` must be a version string such as \"3.1.0\", found {}",
                    kind_of(other)
                ),
            ));
        }
        None => {
            return Err(Diagnostic::error(
                "#",
                "not an OpenAPI document: the `openapi` version field is missing",
            ));
        }
    };
    if !(version.starts_with("3.0.")
        || version.starts_with("3.1.")
        || version == "3.0"
        || version == "3.1")
    {
        return Err(Diagnostic::error(
            "#/openapi",
            format!("OpenAPI version {version} is not supported (supported: {SUPPORTED_VERSIONS})"),
        ));
    }
    Ok(())
}

/// A short name for the JSON type of a value, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        load(text).unwrap_err()
    }

    #[test]
    fn integer_keys_become_strings() {
        let v = load("openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n").unwrap();
        assert!(v["paths"]["/a"]["get"]["responses"]["200"].is_object());
    }

    #[test]
    fn malformed_yaml_reports_line_and_column() {
        let d = err("openapi: 3.1.0\ninfo:\n  title: [unclosed\n");
        assert!(d.message.starts_with("malformed YAML"), "{d}");
        assert!(d.line.is_some(), "{d:?}");
    }

    #[test]
    fn empty_binary_and_non_objects_are_refused() {
        assert!(err("   \n").message.contains("empty"));
        assert!(err("a\0b").message.contains("NUL"));
        assert!(
            err("- 1\n- 2\n")
                .message
                .contains("a list, not an OpenAPI object")
        );
    }

    #[test]
    fn versions_are_checked() {
        let d = err("swagger: '2.0'\ninfo: {}\n");
        assert_eq!(d.pointer, "#/swagger");
        assert!(d.message.contains("Swagger 2.0"), "{d}");
        assert!(d.message.contains("3.0.x and 3.1.x"));
        let d = err("openapi: 4.0.0\n");
        assert!(d.message.contains("4.0.0 is not supported"), "{d}");
        let d = err("info: {}\n");
        assert!(
            d.message.contains("`openapi` version field is missing"),
            "{d}"
        );
        assert!(load("openapi: 3.0.3\n").is_ok());
        assert!(load("openapi: 3.1.1\n").is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let depth = 10_000;
        let text = format!(
            "openapi: 3.1.0\nx: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let d = err(&text);
        assert!(d.message.contains("recursion limit"), "{d}");
    }
}
