//! How the alternatives of an untagged union are told apart on the wire.
//!
//! The generated `Deserialize` of an untagged union hands one [`WireShape`]
//! per alternative to the runtime's `untagged::ranked`
//! (`generator/runtime/untagged.rs`), which tries the alternatives a payload
//! fits, best first. The model reads the same shapes to warn about
//! alternatives no payload can tell apart.

use crate::ir::{Api, Primitive, TypeKind, TypeRef};

/// The JSON an alternative accepts, as far as choosing needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireShape {
    /// An object naming `known` properties (wire names), of which `required`
    /// must be present; `open` when it keeps properties it does not name.
    Object {
        known: Vec<String>,
        required: Vec<String>,
        open: bool,
    },
    Array,
    String,
    Integer,
    Number,
    Bool,
    /// Any JSON value (a nested union, a nullable value, `serde_json::Value`).
    Any,
}

/// The wire shape of the values of `ty`.
pub fn wire_shape(api: &Api, ty: &TypeRef) -> WireShape {
    // Aliases of aliases end; a cycle of them is refused by the model.
    let mut ty = ty;
    loop {
        return match ty {
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Struct(s) => WireShape::Object {
                    known: s
                        .fields
                        .iter()
                        .filter(|f| !f.flatten)
                        .map(|f| f.wire.clone())
                        .collect(),
                    required: s
                        .fields
                        .iter()
                        .filter(|f| f.required && !f.flatten && f.default.is_none())
                        .map(|f| f.wire.clone())
                        .collect(),
                    open: s.additional.is_some() || s.fields.iter().any(|f| f.flatten),
                },
                TypeKind::Enum(e) if e.integer => WireShape::Integer,
                TypeKind::Enum(_) => WireShape::String,
                TypeKind::Union(_) => WireShape::Any,
                TypeKind::Alias(inner) => {
                    ty = inner;
                    continue;
                }
            },
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
            TypeRef::Array(_) => WireShape::Array,
            TypeRef::Map(_) => WireShape::Object {
                known: Vec::new(),
                required: Vec::new(),
                open: true,
            },
            TypeRef::Nullable(_) | TypeRef::Any => WireShape::Any,
        };
    }
}

/// Pairs of alternatives (indices) of an untagged union that no payload can
/// tell apart: objects naming the same properties.
pub fn indistinguishable(api: &Api, variants: &[TypeRef]) -> Vec<(usize, usize)> {
    let shapes: Vec<WireShape> = variants.iter().map(|t| wire_shape(api, t)).collect();
    let mut pairs = Vec::new();
    for (i, a) in shapes.iter().enumerate() {
        for (j, b) in shapes.iter().enumerate().skip(i + 1) {
            let same = match (a, b) {
                (
                    WireShape::Object {
                        known: ka,
                        open: oa,
                        ..
                    },
                    WireShape::Object {
                        known: kb,
                        open: ob,
                        ..
                    },
                ) => {
                    let mut ka = ka.clone();
                    let mut kb = kb.clone();
                    ka.sort();
                    kb.sort();
                    ka == kb && oa == ob
                }
                // Scalars of one kind are one alternative by then (the
                // model merges them), and enums differ by their values.
                _ => false,
            };
            if same {
                pairs.push((i, j));
            }
        }
    }
    pairs
}
