//! Lenient decoding of LUNA timestamps: RFC 3339 (`2018-08-11T09:11:41.674Z`,
//! `2024-01-31T12:00:00.123456+03:00`), or ISO 8601 without an offset, read as UTC.

use serde::{Deserialize, Deserializer};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    parse_naive(text).map(PrimitiveDateTime::assume_utc)
}

/// `YYYY-MM-DD[T| ]hh:mm:ss[.fraction]` (1 to 9 fraction digits), no offset.
fn parse_naive(text: &str) -> Option<PrimitiveDateTime> {
    let b = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        let digits = b.get(from..to)?;
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if b.len() < 19 || separators.iter().any(|&(at, c)| b[at] != c) || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    let nanosecond = match &b[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            number(20, b.len())? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let month = Month::try_from(u8::try_from(number(5, 7)?).ok()?).ok()?;
    let date = Date::from_calendar_date(number(0, 4)? as i32, month, number(8, 10)? as u8).ok()?;
    date.with_hms_nano(
        number(11, 13)? as u8,
        number(14, 16)? as u8,
        number(17, 19)? as u8,
        nanosecond,
    )
    .ok()
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
        assert_eq!(
            parse("2024-01-31T12:00:00.123456789"),
            Some(datetime!(2024-01-31 12:00:00.123456789 UTC))
        );
        for bad in [
            "yesterday",
            "2024-01-31",
            "2024-01-31X12:00:00",
            "2024-13-01T12:00:00",
            "2024-02-30T12:00:00",
            "2024-01-31T24:00:00",
            "2024-01-31T12:00:00.",
            "2024-01-31T12:00:00.1234567890",
            "2024-01-31T12:00:00 ",
            "2024-01-31T12:0a:00",
            "2024-01-31T12:00:00.éé",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
