//! JSON encoding helpers shared by both modes: base64 payloads (descriptors) written into the
//! JSON output without a `String` per value and without serde_json's escape scan.
//!
//! Base64 text never needs escaping in JSON, so when the serializer is serde_json's own writer
//! (`serde_json::to_vec`, `to_string`, `to_writer`, what request bodies use), the quoted text
//! goes out as a raw JSON fragment — serde_json's `RawValue` protocol (feature `raw_value`, on
//! in this crate): a struct named by serde_json's raw-value token, whose one field is the
//! fragment. Every other serializer (serde_json's `Value`, other formats) gets a plain string.
//! The text is encoded into a buffer kept per thread, so no allocation happens per value.

use std::cell::RefCell;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::ser::{SerializeStruct, Serializer};

/// serde_json's name for a raw JSON fragment (`serde_json::value::RawValue`).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

thread_local! {
    /// The quoted base64 text of the value being written (reused: grows to the largest).
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Whether `S` is serde_json's writer (`&mut serde_json::Serializer<W, F>`), which writes a
/// raw-value fragment as it is.
pub(crate) fn is_json_writer<S>() -> bool {
    std::any::type_name::<S>().starts_with("&mut serde_json::ser::Serializer<")
}

/// Writes the JSON text `write` produces as it is, through serde_json's writer
/// ([`is_json_writer`] must hold); the text is built in the per-thread buffer.
pub(crate) fn serialize_raw_json<S: Serializer>(
    serializer: S,
    write: impl FnOnce(&mut String),
) -> Result<S::Ok, S::Error> {
    with_text(|text| {
        write(text);
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, text.as_str())?;
        raw.end()
    })
}

/// Runs `f` on the per-thread buffer, emptied.
fn with_text<T>(f: impl FnOnce(&mut String) -> T) -> T {
    TEXT.with(|cell| match cell.try_borrow_mut() {
        Ok(mut text) => {
            text.clear();
            f(&mut text)
        }
        // Only when a serializer writes a descriptor while writing one (no known one does).
        Err(_) => f(&mut String::new()),
    })
}

/// Serializes `bytes` as one base64 (standard alphabet, padded) JSON string.
pub(crate) fn serialize_base64<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    if is_json_writer::<S>() {
        return serialize_raw_json(serializer, |text| push_base64(text, bytes));
    }
    with_text(|text| {
        BASE64.encode_string(bytes, text);
        serializer.serialize_str(text)
    })
}

/// Appends `bytes` as a quoted base64 JSON string.
pub(crate) fn push_base64(out: &mut String, bytes: &[u8]) {
    out.push('"');
    BASE64.encode_string(bytes, out);
    out.push('"');
}

/// Appends `text` as a quoted JSON string, escaped as serde_json escapes it (`"`, `\\`, and the
/// control characters: `\b \t \n \f \r`, the others as `\u00XX`).
pub(crate) fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    struct B64<'a>(&'a [u8]);

    impl Serialize for B64<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_base64(self.0, serializer)
        }
    }

    #[test]
    fn the_raw_fragment_is_the_same_json_as_a_string() {
        let payloads: Vec<Vec<u8>> = (0..70).map(|n| (0..n).map(|i| (i * 37 % 256) as u8).collect()).collect();
        for payload in &payloads {
            let expected = serde_json::to_string(&BASE64.encode(payload)).unwrap();
            assert_eq!(serde_json::to_string(&B64(payload)).unwrap(), expected);
            assert_eq!(String::from_utf8(serde_json::to_vec(&B64(payload)).unwrap()).unwrap(), expected);
            let pretty = serde_json::to_string_pretty(&[B64(payload)]).unwrap();
            assert_eq!(pretty, serde_json::to_string_pretty(&[BASE64.encode(payload)]).unwrap());
            // Other serializers get a plain string.
            assert_eq!(
                serde_json::to_value(B64(payload)).unwrap(),
                serde_json::Value::String(BASE64.encode(payload))
            );
        }
        assert!(is_json_writer::<&mut serde_json::Serializer<Vec<u8>>>());
        assert!(is_json_writer::<&mut serde_json::Serializer<&mut Vec<u8>, serde_json::ser::PrettyFormatter<'static>>>());
        assert!(!is_json_writer::<serde_json::value::Serializer>());
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", char::from(b))).collect();
        texts.extend(["", "plain", "é ü 日本", "\"\\/", "\u{7f}\u{2028}"].map(String::from));
        for text in texts {
            let mut out = String::new();
            push_json_str(&mut out, &text);
            assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn nested_in_maps_and_lists() {
        let payload = [1u8, 2, 3, 250, 251, 252];
        let value = serde_json::json!({"a": [BASE64.encode(payload), {"b": BASE64.encode(payload)}]});
        #[derive(Serialize)]
        struct Inner<'a> {
            b: B64<'a>,
        }
        #[derive(Serialize)]
        struct Outer<'a> {
            a: (B64<'a>, Inner<'a>),
        }
        let outer = Outer {
            a: (B64(&payload), Inner { b: B64(&payload) }),
        };
        assert_eq!(serde_json::to_string(&outer).unwrap(), value.to_string());
    }
}
