//! Date-times and dates, read in the forms servers really send.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A `format: date-time` value: an instant, or the text of one the client
/// could not read.
///
/// Besides RFC 3339 (`2024-05-01T10:00:00Z`, `2024-05-01T12:00:00+02:00`),
/// decoding accepts an offset without a colon (`+0200`), a space or `t`
/// instead of `T`, any number of fractional digits, and no offset at all,
/// which is read as UTC (`2024-05-01T10:00:00`). Text
/// that is none of these (`2024-05`) does not fail the response: it is kept
/// as [`DateTime::Unreadable`], logged as a `tracing` warning, and sent back
/// unchanged. Anything else that is not a string is a decode error.
///
/// Values are sent as RFC 3339 in UTC (`2024-05-01T10:00:00Z`, with as many
/// fractional digits as needed). Build one from chrono
/// (`DateTime::from(chrono::Utc::now())`, or `.into()` where a `DateTime` is
/// expected) or parse one from text; [`DateTime::value`] gives the instant.
/// Values compare by instant (unreadable ones after every instant, by text),
/// and with chrono's `DateTime<Utc>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateTime {
    /// An instant.
    Value(chrono::DateTime<Utc>),
    /// Text the server sent that is not a date-time, as it was received.
    Unreadable(String),
}

impl DateTime {
    /// The instant, unless the server sent something unreadable.
    pub fn value(&self) -> Option<chrono::DateTime<Utc>> {
        match self {
            DateTime::Value(instant) => Some(*instant),
            DateTime::Unreadable(_) => None,
        }
    }

    /// The text the server sent, when it could not be read as a date-time.
    pub fn unreadable(&self) -> Option<&str> {
        match self {
            DateTime::Value(_) => None,
            DateTime::Unreadable(text) => Some(text),
        }
    }
}

/// Reads a date-time in any of the forms [`DateTime`] accepts.
fn parse_date_time(text: &str) -> Result<chrono::DateTime<Utc>, chrono::ParseError> {
    // chrono's relaxed RFC 3339: `T`, `t` or space; `Z`, `+hh:mm` or `+hhmm`.
    let error = match text.parse::<chrono::DateTime<FixedOffset>>() {
        Ok(instant) => return Ok(instant.to_utc()),
        Err(e) => e,
    };
    // No offset: UTC.
    text.parse::<NaiveDateTime>()
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .map(|naive| naive.and_utc())
        .map_err(|_| error)
}

/// The Unix epoch, like chrono's `DateTime<Utc>`.
impl Default for DateTime {
    fn default() -> Self {
        DateTime::Value(chrono::DateTime::<Utc>::default())
    }
}

impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(instant: chrono::DateTime<Tz>) -> Self {
        DateTime::Value(instant.with_timezone(&Utc))
    }
}

impl PartialEq<chrono::DateTime<Utc>> for DateTime {
    fn eq(&self, other: &chrono::DateTime<Utc>) -> bool {
        self.value().as_ref() == Some(other)
    }
}

/// Unreadable values are not ordered against instants.
impl PartialOrd<chrono::DateTime<Utc>> for DateTime {
    fn partial_cmp(&self, other: &chrono::DateTime<Utc>) -> Option<Ordering> {
        self.value().map(|instant| instant.cmp(other))
    }
}

/// RFC 3339 in UTC, or the unreadable text as received.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateTime::Value(instant) => {
                f.write_str(&instant.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            }
            DateTime::Unreadable(text) => f.write_str(text),
        }
    }
}

/// Any form decoding accepts; unreadable text is an error.
impl FromStr for DateTime {
    type Err = chrono::ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_date_time(text).map(DateTime::Value)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Lenient {
            what: "date-time",
            parse: parse_date_time,
            value: DateTime::Value,
            unreadable: DateTime::Unreadable,
        })
    }
}

/// Reads a string with `parse`, keeping text it cannot read (logged).
struct Lenient<T, V> {
    what: &'static str,
    parse: fn(&str) -> Result<V, chrono::ParseError>,
    value: fn(V) -> T,
    unreadable: fn(String) -> T,
}

impl<T, V> Visitor<'_> for Lenient<T, V> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} string", self.what)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok(match (self.parse)(text) {
            Ok(value) => (self.value)(value),
            Err(error) => {
                tracing::warn!(value = text, %error, "kept a {} the client cannot read as text", self.what);
                (self.unreadable)(text.to_owned())
            }
        })
    }
}

/// A `format: date` value: a calendar date, or the text of one the client
/// could not read.
///
/// Decoding reads `YYYY-MM-DD`; other text (`2024-05`, or a date-time) does
/// not fail the response: it is kept as [`Date::Unreadable`], logged as a
/// `tracing` warning, and sent back unchanged. Anything else that is not a
/// string is a decode error. Values are sent as `YYYY-MM-DD`. Build one from
/// chrono's `NaiveDate` (`Date::from(date)` or `.into()`) or parse one from
/// text; [`Date::value`] gives the date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Date {
    /// A calendar date.
    Value(NaiveDate),
    /// Text the server sent that is not a date, as it was received.
    Unreadable(String),
}

impl Date {
    /// The date, unless the server sent something unreadable.
    pub fn value(&self) -> Option<NaiveDate> {
        match self {
            Date::Value(date) => Some(*date),
            Date::Unreadable(_) => None,
        }
    }

    /// The text the server sent, when it could not be read as a date.
    pub fn unreadable(&self) -> Option<&str> {
        match self {
            Date::Value(_) => None,
            Date::Unreadable(text) => Some(text),
        }
    }
}

/// 1970-01-01, like chrono's `NaiveDate`.
impl Default for Date {
    fn default() -> Self {
        Date::Value(NaiveDate::default())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date::Value(date)
    }
}

impl PartialEq<NaiveDate> for Date {
    fn eq(&self, other: &NaiveDate) -> bool {
        self.value().as_ref() == Some(other)
    }
}

/// Unreadable values are not ordered against dates.
impl PartialOrd<NaiveDate> for Date {
    fn partial_cmp(&self, other: &NaiveDate) -> Option<Ordering> {
        self.value().map(|date| date.cmp(other))
    }
}

/// `YYYY-MM-DD`, or the unreadable text as received.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Date::Value(date) => date.fmt(f),
            Date::Unreadable(text) => f.write_str(text),
        }
    }
}

/// `YYYY-MM-DD`; other text is an error.
impl FromStr for Date {
    type Err = chrono::ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Date::Value)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Lenient {
            what: "date",
            parse: str::parse,
            value: Date::Value,
            unreadable: Date::Unreadable,
        })
    }
}
