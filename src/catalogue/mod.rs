//! Every endpoint this crate calls, as data: one [`Endpoint`] per operation of a service
//! handle (service, Python and Rust names, HTTP method, path template, query names, body and
//! answer kinds, retry-safety, account scoping, and how sure the wire reference is of it).
//!
//! The service methods build their requests from these entries (nothing about an endpoint is
//! written twice); the README's Python → Rust tables are checked against them; and a
//! deployment's OpenAPI documents (`GET /docs/spec`) can be compared with them.
//!
//! ```
//! use luna_clients::catalogue::{self, HttpMethod};
//! use luna_clients::Service;
//!
//! let get_face = catalogue::find(Service::Faces, "get_face").expect("in the catalogue");
//! assert_eq!(get_face.method, HttpMethod::Get);
//! assert_eq!(get_face.path_template, "/faces/{face_id}");
//! assert!(get_face.matches_path("/faces/3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11"));
//! assert!(catalogue::all().count() > 80);
//! ```
//!
//! Not in the catalogue: the service-independent resources every service serves
//! (`GET /version`, `GET /docs/spec`, read by `LunaClient::version` and
//! `LunaClient::openapi_spec`), raw requests, and the caller's own path of
//! [`PublishRoute::SenderPath`](crate::services::sender::PublishRoute::SenderPath).

mod entries;

pub use entries::*;

use std::fmt;

use crate::call::Call;
use crate::service::Service;

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET` (for [`AnswerKind::EventStream`]: the WebSocket handshake).
    Get,
    /// `HEAD`.
    Head,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl HttpMethod {
    /// The method's name in upper case (`"GET"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// The method as an [`http::Method`].
    pub fn to_http(self) -> http::Method {
        match self {
            HttpMethod::Get => http::Method::GET,
            HttpMethod::Head => http::Method::HEAD,
            HttpMethod::Post => http::Method::POST,
            HttpMethod::Put => http::Method::PUT,
            HttpMethod::Patch => http::Method::PATCH,
            HttpMethod::Delete => http::Method::DELETE,
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an endpoint's request body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    None,
    /// A JSON document.
    Json,
    /// Images or descriptors: one raw image, a multipart form of several, or JSON naming
    /// URLs, stored image ids or samples (the input decides).
    Images,
    /// The caller's bytes with the caller's content type (image store uploads).
    Raw,
    /// JSON, or a binary file as is (an attribute from its XPK file).
    JsonOrBinary,
}

/// What an endpoint answers, as this crate reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AnswerKind {
    /// A JSON document (decoded into a model).
    Json,
    /// Nothing of interest (any 2xx is success).
    Empty,
    /// Existence: 2xx is `true`, 404 is `false`.
    Exists,
    /// Headers only (a `HEAD` whose headers describe the stored item; 404 is `None`).
    Headers,
    /// Bytes as stored (downloads, raw descriptors).
    Bytes,
    /// A count, as a number or in a JSON object.
    Count,
    /// A WebSocket delivering one JSON message per event.
    EventStream,
}

/// How sure the wire reference (`luna-api/`) is of an endpoint's method and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// Stated by VisionLabs documentation or read from published service source
    /// (`[doc]`, `[src]`).
    Documented,
    /// Inferred from naming patterns, pre-LP5 code or indirect evidence (`[inferred]`,
    /// `[old]`, unknown): check it against the deployment (see the wire notes).
    Inferred,
}

/// One endpoint as one operation of a service handle calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The service the request goes to.
    pub service: Service,
    /// The service handle whose method sends it (differs from `service` only for
    /// `Sender::publish`, which saves events through luna-handlers).
    pub client: Service,
    /// The Python method (`getFace`); `None` for methods the Python clients lack.
    pub python_name: Option<&'static str>,
    /// The Rust method (`get_face`).
    pub rust_method: &'static str,
    /// Other Rust methods sending the same request (`iter_faces`, `get_image_stream`).
    pub also_used_by: &'static [&'static str],
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path below the service's API-version prefix, with named parameters
    /// (`/faces/{face_id}`).
    pub path_template: &'static str,
    /// Every query parameter the method may send (a name ending in `*` is a prefix: the
    /// user-defined `meta.*` filters). The client's `account_id` is not listed: it goes with
    /// every request of an endpoint whose `account_scoped` is set.
    pub query_names: &'static [&'static str],
    /// The request body.
    pub body: BodyKind,
    /// The answer.
    pub answer: AnswerKind,
    /// Whether the request may be sent again after a retryable failure (reads, including
    /// read-only POSTs such as matching).
    pub retry_safe: bool,
    /// Whether the client's account id also goes into the `account_id` query parameter
    /// (every request carries the `Luna-Account-Id` header).
    pub account_scoped: bool,
    /// The reference's confidence in the method and path.
    pub confidence: Confidence,
}

impl Endpoint {
    /// An entry with no query, no body, a JSON answer, retry-safe for `GET`/`HEAD` only, not
    /// account scoped, documented.
    pub(crate) const fn new(
        service: Service,
        python_name: Option<&'static str>,
        rust_method: &'static str,
        method: HttpMethod,
        path_template: &'static str,
    ) -> Self {
        Endpoint {
            service,
            client: service,
            python_name,
            rust_method,
            also_used_by: &[],
            method,
            path_template,
            query_names: &[],
            body: BodyKind::None,
            answer: AnswerKind::Json,
            retry_safe: matches!(method, HttpMethod::Get | HttpMethod::Head),
            account_scoped: false,
            confidence: Confidence::Documented,
        }
    }

    #[must_use]
    pub(crate) const fn client(mut self, client: Service) -> Self {
        self.client = client;
        self
    }

    #[must_use]
    pub(crate) const fn also(mut self, methods: &'static [&'static str]) -> Self {
        self.also_used_by = methods;
        self
    }

    #[must_use]
    pub(crate) const fn query(mut self, names: &'static [&'static str]) -> Self {
        self.query_names = names;
        self
    }

    #[must_use]
    pub(crate) const fn body(mut self, body: BodyKind) -> Self {
        self.body = body;
        self
    }

    #[must_use]
    pub(crate) const fn answer(mut self, answer: AnswerKind) -> Self {
        self.answer = answer;
        self
    }

    #[must_use]
    pub(crate) const fn retry_safe(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    #[must_use]
    pub(crate) const fn not_retried(mut self) -> Self {
        self.retry_safe = false;
        self
    }

    #[must_use]
    pub(crate) const fn account_scoped(mut self) -> Self {
        self.account_scoped = true;
        self
    }

    #[must_use]
    pub(crate) const fn inferred(mut self) -> Self {
        self.confidence = Confidence::Inferred;
        self
    }

    /// The names of the path parameters, in order (`["bucket", "image_id"]`).
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path_template
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
    }

    /// Whether the method may send the query parameter `name` (the client's `account_id`
    /// included when the endpoint is account scoped).
    pub fn accepts_query(&self, name: &str) -> bool {
        (self.account_scoped && name == "account_id")
            || self.query_names.iter().any(|declared| match declared.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => *declared == name,
            })
    }

    /// Whether a concrete path (below the API-version prefix, without query) fills this
    /// endpoint's template: same segments, each `{param}` matched by one non-empty segment.
    pub fn matches_path(&self, path: &str) -> bool {
        let mut template = self.path_template.split('/');
        let mut concrete = path.split('/');
        loop {
            match (template.next(), concrete.next()) {
                (None, None) => return true,
                (Some(t), Some(c)) => {
                    let is_param = t.starts_with('{') && t.ends_with('}');
                    if (is_param && c.is_empty()) || (!is_param && t != c) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    /// The path with its parameters filled in template order. Fails when the number of values
    /// differs from the number of parameters, or a value is empty or contains `/`, `?` or `#`.
    pub fn path(&self, values: &[&dyn fmt::Display]) -> crate::Result<String> {
        let mut values = values.iter();
        let path = self.fill(|out, name| {
            let value = values
                .next()
                .ok_or_else(|| crate::Error::invalid(name, "missing"))?;
            // Written straight into the path (no string per value), checked where it landed.
            fmt::Write::write_fmt(out, format_args!("{value}"))
                .map_err(|_| crate::Error::invalid(name, "cannot be formatted"))?;
            Ok(Written::Unchecked)
        })?;
        if values.next().is_some() {
            return Err(crate::Error::invalid(
                "path",
                format!("too many values for {}", self.path_template),
            ));
        }
        Ok(path)
    }

    /// The path template with each `{param}` written by `write(out, name)`; each value written
    /// unchecked must be one non-empty path segment (no `/`, `?` or `#`).
    fn fill(
        &self,
        mut write: impl FnMut(&mut String, &'static str) -> crate::Result<Written>,
    ) -> crate::Result<String> {
        let mut out = String::with_capacity(self.path_template.len() + 40);
        let mut rest = self.path_template;
        // Parameters are whole `{name}` segments (checked by the catalogue's tests).
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            out.push_str(&rest[..open]);
            let name = &rest[open + 1..close];
            let start = out.len();
            let written = write(&mut out, name)?;
            let value = &out[start..];
            if written == Written::Unchecked
                && (value.is_empty() || value.bytes().any(|b| matches!(b, b'/' | b'?' | b'#')))
            {
                return Err(crate::Error::invalid(
                    name,
                    format!("{value:?} is not one path segment"),
                ));
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// What a path parameter's writer vouches for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Anything: checked to be one non-empty segment.
    Unchecked,
    /// One non-empty segment by construction (a hyphenated UUID).
    OneSegment,
}

impl Endpoint {
    /// The call of this endpoint with its path parameters filled in template order: method,
    /// path, retry-safety and account scoping all come from the entry.
    pub(crate) fn call(&'static self, values: &[&dyn fmt::Display]) -> crate::Result<Call> {
        Ok(self.call_with_path(self.path(values)?))
    }

    /// The call of an endpoint whose one path parameter is an object id, resolved (and named
    /// in errors) under the parameter's name.
    pub(crate) fn call_id(&'static self, id: impl Into<crate::id::Id>) -> crate::Result<Call> {
        let id = id.into();
        let mut ids = 0;
        let path = self.fill(|out, name| {
            ids += 1;
            if ids > 1 {
                return Err(crate::Error::invalid(name, "missing"));
            }
            let mut text = uuid::Uuid::encode_buffer();
            out.push_str(id.resolve(name)?.hyphenated().encode_lower(&mut text));
            Ok(Written::OneSegment)
        })?;
        if ids != 1 {
            return Err(crate::Error::invalid(
                "path",
                format!("too many values for {}", self.path_template),
            ));
        }
        Ok(self.call_with_path(path))
    }

    fn call_with_path(&'static self, path: String) -> Call {
        let mut call = Call::new(self.method.to_http(), path);
        call.retry_safe = self.retry_safe;
        call.account_query = self.account_scoped;
        call
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.service, self.method, self.path_template)
    }
}

/// Every entry of the catalogue, service by service.
pub fn all() -> impl Iterator<Item = &'static Endpoint> {
    Service::ALL.into_iter().flat_map(for_client)
}

/// The entries of one service handle's methods (`Sender` includes `publish`, which goes to
/// luna-handlers).
pub fn for_client(client: Service) -> impl Iterator<Item = &'static Endpoint> {
    let list: &'static [&'static Endpoint] = match client {
        Service::Events => entries::events::ALL,
        Service::Faces => entries::faces::ALL,
        Service::ImageStore => entries::image_store::ALL,
        Service::Matcher => entries::matcher::ALL,
        Service::RemoteSdk => entries::remote_sdk::ALL,
        Service::Sender => entries::sender::ALL,
        Service::Handlers => entries::handlers::ALL,
    };
    list.iter().copied()
}

/// The entries whose requests go to `service` (the ones a deployment's `service` must serve).
pub fn for_service(service: Service) -> impl Iterator<Item = &'static Endpoint> {
    all().filter(move |e| e.service == service)
}

/// The entry of a Rust method of a service handle (its own or one in
/// [`Endpoint::also_used_by`]).
pub fn find(client: Service, rust_method: &str) -> Option<&'static Endpoint> {
    for_client(client)
        .find(|e| e.rust_method == rust_method || e.also_used_by.contains(&rust_method))
}

/// Test helper: every pair of `query` is declared by `endpoint`.
#[cfg(test)]
pub(crate) fn assert_declared(endpoint: &Endpoint, query: &crate::query::Query) {
    assert!(!query.is_empty(), "an empty query proves nothing");
    for (name, _) in query.pairs() {
        assert!(endpoint.accepts_query(name), "{endpoint}: `{name}` is not declared");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_and_match() {
        let e = &image_store::GET_IMAGE;
        assert_eq!(e.path_params().collect::<Vec<_>>(), ["bucket", "image_id"]);
        let path = e.path(&[&"b1", &"42"]).unwrap();
        assert_eq!(path, "/buckets/b1/images/42");
        assert!(e.matches_path(&path));
        assert!(!e.matches_path("/buckets/b1/images"));
        assert!(!e.matches_path("/buckets//images/42"));
        assert!(!e.matches_path("/buckets/b1/objects/42"));
        assert!(e.path(&[&"b1"]).is_err());
        assert!(e.path(&[&"b1", &"4/2"]).is_err());
        assert!(e.path(&[&"b1", &"42", &"x"]).is_err());
    }

    #[test]
    fn an_id_fills_the_one_parameter() {
        let id = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
        let call = faces::GET_FACE.call_id(id).unwrap();
        assert_eq!(call.path, format!("/faces/{id}"));
        let upper = faces::GET_FACE.call_id(id.to_uppercase()).unwrap();
        assert_eq!(upper.path, call.path, "written lowercase, hyphenated");
        let err = faces::GET_FACE.call_id("nope").unwrap_err().to_string();
        assert!(err.contains("face_id"), "{err}");
        assert!(image_store::GET_IMAGE.call_id(id).is_err(), "two parameters, one id");
        assert!(faces::GET_FACES.call_id(id).is_err(), "no parameter");
    }

    #[test]
    fn every_entry_is_unique_and_well_formed() {
        let entries: Vec<&Endpoint> = all().collect();
        for (i, a) in entries.iter().enumerate() {
            assert!(a.path_template.starts_with('/'), "{a}");
            // Braces only around whole segments: what `path_params` and `fill` both read.
            let braces = a.path_template.matches('{').count();
            assert_eq!(braces, a.path_template.matches('}').count(), "{a}");
            assert_eq!(braces, a.path_params().count(), "{a}");
            assert!(!a.rust_method.is_empty());
            for b in &entries[i + 1..] {
                assert!(
                    !(a.client == b.client && a.rust_method == b.rust_method),
                    "{} twice",
                    a.rust_method
                );
            }
        }
        assert!(find(Service::Faces, "iter_faces").is_some());
        assert!(find(Service::Faces, "nope").is_none());
    }

    #[test]
    fn account_scoping_allows_account_id() {
        assert!(faces::GET_FACE.accepts_query("account_id"));
        assert!(faces::GET_FACE.accepts_query("targets"));
        assert!(!faces::GET_FACE.accepts_query("page"));
        assert!(events::GET_EVENTS.accepts_query("meta.user_info.age__gte:numeric"));
        assert!(!handlers::GET_HANDLERS.accepts_query("account_id"));
    }
}
