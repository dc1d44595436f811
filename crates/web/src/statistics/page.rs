//! The statistics page: a count table with its chart, the service figures
//! and the outcome change, each figure as the API gives it (after
//! disclosure control), with links to the same figures as CSV and XLSX.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use tukiverkko_domain::Language;
use tukiverkko_domain::disclosure::Figure;
use tukiverkko_domain::statistics::{Dimension, parse_dimensions};

use super::api::ConsultationQuery;
use super::{Guarded, Period, consultation_report, selection, service_report};
use crate::auth::{Require, cap};
use crate::charts::{self as chart, Bar};
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::i18n::{Lang, t};
use crate::labels;
use crate::state::AppState;
use crate::templates::{PageContext, render};

/// A dimension value as readers know it.
fn value_label(lang: Language, dim: Dimension, value: &str) -> String {
    match dim {
        Dimension::Centre => labels::centre(lang, value),
        Dimension::County => labels::county(lang, value),
        Dimension::Topic => labels::taxonomy(lang, value),
        Dimension::Urgency => t(lang, &format!("urgency-{value}")),
        Dimension::Format => t(lang, &format!("format-{value}")),
        Dimension::Status => t(lang, &format!("status-{value}")),
        Dimension::Month => value.to_string(),
    }
}

fn shown(f: Figure, threshold: u32) -> String {
    match f {
        Figure::Shown(n) => n.to_string(),
        Figure::Suppressed => format!("<{threshold}"),
    }
}

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct CountRow {
    pub labels: Vec<String>,
    pub count: String,
}

pub struct ServiceLine {
    pub centre: String,
    pub cases: String,
    pub median: String,
    pub p90: String,
    pub on_time: String,
    pub usefulness: String,
    pub avoided: String,
    pub initiated: String,
}

pub struct OutcomeLine {
    pub instrument: String,
    pub clients: String,
    pub change: String,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    page: PageContext,
    scope: String,
    first: Vec<Choice>,
    second: Vec<Choice>,
    from: String,
    to: String,
    headers: Vec<String>,
    rows: Vec<CountRow>,
    total: String,
    chart: String,
    threshold: u32,
    export_query: String,
    service: Vec<ServiceLine>,
    outcomes: Vec<OutcomeLine>,
}

fn number(lang: Language, g: Guarded, percent: bool) -> String {
    match g.value {
        Some(v) if percent => format!("{} %", crate::labels::decimal(lang, (v * 100.0 * 10.0).round() / 10.0)),
        Some(v) => crate::labels::decimal(lang, v),
        None if g.suppressed => t(lang, "stats-suppressed"),
        None => "–".into(),
    }
}

/// The dashboard for a coordinator's centre, or all centres for
/// researchers and administrators.
pub async fn statistics_page(
    State(state): State<AppState>,
    granted: Require<cap::ViewStatistics>,
    Lang(lang): Lang,
    QueryParams(q): QueryParams<ConsultationQuery>,
) -> Result<Response, AppError> {
    let first = q.by.as_deref().and_then(|b| b.split(',').next()).unwrap_or("centre").to_string();
    let second = q.by.as_deref().and_then(|b| b.split(',').nth(1)).unwrap_or("").to_string();
    let by_text = if second.is_empty() || second == first { first.clone() } else { format!("{first},{second}") };
    let by = parse_dimensions(&by_text).map_err(|e| AppError::invalid("by", e))?;
    let period = Period { from: q.from.clone(), to: q.to.clone() };
    let selection = selection(granted.account(), &period)?;
    let report = consultation_report(&state, &selection, &by).await?;
    let service = service_report(&state, &selection).await?;
    let threshold = report.threshold;

    let choices = |current: &str, with_none: bool| {
        let none =
            with_none.then(|| Choice { value: "", label: t(lang, "stats-by-none"), selected: current.is_empty() });
        none.into_iter()
            .chain(Dimension::ALL.iter().map(|d| Choice {
                value: d.as_str(),
                label: t(lang, &format!("stats-dim-{}", d.as_str())),
                selected: d.as_str() == current,
            }))
            .collect::<Vec<_>>()
    };
    let headers = by.iter().map(|d| t(lang, &format!("stats-dim-{}", d.as_str()))).collect();
    let rows = report
        .table
        .cells
        .iter()
        .map(|(key, f)| CountRow {
            labels: key.iter().zip(&by).map(|(v, d)| value_label(lang, *d, v)).collect(),
            count: shown(*f, threshold),
        })
        .collect();
    let bars: Vec<Bar> = report.table.totals[0]
        .iter()
        .map(|(v, f)| Bar {
            label: value_label(lang, by[0], v),
            value: match f {
                Figure::Shown(n) => Some(*n),
                Figure::Suppressed => None,
            },
        })
        .collect();
    let chart_title = t(lang, &format!("stats-dim-{}", by[0].as_str()));
    let service_lines = service
        .rows
        .iter()
        .map(|r| ServiceLine {
            centre: labels::centre(lang, &r.centre),
            cases: shown(r.cases, threshold),
            median: number(lang, r.median_days_to_answer, false),
            p90: number(lang, r.p90_days_to_answer, false),
            on_time: number(lang, r.on_time_share, true),
            usefulness: number(lang, r.usefulness_mean, false),
            avoided: number(lang, r.referral_avoided_share, true),
            initiated: number(lang, r.referral_initiated_share, true),
        })
        .collect();
    let outcomes = service
        .outcomes
        .iter()
        .map(|o| OutcomeLine {
            instrument: t(lang, &format!("instrument-{}", o.instrument)),
            clients: shown(o.clients, threshold),
            change: number(lang, o.mean_change, false),
        })
        .collect();
    let export_query = form_urlencoded::Serializer::new(String::new())
        .append_pair("by", &by_text)
        .append_pair("from", q.from.as_deref().unwrap_or(""))
        .append_pair("to", q.to.as_deref().unwrap_or(""))
        .finish();
    let scope = match &selection.centre {
        Some(c) => labels::centre(lang, c),
        None => t(lang, "stats-scope-all"),
    };
    let page = PageContext::new(lang, Some(&granted.principal), "/statistics", "stats-heading");
    Ok(render(
        StatusCode::OK,
        &StatisticsPage {
            page,
            scope,
            first: choices(&first, false),
            second: choices(&second, true),
            from: q.from.unwrap_or_default(),
            to: q.to.unwrap_or_default(),
            headers,
            rows,
            total: shown(report.table.total, threshold),
            chart: chart::bars(&chart_title, &bars, threshold),
            threshold,
            export_query,
            service: service_lines,
            outcomes,
        },
    ))
}
