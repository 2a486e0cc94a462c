//! Schema-valid JSON instances of the IR's types, for tests that decode
//! them with a generated crate and check that re-encoding gives them back.
//!
//! Instances are deterministic and set every field the depth allows (so
//! that a field the generated type drops is noticed), with a value of the
//! field's format that meets its constraints (bounds, lengths, item counts,
//! and `pattern`, sampled with `rand_regex` from a fixed seed). For each alternative of an untagged union there is an
//! instance of its own, with the alternative it must decode into (see
//! [`union_cases`]).

use crate::ir::{Api, Constraints, Format, Param, Primitive, TypeId, TypeKind, TypeRef};
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
    value(api, ty, &NONE, 0)
}

static NONE: Constraints = Constraints {
    format: None,
    minimum: None,
    maximum: None,
    multiple_of: None,
    min_length: None,
    max_length: None,
    pattern: None,
    min_items: None,
    max_items: None,
    unique_items: false,
    min_properties: None,
    max_properties: None,
    items: None,
};

/// A value for a parameter: the spec's example when it fits, else an
/// instance of its type.
pub fn param_instance(api: &Api, param: &Param) -> Option<Value> {
    fitting_example(api, &param.ty, param.example.as_ref())
        .or_else(|| value(api, &param.ty, &param.constraints, 0))
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
            let instance = value(api, &v.ty, &NONE, 0)?;
            Some((v.name.clone(), u.variants[expected].name.clone(), instance))
        })
        .collect()
}

fn value(api: &Api, ty: &TypeRef, c: &Constraints, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match ty {
        TypeRef::Primitive(p) => primitive(*p, c),
        TypeRef::Array(item) => {
            let items = c.items.as_deref().unwrap_or(&NONE);
            let Some(one) = value(api, item, items, depth + 1) else {
                return Some(Value::Array(Vec::new()));
            };
            let count = c
                .min_items
                .unwrap_or(1)
                .max(1)
                .min(c.max_items.unwrap_or(usize::MAX));
            Value::Array(
                (0..count)
                    .map(|i| {
                        if c.unique_items {
                            distinct(&one, i)
                        } else {
                            one.clone()
                        }
                    })
                    .collect(),
            )
        }
        TypeRef::Map(item) => {
            let mut map = Map::new();
            let values = c.items.as_deref().unwrap_or(&NONE);
            if let Some(v) = value(api, item, values, depth + 1) {
                for i in 0..c.min_properties.unwrap_or(1).max(1) {
                    let key = if i == 0 {
                        "key".to_string()
                    } else {
                        format!("key{i}")
                    };
                    map.insert(key, v.clone());
                }
            }
            Value::Object(map)
        }
        TypeRef::Nullable(inner) => value(api, inner, c, depth)?,
        TypeRef::Any => json!({"any": [1, "two"]}),
        TypeRef::Named(id) => named(api, *id, c, depth)?,
    })
}

/// The `i`th of distinct values like `one` (for `uniqueItems`): numbers
/// count up, strings take a suffix; other values repeat.
fn distinct(one: &Value, i: usize) -> Value {
    match one {
        Value::Number(n) if n.is_u64() || n.is_i64() => {
            json!(n.as_i64().unwrap_or_default().saturating_add(i as i64))
        }
        Value::String(s) if i > 0 => json!(format!("{s}{i}")),
        _ => one.clone(),
    }
}

fn primitive(p: Primitive, c: &Constraints) -> Value {
    match p {
        Primitive::String => json!(string(c)),
        Primitive::Bool => json!(true),
        Primitive::F32 | Primitive::F64 => json!(float(c)),
        Primitive::DateTime => json!("2024-01-02T03:04:05Z"),
        Primitive::Date => json!("2024-01-02"),
        Primitive::Uuid => json!("0b6e6f3a-8f3e-4f6a-9d3c-2a1b0c9d8e7f"),
        // `format: binary` inside JSON is bytes as numbers in the Rust type.
        Primitive::Binary => json!([104, 105]),
        integer => integer_value(integer, c).map_or(json!(7), |i| json!(i)),
    }
}

/// A string of the format, matching the pattern, of an allowed length.
fn string(c: &Constraints) -> String {
    let text = match &c.format {
        Some(Format::Email) => "verify@example.com",
        Some(Format::Hostname) => "example.com",
        Some(Format::Ipv4) => "192.0.2.1",
        Some(Format::Ipv6) => "2001:db8::1",
        Some(Format::Uri) => "https://example.com/verify",
        Some(Format::Byte) => "dmVyaWZ5",
        _ => "text",
    };
    let (min, max) = (
        c.min_length.unwrap_or(0),
        c.max_length.unwrap_or(usize::MAX),
    );
    if let Some(sampled) = c.pattern.as_deref().and_then(|p| matching(p, min, max)) {
        return sampled;
    }
    let mut text: String = text.chars().take(max).collect();
    while text.chars().count() < min {
        text.push('x');
    }
    text
}

/// A string that `pattern` matches, of `min..=max` characters: sampled from
/// a fixed seed, so the same spec gives the same value. `None` when the
/// pattern is not one `regex_syntax` reads (or has anchors inside) or no
/// sample fits the length.
fn matching(pattern: &str, min: usize, max: usize) -> Option<String> {
    use rand::{RngExt as _, SeedableRng as _};
    // `rand_regex` refuses anchors; a whole string sampled from what they
    // enclose matches the anchored pattern.
    let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    let pattern = match pattern.strip_suffix('$') {
        Some(inner) if !inner.ends_with('\\') => inner,
        _ => pattern,
    };
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .build()
        .parse(pattern)
        .ok()?;
    let regex = rand_regex::Regex::with_hir(hir, 8).ok()?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    (0..64)
        .map(|_| rng.sample::<String, _>(&regex))
        .find(|s| (min..=max).contains(&s.chars().count()))
}

/// 7, or the nearest value the bounds and `multipleOf` allow, in the
/// type's range.
fn integer_value(p: Primitive, c: &Constraints) -> Option<i128> {
    let number = |n: &serde_json::Number| n.as_f64();
    let mut lo = c.minimum.as_ref().and_then(|b| {
        let v = number(&b.value)?;
        Some(if b.exclusive {
            v.floor() as i128 + 1
        } else {
            v.ceil() as i128
        })
    });
    let hi = c.maximum.as_ref().and_then(|b| {
        let v = number(&b.value)?;
        Some(if b.exclusive {
            v.ceil() as i128 - 1
        } else {
            v.floor() as i128
        })
    });
    if !p.holds(-1) {
        lo = Some(lo.unwrap_or(0).max(0));
    }
    let mut v = 7i128
        .max(lo.unwrap_or(i128::MIN))
        .min(hi.unwrap_or(i128::MAX));
    if let Some(step) = c
        .multiple_of
        .as_ref()
        .and_then(|m| m.as_f64())
        .map(|m| m as i128)
    {
        if step > 0 && v % step != 0 {
            v += step - v.rem_euclid(step);
        }
    }
    p.holds(v).then_some(v)
}

/// 1.5, or a value inside the bounds (halfway when both are given).
fn float(c: &Constraints) -> f64 {
    let lo = c
        .minimum
        .as_ref()
        .and_then(|b| Some((b.value.as_f64()?, b.exclusive)));
    let hi = c
        .maximum
        .as_ref()
        .and_then(|b| Some((b.value.as_f64()?, b.exclusive)));
    let inside = |v: f64| {
        lo.is_none_or(|(l, x)| if x { v > l } else { v >= l })
            && hi.is_none_or(|(h, x)| if x { v < h } else { v <= h })
    };
    let step = c
        .multiple_of
        .as_ref()
        .and_then(|m| m.as_f64())
        .filter(|m| *m > 0.0);
    let candidates = [
        Some(1.5),
        Some(1.0),
        lo.map(|(l, _)| l),
        lo.map(|(l, _)| l + 1.0),
        lo.zip(hi).map(|((l, _), (h, _))| (l + h) / 2.0),
        hi.map(|(h, _)| h),
        hi.map(|(h, _)| h - 1.0),
    ];
    let fits = |v: f64| inside(v) && step.is_none_or(|m| (v / m).fract() == 0.0);
    candidates
        .into_iter()
        .flatten()
        .chain(step.into_iter().flat_map(|m| {
            let start = lo.map_or(0.0, |(l, _)| (l / m).ceil());
            (0..3).map(move |k| (start + f64::from(k)) * m)
        }))
        .find(|v| fits(*v))
        .unwrap_or(1.5)
}

/// An instance of the untagged union `id` that exactly one of its
/// alternatives accepts, if the synthesiser finds one: the instance of an
/// alternative with every field set, or with its required fields only (so
/// that optional fields another alternative requires are left out).
pub fn distinct_instance(api: &Api, id: TypeId, depth: usize) -> Option<Value> {
    let TypeKind::Union(u) = &api.ty(id).kind else {
        return None;
    };
    let shapes: Vec<untagged::WireShape> = u
        .variants
        .iter()
        .map(|v| untagged::wire_shape(api, &v.ty))
        .collect();
    let accepted_once =
        |value: &Value| shapes.iter().filter(|s| untagged::fits(s, value)).count() == 1;
    u.variants.iter().find_map(|v| {
        [depth + 1, FULL_DEPTH.max(depth + 1)]
            .into_iter()
            .filter_map(|d| value(api, &v.ty, &NONE, d))
            .find(|instance| accepted_once(instance))
    })
}

fn named(api: &Api, id: TypeId, c: &Constraints, depth: usize) -> Option<Value> {
    match &api.ty(id).kind {
        TypeKind::Struct(s) => {
            let mut map = Map::new();
            // Of a `oneOf` of required lists, the first list is met and the
            // properties only the others require are left out.
            let chosen: &[String] = s.one_of_required.first().map_or(&[], Vec::as_slice);
            let excluded = |wire: &str| {
                !chosen.iter().any(|c| c == wire)
                    && s.one_of_required
                        .iter()
                        .skip(1)
                        .any(|l| l.iter().any(|r| r == wire))
            };
            for f in &s.fields {
                let wanted = f.required || depth < FULL_DEPTH || chosen.contains(&f.wire);
                if !wanted || excluded(&f.wire) {
                    continue;
                }
                let synthesised = fitting_example(api, &f.ty, f.example.as_ref())
                    .or_else(|| fitting_example(api, &f.ty, f.default.as_ref()))
                    .or_else(|| value(api, &f.ty, &f.constraints, depth + 1));
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
            // Properties beside the named ones, up to `minProperties`.
            if let Some(values) = &s.additional {
                let wanted = s.min_properties.or(c.min_properties).unwrap_or(0);
                let mut i = 0;
                while map.len() < wanted {
                    let Some(v) = value(api, values, &NONE, depth + 1) else {
                        break;
                    };
                    i += 1;
                    map.insert(format!("key{i}"), v);
                }
            }
            Some(Value::Object(map))
        }
        TypeKind::Enum(e) => Some(e.variants.first()?.value.to_json()),
        TypeKind::Union(u) => {
            // Untagged: the first alternative with an instance that no other
            // alternative accepts (a `oneOf` needs one), all fields set or
            // the required ones only.
            if u.tag.is_none() {
                if let Some(unique) = distinct_instance(api, id, depth) {
                    return Some(unique);
                }
            }
            // Else the first alternative that has an instance, with its tag.
            u.variants.iter().find_map(|v| {
                let mut instance = value(api, &v.ty, &NONE, depth + 1)?;
                if let (Some(tag), Some(first), Value::Object(map)) =
                    (&u.tag, v.tags.first(), &mut instance)
                {
                    map.insert(tag.clone(), json!(first));
                }
                Some(instance)
            })
        }
        // The position's constraints, else the alias's own.
        TypeKind::Alias(inner) if *c == NONE => value(api, inner, &api.ty(id).constraints, depth),
        TypeKind::Alias(inner) => value(api, inner, c, depth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Bound;

    #[test]
    fn strings_meet_pattern_format_and_length() {
        let anchored = Constraints {
            pattern: Some(r"^\d+(ms|s|m|h|d|w|M|y)?$".into()),
            ..Constraints::default()
        };
        let value = string(&anchored);
        assert!(
            !value.is_empty() && value.chars().next().unwrap().is_ascii_digit(),
            "{value}"
        );
        let email = Constraints {
            format: Some(Format::Email),
            ..Constraints::default()
        };
        assert_eq!(string(&email), "verify@example.com");
        let long = Constraints {
            min_length: Some(12),
            ..Constraints::default()
        };
        assert_eq!(string(&long).len(), 12);
    }

    #[test]
    fn numbers_meet_bounds_and_steps() {
        let bound = |v: i64, exclusive| {
            Some(Bound {
                value: v.into(),
                exclusive,
            })
        };
        let c = Constraints {
            minimum: bound(10, true),
            multiple_of: Some(5.into()),
            ..Constraints::default()
        };
        assert_eq!(integer_value(Primitive::I64, &c), Some(15));
        let c = Constraints {
            maximum: bound(0, false),
            ..Constraints::default()
        };
        assert_eq!(integer_value(Primitive::I32, &c), Some(0));
        let c = Constraints {
            minimum: bound(2, false),
            maximum: bound(3, false),
            ..Constraints::default()
        };
        assert_eq!(float(&c), 2.0);
    }
}
