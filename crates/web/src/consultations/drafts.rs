//! A requester edits their draft in the same form as a new request, by the
//! same parser, warnings and state machine, before sending it from the
//! draft's check-your-answers page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::consultation::Status;
use tukiverkko_store::consultations::{self, CaseRow};
use tukiverkko_store::experts::split;

use super::actor;
use super::request_form::{RequestForm, checked_request, new_page};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::Lang;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::render;

/// The stored draft as the form's fields.
fn fields_of(case: &CaseRow) -> FormFields {
    let mut map = std::collections::HashMap::new();
    for (k, v) in [
        ("urgency", case.urgency.clone()),
        ("format", case.format.clone()),
        ("legal_basis", case.legal_basis.clone()),
        ("county", case.client_county.clone()),
        ("version", case.version.to_string()),
    ] {
        map.insert(k.to_string(), vec![v]);
    }
    map.insert("topics".into(), split(&case.topics));
    map.insert("services".into(), split(&case.client_services));
    FormFields(map)
}

pub async fn form(
    State(state): State<AppState>,
    granted: Require<cap::RequestConsultation>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let case = consultations::read(&state.db, &id, &actor).await?.case;
    if case.status() != Status::Draft || case.requester_id != actor.account.id {
        return Ok(Redirect::to(&format!("/consultations/{id}")).into_response());
    }
    let form = RequestForm {
        question: case.question.clone(),
        background: case.background.clone(),
        tried: case.tried.clone(),
        age: case.client_age.to_string(),
        county: case.client_county.clone(),
        ..RequestForm::default()
    };
    let mut view = new_page(lang, &granted, form, Some(&fields_of(&case)), None);
    view.action = format!("/consultations/{id}/edit");
    Ok(render(StatusCode::OK, &view))
}

pub async fn save(
    State(state): State<AppState>,
    granted: Require<cap::RequestConsultation>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let new = match checked_request(lang, &granted, &fields, &format!("/consultations/{id}/edit")) {
        Ok(new) => new,
        Err(page) => return Ok(*page),
    };
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(fields.one("version").parse().ok());
    consultations::edit_draft(&state.db, &id, &actor, &new).await?;
    Ok(Redirect::to(&format!("/consultations/{id}?done=edit")).into_response())
}
