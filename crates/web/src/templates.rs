//! What every page template gets: language, the caller, the CSRF token for
//! forms and the navigation for the caller's roles.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tukiverkko_domain::{Capability, Language};

use crate::auth::Principal;
use crate::i18n;

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

pub struct LanguageLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct PageContext {
    pub lang: Language,
    pub user_name: Option<String>,
    pub csrf: Option<String>,
    pub nav: Vec<NavItem>,
    pub languages: Vec<LanguageLink>,
    pub title: String,
    /// Unread notifications of a signed-in user, shown in the header.
    pub unread: Option<i64>,
}

/// Navigation entries: path, message key, capability that shows them.
const NAV: &[(&str, &str, Capability)] = &[
    ("/", "nav-home", Capability::Public),
    ("/consultations", "nav-consultations", Capability::SignedIn),
    ("/experts", "nav-experts", Capability::SearchExperts),
    ("/trainings", "nav-trainings", Capability::SignedIn),
    ("/research-needs", "nav-research", Capability::SignedIn),
    ("/statistics", "nav-statistics", Capability::ViewStatistics),
    ("/services", "nav-services", Capability::Public),
    ("/experts/import", "nav-import", Capability::ManageExperts),
    ("/admin/users", "nav-users", Capability::ManageUsers),
    ("/settings", "nav-settings", Capability::SignedIn),
];

impl PageContext {
    pub fn new(lang: Language, principal: Option<&Principal>, path: &str, title_key: &str) -> Self {
        let roles = principal.map(|p| p.account.roles.as_slice()).unwrap_or(&[]);
        let nav = NAV
            .iter()
            .filter(|(_, _, cap)| cap.granted_by(roles))
            .map(|(href, key, _)| NavItem { href, label: i18n::t(lang, key), current: *href == path })
            .collect();
        let languages = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
            .into_iter()
            .map(|(code, name)| LanguageLink {
                code,
                name,
                href: format!(
                    "/lang/{code}?next={}",
                    form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
                ),
                current: code == lang.as_str(),
            })
            .collect();
        Self {
            lang,
            user_name: principal.map(|p| p.account.name.clone()),
            csrf: principal.and_then(|p| p.csrf_token().map(String::from)),
            nav,
            languages,
            title: i18n::t(lang, title_key),
            unread: principal.and_then(|p| p.unread),
        }
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// The label of a code, from the key `PREFIX-CODE` (the runtime keys
    /// the i18n test lists).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        i18n::t(self.lang, &format!("{prefix}-{code}"))
    }

    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        i18n::t_args(self.lang, key, &[(name, value.to_string())])
    }

    /// A number with the reader's decimal sign.
    pub fn decimal(&self, v: &f64) -> String {
        crate::labels::decimal(self.lang, *v)
    }
}

/// The message for a page reached by the redirect after an action
/// (`?done=WHAT`): the key `{prefix}-{WHAT}`, when WHAT is one of `known`.
pub fn done_notice(lang: Language, uri: &axum::http::Uri, prefix: &str, known: &[&str]) -> Option<String> {
    let done = uri.query()?.split('&').find_map(|p| p.strip_prefix("done="))?;
    known.contains(&done).then(|| i18n::t(lang, &format!("{prefix}-{done}")))
}

pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => crate::error::AppError::Internal(format!("template: {err}")).into_response(),
    }
}
