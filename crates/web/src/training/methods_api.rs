//! The methods catalogue over the API: every method code of the taxonomy,
//! its evidence rating on the Kasvun tuki scale, and where it is in use.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::training::EvidenceLevel;
use tukiverkko_store::methods::{self, MethodEntry, StoredMethod};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Require, cap};
use crate::consultations::free_text;
use crate::error::AppError;
use crate::extract::{ApiJson, QueryParams};
use crate::state::AppState;
use tukiverkko_domain::text::limits;

/// A text in the three languages, or one string taken as Finnish.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(untagged)]
pub enum Localised {
    One(String),
    Three {
        fi: String,
        #[serde(default)]
        sv: String,
        #[serde(default)]
        en: String,
    },
}

#[derive(Deserialize, ToSchema, Default)]
pub struct EvidenceInput {
    /// well_described, theory_based, limited_evidence, moderate_evidence, strong_evidence, no_effect, negative_effects or not_rated.
    pub level: String,
    /// `YYYY-MM-DD`: when the rating was given.
    #[serde(default)]
    pub rated_on: Option<String>,
    /// Who rated it (e.g. Kasvun tuki -arviointi, with its address).
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct MethodInput {
    #[serde(default)]
    pub description: Option<Localised>,
    pub evidence: Option<EvidenceInput>,
    #[serde(default)]
    pub target_group: Option<String>,
    #[serde(default)]
    pub age_min: Option<i64>,
    #[serde(default)]
    pub age_max: Option<i64>,
    /// How the method is delivered.
    #[serde(default)]
    pub delivery: Option<String>,
    /// Directory ids of the experts who can train it.
    #[serde(default)]
    pub trainers: Vec<String>,
    /// The version you read; a change made since is a 409.
    #[serde(default)]
    pub version: Option<i64>,
}

fn method_code(code: &str) -> Result<&'static str, AppError> {
    reference::taxonomy_of(TaxonomyKind::Method).map(|e| e.code).find(|c| *c == code).ok_or(AppError::NotFound)
}

/// The entry as the API shows it; a method nobody has described yet is not rated.
pub fn method_json(code: &str, stored: Option<&StoredMethod>) -> Value {
    let taxonomy = reference::taxonomy_entry(code);
    let name =
        taxonomy.map(|t| json!({"fi": t.label_fi, "sv": t.label_sv, "en": t.label_en})).unwrap_or(json!({"fi": code}));
    let empty = MethodEntry { evidence_level: "not_rated".into(), ..Default::default() };
    let e = stored.map(|s| &s.entry).unwrap_or(&empty);
    let mut evidence = json!({"level": e.evidence_level});
    if let Some(on) = &e.rated_on {
        evidence["rated_on"] = json!(on);
    }
    if let Some(source) = &e.evidence_source {
        evidence["source"] = json!(source);
    }
    let mut out = json!({
        "code": code,
        "name": name,
        "description": {"fi": e.description_fi, "sv": e.description_sv, "en": e.description_en},
        "evidence": evidence,
        "trainers": e.trainers,
        "version": stored.map_or(0, |s| s.version),
    });
    for (key, value) in [("target_group", &e.target_group), ("delivery", &e.delivery)] {
        if !value.is_empty() {
            out[key] = json!(value);
        }
    }
    if let Some(a) = e.age_min {
        out["age_min"] = json!(a);
    }
    if let Some(a) = e.age_max {
        out["age_max"] = json!(a);
    }
    out
}

/// The methods catalogue, in taxonomy order.
#[utoipa::path(get, path = "/api/v1/methods", security(("bearer" = [])), responses((status = 200, description = "items and total", body = Object)))]
pub async fn list(State(state): State<AppState>, _granted: Require<cap::SignedIn>) -> Result<Json<Value>, AppError> {
    let stored = methods::all(&state.db).await?;
    let items: Vec<Value> =
        reference::taxonomy_of(TaxonomyKind::Method).map(|m| method_json(m.code, stored.get(m.code))).collect();
    Ok(Json(json!({"total": items.len(), "items": items})))
}

#[utoipa::path(get, path = "/api/v1/methods/{code}", params(("code" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 404, description = "no such method")))]
pub async fn get(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    Path(code): Path<String>,
) -> Result<Json<Value>, AppError> {
    let code = method_code(&code)?;
    Ok(Json(method_json(code, methods::get(&state.db, code).await?.as_ref())))
}

/// The entry as edited, checked: texts through the free-text guard, the
/// level on the scale, the rating date a date, ages 0–25 in order.
pub fn check_entry(input: &MethodInput) -> Result<MethodEntry, AppError> {
    let (fi, sv, en) = match &input.description {
        None => (String::new(), String::new(), String::new()),
        Some(Localised::One(fi)) => (fi.clone(), String::new(), String::new()),
        Some(Localised::Three { fi, sv, en }) => (fi.clone(), sv.clone(), en.clone()),
    };
    let evidence = input.evidence.as_ref();
    let level: EvidenceLevel = evidence
        .map(|e| e.level.parse().map_err(|err| AppError::invalid("evidence.level", err)))
        .transpose()?
        .unwrap_or(EvidenceLevel::NotRated);
    let rated_on = match evidence.and_then(|e| e.rated_on.as_deref()).map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(
            time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE).map(|_| d.to_string()).map_err(
                |_| {
                    AppError::invalid(
                        "evidence.rated_on",
                        tukiverkko_domain::ValueError::new("bad_date", "a date YYYY-MM-DD"),
                    )
                },
            )?,
        ),
        None => None,
    };
    let source = evidence
        .and_then(|e| e.source.as_deref())
        .map(|s| free_text("evidence.source", s.trim(), limits::REASON))
        .transpose()?
        .filter(|s| !s.is_empty());
    let age = |field: &str, v: Option<i64>| -> Result<Option<i64>, AppError> {
        match v {
            Some(a) if !(0..=25).contains(&a) => {
                Err(AppError::invalid(field, tukiverkko_domain::ValueError::new("out_of_range", "ages are 0–25")))
            }
            other => Ok(other),
        }
    };
    let (age_min, age_max) = (age("age_min", input.age_min)?, age("age_max", input.age_max)?);
    if let (Some(lo), Some(hi)) = (age_min, age_max)
        && lo > hi
    {
        return Err(AppError::invalid(
            "age_max",
            tukiverkko_domain::ValueError::new("out_of_range", "age_max is below age_min"),
        ));
    }
    Ok(MethodEntry {
        description_fi: free_text("description.fi", fi.trim(), limits::LONG)?,
        description_sv: free_text("description.sv", sv.trim(), limits::LONG)?,
        description_en: free_text("description.en", en.trim(), limits::LONG)?,
        target_group: free_text("target_group", input.target_group.as_deref().unwrap_or("").trim(), limits::REASON)?,
        age_min,
        age_max,
        delivery: free_text("delivery", input.delivery.as_deref().unwrap_or("").trim(), limits::REASON)?,
        evidence_level: level.as_str().to_string(),
        rated_on,
        evidence_source: source,
        trainers: input.trainers.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
    })
}

/// A coordinator describes a method and records its rating; every change is a new version.
#[utoipa::path(put, path = "/api/v1/methods/{code}", params(("code" = String, Path)), request_body = MethodInput,
    security(("bearer" = [])), responses((status = 200, body = Object), (status = 422, description = "invalid field")))]
pub async fn put(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: crate::ops::ClientInfo,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<MethodInput>,
) -> Result<Json<Value>, AppError> {
    let code = method_code(&code)?;
    let entry = check_entry(&body)?;
    let account = granted.account();
    let saved = methods::save(&state.db, code, &entry, &account.id, &client.actor(account), body.version)
        .await
        .map_err(|e| match e {
            tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("trainers", v),
            other => other.into(),
        })?;
    Ok(Json(method_json(code, Some(&saved))))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    method: String,
}

/// For every wellbeing county: how many are trained in the method and whether it is in use there.
#[utoipa::path(get, path = "/api/v1/methods/coverage", params(CoverageQuery), security(("bearer" = [])),
    responses((status = 200, body = Object)))]
pub async fn coverage(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    QueryParams(q): QueryParams<CoverageQuery>,
) -> Result<Json<Value>, AppError> {
    let code = method_code(&q.method).map_err(|_| {
        AppError::invalid("method", tukiverkko_domain::ValueError::new("unknown_method", "no such method"))
    })?;
    Ok(Json(coverage_json(&state, code).await?))
}

pub async fn coverage_json(state: &AppState, code: &str) -> Result<Value, AppError> {
    let (trained, in_use) = methods::coverage(&state.db, code).await?;
    let counties: serde_json::Map<String, Value> = reference::counties()
        .iter()
        .map(|c| {
            (
                c.code.to_string(),
                json!({"trained": trained.get(c.code).copied().unwrap_or(0), "in_use": in_use.contains(c.code)}),
            )
        })
        .collect();
    Ok(json!({"method": code, "counties": counties}))
}

#[derive(Deserialize, ToSchema)]
pub struct UseInput {
    pub county: String,
    /// `YYYY-MM-DD`, when known.
    #[serde(default)]
    pub since: Option<String>,
    /// The unit that uses it.
    #[serde(default)]
    pub unit: String,
}

/// Records a use, checked alike for the API and the method's page.
pub async fn save_use(
    state: &AppState,
    account: &tukiverkko_store::accounts::Account,
    client: &crate::ops::ClientInfo,
    code: &str,
    body: &UseInput,
) -> Result<methods::UseRow, AppError> {
    let code = method_code(code)?;
    let county: tukiverkko_domain::CountyCode = body.county.parse().map_err(|e| AppError::invalid("county", e))?;
    let since = body.since.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(d) = since {
        time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE).map_err(|_| {
            AppError::invalid("since", tukiverkko_domain::ValueError::new("bad_date", "a date YYYY-MM-DD"))
        })?;
    }
    let unit = free_text("unit", &body.unit, limits::SHORT)?;
    Ok(methods::record_use(&state.db, code, county.as_str(), since, &unit, &account.id, &client.actor(account)).await?)
}

#[derive(Serialize, ToSchema)]
pub struct UseView {
    id: String,
    county: String,
    since: Option<String>,
    unit: String,
}

/// A coordinator records that a unit in a county uses the method.
#[utoipa::path(post, path = "/api/v1/methods/{code}/use", params(("code" = String, Path)), request_body = UseInput,
    security(("bearer" = [])), responses((status = 201, body = UseView)))]
pub async fn record_use(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: crate::ops::ClientInfo,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<UseInput>,
) -> Result<(StatusCode, Json<UseView>), AppError> {
    let row = save_use(&state, granted.account(), &client, &code, &body).await?;
    Ok((StatusCode::CREATED, Json(UseView { id: row.id, county: row.county, since: row.since, unit: row.unit })))
}
