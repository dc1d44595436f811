//! Sign-in through the configured OpenID Connect provider: the button on
//! the sign-in page starts here, and the provider sends the browser back to
//! the callback. Every way this can fail ends on the sign-in page with a
//! message in the user's language and an audit entry with the reason.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Redirect, Response};
use serde::Deserialize;
use tukiverkko_domain::Language;
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_store::audit::{self, AuditEvent};
use tukiverkko_store::identities;

use crate::auth::oidc::{FLOW_COOKIE, FLOW_TTL, Oidc, OidcError};
use crate::auth::{constant_time_eq, cookie, into_response_with_cookie};
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::i18n::{Lang, t_args};
use crate::ops::ClientInfo;
use crate::pages::local_path;
use crate::pages::login::{login_error, start_session};
use crate::state::AppState;

fn provider(state: &AppState) -> Result<&Oidc, AppError> {
    state.oidc.as_ref().ok_or(AppError::NotFound)
}

fn flow_cookie(state: &AppState, value: &str, max_age: u64) -> String {
    let secure = if state.config.uses_tls() { "; Secure" } else { "" };
    // Lax, not Strict: the browser comes back from the provider's site.
    format!("{FLOW_COOKIE}={value}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Clears the flow cookie on the way out: a flow is used once.
fn end_flow(state: &AppState, response: Response) -> Response {
    into_response_with_cookie(response, flow_cookie(state, "", 0))
}

/// Back to the sign-in page with a message naming the provider.
fn refuse(state: &AppState, lang: Language, oidc: &Oidc, status: StatusCode, key: &str) -> Response {
    let message = t_args(lang, key, &[("provider", oidc.config.display_name.clone())]);
    end_flow(state, login_error(state, lang, status, message))
}

fn failure(state: &AppState, lang: Language, oidc: &Oidc, error: &OidcError) -> Response {
    let (status, key) = match error {
        OidcError::Unavailable(_) => (StatusCode::BAD_GATEWAY, "login-external-unavailable"),
        OidcError::Rejected(_) => (StatusCode::UNAUTHORIZED, "login-external-failed"),
    };
    tracing::warn!(%error, "OpenID Connect sign-in failed");
    refuse(state, lang, oidc, status, key)
}

pub async fn start(
    State(state): State<AppState>,
    Lang(lang): Lang,
    super::Next(next): super::Next,
) -> Result<Response, AppError> {
    let oidc = provider(&state)?;
    match oidc.start(&state.db, local_path(next.as_deref())).await {
        Ok((url, flow)) => {
            let cookie = flow_cookie(&state, &flow, FLOW_TTL.as_secs());
            Ok(into_response_with_cookie(Redirect::to(&url), cookie))
        }
        Err(e) => Ok(failure(&state, lang, oidc, &e)),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    /// Set by the provider when the user cancelled or was refused.
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    Lang(lang): Lang,
    client: ClientInfo,
    headers: HeaderMap,
    QueryParams(q): QueryParams<CallbackQuery>,
) -> Result<Response, AppError> {
    let oidc = provider(&state)?;
    let flow = q.state.as_deref().unwrap_or_default();
    let same_browser = cookie(&headers, FLOW_COOKIE).is_some_and(|c| !c.is_empty() && constant_time_eq(c, flow));
    let answer = match (same_browser, q.error.as_deref(), q.code.as_deref()) {
        (false, _, _) => Err(OidcError::Rejected("the sign-in was not started in this browser".into())),
        (true, Some(error), _) => Err(OidcError::Rejected(format!("the provider answered {error}"))),
        (true, None, Some(code)) => oidc.finish(&state.db, flow, code).await,
        (true, None, None) => Err(OidcError::Rejected("no authorization code".into())),
    };
    let refused = |reason: &str| {
        AuditEvent::new(AuditAction::ExternalLoginFailed)
            .outcome(reason)
            .purpose(Some(&oidc.config.issuer))
            .origin(Some(client.ip.clone()), client.request_id.clone())
    };
    let (identity, next) = match answer {
        Ok(answer) => answer,
        Err(e) => {
            let reason = if matches!(e, OidcError::Unavailable(_)) { "unavailable" } else { "rejected" };
            audit::record(&state.db, refused(reason)).await?;
            return Ok(failure(&state, lang, oidc, &e));
        }
    };
    match identities::resolve(&state.db, &identity).await? {
        Ok(account) => {
            let response = start_session(&state, &account, client, AuditAction::ExternalLogin, &next).await?;
            Ok(end_flow(&state, response))
        }
        Err(refusal) => {
            audit::record(&state.db, refused(refusal.as_str()).object("external_identity", &identity.subject)).await?;
            Ok(refuse(&state, lang, oidc, StatusCode::FORBIDDEN, "login-external-no-account"))
        }
    }
}
