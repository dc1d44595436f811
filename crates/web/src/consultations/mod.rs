//! The consultation service over HTTP: requests, triage, panel, meetings,
//! statement and feedback. Access rules and the audit live in the store;
//! this layer parses input into domain types and guards free text.

pub mod actions;
pub mod api;
pub mod dto;
pub mod ics;
pub mod moves;
pub mod pages;

use tukiverkko_domain::hetu;
use tukiverkko_store::consultations::Actor;
use tukiverkko_store::experts;

use crate::auth::Granted;
use crate::error::AppError;
use crate::ops::ClientInfo;
use crate::state::AppState;

pub const ACCESS_REASON_HEADER: &str = "x-access-reason";

/// The caller as a case actor: account, own expert profile, break-glass
/// reason (admins) and origin for the audit trail.
pub async fn actor(
    state: &AppState,
    granted: &Granted,
    client: &ClientInfo,
    headers: &axum::http::HeaderMap,
) -> Result<Actor, AppError> {
    let account = granted.account()?.clone();
    let expert_id = experts::id_for_user(&state.db, &account.id).await?;
    // Reasons are written in Finnish or Swedish: read the header as UTF-8, not just ASCII.
    let access_reason = headers
        .get(ACCESS_REASON_HEADER)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
    if let Some(reason) = &access_reason {
        hetu::guard("X-Access-Reason", reason).map_err(|e| AppError::invalid("X-Access-Reason", e))?;
    }
    Ok(Actor {
        account,
        expert_id,
        access_reason,
        client_ip: Some(client.ip.clone()),
        request_id: client.request_id.clone(),
    })
}

/// Free text must hold no identity code and stay within a sane length.
pub fn free_text(field: &str, text: &str, max_chars: usize) -> Result<String, AppError> {
    hetu::guard(field, text).map_err(|e| AppError::invalid(field, e))?;
    if text.chars().count() > max_chars {
        return Err(AppError::Invalid {
            code: "too_long".into(),
            detail: format!("{field} is longer than {max_chars} characters"),
            field: Some(field.to_string()),
        });
    }
    Ok(text.trim().to_string())
}

pub fn required_text(field: &str, text: &str, max_chars: usize) -> Result<String, AppError> {
    let text = free_text(field, text, max_chars)?;
    if text.is_empty() {
        return Err(AppError::Invalid {
            code: "required".into(),
            detail: format!("{field} must not be empty"),
            field: Some(field.to_string()),
        });
    }
    Ok(text)
}

/// A meeting's length (5–480 minutes) and https link, checked alike for
/// the API and the case page.
pub fn new_meeting(
    starts_at: i64,
    minutes: Option<i64>,
    link: &str,
) -> Result<tukiverkko_store::consultations::NewMeeting, AppError> {
    let minutes = minutes.filter(|m| (5..=480).contains(m)).ok_or_else(|| AppError::Invalid {
        code: "out_of_range".into(),
        detail: "minutes must be 5–480".into(),
        field: Some("minutes".into()),
    })?;
    let link = free_text("link", link, 2000)?;
    if !link.starts_with("https://") {
        return Err(AppError::Invalid {
            code: "bad_link".into(),
            detail: "the meeting link must start with https://".into(),
            field: Some("link".into()),
        });
    }
    Ok(tukiverkko_store::consultations::NewMeeting { starts_at, minutes, link })
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
