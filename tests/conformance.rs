//! The conformance check (both modes): hand-written OpenAPI documents (JSON and YAML) with one
//! difference of each kind, documents generated from the catalogue that match it, services that
//! cannot be checked, and the embedded luna-emulator's own documents.

mod common;

use luna_clients::catalogue::{self, Endpoint};
use luna_clients::conformance::{ConformanceReport, Finding, ServiceOutcome};
use luna_clients::openapi::{ParameterLocation, SpecParameter};
use luna_clients::Service;
use serde_json::{json, Map, Value};

/// A document of `service` listing every catalogue entry as the crate calls it, written with
/// the reference's `{api_version}` path parameter and camelCase path parameter names.
pub fn generated_spec(service: Service) -> Value {
    let mut paths = Map::new();
    for e in catalogue::for_service(service) {
        let template: String = e
            .path_template
            .split('/')
            .map(
                |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => format!("{{{}}}", camel(name)),
                    None => seg.to_owned(),
                },
            )
            .collect::<Vec<_>>()
            .join("/");
        let item = paths
            .entry(format!("/{{api_version}}{template}"))
            .or_insert_with(|| json!({}));
        let operation = item
            .as_object_mut()
            .unwrap()
            .entry(e.method.as_str().to_ascii_lowercase())
            .or_insert_with(
                || json!({"parameters": [], "responses": {"200": {"description": "ok"}}}),
            );
        let parameters = operation["parameters"].as_array_mut().unwrap();
        for name in query_names(e) {
            let parameter = match name.strip_suffix(".*") {
                Some(object) => json!({"name": object, "in": "query", "style": "form",
                    "explode": true, "schema": {"type": "object", "additionalProperties": true}}),
                None => json!({"name": name, "in": "query", "schema": {"type": "string"}}),
            };
            if !parameters.contains(&parameter) {
                parameters.push(parameter);
            }
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": service.to_string(), "version": "1"},
        "servers": [{"url": "/"}],
        "paths": paths,
    })
}

fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn query_names(e: &Endpoint) -> Vec<&'static str> {
    let mut names = e.query_names.to_vec();
    if e.account_scoped {
        names.push("account_id");
    }
    names
}

/// The findings of each endpoint of a compared service, by Rust method, and its uncovered
/// operations as `METHOD path`.
pub fn findings_of(
    report: &ConformanceReport,
    service: Service,
) -> (Vec<(&'static str, Vec<Finding>)>, Vec<String>) {
    let checked = report
        .services
        .iter()
        .find(|s| s.service == service)
        .expect("service checked");
    match &checked.outcome {
        ServiceOutcome::Compared(c) => (
            c.endpoints
                .iter()
                .map(|e| (e.endpoint.rust_method, e.findings.clone()))
                .collect(),
            c.uncovered
                .iter()
                .map(|op| format!("{} {}", op.method, op.path))
                .collect(),
        ),
        other => panic!("{service} not compared: {other:?}"),
    }
}

/// The matcher's expected findings in the hand-written documents: one difference of each kind.
pub fn matcher_differences() -> Vec<(&'static str, Vec<Finding>)> {
    vec![
        ("match_faces", vec![]),
        ("match_bodies", vec![Finding::PathMissing]),
        (
            "match_raw",
            vec![Finding::MethodMissing {
                documented: vec![luna_clients::Method::GET],
            }],
        ),
        (
            "crossmatch_faces",
            vec![Finding::UnlistedQuery {
                names: vec!["sorting".into()],
            }],
        ),
        (
            "crossmatch_bodies",
            vec![Finding::RequiredNotSent {
                parameters: vec![
                    SpecParameter {
                        location: ParameterLocation::Query,
                        name: "limit".into(),
                    },
                    SpecParameter {
                        location: ParameterLocation::Header,
                        name: "X-Matcher-Token".into(),
                    },
                ],
            }],
        ),
    ]
}

/// The matcher document in JSON: literal `/1` prefixes.
pub const MATCHER_JSON: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "luna-python-matcher", "version": "1.4.0"},
  "paths": {
    "/version": {"get": {"responses": {"200": {"description": "version"}}}},
    "/1/matcher/faces": {"post": {"parameters": [{"name": "account_id", "in": "query"}]}},
    "/1/matcher/raw": {"get": {}},
    "/1/crossmatcher/faces": {"post": {"parameters": [{"name": "account_id", "in": "query"}]}},
    "/1/crossmatcher/bodies": {"post": {"parameters": [
      {"name": "sorting", "in": "query"},
      {"name": "limit", "in": "query", "required": true},
      {"name": "X-Matcher-Token", "in": "header", "required": true},
      {"name": "Luna-Request-Id", "in": "header", "required": true}],
      "requestBody": {"required": true}}},
    "/1/matcher/extra": {"post": {}}
  }
}"#;

/// The same differences in YAML: the version as a server variable, parameters by `$ref`.
pub const MATCHER_YAML: &str = "\
openapi: 3.1.0
info:
  title: luna-python-matcher
  version: 1.4.0
servers:
  - url: 'http://matcher:5100/{api}'
    variables:
      api: {default: '1'}
paths:
  /matcher/faces:
    post:
      parameters:
        - $ref: '#/components/parameters/account'
  /matcher/raw:
    get: {}
  /crossmatcher/faces:
    post:
      parameters: [{$ref: '#/components/parameters/account'}]
  /crossmatcher/bodies:
    parameters:
      - {name: sorting, in: query}
    post:
      parameters:
        - {name: limit, in: query, required: true}
        - {name: X-Matcher-Token, in: header, required: yes}
      requestBody: {required: true}
  /matcher/extra:
    post: {}
components:
  parameters:
    account: {name: account_id, in: query, required: false}
";

crate::in_both_modes! {

use super::{findings_of, generated_spec, matcher_differences, MATCHER_JSON, MATCHER_YAML};
use httpmock::prelude::*;
use sdk::conformance::{ConformanceReport, Finding, ServiceOutcome};
use sdk::{LunaClient, Service};

/// A mock service answering `GET /docs/spec` with `body` as `content_type`.
fn spec_server(body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start();
    let (body, content_type) = (body.to_owned(), content_type.to_owned());
    server.mock(move |when, then| {
        when.method(GET).path("/docs/spec");
        then.status(200).header("content-type", content_type).body(body);
    });
    server
}

fn matcher_report_of(server: &MockServer) -> LunaClient {
    LunaClient::builder()
        .address(Service::Matcher, &server.base_url())
        .build()
        .unwrap()
}

both_modes! {
    async fn a_json_document_with_one_difference_of_each_kind() {
        let server = spec_server(MATCHER_JSON, "application/json");
        let report = matcher_report_of(&server).check_conformance_of(&[Service::Matcher]).await;
        let (findings, uncovered) = findings_of(&report, Service::Matcher);
        assert_eq!(findings, matcher_differences());
        assert_eq!(uncovered, ["POST /1/matcher/extra", "GET /1/matcher/raw"]);
        assert!(!report.is_conformant());
        assert_eq!(report.mismatches(), 4);
        let table = report.to_string();
        let expected = format!("\
luna-python-matcher at {}/1: \"luna-python-matcher\", OpenAPI 3.0.3, 5 endpoints, 4 differ
  result   method  path                  rust method        confidence  differences
  -------  ------  --------------------  -----------------  ----------  -------------------------------------------------------------
  ok       POST    /matcher/faces        match_faces        documented
  DIFFERS  POST    /matcher/bodies       match_bodies       documented  path missing
  DIFFERS  POST    /matcher/raw          match_raw          documented  method missing (documented: GET)
  DIFFERS  POST    /crossmatcher/faces   crossmatch_faces   documented  query not in the spec: sorting
  DIFFERS  POST    /crossmatcher/bodies  crossmatch_bodies  documented  required, never sent: query `limit`, header `X-Matcher-Token`
  in the spec, not called by this crate (2):
    POST /1/matcher/extra
    GET /1/matcher/raw

NOT CONFORMANT: 1 of 1 services compared, 1 endpoints match, 4 differ
", server.base_url());
        assert_eq!(table, expected, "\n{table}");
    }

    async fn a_yaml_document_with_one_difference_of_each_kind() {
        let server = spec_server(MATCHER_YAML, "application/x-yaml");
        let report = matcher_report_of(&server).check_conformance_of(&[Service::Matcher]).await;
        let (findings, uncovered) = findings_of(&report, Service::Matcher);
        assert_eq!(findings, matcher_differences());
        assert_eq!(uncovered, ["POST /1/matcher/extra", "GET /1/matcher/raw"]);
        assert!(!report.is_conformant());
    }

    async fn documents_generated_from_the_catalogue_match_in_every_service() {
        let servers: Vec<(Service, MockServer)> = Service::ALL
            .into_iter()
            .map(|s| (s, spec_server(&generated_spec(s).to_string(), "application/json")))
            .collect();
        let mut builder = LunaClient::builder();
        for (service, server) in &servers {
            builder = builder.address(*service, &server.base_url());
        }
        let report = builder.build().unwrap().check_conformance().await;
        assert_eq!(report.services.len(), 7);
        for service in Service::ALL {
            let (findings, uncovered) = findings_of(&report, service);
            assert!(findings.iter().all(|(_, f)| f.is_empty()), "{report}");
            assert!(uncovered.is_empty(), "{service}: {uncovered:?}");
        }
        assert!(report.is_conformant(), "{report}");
        let inferred = sdk::catalogue::all()
            .filter(|e| e.confidence == sdk::catalogue::Confidence::Inferred)
            .count();
        let verdict = format!("endpoints match ({inferred} of the {inferred} inferred ones), 0 differ\n");
        assert!(report.to_string().ends_with(&verdict), "{report}");
    }

    async fn services_that_cannot_be_checked_are_reported_and_the_others_checked() {
        let html = spec_server("<html><body>API docs</body></html>", "text/html");
        let yaml_as_text = spec_server(MATCHER_YAML, "text/plain");
        let client = LunaClient::builder()
            .address(Service::Faces, &html.base_url())
            .address(Service::Events, "http://127.0.0.1:9/2")
            .address(Service::Matcher, &yaml_as_text.base_url())
            .build()
            .unwrap();
        let report: ConformanceReport = client
            .check_conformance_of(&[Service::Faces, Service::Events, Service::Matcher])
            .await;
        assert!(matches!(report.services[0].outcome, ServiceOutcome::NotASpec(_)));
        assert!(matches!(report.services[1].outcome, ServiceOutcome::Unreachable(_)));
        let (findings, _) = findings_of(&report, Service::Matcher);
        assert_eq!(findings, matcher_differences());
        let table = report.to_string();
        assert!(table.contains("luna-faces at "), "{table}");
        assert!(table.contains(": NOT CHECKED, /docs/spec not an OpenAPI document"), "{table}");
        assert!(table.contains(": NOT CHECKED, /docs/spec unreachable: "), "{table}");
        assert!(
            table.ends_with("NOT CONFORMANT: 1 of 3 services compared, 1 endpoints match, 4 differ, 2 services not checked\n"),
            "{table}"
        );
    }

    async fn the_embedded_emulator_conforms_but_for_the_legacy_faces_attributes() {
        let emulator = crate::common::emulator::emulator();
        let client = sdk::LunaClientBuilder::from_vars(|name| emulator.var(name))
            .unwrap()
            .build()
            .unwrap();
        let services = [Service::Faces, Service::Events, Service::ImageStore];
        let report = client.check_conformance_of(&services).await;
        for service in services {
            let (findings, uncovered) = findings_of(&report, service);
            for (method, found) in findings {
                // `getFacesAttributes` is the legacy `GET /faces/attributes`, which the
                // reference does not find in LP5 (faces.md §3.5): the emulator does not serve
                // it.
                let expected = if method == "get_faces_attributes" {
                    vec![Finding::PathMissing]
                } else {
                    vec![]
                };
                assert_eq!(found, expected, "{service} {method}\n{report}");
            }
            // Served by every service, not called by this crate.
            let expected: &[&str] = match service {
                Service::ImageStore => &["GET /1/buckets/{bucket}", "GET /healthcheck"],
                _ => &["GET /healthcheck"],
            };
            assert_eq!(uncovered, expected, "{service}");
        }
        assert_eq!(report.mismatches(), 1, "{report}");
        let verdict = report.to_string();
        assert!(
            verdict.ends_with("endpoints match (3 of the 4 inferred ones), 1 differ\n"),
            "{verdict}"
        );
    }
}

}
