//! iCalendar (RFC 5545) invitations for network meetings. The summary names
//! only the case reference, never its content.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use tukiverkko_store::consultations;

use super::actor;
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::ops::ClientInfo;
use crate::state::AppState;

/// A stored moment as a calendar time; beyond year 9999 iCalendar has no form for it.
pub(crate) fn utc(unix: i64) -> DateTime<Utc> {
    const LAST: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    DateTime::from_timestamp(unix.clamp(0, LAST), 0).unwrap_or_default()
}

fn event(reference: &str, meeting: &tukiverkko_store::consultations::MeetingRow) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{}@tukiverkko", meeting.id))
        .timestamp(utc(meeting.created_at))
        .summary(&format!("tukiverkko {reference}: verkostopalaveri / nätverksmöte / network meeting"))
        .starts(utc(meeting.starts_at))
        .ends(utc(meeting.starts_at.saturating_add(meeting.minutes.saturating_mul(60))));
    // Links are checked when stored; one stored before that rule is left out
    // rather than let it write lines of its own into every invitation.
    if let Ok(link) = tukiverkko_domain::meeting::https_link("link", &meeting.link) {
        event.location(&link).url(&link);
    }
    event.done()
}

/// The invitation for one meeting, as `text/calendar`.
#[utoipa::path(get, path = "/api/v1/consultations/{id}/meetings/{file}", params(("id" = String, Path), ("file" = String, Path, description = "MEETING_ID.ics")),
    security(("bearer" = [])), responses((status = 200, content_type = "text/calendar", description = "RFC 5545 invitation")))]
pub async fn meeting_ics(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let meeting_id = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    let (case, meeting) = consultations::meeting(&state.db, &id, meeting_id, &actor).await?;
    let calendar = Calendar::new().name("tukiverkko").push(event(&case.reference, &meeting)).done();
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.ics\"", case.reference)),
        ],
        calendar.to_string(),
    )
        .into_response())
}

/// The caller's calendar: every meeting of every case they take part in,
/// and every session of the trainings they are registered for.
#[utoipa::path(get, path = "/api/v1/calendar.ics", security(("bearer" = [])),
    responses((status = 200, content_type = "text/calendar", description = "RFC 5545 calendar of the caller's meetings")))]
pub async fn feed(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let mut calendar = Calendar::new();
    calendar.name("tukiverkko");
    for (reference, meeting) in consultations::meetings_for(&state.db, &actor).await? {
        calendar.push(event(&reference, &meeting));
    }
    // The sessions of the trainings the caller holds a place in.
    for (training_id, _, position, _, _) in
        tukiverkko_store::trainings::sessions_for(&state.db, &actor.account.id).await?
    {
        let training = tukiverkko_store::trainings::get(&state.db, &training_id).await?;
        if let Some((starts, minutes)) = training.sessions.get(position as usize) {
            calendar.push(crate::training::session_event(&training.row, position, *starts, *minutes));
        }
    }
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], calendar.done().to_string()).into_response())
}
