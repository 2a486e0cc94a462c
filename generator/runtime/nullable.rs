//! A field that may be absent, `null`, or a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The type of an optional field that also accepts `null`, so that a request
/// can say "leave it", "clear it" or "set it":
///
/// - [`Nullable::Absent`]: the field is not sent (the default);
/// - [`Nullable::Null`]: the field is sent as `null`;
/// - [`Nullable::Value`]: the field is sent with the value.
///
/// Fields of this type carry `#[serde(default, skip_serializing_if =
/// "Nullable::is_absent")]`, so a missing field reads as `Absent` and an
/// `Absent` field is not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Nullable<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// `Some` as a value, `None` as an explicit `null`.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }

    /// The value, if there is one (`Absent` and `Null` both give `None`).
    pub fn value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            // `Absent` is skipped by the field attribute; alone it is `null`.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Nullable::from_option(Option::<T>::deserialize(
            deserializer,
        )?))
    }
}
