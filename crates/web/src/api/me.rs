use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Require, cap};
use crate::error::AppError;

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    id: String,
    email: String,
    name: String,
    roles: Vec<String>,
    centre: Option<String>,
    language: String,
}

/// The signed-in caller's own account.
#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401, description = "not signed in")))]
pub async fn me(granted: Require<cap::SignedIn>) -> Result<Json<MeResponse>, AppError> {
    let a = granted.account();
    Ok(Json(MeResponse {
        id: a.id.clone(),
        email: a.email.clone(),
        name: a.name.clone(),
        roles: a.roles.iter().map(|r| r.as_str().to_string()).collect(),
        centre: a.centre.map(|c| c.as_str().to_string()),
        language: a.language.as_str().to_string(),
    }))
}

/// Everything the service holds about the caller as a person, for a
/// data-subject access request (GDPR art. 15): the account, their
/// directory profile, every consultation they asked (each one read through
/// the case's access rule, so each read is audited like any other) and
/// their training certificates. Other people's data in those cases is
/// what the caller could read anyway.
#[utoipa::path(get, path = "/api/v1/me/export", security(("bearer" = [])),
    responses((status = 200, description = "the caller's own data as one JSON document", body = Object)))]
pub async fn export(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    granted: Require<cap::SignedIn>,
    client: crate::ops::ClientInfo,
    headers: axum::http::HeaderMap,
) -> Result<Json<serde_json::Value>, AppError> {
    use tukiverkko_store::{consultations, experts, trainings};
    let a = granted.account();
    let profile = match experts::id_for_user(&state.db, &a.id).await? {
        Some(id) => Some(experts::find(&state.db, &id).await?),
        None => None,
    };
    let actor = crate::consultations::actor(&state, &granted, &client, &headers).await?;
    let mut cases = Vec::new();
    for id in consultations::requested_by(&state.db, &a.id).await? {
        let detail = consultations::read(&state.db, &id, &actor).await?;
        cases.push(crate::consultations::dto::ConsultationView::from_detail(detail));
    }
    let certificates: Vec<serde_json::Value> = trainings::certificates_of(&state.db, &a.id)
        .await?
        .into_iter()
        .map(|c| serde_json::json!({"code": c.code, "training": c.training, "issued_on": c.issued_on}))
        .collect();
    Ok(Json(serde_json::json!({
        "account": {
            "id": a.id, "email": a.email, "name": a.name,
            "roles": a.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            "centre": a.centre.map(|c| c.as_str()), "language": a.language.as_str(),
        },
        "profile": profile,
        "consultations": cases,
        "certificates": certificates,
    })))
}
