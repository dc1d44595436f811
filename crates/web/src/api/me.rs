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
