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
//!    and it knows every property of the payload (or keeps unknown ones);
//!    among those, the one that knows the most of the payload's properties
//!    first, then the one with the fewest properties of its own (the closest
//!    fit), then document order;
//! 2. a whole number is tried as an integer before it is tried as a float, so
//!    no integer loses precision;
//! 3. an alternative that takes any JSON value (a nested union,
//!    `serde_json::Value`) comes last.
//!
//! When no alternative fits and decodes, the union keeps the payload as sent
//! in its `Unknown` variant, so re-encoding gives back what was received.
//!
//! The generated `Deserialize` impls call [`ranked`]; it is public so that
//! the rule is documented with the crate.

use serde_json::Value;

/// The wire shape of one alternative, as far as choosing needs it.
#[derive(Debug, Clone, Copy)]
pub enum UntaggedShape {
    /// An object naming `known` properties, of which `required` must be
    /// present; `open` when it also keeps properties it does not name.
    Object {
        known: &'static [&'static str],
        required: &'static [&'static str],
        open: bool,
    },
    Array,
    String,
    Integer,
    Number,
    Bool,
    /// Any JSON value.
    Any,
}

/// The indices of the alternatives `value` fits, best first.
pub fn ranked(value: &Value, shapes: &[UntaggedShape]) -> Vec<usize> {
    // (tier, known properties present (more is better), own properties, index)
    let mut fits: Vec<(u8, std::cmp::Reverse<usize>, usize, usize)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(index, shape)| {
            let fit = match (shape, value) {
                (
                    UntaggedShape::Object {
                        known,
                        required,
                        open,
                    },
                    Value::Object(map),
                ) => {
                    let complete = required.iter().all(|r| map.contains_key(*r));
                    let present = map.keys().filter(|k| known.contains(&k.as_str())).count();
                    (complete && (*open || present == map.len()))
                        .then_some((0, std::cmp::Reverse(present), known.len()))
                }
                (UntaggedShape::Array, Value::Array(_))
                | (UntaggedShape::String, Value::String(_))
                | (UntaggedShape::Bool, Value::Bool(_)) => Some((0, std::cmp::Reverse(0), 0)),
                (UntaggedShape::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {
                    Some((0, std::cmp::Reverse(0), 0))
                }
                (UntaggedShape::Number, Value::Number(_)) => Some((1, std::cmp::Reverse(0), 0)),
                (UntaggedShape::Any, _) => Some((2, std::cmp::Reverse(0), 0)),
                _ => None,
            };
            fit.map(|(tier, present, own)| (tier, present, own, index))
        })
        .collect();
    fits.sort_unstable();
    fits.into_iter().map(|(.., index)| index).collect()
}
