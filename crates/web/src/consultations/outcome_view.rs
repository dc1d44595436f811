//! The case page's outcome section: each instrument's course over time as
//! a chart and a table (with the change from the first measurement), and
//! the forms to record one, which go through [`super::outcomes::check`]
//! like the API.

use tukiverkko_domain::Language;
use tukiverkko_domain::consultation::may_record_outcome;
use tukiverkko_domain::outcome::{Instrument, Measurement, honosca_total};
use tukiverkko_store::consultations::{CaseDetail, Outcome};

use super::outcomes::{GoalInput, NewOutcome};
use crate::extract::FormFields;
use crate::i18n::{t, t_args};
use crate::labels;

/// Goal rows the GAS form offers (the API takes up to 20).
pub const GAS_FORM_GOALS: usize = 5;

pub struct CourseRow {
    pub date: String,
    pub value: String,
    /// The change from the first measurement, signed ("+18,605", "−4").
    pub change: String,
    pub detail: String,
}

pub struct Course {
    pub instrument: &'static str,
    pub title: String,
    pub chart: String,
    pub rows: Vec<CourseRow>,
}

pub struct OutcomeSection {
    pub courses: Vec<Course>,
    /// Whether the reader may record measurements here.
    pub may_record: bool,
    pub today: String,
    pub goal_rows: Vec<usize>,
    pub honosca_items: Vec<usize>,
}

fn signed(lang: Language, v: f64) -> String {
    if v > 0.0 { format!("+{}", crate::labels::decimal(lang, v)) } else { crate::labels::decimal(lang, v) }
}

fn detail(lang: Language, m: &Measurement) -> String {
    match m {
        Measurement::Gas(goals) => t_args(lang, "outcome-goals", &[("n", goals.len().to_string())]),
        Measurement::Cgas(score) => {
            let (low, high) = tukiverkko_domain::outcome::cgas_band(*score).range();
            format!("{low}–{high}")
        }
        Measurement::Honosca(items) => t_args(lang, "outcome-rated", &[("n", honosca_total(items).rated.to_string())]),
        Measurement::Sdq(s) => t(lang, &format!("informant-{}", s.informant.as_str())),
    }
}

pub fn section(lang: Language, detail_of_case: &CaseDetail) -> OutcomeSection {
    let outcomes: &[Outcome] = &detail_of_case.outcomes;
    let courses = tukiverkko_store::consultations::instruments(outcomes)
        .into_iter()
        .map(|instrument| {
            let series: Vec<&Outcome> = outcomes.iter().filter(|o| o.measurement.instrument() == instrument).collect();
            let first = series.first().map(|o| o.measurement.headline()).unwrap_or_default();
            let title = t(lang, &format!("instrument-{}", instrument.as_str()));
            let points: Vec<(String, f64)> =
                series.iter().map(|o| (labels::date(lang, &o.measured_on), o.measurement.headline())).collect();
            Course {
                instrument: instrument.as_str(),
                chart: crate::charts::course(&title, &points),
                title,
                rows: series
                    .iter()
                    .enumerate()
                    .map(|(i, o)| CourseRow {
                        date: labels::date(lang, &o.measured_on),
                        value: crate::labels::decimal(lang, o.measurement.headline()),
                        change: if i == 0 { String::new() } else { signed(lang, o.measurement.headline() - first) },
                        detail: detail(lang, &o.measurement),
                    })
                    .collect(),
            }
        })
        .collect();
    OutcomeSection {
        courses,
        may_record: may_record_outcome(detail_of_case.case.status(), &detail_of_case.parties),
        today: super::outcomes::today().to_string(),
        goal_rows: (0..GAS_FORM_GOALS).collect(),
        honosca_items: (1..=15).collect(),
    }
}

/// The measurement a case-page form sends, in the API's shape. Empty goal
/// rows are left out; empty numbers are missing, so the check names them.
pub fn from_form(f: &FormFields) -> NewOutcome {
    let number = |name: &str| f.one(name).trim().parse::<i64>().ok();
    let instrument = f.one("instrument");
    let mut input =
        NewOutcome { instrument: instrument.clone(), measured_on: f.one("measured_on"), ..Default::default() };
    match instrument.parse::<Instrument>() {
        Ok(Instrument::Gas) => {
            let goals = (0..GAS_FORM_GOALS)
                .filter_map(|i| {
                    let description = f.one(&format!("goal{i}_description"));
                    let level = f.one(&format!("goal{i}_level"));
                    if description.trim().is_empty() && level.is_empty() {
                        return None;
                    }
                    Some(GoalInput {
                        weight: f.one(&format!("goal{i}_weight")).trim().replace(',', ".").parse().unwrap_or(1.0),
                        level: level.parse().unwrap_or(i64::MIN),
                        description: Some(description),
                    })
                })
                .collect();
            input.goals = Some(goals);
        }
        Ok(Instrument::Cgas) => input.score = number("score"),
        Ok(Instrument::Honosca) => {
            input.items = Some((1..=15).map(|i| number(&format!("item{i}")).unwrap_or(-1)).collect());
        }
        Ok(Instrument::Sdq) => {
            input.informant = Some(f.one("informant"));
            input.total = number("total");
            input.emotional = number("emotional");
            input.conduct = number("conduct");
            input.hyperactivity = number("hyperactivity");
            input.peer = number("peer");
            input.prosocial = number("prosocial");
            input.impact = number("impact");
        }
        Err(_) => {}
    }
    input
}
