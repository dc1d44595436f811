//! Research needs from practice to universities: gathering (also from a
//! case, without its text), review (merge, rewrite as PICO, evidence),
//! the pipeline of statuses, and prioritisation rounds where every
//! stakeholder group weighs the same. The checks here serve the API and
//! the pages alike.

pub mod api;
mod export;
pub mod pages;
pub mod partners;
pub mod rounds;

use tukiverkko_domain::research::NeedStatus;
use tukiverkko_domain::text::limits;
use tukiverkko_store::research::{Move, NewNeed};

use crate::consultations::api::topic_codes;
use crate::consultations::{free_text, required_text};
use crate::error::AppError;

/// A group with fewer ballots than this is shown suppressed and does not
/// count in the score, so no small group's ranking can be read off.
pub const MIN_BALLOTS: usize = 5;

/// An https address of a review, guideline or published result.
pub fn https_url(field: &str, url: &str) -> Result<String, AppError> {
    if url.chars().count() > limits::LINK {
        return Err(AppError::invalid(
            field,
            tukiverkko_domain::ValueError::new("too_long", "the address is too long"),
        ));
    }
    tukiverkko_domain::meeting::https_link(field, url).map_err(|e| AppError::invalid(field, e))
}

/// A need as submitted or rewritten: title and description required, PICO
/// optional, topics from the taxonomy, every text through the free-text guard.
pub fn check_need(input: &api::NeedInput) -> Result<NewNeed, AppError> {
    // Lengths count the text as sent (the document's maxLength); the check trims it after.
    let pico = |field: &str, v: &str| free_text(field, v, limits::REASON);
    Ok(NewNeed {
        title: required_text("title", &input.title, limits::SHORT)?,
        description: required_text("description", &input.description, limits::LONG)?,
        population: pico("population", &input.population)?,
        intervention: pico("intervention", &input.intervention)?,
        comparison: pico("comparison", &input.comparison)?,
        outcome: pico("outcome", &input.outcome)?,
        topics: topic_codes("topics", &input.topics)?,
        consultation: input.consultation.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(String::from),
    })
}

/// A status move as typed, for the API and the need's page alike.
pub struct MoveInput<'a> {
    pub status: &'a str,
    pub note: &'a str,
    pub result_url: Option<&'a str>,
    pub partner: Option<&'a str>,
    pub contact: Option<&'a str>,
}

/// Checks a move's fields: published results need their https address, a
/// proposal names its partner organisation (one of the recorded partners,
/// which the store checks inside the move).
pub fn check_move(input: &MoveInput) -> Result<(NeedStatus, Move), AppError> {
    let to: NeedStatus = input.status.parse().map_err(|e| AppError::invalid("status", e))?;
    let text = |field: &str, v: Option<&str>| -> Result<Option<String>, AppError> {
        let v = free_text(field, v.unwrap_or_default().trim(), limits::SHORT)?;
        Ok(Some(v).filter(|v| !v.is_empty()))
    };
    let required = |field: &str, detail: &str| AppError::Invalid {
        code: "required".into(),
        detail: detail.into(),
        field: Some(field.into()),
    };
    let result_url = match input.result_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Some(https_url("result_url", url)?),
        None if to == NeedStatus::Published => return Err(required("result_url", "published results need result_url")),
        None => None,
    };
    let partner = text("partner", input.partner)?;
    if to == NeedStatus::Proposed && partner.is_none() {
        return Err(required("partner", "a proposal names the partner organisation"));
    }
    let m = Move {
        note: free_text("note", input.note, limits::REASON)?,
        result_url,
        partner,
        partner_contact: text("contact", input.contact)?,
    };
    Ok((to, m))
}

/// The store's refusal of a move, pointed at the field it concerns.
pub fn move_error(e: tukiverkko_store::StoreError) -> AppError {
    match e {
        tukiverkko_store::StoreError::Invalid(v) if v.code == "unknown_partner" => AppError::invalid("partner", v),
        other => other.into(),
    }
}

/// The store's refusal of a ballot, pointed at the group or the ranking.
pub fn ballot_error(e: tukiverkko_store::StoreError) -> AppError {
    match e {
        tukiverkko_store::StoreError::Invalid(v) if v.code == "not_in_round" && v.message.contains("group") => {
            AppError::invalid("group", v)
        }
        tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("ranking", v),
        other => other.into(),
    }
}

/// The store's refusal of a round: a need that may not be ranked.
pub fn round_error(e: tukiverkko_store::StoreError) -> AppError {
    match e {
        tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("needs", v),
        other => other.into(),
    }
}

pub struct CheckedRound {
    pub title: String,
    pub needs: Vec<String>,
    pub groups: Vec<String>,
    pub closes_at: i64,
}

/// A round: a title, 1–100 different needs, 1–10 different named groups, a
/// closing time to come.
pub fn check_round(input: &api::RoundInput) -> Result<CheckedRound, AppError> {
    let invalid = |field: &str, code: &'static str, msg: &str| {
        AppError::invalid(field, tukiverkko_domain::ValueError::new(code, msg.to_string()))
    };
    let title = required_text("title", &input.title, limits::SHORT)?;
    let mut needs: Vec<String> = input.needs.iter().map(|n| n.trim().to_string()).collect();
    if needs.is_empty() || needs.len() > 100 {
        return Err(invalid("needs", "out_of_range", "a round ranks 1–100 needs"));
    }
    let before = needs.len();
    needs.sort();
    needs.dedup();
    if needs.len() != before {
        return Err(invalid("needs", "duplicate", "a need is listed twice"));
    }
    needs = input.needs.iter().map(|n| n.trim().to_string()).collect();
    let mut groups = Vec::new();
    for (i, g) in input.groups.iter().enumerate() {
        let g = required_text(&format!("groups.{i}"), g.trim(), limits::NAME)?;
        if g.contains('\n') {
            return Err(invalid(&format!("groups.{i}"), "invalid_value", "a group name is one line"));
        }
        if groups.contains(&g) {
            return Err(invalid("groups", "duplicate", "a group is listed twice"));
        }
        groups.push(g);
    }
    if groups.is_empty() || groups.len() > 10 {
        return Err(invalid("groups", "out_of_range", "a round has 1–10 stakeholder groups"));
    }
    let closes = time::OffsetDateTime::parse(input.closes_at.trim(), &time::format_description::well_known::Rfc3339)
        .map_err(|_| invalid("closes_at", "bad_time", "closes_at must be an RFC 3339 time with offset"))?
        .unix_timestamp();
    if closes <= tukiverkko_store::now() {
        return Err(invalid("closes_at", "in_the_past", "the round must close in the future"));
    }
    Ok(CheckedRound { title, needs, groups, closes_at: closes })
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post, put};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::POST, "/api/v1/research-needs", SignedIn, post(api::create)),
        route(Method::GET, "/api/v1/research-needs", SignedIn, get(api::list)),
        route(Method::GET, "/api/v1/research-needs/{id}", SignedIn, get(api::get)),
        route(Method::PUT, "/api/v1/research-needs/{id}", ReviewResearchNeeds, put(api::rewrite)),
        route(Method::POST, "/api/v1/research-needs/{id}/merge", ReviewResearchNeeds, post(api::merge)),
        route(Method::POST, "/api/v1/research-needs/{id}/status", ReviewResearchNeeds, post(api::status)),
        route(Method::POST, "/api/v1/research-needs/{id}/evidence", ReviewResearchNeeds, post(api::add_evidence)),
        route(Method::POST, "/api/v1/research-needs/{id}/follow", SignedIn, post(api::follow)),
        route(Method::POST, "/api/v1/prioritisations", ReviewResearchNeeds, post(api::create_round)),
        route(Method::GET, "/api/v1/prioritisations", SignedIn, get(api::rounds)),
        route(Method::GET, "/api/v1/prioritisations/{id}", SignedIn, get(api::round)),
        route(Method::POST, "/api/v1/prioritisations/{id}/ballots", SignedIn, post(api::ballot)),
        route(Method::GET, "/api/v1/prioritisations/{id}/results", SignedIn, get(api::results)),
        route(Method::GET, "/api/v1/research-partners", SignedIn, get(partners::list)),
        route(Method::POST, "/api/v1/research-partners", ReviewResearchNeeds, post(partners::create)),
        route(Method::POST, "/research-partners", ReviewResearchNeeds, post(partners::create_from_page)),
        route(Method::POST, "/prioritisations", ReviewResearchNeeds, post(rounds::create)),
        route(Method::GET, "/prioritisations/{id}", SignedIn, get(rounds::page)),
        route(Method::POST, "/prioritisations/{id}/ballot", SignedIn, post(rounds::ballot)),
        route(Method::GET, "/research-needs", SignedIn, get(pages::list_page)),
        route(Method::POST, "/research-needs", SignedIn, post(pages::create_from_page)),
        route(Method::GET, "/research-needs/{id}", SignedIn, get(pages::need_page)),
        route(Method::POST, "/research-needs/{id}/act", SignedIn, post(pages::act)),
    ]
}
