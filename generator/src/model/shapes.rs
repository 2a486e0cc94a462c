//! One type for one shape: inline schemas that are copies of each other
//! (the same property name, the same fields, variants and serde attributes;
//! docs aside) give one type, named after the property (`BillingValueUnit`).
//!
//! Only anonymous types take part: component schemas are the API's
//! vocabulary and stay distinct. Copies under different property names stay
//! distinct as well, so that what a type is called depends on its own
//! property and shape only: a new copy joins the existing type and never
//! renames it.

use super::schema::Draft;
use crate::ir::{Docs, Operation, TypeId, TypeRef};
use crate::naming::{self, Case};
use crate::pointer::Pointer;
use std::collections::HashMap;

/// The name an inline schema shares with its copies: the property (or
/// parameter, named in `parameters`) it is the value of, with `item`/`value`
/// for array items and map values (`.../properties/tags/items` -> `tags
/// item`). `None` for schemas that are not such a value (bodies, responses,
/// union alternatives).
fn property_hint(pointer: &Pointer, parameters: &HashMap<Pointer, String>) -> Option<String> {
    let tokens = pointer.tokens();
    let mut i = schema_root(&tokens)?;
    let root = tokens[..i]
        .iter()
        .fold(Pointer::root(), |p, token| p.push(token));
    let mut words: Option<Vec<String>> = parameters.get(&root).map(|name| vec![name.clone()]);
    while i < tokens.len() {
        match tokens[i].as_str() {
            "properties" => {
                words = Some(vec![tokens.get(i + 1)?.clone()]);
                i += 2;
            }
            "items" | "additionalProperties" => {
                let word = if tokens[i] == "items" {
                    "item"
                } else {
                    "value"
                };
                if let Some(words) = words.as_mut() {
                    words.push(word.into());
                }
                i += 1;
            }
            // A member of an `allOf` describes the value itself.
            "allOf" => i += 2,
            // An alternative of a union is named by the union.
            _ => {
                words = None;
                i += 2;
            }
        }
    }
    words.map(|w| w.join(" "))
}

/// Where the schema starts in a pointer's tokens: after
/// `components/schemas/{name}`, or after the `schema` of a media type,
/// parameter or header.
fn schema_root(tokens: &[String]) -> Option<usize> {
    if tokens.len() >= 3 && tokens[0] == "components" && tokens[1] == "schemas" {
        return Some(3);
    }
    (2..tokens.len())
        .find(|k| {
            tokens[*k] == "schema"
                && matches!(
                    tokens[*k - 2].as_str(),
                    "content" | "parameters" | "headers"
                )
        })
        .map(|k| k + 1)
}

/// Names the inline drafts' property hints (`parameters`: the parameter
/// schemas' parameter names), merges the copies among `drafts` into their
/// first (by naming rank) and renumbers every reference, in the drafts and
/// in `ops`. Nested copies merge
/// first, so that objects holding copies are copies too. Returns the drafts
/// left and how many were merged.
pub(super) fn merge_copies(
    mut drafts: Vec<Draft>,
    ops: &mut [Operation],
    parameters: &HashMap<Pointer, String>,
) -> (Vec<Draft>, usize) {
    for draft in drafts.iter_mut().filter(|d| d.inline) {
        draft.property_hint = property_hint(&draft.origin, parameters);
    }
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|i| drafts[*i].rank);
    let mut into: Vec<usize> = (0..drafts.len()).collect();
    loop {
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut merged = false;
        for &i in &order {
            if into[i] != i {
                continue;
            }
            let Some(key) = shape_key(&drafts[i], &into) else {
                continue;
            };
            match first.get(&key) {
                Some(&kept) => {
                    into[i] = kept;
                    merged = true;
                }
                None => {
                    first.insert(key, i);
                }
            }
        }
        if !merged {
            break;
        }
    }

    let total = drafts.len();
    let mut new_id = vec![usize::MAX; total];
    let mut kept = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.into_iter().enumerate() {
        if into[i] == i {
            new_id[i] = kept.len();
            kept.push(draft);
        }
    }
    let remap = |t: &mut TypeRef| {
        if let TypeRef::Named(id) = t.innermost_mut() {
            *id = TypeId(new_id[root(&into, id.0)]);
        }
    };
    kept.iter_mut()
        .flat_map(|d| d.kind.refs_mut())
        .chain(ops.iter_mut().flat_map(Operation::refs_mut))
        .for_each(remap);
    let merged = total - kept.len();
    (kept, merged)
}

/// The draft a draft was merged into, through merges of merges.
fn root(into: &[usize], mut i: usize) -> usize {
    while into[i] != i {
        i = into[i];
    }
    i
}

/// What two copies have in common, as text; `None` for drafts that are not
/// anonymous property values.
fn shape_key(draft: &Draft, into: &[usize]) -> Option<String> {
    let hint = draft.property_hint.as_deref()?;
    let mut kind = draft.kind.clone();
    for t in kind.refs_mut() {
        if let TypeRef::Named(id) = t.innermost_mut() {
            *id = TypeId(root(into, id.0));
        }
    }
    if let crate::ir::TypeKind::Struct(s) = &mut kind {
        for f in &mut s.fields {
            f.docs = Docs::default();
            f.example = None;
        }
    }
    let shape = (
        naming::ident(hint, Case::Type),
        draft.view,
        draft.deprecated,
        &draft.constraints,
        &kind,
    );
    Some(serde_json::to_string(&shape).expect("the IR serialises"))
}
