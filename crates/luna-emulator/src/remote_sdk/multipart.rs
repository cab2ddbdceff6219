//! A `multipart/form-data` body split into its parts (RFC 7578), strictly: a malformed body is
//! an error, never a guess.

use crate::errors::{ApiError, ApiResult};

/// One part of a multipart body.
#[derive(Debug)]
pub struct Part<'a> {
    /// `name` of its `Content-Disposition`.
    pub name: Option<String>,
    /// `filename` of its `Content-Disposition`.
    pub filename: Option<String>,
    /// Its `Content-Type` without parameters, lowercased.
    pub content_type: Option<String>,
    /// Its content.
    pub data: &'a [u8],
}

/// The `boundary` parameter of a `Content-Type` header value.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("boundary"))
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

/// The value of `key="..."` in a `Content-Disposition` value.
fn disposition_param(value: &str, key: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The parts of `body` delimited by `boundary`.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> ApiResult<Vec<Part<'a>>> {
    let bad = |why: &str| ApiError::bad_input(format!("Bad multipart body: {why}"));
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let mut at =
        find(body, delimiter.as_bytes(), 0).ok_or_else(|| bad("no boundary"))? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        match body.get(at..at + 2) {
            Some(b"--") => return Ok(parts),
            Some(b"\r\n") => at += 2,
            _ => return Err(bad("a boundary is not followed by CRLF or '--'")),
        }
        let headers_end = find(body, b"\r\n\r\n", at).ok_or_else(|| bad("part headers"))?;
        let headers = std::str::from_utf8(&body[at..headers_end])
            .map_err(|_| bad("part headers are not UTF-8"))?;
        let data_start = headers_end + 4;
        let data_end = find(body, next_delimiter.as_bytes(), data_start)
            .ok_or_else(|| bad("no closing boundary"))?;
        let mut part = Part {
            name: None,
            filename: None,
            content_type: None,
            data: &body[data_start..data_end],
        };
        for line in headers.split("\r\n").filter(|l| !l.is_empty()) {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| bad("a part header without ':'"))?;
            if name.trim().eq_ignore_ascii_case("content-disposition") {
                part.name = disposition_param(value, "name");
                part.filename = disposition_param(value, "filename");
            } else if name.trim().eq_ignore_ascii_case("content-type") {
                let kind = value.split(';').next().unwrap_or("").trim();
                part.content_type = Some(kind.to_ascii_lowercase());
            }
        }
        parts.push(part);
        at = data_end + next_delimiter.len();
    }
}
