//! The accessibility statement (saavutettavuusseloste, required by the act
//! on digital services 306/2019) and the privacy notice (tietosuojaseloste),
//! public pages in fi/sv/en linked from every page's footer.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::auth::Granted;
use crate::i18n::{Lang, t};
use crate::templates::{PageContext, render};

/// One heading and its text, from `KEY-N-h` and `KEY-N-p`.
pub struct Section {
    pub heading: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "statement_page.html")]
struct StatementPage {
    page: PageContext,
    intro: String,
    sections: Vec<Section>,
}

fn statement(lang: tukiverkko_domain::Language, granted: &Granted, path: &str, key: &str, sections: usize) -> Response {
    let page = PageContext::new(lang, granted.principal.as_ref(), path, &format!("{key}-title"));
    let sections = (1..=sections)
        .map(|n| Section { heading: t(lang, &format!("{key}-{n}-h")), text: t(lang, &format!("{key}-{n}-p")) })
        .collect();
    render(StatusCode::OK, &StatementPage { page, intro: t(lang, &format!("{key}-intro")), sections })
}

/// Sections of each statement (the message files hold their text).
pub const ACCESSIBILITY_SECTIONS: usize = 5;
pub const PRIVACY_SECTIONS: usize = 8;

pub async fn accessibility(granted: Granted, Lang(lang): Lang) -> Response {
    statement(lang, &granted, "/accessibility", "a11y", ACCESSIBILITY_SECTIONS)
}

pub async fn privacy(granted: Granted, Lang(lang): Lang) -> Response {
    statement(lang, &granted, "/privacy", "privacy", PRIVACY_SECTIONS)
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::get;
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/accessibility", Public, get(accessibility)),
        route(Method::GET, "/privacy", Public, get(privacy)),
    ]
}
