//! A small HTTP client for the emulator's own tests: any method, path, headers and body; the
//! answer's status, headers and body, never an error for a non-2xx status.
#![allow(dead_code)]

use luna_emulator::{Emulator, Service};
use serde_json::Value;
use std::sync::OnceLock;

/// An account used by the tests that create objects.
pub const ACCOUNT: &str = "8950722f-3fd4-4223-b48f-03f95f0e8dfb";
/// Another account, to check isolation.
pub const OTHER: &str = "11111111-2222-4333-8444-555555555555";

/// The emulator of this test binary.
pub fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| Emulator::start().expect("starts"))
}

/// An answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts a LUNA error body with this status and code.
    pub fn assert_error(&self, status: u16, code: u64) {
        let body = self.json();
        assert_eq!(
            (self.status, body["error_code"].as_u64()),
            (status, Some(code)),
            "{body}"
        );
        assert!(
            body["desc"].is_string() && body["detail"].is_string(),
            "{body}"
        );
        assert_eq!(
            body["link"].as_str(),
            Some(format!("https://docs.visionlabs.ai/info/luna/troubleshooting/errors-description/code-{code}").as_str())
        );
    }
}

/// A request to one service.
pub struct Call {
    service: Service,
    method: &'static str,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

pub fn call(service: Service, method: &'static str, path: impl Into<String>) -> Call {
    Call {
        service,
        method,
        path: path.into(),
        headers: vec![("Luna-Account-Id".into(), ACCOUNT.into())],
        body: None,
    }
}

impl Call {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn no_account(mut self) -> Self {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("Luna-Account-Id"));
        self
    }

    pub fn json(self, value: Value) -> Self {
        self.header("Content-Type", "application/json")
            .bytes(value.to_string().into_bytes())
    }

    pub fn bytes(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    pub fn send(self) -> Answer {
        self.send_to(emulator())
    }

    /// Sends the request to another emulator than the test binary's.
    pub fn send_to(self, emulator: &Emulator) -> Answer {
        let url = format!("{}{}", emulator.origin(self.service), self.path);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            .build()
            .into();
        let mut request = ureq::http::Request::builder().method(self.method).uri(url);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let request = request
            .body(self.body.unwrap_or_default())
            .expect("request");
        let response = agent.run(request).expect("the emulator answers");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response
            .into_body()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        Answer {
            status,
            headers,
            body,
        }
    }
}

/// Base64 of an SDK descriptor of `version` with a 512-byte payload of `byte`.
pub fn sdk_descriptor(version: u32, byte: u8) -> String {
    use base64::Engine as _;
    let mut bytes = vec![0x64, 0x70, 0, 0];
    bytes.extend_from_slice(&version.to_le_bytes());
    bytes.extend_from_slice(&[byte; 512]);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A `multipart/form-data` body: `(name, file name, content type, bytes)` per part; returns the
/// `Content-Type` header value and the body.
pub fn multipart(parts: &[(&str, Option<&str>, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "emulator-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, filename, kind, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let file = filename
            .map(|f| format!("; filename=\"{f}\""))
            .unwrap_or_default();
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"{file}\r\nContent-Type: {kind}\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Call {
    /// A multipart body of `parts` (see [`multipart`]).
    pub fn multipart(self, parts: &[(&str, Option<&str>, &str, &[u8])]) -> Self {
        let (kind, body) = multipart(parts);
        self.header("Content-Type", &kind).bytes(body)
    }

    /// An image body.
    pub fn image(self, bytes: Vec<u8>) -> Self {
        self.header("Content-Type", "image/png").bytes(bytes)
    }
}

/// The descriptor in an SDK answer's `{"sdk_descriptor": base64}` member.
pub fn answer_descriptor(value: &Value) -> luna_emulator::descriptors::Descriptor {
    luna_emulator::descriptors::Descriptor::from_json(&value["sdk_descriptor"], "d")
        .unwrap_or_else(|_| panic!("an SDK descriptor in {value}"))
}
