//! The moves of a case over the API. Wrong state answers 409 with the
//! reason; a case the caller has no part in answers 404.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use tukiverkko_domain::CentreCode;
use tukiverkko_store::consultations;
use utoipa::ToSchema;

use super::api::MAX_TEXT;
use super::dto::{ConsultationView, MeetingView, TeamRef};
use super::{actor, new_feedback, new_meeting, new_statement, required_text};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::{ApiJson, OptionalJson};
use crate::ops::ClientInfo;
use crate::state::AppState;

type CaseResult = Result<Json<ConsultationView>, AppError>;

/// An optional body of a move that needs nothing else.
#[derive(Deserialize, ToSchema, Default)]
pub struct Versioned {
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

/// Submit a draft to the centre; the due date is set by urgency in working days.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/submit", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConsultationView), (status = 409, description = "not a draft")))]
pub async fn submit(
    State(state): State<AppState>,
    granted: Require<cap::RequestConsultation>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<Versioned>,
) -> CaseResult {
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    let case = consultations::submit(&state.db, &id, &actor, &state.config.service_levels).await?;
    Ok(Json(ConsultationView::from_case(case)))
}

#[derive(Deserialize, ToSchema)]
pub struct Reroute {
    /// helsinki, turku, tampere, kuopio or oulu.
    centre: String,
    reason: String,
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

/// Route a submitted case to another centre (its national specialty); the reason is kept.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/reroute", params(("id" = String, Path)), request_body = Reroute,
    security(("bearer" = [])), responses((status = 200, body = ConsultationView)))]
pub async fn reroute(
    State(state): State<AppState>,
    granted: Require<cap::TriageConsultations>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Reroute>,
) -> CaseResult {
    let centre: CentreCode = body.centre.parse().map_err(|e| AppError::invalid("centre", e))?;
    let reason = required_text("reason", &body.reason, 2000)?;
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    Ok(Json(ConsultationView::from_case(consultations::reroute(&state.db, &id, &actor, centre, &reason).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct Assignment {
    /// Expert directory ids.
    #[serde(default)]
    experts: Vec<String>,
    /// The lead, one of the panel; without one, the first team's lead leads.
    #[serde(default)]
    lead: Option<String>,
    /// Team ids: their members join the panel and the teams are named on the case.
    #[serde(default)]
    teams: Vec<String>,
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

/// Assign one expert, a multidisciplinary panel with a lead, or teams.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/assignment", params(("id" = String, Path)), request_body = Assignment,
    security(("bearer" = [])), responses((status = 200, body = ConsultationView)))]
pub async fn assignment(
    State(state): State<AppState>,
    granted: Require<cap::TriageConsultations>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Assignment>,
) -> CaseResult {
    let required = |field: &str, detail: &str| AppError::Invalid {
        code: "required".into(),
        detail: detail.into(),
        field: Some(field.into()),
    };
    if body.experts.is_empty() && body.teams.is_empty() {
        return Err(required("experts", "assign at least one expert or team"));
    }
    let lead = body.lead.as_deref().map(str::trim).filter(|l| !l.is_empty());
    if lead.is_none() && body.teams.is_empty() {
        return Err(required("lead", "name the lead of the panel"));
    }
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    let (case, teams) = consultations::assign_panel(&state.db, &id, &actor, &body.experts, lead, &body.teams)
        .await
        .map_err(|e| match e {
            tukiverkko_store::StoreError::Invalid(v) if v.code == "lead_not_in_panel" || v.code == "required" => {
                AppError::invalid("lead", v)
            }
            tukiverkko_store::StoreError::Invalid(v) if v.code == "unknown_team" => AppError::invalid("teams", v),
            tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("experts", v),
            other => other.into(),
        })?;
    let mut view = ConsultationView::from_case(case);
    view.teams = teams.into_iter().map(|(id, name)| TeamRef { id, name: name.filled() }).collect();
    Ok(Json(view))
}

/// Mark the case for Barnahus co-operation: from now on the panel's police and
/// prosecution members see it. The decision is in the audit trail; a second mark is a 409.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/barnahus", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConsultationView), (status = 409, description = "already marked, or a closed case")))]
pub async fn barnahus(
    State(state): State<AppState>,
    granted: Require<cap::TriageConsultations>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<Versioned>,
) -> CaseResult {
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    Ok(Json(ConsultationView::from_case(consultations::mark_barnahus(&state.db, &id, &actor).await?)))
}

/// An assigned expert accepts.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/accept", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConsultationView)))]
pub async fn accept(
    State(state): State<AppState>,
    granted: Require<cap::AnswerConsultations>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<Versioned>,
) -> CaseResult {
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    Ok(Json(ConsultationView::from_case(consultations::accept(&state.db, &id, &actor).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct Reason {
    reason: String,
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

/// An assigned expert declines their part (the case returns to the queue when the lead declines);
/// a coordinator declines a submitted request as a whole.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/decline", params(("id" = String, Path)), request_body = Reason,
    security(("bearer" = [])), responses((status = 200, body = ConsultationView)))]
pub async fn decline(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Reason>,
) -> CaseResult {
    let reason = required_text("reason", &body.reason, 2000)?;
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    Ok(Json(ConsultationView::from_case(consultations::decline(&state.db, &id, &actor, &reason).await?)))
}

/// Cancel with a reason (the requester, or a coordinator of the holding centre).
#[utoipa::path(post, path = "/api/v1/consultations/{id}/cancel", params(("id" = String, Path)), request_body = Reason,
    security(("bearer" = [])), responses((status = 200, body = ConsultationView)))]
pub async fn cancel(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Reason>,
) -> CaseResult {
    let reason = required_text("reason", &body.reason, 2000)?;
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    Ok(Json(ConsultationView::from_case(consultations::cancel(&state.db, &id, &actor, &reason).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct Statement {
    assessment: String,
    recommendations: String,
    #[serde(default)]
    suggested_methods: Vec<String>,
    #[serde(default)]
    follow_up: String,
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

/// The lead's written statement; counts as accepting, notifies the requester.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/statement", params(("id" = String, Path)), request_body = Statement,
    security(("bearer" = [])), responses((status = 200, body = ConsultationView)))]
pub async fn statement(
    State(state): State<AppState>,
    granted: Require<cap::AnswerConsultations>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Statement>,
) -> CaseResult {
    let s = new_statement(&body.assessment, &body.recommendations, &body.suggested_methods, &body.follow_up)?;
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    Ok(Json(ConsultationView::from_case(consultations::statement(&state.db, &id, &actor, &s).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct Feedback {
    /// 1–5.
    usefulness: i64,
    /// Required unless `referral` says it.
    #[serde(default)]
    referral_avoided: Option<bool>,
    would_ask_again: Option<bool>,
    #[serde(default)]
    comment: String,
    /// What the answer did: confirmed_plan, new_advice or not_useful.
    #[serde(default)]
    outcome: Option<String>,
    /// Effect on referral: avoided, still_needed, not_needed or initiated.
    #[serde(default)]
    referral: Option<String>,
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

/// The requester closes the case with feedback.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/feedback", params(("id" = String, Path)), request_body = Feedback,
    security(("bearer" = [])), responses((status = 200, body = ConsultationView)))]
pub async fn feedback(
    State(state): State<AppState>,
    granted: Require<cap::RequestConsultation>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Feedback>,
) -> CaseResult {
    let f = new_feedback(super::FeedbackInput {
        usefulness: Some(body.usefulness),
        referral_avoided: body.referral_avoided,
        would_ask_again: body.would_ask_again,
        comment: &body.comment,
        outcome: body.outcome.as_deref(),
        referral: body.referral.as_deref(),
    })?;
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    Ok(Json(ConsultationView::from_case(consultations::feedback(&state.db, &id, &actor, &f).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct Message {
    body: String,
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// A message to the case thread.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/messages", params(("id" = String, Path)), request_body = Message,
    security(("bearer" = [])), responses((status = 201, body = Created)))]
pub async fn message(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Message>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let text = required_text("body", &body.body, MAX_TEXT)?;
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    let id = consultations::message(&state.db, &id, &actor, &text).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
pub struct Meeting {
    /// RFC 3339 start time, e.g. 2026-12-03T10:00:00+02:00.
    starts_at: String,
    /// Length in minutes, 5–480.
    minutes: i64,
    /// The remote meeting link (https).
    link: String,
    /// Account ids of the people on the case to invite (the requester and
    /// the panel members with accounts; the case JSON lists them). Left
    /// out, everyone on the case is invited; someone not on the case is a 422.
    #[serde(default)]
    #[schema(max_items = 50)]
    invitees: Option<Vec<String>>,
    /// The case version you read; when the case has changed since, the move is a 409.
    #[serde(default)]
    version: Option<i64>,
}

/// Schedule a remote network meeting; participants get an iCalendar invitation.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/meetings", params(("id" = String, Path)), request_body = Meeting,
    security(("bearer" = [])), responses((status = 201, body = MeetingView)))]
pub async fn meeting(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Meeting>,
) -> Result<(StatusCode, Json<MeetingView>), AppError> {
    let starts =
        time::OffsetDateTime::parse(&body.starts_at, &time::format_description::well_known::Rfc3339).map_err(|_| {
            AppError::Invalid {
                code: "bad_time".into(),
                detail: "starts_at must be an RFC 3339 time with offset".into(),
                field: Some("starts_at".into()),
            }
        })?;
    let mut m = new_meeting(starts.unix_timestamp(), Some(body.minutes), &body.link)?;
    if let Some(invitees) = body.invitees {
        if invitees.len() > 50 {
            return Err(AppError::invalid("invitees", tukiverkko_domain::ValueError::new("too_many", "at most 50")));
        }
        m.invitees = Some(invitees);
    }
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(body.version);
    let row = consultations::schedule_meeting(&state.db, &id, &actor, &m).await.map_err(|e| match e {
        tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("invitees", v),
        other => other.into(),
    })?;
    Ok((
        StatusCode::CREATED,
        Json(MeetingView {
            ics: format!("/api/v1/consultations/{id}/meetings/{}.ics", row.id),
            id: row.id,
            starts_at: row.starts_at,
            minutes: row.minutes,
            link: row.link,
        }),
    ))
}
