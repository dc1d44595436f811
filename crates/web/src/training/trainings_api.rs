//! Trainings and webinars over the API: publishing, registration with its
//! waiting list, attendance, certificates and iCalendar invitations.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tukiverkko_domain::reference::TaxonomyKind;
use tukiverkko_domain::text::limits;
use tukiverkko_domain::training::{Session, TrainingFormat, check_schedule};
use tukiverkko_store::trainings::{self, NewTraining, Standing, Training};
use utoipa::ToSchema;

use crate::auth::{Require, cap};
use crate::consultations::{free_text, required_text};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::ops::ClientInfo;
use crate::state::AppState;

#[derive(Deserialize, ToSchema, Clone)]
pub struct SessionInput {
    /// RFC 3339.
    pub starts_at: String,
    pub minutes: i64,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct TrainingInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// A method code of the taxonomy.
    #[serde(default)]
    pub method: Option<String>,
    /// remote, onsite or hybrid.
    pub format: String,
    pub capacity: i64,
    pub sessions: Vec<SessionInput>,
    /// https address of a remote or hybrid training.
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    /// RFC 3339; by default when the first session starts.
    #[serde(default)]
    pub registration_closes: Option<String>,
    /// Sessions a certificate needs; by default all.
    #[serde(default)]
    pub required_sessions: Option<i64>,
    /// Sector codes of the taxonomy.
    #[serde(default)]
    pub target_sectors: Vec<String>,
    /// Directory ids of the trainers.
    #[serde(default)]
    pub trainers: Vec<String>,
}

fn rfc3339(field: &str, s: &str) -> Result<i64, AppError> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| {
            AppError::invalid(field, tukiverkko_domain::ValueError::new("bad_time", "an RFC 3339 time with offset"))
        })
}

/// A training checked alike for the API and the page.
pub fn check_training(input: &TrainingInput) -> Result<NewTraining, AppError> {
    let title = required_text("title", &input.title, limits::SHORT)?;
    let description = free_text("description", &input.description, limits::LONG)?;
    let method = match input.method.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Some(
            tukiverkko_domain::TaxonomyCode::parse(m, TaxonomyKind::Method)
                .map_err(|e| AppError::invalid("method", e))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let format: TrainingFormat = input.format.parse().map_err(|e| AppError::invalid("format", e))?;
    let mut sessions = Vec::with_capacity(input.sessions.len());
    for (i, s) in input.sessions.iter().enumerate() {
        sessions.push(Session {
            starts_at: rfc3339(&format!("sessions.{i}.starts_at"), &s.starts_at)?,
            minutes: s.minutes,
        });
    }
    let closes = input.registration_closes.as_deref().filter(|c| !c.trim().is_empty());
    let closes = closes.map(|c| rfc3339("registration_closes", c)).transpose()?;
    let schedule = check_schedule(&sessions, input.capacity, input.required_sessions, closes, tukiverkko_store::now())
        .map_err(|(field, e)| AppError::invalid(&field, e))?;
    let link = match input.link.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) => Some(tukiverkko_domain::meeting::https_link("link", l).map_err(|e| AppError::invalid("link", e))?),
        None if format != TrainingFormat::Onsite => {
            return Err(AppError::invalid(
                "link",
                tukiverkko_domain::ValueError::new("required", "a remote training needs its link"),
            ));
        }
        None => None,
    };
    let location = input.location.as_deref().map(|l| free_text("location", l, limits::SHORT)).transpose()?;
    let location = location.filter(|l| !l.is_empty());
    if format != TrainingFormat::Remote && location.is_none() {
        return Err(AppError::invalid(
            "location",
            tukiverkko_domain::ValueError::new("required", "an on-site training needs its place"),
        ));
    }
    let target_sectors = input
        .target_sectors
        .iter()
        .enumerate()
        .map(|(i, s)| {
            tukiverkko_domain::TaxonomyCode::parse(s, TaxonomyKind::Sector)
                .map(|c| c.as_str().to_string())
                .map_err(|e| AppError::invalid(&format!("target_sectors[{i}]"), e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NewTraining {
        title,
        description,
        method,
        format: format.as_str().into(),
        link,
        location,
        schedule,
        target_sectors,
        trainers: input.trainers.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
    })
}

pub fn training_json(t: &Training) -> Value {
    let r = &t.row;
    let split = |s: &str| s.split(';').filter(|x| !x.is_empty()).map(String::from).collect::<Vec<_>>();
    json!({
        "id": r.id,
        "title": r.title,
        "description": r.description,
        "method": r.method,
        "format": r.format,
        "link": r.link,
        "location": r.location,
        "capacity": r.capacity,
        "registered": t.registered,
        "waitlisted": t.waitlisted,
        "places_left": (r.capacity - t.registered).max(0),
        "registration_closes": crate::labels::rfc3339(r.registration_closes),
        "required_sessions": r.required_sessions,
        "sessions": t.sessions.iter().map(|(s, m)| json!({"starts_at": crate::labels::rfc3339(*s), "minutes": m})).collect::<Vec<_>>(),
        "target_sectors": split(&r.target_sectors),
        "trainers": split(&r.trainers),
        "centre": r.centre,
        "ics": format!("/api/v1/trainings/{}/ics", r.id),
    })
}

/// Publish a training or webinar series (coordinators).
#[utoipa::path(post, path = "/api/v1/trainings", request_body = TrainingInput, security(("bearer" = [])),
    responses((status = 201, body = Object), (status = 422, description = "invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: ClientInfo,
    ApiJson(body): ApiJson<TrainingInput>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let new = check_training(&body)?;
    let account = granted.account();
    let centre = account.centre.map(|c| c.as_str());
    let t = trainings::create(&state.db, &new, &account.id, centre, &client.actor(account)).await?;
    Ok((StatusCode::CREATED, Json(training_json(&t))))
}

/// Trainings still to come (or under way), soonest first.
#[utoipa::path(get, path = "/api/v1/trainings", security(("bearer" = [])), responses((status = 200, body = Object)))]
pub async fn list(State(state): State<AppState>, _granted: Require<cap::SignedIn>) -> Result<Json<Value>, AppError> {
    let items: Vec<Value> = trainings::list(&state.db, false).await?.iter().map(training_json).collect();
    Ok(Json(json!({"total": items.len(), "items": items})))
}

#[utoipa::path(get, path = "/api/v1/trainings/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 404, description = "no such training")))]
pub async fn get(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(training_json(&trainings::get(&state.db, &id).await?)))
}

pub fn standing_json(s: &Standing) -> Value {
    match s {
        Standing::Registered => json!({"status": "registered"}),
        Standing::Waitlisted { position } => json!({"status": "waitlisted", "position": position}),
    }
}

/// Register yourself: a place while there is one, else the waiting list (a second registration is 409).
#[utoipa::path(post, path = "/api/v1/trainings/{id}/registrations", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 201, body = Object), (status = 409, description = "already registered or closed")))]
pub async fn register(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let account = granted.account();
    let standing = trainings::register(&state.db, &id, &account.id, &client.actor(account)).await?;
    Ok((StatusCode::CREATED, Json(standing_json(&standing))))
}

/// Cancel your place; the first on the waiting list gets it at once.
#[utoipa::path(delete, path = "/api/v1/trainings/{id}/registrations/me", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "cancelled"), (status = 404, description = "not registered")))]
pub async fn cancel(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let account = granted.account();
    trainings::cancel(&state.db, &id, &account.id, &client.actor(account)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who is registered, then the waiting list in order (coordinators).
#[utoipa::path(get, path = "/api/v1/trainings/{id}/registrations", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Object)))]
pub async fn registrations(
    State(state): State<AppState>,
    _granted: Require<cap::ManageTraining>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    trainings::get(&state.db, &id).await?;
    let mut position = 0;
    let items: Vec<Value> = trainings::registrations(&state.db, &id)
        .await?
        .into_iter()
        .map(|r| {
            let mut item = json!({"email": r.email, "name": r.name, "status": r.status});
            if r.status == "waitlisted" {
                position += 1;
                item["position"] = json!(position);
            }
            item
        })
        .collect();
    Ok(Json(json!({"total": items.len(), "items": items})))
}

#[derive(Deserialize, ToSchema)]
pub struct MoveInput {
    /// The e-mail of someone on the waiting list.
    email: String,
    reason: String,
}

/// Give someone on the waiting list a place out of turn, with a reason kept in the audit trail.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/registrations/move", params(("id" = String, Path)), request_body = MoveInput,
    security(("bearer" = [])), responses((status = 204, description = "moved")))]
pub async fn move_up(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MoveInput>,
) -> Result<StatusCode, AppError> {
    let reason = required_text("reason", &body.reason, limits::REASON)?;
    let account = granted.account();
    trainings::promote_out_of_turn(&state.db, &id, body.email.trim(), &reason, &client.actor(account)).await.map_err(
        |e| match e {
            tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("email", v),
            other => other.into(),
        },
    )?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceInput {
    /// The session, counted from 0.
    session: i64,
    /// E-mails of the registered people present.
    present: Vec<String>,
}

/// Record who attended a session; certificates follow once the required sessions are attended.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/attendance", params(("id" = String, Path)), request_body = AttendanceInput,
    security(("bearer" = [])), responses((status = 200, body = Object), (status = 422, description = "someone is not registered")))]
pub async fn attendance(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AttendanceInput>,
) -> Result<Json<Value>, AppError> {
    let account = granted.account();
    let issued = trainings::record_attendance(&state.db, &id, body.session, &body.present, &client.actor(account))
        .await
        .map_err(|e| match e {
            tukiverkko_store::StoreError::Invalid(v) if v.code == "not_registered" => AppError::invalid("present", v),
            tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("session", v),
            other => other.into(),
        })?;
    Ok(Json(json!({"session": body.session, "present": body.present.len(), "certificates_issued": issued})))
}

/// The caller's certificates.
#[utoipa::path(get, path = "/api/v1/me/certificates", security(("bearer" = [])), responses((status = 200, body = Object)))]
pub async fn my_certificates(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
) -> Result<Json<Value>, AppError> {
    let items: Vec<Value> = trainings::certificates_of(&state.db, &granted.account().id)
        .await?
        .into_iter()
        .map(|c| {
            json!({"code": c.code, "training": c.training, "training_id": c.training_id, "issued_on": c.issued_on,
                        "url": format!("/certificates/{}", c.code), "pdf": format!("/certificates/{}/pdf", c.code)})
        })
        .collect();
    Ok(Json(json!({"total": items.len(), "items": items})))
}

/// The training as one VCALENDAR with a VEVENT per session (RFC 5545).
#[utoipa::path(get, path = "/api/v1/trainings/{id}/ics", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "text/calendar", description = "RFC 5545 calendar")))]
pub async fn ics(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let t = trainings::get(&state.db, &id).await?;
    let mut calendar = icalendar::Calendar::new();
    calendar.name(&t.row.title);
    for (position, (starts, minutes)) in t.sessions.iter().enumerate() {
        calendar.push(super::session_event(&t.row, position as i64, *starts, *minutes));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"training.ics\"".to_string()),
        ],
        calendar.done().to_string(),
    )
        .into_response())
}
