//! Assembling the router and serving it on a listener the caller binds, so
//! tests bind port 0 and the CLI reports the real address.

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware::{from_fn, from_fn_with_state};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tukiverkko_store::Db;

use crate::error::AppError;
use crate::state::{AppState, ServerConfig};
use crate::tls::TlsListener;
use crate::{auth, client_addr, fhir, ops, pages, routes};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn build_router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let mut router = routes::router()
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        // Inside the error pages, so a timeout or a panic on a page route shows the page.
        .layer(from_fn_with_state(state.clone(), ops::time_limit))
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        .layer(from_fn(pages::errors::html_errors))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        // Outside authentication, so a bad bearer token under /fhir is an OperationOutcome too.
        .layer(from_fn(fhir::outcome::operation_outcomes))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(from_fn_with_state(state.clone(), ops::mail_after_changes))
        .layer(from_fn_with_state(state.clone(), ops::track))
        .with_state(state.clone())
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")));
    if state.config.uses_tls() {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router
        .layer(from_fn(ops::refuse_control_paths))
        // A panic in the layers above still answers problem+json.
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path only: queries may hold search words typed about a case.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(from_fn(ops::drop_unsafe_request_id))
        .layer(from_fn_with_state(state, client_addr::resolve))
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
/// With `config.tls` the listener speaks HTTPS.
pub async fn launch(
    listener: TcpListener,
    db: Db,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = config.tls.clone();
    let state = AppState::new(db, config);
    // Notifications left unmailed by an earlier run go out now.
    state.send_mail();
    let warm = state.clone();
    tokio::spawn(async move {
        if let Err(e) = warm.directory.refresh(&warm.db).await {
            tracing::warn!(error = %e, "expert index not built at start; the first search builds it");
        }
    });
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(send_reminders(state.clone(), stopped.clone()));
    tokio::spawn(follow_directory(state.clone(), stopped));
    let app = build_router(state);
    let shutdown = async move {
        shutdown.await;
        let _ = stopping.send(true);
    };
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        None => axum::serve(listener, app).with_graceful_shutdown(shutdown).await,
        Some(tls) => {
            // `tap_io` only to reach axum's connect-info impl for any listener with socket addresses.
            let listener = axum::serve::ListenerExt::tap_io(TlsListener::new(listener, &tls)?, |_| {});
            axum::serve(listener, app).with_graceful_shutdown(shutdown).await
        }
    }
}

/// Keeps this node's finder current with changes made on other nodes as
/// they are announced (PostgreSQL), so a search does not wait to apply
/// them. After a lost connection it catches up from the change log.
async fn follow_directory(state: AppState, mut stopped: tokio::sync::watch::Receiver<bool>) {
    use tukiverkko_store::experts::ChangeListener;
    let mut retry = std::time::Duration::from_millis(200);
    loop {
        let mut listener = match ChangeListener::connect(&state.db).await {
            Ok(Some(listener)) => listener,
            Ok(None) => {
                // SQLite has no notifications: nodes sharing the file look
                // twice a second (one single-row read when nothing changed).
                let mut every = tokio::time::interval(std::time::Duration::from_millis(500));
                loop {
                    tokio::select! {
                        _ = every.tick() => {}
                        _ = stopped.changed() => return,
                    }
                    if let Err(e) = state.directory.refresh(&state.db).await {
                        tracing::warn!(error = %e, "directory changes not applied; the next search tries again");
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for directory changes; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(retry) => {}
                    _ = stopped.changed() => return,
                }
                retry = (retry * 2).min(std::time::Duration::from_secs(10));
                continue;
            }
        };
        retry = std::time::Duration::from_millis(200);
        loop {
            // Whatever was announced, or missed while not listening, is in the log.
            if let Err(e) = state.directory.refresh(&state.db).await {
                tracing::warn!(error = %e, "directory changes not applied; the next search tries again");
            }
            tokio::select! {
                next = listener.next() => if let Err(e) = next {
                    tracing::warn!(error = %e, "lost the directory change listener; reconnecting");
                    break;
                },
                _ = stopped.changed() => return,
            }
        }
    }
}

/// Every quarter of an hour, reminds participants of the training sessions
/// starting soon and removes expired import previews and sign-ins, until
/// the server stops. Any number of nodes may run this:
/// each reminder is sent once (see `training_followup::send_reminders`).
async fn send_reminders(state: AppState, mut stopped: tokio::sync::watch::Receiver<bool>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = stopped.changed() => return,
        }
        match tukiverkko_store::training_followup::send_reminders(&state.db, state.config.training_reminder_days).await
        {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(reminders = n, "training reminders sent");
                state.send_mail();
            }
            Err(e) => tracing::warn!(error = %e, "training reminders not sent; the next round tries again"),
        }
        // Abandoned import previews and sign-ins hold personal data; they go once expired.
        let flows = crate::auth::oidc::FLOW_TTL.as_secs() as i64;
        if let Err(e) = tukiverkko_store::pending_imports::sweep(&state.db).await {
            tracing::warn!(error = %e, "expired import previews not removed; the next round tries again");
        }
        if let Err(e) = tukiverkko_store::oidc_flows::sweep(&state.db, flows).await {
            tracing::warn!(error = %e, "expired sign-ins not removed; the next round tries again");
        }
    }
}
