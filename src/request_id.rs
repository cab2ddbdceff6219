//! `Luna-Request-Id`: `<10-digit unix seconds>,<uuid4>`, generated unless the caller gives one.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// Generates a fresh request id: current unix time in seconds (10 digits) and a lowercase uuid4.
pub fn generate() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Written by hand: `format!` costs more than the uuid itself on every call.
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    let mut rest = secs;
    while rest > 0 {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let start = start.min(digits.len() - 10); // at least 10 digits, zero-padded
    let mut uuid = uuid::Uuid::encode_buffer();
    let uuid = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut uuid);
    let mut id = String::with_capacity(digits.len() - start + 1 + uuid.len());
    id.extend(digits[start..].iter().map(|&d| char::from(d)));
    id.push(',');
    id.push_str(uuid);
    id
}

/// Checks a caller-given id against the LUNA pattern
/// `^[0-9]{10},[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`.
///
/// LUNA services silently replace a non-matching id with a new one, which would break log
/// correlation, so a bad id is refused before sending.
pub fn validate(id: &str) -> Result<()> {
    let bytes = id.as_bytes();
    let ok = bytes.len() == 47
        && bytes[..10].iter().all(u8::is_ascii_digit)
        && bytes[10] == b','
        && bytes[11..].iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "request_id",
            format!("{id:?} does not match `<10-digit unix seconds>,<lowercase uuid>`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seconds_are_the_current_unix_time() {
        let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let id = generate();
        let after = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let secs: u64 = id[..10].parse().unwrap();
        assert!((before..=after).contains(&secs), "{id} not in {before}..={after}");
    }

    #[test]
    fn generated_ids_match_the_pattern() {
        for _ in 0..100 {
            let id = generate();
            validate(&id).unwrap();
            assert_eq!(&id[25..26], "4", "uuid4 version nibble in {id}");
        }
    }

    #[test]
    fn rejects_malformed_ids() {
        validate("1536751345,8b8b5937-2e9c-4e8b-a7a7-5caf86621b5a").unwrap();
        for bad in [
            "",
            "153675134,8b8b5937-2e9c-4e8b-a7a7-5caf86621b5a",
            "1536751345,8B8B5937-2E9C-4E8B-A7A7-5CAF86621B5A",
            "1536751345;8b8b5937-2e9c-4e8b-a7a7-5caf86621b5a",
            "1536751345,8b8b5937-2e9c-4e8b-a7a7-5caf86621b5a\r\nX: y",
        ] {
            assert!(validate(bad).is_err(), "{bad:?} accepted");
        }
    }
}
