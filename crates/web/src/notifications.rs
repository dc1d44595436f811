//! In-app notifications over the API: kind and link only, no case content.
//! Features create them through `tukiverkko_store::notifications::notify`.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use tukiverkko_store::notifications;
use utoipa::ToSchema;

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    id: String,
    kind: String,
    link: String,
    created_at: i64,
}

/// Unread notifications: links only, no case content.
#[utoipa::path(get, path = "/api/v1/notifications", security(("bearer" = [])), responses((status = 200, body = [NotificationView])))]
pub async fn unread(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
) -> Result<Json<Vec<NotificationView>>, AppError> {
    let rows = notifications::unread(&state.db, &granted.account().id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|n| NotificationView { id: n.id, kind: n.kind, link: n.link, created_at: n.created_at })
            .collect(),
    ))
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::get;
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![route(Method::GET, "/api/v1/notifications", SignedIn, get(unread))]
}
