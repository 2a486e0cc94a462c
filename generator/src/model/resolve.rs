//! `$ref` resolution inside one document.
//!
//! Component references (`#/components/schemas/Name`, `#/components/parameters/Name`,
//! ...) are looked up in the parsed document. Any other local pointer to a schema
//! (`#/components/schemas/a/properties/b`, `#/paths/...`) is read from the
//! normalised JSON once, up front, so every lookup can hand out a borrow.
//! References to other files or URLs are refused with a clear message.

use super::flat::SchemaRef;
use crate::pointer::Pointer;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use percent_encoding::percent_decode_str;
use serde_json::Value;
use std::collections::HashMap;

/// Most `$ref` hops followed before giving up (`a -> b -> c ...`).
const MAX_HOPS: usize = 32;

pub struct Resolver<'a> {
    pub api: &'a OpenAPI,
    doc: &'a Value,
    /// Schemas at pointers other than `#/components/schemas/<name>`.
    other: &'a HashMap<Pointer, Schema>,
}

/// Schemas referenced at pointers that are not plain component schemas, read
/// from the normalised document before lowering starts.
pub fn collect_other_schemas(doc: &Value) -> HashMap<Pointer, Schema> {
    let mut refs = Vec::new();
    collect_refs(doc, &mut refs, 0);
    let mut out = HashMap::new();
    for reference in refs {
        let Ok(pointer) = local_pointer(&reference) else {
            continue;
        };
        if component_name(&pointer, "schemas").is_some() || out.contains_key(&pointer) {
            continue;
        }
        let tokens = pointer.tokens();
        let is_other_component =
            tokens.len() == 3 && tokens[0] == "components" && tokens[1] != "schemas";
        if is_other_component {
            continue;
        }
        if let Some(value) = lookup(doc, &pointer) {
            if let Ok(schema) = serde_json::from_value::<Schema>(value.clone()) {
                out.insert(pointer, schema);
            }
        }
    }
    out
}

fn collect_refs(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            for v in map.values() {
                collect_refs(v, out, depth + 1);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out, depth + 1)),
        _ => {}
    }
}

/// The `#/...` pointer of a local reference, percent-decoded; an error message
/// for references to other documents.
pub fn local_pointer(reference: &str) -> Result<Pointer, String> {
    if !reference.starts_with('#') {
        return Err(format!(
            "`$ref: {reference}` points to another document; only references inside the same document (`#/...`) are supported. Bundle the spec into one file first (for example `redocly bundle`)"
        ));
    }
    let decoded = percent_decode_str(reference).decode_utf8_lossy();
    Pointer::parse(&decoded)
        .ok_or_else(|| format!("`$ref: {reference}` is not a JSON pointer (`#/...`)"))
}

/// `Some(name)` when `pointer` is `#/components/<section>/<name>`.
pub fn component_name(pointer: &Pointer, section: &str) -> Option<String> {
    let tokens = pointer.tokens();
    match tokens.as_slice() {
        [c, s, name] if c == "components" && s == section => Some(name.clone()),
        _ => None,
    }
}

/// The node at a `#/...` pointer.
pub fn lookup<'v>(doc: &'v Value, pointer: &Pointer) -> Option<&'v Value> {
    let mut node = doc;
    for token in pointer.tokens() {
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

impl<'a> Resolver<'a> {
    pub fn new(api: &'a OpenAPI, doc: &'a Value, other: &'a HashMap<Pointer, Schema>) -> Self {
        Resolver { api, doc, other }
    }

    /// The schema a `$ref` names, with its pointer. The result may itself be a
    /// reference (a component that is only a `$ref`); callers follow it.
    pub fn schema(&self, reference: &str) -> Result<(SchemaRef<'a>, Pointer), String> {
        let pointer = local_pointer(reference)?;
        if let Some(name) = component_name(&pointer, "schemas") {
            let schemas = self.api.components.as_ref().map(|c| &c.schemas);
            return match schemas.and_then(|s| s.get(&name)) {
                Some(s) => Ok((s.into(), pointer)),
                None => Err(format!(
                    "`$ref: {reference}` points to no schema (there is no component schema `{name}`)"
                )),
            };
        }
        match self.other.get(&pointer) {
            Some(s) => Ok((SchemaRef::Inline(s), pointer)),
            None if lookup(self.doc, &pointer).is_some() => {
                Err(format!("`$ref: {reference}` does not point to a schema"))
            }
            None => Err(format!(
                "`$ref: {reference}` points to nothing in this document"
            )),
        }
    }

    /// Follows a chain of schema references to the first inline schema.
    /// Returns the pointer of the last hop.
    pub fn schema_target(&self, reference: &str) -> Result<(&'a Schema, Pointer), String> {
        let mut seen: Vec<Pointer> = Vec::new();
        let mut current = reference.to_string();
        for _ in 0..MAX_HOPS {
            let (target, pointer) = self.schema(&current)?;
            if seen.contains(&pointer) {
                seen.push(pointer);
                return Err(format!(
                    "`$ref` cycle that never reaches a schema: {}",
                    joined(&seen)
                ));
            }
            seen.push(pointer.clone());
            match target {
                SchemaRef::Inline(schema) => return Ok((schema, pointer)),
                SchemaRef::Ref(next) => current = next.to_string(),
            }
        }
        Err(format!(
            "`$ref: {reference}` goes through more than {MAX_HOPS} references"
        ))
    }

    /// Resolves a reference to a component of another kind (parameters,
    /// responses, request bodies, headers), following chains.
    pub fn component<T>(
        &self,
        section: &str,
        pick: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        reference: &str,
    ) -> Result<(&'a T, Pointer), String> {
        let mut current = reference.to_string();
        let mut seen: Vec<Pointer> = Vec::new();
        for _ in 0..MAX_HOPS {
            let pointer = local_pointer(&current)?;
            let Some(name) = component_name(&pointer, section) else {
                return Err(format!(
                    "`$ref: {current}` must point to `#/components/{section}/<name>`"
                ));
            };
            if seen.contains(&pointer) {
                seen.push(pointer);
                return Err(format!("`$ref` cycle: {}", joined(&seen)));
            }
            seen.push(pointer.clone());
            let found = self
                .api
                .components
                .as_ref()
                .map(&pick)
                .and_then(|m| m.get(&name));
            match found {
                None => {
                    return Err(format!(
                        "`$ref: {current}` points to nothing (there is no `{name}` in `components/{section}`)"
                    ));
                }
                Some(ReferenceOr::Item(item)) => return Ok((item, pointer)),
                Some(ReferenceOr::Reference { reference }) => current = reference.clone(),
            }
        }
        Err(format!(
            "`$ref: {reference}` goes through more than {MAX_HOPS} references"
        ))
    }
}

/// Pointers as a path of hops (`#/a -> #/b`).
fn joined(pointers: &[Pointer]) -> String {
    let texts: Vec<&str> = pointers.iter().map(Pointer::as_str).collect();
    texts.join(" -> ")
}
