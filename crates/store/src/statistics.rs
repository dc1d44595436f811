//! The facts statistics are made of: one narrow row per sent case and the
//! headline figures of outcome measurements. No free text is read, so a
//! statistics query is not a read of case content.

use std::collections::BTreeMap;

use tukiverkko_domain::calendar;
use tukiverkko_domain::statistics::CaseFact;

use crate::{Db, Result, on_db};

/// Which cases count: one centre's or all, sent in `[from, until)` (Unix seconds).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub centre: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

impl Selection {
    fn bounds(&self) -> (i64, i64) {
        (self.from.unwrap_or(i64::MIN), self.until.unwrap_or(i64::MAX))
    }
}

#[derive(sqlx::FromRow)]
struct FactRow {
    id: String,
    centre: String,
    client_county: String,
    topics: String,
    urgency: String,
    format: String,
    status: String,
    submitted_at: i64,
    due_date: Option<String>,
    answered_at: Option<i64>,
    usefulness: Option<i64>,
    referral_avoided: Option<bool>,
    referral: Option<String>,
}

fn date_of(unix: i64) -> time::Date {
    calendar::to_helsinki(unix).date()
}

/// One fact per sent case of the selection (drafts never count).
pub async fn case_facts(db: &Db, selection: &Selection) -> Result<Vec<CaseFact>> {
    Ok(fact_rows(db, selection).await?.into_iter().map(|r| r.1).collect())
}

async fn fact_rows(db: &Db, selection: &Selection) -> Result<Vec<(String, CaseFact)>> {
    let (from, until) = selection.bounds();
    let rows: Vec<FactRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT c.id, c.centre, c.client_county, c.topics, c.urgency, c.format, c.status, c.submitted_at, c.due_date,
                s.first_at AS answered_at, f.usefulness, f.referral_avoided, f.referral
         FROM consultations c
         LEFT JOIN consultation_statements s ON s.consultation_id = c.id
         LEFT JOIN consultation_feedback f ON f.consultation_id = c.id
         WHERE c.submitted_at IS NOT NULL AND c.centre = COALESCE($1, c.centre)
           AND c.submitted_at >= $2 AND c.submitted_at < $3")
        .bind(&selection.centre).bind(from).bind(until).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|r| {
            let sent = calendar::to_helsinki(r.submitted_at);
            let fact = CaseFact {
                centre: r.centre,
                county: r.client_county,
                topics: r.topics.split(';').filter(|t| !t.is_empty()).map(String::from).collect(),
                urgency: r.urgency,
                format: r.format,
                month: format!("{:04}-{:02}", sent.year(), sent.month() as u8),
                status: r.status,
                sent_on: Some(sent.date()),
                due_on: r
                    .due_date
                    .as_deref()
                    .and_then(|d| time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE).ok()),
                answered_on: r.answered_at.map(date_of),
                usefulness: r.usefulness.and_then(|u| u8::try_from(u).ok()),
                referral_avoided: r.referral_avoided,
                referral: r.referral,
            };
            (r.id, fact)
        })
        .collect())
}

/// Headline figures per instrument and case, `(measured_on, headline)`,
/// for the cases of the selection.
pub async fn outcome_series(
    db: &Db,
    selection: &Selection,
) -> Result<BTreeMap<String, BTreeMap<String, Vec<(String, f64)>>>> {
    let (from, until) = selection.bounds();
    let rows: Vec<(String, String, String, f64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT o.instrument, o.consultation_id, o.measured_on, o.headline
         FROM consultation_outcomes o JOIN consultations c ON c.id = o.consultation_id
         WHERE c.submitted_at IS NOT NULL AND c.centre = COALESCE($1, c.centre)
           AND c.submitted_at >= $2 AND c.submitted_at < $3")
        .bind(&selection.centre).bind(from).bind(until).fetch_all(pool).await?);
    let mut series: BTreeMap<String, BTreeMap<String, Vec<(String, f64)>>> = BTreeMap::new();
    for (instrument, case, on, headline) in rows {
        series.entry(instrument).or_default().entry(case).or_default().push((on, headline));
    }
    Ok(series)
}
