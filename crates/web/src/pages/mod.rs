//! Server-rendered pages. Everything works without JavaScript.

pub mod errors;
pub mod home;
pub mod login;
pub mod login_external;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Language;

use crate::error::AppError;
use crate::i18n::LANG_COOKIE;

/// A redirect target from a form or query: only a path on this site.
/// Browsers drop tabs and line breaks from addresses and read `\\` as `/`,
/// so `/\t/evil.example` would lead away: any control character, white
/// space or backslash sends the user home instead.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The `next` parameter of a page address, as sent. Anything may be in it,
/// so it never refuses the request: [`local_path`] turns what is not a
/// plain local path into the home page.
pub struct Next(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Next {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        Ok(Next(form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "next").map(|(_, v)| v.into_owned())))
    }
}

/// The language switcher: remembers the choice in a cookie and returns to the page.
pub async fn switch_language(Path(code): Path<String>, Next(next): Next) -> Result<Response, AppError> {
    let lang: Language = code.parse().map_err(|_| AppError::NotFound)?;
    let mut resp = Redirect::to(&local_path(next.as_deref())).into_response();
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.as_str());
    resp.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("ascii cookie"));
    Ok(resp)
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/", Public, get(home::index)),
        route(Method::GET, "/login", Public, get(login::show)),
        route(Method::POST, "/login", Public, post(login::submit)),
        route(Method::GET, "/login/oidc", Public, get(login_external::start)),
        route(Method::GET, "/login/oidc/callback", Public, get(login_external::callback)),
        route(Method::POST, "/logout", SignedIn, post(login::logout)),
        route(Method::GET, "/lang/{code}", Public, get(switch_language)),
        route(Method::GET, "/static/app.css", Public, get(stylesheet)),
    ]
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_plain_local_paths_are_followed() {
        assert_eq!(local_path(Some("/experts?q=a%20b")), "/experts?q=a%20b");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/x",
            "/\u{0}x",
            "/ /evil.example",
            "/\u{3000}/x",
            "https://evil.example",
            "evil",
            "",
        ] {
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
