//! Partner organisations (universities, research units) over the API and
//! from the research-needs page: reviewers add them, a proposal picks one.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tukiverkko_domain::text::limits;
use tukiverkko_store::research_partners::{self, PartnerRow};
use utoipa::ToSchema;

use crate::auth::{Require, cap};
use crate::consultations::{actor, free_text, required_text};
use crate::error::AppError;
use crate::extract::{ApiJson, FormFields};
use crate::i18n::{Lang, error_message};
use crate::ops::ClientInfo;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct PartnerInput {
    pub name: String,
    /// `university` or `research_unit`.
    pub kind: String,
    /// Who to contact there, by default.
    #[serde(default)]
    pub contact: String,
}

#[derive(Serialize, ToSchema)]
pub struct PartnerView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub contact: String,
}

impl PartnerView {
    fn of(r: PartnerRow) -> Self {
        Self { id: r.id, name: r.name, kind: r.kind, contact: r.contact }
    }
}

async fn add(
    state: &AppState,
    granted: &Require<cap::ReviewResearchNeeds>,
    client: &ClientInfo,
    headers: &HeaderMap,
    input: &PartnerInput,
) -> Result<PartnerRow, AppError> {
    let name = required_text("name", &input.name, limits::SHORT)?;
    if name.contains('\n') {
        return Err(AppError::invalid(
            "name",
            tukiverkko_domain::ValueError::new("invalid_value", "a name is one line"),
        ));
    }
    let contact = free_text("contact", &input.contact, limits::SHORT)?;
    let actor = actor(state, granted, client, headers).await?;
    // The store checks the kind; its refusal is the only invalid value it returns here.
    research_partners::add(&state.db, &actor, &name, input.kind.trim(), &contact).await.map_err(|e| match e {
        tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("kind", v),
        other => other.into(),
    })
}

/// The partner organisations needs can be proposed to.
#[utoipa::path(get, path = "/api/v1/research-partners", security(("bearer" = [])),
    responses((status = 200, body = Object)))]
pub async fn list(State(state): State<AppState>, _granted: Require<cap::SignedIn>) -> Result<Response, AppError> {
    let items: Vec<PartnerView> = research_partners::list(&state.db).await?.into_iter().map(PartnerView::of).collect();
    Ok(Json(serde_json::json!({"total": items.len(), "items": items})).into_response())
}

/// Add a partner organisation (coordinators and researchers); a second of the same name is 409.
#[utoipa::path(post, path = "/api/v1/research-partners", request_body = PartnerInput, security(("bearer" = [])),
    responses((status = 201, body = PartnerView), (status = 409, description = "already a partner"), (status = 422, description = "invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PartnerInput>,
) -> Result<(StatusCode, Json<PartnerView>), AppError> {
    let row = add(&state, &granted, &client, &headers, &body).await?;
    Ok((StatusCode::CREATED, Json(PartnerView::of(row))))
}

pub async fn create_from_page(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, AppError> {
    let input = PartnerInput { name: f.one("name"), kind: f.one("kind"), contact: f.one("contact") };
    match add(&state, &granted, &client, &headers, &input).await {
        Ok(_) => Ok(Redirect::to("/research-needs?done=partner#partners-h").into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let signed_in = granted.signed_in();
            super::pages::list_with_error(&state, &signed_in, lang, error_message(lang, &e), e.status()).await
        }
        Err(e) => Err(e),
    }
}
