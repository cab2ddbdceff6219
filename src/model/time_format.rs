//! LUNA timestamps on the wire, read and written here rather than by the `time` crate (built
//! without its `formatting` and `parsing` features, a third of every cold build's `time`):
//!
//! - in: RFC 3339 (`2018-08-11T09:11:41.674Z`, `2024-01-31T12:00:00.123456+03:00`), as the
//!   `time` crate's `Rfc3339` reads it, or ISO 8601 without an offset, read as UTC
//!   (`2024-01-31 12:00:00.5`);
//! - out: RFC 3339 in UTC with the `Z` suffix, as the `time` crate's `Rfc3339` writes it.

use serde::{Deserialize, Deserializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A timestamp in either accepted form; `None` for anything else.
pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    let b = text.as_bytes();
    // `YYYY-MM-DD?hh:mm:ss`: the separator is any byte in RFC 3339 (RFC 3339, 5.6: "say, a
    // space"), `T` or a space without an offset.
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if b.len() < 19 || separators.iter().any(|&(at, c)| b[at] != c) {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);

    // `.` and at least one digit; digits past the ninth are read and dropped.
    let (mut nanosecond, digits, rest) = match &b[19..] {
        [b'.', fraction @ ..] => {
            let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
            let nanosecond = fraction[..digits.min(9)]
                .iter()
                .zip([100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1])
                .map(|(&d, scale)| u32::from(d - b'0') * scale)
                .sum();
            (nanosecond, Some(digits), &fraction[digits..])
        }
        rest => (0, None, rest),
    };
    let offset = match rest {
        [] => {
            // No offset: UTC, `T` or a space, 1 to 9 fraction digits.
            if !matches!(b[10], b'T' | b' ') || digits.is_some_and(|n| !(1..=9).contains(&n)) {
                return None;
            }
            return calendar(year, month, day)?
                .with_hms_nano(hour as u8, minute as u8, second as u8, nanosecond)
                .ok()
                .map(PrimitiveDateTime::assume_utc);
        }
        _ if digits == Some(0) => return None,
        [b'Z' | b'z'] => UtcOffset::UTC,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| {
                (a.is_ascii_digit() && b.is_ascii_digit()).then(|| ((a - b'0') * 10 + (b - b'0')) as i8)
            };
            let (hours, minutes) = (two(*h1, *h2).filter(|&h| h <= 23)?, two(*m1, *m2)?);
            let sign = if *sign == b'-' { -1 } else { 1 };
            UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()?
        }
        _ => return None,
    };
    // A leap second stands for the second's last nanosecond, and only as the last second of a
    // month in UTC (RFC 3339, 5.7).
    let leap_second = second == 60;
    let second = if leap_second {
        nanosecond = 999_999_999;
        59
    } else {
        second
    };
    let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanosecond).ok()?;
    let value = OffsetDateTime::new_in_offset(calendar(year, month, day)?, time, offset);
    if leap_second {
        let utc = in_utc(value)?;
        let last_of_month = utc.date().next_day().is_none_or(|next| next.day() == 1);
        if (utc.hour(), utc.minute(), utc.second()) != (23, 59, 59) || !last_of_month {
            return None;
        }
    }
    Some(value)
}

/// A valid calendar date.
fn calendar(year: u32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(month as u8).ok()?;
    Date::from_calendar_date(year as i32, month, day as u8).ok()
}

/// The same instant in UTC, `None` outside the range of `time`'s dates.
fn in_utc(value: OffsetDateTime) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(value.unix_timestamp_nanos()).ok()
}

/// RFC 3339 in UTC with the `Z` suffix (`2018-08-11T09:11:41.674Z`: the fraction without its
/// trailing zeros, none for a whole second); `None` when the year in UTC is outside
/// 0000–9999, which RFC 3339 cannot write.
pub(crate) fn format(value: OffsetDateTime) -> Option<String> {
    use std::fmt::Write as _;
    let utc = in_utc(value).filter(|utc| (0..=9999).contains(&utc.year()))?;
    let mut text = String::with_capacity(30);
    let _ = write!(
        text,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    let nanosecond = utc.nanosecond();
    if nanosecond != 0 {
        let _ = write!(text, ".{nanosecond:09}");
        text.truncate(text.trim_end_matches('0').len());
    }
    text.push('Z');
    Some(text)
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

    use time::format_description::well_known::Rfc3339;

    /// What LUNA timestamps were read with before this module read them itself: the `time`
    /// crate's RFC 3339 parser, else the naive form (`YYYY-MM-DD[T| ]hh:mm:ss[.1-9 digits]`).
    fn reference(text: &str) -> Option<OffsetDateTime> {
        if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
            return Some(t);
        }
        let b = text.as_bytes();
        let n = |r: std::ops::Range<usize>| -> Option<u32> {
            let d = b.get(r)?;
            d.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
        };
        if b.len() < 19 || [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')].iter().any(|&(at, c)| b[at] != c) || !matches!(b[10], b'T' | b' ') {
            return None;
        }
        let nanosecond = match &b[19..] {
            [] => 0,
            [b'.', f @ ..] if (1..=9).contains(&f.len()) => n(20..b.len())? * 10u32.pow(9 - f.len() as u32),
            _ => return None,
        };
        let month = Month::try_from(u8::try_from(n(5..7)?).ok()?).ok()?;
        let date = Date::from_calendar_date(n(0..4)? as i32, month, n(8..10)? as u8).ok()?;
        let time = date.with_hms_nano(n(11..13)? as u8, n(14..16)? as u8, n(17..19)? as u8, nanosecond).ok()?;
        Some(time.assume_utc())
    }

    /// Every input one edit away from a set of valid timestamps (each byte replaced, removed,
    /// or a byte inserted), and random multi-byte edits: read as the reference reads them.
    #[test]
    fn reads_timestamps_as_the_time_crate_and_the_naive_form_did() {
        let templates = [
            "2018-08-11T09:11:41.674Z",
            "2024-01-31T15:00:00.123456+03:00",
            "2024-01-31T12:00:00",
            "2024-01-31 12:00:00.5",
            "2016-12-31T23:59:60Z",
            "2016-12-31T20:59:60.25-03:00",
            "2017-01-01T02:59:60+03:00",
            "2016-06-30T23:59:60.000000001z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999-23:59",
            "2024-02-29t12:00:00.1234567891z",
            "2023-02-29T12:00:00Z",
            "2024-01-31T12:00:00.123456789",
        ];
        let alphabet = b"0123456789-:.+TtZz x\xc3";
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for template in templates {
            let t = template.as_bytes();
            inputs.push(t.to_vec());
            for at in 0..=t.len() {
                if at < t.len() {
                    let mut removed = t.to_vec();
                    removed.remove(at);
                    inputs.push(removed);
                }
                for &c in alphabet {
                    if at < t.len() {
                        let mut replaced = t.to_vec();
                        replaced[at] = c;
                        inputs.push(replaced);
                    }
                    let mut inserted = t.to_vec();
                    inserted.insert(at, c);
                    inputs.push(inserted);
                }
            }
        }
        let mut rng = fastrand::Rng::with_seed(3339);
        for _ in 0..20_000 {
            let mut t = templates[rng.usize(..templates.len())].as_bytes().to_vec();
            for _ in 0..rng.usize(1..4) {
                let at = rng.usize(..t.len());
                t[at] = alphabet[rng.usize(..alphabet.len())];
            }
            inputs.push(t);
        }
        let mut accepted = 0;
        for input in &inputs {
            let text = String::from_utf8_lossy(input);
            let ours = parse(&text);
            assert_eq!(ours, reference(&text), "{text:?}");
            if let Some(ours) = ours {
                accepted += 1;
                // Same instant and same offset.
                assert_eq!(ours.offset(), reference(&text).unwrap().offset(), "{text:?}");
            }
        }
        assert!(inputs.len() > 30_000 && accepted > 2_000, "{} inputs, {accepted} accepted", inputs.len());
    }

    /// Random instants (every fraction length, offsets to ±23:59) written as the `time` crate's
    /// RFC 3339 writer wrote them in UTC; years RFC 3339 cannot write give `None`.
    #[test]
    fn writes_timestamps_as_the_time_crate_did() {
        let mut rng = fastrand::Rng::with_seed(3339);
        let (first, last) = (
            datetime!(0000-01-02 00:00 UTC).unix_timestamp_nanos(),
            datetime!(9999-12-30 23:59:59.999999999 UTC).unix_timestamp_nanos(),
        );
        for i in 0..50_000 {
            let nanos = rng.i128(first..=last);
            // Every fraction length: whole seconds, milliseconds, ... nanoseconds.
            let nanos = nanos - nanos.rem_euclid(10i128.pow(i % 10));
            let offset = UtcOffset::from_hms(rng.i8(-23..=23), rng.i8(0..=59), 0).unwrap();
            let offset = if offset.is_negative() { UtcOffset::from_hms(offset.whole_hours(), -offset.minutes_past_hour().abs(), 0).unwrap() } else { offset };
            let value = OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap().to_offset(offset);
            let expected = value.to_offset(UtcOffset::UTC).format(&Rfc3339).unwrap();
            assert_eq!(format(value).as_deref(), Some(expected.as_str()), "{value}");
            assert_eq!(parse(&expected), Some(value), "{expected}");
        }
        for edge in [datetime!(0000-01-01 00:00 UTC), datetime!(9999-12-31 23:59:59.999999999 UTC)] {
            assert_eq!(format(edge), Some(edge.format(&Rfc3339).unwrap()));
        }
        for outside in [
            datetime!(9999-12-31 23:00 -05:00),
            datetime!(0000-01-01 01:00 +05:00),
            datetime!(-0001-12-31 12:00 UTC),
        ] {
            assert_eq!(format(outside), None, "{outside}");
            assert_eq!(crate::query::format_time(outside), outside.unix_timestamp().to_string());
        }
    }

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
