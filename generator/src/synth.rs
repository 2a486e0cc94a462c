//! Schema-valid JSON instances of the IR's types, for tests that decode
//! them with a generated crate and check that re-encoding gives them back.
//!
//! Instances are deterministic and set every field the depth allows (so
//! that a field the generated type drops is noticed), with a value of the
//! field's format. For each alternative of an untagged union there is an
//! instance of its own, with the alternative it must decode into (see
//! [`union_cases`]).

use crate::ir::{Api, Param, Primitive, TypeId, TypeKind, TypeRef};
use crate::surface::untagged;
use serde_json::{Map, Value, json};

/// Nesting below this depth sets required fields only, and an optional
/// recursive field is left out: every instance is finite.
const FULL_DEPTH: usize = 4;
/// Below this depth even required fields stop (a recursive type whose
/// recursion is required has no finite instance).
const MAX_DEPTH: usize = 12;

/// An instance of `ty`, or `None` when it has no finite one.
pub fn instance(api: &Api, ty: &TypeRef) -> Option<Value> {
    value(api, ty, 0)
}

/// A value for a parameter: the spec's example when it fits, else an
/// instance of its type.
pub fn param_instance(api: &Api, param: &Param) -> Option<Value> {
    fitting_example(api, &param.ty, param.example.as_ref()).or_else(|| instance(api, &param.ty))
}

/// The spec's example of a scalar position, when the generated type holds
/// it as written (so that it also encodes back the same): a string for a
/// plain `String`, an integer in range for an integer, a float for a float,
/// a boolean, one of an enum's values. Examples of other forms (date-times
/// in any of their spellings, objects that may leave out required fields)
/// are not used: the synthesised value is.
fn fitting_example(api: &Api, ty: &TypeRef, example: Option<&Value>) -> Option<Value> {
    let example = example?;
    let fits = match ty {
        TypeRef::Primitive(Primitive::String) => example.is_string(),
        TypeRef::Primitive(Primitive::Bool) => example.is_boolean(),
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => example.is_f64(),
        TypeRef::Primitive(p) if p.is_integer() => {
            example.as_i64().is_some_and(|i| p.holds(i128::from(i)))
                || example.as_u64().is_some_and(|u| p.holds(i128::from(u)))
        }
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Enum(e) => e.variants.iter().any(|v| v.value.to_json() == *example),
            TypeKind::Alias(inner) => return fitting_example(api, inner, Some(example)),
            _ => false,
        },
        _ => false,
    };
    fits.then(|| example.clone())
}

/// One case per alternative of the untagged union `id`: the alternative's
/// name, the name of the alternative the instance must decode into (itself,
/// or the first of the alternatives with the same shape, which no payload
/// tells apart), and the instance.
pub fn union_cases(api: &Api, id: TypeId) -> Vec<(String, String, Value)> {
    let TypeKind::Union(u) = &api.ty(id).kind else {
        return Vec::new();
    };
    if u.tag.is_some() {
        return Vec::new();
    }
    let types: Vec<TypeRef> = u.variants.iter().map(|v| v.ty.clone()).collect();
    let groups = untagged::indistinguishable(api, &types);
    u.variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let expected = groups.iter().find(|g| g.contains(&i)).map_or(i, |g| g[0]);
            let instance = value(api, &v.ty, 0)?;
            Some((v.name.clone(), u.variants[expected].name.clone(), instance))
        })
        .collect()
}

fn value(api: &Api, ty: &TypeRef, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match ty {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(item) => Value::Array(value(api, item, depth + 1).into_iter().collect()),
        TypeRef::Map(item) => {
            let mut map = Map::new();
            if let Some(v) = value(api, item, depth + 1) {
                map.insert("key".into(), v);
            }
            Value::Object(map)
        }
        TypeRef::Nullable(inner) => value(api, inner, depth)?,
        TypeRef::Any => json!({"any": [1, "two"]}),
        TypeRef::Named(id) => named(api, *id, depth)?,
    })
}

fn primitive(p: Primitive) -> Value {
    match p {
        Primitive::String => json!("text"),
        Primitive::Bool => json!(true),
        Primitive::F32 | Primitive::F64 => json!(1.5),
        Primitive::DateTime => json!("2024-01-02T03:04:05Z"),
        Primitive::Date => json!("2024-01-02"),
        Primitive::Uuid => json!("0b6e6f3a-8f3e-4f6a-9d3c-2a1b0c9d8e7f"),
        // `format: binary` inside JSON is bytes as numbers in the Rust type.
        Primitive::Binary => json!([104, 105]),
        _ => json!(7),
    }
}

fn named(api: &Api, id: TypeId, depth: usize) -> Option<Value> {
    match &api.ty(id).kind {
        TypeKind::Struct(s) => {
            let mut map = Map::new();
            for f in &s.fields {
                let wanted = f.required || depth < FULL_DEPTH;
                if !wanted {
                    continue;
                }
                let synthesised = fitting_example(api, &f.ty, f.example.as_ref())
                    .or_else(|| value(api, &f.ty, depth + 1));
                match synthesised {
                    // A flattened union's properties sit beside the struct's.
                    Some(Value::Object(inner)) if f.flatten => map.extend(inner),
                    Some(_) if f.flatten => {}
                    Some(v) => {
                        map.insert(f.wire.clone(), v);
                    }
                    None if f.required => return None,
                    None => {}
                }
            }
            Some(Value::Object(map))
        }
        TypeKind::Enum(e) => Some(e.variants.first()?.value.to_json()),
        TypeKind::Union(u) => {
            // The first alternative that has an instance, with its tag.
            u.variants.iter().find_map(|v| {
                let mut instance = value(api, &v.ty, depth + 1)?;
                if let (Some(tag), Some(first), Value::Object(map)) =
                    (&u.tag, v.tags.first(), &mut instance)
                {
                    map.insert(tag.clone(), json!(first));
                }
                Some(instance)
            })
        }
        TypeKind::Alias(inner) => value(api, inner, depth),
    }
}
