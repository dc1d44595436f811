//! In-app notifications: kind and link only, no case content; over the API
//! and on a page whose count of unread ones the header shows. Features
//! create them through `tukiverkko_store::notifications::notify`.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use tukiverkko_store::notifications;
use utoipa::ToSchema;

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::labels;
use crate::state::AppState;
use crate::templates::{PageContext, render};

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

pub struct Line {
    pub id: String,
    pub text: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    page: PageContext,
    lines: Vec<Line>,
    notice: Option<String>,
}

/// The unread notifications, each opened (and so read) by its button.
pub async fn page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let rows = notifications::unread(&state.db, &granted.account().id).await?;
    let lines = rows
        .into_iter()
        .map(|n| Line {
            text: t(lang, &format!("notification-{}", n.kind)),
            when: labels::moment(lang, n.created_at),
            id: n.id,
        })
        .collect();
    let notice = crate::templates::done_notice(lang, &uri, "notifications-done", &DONE);
    let page = PageContext::new(lang, Some(&granted.principal), "/notifications", "notifications-heading");
    Ok(render(StatusCode::OK, &NotificationsPage { page, lines, notice }))
}

/// Notices after a change made on the notifications page.
pub const DONE: [&str; 1] = ["read"];

/// Where a notification points: a case id or a local path.
fn target(link: &str) -> String {
    if link.starts_with('/') && !link.starts_with("//") { link.to_string() } else { format!("/consultations/{link}") }
}

/// Marks the notification read and goes where it points.
pub async fn open(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let link = notifications::open(&state.db, &granted.account().id, &id).await?;
    Ok(Redirect::to(&target(&link)).into_response())
}

pub async fn mark_all_read(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
) -> Result<Response, AppError> {
    notifications::mark_all_read(&state.db, &granted.account().id).await?;
    Ok(Redirect::to("/notifications?done=read").into_response())
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/api/v1/notifications", SignedIn, get(unread)),
        route(Method::GET, "/notifications", SignedIn, get(page)),
        route(Method::POST, "/notifications/read", SignedIn, post(mark_all_read)),
        route(Method::POST, "/notifications/{id}/open", SignedIn, post(open)),
    ]
}
