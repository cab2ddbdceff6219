//! A small `multipart/form-data` encoder (RFC 7578) producing one [`Bytes`] body, shared by
//! every service that sends several images (Remote SDK, Handlers).
//!
//! The boundary is random and checked against every part, so no part can end the body early;
//! part names, file names and content types are validated so no caller input can add a header.

use bytes::{BufMut, Bytes, BytesMut};
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

    /// The body and its `Content-Type` (`multipart/form-data; boundary=...`).
    pub(crate) fn finish(self) -> (Bytes, HeaderValue) {
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
        let size: usize = self
            .parts
            .iter()
            .map(|p| p.body.len() + p.name.len() + 200 + boundary.len())
            .sum::<usize>()
            + boundary.len()
            + 8;
        let mut out = BytesMut::with_capacity(size);
        for part in &self.parts {
            out.put_slice(b"--");
            out.put_slice(boundary.as_bytes());
            out.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.put_slice(part.name.as_bytes());
            out.put_slice(b"\"");
            if let Some(file_name) = &part.file_name {
                out.put_slice(b"; filename=\"");
                out.put_slice(file_name.as_bytes());
                out.put_slice(b"\"");
            }
            out.put_slice(b"\r\nContent-Type: ");
            out.put_slice(part.content_type.as_bytes());
            out.put_slice(b"\r\n\r\n");
            out.put_slice(&part.body);
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(boundary.as_bytes());
        out.put_slice(b"--\r\n");
        let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
            .expect("the boundary is alphanumeric");
        (out.freeze(), content_type)
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

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
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
