//! The consultation service over HTTP: requests, triage, panel, meetings,
//! statement and feedback. Access rules and the audit live in the store;
//! this layer parses input into domain types and guards free text.

pub mod actions;
pub mod api;
pub mod barnahus;
mod drafts;
pub mod dto;
pub mod ics;
pub mod moves;
pub mod outcome_view;
pub mod outcomes;
pub mod pages;
pub mod request_form;
pub mod routing;
mod through_service;
mod warnings;

use tukiverkko_domain::meeting;
use tukiverkko_domain::text::{self, Lines};
use tukiverkko_store::consultations::{Actor, BreakGlass};
use tukiverkko_store::experts;

use crate::auth::{Cap, Require};
use crate::error::AppError;
use crate::ops::ClientInfo;
use crate::state::AppState;

pub const ACCESS_REASON_HEADER: &str = "x-access-reason";

/// The caller as a case actor: account, own expert profile, break-glass
/// reason (admins) and origin for the audit trail.
pub async fn actor<C: Cap>(
    state: &AppState,
    granted: &Require<C>,
    client: &ClientInfo,
    headers: &axum::http::HeaderMap,
) -> Result<Actor, AppError> {
    let account = granted.account().clone();
    let expert_id = experts::id_for_user(&state.db, &account.id).await?;
    // Reasons are written in Finnish or Swedish: read the header as UTF-8,
    // not just ASCII; bytes that are not UTF-8 are refused, not ignored, so
    // a reason is never silently dropped.
    let access_reason = match headers.get(ACCESS_REASON_HEADER).map(|v| std::str::from_utf8(v.as_bytes())) {
        None => None,
        Some(Ok(reason)) => Some(reason.trim()).filter(|r| !r.is_empty()).map(String::from),
        Some(Err(_)) => {
            return Err(AppError::Invalid {
                code: "not_utf8".into(),
                detail: "X-Access-Reason is not readable text: send it as UTF-8".into(),
                field: Some("X-Access-Reason".into()),
            });
        }
    };
    if let Some(reason) = &access_reason {
        text::check("X-Access-Reason", reason, text::limits::REASON, Lines::One)
            .map_err(|e| AppError::invalid("X-Access-Reason", e))?;
    }
    let break_glass = access_reason.and_then(|reason| BreakGlass::new(&account, &reason));
    Ok(Actor { by: client.actor(&account), account, expert_id, break_glass, expected_version: None })
}

/// Free text must hold no identity code or control character and stay
/// within its length: the domain's one rule for every text field.
pub fn free_text(field: &str, text: &str, max_chars: usize) -> Result<String, AppError> {
    text::check(field, text, max_chars, Lines::Many).map_err(|e| AppError::invalid(field, e))
}

pub fn required_text(field: &str, text: &str, max_chars: usize) -> Result<String, AppError> {
    text::required(field, text, max_chars, Lines::Many).map_err(|e| AppError::invalid(field, e))
}

/// A meeting's time, length and link, checked alike for the API and the
/// case page by the domain's rule.
pub fn new_meeting(
    starts_at: i64,
    minutes: Option<i64>,
    link: &str,
) -> Result<tukiverkko_store::consultations::NewMeeting, AppError> {
    let m = meeting::check(starts_at, minutes, link, tukiverkko_store::now())
        .map_err(|(field, e)| AppError::invalid(field, e))?;
    Ok(tukiverkko_store::consultations::NewMeeting {
        starts_at: m.starts_at,
        minutes: m.minutes,
        link: m.link,
        invitees: None,
    })
}

/// The requester's close-out, checked alike for the API and the case page:
/// usefulness 1–5 and whether a referral was avoided (asked directly, or
/// read from the referral effect) are required; the two eConsult questions
/// (what the answer did, its effect on referral) are optional.
pub struct FeedbackInput<'a> {
    pub usefulness: Option<i64>,
    pub referral_avoided: Option<bool>,
    pub would_ask_again: Option<bool>,
    pub comment: &'a str,
    pub outcome: Option<&'a str>,
    pub referral: Option<&'a str>,
}

pub fn new_feedback(input: FeedbackInput<'_>) -> Result<tukiverkko_store::consultations::NewFeedback, AppError> {
    use tukiverkko_domain::consultation::{self, AnswerEffect, ReferralEffect};
    let required = |field: &str| AppError::Invalid {
        code: "required".into(),
        detail: format!("{field} is required"),
        field: Some(field.into()),
    };
    let usefulness = consultation::usefulness(input.usefulness.ok_or_else(|| required("usefulness"))?)
        .map_err(|e| AppError::invalid("usefulness", e))?;
    let outcome =
        input.outcome.map(|o| o.parse::<AnswerEffect>().map_err(|e| AppError::invalid("outcome", e))).transpose()?;
    let referral = input
        .referral
        .map(|r| r.parse::<ReferralEffect>().map_err(|e| AppError::invalid("referral", e)))
        .transpose()?;
    let referral_avoided = consultation::referral_avoided(input.referral_avoided, referral)
        .map_err(|(field, e)| AppError::invalid(field, e))?;
    Ok(tukiverkko_store::consultations::NewFeedback {
        usefulness,
        referral_avoided,
        would_ask_again: input.would_ask_again,
        comment: free_text("comment", input.comment, api::MAX_TEXT)?,
        outcome,
        referral,
    })
}

/// The lead's statement, checked alike for the API and the case page:
/// assessment and recommendations required, methods from the taxonomy.
pub fn new_statement(
    assessment: &str,
    recommendations: &str,
    methods: &[String],
    follow_up: &str,
) -> Result<tukiverkko_store::consultations::NewStatement, AppError> {
    use tukiverkko_domain::TaxonomyCode;
    use tukiverkko_domain::reference::TaxonomyKind;
    let max = api::MAX_TEXT;
    let suggested_methods = methods
        .iter()
        .enumerate()
        .map(|(i, m)| {
            TaxonomyCode::parse(m, TaxonomyKind::Method)
                .map(|c| c.as_str().to_string())
                .map_err(|e| AppError::invalid(&format!("suggested_methods[{i}]"), e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(tukiverkko_store::consultations::NewStatement {
        assessment: required_text("assessment", assessment, max)?,
        recommendations: required_text("recommendations", recommendations, max)?,
        suggested_methods,
        follow_up: free_text("follow_up", follow_up, max)?,
    })
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/consultations", SignedIn, get(pages::list)),
        route(Method::GET, "/consultations/new", RequestConsultation, get(request_form::new_form)),
        route(Method::POST, "/consultations", RequestConsultation, post(request_form::create)),
        route(Method::GET, "/consultations/{id}", SignedIn, get(pages::show)),
        route(Method::GET, "/consultations/{id}/edit", RequestConsultation, get(drafts::form)),
        route(Method::POST, "/consultations/{id}/edit", RequestConsultation, post(drafts::save)),
        // The case page's forms; the state machine decides what the caller may do.
        route(Method::POST, "/consultations/{id}/act", SignedIn, post(actions::act)),
        route(Method::GET, "/consultations/{id}/print", SignedIn, get(pages::print)),
        route(Method::GET, "/api/v1/calendar.ics", SignedIn, get(ics::feed)),
        route(Method::POST, "/api/v1/consultations", RequestConsultation, post(api::create)),
        route(Method::GET, "/api/v1/consultations", SignedIn, get(api::list)),
        route(Method::GET, "/api/v1/consultations/{id}", SignedIn, get(api::read)),
        route(Method::POST, "/api/v1/consultations/{id}/submit", RequestConsultation, post(moves::submit)),
        route(Method::POST, "/api/v1/consultations/{id}/reroute", TriageConsultations, post(moves::reroute)),
        route(
            Method::GET,
            "/api/v1/consultations/{id}/suggested-experts",
            TriageConsultations,
            get(api::suggested_experts),
        ),
        route(Method::POST, "/api/v1/consultations/{id}/assignment", TriageConsultations, post(moves::assignment)),
        route(Method::POST, "/api/v1/consultations/{id}/barnahus", TriageConsultations, post(moves::barnahus)),
        route(Method::POST, "/api/v1/consultations/{id}/accept", AnswerConsultations, post(moves::accept)),
        // Experts decline their part, coordinators a whole request: the case decides which.
        route(Method::POST, "/api/v1/consultations/{id}/decline", SignedIn, post(moves::decline)),
        route(Method::POST, "/api/v1/consultations/{id}/statement", AnswerConsultations, post(moves::statement)),
        route(Method::POST, "/api/v1/consultations/{id}/feedback", RequestConsultation, post(moves::feedback)),
        route(Method::POST, "/api/v1/consultations/{id}/cancel", SignedIn, post(moves::cancel)),
        route(Method::POST, "/api/v1/consultations/{id}/messages", SignedIn, post(moves::message)),
        route(Method::POST, "/api/v1/consultations/{id}/meetings", SignedIn, post(moves::meeting)),
        route(Method::GET, "/api/v1/consultations/{id}/meetings/{file}", SignedIn, get(ics::meeting_ics)),
        route(Method::POST, "/api/v1/consultations/{id}/outcomes", SignedIn, post(outcomes::record)),
        route(Method::GET, "/api/v1/consultations/{id}/outcomes", SignedIn, get(outcomes::list)),
    ]
}

/// The value of a check, or `None` with its problem added to `errors`: for
/// forms that report every problem at once.
pub(crate) fn keep<T>(errors: &mut Vec<crate::error::AppError>, r: Result<T, crate::error::AppError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}
