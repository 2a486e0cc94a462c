//! Decoding untagged unions (`oneOf`/`anyOf` without a discriminator) by
//! evidence, not by order.
//!
//! Trying alternatives in document order picks the first that accepts a
//! payload, and an object whose fields are all optional accepts every
//! object: what only a later alternative knows would be dropped. Instead,
//! each alternative is described by its wire shape, and the alternatives a
//! payload fits are tried best first:
//!
//! 1. an object alternative fits when every property it requires is present
//!    and it knows every property of the payload (or keeps unknown ones),
//!    with a value of the right kind, nested objects checked the same way a
//!    few levels deep; among those, the one that knows the most of the
//!    payload's properties (at any depth, a string listed by an enum
//!    counting once more) first, then the one that names the fewest
//!    properties at any depth (the closest fit), then document order; arrays
//!    are judged by their items;
//! 2. a whole number is tried as an integer before it is tried as a float, so
//!    no integer loses precision;
//! 3. an alternative that takes any JSON value (a nested union,
//!    `serde_json::Value`) comes last.
//!
//! When no alternative fits and decodes, the union keeps the payload as sent
//! in its `Unknown` variant, so re-encoding gives back what was received.
//!
//! The generated `Deserialize` impls call [`decode`]; it is public so that
//! the rule is documented with the crate.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The wire shape of one alternative, as far as choosing needs it.
#[derive(Debug, Clone, Copy)]
pub enum UntaggedShape {
    /// An object naming `fields` (with the shape of each value), of which
    /// `required` must be present; `open` when it also keeps properties it
    /// does not name.
    Object {
        fields: &'static [(&'static str, UntaggedShape)],
        required: &'static [&'static str],
        open: bool,
    },
    /// An array whose items have the shape.
    Array(&'static UntaggedShape),
    String,
    /// A string enum: a listed value is evidence for the alternative; any
    /// other string fits too (the enum keeps it).
    StringIn(&'static [&'static str]),
    Integer,
    Number,
    Bool,
    /// Any JSON value.
    Any,
}

/// Decodes an untagged union: reads the value, tries `alternative(index,
/// value)` for the alternatives it fits, best first (see [`ranked`]), and
/// keeps it as `unknown(value)` when none decodes.
pub fn decode<'de, D, T>(
    deserializer: D,
    shapes: &[UntaggedShape],
    alternative: impl Fn(usize, &Value) -> Option<T>,
    unknown: fn(Value) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    Ok(ranked(&value, shapes)
        .into_iter()
        .find_map(|index| alternative(index, &value))
        .unwrap_or_else(|| unknown(value)))
}

/// The indices of the alternatives `value` fits, best first.
pub fn ranked(value: &Value, shapes: &[UntaggedShape]) -> Vec<usize> {
    // (tier, properties known (more is better), own properties, index)
    let mut fits: Vec<(u8, std::cmp::Reverse<usize>, usize, usize)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(index, shape)| {
            let tier = match (shape, value) {
                (UntaggedShape::Number, _) => 1,
                (UntaggedShape::Any, _) => 2,
                _ => 0,
            };
            let own = size(shape);
            let known = fits(shape, value)?;
            Some((tier, std::cmp::Reverse(known), own, index))
        })
        .collect();
    fits.sort_unstable();
    fits.into_iter().map(|(.., index)| index).collect()
}

/// How many properties the shape names, at any depth: of two shapes that
/// know as much of a payload, the smaller is the closer fit.
fn size(shape: &UntaggedShape) -> usize {
    match shape {
        UntaggedShape::Object { fields, .. } => {
            fields.len() + fields.iter().map(|(_, f)| size(f)).sum::<usize>()
        }
        UntaggedShape::Array(item) => size(item),
        _ => 0,
    }
}

/// Whether `value` fits `shape`, and if so how many of its properties (at
/// any depth) the shape knows.
fn fits(shape: &UntaggedShape, value: &Value) -> Option<usize> {
    match (shape, value) {
        (
            UntaggedShape::Object {
                fields,
                required,
                open,
            },
            Value::Object(map),
        ) => {
            if !required.iter().all(|r| map.contains_key(*r)) {
                return None;
            }
            let mut known = 0;
            for (key, value) in map {
                match fields.iter().find(|(name, _)| name == key) {
                    // `null` is for the field's decoder to judge.
                    Some(_) if value.is_null() => known += 1,
                    Some((_, field)) => known += 1 + fits(field, value)?,
                    None if *open => {}
                    None => return None,
                }
            }
            Some(known)
        }
        (UntaggedShape::Array(item), Value::Array(items)) => {
            let mut known = 0;
            for value in items {
                known += fits(item, value)?;
            }
            Some(known)
        }
        (UntaggedShape::String, Value::String(_))
        | (UntaggedShape::Bool, Value::Bool(_))
        | (UntaggedShape::Number, Value::Number(_))
        | (UntaggedShape::Any, _) => Some(0),
        (UntaggedShape::StringIn(values), Value::String(s)) => {
            Some(usize::from(values.contains(&s.as_str())))
        }
        (UntaggedShape::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Some(0),
        _ => None,
    }
}
