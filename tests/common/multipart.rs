//! A strict `multipart/form-data` parser for the wire tests.

/// One decoded multipart part.
#[derive(Debug)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Splits a `multipart/form-data` body (as sent by the client) into its parts, strictly:
/// any deviation from the RFC 7578 layout fails the test.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let closing = format!("--{boundary}--\r\n");
    assert!(
        body.ends_with(closing.as_bytes()),
        "missing closing delimiter"
    );
    let mut rest = &body[..body.len() - closing.len()];
    let mut parts = Vec::new();
    while !rest.is_empty() {
        assert!(
            rest.starts_with(format!("{delimiter}\r\n").as_bytes()),
            "bad delimiter"
        );
        rest = &rest[delimiter.len() + 2..];
        let head_end = find(rest, b"\r\n\r\n").expect("part head");
        let head = std::str::from_utf8(&rest[..head_end]).unwrap();
        rest = &rest[head_end + 4..];
        let next = find(rest, format!("\r\n{delimiter}").as_bytes()).unwrap_or(rest.len() - 2);
        let body = rest[..next].to_vec();
        rest = &rest[next + 2..];
        let mut name = None;
        let mut file_name = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(": ").expect("header line");
            match key.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for item in value.split("; ").skip(1) {
                        let (k, v) = item.split_once('=').unwrap();
                        let v = v.trim_matches('"').to_owned();
                        match k {
                            "name" => name = Some(v),
                            "filename" => file_name = Some(v),
                            other => panic!("unexpected disposition member {other}"),
                        }
                    }
                    assert!(value.starts_with("form-data; "));
                }
                "content-type" => content_type = Some(value.to_owned()),
                other => panic!("unexpected part header {other}"),
            }
        }
        parts.push(Part {
            name: name.expect("part name"),
            file_name,
            content_type: content_type.expect("part content type"),
            body,
        });
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
