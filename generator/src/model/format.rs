//! Formats (`format:`): the one table from a keyword to an [`ir::Format`],
//! and the one rule for which formats give a value a Rust type of its own
//! (a [`Primitive`]). A format with a type is carried by it; any other is
//! noted in the docs and kept in the value's constraints.

use crate::ir::{Format, Primitive};

/// The JSON types whose format can choose the Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
}

impl JsonType {
    /// The Rust type without a format that has one.
    fn plain(self) -> Primitive {
        match self {
            JsonType::String => Primitive::String,
            JsonType::Integer => Primitive::I64,
            JsonType::Number => Primitive::F64,
        }
    }
}

/// Keyword to format, aliases included.
const KEYWORDS: [(&str, Format); 28] = [
    ("date-time", Format::DateTime),
    ("date", Format::Date),
    ("uuid", Format::Uuid),
    ("uuid4", Format::Uuid),
    ("binary", Format::Binary),
    ("byte", Format::Byte),
    ("password", Format::Password),
    ("email", Format::Email),
    ("idn-email", Format::Email),
    ("hostname", Format::Hostname),
    ("idn-hostname", Format::Hostname),
    ("ipv4", Format::Ipv4),
    ("ipv6", Format::Ipv6),
    ("uri", Format::Uri),
    ("url", Format::Uri),
    ("iri", Format::Uri),
    ("int8", Format::Int8),
    ("int16", Format::Int16),
    ("int32", Format::Int32),
    ("int64", Format::Int64),
    ("int", Format::Int64),
    ("uint8", Format::Uint8),
    ("uint16", Format::Uint16),
    ("uint32", Format::Uint32),
    ("uint64", Format::Uint64),
    ("uint", Format::Uint64),
    ("float", Format::Float),
    ("double", Format::Double),
];

/// The format a keyword names.
pub fn parse(keyword: &str) -> Format {
    KEYWORDS
        .iter()
        .find(|(k, _)| *k == keyword)
        .map_or_else(|| Format::Other(keyword.to_string()), |(_, f)| f.clone())
}

/// The Rust type a format gives a value of `json` type, if it gives one.
fn typed(format: &Format, json: JsonType) -> Option<Primitive> {
    use JsonType::{Integer, Number, String};
    Some(match (format, json) {
        (Format::DateTime, String) => Primitive::DateTime,
        (Format::Date, String) => Primitive::Date,
        (Format::Uuid, String) => Primitive::Uuid,
        (Format::Binary, String) => Primitive::Binary,
        (Format::Int8, Integer) => Primitive::I8,
        (Format::Int16, Integer) => Primitive::I16,
        (Format::Int32, Integer) => Primitive::I32,
        (Format::Int64, Integer) => Primitive::I64,
        (Format::Uint8, Integer) => Primitive::U8,
        (Format::Uint16, Integer) => Primitive::U16,
        (Format::Uint32, Integer) => Primitive::U32,
        (Format::Uint64, Integer) => Primitive::U64,
        (Format::Float, Number) => Primitive::F32,
        (Format::Double, Number) => Primitive::F64,
        _ => return None,
    })
}

/// The Rust type of a value of `json` type with `format`.
pub fn primitive(json: JsonType, format: Option<&str>) -> Primitive {
    format
        .and_then(|f| typed(&parse(f), json))
        .unwrap_or(json.plain())
}

/// Whether a Rust type carries the format's meaning (for a value of some
/// JSON type), so the docs need not name it.
pub fn is_typed(format: &str) -> bool {
    let format = parse(format);
    [JsonType::String, JsonType::Integer, JsonType::Number]
        .into_iter()
        .any(|json| typed(&format, json).is_some())
}
