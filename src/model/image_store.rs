//! luna-image-store data types (mode-free): the requests (upload options, the metadata choice
//! of reads, with the constants of those calls) and the answers (stored ids, and what a
//! download or a `HEAD` tells about a stored image or object).

use std::collections::BTreeMap;

use http::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::model::images::{content_type_value, is_token};

/// Prefix of the user-metadata headers (`Luna-Meta-<name>: <value>`), lowercase.
pub const META_HEADER_PREFIX: &str = "luna-meta-";
/// Response header carrying the expiry date of an image or object stored with a ttl.
pub const EXPIRY_DATE_HEADER: &str = "x-luna-expiry-date";
/// Default `Content-Type` of images (Python `contentType='image/jpeg'`).
pub const DEFAULT_IMAGE_CONTENT_TYPE: &str = "image/jpeg";
/// Default `Content-Type` of objects (Python `contentType='application/json'`).
pub const DEFAULT_OBJECT_CONTENT_TYPE: &str = "application/json";
/// Largest number of ids in one `delete_images` / `delete_objects` call (luna-image-store limit).
pub const BULK_DELETE_MAX: usize = 1000;

/// Whether a read of an image returns its user metadata (Python `withMeta`: `with_meta=0|1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UserMeta {
    /// Nothing sent: the service default.
    #[default]
    ServiceDefault,
    /// Return the metadata (`with_meta=1`).
    Include,
    /// Do not return it (`with_meta=0`).
    Exclude,
}

impl UserMeta {
    /// The `0|1` flag, `None` for the service default.
    pub(crate) fn flag(self) -> Option<bool> {
        match self {
            UserMeta::ServiceDefault => None,
            UserMeta::Include => Some(true),
            UserMeta::Exclude => Some(false),
        }
    }
}

/// Options of an upload (`post_image`, `put_image`, `post_object`, `put_object`): content type,
/// lifetime and user metadata.
///
/// Every value is validated before anything is sent: a content type or a metadata name/value
/// that is not a valid header (control characters, line breaks, non-ASCII) fails the call with
/// [`Error::InvalidArgument`], so no caller input can add a header of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadOptions {
    content_type: Option<String>,
    ttl: Option<u64>,
    meta: Vec<(String, String)>,
}

impl UploadOptions {
    /// No options: the default content type, no ttl, no metadata.
    pub fn new() -> Self {
        Self::default()
    }

    /// `Content-Type` of the body (default `image/jpeg` for images, `application/json` for
    /// objects), e.g. `image/png`, `text/plain`, `video/mp4`.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Lifetime of the stored item (`ttl` query, seconds; must be > 0). Setting it again on a
    /// `put_*` resets the lifetime.
    #[must_use]
    pub fn ttl(mut self, seconds: u64) -> Self {
        self.ttl = Some(seconds);
        self
    }

    /// Adds user metadata, sent as the header `Luna-Meta-<name>: <value>` (a `Luna-Meta-`
    /// prefix already in `name` is not doubled).
    #[must_use]
    pub fn meta(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.meta.push((name.into(), value.into()));
        self
    }

    /// The content type to send, `default` when none was set; validated.
    pub(crate) fn content_type_value(&self, default: &'static str) -> Result<HeaderValue> {
        match &self.content_type {
            None => Ok(HeaderValue::from_static(default)),
            Some(ct) => content_type_value(ct),
        }
    }

    /// The ttl to send; validated.
    pub(crate) fn ttl_checked(&self) -> Result<Option<u64>> {
        match self.ttl {
            Some(0) => Err(Error::invalid("ttl", "must be at least 1 second")),
            other => Ok(other),
        }
    }

    /// The metadata headers; validated.
    pub(crate) fn meta_headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>> {
        self.meta
            .iter()
            .map(|(name, value)| meta_header(name, value))
            .collect()
    }
}

fn meta_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    // `get`, not an index: a name whose prefix length falls inside a character is no prefix.
    let bare = match name.get(..META_HEADER_PREFIX.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(META_HEADER_PREFIX) => {
            &name[META_HEADER_PREFIX.len()..]
        }
        _ => name,
    };
    if !is_token(bare) {
        return Err(Error::invalid(
            "meta",
            format!("{name:?} is not a valid header name part (letters, digits, `-`, `_`...)"),
        ));
    }
    let header = HeaderName::from_bytes(format!("{META_HEADER_PREFIX}{bare}").as_bytes())
        .map_err(|_| Error::invalid("meta", format!("{name:?} is not a valid header name")))?;
    // Visible ASCII and spaces only: no CR/LF (header injection), no other control characters.
    if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(Error::invalid(
            "meta",
            format!("the value of {name:?} must be printable ASCII (no line breaks)"),
        ));
    }
    let value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid("meta", format!("bad value for {name:?}")))?;
    Ok((header, value))
}

/// Checks a bucket name against the S3 naming rules LUNA applies (3–63 characters, lowercase
/// letters, digits, `.` and `-`, starting and ending with a letter or digit).
pub(crate) fn check_bucket(bucket: &str) -> Result<()> {
    let bytes = bucket.as_bytes();
    let ok = (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "bucket",
            format!(
                "{bucket:?} is not a bucket name (3-63 lowercase letters, digits, '.', '-'; \
                 starting and ending with a letter or digit)"
            ),
        ))
    }
}

/// Answer of `post_image` / `put_image`: `{"image_id", "url"}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct StoredImage {
    /// Id of the stored image.
    pub image_id: Uuid,
    /// Its location, `/1/buckets/<bucket>/images/<id>`.
    #[serde(default)]
    pub url: Option<String>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StoredImage {
    /// The answer of `put_image` for the caller's id: any 2xx is success, its body (the
    /// documented `{"url"}`, possibly more, or nothing) only adds the location.
    pub(crate) fn from_put(image_id: Uuid, body: &[u8]) -> Self {
        let (url, extra) = put_location(body, "image_id");
        StoredImage {
            image_id,
            url,
            extra,
        }
    }
}

/// Answer of `post_object` / `put_object`: `{"object_id", "url"}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct StoredObject {
    /// Id of the stored object.
    pub object_id: Uuid,
    /// Its location, `/1/buckets/<bucket>/objects/<id>`.
    #[serde(default)]
    pub url: Option<String>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StoredObject {
    /// The answer of `put_object` for the caller's id (see [`StoredImage::from_put`]).
    pub(crate) fn from_put(object_id: Uuid, body: &[u8]) -> Self {
        let (url, extra) = put_location(body, "object_id");
        StoredObject {
            object_id,
            url,
            extra,
        }
    }
}

/// `url` and the other members of a PUT answer, read leniently: a body that is not a JSON
/// object adds nothing; the id member is dropped (the caller's id is the one stored).
fn put_location(body: &[u8], id_member: &str) -> (Option<String>, Map<String, Value>) {
    let Ok(Value::Object(mut members)) = serde_json::from_slice::<Value>(body) else {
        return (None, Map::new());
    };
    members.remove(id_member);
    let url = match members.remove("url") {
        Some(Value::String(url)) => Some(url),
        Some(other) => {
            members.insert("url".into(), other);
            None
        }
        None => None,
    };
    (url, members)
}

/// What the headers of a download or a `HEAD` say about a stored image or object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredInfo {
    /// `Content-Type` of the stored bytes.
    pub content_type: Option<String>,
    /// `Content-Length`, when sent.
    pub content_length: Option<u64>,
    /// User metadata: every `Luna-Meta-<name>` header, keyed by `<name>` in lowercase.
    pub meta: BTreeMap<String, String>,
    /// `X-Luna-Expiry-Date` (present when a ttl was set), as sent.
    pub expiry_date: Option<String>,
    /// File name from `Content-Disposition` (objects, LUNA ≥ 5.42), e.g. `<id>.mp4`.
    pub file_name: Option<String>,
}

impl StoredInfo {
    /// Reads the headers (lenient: unreadable values are skipped).
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let meta = headers
            .iter()
            .filter_map(|(name, value)| {
                let suffix = name.as_str().strip_prefix(META_HEADER_PREFIX)?;
                Some((suffix.to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            })
            .collect();
        StoredInfo {
            content_type: text("content-type"),
            content_length: text("content-length").and_then(|v| v.trim().parse().ok()),
            meta,
            expiry_date: text(EXPIRY_DATE_HEADER),
            file_name: text("content-disposition").and_then(|v| disposition_file_name(&v)),
        }
    }
}

/// `filename` of a `Content-Disposition` value (quoted or bare).
fn disposition_file_name(value: &str) -> Option<String> {
    value.split(';').map(str::trim).find_map(|part| {
        let (key, name) = part.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("filename") {
            return None;
        }
        let name = name.trim().trim_matches('"');
        (!name.is_empty()).then(|| name.to_owned())
    })
}

/// A downloaded image or object: its bytes (shared, not copied) and what its headers say.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Download {
    /// The stored bytes.
    pub body: bytes::Bytes,
    /// Content type, metadata, expiry date, file name.
    pub info: StoredInfo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_headers_are_prefixed_and_validated() {
        let opts = UploadOptions::new()
            .meta("camera", "gate 1")
            .meta("Luna-Meta-Zone", "b");
        let headers = opts.meta_headers().unwrap();
        assert_eq!(headers[0].0.as_str(), "luna-meta-camera");
        assert_eq!(headers[0].1, "gate 1");
        assert_eq!(headers[1].0.as_str(), "luna-meta-zone");
        for (name, value) in [
            ("camera", "a\r\nInjected: yes"),
            ("camera", "a\nb"),
            ("camera", "caf\u{e9}"),
            ("bad name", "v"),
            ("a:b", "v"),
            ("", "v"),
            ("luna-meta-", "v"),
        ] {
            let err = UploadOptions::new().meta(name, value).meta_headers().unwrap_err();
            assert!(matches!(err, Error::InvalidArgument { argument: "meta", .. }), "{name:?}");
        }
    }

    #[test]
    fn content_types_are_validated() {
        assert_eq!(content_type_value("image/png").unwrap(), "image/png");
        assert!(content_type_value("text/plain; charset=utf-8").is_ok());
        for bad in ["", "png", "image/", "image/png\r\nX: y", "image png/x"] {
            assert!(content_type_value(bad).is_err(), "{bad:?}");
        }
        let opts = UploadOptions::new();
        assert_eq!(opts.content_type_value(DEFAULT_IMAGE_CONTENT_TYPE).unwrap(), "image/jpeg");
        assert!(UploadOptions::new().ttl(0).ttl_checked().is_err());
    }

    #[test]
    fn bucket_names_follow_s3_rules() {
        for ok in ["visionlabs-samples", "abc", "a.b-c", "b1"] {
            assert_eq!(check_bucket(ok).is_ok(), ok.len() >= 3, "{ok}");
        }
        for bad in ["ab", "Upper", "-abc", "abc-", "a/b/c", "../x", "a b c", &"a".repeat(64)] {
            assert!(check_bucket(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_info_reads_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("video/mp4"));
        headers.insert("content-length", HeaderValue::from_static("12"));
        headers.insert("luna-meta-camera", HeaderValue::from_static("gate 1"));
        headers.insert(EXPIRY_DATE_HEADER, HeaderValue::from_static("2030-01-01T00:00:00Z"));
        headers.insert(
            "content-disposition",
            HeaderValue::from_static("attachment; filename=\"x.mp4\""),
        );
        let info = StoredInfo::from_headers(&headers);
        assert_eq!(info.content_type.as_deref(), Some("video/mp4"));
        assert_eq!(info.content_length, Some(12));
        assert_eq!(info.meta.get("camera").map(String::as_str), Some("gate 1"));
        assert_eq!(info.expiry_date.as_deref(), Some("2030-01-01T00:00:00Z"));
        assert_eq!(info.file_name.as_deref(), Some("x.mp4"));
    }
}
