//! The conformance check: the crate's [endpoint catalogue](crate::catalogue) compared with the
//! OpenAPI document a deployment's services serve at `GET /docs/spec`.
//!
//! Per catalogue endpoint the check tells whether the document has its path, its method, every
//! query name the crate may send, and no required parameter the crate never sends; per service
//! it also lists the document's operations that no catalogue endpoint covers (informative: they
//! do not make a deployment non-conformant).
//!
//! `LunaClient::check_conformance` fetches the documents (see the client of your mode);
//! [`check_document`] compares a document you already have:
//!
//! ```
//! use luna_clients::conformance::{check_document, ServiceOutcome};
//! use luna_clients::{Service, ServiceEndpoint};
//!
//! let yaml = b"openapi: 3.0.3\npaths:\n  /{api_version}/faces/{faceId}:\n    head: {}\n";
//! let endpoint = ServiceEndpoint::default_for(Service::Faces);
//! let outcome = check_document(Service::Faces, &endpoint, yaml, Some("application/x-yaml"));
//! let ServiceOutcome::Compared(comparison) = outcome else { panic!("a document") };
//! let head_face = comparison.endpoints.iter().find(|c| c.endpoint.rust_method == "head_face");
//! // The document lists no query parameters: the `account_id` the crate sends is reported.
//! assert!(head_face.unwrap().findings[0].to_string().contains("account_id"));
//! // The other endpoints of luna-faces are not in this document.
//! assert_eq!(comparison.mismatches(), comparison.endpoints.len());
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::fmt::Write as _;

use http::Method;

use crate::catalogue::{self, BodyKind, Confidence, Endpoint};
use crate::error::Error;
use crate::openapi::{path_key, OpenApiSpec, ParameterLocation, SpecError, SpecOperation, SpecParameter};
use crate::service::{Service, ServiceEndpoint};

/// Headers the client can send on any request: a required header parameter of one of these
/// names is not reported (`Luna-Account-Id` and `Authorization` are sent when configured).
pub const SENT_HEADERS: [&str; 8] = [
    "luna-request-id",
    "luna-account-id",
    "authorization",
    "user-agent",
    "accept",
    "accept-encoding",
    "content-type",
    "content-length",
];

/// The service-level resources the client reads itself (`GET`, outside the API prefix:
/// `LunaClient::version`, `LunaClient::openapi_spec`). They are not in the catalogue and are
/// not reported as operations the crate does not cover.
pub const CLIENT_RESOURCES: [&str; 2] = ["/version", "/docs/spec"];

/// One difference between a catalogue endpoint and the document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// The document has no operation on this path (with any method).
    PathMissing,
    /// The document has the path, but not with this method.
    MethodMissing {
        /// The methods the document lists for the path.
        documented: Vec<Method>,
    },
    /// Query names the crate may send that the document does not list.
    UnlistedQuery {
        /// The names, sorted.
        names: Vec<String>,
    },
    /// Parameters the document requires that the crate never sends.
    RequiredNotSent {
        /// The parameters, sorted.
        parameters: Vec<SpecParameter>,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::PathMissing => f.write_str("path missing"),
            Finding::MethodMissing { documented } => {
                let methods: Vec<&str> = documented.iter().map(Method::as_str).collect();
                write!(f, "method missing (documented: {})", methods.join(", "))
            }
            Finding::UnlistedQuery { names } => {
                write!(f, "query not in the spec: {}", names.join(", "))
            }
            Finding::RequiredNotSent { parameters } => {
                let names: Vec<String> = parameters.iter().map(ToString::to_string).collect();
                write!(f, "required, never sent: {}", names.join(", "))
            }
        }
    }
}

/// What the crate sends to one endpoint, as the comparison sees it.
#[derive(Debug, Clone)]
pub(crate) struct Expectation<'a> {
    pub method: Method,
    /// The full path template below the origin (`/3/faces/{face_id}`, `/version`).
    pub path: String,
    pub query: &'a [&'a str],
    pub sends_body: bool,
}

/// Where the service lives, as far as the paths of its document are concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Base<'a> {
    /// The path of the configured origin (a reverse proxy's prefix), without trailing `/`.
    pub origin_path: &'a str,
    /// The API version prefix the client uses.
    pub api_version: u32,
}

/// The comparison key of a document path: the origin's prefix dropped when the document
/// includes it, a leading `{api_version}`-like parameter read as the client's version, then
/// [`path_key`].
pub(crate) fn spec_key(path: &str, base: Base<'_>) -> String {
    let mut path = path;
    if !base.origin_path.is_empty() {
        if let Some(rest) = path.strip_prefix(base.origin_path) {
            if rest.starts_with('/') {
                path = rest;
            }
        }
    }
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let (first, rest) = match trimmed.find('/') {
        Some(at) => (&trimmed[..at], &trimmed[at..]),
        None => (trimmed, ""),
    };
    let version_param = first
        .strip_prefix('{')
        .and_then(|p| p.strip_suffix('}'))
        .is_some_and(|name| {
            let name = name.to_ascii_lowercase();
            name.contains("version") || name == "api"
        });
    if version_param {
        path_key(&format!("/{}{rest}", base.api_version))
    } else {
        path_key(path)
    }
}

/// Compares each expectation with the document's operations: the findings of each (empty:
/// it matches) and the indices of the operations no expectation covers.
pub(crate) fn compare(
    expectations: &[Expectation<'_>],
    operations: &[SpecOperation],
    base: Base<'_>,
) -> (Vec<Vec<Finding>>, Vec<usize>) {
    let keys: Vec<String> = operations.iter().map(|op| spec_key(&op.path, base)).collect();
    let mut covered = vec![false; operations.len()];
    let findings = expectations
        .iter()
        .map(|expected| {
            let key = path_key(&expected.path);
            let on_path: Vec<usize> = (0..operations.len()).filter(|i| keys[*i] == key).collect();
            if on_path.is_empty() {
                return vec![Finding::PathMissing];
            }
            let Some(&index) = on_path
                .iter()
                .find(|i| operations[**i].method == expected.method)
            else {
                let mut documented: Vec<Method> = on_path
                    .iter()
                    .map(|i| operations[*i].method.clone())
                    .collect();
                documented.sort_by(|a, b| a.as_str().cmp(b.as_str()));
                documented.dedup();
                return vec![Finding::MethodMissing { documented }];
            };
            covered[index] = true;
            check_operation(expected, &operations[index])
        })
        .collect();
    let uncovered = (0..operations.len()).filter(|i| !covered[*i]).collect();
    (findings, uncovered)
}

fn check_operation(expected: &Expectation<'_>, operation: &SpecOperation) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !operation.any_query {
        let listed = |name: &str| match name.strip_suffix('*') {
            // A prefix (`meta.*`): some listed name has it.
            Some(prefix) => operation.query.iter().any(|q| q.starts_with(prefix)),
            None => operation.query.contains(name),
        };
        let names: BTreeSet<String> = expected
            .query
            .iter()
            .filter(|name| !listed(name))
            .map(|name| (*name).to_owned())
            .collect();
        if !names.is_empty() {
            findings.push(Finding::UnlistedQuery {
                names: names.into_iter().collect(),
            });
        }
    }
    let parameters: Vec<SpecParameter> = operation
        .required
        .iter()
        .filter(|p| match p.location {
            ParameterLocation::Query => !expected.query.contains(&p.name.as_str()),
            ParameterLocation::Header => !SENT_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()),
            ParameterLocation::Body => !expected.sends_body,
            ParameterLocation::Cookie => true,
        })
        .cloned()
        .collect();
    if !parameters.is_empty() {
        findings.push(Finding::RequiredNotSent { parameters });
    }
    findings
}

/// The check of one catalogue endpoint.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EndpointCheck {
    /// The catalogue entry.
    pub endpoint: &'static Endpoint,
    /// Its differences from the document; empty when it matches.
    pub findings: Vec<Finding>,
}

impl EndpointCheck {
    /// Whether the document agrees with the entry.
    pub fn matches(&self) -> bool {
        self.findings.is_empty()
    }
}

/// One service's document compared with the catalogue entries of that service.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServiceComparison {
    /// The document's `info.title`.
    pub title: Option<String>,
    /// The document's `openapi` (or `swagger`) version.
    pub openapi_version: String,
    /// The base path of the document's first server (empty when it names none).
    pub base_path: String,
    /// Every catalogue entry whose requests go to the service, in catalogue order.
    pub endpoints: Vec<EndpointCheck>,
    /// The document's operations that no entry covers, by path then method.
    pub uncovered: Vec<SpecOperation>,
}

impl ServiceComparison {
    /// Compares `spec` with the catalogue entries of `service`, whose client configuration is
    /// `endpoint` (its API version reads a leading `{api_version}` of the document's paths; its
    /// origin path, a reverse proxy's prefix, is dropped from paths that include it).
    pub fn new(service: Service, endpoint: &ServiceEndpoint, spec: OpenApiSpec) -> Self {
        let entries: Vec<&'static Endpoint> = catalogue::for_service(service).collect();
        let account = ["account_id"];
        let queries: Vec<Vec<&str>> = entries
            .iter()
            .map(|e| {
                let extra = if e.account_scoped { &account[..] } else { &[] };
                e.query_names.iter().chain(extra).copied().collect()
            })
            .collect();
        let expectations: Vec<Expectation<'_>> = entries
            .iter()
            .zip(&queries)
            .map(|(e, query)| Expectation {
                method: e.method.to_http(),
                path: format!("/{}{}", endpoint.api_version(), e.path_template),
                query,
                sends_body: e.body != BodyKind::None,
            })
            .collect();
        let origin_path = origin_path(endpoint);
        let base = Base {
            origin_path: &origin_path,
            api_version: endpoint.api_version(),
        };
        let (findings, uncovered) = compare(&expectations, &spec.operations, base);
        let endpoints = entries
            .into_iter()
            .zip(findings)
            .map(|(endpoint, findings)| EndpointCheck { endpoint, findings })
            .collect();
        let mut uncovered: Vec<SpecOperation> = uncovered
            .into_iter()
            .filter_map(|i| spec.operations.get(i))
            .filter(|op| {
                !(op.method == Method::GET
                    && CLIENT_RESOURCES.contains(&spec_key(&op.path, base).as_str()))
            })
            .cloned()
            .collect();
        uncovered.sort_by(|a, b| (&a.path, a.method.as_str()).cmp(&(&b.path, b.method.as_str())));
        ServiceComparison {
            title: spec.title,
            openapi_version: spec.version,
            base_path: spec.base_path,
            endpoints,
            uncovered,
        }
    }

    /// How many entries differ from the document.
    pub fn mismatches(&self) -> usize {
        self.endpoints.iter().filter(|c| !c.matches()).count()
    }
}

fn origin_path(endpoint: &ServiceEndpoint) -> String {
    url::Url::parse(endpoint.origin())
        .map(|url| url.path().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// What checking one service gave.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServiceOutcome {
    /// The document was read and compared.
    Compared(ServiceComparison),
    /// `GET /docs/spec` failed (no answer, or an error status).
    Unreachable(Error),
    /// The answer is not an OpenAPI document.
    NotASpec(SpecError),
}

/// Reads a service's document (`body` served with `content_type`, JSON or YAML) and compares
/// it with the catalogue; see [`ServiceComparison::new`].
pub fn check_document(
    service: Service,
    endpoint: &ServiceEndpoint,
    body: &[u8],
    content_type: Option<&str>,
) -> ServiceOutcome {
    match OpenApiSpec::parse(body, content_type) {
        Ok(spec) => ServiceOutcome::Compared(ServiceComparison::new(service, endpoint, spec)),
        Err(error) => ServiceOutcome::NotASpec(error),
    }
}

/// The check of one service.
#[derive(Debug)]
#[non_exhaustive]
pub struct ServiceReport {
    /// The service.
    pub service: Service,
    /// Its configured address (origin and API version).
    pub address: String,
    /// What the check gave.
    pub outcome: ServiceOutcome,
}

impl ServiceReport {
    /// The report of `service` at `endpoint` for an `outcome`.
    pub fn new(service: Service, endpoint: &ServiceEndpoint, outcome: ServiceOutcome) -> Self {
        ServiceReport {
            service,
            address: endpoint.base_url(),
            outcome,
        }
    }

    /// Whether the service's document was compared and every entry matches it.
    pub fn is_conformant(&self) -> bool {
        matches!(&self.outcome, ServiceOutcome::Compared(c) if c.mismatches() == 0)
    }
}

/// The conformance report of a deployment: one [`ServiceReport`] per checked service. Its
/// `Display` is a readable table.
#[derive(Debug)]
#[non_exhaustive]
pub struct ConformanceReport {
    /// The services, in the order checked.
    pub services: Vec<ServiceReport>,
}

impl ConformanceReport {
    /// A report of these services.
    pub fn new(services: Vec<ServiceReport>) -> Self {
        ConformanceReport { services }
    }

    /// Whether every service was checked and every entry matches its document (operations
    /// the crate does not cover do not count).
    pub fn is_conformant(&self) -> bool {
        !self.services.is_empty() && self.services.iter().all(ServiceReport::is_conformant)
    }

    /// Entries that differ from their document, over every compared service.
    pub fn mismatches(&self) -> usize {
        self.comparisons().map(ServiceComparison::mismatches).sum()
    }

    fn comparisons(&self) -> impl Iterator<Item = &ServiceComparison> {
        self.services.iter().filter_map(|s| match &s.outcome {
            ServiceOutcome::Compared(c) => Some(c),
            _ => None,
        })
    }
}

/// A table per service (result, method, path, Rust method, the reference's confidence, the
/// differences), the operations the crate does not cover, and a closing verdict.
impl fmt::Display for ConformanceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for report in &self.services {
            render_service(&mut out, report);
            out.push('\n');
        }
        let compared = self.comparisons().count();
        let unchecked = self.services.len() - compared;
        let matching: usize = self
            .comparisons()
            .map(|c| c.endpoints.len() - c.mismatches())
            .sum();
        let inferred: Vec<&EndpointCheck> = self
            .comparisons()
            .flat_map(|c| &c.endpoints)
            .filter(|e| e.endpoint.confidence == Confidence::Inferred)
            .collect();
        let inferred_note = if inferred.is_empty() {
            String::new()
        } else {
            let held = inferred.iter().filter(|e| e.matches()).count();
            format!(" ({held} of the {} inferred ones)", inferred.len())
        };
        let verdict = if self.is_conformant() {
            "CONFORMANT"
        } else {
            "NOT CONFORMANT"
        };
        let _ = write!(
            out,
            "{verdict}: {compared} of {} services compared, {matching} endpoints match{inferred_note}, {} differ",
            self.services.len(),
            self.mismatches()
        );
        if unchecked > 0 {
            let _ = write!(out, ", {unchecked} services not checked");
        }
        out.push('\n');
        f.write_str(&out)
    }
}

fn render_service(out: &mut String, report: &ServiceReport) {
    let _ = write!(out, "{} at {}", report.service, report.address);
    let comparison = match &report.outcome {
        ServiceOutcome::Compared(c) => c,
        ServiceOutcome::Unreachable(error) => {
            let _ = writeln!(out, ": NOT CHECKED, /docs/spec unreachable: {error}");
            return;
        }
        ServiceOutcome::NotASpec(error) => {
            let _ = writeln!(out, ": NOT CHECKED, /docs/spec {error}");
            return;
        }
    };
    let title = comparison.title.as_deref().unwrap_or("untitled");
    let _ = writeln!(
        out,
        ": {title:?}, OpenAPI {}, {} endpoints, {} differ",
        comparison.openapi_version,
        comparison.endpoints.len(),
        comparison.mismatches()
    );
    let header = ["result", "method", "path", "rust method", "confidence", "differences"];
    let rows: Vec<[String; 6]> = comparison
        .endpoints
        .iter()
        .map(|check| {
            let e = check.endpoint;
            let findings: Vec<String> = check.findings.iter().map(ToString::to_string).collect();
            [
                if check.matches() { "ok" } else { "DIFFERS" }.to_owned(),
                e.method.to_string(),
                e.path_template.to_owned(),
                e.rust_method.to_owned(),
                match e.confidence {
                    Confidence::Documented => "documented",
                    Confidence::Inferred => "inferred",
                }
                .to_owned(),
                findings.join("; "),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, cells: &[&str]| {
        let mut text = String::from("  ");
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ", width = widths[i]);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(out, &header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule.iter().map(String::as_str).collect::<Vec<_>>());
    for row in &rows {
        line(out, &row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    if !comparison.uncovered.is_empty() {
        let _ = writeln!(
            out,
            "  in the spec, not called by this crate ({}):",
            comparison.uncovered.len()
        );
        for op in &comparison.uncovered {
            let _ = writeln!(out, "    {} {}", op.method, op.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::OpenApiSpec;

    const BASE: Base<'static> = Base {
        origin_path: "",
        api_version: 3,
    };

    fn expect<'a>(method: Method, path: &str, query: &'a [&'a str], body: bool) -> Expectation<'a> {
        Expectation {
            method,
            path: path.to_owned(),
            query,
            sends_body: body,
        }
    }

    #[test]
    fn version_parameters_and_proxy_prefixes_are_read_as_the_client_base() {
        assert_eq!(spec_key("/{api_version}/faces/{faceId}", BASE), "/3/faces/{}");
        assert_eq!(spec_key("/{apiVersion}/faces", BASE), "/3/faces");
        assert_eq!(spec_key("/3/faces/", BASE), "/3/faces");
        assert_eq!(spec_key("/{faceId}/faces", BASE), "/{}/faces");
        let proxied = Base {
            origin_path: "/luna/faces",
            api_version: 3,
        };
        assert_eq!(spec_key("/luna/faces/3/faces", proxied), "/3/faces");
        assert_eq!(spec_key("/luna/facesx/3", proxied), "/luna/facesx/3");
        assert_eq!(spec_key("/version", proxied), "/version");
    }

    #[test]
    fn each_kind_of_difference_is_found() {
        let doc = br#"{"openapi": "3.0.3", "paths": {
            "/3/faces": {"get": {"parameters": [
                {"name": "page", "in": "query"},
                {"name": "must", "in": "query", "required": true},
                {"name": "Luna-Request-Id", "in": "header", "required": true},
                {"name": "X-Token", "in": "header", "required": true}]},
                "post": {"requestBody": {"required": true}}},
            "/3/lists/{listId}": {"get": {}, "delete": {}},
            "/3/extra": {"get": {}}}}"#;
        let spec = OpenApiSpec::parse(doc, None).unwrap();
        let expectations = [
            expect(Method::GET, "/3/faces", &["page", "page_size", "account_id"], false),
            expect(Method::POST, "/3/faces", &[], true),
            expect(Method::PATCH, "/3/lists/{list_id}", &[], true),
            expect(Method::GET, "/3/lists/{list_id}", &[], false),
            expect(Method::GET, "/3/linker", &[], false),
        ];
        let (findings, uncovered) = compare(&expectations, &spec.operations, BASE);
        assert_eq!(
            findings,
            [
                vec![
                    Finding::UnlistedQuery {
                        names: vec!["account_id".into(), "page_size".into()]
                    },
                    Finding::RequiredNotSent {
                        parameters: vec![
                            SpecParameter {
                                location: ParameterLocation::Query,
                                name: "must".into()
                            },
                            SpecParameter {
                                location: ParameterLocation::Header,
                                name: "X-Token".into()
                            },
                        ]
                    }
                ],
                vec![],
                vec![Finding::MethodMissing {
                    documented: vec![Method::DELETE, Method::GET]
                }],
                vec![],
                vec![Finding::PathMissing],
            ]
        );
        let mut uncovered: Vec<String> = uncovered
            .iter()
            .map(|i| format!("{} {}", spec.operations[*i].method, spec.operations[*i].path))
            .collect();
        uncovered.sort();
        assert_eq!(uncovered, ["DELETE /3/lists/{listId}", "GET /3/extra"]);
        assert_eq!(
            findings[0][1].to_string(),
            "required, never sent: query `must`, header `X-Token`"
        );
    }

    #[test]
    fn prefix_names_need_one_listed_name_with_the_prefix() {
        let doc = br#"{"openapi": "3.0.0", "paths": {
            "/3/a": {"get": {"parameters": [{"name": "meta.age__gte:numeric", "in": "query"}]}},
            "/3/b": {"get": {"parameters": [{"name": "metadata", "in": "query"}]}}}}"#;
        let spec = OpenApiSpec::parse(doc, None).unwrap();
        let (findings, _) = compare(
            &[
                expect(Method::GET, "/3/a", &["meta.*"], false),
                expect(Method::GET, "/3/b", &["meta.*"], false),
            ],
            &spec.operations,
            BASE,
        );
        assert_eq!(findings[0], []);
        assert_eq!(
            findings[1],
            [Finding::UnlistedQuery {
                names: vec!["meta.*".into()]
            }]
        );
    }

    #[test]
    fn a_required_body_the_crate_never_sends_is_found() {
        let doc = b"openapi: 3.1.0\npaths:\n  /3/linker:\n    patch:\n      requestBody: {required: true}\n";
        let spec = OpenApiSpec::parse(doc, None).unwrap();
        let (findings, _) = compare(
            &[expect(Method::PATCH, "/3/linker", &[], false)],
            &spec.operations,
            BASE,
        );
        assert_eq!(findings[0][0].to_string(), "required, never sent: request body");
    }
}
