//! Operations: health and readiness probes, Prometheus metrics, the
//! client-info extractor used by audit entries.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
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

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Request counts and latency per route, search latency, and the state of
/// what the server depends on (database pool, audit writes, mail queue),
/// read at each scrape.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    search: Histogram,
    pool: Family<PoolLabels, Gauge>,
    audit_failures: Counter,
    mail_queue: Gauge,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 14))
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let search = latency_histogram();
        let pool = Family::<PoolLabels, Gauge>::default();
        let audit_failures = Counter::default();
        let mail_queue = Gauge::default();
        let mut registry = Registry::with_prefix("tukiverkko");
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by route", latency.clone());
        registry.register("search_duration_seconds", "Expert searches, from request to ranked page", search.clone());
        registry.register("db_pool_connections", "Database pool connections by state (idle, in_use)", pool.clone());
        registry.register("audit_write_failures", "Audit entries that could not be written", audit_failures.clone());
        registry.register("mail_queue", "Notifications waiting to be e-mailed (0 without a relay)", mail_queue.clone());
        Self { registry: Arc::new(Mutex::new(registry)), requests, latency, search, pool, audit_failures, mail_queue }
    }
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels { method: method.into(), route: route.into(), status: status.to_string() })
            .inc();
        self.latency.get_or_create(&RouteLabels { method: method.into(), route: route.into() }).observe(seconds);
    }

    /// The search latency histogram, for the directory to time searches into.
    pub fn search_histogram(&self) -> Histogram {
        self.search.clone()
    }

    fn read_dependencies(&self, pool: tukiverkko_store::PoolStatus, mail_queue: i64) {
        let gauge = |state: &str| self.pool.get_or_create(&PoolLabels { state: state.into() }).clone();
        gauge("idle").set(pool.idle as i64);
        gauge("in_use").set(pool.size as i64 - pool.idle as i64);
        let failures = tukiverkko_store::audit::write_failures();
        self.audit_failures.inc_by(failures.saturating_sub(self.audit_failures.get()));
        self.mail_queue.set(mail_queue);
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
    let queue = mail_queue(&state).await.unwrap_or(0);
    state.metrics.read_dependencies(state.db.pool_status(), queue);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.encode(),
    )
        .into_response()
}

/// Notifications waiting for the relay, when one is configured.
async fn mail_queue(state: &AppState) -> Result<i64, tukiverkko_store::StoreError> {
    match &state.mailer {
        Some(_) => tukiverkko_store::notifications::mail_queue_length(&state.db).await,
        None => Ok(0),
    }
}

/// One dependency's state on the health page.
#[derive(serde::Serialize)]
struct Check {
    status: &'static str,
    detail: String,
}

/// Which dependency is failing: the database (503 when it does not
/// answer), the audit trail (entries that could not be written since
/// start), the mail relay and its queue, and the expert index. Names no
/// secret and no address.
pub async fn health(State(state): State<AppState>) -> Response {
    let answer = tokio::time::timeout(std::time::Duration::from_secs(2), state.db.ping()).await;
    let pool = state.db.pool_status();
    let database = match answer {
        Ok(Ok(())) => Check { status: "ok", detail: format!("{} connections open, {} idle", pool.size, pool.idle) },
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: the database failed");
            Check { status: "failing", detail: "the database does not answer".into() }
        }
        Err(_) => Check { status: "failing", detail: "the database did not answer within 2 s".into() },
    };
    let failures = tukiverkko_store::audit::write_failures();
    let audit = if failures == 0 {
        Check { status: "ok", detail: "every audit entry since start was written".into() }
    } else {
        Check { status: "failing", detail: format!("{failures} audit entries could not be written since start") }
    };
    let mail = match &state.mailer {
        None => Check { status: "not_configured", detail: "no SMTP relay; notifications stay in the app".into() },
        Some(mailer) => {
            let queue = mail_queue(&state).await.ok();
            let waiting = queue.map_or("unknown".to_string(), |q| q.to_string());
            match mailer.last_error() {
                Some(error) => Check {
                    status: "failing",
                    detail: format!("the relay refused the last delivery ({error}); {waiting} waiting"),
                },
                None => Check { status: "ok", detail: format!("{waiting} notifications waiting") },
            }
        }
    };
    let search = Check { status: "ok", detail: format!("{} profiles in the index", state.directory.len().await) };
    // Which profile change this node's finder has applied, to compare nodes.
    let index_version = state.directory.version().await;
    let replica = match &state.config.replica {
        None => Check { status: "not_configured", detail: "no standby; every read goes to the primary".into() },
        Some(replica) => {
            match tokio::time::timeout(std::time::Duration::from_secs(2), replica.replica_status()).await {
                Ok(Ok((true, lag))) => Check {
                    status: "ok",
                    detail: match lag {
                        Some(lag) => format!("standby replaying; last replayed commit {lag:.1} s ago"),
                        None => "standby replaying; nothing replayed yet".into(),
                    },
                },
                // Promoted (or not a standby): reads still work, but it is no longer following the primary.
                Ok(Ok((false, _))) => {
                    Check { status: "failing", detail: "the replica is not in recovery (promoted?)".into() }
                }
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "health check: the standby failed");
                    Check {
                        status: "failing",
                        detail: "the standby does not answer; statistics fail until it does".into(),
                    }
                }
                Err(_) => Check { status: "failing", detail: "the standby did not answer within 2 s".into() },
            }
        }
    };
    let database_down = database.status == "failing";
    let overall = if database_down {
        "failing"
    } else if [&audit, &mail, &replica].iter().any(|c| c.status == "failing") {
        "degraded"
    } else {
        "ok"
    };
    let status = if database_down { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    let body = serde_json::json!({
        "status": overall,
        "checks": {"database": database, "replica": replica, "audit": audit, "mail": mail, "search": search},
        "index_version": index_version,
    });
    (status, axum::Json(body)).into_response()
}

/// Where a request came from, for throttling and the audit trail.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
    pub request_id: Option<String>,
}

impl ClientInfo {
    /// `account` acting from this client, as the audit trail records it.
    pub fn actor(&self, account: &tukiverkko_store::accounts::Account) -> tukiverkko_store::audit::AuditActor {
        tukiverkko_store::audit::AuditActor::account(account, Some(self.ip.clone()), self.request_id.clone())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let client = parts.extensions.get::<crate::client_addr::ClientAddr>().copied();
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        Ok(ClientInfo { ip: crate::auth::client_ip(client), request_id })
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

/// Longest client-chosen request id kept; longer or unusual ones are replaced.
const MAX_REQUEST_ID: usize = 64;

fn is_safe_request_id(id: &[u8]) -> bool {
    (1..=MAX_REQUEST_ID).contains(&id.len())
        && id.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A client's `X-Request-Id` reaches logs and the audit trail only when it
/// is short and plain; otherwise it is dropped and the server makes one.
pub async fn drop_unsafe_request_id(mut req: Request, next: Next) -> Response {
    let unsafe_id = req.headers().get_all("x-request-id").iter().count() > 1
        || req.headers().get("x-request-id").is_some_and(|v| !is_safe_request_id(v.as_bytes()));
    if unsafe_id {
        req.headers_mut().remove("x-request-id");
    }
    next.run(req).await
}

/// The request timeout for every handler, CPU-bound ones included (they
/// run on blocking threads, so the wait for them is what times out), and
/// answered like any other error.
pub async fn time_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(state.config.request_timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout.into_response(),
    }
}

/// A path that decodes to a control character names nothing that can
/// exist (ids are plain), so it is a 404 before any handler or database
/// sees it.
pub async fn refuse_control_paths(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8();
    match decoded {
        Ok(p) if !p.chars().any(char::is_control) => next.run(req).await,
        _ => AppError::NotFound.into_response(),
    }
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::get;
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/healthz", Public, get(healthz)),
        route(Method::GET, "/readyz", Public, get(readyz)),
        route(Method::GET, "/metrics", Public, get(metrics)),
        route(Method::GET, "/health", Public, get(health)),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn request_ids_are_short_and_plain() {
        assert!(super::is_safe_request_id(b"3f2a-11:x.y_z"));
        assert!(!super::is_safe_request_id(b""));
        assert!(!super::is_safe_request_id(&[b'a'; 65]));
        assert!(!super::is_safe_request_id(b"a b"));
        assert!(!super::is_safe_request_id("ä".as_bytes()));
    }
}
