//! The routes of a service, each declared once with its handler and its description, and
//! `GET /docs/spec`: an OpenAPI 3 document built from those descriptions.

use crate::context::{App, ACCOUNT_QUERY};
use crate::query::META_FILTERS;
use axum::routing::MethodRouter;
use axum::Router;
use serde_json::{json, Map, Value};

/// One route of a service, as the spec lists it.
#[derive(Clone, Debug)]
pub struct RouteDoc {
    /// Lowercase HTTP method.
    pub method: &'static str,
    /// Path with `{name}` parameters.
    pub path: String,
    /// What it does.
    pub summary: &'static str,
    /// The success status.
    pub status: &'static str,
    /// Query parameters it accepts besides `account_id` (which every route accepts,
    /// [`ACCOUNT_QUERY`]); [`META_FILTERS`] stands for the `meta.*` filters.
    pub query: Vec<&'static str>,
    /// Those of [`RouteDoc::query`] that are required.
    pub required_query: Vec<&'static str>,
}

/// The routes of a service: the axum router and the spec entries, filled together.
pub struct Routes {
    /// Spec entries.
    pub docs: Vec<RouteDoc>,
    /// The router.
    pub router: Router<App>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    /// No route.
    pub fn new() -> Self {
        Self {
            docs: Vec::new(),
            router: Router::new(),
        }
    }

    /// Serves `handler` on `path`, described by `(method, summary, success status)` entries
    /// (a `head` entry documents the `HEAD` that axum answers with the `GET` handler).
    pub fn route(
        mut self,
        path: &str,
        handler: MethodRouter<App>,
        docs: &[(&'static str, &'static str, &'static str)],
    ) -> Self {
        for (method, summary, status) in docs {
            self.docs.push(RouteDoc {
                method,
                path: path.to_owned(),
                summary,
                status,
                query: Vec::new(),
                required_query: Vec::new(),
            });
        }
        self.router = self.router.route(path, handler);
        self
    }

    /// Declares the query parameters that the `method` entry of the route added last accepts
    /// (as its handler does, from the reference), `account_id` left out. A method the route
    /// does not document is ignored (and caught by the tests of the spec).
    pub fn query(mut self, method: &str, names: &[&'static str]) -> Self {
        if let Some(doc) = self.last_entry(method) {
            doc.query.extend_from_slice(names);
        }
        self
    }

    /// Like [`Routes::query`], for parameters the request must carry.
    pub fn required_query(mut self, method: &str, names: &[&'static str]) -> Self {
        if let Some(doc) = self.last_entry(method) {
            doc.query.extend_from_slice(names);
            doc.required_query.extend_from_slice(names);
        }
        self
    }

    /// The `method` entry of the route added last.
    fn last_entry(&mut self, method: &str) -> Option<&mut RouteDoc> {
        let path = self.docs.last()?.path.clone();
        self.docs
            .iter_mut()
            .rev()
            .take_while(|doc| doc.path == path)
            .find(|doc| doc.method == method)
    }
}

/// The service-level routes every service serves: path and summary.
pub const COMMON_ROUTES: [(&str, &str); 3] = [
    ("/version", "service version"),
    ("/healthcheck", "service health"),
    ("/docs/spec", "this OpenAPI document"),
];

/// The parameters of a route: its path parameters, then its query parameters (`account_id`
/// on every route that has a handler of its own; the `meta.*` filters as one exploded object
/// whose properties are free).
fn parameters(route: &RouteDoc, own_handler: bool) -> Vec<Value> {
    let path = route
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let format = if name == "bucket" {
                "bucket name"
            } else {
                "uuid"
            };
            json!({"name": name, "in": "path", "required": true,
                   "schema": {"type": "string", "format": format}})
        });
    let account = own_handler.then(|| {
        json!({"name": ACCOUNT_QUERY, "in": "query", "required": false,
               "description": "restricts the request to the objects of this account",
               "schema": {"type": "string", "format": "uuid"}})
    });
    let query = route.query.iter().map(|name| {
        if *name == META_FILTERS {
            json!({"name": "meta", "in": "query", "required": false,
                   "description": "meta filters, one pair per condition: meta.<path>__<operator>:<type>=<value>",
                   "style": "form", "explode": true,
                   "schema": {"type": "object", "additionalProperties": {"type": "string"}}})
        } else {
            json!({"name": name, "in": "query",
                   "required": route.required_query.contains(name),
                   "schema": {"type": "string"}})
        }
    });
    path.chain(account).chain(query).collect()
}

/// The OpenAPI document of a service.
pub fn spec(title: &str, version: &str, routes: &[RouteDoc]) -> Value {
    let error = json!({
        "description": "LUNA error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    });
    let mut paths: Map<String, Value> = Map::new();
    let common = COMMON_ROUTES.iter().map(|(path, summary)| RouteDoc {
        method: "get",
        path: (*path).to_owned(),
        summary,
        status: "200",
        query: Vec::new(),
        required_query: Vec::new(),
    });
    let common_count = COMMON_ROUTES.len();
    for (n, route) in common.chain(routes.iter().cloned()).enumerate() {
        let entry = paths
            .entry(route.path.clone())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| {
                m.insert(
                    route.method.to_owned(),
                    json!({
                        "summary": route.summary,
                        "parameters": parameters(&route, n >= common_count),
                        "responses": {
                            route.status: {"description": "success"},
                            "default": error.clone(),
                        }
                    }),
                );
            });
        debug_assert!(entry.is_some());
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": version,
                 "description": "Served by luna-emulator, an in-memory emulator of LUNA PLATFORM 5"},
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object",
            "properties": {
                "error_code": {"type": "integer"},
                "desc": {"type": "string"},
                "detail": {"type": "string"},
                "link": {"type": "string"}
            }
        }}}
    })
}
