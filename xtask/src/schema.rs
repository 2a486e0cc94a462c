//! JSON Schema validation of values against the schemas of an OpenAPI
//! document (with `jsonschema`): what `verify` asks of a body that did not
//! decode, and what the examples and synthesiser tests check.

use generator::pointer::Pointer;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The schemas of one document, ready to validate against.
pub struct Schemas {
    registry: jsonschema::Registry<'static>,
}

/// How strictly `oneOf` is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OneOf {
    /// Exactly one alternative, as JSON Schema says.
    Strict,
    /// At least one, as `anyOf`: Gcore's specs list alternatives that
    /// overlap (error bodies differing only in their text) under `oneOf`,
    /// so a value matches several; the client tells them apart by
    /// evidence, and a value is no less valid for it.
    Relaxed,
}

impl Schemas {
    /// The schemas of `doc` (the loaded document, as `generator::load`
    /// gives it).
    pub fn new(doc: &Value, one_of: OneOf) -> Result<Schemas, String> {
        let mut doc = doc.clone();
        if one_of == OneOf::Relaxed {
            one_of_as_any_of(&mut doc);
        }
        let registry = jsonschema::Registry::new()
            .add("urn:spec", doc)
            .and_then(|r| r.prepare())
            .map_err(|e| e.to_string())?;
        Ok(Schemas { registry })
    }

    /// A validator for the schema at `pointer` (`#/components/...`).
    pub fn validator(&self, pointer: &str, formats: bool) -> Result<jsonschema::Validator, String> {
        jsonschema::options()
            .with_registry(&self.registry)
            .should_validate_formats(formats)
            .build(&json!({ "$ref": format!("urn:spec{}", uri_fragment(pointer)) }))
            .map_err(|e| format!("{pointer}: {e}"))
    }
}

fn one_of_as_any_of(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(alternatives) = map.remove("oneOf") {
                map.entry("anyOf").or_insert(alternatives);
            }
            map.values_mut().for_each(one_of_as_any_of);
        }
        Value::Array(items) => items.iter_mut().for_each(one_of_as_any_of),
        _ => {}
    }
}

/// A `#/...` pointer as a URI fragment: characters a fragment cannot hold
/// (`{`, `}`, spaces...) percent-encoded.
fn uri_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for c in pointer.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?#".contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `value`, or what its local `$ref` points to (with that pointer).
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Option<(&'a Value, Option<Pointer>)> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = Pointer::parse(reference)?;
            Some((doc.pointer(&pointer[1..])?, Some(pointer)))
        }
        None => Some((value, None)),
    }
}
