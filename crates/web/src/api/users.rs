//! Accounts over the API: the caller's own password, and administrators'
//! list and disable.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tukiverkko_store::StoreError;
use tukiverkko_store::accounts::{self, Account};
use utoipa::ToSchema;

use tukiverkko_domain::Role;

use crate::auth::{Require, Via, cap};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::ops::ClientInfo;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Change the caller's password; the caller's other sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", request_body = PasswordChange, security(("bearer" = [])),
    responses((status = 204, description = "changed"), (status = 422, description = "wrong current password or too weak")))]
pub async fn change_password(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let account = granted.account();
    let keep = match &granted.principal.via {
        Via::Session { cookie, .. } => Some(cookie.as_str()),
        Via::Token => None,
    };
    accounts::change_password(
        &state.db,
        account,
        &body.current_password,
        &body.new_password,
        keep,
        &client.actor(account),
    )
    .await
    .map_err(|e| match e {
        StoreError::Invalid(v) if v.code == "wrong_password" => AppError::invalid("current_password", v),
        StoreError::Invalid(v) => AppError::invalid("new_password", v),
        other => other.into(),
    })?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct UserSummary {
    id: String,
    email: String,
    name: String,
    roles: Vec<String>,
    centre: Option<String>,
    disabled: bool,
}

impl From<Account> for UserSummary {
    fn from(a: Account) -> Self {
        Self {
            roles: a.roles.iter().map(|r| r.as_str().to_string()).collect(),
            centre: a.centre.map(|c| c.as_str().to_string()),
            id: a.id,
            email: a.email,
            name: a.name,
            disabled: a.disabled,
        }
    }
}

/// All user accounts (administrators).
#[utoipa::path(get, path = "/api/v1/users", security(("bearer" = [])), responses((status = 200, body = [UserSummary])))]
pub async fn list(
    State(state): State<AppState>,
    granted: Require<cap::ManageUsers>,
) -> Result<Json<Vec<UserSummary>>, AppError> {
    let admin = accounts::AdminProof::check(granted.account())?;
    Ok(Json(accounts::list(&state.db, admin).await?.into_iter().map(UserSummary::from).collect()))
}

/// Disable an account; its sessions end at once and its tokens stop working.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "disabled"), (status = 404, description = "no such user"),
        (status = 409, description = "an administrator cannot disable their own account")))]
pub async fn disable(
    State(state): State<AppState>,
    granted: Require<cap::ManageUsers>,
    client: ClientInfo,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let admin = accounts::AdminProof::check(granted.account())?;
    accounts::disable(&state.db, admin, &id, &client.actor(admin.account()).acting_as(Role::Admin)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TotpSetup {
    /// Base32 secret, for typing into an authenticator app.
    secret: String,
    /// otpauth:// URL, for a QR code.
    otpauth_url: String,
}

/// Start turning on a second factor (TOTP) for the caller.
#[utoipa::path(post, path = "/api/v1/me/totp", security(("bearer" = [])), responses((status = 200, body = TotpSetup)))]
pub async fn begin_totp(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
) -> Result<Json<TotpSetup>, AppError> {
    let (secret, otpauth_url) = accounts::begin_totp(&state.db, granted.account()).await?;
    Ok(Json(TotpSetup { secret, otpauth_url }))
}

#[derive(Deserialize, ToSchema)]
pub struct TotpConfirm {
    code: String,
}

/// Turn the second factor on with the first code from the app.
#[utoipa::path(post, path = "/api/v1/me/totp/confirm", request_body = TotpConfirm, security(("bearer" = [])),
    responses((status = 204, description = "on"), (status = 422, description = "wrong code")))]
pub async fn confirm_totp(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    ApiJson(body): ApiJson<TotpConfirm>,
) -> Result<StatusCode, AppError> {
    accounts::confirm_totp(&state.db, granted.account(), &body.code, &client.actor(granted.account())).await.map_err(
        |e| match e {
            StoreError::Invalid(v) => AppError::invalid("code", v),
            other => other.into(),
        },
    )?;
    Ok(StatusCode::NO_CONTENT)
}
