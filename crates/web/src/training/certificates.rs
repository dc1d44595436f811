//! Public verification of a certificate by its code: anyone holding the
//! code (an employer, a registry) sees who completed which training and
//! when, as a page and as a PDF. An unknown code is a 404.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tukiverkko_store::trainings;

use crate::auth::Granted;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::labels;
use crate::state::AppState;
use crate::templates::{PageContext, render};

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage {
    page: PageContext,
    code: String,
    holder: String,
    training: String,
    method: String,
    issued_on: String,
}

pub async fn page(
    State(state): State<AppState>,
    granted: Granted,
    Lang(lang): Lang,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let c = trainings::certificate(&state.db, code.trim()).await?;
    let page = PageContext::new(lang, granted.principal.as_ref(), "/certificates", "certificate-heading");
    Ok(render(
        StatusCode::OK,
        &CertificatePage {
            page,
            method: c.method.as_deref().map(|m| labels::taxonomy(lang, m)).unwrap_or_default(),
            issued_on: labels::date(lang, &c.issued_on),
            code: c.code,
            holder: c.holder,
            training: c.training,
        },
    ))
}
