//! The routes of a service, each declared once with its handler and its description, and
//! `GET /docs/spec`: an OpenAPI 3 document built from those descriptions.

use crate::context::App;
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
            });
        }
        self.router = self.router.route(path, handler);
        self
    }
}

/// The service-level routes every service serves: path and summary.
pub const COMMON_ROUTES: [(&str, &str); 3] = [
    ("/version", "service version"),
    ("/healthcheck", "service health"),
    ("/docs/spec", "this OpenAPI document"),
];

fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            json!({"name": name, "in": "path", "required": true,
                   "schema": {"type": "string", "format": "uuid"}})
        })
        .collect()
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
    });
    for route in common.chain(routes.iter().cloned()) {
        let entry = paths
            .entry(route.path.clone())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| {
                m.insert(
                    route.method.to_owned(),
                    json!({
                        "summary": route.summary,
                        "parameters": path_parameters(&route.path),
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
