//! Statistics from pre-aggregated counters ([`cells`]): every move of a
//! case updates the counters in its own transaction, so a dashboard over a
//! million cases sums a few thousand rows. No free text is read, so a
//! statistics query is not a read of case content.
//!
//! The fact each case was last counted with is kept in `statistics_cases`,
//! so its old contribution can be taken away exactly when it changes.

mod counters;
mod rebuild;

use std::collections::BTreeMap;

use tukiverkko_domain::calendar;
use tukiverkko_domain::statistics::CaseFact;
use tukiverkko_domain::statistics::cells::{self, CellKey, Delta};

pub use counters::{counts, outcome_sums, service_counters};
pub use rebuild::{backfill, rebuild};

use crate::{Result, Tx, on_tx};

/// Which cases count: one centre's or all, sent in the months `from..=to`
/// (`YYYY-MM`, Helsinki time).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub centre: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Selection {
    fn months(&self) -> (String, String) {
        (self.from.clone().unwrap_or_default(), self.to.clone().unwrap_or_else(|| "9999-99".into()))
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

/// The columns a case's fact is read from; `WHERE` and order follow.
const FACT_SELECT: &str = "SELECT c.id, c.centre, c.client_county, c.topics, c.urgency, c.format, c.status,
        c.submitted_at, c.due_date, s.first_at AS answered_at, f.usefulness, f.referral_avoided, f.referral
     FROM consultations c
     LEFT JOIN consultation_statements s ON s.consultation_id = c.id
     LEFT JOIN consultation_feedback f ON f.consultation_id = c.id";

fn iso_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, &time::format_description::well_known::Iso8601::DATE).ok()
}

impl FactRow {
    fn into_fact(self, outcome_changes: Vec<(String, f64)>) -> CaseFact {
        let sent = calendar::to_helsinki(self.submitted_at);
        CaseFact {
            centre: self.centre,
            county: self.client_county,
            topics: self.topics.split(';').filter(|t| !t.is_empty()).map(String::from).collect(),
            urgency: self.urgency,
            format: self.format,
            month: format!("{:04}-{:02}", sent.year(), sent.month() as u8),
            status: self.status,
            sent_on: Some(sent.date()),
            due_on: self.due_date.as_deref().and_then(iso_date),
            answered_on: self.answered_at.map(|t| calendar::to_helsinki(t).date()),
            usefulness: self.usefulness.and_then(|u| u8::try_from(u).ok()),
            referral_avoided: self.referral_avoided,
            referral: self.referral,
            outcome_changes,
        }
    }
}

/// Per case, per instrument, the headline figures in order of measurement.
type Series = BTreeMap<String, BTreeMap<String, Vec<(String, f64)>>>;

fn changes_of(series: &Series, case: &str) -> Vec<(String, f64)> {
    series.get(case).map(cells::outcome_changes).unwrap_or_default()
}

/// The fact a case counts with now: `None` for a draft (or a case that is gone).
async fn current_fact(tx: &mut Tx, id: &str) -> Result<Option<CaseFact>> {
    let sql = format!("{FACT_SELECT} WHERE c.id = $1 AND c.submitted_at IS NOT NULL");
    let row: Option<FactRow> =
        on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?);
    let Some(row) = row else { return Ok(None) };
    let measured: Vec<(String, String, f64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT instrument, measured_on, headline FROM consultation_outcomes WHERE consultation_id = $1")
        .bind(id).fetch_all(conn).await?);
    let mut series: Series = BTreeMap::new();
    for (instrument, on, headline) in measured {
        series.entry(id.to_string()).or_default().entry(instrument).or_default().push((on, headline));
    }
    Ok(Some(row.into_fact(changes_of(&series, id))))
}

#[derive(sqlx::FromRow)]
struct StoredFact {
    centre: String,
    county: String,
    topics: String,
    urgency: String,
    format: String,
    month: String,
    status: String,
    sent_on: Option<String>,
    due_on: Option<String>,
    answered_on: Option<String>,
    usefulness: Option<i64>,
    referral_avoided: Option<bool>,
    referral: Option<String>,
    outcomes: String,
}

impl StoredFact {
    fn into_fact(self) -> CaseFact {
        CaseFact {
            centre: self.centre,
            county: self.county,
            topics: self.topics.split(';').filter(|t| !t.is_empty()).map(String::from).collect(),
            urgency: self.urgency,
            format: self.format,
            month: self.month,
            status: self.status,
            sent_on: self.sent_on.as_deref().and_then(iso_date),
            due_on: self.due_on.as_deref().and_then(iso_date),
            answered_on: self.answered_on.as_deref().and_then(iso_date),
            usefulness: self.usefulness.and_then(|u| u8::try_from(u).ok()),
            referral_avoided: self.referral_avoided,
            referral: self.referral,
            outcome_changes: self
                .outcomes
                .split(';')
                .filter_map(|o| {
                    let (i, c) = o.split_once('=')?;
                    Some((i.to_string(), c.parse().ok()?))
                })
                .collect(),
        }
    }
}

fn outcomes_text(fact: &CaseFact) -> String {
    fact.outcome_changes.iter().map(|(i, c)| format!("{i}={c}")).collect::<Vec<_>>().join(";")
}

/// Brings the counters up to date with case `id`, inside the transaction
/// that changed it: its old contribution out, its new one in. Every write
/// that changes what statistics count (sending, moves, the statement,
/// feedback, outcome measurements) calls this before it commits.
pub async fn refresh_case(tx: &mut Tx, id: &str) -> Result<()> {
    let stored: Option<StoredFact> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT centre, county, topics, urgency, format, month, status, sent_on, due_on, answered_on,
                usefulness, referral_avoided, referral, outcomes
         FROM statistics_cases WHERE consultation_id = $1")
        .bind(id).fetch_optional(conn).await?);
    let old = stored.map(StoredFact::into_fact);
    let new = current_fact(tx, id).await?;
    let diff = cells::difference(old.as_ref(), new.as_ref());
    if diff.is_empty() && old.is_some() == new.is_some() {
        return Ok(());
    }
    for (key, delta) in &diff {
        add_to_cell(tx, key, *delta).await?;
    }
    on_tx!(tx, conn => sqlx::query("DELETE FROM statistics_cases WHERE consultation_id = $1")
        .bind(id).execute(conn).await?.rows_affected());
    if let Some(fact) = &new {
        store_fact(tx, id, fact).await?;
    }
    Ok(())
}

async fn add_to_cell(tx: &mut Tx, key: &CellKey, delta: Delta) -> Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO statistics_cells (kind, dim_a, dim_b, month, centre, val_a, val_b, n, total)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (kind, dim_a, dim_b, month, centre, val_a, val_b)
         DO UPDATE SET n = statistics_cells.n + excluded.n, total = statistics_cells.total + excluded.total")
        .bind(key.kind.as_str()).bind(&key.dim_a).bind(&key.dim_b).bind(&key.month).bind(&key.centre)
        .bind(&key.val_a).bind(&key.val_b).bind(delta.n).bind(delta.sum)
        .execute(conn).await?.rows_affected());
    Ok(())
}

async fn store_fact(tx: &mut Tx, id: &str, fact: &CaseFact) -> Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO statistics_cases (consultation_id, centre, county, topics, urgency, format, month, status,
             sent_on, due_on, answered_on, usefulness, referral_avoided, referral, outcomes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
        .bind(id).bind(&fact.centre).bind(&fact.county).bind(fact.topics.join(";")).bind(&fact.urgency)
        .bind(&fact.format).bind(&fact.month).bind(&fact.status)
        .bind(fact.sent_on.map(|d| d.to_string())).bind(fact.due_on.map(|d| d.to_string()))
        .bind(fact.answered_on.map(|d| d.to_string())).bind(fact.usefulness.map(i64::from))
        .bind(fact.referral_avoided).bind(&fact.referral).bind(outcomes_text(fact))
        .execute(conn).await?.rows_affected());
    Ok(())
}
