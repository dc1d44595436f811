//! Password sign-in and sign-out. The answer to a failed sign-in is the
//! same whether the account exists or not.

use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tukiverkko_domain::Language;
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_store::audit::{self, AuditEvent};
use tukiverkko_store::{accounts, secrets, sessions};

use crate::auth::{self, Granted, Via, constant_time_eq, cookie, into_response_with_cookie, session_cookie};
use crate::error::AppError;
use crate::extract::FormBody;
use crate::i18n::{Lang, t, t_args};
use crate::ops::ClientInfo;
use crate::pages::local_path;
use crate::state::AppState;
use crate::templates::{PageContext, render};

/// Double-submit token for the sign-in form, before any session exists.
const PRE_SESSION_COOKIE: &str = "tv_pre";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageContext,
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

fn login_page(state: &AppState, lang: Language, status: StatusCode, form: LoginPage) -> Response {
    let cookie_value = format!(
        "{PRE_SESSION_COOKIE}={}; Path=/login; HttpOnly; SameSite=Strict{}",
        form.csrf,
        if state.config.uses_tls() { "; Secure" } else { "" }
    );
    let _ = lang;
    into_response_with_cookie(render(status, &form), cookie_value)
}

pub async fn show(
    State(state): State<AppState>,
    Lang(lang): Lang,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let csrf = cookie(&headers, PRE_SESSION_COOKIE).map(String::from).unwrap_or_else(secrets::random_token);
    let page = PageContext::new(lang, None, "/login", "login-heading");
    let form = LoginPage { page, csrf, next: local_path(q.next.as_deref()), email: String::new(), error: None };
    login_page(&state, lang, StatusCode::OK, form)
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    /// The TOTP code, for accounts with a second factor.
    #[serde(default)]
    code: String,
    csrf: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    client: ClientInfo,
    headers: HeaderMap,
    FormBody(form): FormBody<LoginForm>,
) -> Result<Response, AppError> {
    let fail = |status: StatusCode, message: String| {
        let page = PageContext::new(lang, None, "/login", "login-heading");
        let csrf = secrets::random_token();
        let form = LoginPage {
            page,
            csrf,
            next: local_path(form.next.as_deref()),
            email: form.email.clone(),
            error: Some(message),
        };
        login_page(&state, lang, status, form)
    };
    let csrf_ok = cookie(&headers, PRE_SESSION_COOKIE).is_some_and(|c| constant_time_eq(c, &form.csrf));
    if !csrf_ok || auth::is_cross_site(&headers) {
        return Ok(fail(StatusCode::FORBIDDEN, t(lang, "login-csrf")));
    }
    if let Err(wait) = state.login_limiter.check(&form.email, &client.ip) {
        let mut resp =
            fail(StatusCode::TOO_MANY_REQUESTS, t_args(lang, "login-rate-limited", &[("seconds", wait.to_string())]));
        resp.headers_mut().insert(axum::http::header::RETRY_AFTER, wait.into());
        return Ok(resp);
    }
    let account = match accounts::authenticate(&state.db, &form.email, &form.password).await? {
        // A missing or wrong second factor answers like a wrong password.
        Some(a) if accounts::second_factor_ok(&state.db, &a, &form.code).await? => Some(a),
        _ => None,
    };
    let Some(account) = account else {
        let event = AuditEvent::new(AuditAction::LoginFailed)
            .outcome("denied")
            .origin(Some(client.ip.clone()), client.request_id.clone());
        audit::record(&state.db, event).await?;
        return Ok(fail(StatusCode::UNAUTHORIZED, t(lang, "login-failed")));
    };
    let (session, _csrf) = sessions::create(&state.db, &account.id, state.config.session).await?;
    let event = AuditEvent::new(AuditAction::LoginSucceeded)
        .actor(&account.id, None)
        .object("user", &account.id)
        .origin(Some(client.ip), client.request_id);
    audit::record(&state.db, event).await?;
    let cookie = session_cookie(&session, state.config.uses_tls(), None);
    Ok(into_response_with_cookie(Redirect::to(&local_path(form.next.as_deref())), cookie))
}

pub async fn logout(
    State(state): State<AppState>,
    granted: Granted,
    client: ClientInfo,
    _req: Request,
) -> Result<Response, AppError> {
    let account = granted.account()?;
    if let Some(Via::Session { cookie, .. }) = granted.principal.as_ref().map(|p| &p.via) {
        sessions::end(&state.db, cookie).await?;
    }
    let event = AuditEvent::new(AuditAction::Logout)
        .actor(&account.id, None)
        .object("user", &account.id)
        .origin(Some(client.ip), client.request_id);
    audit::record(&state.db, event).await?;
    let cookie = session_cookie("", state.config.uses_tls(), Some(0));
    Ok(into_response_with_cookie(Redirect::to("/").into_response(), cookie))
}
