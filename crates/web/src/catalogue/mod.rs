//! What the centres offer: their national specialisations, teams, the
//! public catalogue of consultation services (also as Open Referral HSDS
//! 3.0 for national service directories) and its pages. The checks here
//! serve the API and the pages alike.

pub mod api;
pub mod hsds;
pub mod pages;
pub mod team_search;
pub mod teams;

use serde::Deserialize;
use tukiverkko_domain::catalogue::Names;
use tukiverkko_domain::text::{self, Lines, limits};
use tukiverkko_domain::{CentreCode, CountyCode, ValueError};
use utoipa::ToSchema;

use crate::error::AppError;

/// A name in three languages, or a plain string taken as Finnish.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(untagged)]
pub enum NamesInput {
    Text(String),
    Names {
        fi: String,
        #[serde(default)]
        sv: String,
        #[serde(default)]
        en: String,
    },
}

impl Default for NamesInput {
    fn default() -> Self {
        NamesInput::Text(String::new())
    }
}

/// Checks a name or description: Finnish required, Swedish and English
/// optional, each through the free-text guard (one line for names).
pub fn names(field: &str, input: &NamesInput, max: usize, lines: Lines) -> Result<Names, AppError> {
    let (fi, sv, en) = match input {
        NamesInput::Text(fi) => (fi.as_str(), "", ""),
        NamesInput::Names { fi, sv, en } => (fi.as_str(), sv.as_str(), en.as_str()),
    };
    let one = |lang: &str, v: &str| {
        let f = format!("{field}.{lang}");
        text::check(&f, v.trim(), max, lines).map_err(|e| AppError::invalid(&f, e))
    };
    let fi = one("fi", fi)?;
    if fi.is_empty() {
        let f = format!("{field}.fi");
        return Err(AppError::invalid(&f, ValueError::new("required", format!("{f} must not be empty"))));
    }
    Ok(Names { fi, sv: one("sv", sv)?, en: one("en", en)? })
}

/// A centre code, or the caller's own centre when left out.
pub fn centre_or_own(field: &str, given: Option<&str>, own: Option<CentreCode>) -> Result<String, AppError> {
    match given.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.parse::<CentreCode>().map(|c| c.as_str().to_string()).map_err(|e| AppError::invalid(field, e)),
        None => own
            .map(|c| c.as_str().to_string())
            .ok_or_else(|| AppError::invalid(field, ValueError::new("required", "name the centre"))),
    }
}

pub fn county_codes(field: &str, codes: &[String]) -> Result<Vec<String>, AppError> {
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.trim()
                .parse::<CountyCode>()
                .map(|c| c.as_str().to_string())
                .map_err(|e| AppError::invalid(&format!("{field}[{i}]"), e))
        })
        .collect()
}

pub fn method_codes(field: &str, codes: &[String]) -> Result<Vec<String>, AppError> {
    use tukiverkko_domain::TaxonomyCode;
    use tukiverkko_domain::reference::TaxonomyKind;
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            TaxonomyCode::parse(c.trim(), TaxonomyKind::Method)
                .map(|t| t.as_str().to_string())
                .map_err(|e| AppError::invalid(&format!("{field}[{i}]"), e))
        })
        .collect()
}

/// A one-line free text (contact, target group), guarded like every text.
pub fn line(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    text::check(field, value.trim(), max, Lines::One).map_err(|e| AppError::invalid(field, e))
}

/// `limit` 1–100 (default 20) and `offset` ≥ 0, as every list takes them.
pub fn paging(limit: Option<i64>, offset: Option<i64>) -> Result<(usize, usize), AppError> {
    let limit = limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid("limit", ValueError::new("out_of_range", "limit must be 1–100")));
    }
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::invalid("offset", ValueError::new("out_of_range", "offset must not be negative")));
    }
    Ok((limit as usize, offset as usize))
}

pub const NAME_MAX: usize = limits::SHORT;
pub const DESCRIPTION_MAX: usize = limits::REASON;

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post, put};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/api/v1/centres", Public, get(api::centres)),
        route(Method::PUT, "/api/v1/centres/{code}/specialisations", ManageServices, put(api::set_specialisations)),
        route(Method::GET, "/api/v1/services", Public, get(api::services)),
        route(Method::POST, "/api/v1/services", ManageServices, post(api::create_service)),
        route(Method::GET, "/api/v1/services/{id}", Public, get(api::service)),
        route(Method::PUT, "/api/v1/services/{id}", ManageServices, put(api::update_service)),
        route(Method::POST, "/api/v1/teams", ManageServices, post(teams::create)),
        route(Method::GET, "/api/v1/teams", SearchExperts, get(teams::list)),
        route(Method::GET, "/api/v1/teams/{id}", SearchExperts, get(teams::get)),
        route(Method::GET, "/hsds/services", Public, get(hsds::services)),
        route(Method::GET, "/hsds/services/{id}", Public, get(hsds::service)),
        route(Method::GET, "/hsds/organizations", Public, get(hsds::organizations)),
        route(Method::GET, "/services", Public, get(pages::catalogue)),
        route(Method::GET, "/services/{id}", Public, get(pages::service_page)),
        route(Method::GET, "/teams/{id}", SearchExperts, get(pages::team_page)),
    ]
}
