//! Lenient decoding of LUNA timestamps: RFC 3339 (`2018-08-11T09:11:41.674Z`,
//! `2024-01-31T12:00:00.123456+03:00`), or ISO 8601 without an offset, read as UTC.

use serde::{Deserialize, Deserializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let naive = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T] [ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    PrimitiveDateTime::parse(text, naive)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// `#[serde(default, deserialize_with = "...::option")]` for optional times.
pub(crate) fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("unrecognised time {text:?}"))),
    }
}

/// Serializes an optional time as RFC 3339 UTC.
pub(crate) fn serialize_option<S: serde::Serializer>(
    value: &Option<OffsetDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(t) => s.serialize_str(&crate::query::format_time(*t)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn accepts_rfc3339_and_naive_times() {
        assert_eq!(
            parse("2018-08-11T09:11:41.674Z"),
            Some(datetime!(2018-08-11 09:11:41.674 UTC))
        );
        assert_eq!(
            parse("2024-01-31T15:00:00.123456+03:00"),
            Some(datetime!(2024-01-31 12:00:00.123456 UTC))
        );
        assert_eq!(
            parse("2024-01-31T12:00:00"),
            Some(datetime!(2024-01-31 12:00:00 UTC))
        );
        assert_eq!(
            parse("2024-01-31 12:00:00.5"),
            Some(datetime!(2024-01-31 12:00:00.5 UTC))
        );
        assert_eq!(parse("yesterday"), None);
    }
}
