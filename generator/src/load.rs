//! Stage 1: spec text to a JSON value.
//!
//! `yaml_serde` reads the YAML (JSON is YAML too) and drives a visitor that
//! builds the JSON value directly. The visitor turns mapping keys into
//! strings (YAML allows keys that JSON does not: `200:` unquoted is an
//! integer key, common in `responses`), so every later stage works on plain
//! JSON with JSON pointers. It also counts nodes: aliases (`*name`) are
//! expanded into copies, and a 100 kB document of aliases can otherwise
//! expand into gigabytes. Nesting deeper than 128 levels (`yaml_serde`'s
//! limit) is refused by a quick pass with `saphyr-parser` first, which also
//! refuses a second document in the file.

use crate::diagnostics::{Diagnostic, Pointer};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// The OpenAPI versions the generator reads.
pub const SUPPORTED_VERSIONS: &str = "3.0.x and 3.1.x";

/// Nodes that expanding aliases may add beyond what the text spells out.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Parses YAML (or JSON, which is YAML) into a JSON value and checks that it
/// looks like an OpenAPI 3.0 or 3.1 document.
pub fn load(text: &str) -> Result<Value, Diagnostic> {
    // A byte order mark, as some editors write: `yaml_serde` would take it
    // for a document of its own.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error(Pointer::root(), "the document is empty"));
    }
    if let Some(offset) = text.find('\0') {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        return Err(Diagnostic::error(
            "#",
            format!("the document contains a NUL byte at offset {offset}; it is binary, not YAML"),
        )
        .at_line(line, column));
    }
    // The precise pass parses the whole text again: run it only when the
    // text has enough flow openers to nest too deep (block nesting is
    // refused quickly by `yaml_serde` itself).
    let flow_openers = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if flow_openers > MAX_DEPTH {
        check_structure(text)?;
    }
    // A node takes at least one character of text, so a document without
    // aliases never has more nodes than characters.
    let budget = Budget {
        remaining: Cell::new(text.len().saturating_add(MAX_ALIAS_NODES)),
    };
    let value = Node { budget: &budget }
        .deserialize(yaml_serde::Deserializer::from_str(text))
        .map_err(|e| {
            let location = e.location();
            let message = if budget.remaining.get() == 0 {
                format!(
                    "the document is too large once its aliases (`*name`) are expanded: they add more than {MAX_ALIAS_NODES} nodes"
                )
            } else {
                let text_of_error = e.to_string();
                if location.is_none()
                    || text_of_error.contains("more than one document")
                    || text_of_error.contains("recursion limit exceeded")
                {
                    // Say where the second document starts, or the first
                    // level too deep.
                    if let Err(d) = check_structure(text) {
                        return d;
                    }
                }
                let full = e.to_string();
                // The position is reported in its own fields; a second one
                // (where an unclosed list began) stays in the message.
                let own = location
                    .as_ref()
                    .map(|l| format!(" at line {} column {}", l.line(), l.column()));
                let message = match &own {
                    Some(own) => full.replacen(own.as_str(), "", 1),
                    None => full,
                };
                format!("malformed YAML: {message}")
            };
            match location {
                Some(loc) => Diagnostic::error(Pointer::root(), message).at_line(loc.line(), loc.column()),
                None => Diagnostic::error(Pointer::root(), message),
            }
        })?;
    check_openapi_version(&value)?;
    Ok(value)
}

/// Lists and mappings nested deeper than this are refused (`yaml_serde`'s
/// limit too).
pub const MAX_DEPTH: usize = 128;

/// Refuses nesting deeper than [`MAX_DEPTH`] before `yaml_serde` reads the
/// text: its parser (libyaml's design) checks every open flow collection
/// (`[`, `{`) at every token, so 50,000 nested brackets take minutes before
/// its own depth limit is reached. This pass stops at the first level too
/// many, and at a second document. Text it cannot read is left to
/// `yaml_serde`, which says what is wrong.
fn check_structure(text: &str) -> Result<(), Diagnostic> {
    use saphyr_parser::{Event, Marker, Parser};
    let too_deep = |at: &Marker| {
        Diagnostic::error(
            "#",
            format!("the document nests lists and mappings deeper than {MAX_DEPTH} levels"),
        )
        .at_line(at.line(), at.col() + 1)
    };
    let mut depth = 0usize;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(event) => event,
            // The scanner reads ahead, and stops at 255 open brackets.
            Err(e) if e.info() == "recursion limit exceeded" => return Err(too_deep(e.marker())),
            Err(_) => return Ok(()),
        };
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(&span.start));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Diagnostic::error(
                        "#",
                        "the file holds more than one YAML document (a second one starts here); a spec is one document",
                    )
                    .at_line(span.start.line(), span.start.col() + 1));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// How many more nodes the document may have.
struct Budget {
    remaining: Cell<usize>,
}

impl Budget {
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.remaining.get().checked_sub(1) {
            Some(left) if left > 0 => {
                self.remaining.set(left);
                Ok(())
            }
            _ => {
                self.remaining.set(0);
                Err(E::custom("too many nodes"))
            }
        }
    }
}

/// One YAML node, read into a JSON value.
#[derive(Clone, Copy)]
struct Node<'b> {
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Number(u.into()))
    }

    // Integers beyond 64 bits are kept as the nearest double, as JSON
    // readers do.
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        self.visit_f64(i as f64)
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        self.visit_f64(u as f64)
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        self.budget.take()?;
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {f} has no JSON form")))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.budget.take()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.budget.take()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let value = map.next_value_seed(self)?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate key `{key}` in a mapping"
                )));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    // Tags (`!foo`) carry no meaning in OpenAPI; keep the tagged value.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, content) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(content, self)
    }
}

/// A mapping key, as the string JSON needs: `200` -> `"200"`, `true` ->
/// `"true"`, `~` -> `"null"`.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null as a mapping key (OpenAPI keys are strings)")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<String, E> {
        Ok(i.to_string())
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<String, E> {
        Ok(u.to_string())
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<String, E> {
        Ok(i.to_string())
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<String, E> {
        Ok(u.to_string())
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<String, E> {
        Ok(yaml_serde::Number::from(f).to_string())
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<String, E> {
        Ok(s)
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        self.visit_unit()
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (_tag, content) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(content, self)
    }
}

/// The key text `load` makes of a plain (unquoted) YAML scalar key, for
/// finding keys in the source again.
pub(crate) fn plain_key(text: &str) -> Option<String> {
    Key.deserialize(yaml_serde::Deserializer::from_str(text))
        .ok()
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
        let d = err("openapi: 3.1.0\ninfo:\n  title: [unclosed\nx: 1\n");
        assert_eq!(
            d.message,
            "malformed YAML: did not find expected ',' or ']', while parsing a flow sequence at line 3 column 10",
            "{d}"
        );
        assert_eq!((d.line, d.column), (Some(4), Some(2)), "{d:?}");
    }

    #[test]
    fn empty_binary_and_non_objects_are_refused() {
        assert!(err("   \n").message.contains("empty"));
        let d = err("a: 1\nbc\0");
        assert!(d.message.contains("NUL byte at offset 7"), "{d}");
        assert_eq!((d.line, d.column), (Some(2), Some(3)));
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
    fn keys_numbers_and_tags_become_json() {
        let v = load("openapi: 3.0.3\nx:\n  true: a\n  ~: b\n  1.5: c\n  !tag k: !other d\n  big: 123456789012345678901234567890\n").unwrap();
        assert_eq!(v["x"]["true"], "a");
        assert_eq!(v["x"]["null"], "b");
        assert_eq!(v["x"]["1.5"], "c");
        assert_eq!(v["x"]["k"], "d");
        assert_eq!(v["x"]["big"].as_f64(), Some(1.2345678901234568e29));
    }

    #[test]
    fn keys_equal_after_conversion_are_duplicates() {
        let d = err("openapi: 3.0.3\nresponses:\n  200: {}\n  '200': {}\n");
        assert!(d.message.contains("duplicate key `200`"), "{d}");
        assert_eq!(d.line, Some(3), "{d:?}");
        let d = err("openapi: 3.0.3\nx:\n  [a]: b\n");
        assert!(d.message.contains("OpenAPI keys are strings"), "{d}");
        let d = err("openapi: 3.0.3\nx: .nan\n");
        assert!(d.message.contains("no JSON form"), "{d}");
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // 2000 aliases of a 2000-item list: 4 million nodes from 12 kB.
        let items = vec!["1"; 2000].join(",");
        let aliases = vec!["*a"; 2000].join(",");
        let text = format!("openapi: 3.1.0\nx-a: &a [{items}]\nx-b: [{aliases}]\n");
        let d = err(&text);
        assert!(d.message.contains("aliases"), "{d}");
        assert!(d.line.is_some(), "{d:?}");
        // Aliases within the budget are expanded.
        let v = load("openapi: 3.1.0\nx-a: &a [1, 2]\nx-b: [*a, *a]\n").unwrap();
        assert_eq!(v["x-b"], serde_json::json!([[1, 2], [1, 2]]));
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_a_second_document_refused() {
        assert!(load("\u{feff}openapi: 3.1.0\n").is_ok());
        let d = err("openapi: 3.1.0\n---\nopenapi: 3.0.0\n");
        assert!(d.message.contains("more than one YAML document"), "{d}");
        assert_eq!(d.line, Some(2), "{d:?}");
        // An explicit start and end of one document is one document.
        assert!(load("---\nopenapi: 3.1.0\n...\n").is_ok());
    }

    #[test]
    fn the_deepest_allowed_nesting_loads_on_a_small_stack() {
        // The test thread's 2 MB, in a debug build.
        let text = format!(
            "openapi: 3.1.0\nx: {}1{}\n",
            "[{a: ".repeat(63),
            "}]".repeat(63)
        );
        let v = load(&text).unwrap();
        assert!(v["x"][0]["a"].is_array());
        let text = format!(
            "openapi: 3.1.0\nx: {}1{}\n",
            "[".repeat(128),
            "]".repeat(128)
        );
        assert!(err(&text).message.contains("deeper than 128"));
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
        assert!(d.message.contains("deeper than 128 levels"), "{d}");
    }
}
