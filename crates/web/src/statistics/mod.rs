//! Statistics of the consultation service for coordinators (their own
//! centre), researchers and administrators (all centres): aggregated
//! figures only, never case content. Every figure passes disclosure control
//! here, in [`consultation_report`] and [`service_report`], before the API,
//! the page or an export shows it, so all of them show the same numbers.

pub mod api;
mod export;
pub mod page;

use tukiverkko_domain::Role;
use tukiverkko_domain::disclosure::{self, CountTable, Figure, Protected};
use tukiverkko_domain::statistics::{self as stats, Dimension};
use tukiverkko_store::accounts::Account;
use tukiverkko_store::statistics::{self as facts, Selection};

use crate::error::AppError;
use crate::state::AppState;

/// The cases a user's statistics cover: a coordinator's own centre, or
/// every centre for researchers and administrators.
pub fn centre_scope(account: &Account) -> Option<String> {
    if account.has_role(Role::Researcher) || account.has_role(Role::Admin) {
        None
    } else {
        account.centre.map(|c| c.as_str().to_string())
    }
}

/// The months a report covers, as given (`YYYY-MM`, both inclusive).
#[derive(Debug, Clone, Default)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

fn month_error(field: &str, e: tukiverkko_domain::ValueError) -> AppError {
    AppError::invalid(field, e)
}

/// The selection of cases for `account` in `period`; a bad month or a
/// period that ends before it starts is a 422 naming the parameter.
pub fn selection(account: &Account, period: &Period) -> Result<Selection, AppError> {
    let parse = |field: &str, v: &Option<String>| -> Result<Option<(i32, time::Month)>, AppError> {
        v.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| stats::parse_month(s).map_err(|e| month_error(field, e)))
            .transpose()
    };
    let from = parse("from", &period.from)?;
    let to = parse("to", &period.to)?;
    if let (Some(f), Some(t)) = (from, to)
        && (f.0, f.1 as u8) > (t.0, t.1 as u8)
    {
        return Err(AppError::Invalid {
            code: "bad_period".into(),
            detail: "the period ends before it starts".into(),
            field: Some("to".into()),
        });
    }
    let month = |(y, m): (i32, time::Month)| format!("{y:04}-{:02}", m as u8);
    Ok(Selection { centre: centre_scope(account), from: from.map(month), to: to.map(month) })
}

/// Counts of consultations by one or two dimensions, after disclosure control.
pub struct ConsultationReport {
    pub threshold: u32,
    pub by: Vec<Dimension>,
    pub table: Protected,
}

pub async fn consultation_report(
    state: &AppState,
    selection: &Selection,
    by: &[Dimension],
) -> Result<ConsultationReport, AppError> {
    let threshold = state.config.statistics_threshold;
    let table = disclosure::protect(&count_table(state, selection, by).await?, threshold);
    Ok(ConsultationReport { threshold, by: by.to_vec(), table })
}

/// The counts by `by` with their totals per dimension and the grand total,
/// all summed from the pre-aggregated counters.
async fn count_table(state: &AppState, selection: &Selection, by: &[Dimension]) -> Result<CountTable, AppError> {
    let cells = facts::counts(state.reader(), selection, by).await?;
    let mut totals = Vec::with_capacity(by.len());
    for dim in by {
        let per_value = facts::counts(state.reader(), selection, std::slice::from_ref(dim)).await?;
        totals.push(per_value.into_iter().filter_map(|(mut k, n)| Some((k.pop()?, n))).collect());
    }
    let total = facts::counts(state.reader(), selection, &[]).await?.into_iter().map(|(_, n)| n).sum();
    Ok(CountTable { dims: by.len(), cells, totals, total })
}

/// A figure that needs enough cases behind it: the value, or `None` when
/// fewer than the threshold stand behind it.
#[derive(Debug, Clone, Copy)]
pub struct Guarded {
    pub value: Option<f64>,
    pub suppressed: bool,
}

impl Guarded {
    fn new(value: Option<f64>, cases: u64, threshold: u32) -> Self {
        if disclosure::enough(cases, threshold) {
            Guarded { value, suppressed: false }
        } else {
            Guarded { value: None, suppressed: cases > 0 }
        }
    }
}

/// The service figures of one centre (or all), after disclosure control.
pub struct ServiceRow {
    pub centre: String,
    pub cases: Figure,
    pub median_days_to_answer: Guarded,
    pub p90_days_to_answer: Guarded,
    pub on_time_share: Guarded,
    pub usefulness_mean: Guarded,
    pub referral_avoided_share: Guarded,
    pub referral_initiated_share: Guarded,
}

impl ServiceRow {
    pub fn suppressed(&self) -> bool {
        matches!(self.cases, Figure::Suppressed)
            || [
                self.median_days_to_answer,
                self.p90_days_to_answer,
                self.on_time_share,
                self.usefulness_mean,
                self.referral_avoided_share,
                self.referral_initiated_share,
            ]
            .iter()
            .any(|g| g.suppressed)
    }
}

/// The mean change of one instrument's headline between each client's
/// first and last measurement, after disclosure control.
pub struct OutcomeChange {
    pub instrument: String,
    pub clients: Figure,
    pub mean_change: Guarded,
}

pub struct ServiceReport {
    pub threshold: u32,
    pub rows: Vec<ServiceRow>,
    pub outcomes: Vec<OutcomeChange>,
}

fn count_figure(n: u64, threshold: u32) -> Figure {
    if n == 0 || disclosure::enough(n, threshold) { Figure::Shown(n) } else { Figure::Suppressed }
}

/// Time to answer, punctuality, usefulness and referral effects by centre,
/// and the outcome change per instrument over the whole selection.
pub async fn service_report(state: &AppState, selection: &Selection) -> Result<ServiceReport, AppError> {
    let threshold = state.config.statistics_threshold;
    let today = crate::consultations::outcomes::today();
    let rows = facts::service_counters(state.reader(), selection, today)
        .await?
        .into_iter()
        .map(|(centre, counters)| {
            let f = counters.figures();
            ServiceRow {
                centre,
                cases: count_figure(f.cases, threshold),
                median_days_to_answer: Guarded::new(f.median_days_to_answer, f.answered, threshold),
                p90_days_to_answer: Guarded::new(f.p90_days_to_answer, f.answered, threshold),
                on_time_share: Guarded::new(f.on_time_share, f.due, threshold),
                usefulness_mean: Guarded::new(f.usefulness_mean, f.with_feedback, threshold),
                referral_avoided_share: Guarded::new(f.referral_avoided_share, f.with_feedback, threshold),
                referral_initiated_share: Guarded::new(f.referral_initiated_share, f.with_referral, threshold),
            }
        })
        .collect();
    let sums = facts::outcome_sums(state.reader(), selection).await?;
    let outcomes = tukiverkko_domain::outcome::Instrument::ALL
        .iter()
        .map(|i| {
            let (clients, mean) = sums.get(i.as_str()).copied().unwrap_or((0, None));
            OutcomeChange {
                instrument: i.as_str().to_string(),
                clients: count_figure(clients, threshold),
                mean_change: Guarded::new(mean, clients, threshold),
            }
        })
        .collect();
    Ok(ServiceReport { threshold, rows, outcomes })
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::get;
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/api/v1/statistics/consultations", ViewStatistics, get(api::consultations)),
        route(Method::GET, "/api/v1/statistics/service", ViewStatistics, get(api::service)),
        route(Method::GET, "/statistics", ViewStatistics, get(page::statistics_page)),
    ]
}
