//! The seven LUNA services, their default ports and API-version prefixes, and how an address is
//! written (`http://host:port`, `http://host:port/3`, or the LUNA settings form
//! `{"origin": "http://host:port", "api": 3}`).

use std::fmt;
use std::time::Duration;

use url::Url;

use crate::error::{Error, Result};

/// One of the LUNA PLATFORM 5 services wrapped by this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Service {
    /// luna-events (Python `Events`).
    Events,
    /// luna-faces (Python `Faces`).
    Faces,
    /// luna-image-store (Python `LIS`).
    ImageStore,
    /// luna-python-matcher (Python `LPM`).
    Matcher,
    /// luna-remote-sdk (Python `LRS`).
    RemoteSdk,
    /// luna-sender (Python `Sender`).
    Sender,
    /// luna-handlers (Python `Handlers`).
    Handlers,
}

impl Service {
    /// The service's name as errors and logs show it (`luna-faces`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Service::Events => "luna-events",
            Service::Faces => "luna-faces",
            Service::ImageStore => "luna-image-store",
            Service::Matcher => "luna-python-matcher",
            Service::RemoteSdk => "luna-remote-sdk",
            Service::Sender => "luna-sender",
            Service::Handlers => "luna-handlers",
        }
    }

    /// Every service, in a stable order.
    pub const ALL: [Service; 7] = [
        Service::Events,
        Service::Faces,
        Service::ImageStore,
        Service::Matcher,
        Service::RemoteSdk,
        Service::Sender,
        Service::Handlers,
    ];

    /// Default port of the service (LUNA "default ports for services").
    pub const fn default_port(self) -> u16 {
        match self {
            Service::ImageStore => 5020,
            Service::Faces => 5030,
            Service::Events => 5040,
            Service::Sender => 5080,
            Service::Handlers => 5090,
            Service::Matcher => 5100,
            Service::RemoteSdk => 5220,
        }
    }

    /// Default API-version prefix of the service (`/3` for Faces, `/1` for most others).
    ///
    /// The Events prefix is not published; `2` is this crate's choice (see the wire notes).
    pub const fn default_api_version(self) -> u32 {
        match self {
            Service::Faces => 3,
            Service::Events => 2,
            Service::ImageStore
            | Service::Matcher
            | Service::RemoteSdk
            | Service::Sender
            | Service::Handlers => 1,
        }
    }

    /// Name used in the LUNA settings (`LUNA_<NAME>_ADDRESS`, `LUNA_<NAME>_TIMEOUTS`).
    pub const fn settings_name(self) -> &'static str {
        match self {
            Service::Events => "EVENTS",
            Service::Faces => "FACES",
            Service::ImageStore => "IMAGE_STORE",
            Service::Matcher => "PYTHON_MATCHER",
            Service::RemoteSdk => "REMOTE_SDK",
            Service::Sender => "SENDER",
            Service::Handlers => "HANDLERS",
        }
    }

    /// Name of the environment variable holding the service address.
    pub fn address_variable(self) -> String {
        format!("LUNA_{}_ADDRESS", self.settings_name())
    }

    /// Name of the environment variable holding the service timeouts.
    pub fn timeouts_variable(self) -> String {
        format!("LUNA_{}_TIMEOUTS", self.settings_name())
    }

    pub(crate) const fn index(self) -> usize {
        match self {
            Service::Events => 0,
            Service::Faces => 1,
            Service::ImageStore => 2,
            Service::Matcher => 3,
            Service::RemoteSdk => 4,
            Service::Sender => 5,
            Service::Handlers => 6,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where one service lives: its origin (scheme, host, port and an optional path prefix of a
/// reverse proxy) and its API-version prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEndpoint {
    origin: Url,
    api_version: u32,
    request_timeout: Option<Duration>,
}

impl ServiceEndpoint {
    /// The default endpoint of a service: `http://127.0.0.1:<default port>` with its default prefix.
    pub fn default_for(service: Service) -> Self {
        let origin = Url::parse(&format!("http://127.0.0.1:{}", service.default_port()))
            .expect("static default origin is a valid URL");
        ServiceEndpoint {
            origin,
            api_version: service.default_api_version(),
            request_timeout: None,
        }
    }

    /// Parses an address for `service`.
    ///
    /// Accepted forms: `http://host:port` (default prefix kept), `http://host:port/<n>` (a last
    /// numeric path segment is the API version), or the LUNA settings JSON object
    /// `{"origin": "http://host:port", "api": <n>}`. Credentials in the URL are refused: use the
    /// client builder's auth methods, so that they never show up in `Debug` output.
    pub fn parse(service: Service, address: &str) -> Result<Self> {
        let address = address.trim();
        if address.starts_with('{') {
            return Self::parse_settings_object(service, address);
        }
        let mut url = Url::parse(address)
            .map_err(|e| {
                let shown = redact_userinfo(address);
                Error::Config(format!("{service} address {shown:?}: {e}"))
            })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "{service} address must be http or https, got scheme {:?}",
                url.scheme()
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(format!(
                "{service} address must not carry credentials; use basic_auth()/bearer_token()"
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::Config(format!(
                "{service} address must not have a query or fragment"
            )));
        }
        let mut api_version = service.default_api_version();
        let segments: Vec<String> = url
            .path_segments()
            .map(|s| s.filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        let mut prefix = segments.as_slice();
        if let Some((last, rest)) = segments.split_last() {
            if let Ok(v) = last.parse::<u32>() {
                api_version = v;
                prefix = rest;
            }
        }
        url.set_path(&prefix.join("/"));
        Ok(ServiceEndpoint {
            origin: url,
            api_version,
            request_timeout: None,
        })
    }

    fn parse_settings_object(service: Service, address: &str) -> Result<Self> {
        #[derive(serde::Deserialize)]
        struct Settings {
            origin: String,
            #[serde(default)]
            api: Option<u32>,
        }
        let settings: Settings = serde_json::from_str(address)
            .map_err(|e| Error::Config(format!("{service} address settings object: {e}")))?;
        let mut endpoint = Self::parse(service, &settings.origin)?;
        if let Some(api) = settings.api {
            endpoint.api_version = api;
        }
        Ok(endpoint)
    }

    /// Replaces the API-version prefix.
    #[must_use]
    pub fn with_api_version(mut self, api_version: u32) -> Self {
        self.api_version = api_version;
        self
    }

    /// Sets a request timeout for this service only (overrides the client-wide one).
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The origin, without the API-version prefix and without a trailing slash.
    pub fn origin(&self) -> &str {
        self.origin.as_str().trim_end_matches('/')
    }

    /// The API-version prefix number.
    pub fn api_version(&self) -> u32 {
        self.api_version
    }

    /// The per-service request timeout, if one was set.
    pub fn request_timeout(&self) -> Option<Duration> {
        self.request_timeout
    }

    /// The base URL of versioned resources: `<origin>/<api_version>` (what `get_address()` returns).
    pub fn base_url(&self) -> String {
        format!("{}/{}", self.origin(), self.api_version)
    }
}

/// An address as it may be shown: the user-info part (`user:password@`) replaced by `***@`, even
/// when the address is not a valid URL.
pub(crate) fn redact_userinfo(address: &str) -> String {
    let start = address.find("://").map_or(0, |i| i + 3);
    let rest = &address[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &address[..start], &rest[at..]),
        None => address.to_owned(),
    }
}

/// Parses the LUNA `LUNA_<SERVICE>_TIMEOUTS` setting: a JSON object whose `request` member (seconds)
/// is the request timeout; a bare number is accepted too.
pub(crate) fn parse_timeouts_setting(service: Service, value: &str) -> Result<Option<Duration>> {
    let parsed: serde_json::Value = serde_json::from_str(value.trim())
        .map_err(|e| Error::Config(format!("{}: {e}", service.timeouts_variable())))?;
    let seconds = match &parsed {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::Object(map) => map.get("request").and_then(|v| v.as_f64()),
        _ => None,
    };
    match seconds {
        Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
        Some(_) => Err(Error::Config(format!(
            "{}: the request timeout must be a positive number of seconds",
            service.timeouts_variable()
        ))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_endpoints_follow_the_reference() {
        let faces = ServiceEndpoint::default_for(Service::Faces);
        assert_eq!(faces.base_url(), "http://127.0.0.1:5030/3");
        assert_eq!(
            ServiceEndpoint::default_for(Service::ImageStore).base_url(),
            "http://127.0.0.1:5020/1"
        );
        assert_eq!(
            ServiceEndpoint::default_for(Service::RemoteSdk).base_url(),
            "http://127.0.0.1:5220/1"
        );
    }

    #[test]
    fn parses_plain_origin_and_versioned_address() {
        let e = ServiceEndpoint::parse(Service::Faces, "http://faces:6000/").unwrap();
        assert_eq!(e.base_url(), "http://faces:6000/3");
        let e = ServiceEndpoint::parse(Service::Faces, "http://faces:6000/4").unwrap();
        assert_eq!(e.base_url(), "http://faces:6000/4");
        let e = ServiceEndpoint::parse(Service::Faces, "https://gw/luna/faces/3").unwrap();
        assert_eq!(e.origin(), "https://gw/luna/faces");
        assert_eq!(e.base_url(), "https://gw/luna/faces/3");
    }

    #[test]
    fn parses_luna_settings_object() {
        let e = ServiceEndpoint::parse(
            Service::Events,
            r#"{"origin": "http://10.0.0.1:5040", "api": 2}"#,
        )
        .unwrap();
        assert_eq!(e.base_url(), "http://10.0.0.1:5040/2");
    }

    #[test]
    fn refuses_credentials_and_bad_schemes() {
        assert!(matches!(
            ServiceEndpoint::parse(Service::Faces, "http://user:pw@faces:5030"),
            Err(Error::Config(msg)) if !msg.contains("pw")
        ));
        assert!(ServiceEndpoint::parse(Service::Faces, "ftp://faces").is_err());
        assert!(ServiceEndpoint::parse(Service::Faces, "not a url").is_err());
    }

    #[test]
    fn parses_timeouts_setting() {
        let t = parse_timeouts_setting(Service::Faces, r#"{"connect": 20, "request": 60}"#);
        assert_eq!(t.unwrap(), Some(Duration::from_secs(60)));
        assert_eq!(
            parse_timeouts_setting(Service::Faces, "2.5").unwrap(),
            Some(Duration::from_millis(2500))
        );
        assert!(parse_timeouts_setting(Service::Faces, "-1").is_err());
    }
}
