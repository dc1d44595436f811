//! `/settings`: every signed-in user's own choices — interface language,
//! e-mail notifications — and the second factor, set up and removed in the
//! browser with the same store functions as the API.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Language;
use tukiverkko_store::StoreError;
use tukiverkko_store::accounts;

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{LANG_COOKIE, Lang, t};
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

pub struct LanguageOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// A second factor being set up: the secret to type or the link to open.
pub struct TotpSetup {
    pub secret: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: PageContext,
    languages: Vec<LanguageOption>,
    email_notifications: bool,
    totp_enabled: bool,
    setup: Option<TotpSetup>,
    notice: Option<String>,
    /// Which form the error belongs to, and the message.
    error: Option<(&'static str, String)>,
}

impl SettingsPage {
    fn error_for(&self, form: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| *f == form).map(|(_, m)| m.as_str())
    }
}

type Caller = Require<cap::SignedIn>;

fn page(lang: Language, granted: &Caller, setup: Option<TotpSetup>, notice: Option<String>) -> SettingsPage {
    let account = granted.account();
    let names = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")];
    SettingsPage {
        page: PageContext::new(lang, Some(&granted.principal), "/settings", "settings-heading"),
        languages: names
            .into_iter()
            .map(|(value, label)| LanguageOption { value, label, selected: account.language.as_str() == value })
            .collect(),
        email_notifications: account.email_notifications,
        totp_enabled: account.totp_enabled,
        setup,
        notice,
        error: None,
    }
}

fn refused(lang: Language, granted: &Caller, form: &'static str, key: &str, setup: Option<TotpSetup>) -> Response {
    let mut view = page(lang, granted, setup, None);
    view.error = Some((form, t(lang, key)));
    render(StatusCode::UNPROCESSABLE_ENTITY, &view)
}

/// The settings; `?saved=WHAT` says what was just saved.
pub async fn show(granted: Caller, Lang(lang): Lang, uri: axum::http::Uri) -> Response {
    let saved = uri.query().and_then(|q| q.strip_prefix("saved=")).unwrap_or_default();
    let notice = match saved {
        "preferences" | "totp_on" | "totp_off" => Some(t(lang, &format!("settings-saved-{saved}"))),
        _ => None,
    };
    render(StatusCode::OK, &page(lang, &granted, None, notice))
}

/// Saves language and e-mail choice; the language takes effect at once.
pub async fn save_preferences(
    State(state): State<AppState>,
    granted: Caller,
    Lang(lang): Lang,
    fields: FormFields,
) -> Result<Response, AppError> {
    let Ok(chosen) = fields.one("lang").parse::<Language>() else {
        return Ok(refused(lang, &granted, "preferences", "settings-choose-language", None));
    };
    let email = fields.one("email_notifications") == "true";
    accounts::set_preferences(&state.db, granted.account(), chosen, email).await?;
    let mut resp = Redirect::to("/settings?saved=preferences").into_response();
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", chosen.as_str());
    resp.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("ascii cookie"));
    Ok(resp)
}

/// Starts setting up the second factor: shows the secret and asks for a code.
pub async fn begin_totp(
    State(state): State<AppState>,
    granted: Caller,
    Lang(lang): Lang,
) -> Result<Response, AppError> {
    let (secret, url) = accounts::begin_totp(&state.db, granted.account()).await?;
    Ok(render(StatusCode::OK, &page(lang, &granted, Some(TotpSetup { secret, url }), None)))
}

/// Turns the second factor on with the first code from the app.
pub async fn confirm_totp(
    State(state): State<AppState>,
    granted: Caller,
    client: ClientInfo,
    Lang(lang): Lang,
    fields: FormFields,
) -> Result<Response, AppError> {
    let by = client.actor(granted.account());
    match accounts::confirm_totp(&state.db, granted.account(), &fields.one("code"), &by).await {
        Ok(()) => Ok(Redirect::to("/settings?saved=totp_on").into_response()),
        Err(StoreError::Invalid(_)) => {
            let setup = TotpSetup { secret: fields.one("secret"), url: fields.one("url") };
            Ok(refused(lang, &granted, "totp", "settings-totp-wrong-code", Some(setup)))
        }
        Err(StoreError::Conflict(_)) => Ok(refused(lang, &granted, "totp", "settings-totp-start-first", None)),
        Err(other) => Err(other.into()),
    }
}

/// Turns the second factor off, after the password.
pub async fn remove_totp(
    State(state): State<AppState>,
    granted: Caller,
    client: ClientInfo,
    Lang(lang): Lang,
    fields: FormFields,
) -> Result<Response, AppError> {
    let by = client.actor(granted.account());
    match accounts::remove_totp(&state.db, granted.account(), &fields.one("password"), &by).await {
        Ok(()) => Ok(Redirect::to("/settings?saved=totp_off").into_response()),
        Err(StoreError::Invalid(_)) => Ok(refused(lang, &granted, "totp", "settings-wrong-password", None)),
        Err(other) => Err(other.into()),
    }
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/settings", SignedIn, get(show)),
        route(Method::POST, "/settings", SignedIn, post(save_preferences)),
        route(Method::POST, "/settings/totp", SignedIn, post(begin_totp)),
        route(Method::POST, "/settings/totp/confirm", SignedIn, post(confirm_totp)),
        route(Method::POST, "/settings/totp/remove", SignedIn, post(remove_totp)),
    ]
}
