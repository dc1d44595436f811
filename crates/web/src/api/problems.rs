//! The error half of `/openapi.json`. Every /api/v1 operation answers
//! problem+json errors for reasons that follow from its route alone (no or
//! bad credentials, a missing capability, an id in the path, a body, query
//! parameters, the request timeout), so they are added here from the route
//! table once instead of by hand on each handler, where they were
//! forgotten. Handlers still document what is specific to them (409 on a
//! wrong state, 403 from a scope rule) in their own annotations; this only
//! fills in what is missing and gives every error its media type and schema.

use serde_json::{Value, json};
use tukiverkko_domain::Capability;

use crate::routes::RouteSpec;

const PROBLEM: &str = "application/problem+json";

/// The `Problem` schema: what `AppError` renders (see `crate::error`).
fn problem_schema() -> Value {
    json!({
        "type": "object",
        "description": "RFC 9457 problem details, as every error of the API answers.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "field": {"type": "string", "description": "Dotted path of the one input field at fault, e.g. `client.county`."},
            "code": {"type": "string", "description": "A machine-readable reason, e.g. `required`, `too_long`."}
        }
    })
}

fn why(status: &str) -> &'static str {
    match status {
        "400" => "malformed request (not JSON, wrong Content-Type, unreadable body)",
        "401" => "no or bad credentials",
        "403" => "the caller's roles lack the capability this operation needs",
        "404" => "not found, or outside the caller's scope",
        "409" => "the resource is in the wrong state for this, or changed since it was read",
        "413" => "request body larger than the limit",
        "422" => "invalid value; `field` names the input at fault",
        "429" => "rate-limited; see Retry-After",
        "503" => "the request took longer than the server's timeout",
        _ => "error",
    }
}

/// Adds the route-implied errors, the problem+json media type and the body
/// limit to every /api/v1 operation of `doc` (the serialised utoipa document).
pub fn complete(doc: &mut Value, routes: &[RouteSpec], body_limit: usize) {
    let components = doc.as_object_mut().expect("an OpenAPI object").entry("components").or_insert_with(|| json!({}));
    components["schemas"]["Problem"] = problem_schema();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            let Some(spec) = routes.iter().find(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method))
            else {
                continue;
            };
            complete_operation(operation, spec, spec.body_limit.unwrap_or(body_limit));
        }
    }
}

fn complete_operation(op: &mut Value, spec: &RouteSpec, body_limit: usize) {
    let has_body = op.get("requestBody").is_some();
    let params = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
    let has_input_params = params.iter().any(|p| p["in"] == "query" || p["in"] == "header");
    page_bounds(op, spec.path);
    let mut statuses = vec!["401", "503"];
    // Besides the route's capability, scope rules (whose case, which
    // centre) answer 403 on signed-in routes too.
    if spec.capability != Capability::Public {
        statuses.push("403");
    }
    if spec.path.contains('{') {
        statuses.push("404");
    }
    // Every move on a case checks its state and the optional `version`
    // (DESIGN §5 "Concurrent edits").
    if spec.path.starts_with("/api/v1/consultations/{id}/") && spec.method == axum::http::Method::POST {
        statuses.push("409");
    }
    if has_body {
        statuses.extend(["400", "413", "422"]);
    }
    if has_input_params {
        statuses.push("422");
    }
    exports(op, spec.path);
    let responses = op["responses"].as_object_mut().expect("responses");
    for status in statuses {
        responses.entry(status).or_insert_with(|| json!({"description": why(status)}));
    }
    for (status, response) in responses.iter_mut() {
        if status.starts_with('4') || status.starts_with('5') {
            let content = response.as_object_mut().expect("response").entry("content").or_insert_with(|| json!({}));
            if content.as_object().is_some_and(|c| c.is_empty()) {
                content[PROBLEM] = json!({"schema": {"$ref": "#/components/schemas/Problem"}});
            }
        }
    }
    if let Some(body) = op.get_mut("requestBody").and_then(Value::as_object_mut) {
        let limit = format!("At most {body_limit} bytes (413 beyond).");
        let description = match body.get("description").and_then(Value::as_str) {
            Some(d) if !d.is_empty() => format!("{d} {limit}"),
            _ => limit,
        };
        body.insert("description".into(), json!(description));
        body.insert("x-max-body-bytes".into(), json!(body_limit));
    }
    // A public operation also takes a token (and answers 401 to a bad one).
    if spec.capability == Capability::Public {
        op["security"] = json!([{}, {"bearer": []}]);
    } else if op.get("security").is_none() {
        op["security"] = json!([{"bearer": []}]);
    }
}

/// `limit` and `offset` mean the same everywhere (DESIGN §5 conventions,
/// checked by `catalogue::paging` and the finder): 1–100, default 20, and
/// not negative.
fn page_bounds(op: &mut Value, path: &str) {
    let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else { return };
    let audit = path == "/api/v1/audit";
    for p in params.iter_mut().filter(|p| p["in"] == "query") {
        let bounds = match p["name"].as_str() {
            Some("limit") if audit => json!({"minimum": 1, "maximum": super::audit::MAX_LIMIT, "default": 200}),
            Some("limit") => json!({"minimum": 1, "maximum": 100, "default": 20}),
            Some("offset") => json!({"minimum": 0}),
            _ => continue,
        };
        if let (Some(schema), Some(bounds)) = (p.get_mut("schema").and_then(Value::as_object_mut), bounds.as_object()) {
            schema.extend(bounds.clone());
        }
    }
}

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Lists that `format=csv` (and for statistics `xlsx`) turns into a file:
/// the same 200 in those media types too.
fn exports(op: &mut Value, path: &str) {
    let types: &[&str] = match path {
        "/api/v1/audit" | "/api/v1/research-needs" => &[CSV],
        "/api/v1/statistics/consultations" | "/api/v1/statistics/service" => &[CSV, XLSX],
        _ => return,
    };
    let Some(content) = op.pointer_mut("/responses/200/content").and_then(Value::as_object_mut) else { return };
    for t in types {
        let schema = if *t == CSV { json!({"type": "string"}) } else { json!({"type": "string", "format": "binary"}) };
        content.entry(*t).or_insert_with(|| json!({"schema": schema}));
    }
}
