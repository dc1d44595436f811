//! Password sign-in and sign-out. The answer to a failed sign-in is the
//! same whether the account exists or not.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tukiverkko_domain::Language;
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_store::audit::{self, AuditEvent};
use tukiverkko_store::{accounts, secrets, sessions};

use crate::auth::{self, Require, Via, cap, constant_time_eq, cookie, into_response_with_cookie, session_cookie};
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
    /// The OpenID Connect provider's name, when one is configured.
    external: Option<String>,
    external_href: String,
}

impl LoginPage {
    fn new(state: &AppState, lang: Language, next: Option<&str>, email: String, error: Option<String>) -> Self {
        LoginPage {
            page: PageContext::new(lang, None, "/login", "login-heading"),
            csrf: secrets::random_token(),
            external_href: format!(
                "/login/oidc?next={}",
                form_urlencoded::byte_serialize(local_path(next).as_bytes()).collect::<String>()
            ),
            next: local_path(next),
            email,
            error,
            external: state.oidc.as_ref().map(|o| o.config.display_name.clone()),
        }
    }
}

/// The sign-in page again, with a message saying what went wrong.
pub(crate) fn login_error(state: &AppState, lang: Language, status: StatusCode, message: String) -> Response {
    login_page(state, lang, status, LoginPage::new(state, lang, None, String::new(), Some(message)))
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
    super::Next(next): super::Next,
) -> Response {
    let mut form = LoginPage::new(&state, lang, next.as_deref(), String::new(), None);
    if let Some(existing) = cookie(&headers, PRE_SESSION_COOKIE) {
        form.csrf = existing.to_string();
    }
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
        let page = LoginPage::new(&state, lang, form.next.as_deref(), form.email.clone(), Some(message));
        login_page(&state, lang, status, page)
    };
    let csrf_ok = cookie(&headers, PRE_SESSION_COOKIE).is_some_and(|c| constant_time_eq(c, &form.csrf));
    if !csrf_ok || auth::is_cross_site(&headers, state.config.public_url.as_deref()) {
        return Ok(fail(StatusCode::FORBIDDEN, t(lang, "login-csrf")));
    }
    if let Err(wait) = state.login_limiter.check(&state.db, &form.email, &client.ip).await? {
        let mut resp =
            fail(StatusCode::TOO_MANY_REQUESTS, t_args(lang, "login-rate-limited", &[("seconds", wait.to_string())]));
        resp.headers_mut().insert(axum::http::header::RETRY_AFTER, wait.into());
        let event = AuditEvent::new(AuditAction::LoginFailed)
            .object("account", &attempted_account(&form.email))
            .purpose(Some("rate limited"))
            .outcome("rate_limited")
            .origin(Some(client.ip.clone()), client.request_id.clone());
        audit::record_refusal(&state.db, event).await?;
        return Ok(resp);
    }
    let account = match accounts::authenticate(&state.db, &form.email, &form.password).await? {
        // A missing or wrong second factor answers like a wrong password.
        Some(a) if accounts::second_factor_ok(&state.db, &a, &form.code).await? => Some(a),
        _ => None,
    };
    let Some(account) = account else {
        let event = AuditEvent::new(AuditAction::LoginFailed)
            .object("account", &attempted_account(&form.email))
            .outcome("denied")
            .origin(Some(client.ip.clone()), client.request_id.clone());
        audit::record(&state.db, event).await?;
        return Ok(fail(StatusCode::UNAUTHORIZED, t(lang, "login-failed")));
    };
    start_session(&state, &account, client, AuditAction::LoginSucceeded, &local_path(form.next.as_deref())).await
}

/// The account a sign-in named, as typed when it is an e-mail address
/// (never the password); anything else is recorded as unreadable.
fn attempted_account(email: &str) -> String {
    email
        .parse::<tukiverkko_domain::Email>()
        .map(|e| e.to_string())
        .unwrap_or_else(|_| "(not an e-mail address)".into())
}

/// Signs the account in: a new session, its audit entry, and on to `next`.
pub(crate) async fn start_session(
    state: &AppState,
    account: &accounts::Account,
    client: ClientInfo,
    action: AuditAction,
    next: &str,
) -> Result<Response, AppError> {
    let (session, _csrf) = sessions::create(&state.db, &account.id, state.config.session).await?;
    let event = AuditEvent::new(action).by(&client.actor(account)).object("user", &account.id);
    audit::record(&state.db, event).await?;
    let cookie = session_cookie(&session, state.config.uses_tls(), None);
    Ok(into_response_with_cookie(Redirect::to(next), cookie))
}

pub async fn logout(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    _req: Request,
) -> Result<Response, AppError> {
    let account = granted.account();
    if let Via::Session { cookie, .. } = &granted.principal.via {
        sessions::end(&state.db, cookie).await?;
    }
    let event = AuditEvent::new(AuditAction::Logout).by(&client.actor(account)).object("user", &account.id);
    audit::record(&state.db, event).await?;
    let cookie = session_cookie("", state.config.uses_tls(), Some(0));
    Ok(into_response_with_cookie(Redirect::to("/").into_response(), cookie))
}
