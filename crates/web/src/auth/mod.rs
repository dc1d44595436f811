//! Who is calling, and may they. Every request is resolved to an optional
//! [`Principal`] (session cookie or bearer token). Every route then runs
//! [`require`] with the capability it declares; handlers take a [`Granted`],
//! which exists only after that check, so a handler cannot skip it.

pub mod limiter;
pub mod oidc;
mod require;

pub use require::{Cap, Require, cap};

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Capability;
use tukiverkko_store::accounts::Account;
use tukiverkko_store::audit::{AuditActor, AuditEvent};
use tukiverkko_store::{sessions, tokens};

use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "tv_session";
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone)]
pub enum Via {
    Session { cookie: String, csrf_token: String },
    Token,
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub account: Account,
    pub via: Via,
    /// Unread notifications, for the page header (browser sessions only).
    pub unread: Option<i64>,
}

impl Principal {
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf_token, .. } => Some(csrf_token),
            Via::Token => None,
        }
    }
}

/// The configured public address, for the same-origin check of route layers
/// that do not hold the application state.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub Option<String>);

/// The caller, if signed in; set for every request by [`authenticate`].
#[derive(Debug, Clone, Default)]
pub struct CurrentUser(pub Option<Principal>);

/// Proof that the route's capability was checked for this caller. Public
/// routes take it for the optional caller; every other route takes a
/// [`Require`] of its capability instead.
#[derive(Debug, Clone)]
pub struct Granted {
    pub principal: Option<Principal>,
    /// The capability the route declares, which [`Require`] compares with its own.
    pub capability: Capability,
}

impl<S: Send + Sync> FromRequestParts<S> for Granted {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Granted>()
            .cloned()
            .ok_or_else(|| AppError::Internal(format!("route {} declares no capability", parts.uri.path())))
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// Resolves the caller. A bad bearer token is an error (the client meant to
/// authenticate); a stale session cookie just means signed out.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let principal = if let Some(token) = bearer(req.headers()) {
        match tokens::authenticate(&state.db, token).await {
            Ok(Some(account)) => Some(Principal { account, via: Via::Token, unread: None }),
            Ok(None) => return AppError::Unauthorized.into_response(),
            Err(e) => return AppError::from(e).into_response(),
        }
    } else if let Some(cookie) = cookie(req.headers(), SESSION_COOKIE).map(String::from) {
        match sessions::resume(&state.db, &cookie, state.config.session).await {
            Ok(Some(s)) => {
                let unread = match tukiverkko_store::notifications::unread_count(&state.db, &s.account.id).await {
                    Ok(n) => Some(n),
                    Err(e) => return AppError::from(e).into_response(),
                };
                Some(Principal { account: s.account, via: Via::Session { cookie, csrf_token: s.csrf_token }, unread })
            }
            Ok(None) => None,
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        None
    };
    req.extensions_mut().insert(CurrentUser(principal));
    req.extensions_mut().insert(PublicUrl(state.config.public_url.clone()));
    req.extensions_mut().insert(RefusalLog(state.db.clone()));
    next.run(req).await
}

/// The per-route check: sign-in, capability, and for cookie-authenticated
/// state changes the CSRF token and same-origin check.
pub async fn require(State(capability): State<Capability>, mut req: Request, next: Next) -> Response {
    let principal = req.extensions().get::<CurrentUser>().and_then(|c| c.0.clone());
    // API and FHIR clients get 401, not a redirect to the sign-in page.
    let is_api = req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/fhir/");
    if capability.needs_sign_in() {
        let Some(p) = &principal else {
            if is_api || req.method() != Method::GET {
                return denied(capability, AppError::Unauthorized);
            }
            let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target =
                format!("/login?next={}", form_urlencoded::byte_serialize(next_path.as_bytes()).collect::<String>());
            return denied(capability, Redirect::to(&target));
        };
        if !capability.granted_by(&p.account.roles) {
            record_refusal(refusal(&req, &p.account, capability)).await;
            return denied(capability, AppError::Forbidden);
        }
    }
    let state_changing = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if state_changing && let Some(Principal { via: Via::Session { csrf_token, .. }, .. }) = &principal {
        req = match check_csrf(req, csrf_token).await {
            Ok(req) => req,
            Err(e) => return e.into_response(),
        };
    }
    req.extensions_mut().insert(Granted { principal, capability });
    next.run(req).await
}

/// Where route layers record refused attempts.
#[derive(Clone)]
pub struct RefusalLog(pub tukiverkko_store::Db);

/// A signed-in caller refused by a route's capability goes into the audit
/// trail (703/2023 asks for attempts too), rate-limited per caller.
fn refusal(req: &Request, account: &Account, capability: Capability) -> Option<(tukiverkko_store::Db, AuditEvent)> {
    let RefusalLog(db) = req.extensions().get::<RefusalLog>()?.clone();
    let client = req.extensions().get::<crate::client_addr::ClientAddr>().copied();
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
    let event = AuditEvent::named("access.denied")
        .by(&AuditActor::account(account, Some(client_ip(client)), request_id))
        .object("route", &format!("{} {}", req.method(), req.uri().path()))
        .purpose(Some(&format!("needs {}", capability.as_str())))
        .outcome("denied");
    Some((db, event))
}

async fn record_refusal(refusal: Option<(tukiverkko_store::Db, AuditEvent)>) {
    if let Some((db, event)) = refusal
        && let Err(e) = tukiverkko_store::audit::record_refusal(&db, event).await
    {
        tracing::warn!(error = %e, "a refused attempt could not be recorded");
    }
}

/// Header naming the capability a refused request lacked, for API clients
/// and for the route × role test.
pub const REQUIRED_CAPABILITY_HEADER: &str = "x-required-capability";

fn denied(capability: Capability, response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response.headers_mut().insert(REQUIRED_CAPABILITY_HEADER, header::HeaderValue::from_static(capability.as_str()));
    response
}

/// A cross-site request is refused by its Origin or Sec-Fetch-Site header,
/// and a same-site one must carry the session's token, as a header (API) or
/// a form field (pages). Form bodies are buffered to read the field and then
/// handed on unchanged.
pub async fn check_csrf(req: Request, expected: &str) -> Result<Request, AppError> {
    let public_url = req.extensions().get::<PublicUrl>().and_then(|p| p.0.clone());
    if is_cross_site(req.headers(), public_url.as_deref()) {
        return Err(AppError::Forbidden);
    }
    if let Some(token) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if constant_time_eq(token, expected) { Ok(req) } else { Err(AppError::Forbidden) };
    }
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let boundary = multer::parse_boundary(&content_type).ok();
    if !content_type.starts_with("application/x-www-form-urlencoded") && boundary.is_none() {
        return Err(AppError::Forbidden);
    }
    let (parts, body) = req.into_parts();
    let bytes = crate::extract::body_bytes(Request::from_parts(parts.clone(), body), &()).await?;
    let token = match boundary {
        Some(boundary) => multipart_field(bytes.clone(), boundary, CSRF_FIELD).await,
        None => form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned()),
    };
    match token {
        Some(t) if constant_time_eq(&t, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(AppError::Forbidden),
    }
}

/// A text field of a buffered multipart body (file uploads carry the
/// CSRF token as an ordinary field).
async fn multipart_field(bytes: bytes::Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// The scheme, host and port of an absolute URL, as an `Origin` header
/// gives them.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    Some(url.origin().ascii_serialization()).filter(|o| o != "null")
}

/// Whether a request comes from another site: by `Sec-Fetch-Site`, or by an
/// `Origin` that is neither the public address users reach (set behind a
/// reverse proxy, where `Host` is the proxy's upstream name) nor the host
/// the request was sent to.
pub fn is_cross_site(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(|v| v == "cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == "null" {
        return true;
    }
    if public_url.and_then(origin_of).is_some_and(|public| public.eq_ignore_ascii_case(origin)) {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
    host.is_none_or(|host| !origin_host.eq_ignore_ascii_case(host))
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client address for throttling and the audit trail.
pub fn client_ip(client: Option<crate::client_addr::ClientAddr>) -> String {
    client.map(|c| c.0.to_string()).unwrap_or_else(|| "unknown".into())
}

/// `Set-Cookie` value for the session cookie.
pub fn session_cookie(value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut c = format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub fn into_response_with_cookie(resp: impl IntoResponse, cookie: String) -> Response {
    let mut resp = resp.into_response();
    if let Ok(v) = header::HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}
