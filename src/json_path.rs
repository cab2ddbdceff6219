//! Where in a JSON text decoding failed, found without decoding it a second time.
//!
//! serde_json reports the line and column where it stopped; [`path_at`] names the object members
//! and array elements open at that byte (`faces[2].face_id`, `.` for the document itself). A
//! small scanner over the text does it, so an answer type's `Deserialize` is compiled once (for
//! serde_json) rather than a second time for a path-tracking deserializer. It reads any bytes,
//! valid JSON or not, without panicking.
//!
//! [`Outline`] is the shape of a list answer's container (array, object and its members),
//! checked by serde_json in one pass that builds no value; [`member_value_start`] finds where a
//! member's value starts, so that the array is decoded straight from the body.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::ops::Range;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The byte offset in `text` of serde_json's position: 1-based `line`, `column` the bytes of
/// that line read. `None` for an error without a position (line 0); clamped to the text's end.
pub(crate) fn offset_of(text: &[u8], line: usize, column: usize) -> Option<usize> {
    let start = match line {
        0 => return None,
        1 => 0,
        _ => match text.iter().enumerate().filter(|&(_, &b)| b == b'\n').nth(line - 2) {
            Some((newline, _)) => newline + 1,
            None => text.len(),
        },
    };
    Some(start.saturating_add(column).min(text.len()))
}

/// The path of the value serde_json's `error` about `text` is about, `offset` being where it
/// stopped ([`offset_of`]). A syntax error stops just past the offending byte, which is then
/// not read: a stray `,` or `}` does not end the member it was found in.
pub(crate) fn error_path(text: &[u8], offset: usize, error: &serde_json::Error) -> String {
    let end = match error.classify() {
        serde_json::error::Category::Syntax => offset.saturating_sub(1),
        _ => offset,
    };
    path_at(text, end)
}

/// serde_json's line (1-based) and column (bytes of that line before `offset`) of `offset`.
pub(crate) fn position_of(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    let line = 1 + before[..start].iter().filter(|&&b| b == b'\n').count();
    (line, before.len() - start)
}

/// The end (just past the closing quote) of the string whose opening quote is at `start`, or
/// `None` when the text ends inside it.
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&byte) = text.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// A container open at the scanned position.
enum Frame {
    /// An object; `key` is the text (quotes included) of the current member's key, once read,
    /// and `named` whether the colon after it was read (the member is then the one named).
    Object {
        key: Option<Range<usize>>,
        named: bool,
    },
    /// An array at its `index`-th element.
    Array { index: usize },
}

/// The path of the value being read at byte `offset` of `text`: the key of each object member
/// and the index of each array element open there, `faces[2].face_id`; `.` for the document.
/// An object member counts from the colon after its key (an error in a key or before its
/// colon is the object's), an array element from the array's `[` or the comma before it; a
/// value just completed is still the one named (serde reports a missing field just after the
/// object's `}`).
pub(crate) fn path_at(text: &[u8], offset: usize) -> String {
    let end = offset.min(text.len());
    let mut stack = Vec::new();
    let mut i = 0;
    while i < end {
        match text[i] {
            b'"' => match string_end(text, i) {
                Some(close) if close <= end => {
                    if let Some(Frame::Object { key: key @ None, .. }) = stack.last_mut() {
                        *key = Some(i..close);
                    }
                    i = close;
                    continue;
                }
                // The offset is inside this string.
                _ => break,
            },
            b'{' => stack.push(Frame::Object {
                key: None,
                named: false,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { key: Some(_), named }) = stack.last_mut() {
                    *named = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, named }) => (*key, *named) = (None, false),
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object {
                key: Some(key),
                named: true,
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key_text(&text[key.clone()]));
            }
            Frame::Object { .. } => {}
            Frame::Array { index } => {
                let _ = write!(path, "[{index}]");
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// A key as the path names it: its decoded text (`quoted` has its quotes).
fn key_text(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| {
        let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default();
        String::from_utf8_lossy(inner).into_owned()
    })
}

/// The shape of a list answer's container: what serde_json read of it (building no value).
#[derive(Debug, PartialEq)]
pub(crate) enum Outline {
    /// A JSON array.
    Array,
    /// A JSON object: its members in order, each key with whether its value is an array.
    Object(Vec<(String, bool)>),
    /// A string, number, boolean or `null`.
    Other,
}

impl Outline {
    /// Reads the outline of the JSON value at the start of `text` (what follows it is not read).
    pub(crate) fn read(text: &[u8]) -> serde_json::Result<Outline> {
        OutlineSeed { members: true }.deserialize(&mut serde_json::Deserializer::from_slice(text))
    }

    /// The member whose value a list answer's array is, by position among the members: the
    /// member named `key` (its last occurrence, as a JSON object keeps it), or the only member
    /// holding an array. `Ok(None)`: an empty object. `Err`: why there is no such member.
    pub(crate) fn items_member(members: &[(String, bool)], key: &str) -> Result<Option<usize>, String> {
        if let Some(found) = members.iter().rposition(|(name, _)| name == key) {
            return if members[found].1 {
                Ok(Some(found))
            } else {
                Err(format!("`{key}` is not an array"))
            };
        }
        if members.is_empty() {
            return Ok(None);
        }
        // Each key counts once, with its last value.
        let mut last = HashMap::with_capacity(members.len());
        for (index, (name, _)) in members.iter().enumerate() {
            last.insert(name.as_str(), index);
        }
        let mut arrays = last.into_values().filter(|&index| members[index].1);
        match (arrays.next(), arrays.next()) {
            (Some(index), None) => Ok(Some(index)),
            _ => Err(format!("expected an array or an object with `{key}`")),
        }
    }
}

/// Reads an [`Outline`]; `members: false` for a member's value (only whether it is an array).
#[derive(Clone, Copy)]
struct OutlineSeed {
    members: bool,
}

impl<'de> DeserializeSeed<'de> for OutlineSeed {
    type Value = Outline;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Outline, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OutlineSeed {
    type Value = Outline;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Outline, E> {
        Ok(Outline::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Outline, E> {
        Ok(Outline::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Outline, E> {
        Ok(Outline::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Outline, E> {
        Ok(Outline::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Outline, E> {
        Ok(Outline::Other)
    }

    fn visit_unit<E>(self) -> Result<Outline, E> {
        Ok(Outline::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Outline, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Outline::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut members = Vec::new();
        if self.members {
            while let Some(key) = map.next_key::<String>()? {
                let value = map.next_value_seed(OutlineSeed { members: false })?;
                members.push((key, value == Outline::Array));
            }
        } else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        }
        Ok(Outline::Object(members))
    }
}

/// The offset where the value of the `member`-th member (from 0) of the object at the start
/// of `text` starts. `text` is valid JSON there (serde_json read its [`Outline`]); `None` if it
/// is not as expected.
pub(crate) fn member_value_start(text: &[u8], member: usize) -> Option<usize> {
    let skip_blank = |mut i: usize| {
        while text.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut i = skip_blank(0);
    if text.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut current = 0;
    loop {
        i = skip_blank(i);
        if text.get(i) != Some(&b'"') {
            return None;
        }
        i = skip_blank(string_end(text, i)?);
        if text.get(i) != Some(&b':') {
            return None;
        }
        i = skip_blank(i + 1);
        if current == member {
            return Some(i);
        }
        i = skip_blank(value_end(text, i)?);
        if text.get(i) != Some(&b',') {
            return None;
        }
        i += 1;
        current += 1;
    }
}

/// The end of the value starting at `start` (the text is valid JSON there).
fn value_end(text: &[u8], start: usize) -> Option<usize> {
    match text.get(start)? {
        b'"' => string_end(text, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            while let Some(&byte) = text.get(i) {
                match byte {
                    b'"' => {
                        i = string_end(text, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let rest = text.get(start..)?;
            let length = rest
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                .unwrap_or(rest.len());
            Some(start + length)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path at the offset marked by `|` in `marked` (the mark removed).
    fn path(marked: &str) -> String {
        let offset = marked.find('|').expect("a mark");
        let text = marked.replacen('|', "", 1);
        path_at(text.as_bytes(), offset)
    }

    #[test]
    fn paths_name_members_and_elements() {
        assert_eq!(path("|{}"), ".");
        assert_eq!(path("{|}"), ".");
        assert_eq!(path("{}|"), ".");
        assert_eq!(path(r#"{"a|"#), ".");
        assert_eq!(path(r#"{"a"|:1}"#), ".");
        assert_eq!(path(r#"{"a":|1}"#), "a");
        assert_eq!(path(r#"{"a": |1}"#), "a");
        assert_eq!(path(r#"{"a": 1|}"#), "a");
        assert_eq!(path(r#"{"a": 1,| "b": 2}"#), ".");
        assert_eq!(path(r#"{"a": 1, "b": 2|}"#), "b");
        assert_eq!(path(r#"{"a": {"b": [1, {"c": "x|"}]}}"#), "a.b[1].c");
        assert_eq!(path(r#"{"a": {"b": [1, {"c": "x"}|]}}"#), "a.b[1]");
        assert_eq!(path(r#"{"a": {"b": [1, {"c": "x"}]|}}"#), "a.b");
        assert_eq!(path(r#"{"a": {"b": [1, {"c": "x"}]}, "d": |null}"#), "d");
        assert_eq!(path("[|1]"), "[0]");
        assert_eq!(path("[1, 2, |3]"), "[2]");
        assert_eq!(path("[[], [[|]]]"), "[1][0][0]");
        assert_eq!(path("[[], [[]|]]"), "[1][0]");
        assert_eq!(path("[1]|"), ".");
    }

    #[test]
    fn strings_hide_their_brackets_commas_and_escaped_quotes() {
        assert_eq!(path(r#"{"a": "[{,\"}", "b": |2}"#), "b");
        assert_eq!(path(r#"{"a\"b": |2}"#), "a\"b");
        assert_eq!(path(r#"{"\u00e9t\u00e9": [|1]}"#), "été[0]");
        assert_eq!(path(r#"{"x": ["]", "\\", |3]}"#), "x[2]");
        assert_eq!(path("{\"a\":\n  {\"b\":\n    |7}}"), "a.b");
    }

    #[test]
    fn serde_json_positions_become_offsets_and_back() {
        let text = b"{\n  \"a\": 1,\n  \"b\": x\n}";
        let error = serde_json::from_slice::<serde_json::Value>(text).unwrap_err();
        let offset = offset_of(text, error.line(), error.column()).unwrap();
        assert_eq!(&text[..offset], b"{\n  \"a\": 1,\n  \"b\": x");
        assert_eq!(position_of(text, offset), (error.line(), error.column()));
        assert_eq!(path_at(text, offset), "b");
        assert_eq!(offset_of(text, 0, 3), None);
        assert_eq!(offset_of(text, 9, 3), Some(text.len()));
        assert_eq!(offset_of(text, 1, 99), Some(text.len()));
        assert_eq!(position_of(text, 999), (4, 1));
    }

    #[test]
    fn outlines_of_every_container() {
        assert_eq!(Outline::read(b" [1, {\"a\": []}] ").unwrap(), Outline::Array);
        assert_eq!(Outline::read(b"\"x\"").unwrap(), Outline::Other);
        assert_eq!(Outline::read(b"null").unwrap(), Outline::Other);
        assert_eq!(Outline::read(b"-1.5e3").unwrap(), Outline::Other);
        let members = vec![("a".to_owned(), true), ("b".to_owned(), false), ("a".to_owned(), false)];
        assert_eq!(
            Outline::read(br#"{"a": [1], "b": {"c": [2]}, "a": 3}"#).unwrap(),
            Outline::Object(members.clone())
        );
        assert_eq!(Outline::items_member(&members, "a"), Err("`a` is not an array".into()));
        assert!(Outline::items_member(&members, "z").is_err());
        let members = vec![("a".to_owned(), false), ("b".to_owned(), true), ("a".to_owned(), true)];
        assert_eq!(Outline::items_member(&members, "a"), Ok(Some(2)));
        assert!(Outline::items_member(&members, "z").is_err(), "two arrays");
        let members = vec![("a".to_owned(), true), ("b".to_owned(), false), ("a".to_owned(), false)];
        assert!(Outline::items_member(&members, "z").is_err(), "`a` ends up a number");
        let members = vec![("a".to_owned(), false), ("b".to_owned(), true)];
        assert_eq!(Outline::items_member(&members, "z"), Ok(Some(1)));
        assert_eq!(Outline::items_member(&[], "z"), Ok(None));
        for bad in ["", "[1,", "{\"a\" 1}", "{\"a\": [1,]}", "tru"] {
            assert!(Outline::read(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn member_values_are_found_past_any_value() {
        let text = br#" { "a" : "x,}]\"" , "b":{"c":[1,{"d":"]"}]} ,"e": -1.5e3, "f" :[7] } "#;
        let starts: Vec<_> = (0..4).map(|n| member_value_start(text, n).unwrap()).collect();
        let values: Vec<_> = starts.iter().map(|&s| text[s] as char).collect();
        assert_eq!(values, ['"', '{', '-', '[']);
        assert_eq!(&text[starts[3]..starts[3] + 3], b"[7]");
        assert_eq!(member_value_start(text, 4), None);
        assert_eq!(member_value_start(b"[1]", 0), None);
    }

    /// Bodies to cut and corrupt: nesting, escapes, numbers, blanks and non-ASCII text.
    const BODIES: &[&str] = &[
        r#"{"faces": [{"face_id": "a\"]}", "attributes": {"x": [1.5e3, -2, null, true]}}, {"face_id": "b"}], "count": 2}"#,
        "[\n  {\"k\\\\\": \"\\u00e9\\ud83d\\ude00\"},\n  [[], {}],\n  \"été\"\n]\n",
        r#"{"a":{"b":{"c":[[[{"d":"}}]]"}]]]}},"e":[],"f":{}}"#,
    ];

    #[test]
    fn no_panic_on_any_cut_or_corruption() {
        for body in BODIES {
            let body = body.as_bytes();
            for cut in 0..=body.len() {
                let text = &body[..cut];
                for offset in 0..=cut + 1 {
                    path_at(text, offset);
                    position_of(text, offset);
                }
                if let Ok(Outline::Object(members)) = Outline::read(text) {
                    for member in 0..=members.len() {
                        member_value_start(text, member);
                    }
                }
                for line in 0..4 {
                    offset_of(text, line, cut);
                }
            }
            // Each byte replaced by each structural byte (and a stray backslash and non-UTF-8).
            for at in 0..body.len() {
                for byte in *b"{}[]\",:\\ \xff" {
                    let mut text = body.to_vec();
                    text[at] = byte;
                    for offset in [at, at + 1, text.len()] {
                        path_at(&text, offset);
                    }
                    for member in 0..4 {
                        member_value_start(&text, member);
                    }
                    let _ = Outline::read(&text);
                }
            }
        }
    }
}
