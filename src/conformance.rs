//! The conformance check: the crate's endpoint catalogue compared with the OpenAPI document a
//! deployment's services serve at `GET /docs/spec`.
//!
//! Per catalogue endpoint the check tells whether the document has its path, its method, every
//! query name the crate may send, and no required parameter the crate never sends; per service
//! it also lists the document's operations that no catalogue endpoint covers.

use std::collections::BTreeSet;
use std::fmt;

use http::Method;

use crate::openapi::{path_key, ParameterLocation, SpecOperation, SpecParameter};

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
        let names: BTreeSet<String> = expected
            .query
            .iter()
            .filter(|name| !operation.query.contains(**name))
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
