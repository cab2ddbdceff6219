//! JSON encoding helpers shared by both modes, public API only (no serde_json internals).
//!
//! - The SDK's own request bodies that carry descriptors (matcher references) are written by a
//!   dedicated encoder ([`push_base64`], [`push_json_str`] and the `push_json` methods of the
//!   descriptor and reference types): JSON bytes appended straight to one buffer, base64 encoded
//!   in place, no serializer in between.
//! - The public `Serialize` impls of the descriptor types use plain serde: the base64 text goes
//!   through `Serializer::collect_str` with a `Display` adapter ([`serialize_base64`]), so no
//!   `String` is built per descriptor by the SDK (serde_json writes the text as it comes).

use base64::display::Base64Display;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::ser::Serializer;

/// Serializes `bytes` as one base64 (standard alphabet, padded) string, with any serializer.
pub(crate) fn serialize_base64<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&Base64Display::new(bytes, &BASE64))
}

/// Appends `bytes` as a quoted base64 JSON string (base64 text never needs escaping).
pub(crate) fn push_base64(out: &mut String, bytes: &[u8]) {
    out.push('"');
    BASE64.encode_string(bytes, out);
    out.push('"');
}

/// Appends the JSON array of `items` (`[a,b,...]`), each item appended by `push`; stops at
/// the first error (`out` then holds a partial text).
pub(crate) fn push_json_array<T, E>(
    out: &mut String,
    items: &[T],
    mut push: impl FnMut(&T, &mut String) -> Result<(), E>,
) -> Result<(), E> {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push(item, out)?;
    }
    out.push(']');
    Ok(())
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
    fn base64_is_the_same_json_as_a_string() {
        // Short ones, and descriptor sizes (a face blob, a body blob), and beyond base64's
        // 1,024-byte display chunks.
        let sizes = (0..70).chain([520, 2056, 3071, 3072, 3073, 5000]);
        let payloads: Vec<Vec<u8>> = sizes.map(|n| (0..n).map(|i| (i * 37 % 256) as u8).collect()).collect();
        for payload in &payloads {
            let expected = serde_json::to_string(&BASE64.encode(payload)).unwrap();
            assert_eq!(serde_json::to_string(&B64(payload)).unwrap(), expected);
            assert_eq!(String::from_utf8(serde_json::to_vec(&B64(payload)).unwrap()).unwrap(), expected);
            let mut pushed = String::new();
            push_base64(&mut pushed, payload);
            assert_eq!(pushed, expected);
            let pretty = serde_json::to_string_pretty(&[B64(payload)]).unwrap();
            assert_eq!(pretty, serde_json::to_string_pretty(&[BASE64.encode(payload)]).unwrap());
            // Other serializers get the same string.
            assert_eq!(
                serde_json::to_value(B64(payload)).unwrap(),
                serde_json::Value::String(BASE64.encode(payload))
            );
        }
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

    #[test]
    fn the_encoder_writes_what_serde_json_writes() {
        use crate::descriptor::{Descriptor, RawDescriptor, SdkDescriptor};
        use crate::model::matching::{BinaryReference, MatchReference};
        let payload: Vec<u8> = (0..512).map(|i| (i % 251) as u8).collect();
        let sdk: Descriptor = SdkDescriptor::new(59, &payload).unwrap().into();
        let raw: Descriptor = RawDescriptor::new(payload.clone(), 59).unwrap().into();
        let descriptors = vec![sdk.clone(), raw.clone(), sdk.clone()];
        assert_eq!(Descriptor::to_json_array(&descriptors), serde_json::to_string(&descriptors).unwrap());
        assert_eq!(Descriptor::to_json_array(&[]), "[]");
        let references = vec![
            MatchReference::face("3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11"),
            MatchReference::event(uuid::Uuid::from_u128(7)),
            MatchReference::attribute("3F1B3C6E-6F0E-4A5C-9A55-8C1A0D1F1A11"),
            MatchReference::descriptor("label \"quoted\" \\ \n é", sdk),
            MatchReference::Descriptor(BinaryReference::new("raw", raw)),
            MatchReference::Raw(serde_json::json!({"type": "face", "id": 1.5, "x": [null, "\u{1}"]})),
        ];
        let mut out = String::new();
        MatchReference::write_json_array(&references, &mut out).unwrap();
        assert_eq!(out, serde_json::to_string(&references).unwrap());
        // Failures as with `Serialize`: a bad id, a raw value that is not an object.
        for bad in [MatchReference::face("not-a-uuid"), MatchReference::Raw(serde_json::json!([1]))] {
            assert!(serde_json::to_string(&[&bad]).is_err());
            assert!(MatchReference::write_json_array(&[bad], &mut String::new()).is_err());
        }
    }
}
