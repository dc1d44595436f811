//! Outcome measurements over the API: one body shape for the four
//! instruments, checked by the domain's rules (the page uses the same
//! [`check`]), stored and read through the case's access rule.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use tukiverkko_domain::outcome::{self, GasGoal, Instrument, Measurement, cgas_band, honosca_total};
use tukiverkko_store::consultations::{self, Outcome};
use utoipa::ToSchema;

use super::{actor, free_text};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::ops::ClientInfo;
use crate::state::AppState;

/// A goal's description is short: the goal, not the case.
const MAX_GOAL_TEXT: usize = 500;

/// One measurement. `instrument` decides which other fields count: `goals`
/// (gas), `score` (cgas), `items` (honosca), `informant` and `total` with
/// optional subscales (sdq).
#[derive(Deserialize, ToSchema, Default)]
pub struct NewOutcome {
    /// gas, cgas, honosca or sdq.
    pub instrument: String,
    /// `YYYY-MM-DD`, not in the future.
    pub measured_on: String,
    /// GAS: 1–20 goals, each with a weight ≥ 0 and an attainment level −2…2.
    #[serde(default)]
    pub goals: Option<Vec<GoalInput>>,
    /// CGAS: 1–100.
    #[serde(default)]
    pub score: Option<i64>,
    /// HoNOSCA: the 15 item scores, each 0–4 or 9 (not known).
    #[serde(default)]
    pub items: Option<Vec<i64>>,
    /// SDQ: parent, teacher or self.
    #[serde(default)]
    pub informant: Option<String>,
    /// SDQ total difficulties 0–40.
    #[serde(default)]
    pub total: Option<i64>,
    #[serde(default)]
    pub emotional: Option<i64>,
    #[serde(default)]
    pub conduct: Option<i64>,
    #[serde(default)]
    pub hyperactivity: Option<i64>,
    #[serde(default)]
    pub peer: Option<i64>,
    #[serde(default)]
    pub prosocial: Option<i64>,
    #[serde(default)]
    pub impact: Option<i64>,
}

#[derive(Deserialize, ToSchema, Clone, Default)]
pub struct GoalInput {
    pub weight: f64,
    pub level: i64,
    #[serde(default)]
    pub description: Option<String>,
}

fn required(field: &str) -> AppError {
    AppError::Invalid { code: "required".into(), detail: format!("{field} is required"), field: Some(field.into()) }
}

/// The measurement date and the measurement, checked alike for the API and
/// the case page. Goal descriptions go through the free-text guard.
pub fn check(input: &NewOutcome, today: time::Date) -> Result<(String, Measurement), AppError> {
    let instrument: Instrument = input.instrument.parse().map_err(|e| AppError::invalid("instrument", e))?;
    let measured_on = time::Date::parse(input.measured_on.trim(), &time::format_description::well_known::Iso8601::DATE)
        .map_err(|_| AppError::Invalid {
            code: "bad_date".into(),
            detail: "measured_on must be a date YYYY-MM-DD".into(),
            field: Some("measured_on".into()),
        })?;
    if measured_on > today {
        return Err(AppError::Invalid {
            code: "future_date".into(),
            detail: "measured_on cannot be in the future".into(),
            field: Some("measured_on".into()),
        });
    }
    let domain = |(field, e): (&'static str, tukiverkko_domain::ValueError)| AppError::invalid(field, e);
    let measurement = match instrument {
        Instrument::Gas => {
            let goals = input.goals.as_ref().ok_or_else(|| required("goals"))?;
            let mut checked = Vec::with_capacity(goals.len());
            for (i, g) in goals.iter().enumerate() {
                let description = match &g.description {
                    Some(d) => Some(free_text(&format!("goals.{i}.description"), d, MAX_GOAL_TEXT)?),
                    None => None,
                };
                let level = g.level.clamp(i8::MIN as i64, i8::MAX as i64) as i8;
                checked.push(GasGoal { weight: g.weight, level, description });
            }
            outcome::check_gas(checked).map_err(domain)?
        }
        Instrument::Cgas => outcome::check_cgas(input.score.ok_or_else(|| required("score"))?).map_err(domain)?,
        Instrument::Honosca => {
            outcome::check_honosca(input.items.as_deref().ok_or_else(|| required("items"))?).map_err(domain)?
        }
        Instrument::Sdq => outcome::check_sdq(
            input.informant.as_deref().ok_or_else(|| required("informant"))?,
            input.total.ok_or_else(|| required("total"))?,
            [input.emotional, input.conduct, input.hyperactivity, input.peer, input.prosocial, input.impact],
        )
        .map_err(domain)?,
    };
    let date = measured_on.format(&time::format_description::well_known::Iso8601::DATE).unwrap_or_default();
    Ok((date.get(..10).unwrap_or(&date).to_string(), measurement))
}

/// One measurement as the API shows it: the instrument's own figures and
/// its headline (GAS T-score, CGAS score, HoNOSCA total, SDQ total).
#[derive(Serialize, ToSchema)]
pub struct OutcomeView {
    pub id: String,
    pub instrument: &'static str,
    pub measured_on: String,
    pub headline: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub goals: Option<Vec<GasGoal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    /// CGAS band, e.g. "61-70".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<u8>>,
    /// HoNOSCA total of items 1–13 with not-known items left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// HoNOSCA: how many of items 1–13 were rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub sdq: Option<outcome::SdqScores>,
}

impl OutcomeView {
    pub fn of(o: &Outcome) -> Self {
        let m = &o.measurement;
        let mut view = OutcomeView {
            id: o.id.clone(),
            instrument: m.instrument().as_str(),
            measured_on: o.measured_on.clone(),
            headline: m.headline(),
            t_score: None,
            goals: None,
            score: None,
            band: None,
            items: None,
            total: None,
            rated: None,
            sdq: None,
        };
        match m {
            Measurement::Gas(goals) => {
                view.t_score = Some(outcome::gas_t_score(goals));
                view.goals = Some(goals.clone());
            }
            Measurement::Cgas(score) => {
                view.score = Some(*score);
                let (low, high) = cgas_band(*score).range();
                view.band = Some(format!("{low}-{high}"));
            }
            Measurement::Honosca(items) => {
                let t = honosca_total(items);
                view.items = Some(items.to_vec());
                view.total = Some(t.total);
                view.rated = Some(t.rated);
            }
            Measurement::Sdq(scores) => {
                view.total = Some(scores.total as u32);
                view.sdq = Some(scores.clone());
            }
        }
        view
    }
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeList {
    items: Vec<OutcomeView>,
    total: usize,
}

pub fn today() -> time::Date {
    tukiverkko_domain::calendar::to_helsinki(tukiverkko_store::now()).date()
}

/// Record one outcome measurement of the case's client (requester or an assigned expert).
#[utoipa::path(post, path = "/api/v1/consultations/{id}/outcomes", params(("id" = String, Path)), request_body = NewOutcome,
    security(("bearer" = [])), responses((status = 201, body = OutcomeView), (status = 422, description = "invalid measurement")))]
pub async fn record(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewOutcome>,
) -> Result<(StatusCode, Json<OutcomeView>), AppError> {
    let (measured_on, measurement) = check(&body, today())?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    let stored = consultations::record_outcome(&state.db, &id, &actor, &measured_on, &measurement).await?;
    Ok((StatusCode::CREATED, Json(OutcomeView::of(&stored))))
}

/// The case's outcome measurements in time order (a read of case content, audited).
#[utoipa::path(get, path = "/api/v1/consultations/{id}/outcomes", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = OutcomeList)))]
pub async fn list(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<OutcomeList>, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let items: Vec<OutcomeView> =
        consultations::outcomes(&state.db, &id, &actor).await?.iter().map(OutcomeView::of).collect();
    Ok(Json(OutcomeList { total: items.len(), items }))
}
