//! Public verification of a certificate by its code: anyone holding the
//! code (an employer, a registry) sees who completed which training and
//! when, as a page and as a PDF. An unknown code is a 404.
//!
//! The PDF is the holder's document, so it is printed in the holder's
//! language whatever the reader's; the page follows the reader.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
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

/// Where the verification page is for someone holding the paper: the
/// configured public address, else the address this request came to.
fn verify_url(state: &AppState, headers: &HeaderMap, code: &str) -> String {
    let base = match state.config.public_url.as_deref() {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    format!("{base}/certificates/{code}")
}

pub async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let c = trainings::certificate(&state.db, code.trim()).await?;
    let lang = c.language.parse().unwrap_or_default();
    let text = super::certificate_pdf::CertificateText {
        lang,
        method: c.method.as_deref().map(|m| labels::taxonomy(lang, m)),
        issued_on: labels::date(lang, &c.issued_on),
        verify_url: verify_url(&state, &headers, &c.code),
        holder: c.holder,
        training: c.training,
        code: c.code.clone(),
    };
    // Subsetting the fonts is CPU work: keep it off the async workers.
    let bytes = crate::blocking::cpu(move || super::certificate_pdf::render(&text)).await;
    let disposition = format!("inline; filename=\"certificate-{}.pdf\"", c.code);
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
