//! OpenAPI documents as the conformance check reads them: the operations of a service's
//! `GET /docs/spec`, each reduced to what the SDK's wire choices can be compared with (method,
//! path template, query parameter names, required parameters).
//!
//! The document is read as a plain tree (JSON with `serde_json`, YAML with `serde-saphyr`) and
//! only the parts the check needs are walked: `servers` (or Swagger 2's `basePath`), `paths`,
//! the path-level and operation-level `parameters` (with local `$ref`s) and `requestBody`. A
//! typed OpenAPI model would refuse a whole document for one schema it does not model (and the
//! maintained ones each cover only 3.0 or only 3.1); this reader accepts 3.0, 3.1 and Swagger 2
//! and ignores everything it does not look at.

use std::collections::BTreeSet;
use std::fmt;

use http::Method;
use serde_json::{Map, Value};

/// Largest document accepted, in bytes (a LUNA service's document is a few hundred KiB).
pub const MAX_SPEC_BYTES: usize = 32 * 1024 * 1024;

/// Longest chain of `$ref`s followed before giving up (guards against reference loops).
const MAX_REF_DEPTH: usize = 16;

/// Why a document could not be read as an OpenAPI description.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The body is neither JSON nor YAML (for example an HTML page).
    #[error("not a JSON or YAML document: {0}")]
    Syntax(String),
    /// The document parses but is not an OpenAPI 3 (or Swagger 2) description.
    #[error("not an OpenAPI document: {0}")]
    NotOpenApi(String),
    /// The body is larger than [`MAX_SPEC_BYTES`].
    #[error("document of {0} bytes is larger than the {MAX_SPEC_BYTES} bytes accepted")]
    TooLarge(usize),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ParameterLocation {
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
    /// The request body (OpenAPI 3 `requestBody`, Swagger 2 `body` / `formData`).
    Body,
}

impl fmt::Display for ParameterLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
            ParameterLocation::Body => "body",
        })
    }
}

/// A required parameter of an operation (path parameters are part of the template and are
/// not listed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpecParameter {
    /// Where it travels.
    pub location: ParameterLocation,
    /// Its name as the document writes it (`body` for a request body).
    pub name: String,
}

impl fmt::Display for SpecParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            ParameterLocation::Body => f.write_str("request body"),
            location => write!(f, "{location} `{}`", self.name),
        }
    }
}

/// One operation of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecOperation {
    /// The HTTP method.
    pub method: Method,
    /// The full path: the server's base path followed by the `paths` key, as written
    /// (`/3/faces/{faceId}`, `/{api_version}/events`).
    pub path: String,
    /// Names of the query parameters it declares.
    pub query: BTreeSet<String>,
    /// Whether it also takes query parameters of any name (an exploded object parameter with
    /// `additionalProperties`).
    pub any_query: bool,
    /// Its required parameters, path parameters left out.
    pub required: Vec<SpecParameter>,
}

impl SpecOperation {
    /// The path with every `{parameter}` written `{}` (see [`path_key`]).
    pub fn path_key(&self) -> String {
        path_key(&self.path)
    }
}

/// A path template in the form two templates are compared in: every `{name}` becomes `{}`
/// (so `/faces/{face_id}` and `/faces/{faceId}` are equal) and a trailing `/` is dropped.
pub fn path_key(path: &str) -> String {
    let mut key = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match (in_param, c) {
            (false, '{') => {
                in_param = true;
                key.push('{');
            }
            (true, '}') => {
                in_param = false;
                key.push('}');
            }
            (true, _) => {}
            (false, c) => key.push(c),
        }
    }
    if in_param {
        key.push('}');
    }
    while key.len() > 1 && key.ends_with('/') {
        key.pop();
    }
    if key.is_empty() {
        key.push('/');
    }
    key
}

/// The operations of one OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiSpec {
    /// The `openapi` (or `swagger`) version string.
    pub version: String,
    /// The document's title (`info.title`), if any.
    pub title: Option<String>,
    /// The base path of its first server (`/3` for `http://host:5030/3`), empty when the
    /// document names none. Already included in every [`SpecOperation::path`].
    pub base_path: String,
    /// Its operations, in document order.
    pub operations: Vec<SpecOperation>,
}

impl OpenApiSpec {
    /// Reads a document served with `content_type` (JSON when the type says `json`, YAML when it
    /// says `yaml` or `yml`, otherwise sniffed: a body starting with `{` is JSON, anything else
    /// YAML).
    pub fn parse(body: &[u8], content_type: Option<&str>) -> Result<Self, SpecError> {
        if body.len() > MAX_SPEC_BYTES {
            return Err(SpecError::TooLarge(body.len()));
        }
        let content_type = content_type.unwrap_or_default().to_ascii_lowercase();
        let json = if content_type.contains("json") {
            true
        } else if content_type.contains("yaml") || content_type.contains("yml") {
            false
        } else {
            body.iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|b| *b == b'{')
        };
        let doc: Value = if json {
            serde_json::from_slice(body).map_err(|e| SpecError::Syntax(format!("JSON: {e}")))?
        } else {
            let text = std::str::from_utf8(body)
                .map_err(|e| SpecError::Syntax(format!("YAML that is not UTF-8: {e}")))?;
            serde_saphyr::from_str(text).map_err(|e| SpecError::Syntax(format!("YAML: {e}")))?
        };
        Self::from_document(&doc)
    }

    /// Reads an already parsed document.
    pub fn from_document(doc: &Value) -> Result<Self, SpecError> {
        let root = doc.as_object().ok_or_else(|| {
            SpecError::NotOpenApi(format!("the document is {}, not a mapping", kind(doc)))
        })?;
        let (version, swagger2) = match (root.get("openapi"), root.get("swagger")) {
            (Some(v), _) => (scalar_text(v), false),
            (None, Some(v)) => (scalar_text(v), true),
            (None, None) => {
                return Err(SpecError::NotOpenApi(
                    "no `openapi` (or `swagger`) version field".to_owned(),
                ))
            }
        };
        let version = version.ok_or_else(|| {
            SpecError::NotOpenApi("the version field is not a string".to_owned())
        })?;
        let major_ok = if swagger2 {
            version.starts_with('2')
        } else {
            version.starts_with('3')
        };
        if !major_ok {
            return Err(SpecError::NotOpenApi(format!(
                "unsupported version {version:?} (OpenAPI 3 or Swagger 2 expected)"
            )));
        }
        let paths = match root.get("paths") {
            Some(Value::Object(paths)) => paths,
            Some(Value::Null) | None => {
                return Err(SpecError::NotOpenApi("no `paths` mapping".to_owned()))
            }
            Some(other) => {
                return Err(SpecError::NotOpenApi(format!(
                    "`paths` is {}, not a mapping",
                    kind(other)
                )))
            }
        };
        let base_path = if swagger2 {
            root.get("basePath")
                .and_then(Value::as_str)
                .map(trim_base)
                .unwrap_or_default()
        } else {
            server_base_path(root.get("servers"))
        };
        let title = root
            .get("info")
            .and_then(|i| i.get("title"))
            .and_then(Value::as_str)
            .map(str::to_owned);

        let mut operations = Vec::new();
        for (path, item) in paths {
            let Some(item) = resolve(doc, item).and_then(Value::as_object) else {
                continue;
            };
            let full_path = format!("{base_path}{path}");
            let shared = item.get("parameters");
            for (key, operation) in item {
                let Some(method) = operation_method(key) else {
                    continue;
                };
                let Some(operation) = resolve(doc, operation).and_then(Value::as_object) else {
                    continue;
                };
                operations.push(read_operation(
                    doc,
                    method,
                    full_path.clone(),
                    shared,
                    operation,
                ));
            }
        }
        Ok(OpenApiSpec {
            version,
            title,
            base_path,
            operations,
        })
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A version written as a string, or as a YAML number (`openapi: 3.0`).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn operation_method(key: &str) -> Option<Method> {
    Some(match key.to_ascii_lowercase().as_str() {
        "get" => Method::GET,
        "put" => Method::PUT,
        "post" => Method::POST,
        "delete" => Method::DELETE,
        "options" => Method::OPTIONS,
        "head" => Method::HEAD,
        "patch" => Method::PATCH,
        "trace" => Method::TRACE,
        _ => return None,
    })
}

/// `/3/` → `/3`, `/` → ``.
fn trim_base(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

/// The path part of the first server URL, its `{variables}` replaced by their defaults.
fn server_base_path(servers: Option<&Value>) -> String {
    let Some(server) = servers.and_then(Value::as_array).and_then(|s| s.first()) else {
        return String::new();
    };
    let Some(url) = server.get("url").and_then(Value::as_str) else {
        return String::new();
    };
    let mut url = url.to_owned();
    if let Some(variables) = server.get("variables").and_then(Value::as_object) {
        for (name, variable) in variables {
            if let Some(default) = variable.get("default").and_then(scalar_text) {
                url = url.replace(&format!("{{{name}}}"), &default);
            }
        }
    }
    let path = match url.find("://") {
        Some(at) => {
            let rest = &url[at + 3..];
            rest.find('/').map(|slash| &rest[slash..]).unwrap_or("")
        }
        None => url.as_str(),
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    trim_base(path)
}

/// Follows local `$ref`s (`#/components/parameters/page`) up to [`MAX_REF_DEPTH`]; `None` for a
/// reference that leaves the document or points nowhere.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let mut current = value;
    for _ in 0..MAX_REF_DEPTH {
        match current.get("$ref").and_then(Value::as_str) {
            None => return Some(current),
            Some(reference) => {
                let pointer = reference.strip_prefix('#')?;
                current = doc.pointer(pointer)?;
            }
        }
    }
    None
}

fn read_operation(
    doc: &Value,
    method: Method,
    path: String,
    shared: Option<&Value>,
    operation: &Map<String, Value>,
) -> SpecOperation {
    // Operation parameters override path-item ones of the same name and location.
    let mut parameters: Vec<&Map<String, Value>> = Vec::new();
    for list in [shared, operation.get("parameters")].into_iter().flatten() {
        for parameter in list.as_array().into_iter().flatten() {
            let Some(parameter) = resolve(doc, parameter).and_then(Value::as_object) else {
                continue;
            };
            let id = |p: &Map<String, Value>| (p.get("name").cloned(), p.get("in").cloned());
            parameters.retain(|p| id(p) != id(parameter));
            parameters.push(parameter);
        }
    }
    let mut query = BTreeSet::new();
    let mut any_query = false;
    let mut required = BTreeSet::new();
    for parameter in parameters {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let is_required = parameter.get("required").and_then(Value::as_bool) == Some(true);
        let location = match parameter.get("in").and_then(Value::as_str) {
            Some("query") => ParameterLocation::Query,
            Some("header") => ParameterLocation::Header,
            Some("cookie") => ParameterLocation::Cookie,
            Some("body" | "formData") => ParameterLocation::Body,
            _ => continue, // path parameters are in the template
        };
        if location == ParameterLocation::Query {
            if let Some(object) = exploded_object(doc, parameter) {
                // `style: form, explode: true` object: its properties are the query names.
                for (property, _) in object
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    query.insert(property.clone());
                }
                any_query |= object
                    .get("additionalProperties")
                    .is_some_and(|extra| extra != &Value::Bool(false));
                if is_required {
                    for property in object
                        .get("required")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        required.insert(SpecParameter {
                            location,
                            name: property.to_owned(),
                        });
                    }
                }
                continue;
            }
            query.insert(name.clone());
        }
        if is_required {
            let name = if location == ParameterLocation::Body {
                "body".to_owned()
            } else {
                name
            };
            required.insert(SpecParameter { location, name });
        }
    }
    if let Some(body) = operation
        .get("requestBody")
        .and_then(|b| resolve(doc, b))
        .and_then(Value::as_object)
    {
        if body.get("required").and_then(Value::as_bool) == Some(true) {
            required.insert(SpecParameter {
                location: ParameterLocation::Body,
                name: "body".to_owned(),
            });
        }
    }
    SpecOperation {
        method,
        path,
        query,
        any_query,
        required: required.into_iter().collect(),
    }
}

/// The object schema of a query parameter serialized as one query pair per property (OpenAPI
/// 3's default `style: form`, `explode: true`).
fn exploded_object<'a>(
    doc: &'a Value,
    parameter: &'a Map<String, Value>,
) -> Option<&'a Map<String, Value>> {
    let style = parameter
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or("form");
    let explode = parameter
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    if style != "form" || !explode {
        return None;
    }
    let schema = resolve(doc, parameter.get("schema")?)?.as_object()?;
    let is_object = schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.contains_key("properties");
    is_object.then_some(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_ignore_parameter_names_and_trailing_slashes() {
        assert_eq!(path_key("/faces/{face_id}"), path_key("/faces/{faceId}"));
        assert_eq!(path_key("/faces/{face_id}/"), "/faces/{}");
        assert_eq!(path_key("/"), "/");
        assert_eq!(path_key("/a/{b"), "/a/{}");
        assert_ne!(path_key("/faces/{id}"), path_key("/lists/{id}"));
    }

    #[test]
    fn servers_give_the_base_path() {
        let doc = serde_json::json!({
            "openapi": "3.0.0",
            "servers": [{"url": "{scheme}://faces:5030/{api}/", "variables": {
                "scheme": {"default": "http"}, "api": {"default": "3"}}}],
            "paths": {"/faces/{faceId}": {
                "parameters": [{"$ref": "#/components/parameters/target"}],
                "get": {"parameters": [
                    {"name": "target", "in": "query", "required": true},
                    {"name": "Luna-Request-Id", "in": "header"},
                    {"name": "faceId", "in": "path", "required": true}
                ]},
                "patch": {"requestBody": {"$ref": "#/components/requestBodies/b"}},
                "x-extension": {}
            }},
            "components": {
                "parameters": {"target": {"name": "target", "in": "query"}},
                "requestBodies": {"b": {"required": true}}
            }
        });
        let spec = OpenApiSpec::from_document(&doc).unwrap();
        assert_eq!(spec.base_path, "/3");
        assert_eq!(spec.operations.len(), 2);
        let get = &spec.operations[0];
        assert_eq!(get.method, Method::GET);
        assert_eq!(get.path, "/3/faces/{faceId}");
        assert_eq!(get.query, BTreeSet::from(["target".to_owned()]));
        assert_eq!(
            get.required,
            [SpecParameter {
                location: ParameterLocation::Query,
                name: "target".into()
            }]
        );
        let patch = &spec.operations[1];
        assert_eq!(patch.query, BTreeSet::from(["target".to_owned()]));
        assert_eq!(patch.required[0].location, ParameterLocation::Body);
    }

    #[test]
    fn exploded_object_parameters_list_their_properties() {
        let yaml = b"openapi: 3.1.0\npaths:\n  /events:\n    get:\n      parameters:\n        - name: filters\n          in: query\n          required: true\n          schema:\n            type: object\n            required: [page]\n            properties:\n              page: {type: integer}\n              sources: {type: string}\n            additionalProperties: true\n";
        let spec = OpenApiSpec::parse(yaml, Some("application/x-yaml")).unwrap();
        let op = &spec.operations[0];
        assert_eq!(
            op.query,
            BTreeSet::from(["page".to_owned(), "sources".to_owned()])
        );
        assert!(op.any_query);
        assert_eq!(op.required[0].name, "page");
    }

    #[test]
    fn swagger_2_base_path_and_body_parameters() {
        let json = br#"{"swagger": "2.0", "basePath": "/1/", "paths": {"/x": {"post": {
            "parameters": [{"name": "payload", "in": "body", "required": true}]}}}}"#;
        let spec = OpenApiSpec::parse(json, None).unwrap();
        assert_eq!(spec.operations[0].path, "/1/x");
        assert_eq!(spec.operations[0].required[0].to_string(), "request body");
    }

    #[test]
    fn other_documents_are_refused_with_a_reason() {
        for (body, content_type) in [
            (&b"<html><body>docs</body></html>"[..], Some("text/html")),
            (b"{\"paths\": {}}", None),
            (b"openapi: 2.0\npaths: {}", None),
            (b"openapi: 3.0.0\n", None),
            (b"{not json", Some("application/json")),
            (b"a: [1, 2", None),
            (b"\xff\xfe", None),
            (b"- 1\n- 2", None),
        ] {
            assert!(
                OpenApiSpec::parse(body, content_type).is_err(),
                "{:?} accepted",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn hostile_documents_fail_without_crashing() {
        let deep_yaml = "[".repeat(200_000);
        assert!(OpenApiSpec::parse(deep_yaml.as_bytes(), Some("application/x-yaml")).is_err());
        let deep_flow = format!("a: {}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let deep = OpenApiSpec::parse(deep_flow.as_bytes(), None);
        assert!(matches!(deep, Err(SpecError::Syntax(_))), "{deep:?}");
        let deep_json = "[".repeat(200_000);
        assert!(OpenApiSpec::parse(deep_json.as_bytes(), Some("application/json")).is_err());
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = level - 1;
            let refs = vec![format!("*a{prev}"); 10].join(", ");
            laughs.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let laughs = laughs.replacen("&a [", "&a0 [", 1);
        let laughs = OpenApiSpec::parse(laughs.as_bytes(), None);
        assert!(matches!(laughs, Err(SpecError::Syntax(_))), "{laughs:?}");
    }

    #[test]
    fn reference_loops_end() {
        let doc = serde_json::json!({"openapi": "3.0.0", "paths": {"/a": {"get": {
            "parameters": [{"$ref": "#/components/parameters/a"}]}}},
            "components": {"parameters": {"a": {"$ref": "#/components/parameters/a"}}}});
        let spec = OpenApiSpec::from_document(&doc).unwrap();
        assert!(spec.operations[0].query.is_empty());
    }
}
