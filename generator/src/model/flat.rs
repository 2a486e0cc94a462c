//! One flat view of an `openapiv3` schema.
//!
//! `openapiv3` stores a schema in one of several shapes (`Type::String`,
//! `Type::Object`, ..., or `AnySchema` when keywords mix). Lowering reads every
//! shape through [`Flat`], so each rule is written once.

use super::format;
use crate::ir::{Bound, Constraints};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::{Number, Value};

/// A schema or a `$ref` to one, borrowed from wherever it sits.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// `additionalProperties`.
#[derive(Debug, Clone, Copy)]
pub enum Additional<'a> {
    /// `true`, or a schema that accepts anything.
    Any,
    /// `false`.
    None,
    Schema(SchemaRef<'a>),
}

#[derive(Debug)]
pub struct Flat<'a> {
    pub data: &'a SchemaData,
    pub typ: Option<&'a str>,
    pub format: Option<&'a str>,
    /// `enum` values, `null` included.
    pub enumeration: Vec<Value>,
    pub properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub required: &'a [String],
    pub additional: Option<Additional<'a>>,
    pub items: Option<SchemaRef<'a>>,
    pub all_of: Vec<SchemaRef<'a>>,
    pub any_of: Vec<SchemaRef<'a>>,
    pub one_of: Vec<SchemaRef<'a>>,
    pub has_not: bool,
    /// Bounds, lengths, `pattern`, and a format the Rust type does not carry.
    pub constraints: Constraints,
}

const NO_REQUIRED: &[String] = &[];

impl<'a> Flat<'a> {
    pub fn of(schema: &'a Schema) -> Flat<'a> {
        let mut flat = Flat {
            data: &schema.schema_data,
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: NO_REQUIRED,
            additional: None,
            items: None,
            all_of: Vec::new(),
            any_of: Vec::new(),
            one_of: Vec::new(),
            has_not: false,
            constraints: Constraints::default(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                flat.typ = Some("string");
                flat.format = string_format(&s.format);
                flat.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
                flat.constraints.min_length = s.min_length;
                flat.constraints.max_length = s.max_length;
                flat.constraints.pattern = s.pattern.clone();
            }
            SchemaKind::Type(Type::Number(n)) => {
                flat.typ = Some("number");
                flat.format = number_format(&n.format);
                flat.enumeration = n
                    .enumeration
                    .iter()
                    .map(|v| {
                        v.and_then(serde_json::Number::from_f64)
                            .map_or(Value::Null, Value::Number)
                    })
                    .collect();
                let c = &mut flat.constraints;
                c.minimum = bound(n.minimum.and_then(Number::from_f64), n.exclusive_minimum);
                c.maximum = bound(n.maximum.and_then(Number::from_f64), n.exclusive_maximum);
                c.multiple_of = n.multiple_of.and_then(Number::from_f64);
            }
            SchemaKind::Type(Type::Integer(i)) => {
                flat.typ = Some("integer");
                flat.format = integer_format(&i.format);
                flat.enumeration = i
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
                let c = &mut flat.constraints;
                c.minimum = bound(i.minimum.map(Number::from), i.exclusive_minimum);
                c.maximum = bound(i.maximum.map(Number::from), i.exclusive_maximum);
                c.multiple_of = i.multiple_of.map(Number::from);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                flat.typ = Some("boolean");
                flat.enumeration = b
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                flat.typ = Some("object");
                flat.properties = o
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.into()))
                    .collect();
                flat.required = &o.required;
                flat.additional = o.additional_properties.as_ref().map(additional);
                flat.constraints.min_properties = o.min_properties;
                flat.constraints.max_properties = o.max_properties;
            }
            SchemaKind::Type(Type::Array(a)) => {
                flat.typ = Some("array");
                flat.items = a.items.as_ref().map(Into::into);
                flat.constraints.min_items = a.min_items;
                flat.constraints.max_items = a.max_items;
                flat.constraints.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => flat.one_of = one_of.iter().map(Into::into).collect(),
            SchemaKind::AllOf { all_of } => flat.all_of = all_of.iter().map(Into::into).collect(),
            SchemaKind::AnyOf { any_of } => flat.any_of = any_of.iter().map(Into::into).collect(),
            SchemaKind::Not { .. } => flat.has_not = true,
            SchemaKind::Any(a) => {
                flat.typ = a.typ.as_deref();
                flat.format = a.format.as_deref();
                flat.enumeration = a.enumeration.clone();
                flat.properties = a
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.into()))
                    .collect();
                flat.required = &a.required;
                flat.additional = a.additional_properties.as_ref().map(additional);
                flat.items = a.items.as_ref().map(Into::into);
                flat.all_of = a.all_of.iter().map(Into::into).collect();
                flat.any_of = a.any_of.iter().map(Into::into).collect();
                flat.one_of = a.one_of.iter().map(Into::into).collect();
                flat.has_not = a.not.is_some();
                flat.constraints = Constraints {
                    min_length: a.min_length,
                    max_length: a.max_length,
                    pattern: a.pattern.clone(),
                    minimum: bound(
                        a.minimum.and_then(Number::from_f64),
                        a.exclusive_minimum.unwrap_or(false),
                    ),
                    maximum: bound(
                        a.maximum.and_then(Number::from_f64),
                        a.exclusive_maximum.unwrap_or(false),
                    ),
                    min_items: a.min_items,
                    max_items: a.max_items,
                    min_properties: a.min_properties,
                    max_properties: a.max_properties,
                    ..Constraints::default()
                };
            }
        }
        flat.constraints.format = flat
            .format
            .filter(|f| !format::is_typed(f))
            .map(format::parse);
        flat
    }

    /// `format: password` (or an alias of it): kept out of `Debug` output.
    pub fn is_password(&self) -> bool {
        self.format.map(format::parse) == Some(crate::ir::Format::Password)
    }

    /// The constraints in words (`length 1..=128`), for doc comments.
    pub fn constraint_notes(&self) -> Vec<String> {
        let c = &self.constraints;
        let mut out = length_constraints("length", c.min_length, c.max_length);
        if let Some(p) = &c.pattern {
            out.push(format!("pattern `{p}`"));
        }
        if let Some(min) = &c.minimum {
            let min = fmt_number(&min.value);
            out.push(if c.minimum.as_ref().is_some_and(|b| b.exclusive) {
                format!("greater than {min}")
            } else {
                format!("at least {min}")
            });
        }
        if let Some(max) = &c.maximum {
            let max = fmt_number(&max.value);
            out.push(if c.maximum.as_ref().is_some_and(|b| b.exclusive) {
                format!("less than {max}")
            } else {
                format!("at most {max}")
            });
        }
        if let Some(m) = &c.multiple_of {
            out.push(format!("multiple of {}", fmt_number(m)));
        }
        out.extend(length_constraints("items", c.min_items, c.max_items));
        if c.unique_items {
            out.push("unique items".into());
        }
        out.extend(length_constraints(
            "properties",
            c.min_properties,
            c.max_properties,
        ));
        out
    }

    /// The schema allows only `null` (`type: 'null'` after normalising).
    pub fn is_null_only(&self) -> bool {
        self.typ.is_none()
            && !self.enumeration.is_empty()
            && self.enumeration.iter().all(Value::is_null)
            && self.properties.is_empty()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
            && self.one_of.is_empty()
    }

    pub fn nullable(&self) -> bool {
        self.data.nullable || self.enumeration.iter().any(Value::is_null)
    }

    /// Says nothing about the value's shape: only annotations (description,
    /// nullable, readOnly, ...). Such a schema beside a `$ref` in an `allOf`
    /// does not change the referenced type.
    pub fn is_annotation_only(&self) -> bool {
        self.typ.is_none_or(|t| t == "object")
            && self.format.is_none()
            && self.enumeration.is_empty()
            && self.properties.is_empty()
            && self.required.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
            && self.one_of.is_empty()
            && !self.has_not
    }
}

fn additional(a: &AdditionalProperties) -> Additional<'_> {
    match a {
        AdditionalProperties::Any(true) => Additional::Any,
        AdditionalProperties::Any(false) => Additional::None,
        AdditionalProperties::Schema(s) => match s.as_ref() {
            ReferenceOr::Reference { reference } => Additional::Schema(SchemaRef::Ref(reference)),
            ReferenceOr::Item(schema) => {
                let flat = Flat::of(schema);
                if flat.is_annotation_only() && flat.typ.is_none() {
                    Additional::Any
                } else {
                    Additional::Schema(SchemaRef::Inline(schema))
                }
            }
        },
    }
}

fn string_format(f: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn number_format(f: &VariantOrUnknownOrEmpty<NumberFormat>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Some("float"),
        VariantOrUnknownOrEmpty::Item(NumberFormat::Double) => Some("double"),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn integer_format(f: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// A bound or step as the spec wrote it: integers as integers, and a float
/// with no fraction without one (`1`, not `1.0`).
fn fmt_number(n: &Number) -> String {
    match n.as_f64() {
        Some(v) if n.is_f64() && v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        _ => n.to_string(),
    }
}

fn bound(value: Option<Number>, exclusive: bool) -> Option<Bound> {
    value.map(|value| Bound { value, exclusive })
}

fn length_constraints(what: &str, min: Option<usize>, max: Option<usize>) -> Vec<String> {
    match (min, max) {
        (None, None) => vec![],
        (Some(min), None) => vec![format!("{what} at least {min}")],
        (None, Some(max)) => vec![format!("{what} at most {max}")],
        (Some(min), Some(max)) => vec![format!("{what} {min}..={max}")],
    }
}
