//! One error type for the web layer. It renders as
//! `application/problem+json`; page routes turn that into an HTML page in
//! the user's language (see `pages::errors`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tukiverkko_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{detail}")]
    BadRequest { detail: String, field: Option<String> },
    #[error("sign-in required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    /// A police or prosecution panel member before the coordinator's
    /// Barnahus decision: 403 that says why (the case is on their list).
    #[error("the case awaits the coordinator's decision on Barnahus co-operation")]
    AwaitingBarnahus { reference: String },
    #[error("not found")]
    NotFound,
    #[error("this address does not take that method")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("{detail}")]
    Invalid { code: String, detail: String, field: Option<String> },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("the request took too long; try again")]
    Timeout,
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
}

impl AppError {
    pub fn invalid(field: &str, err: tukiverkko_domain::ValueError) -> Self {
        AppError::Invalid { code: err.code.to_string(), detail: err.message, field: Some(field.to_string()) }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::AwaitingBarnahus { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::AwaitingBarnahus { reference } => AppError::AwaitingBarnahus { reference },
            StoreError::Conflict(msg) => AppError::Conflict(msg),
            StoreError::Invalid(v) => AppError::Invalid { code: v.code.to_string(), detail: v.message, field: None },
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let AppError::Internal(msg) = &self {
            tracing::error!(error = %msg, "request failed");
        }
        let (field, code) = match &self {
            AppError::BadRequest { field, .. } => (field.as_deref(), None),
            AppError::Invalid { field, code, .. } => (field.as_deref(), Some(code.as_str())),
            AppError::AwaitingBarnahus { .. } => (None, Some("awaiting_barnahus")),
            _ => (None, None),
        };
        let detail = match &self {
            AppError::Internal(_) => "the server could not complete the request".to_string(),
            other => other.to_string(),
        };
        let body = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("error"),
            status: status.as_u16(),
            detail,
            field,
            code,
        };
        let mut response = (status, axum::Json(body)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let AppError::TooManyRequests { retry_after_secs } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(ErrorMarker { status });
        response
    }
}

/// Marks a response produced from an `AppError`, so page routes can render it.
#[derive(Debug, Clone, Copy)]
pub struct ErrorMarker {
    pub status: StatusCode,
}

/// A handler that panicked answers like any other failure (problem+json,
/// or the error page on page routes), never a bare text/plain 500.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into());
    AppError::Internal(format!("handler panicked: {message}")).into_response()
}
