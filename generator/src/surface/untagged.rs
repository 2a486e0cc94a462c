//! How the alternatives of an untagged union are told apart on the wire.
//!
//! The generated `Deserialize` of an untagged union hands one [`WireShape`]
//! per alternative to the runtime's `untagged::ranked`
//! (`generator/runtime/untagged.rs`), which tries the alternatives a payload
//! fits, best first. The model reads the same shapes to warn about
//! alternatives no payload can tell apart.

use crate::ir::{Api, Primitive, TypeId, TypeKind, TypeRef};

/// The JSON an alternative accepts, as far as choosing needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireShape {
    /// An object naming `fields` (wire names, with the shape of each
    /// value), of which `required` must be present; `open` when it keeps
    /// properties it does not name.
    Object {
        fields: Vec<(String, WireShape)>,
        required: Vec<String>,
        open: bool,
    },
    /// An array whose items have the shape.
    Array(Box<WireShape>),
    String,
    /// A string enum: a listed value is evidence for the alternative; any
    /// other string fits too (the enum keeps it).
    StringIn(Vec<String>),
    Integer,
    Number,
    Bool,
    /// Any JSON value (a nested union, a nullable value, `serde_json::Value`).
    Any,
}

/// How deep the shapes of nested objects are described at most: deep enough
/// to tell apart error bodies like `{"errors": {"sources": {"<host>":
/// {"backup": [...]}}}}` and `{"errors": {"sources": {"<host>": {"enabled":
/// [...]}}}}`; a type met again inside itself (through structs, or aliases
/// of arrays) is `Any` there, so recursive types end sooner.
const DEPTH: usize = 8;

/// The wire shape of the values of `ty`.
pub fn wire_shape(api: &Api, ty: &TypeRef) -> WireShape {
    shape_at(api, ty, &mut Vec::new())
}

fn shape_at(api: &Api, ty: &TypeRef, path: &mut Vec<TypeId>) -> WireShape {
    match ty {
        TypeRef::Named(id) => {
            let kind = &api.ty(*id).kind;
            let nests = matches!(kind, TypeKind::Struct(_) | TypeKind::Alias(_));
            if nests && (path.len() >= DEPTH || path.contains(id)) {
                // Recursion (through structs, or aliases of arrays and maps).
                return WireShape::Any;
            }
            path.push(*id);
            let shape = match kind {
                TypeKind::Struct(s) => WireShape::Object {
                    fields: s
                        .fields
                        .iter()
                        .filter(|f| !f.flatten)
                        .map(|f| (f.wire.clone(), shape_at(api, &f.ty, path)))
                        .collect(),
                    required: s
                        .fields
                        .iter()
                        .filter(|f| f.required && !f.flatten && f.default.is_none())
                        .map(|f| f.wire.clone())
                        .collect(),
                    open: s.additional.is_some() || s.fields.iter().any(|f| f.flatten),
                },
                TypeKind::Enum(e) if e.is_integer() => WireShape::Integer,
                TypeKind::Enum(e) => {
                    WireShape::StringIn(e.variants.iter().map(|v| v.value.to_string()).collect())
                }
                TypeKind::Union(_) => WireShape::Any,
                TypeKind::Alias(inner) => shape_at(api, inner, path),
            };
            path.pop();
            shape
        }
        TypeRef::Primitive(p) => match p {
            Primitive::String
            | Primitive::DateTime
            | Primitive::Date
            | Primitive::Uuid
            | Primitive::Binary => WireShape::String,
            Primitive::Bool => WireShape::Bool,
            Primitive::F32 | Primitive::F64 => WireShape::Number,
            _ => WireShape::Integer,
        },
        TypeRef::Array(item) => WireShape::Array(Box::new(shape_at(api, item, path))),
        TypeRef::Map(_) => WireShape::Object {
            fields: Vec::new(),
            required: Vec::new(),
            open: true,
        },
        TypeRef::Nullable(_) | TypeRef::Any => WireShape::Any,
    }
}

/// The shape with object fields in name order, to compare shapes.
fn canonical(shape: &WireShape) -> WireShape {
    match shape {
        WireShape::Object {
            fields,
            required,
            open,
        } => {
            let mut fields: Vec<(String, WireShape)> = fields
                .iter()
                .map(|(name, s)| (name.clone(), canonical(s)))
                .collect();
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            let mut required = required.clone();
            required.sort();
            WireShape::Object {
                fields,
                required,
                open: *open,
            }
        }
        WireShape::Array(item) => WireShape::Array(Box::new(canonical(item))),
        WireShape::StringIn(values) => {
            let mut values = values.clone();
            values.sort();
            WireShape::StringIn(values)
        }
        other => other.clone(),
    }
}

/// Groups of alternatives (indices, in order) of an untagged union that no
/// payload can tell apart: objects (or arrays of them) of the same shape,
/// nested objects included.
pub fn indistinguishable(api: &Api, variants: &[TypeRef]) -> Vec<Vec<usize>> {
    let shapes: Vec<WireShape> = variants
        .iter()
        .map(|t| canonical(&wire_shape(api, t)))
        .collect();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        // Scalars of one kind are one alternative by then (the model merges
        // them).
        if !matches!(shape, WireShape::Object { .. } | WireShape::Array(_)) {
            continue;
        }
        match groups.iter_mut().find(|g| shapes[g[0]] == *shape) {
            Some(group) => group.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// Whether a JSON value is one of those the shape describes, as a JSON
/// Schema validator sees it: required properties present, named ones of
/// their shapes, others allowed; a string enum takes its listed values only.
pub fn fits(shape: &WireShape, value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (shape, value) {
        (WireShape::Any, _) => true,
        (
            WireShape::Object {
                fields, required, ..
            },
            Value::Object(map),
        ) => {
            required.iter().all(|r| map.contains_key(r))
                && fields
                    .iter()
                    .all(|(name, shape)| map.get(name).is_none_or(|v| fits(shape, v)))
        }
        (WireShape::Array(item), Value::Array(items)) => items.iter().all(|v| fits(item, v)),
        (WireShape::String, Value::String(_)) => true,
        (WireShape::StringIn(values), Value::String(s)) => values.contains(s),
        (WireShape::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (WireShape::Number, Value::Number(_)) => true,
        (WireShape::Bool, Value::Bool(_)) => true,
        _ => false,
    }
}
