//! The formats (`format:`) that give a value a Rust type of its own: the one
//! table from a JSON type and format to the Rust primitive. A format in the
//! table is carried by the Rust type; any other is noted in the docs.

use crate::ir::Primitive;

/// The JSON types whose format can choose the Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
}

impl JsonType {
    /// The Rust type without a format of the table.
    fn plain(self) -> Primitive {
        match self {
            JsonType::String => Primitive::String,
            JsonType::Integer => Primitive::I64,
            JsonType::Number => Primitive::F64,
        }
    }
}

/// Format to Rust type, per JSON type.
const FORMATS: [(JsonType, &str, Primitive); 17] = [
    (JsonType::String, "date-time", Primitive::DateTime),
    (JsonType::String, "date", Primitive::Date),
    (JsonType::String, "uuid", Primitive::Uuid),
    (JsonType::String, "uuid4", Primitive::Uuid),
    (JsonType::String, "binary", Primitive::Binary),
    (JsonType::Integer, "int8", Primitive::I8),
    (JsonType::Integer, "int16", Primitive::I16),
    (JsonType::Integer, "int32", Primitive::I32),
    (JsonType::Integer, "int64", Primitive::I64),
    (JsonType::Integer, "int", Primitive::I64),
    (JsonType::Integer, "uint8", Primitive::U8),
    (JsonType::Integer, "uint16", Primitive::U16),
    (JsonType::Integer, "uint32", Primitive::U32),
    (JsonType::Integer, "uint64", Primitive::U64),
    (JsonType::Integer, "uint", Primitive::U64),
    (JsonType::Number, "float", Primitive::F32),
    (JsonType::Number, "double", Primitive::F64),
];

/// The Rust type of a value of `json` type with `format`.
pub fn primitive(json: JsonType, format: Option<&str>) -> Primitive {
    FORMATS
        .iter()
        .find(|(t, name, _)| *t == json && Some(*name) == format)
        .map_or(json.plain(), |(_, _, p)| *p)
}

/// Whether a Rust type carries the format's meaning, so the docs need not
/// name it.
pub fn is_typed(format: &str) -> bool {
    FORMATS.iter().any(|(_, name, _)| *name == format)
}
