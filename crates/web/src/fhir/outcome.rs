//! Errors under `/fhir` answer an OperationOutcome: FHIR clients read that,
//! not problem+json. Every error of the web layer (the capability check,
//! a bad bearer token, a handler's `AppError`, a time-out) is rendered as
//! problem+json first; one layer turns it into an OperationOutcome here, so
//! the status codes stay exactly those of the JSON API.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::FHIR_JSON;

/// The FHIR issue type for an HTTP status (value set `issue-type`).
fn issue_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "invalid",
        401 => "login",
        403 => "forbidden",
        404 => "not-found",
        405 => "not-supported",
        409 => "conflict",
        413 => "too-costly",
        429 => "throttled",
        503 => "timeout",
        _ => "exception",
    }
}

/// An OperationOutcome with one issue.
pub fn outcome(status: StatusCode, diagnostics: &str, expression: Option<&str>) -> Value {
    let mut issue = json!({
        "severity": if status.is_server_error() { "fatal" } else { "error" },
        "code": issue_code(status),
        "diagnostics": diagnostics,
    });
    if let Some(e) = expression.filter(|e| !e.is_empty()) {
        issue["expression"] = json!([e]);
    }
    json!({"resourceType": "OperationOutcome", "issue": [issue]})
}

/// A FHIR error answer for `status`.
pub fn error(status: StatusCode, diagnostics: &str, expression: Option<&str>) -> Response {
    let mut response = (status, axum::Json(super::Ordered(&outcome(status, diagnostics, expression)))).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
    response
}

/// Problem bodies are a few hundred bytes; anything larger is not one of ours.
const PROBLEM_LIMIT: usize = 64 * 1024;

/// The layer: a problem+json answer to a `/fhir` request becomes an
/// OperationOutcome with the same status and headers.
pub async fn operation_outcomes(req: Request, next: Next) -> Response {
    let fhir = req.uri().path() == "/fhir" || req.uri().path().starts_with("/fhir/");
    let response = next.run(req).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/problem+json"));
    if !fhir || !is_problem {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let problem: Value = match to_bytes(body, PROBLEM_LIMIT).await {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    };
    let detail = problem["detail"].as_str().or(parts.status.canonical_reason()).unwrap_or("error");
    let body = outcome(parts.status, detail, problem["field"].as_str());
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::to_string(&super::Ordered(&body)).unwrap_or_default();
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_issue_types() {
        let o = outcome(StatusCode::NOT_FOUND, "not found", None);
        assert_eq!(o["issue"][0]["code"], "not-found");
        assert!(o["issue"][0].get("expression").is_none());
        let o = outcome(StatusCode::BAD_REQUEST, "bad _count", Some("_count"));
        assert_eq!(o["issue"][0]["expression"][0], "_count");
        assert_eq!(outcome(StatusCode::INTERNAL_SERVER_ERROR, "x", None)["issue"][0]["severity"], "fatal");
    }
}
