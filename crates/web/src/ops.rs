//! Operations: health and readiness probes, Prometheus metrics, the
//! client-info extractor used by audit entries.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::error::AppError;
use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Request counts and latency histograms per route.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 14))
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let mut registry = Registry::with_prefix("tukiverkko");
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by route", latency.clone());
        Self { registry: Arc::new(Mutex::new(registry)), requests, latency }
    }
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels { method: method.into(), route: route.into(), status: status.to_string() })
            .inc();
        self.latency.get_or_create(&RouteLabels { method: method.into(), route: route.into() }).observe(seconds);
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().expect("metrics registry lock");
        prometheus_client::encoding::text::encode(&mut out, &registry).expect("writing to a String cannot fail");
        out
    }
}

/// Labels by the route template, never the raw path, so ids do not
/// explode the number of series (and never land in metrics).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let response = next.run(req).await;
    state.metrics.observe(&method, &route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state.db.ping().await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check failed");
        AppError::Internal("database does not answer".into())
    })?;
    Ok("ready")
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.encode(),
    )
        .into_response()
}

/// Where a request came from, for throttling and the audit trail.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
    pub request_id: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        Ok(ClientInfo { ip: crate::auth::client_ip(peer), request_id })
    }
}

/// After a successful change, e-mail the notifications it made.
pub async fn mail_after_changes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    let response = next.run(req).await;
    if changes && (response.status().is_success() || response.status().is_redirection()) {
        state.send_mail();
    }
    response
}
