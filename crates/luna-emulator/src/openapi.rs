//! `GET /docs/spec`: an OpenAPI 3 document of the routes one service of the emulator serves,
//! built from each service's route table.

use serde_json::{json, Map, Value};

/// One route of a service, as the spec lists it.
#[derive(Clone, Copy, Debug)]
pub struct RouteDoc {
    /// Lowercase HTTP method.
    pub method: &'static str,
    /// Path with `{name}` parameters.
    pub path: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// The success status.
    pub status: &'static str,
}

impl RouteDoc {
    /// A route.
    pub const fn new(
        method: &'static str,
        path: &'static str,
        summary: &'static str,
        status: &'static str,
    ) -> Self {
        Self {
            method,
            path,
            summary,
            status,
        }
    }
}

/// The service-level routes every service serves.
pub const COMMON_ROUTES: &[RouteDoc] = &[
    RouteDoc::new("get", "/version", "service version", "200"),
    RouteDoc::new("get", "/healthcheck", "service health", "200"),
    RouteDoc::new("get", "/docs/spec", "this OpenAPI document", "200"),
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
    for route in COMMON_ROUTES.iter().chain(routes) {
        let entry = paths
            .entry(route.path)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| {
                m.insert(
                    route.method.to_owned(),
                    json!({
                        "summary": route.summary,
                        "parameters": path_parameters(route.path),
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
