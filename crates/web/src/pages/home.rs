use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use tukiverkko_domain::{Language, reference};

use crate::auth::Granted;
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::state::AppState;
use crate::templates::{PageContext, render};

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    page: PageContext,
    roles: String,
    experts: String,
    centres: Vec<String>,
}

pub async fn index(State(state): State<AppState>, granted: Granted, Lang(lang): Lang) -> Result<Response, AppError> {
    let principal = granted.principal.as_ref();
    let roles = principal
        .map(|p| {
            p.account.roles.iter().map(|r| t(lang, &format!("role-{}", r.as_str()))).collect::<Vec<_>>().join(", ")
        })
        .unwrap_or_default();
    let experts = tukiverkko_store::experts::count(&state.db).await?;
    let centres = reference::centres()
        .iter()
        .map(|c| match lang {
            Language::Fi => c.name_fi.clone(),
            Language::Sv => c.name_sv.clone(),
            Language::En => c.name_en.clone(),
        })
        .collect();
    let page = PageContext::new(lang, principal, "/", "nav-home");
    Ok(render(StatusCode::OK, &IndexPage { page, roles, experts: experts.to_string(), centres }))
}
