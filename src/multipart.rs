//! A small `multipart/form-data` encoder (RFC 7578), shared by every service that sends several
//! images (Remote SDK, Handlers). The body is a list of buffers sent one after the other: the
//! parts' heads written here and the caller's images as they are, never copied into one
//! buffer.
//!
//! The boundary is random and checked against every part, so no part can end the body early;
//! part names, file names and content types are validated so no caller input can add a header.

use bytes::{BufMut, Bytes, BytesMut};

use crate::transport::RequestBody;
use http::HeaderValue;

use crate::error::{Error, Result};
use crate::model::images::content_type_value;

/// One part of a multipart body.
#[derive(Clone, Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: HeaderValue,
    body: Bytes,
}

/// Builder of a `multipart/form-data` body.
#[derive(Clone, Debug, Default)]
pub(crate) struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a part; `name` and `file_name` must not contain `"`, `\` or control characters.
    pub(crate) fn part(
        mut self,
        name: &str,
        file_name: Option<&str>,
        content_type: &str,
        body: Bytes,
    ) -> Result<Self> {
        check_quoted("part name", name)?;
        if name.is_empty() {
            return Err(Error::invalid("multipart", "a part name is empty"));
        }
        if let Some(file_name) = file_name {
            check_quoted("file name", file_name)?;
        }
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: file_name.map(str::to_owned),
            content_type: content_type_value(content_type)?,
            body,
        });
        Ok(self)
    }

    /// The body and its `Content-Type` (`multipart/form-data; boundary=...`). The body is
    /// [`RequestBody::Parts`]: each part's head, then its bytes (shared, not copied).
    pub(crate) fn finish(self) -> (RequestBody, HeaderValue) {
        let boundary = loop {
            let candidate = random_boundary();
            if !self
                .parts
                .iter()
                .any(|p| contains(&p.body, candidate.as_bytes()))
            {
                break candidate;
            }
        };
        let mut chunks = Vec::with_capacity(2 * self.parts.len() + 1);
        for (index, part) in self.parts.into_iter().enumerate() {
            let mut head = BytesMut::with_capacity(160 + part.name.len() + boundary.len());
            if index > 0 {
                head.put_slice(b"\r\n");
            }
            head.put_slice(b"--");
            head.put_slice(boundary.as_bytes());
            head.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            head.put_slice(part.name.as_bytes());
            head.put_slice(b"\"");
            if let Some(file_name) = &part.file_name {
                head.put_slice(b"; filename=\"");
                head.put_slice(file_name.as_bytes());
                head.put_slice(b"\"");
            }
            head.put_slice(b"\r\nContent-Type: ");
            head.put_slice(part.content_type.as_bytes());
            head.put_slice(b"\r\n\r\n");
            chunks.push(head.freeze());
            chunks.push(part.body);
        }
        let mut tail = BytesMut::with_capacity(boundary.len() + 8);
        if !chunks.is_empty() {
            tail.put_slice(b"\r\n");
        }
        tail.put_slice(b"--");
        tail.put_slice(boundary.as_bytes());
        tail.put_slice(b"--\r\n");
        chunks.push(tail.freeze());
        let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
            .expect("the boundary is alphanumeric");
        (RequestBody::Parts(chunks), content_type)
    }
}

fn check_quoted(what: &str, value: &str) -> Result<()> {
    if value
        .chars()
        .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        return Err(Error::invalid(
            "multipart",
            format!("{what} {value:?} must not contain quotes, backslashes or control characters"),
        ));
    }
    Ok(())
}

/// `luna-clients-` followed by 32 random alphanumeric characters.
fn random_boundary() -> String {
    let mut boundary = String::from("luna-clients-");
    boundary.extend((0..32).map(|_| fastrand::alphanumeric()));
    boundary
}

/// Whether `needle` (not empty) occurs in `haystack`: candidates are the positions of its
/// first byte (the boundary's first byte is rare in images), compared from there.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(at) = haystack[from..].iter().position(|&b| b == first) {
        let start = from + at + 1;
        if haystack[start..].starts_with(rest) {
            return true;
        }
        from = start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_parts_with_headers_and_bytes() {
        let (body, content_type) = Multipart::new()
            .part("image", Some("a.jpg"), "image/jpeg", Bytes::from_static(b"\xff\xd8\r\n--x"))
            .unwrap()
            .part("meta", None, "application/json", Bytes::from_static(b"{}"))
            .unwrap()
            .finish();
        let body = body.to_vec();
        let content_type = content_type.to_str().unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        assert!(boundary.starts_with("luna-clients-") && boundary.len() == 45);
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n\u{fffd}\u{fffd}\r\n--x\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\n\
             Content-Type: application/json\r\n\r\n{{}}\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8_lossy(&body), expected);
        assert_eq!(&body[body.len() - boundary.len() - 6..], format!("--{boundary}--\r\n").as_bytes());
    }

    #[test]
    fn the_parts_bytes_are_shared_not_copied() {
        let image = Bytes::from(vec![9u8; 4096]);
        let (body, _) = Multipart::new()
            .part("image", Some("a.jpg"), "image/jpeg", image.clone())
            .unwrap()
            .part("image", Some("b.jpg"), "image/jpeg", image.clone())
            .unwrap()
            .finish();
        let RequestBody::Parts(chunks) = body else {
            panic!("a multipart body is sent in parts");
        };
        let shared = chunks.iter().filter(|c| c.as_ptr() == image.as_ptr()).count();
        assert_eq!(shared, 2);
    }

    #[test]
    fn finds_the_boundary_anywhere() {
        assert!(contains(b"xxluna-cly luna-clients-", b"luna-clients-"));
        assert!(contains(b"luna-clients-", b"luna-clients-"));
        assert!(!contains(b"luna-clients", b"luna-clients-"));
        assert!(!contains(b"", b"l"));
    }

    #[test]
    fn boundaries_are_random() {
        assert_ne!(random_boundary(), random_boundary());
    }

    #[test]
    fn refuses_header_injection() {
        let bytes = Bytes::from_static(b"x");
        for (name, file) in [("im\"age", None), ("image", Some("a\r\nX: y")), ("", None), ("a", Some("b\\c"))] {
            assert!(Multipart::new().part(name, file, "image/jpeg", bytes.clone()).is_err());
        }
        assert!(Multipart::new().part("image", None, "image/jpeg\r\nX: y", bytes).is_err());
    }
}
