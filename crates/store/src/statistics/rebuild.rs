//! Counting every case again from scratch: after an upgrade to the
//! pre-aggregated counters (cases sent before it), and as an operator's
//! check (`tukiverkko statistics rebuild`) that the counters match the cases.

use std::collections::{BTreeMap, HashMap};

use tukiverkko_domain::statistics::CaseFact;
use tukiverkko_domain::statistics::cells::{self, CellKey, Delta};

use super::{FACT_SELECT, FactRow, Series, changes_of, outcomes_text, refresh_case};
use crate::{Db, Result, on_tx};

/// Cases read per round trip while rebuilding.
const BATCH: i64 = 5_000;

/// Counts the sent cases that have no counted fact yet, one transaction
/// each (what a database upgraded from before the counters holds). Returns
/// how many were counted.
pub async fn backfill(db: &Db) -> Result<u64> {
    let ids: Vec<String> = crate::on_db!(db, pool => sqlx::query_scalar(
        "SELECT c.id FROM consultations c
         WHERE c.submitted_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM statistics_cases s WHERE s.consultation_id = c.id)")
        .fetch_all(pool).await?);
    for id in &ids {
        let mut tx = db.begin().await?;
        refresh_case(&mut tx, id).await?;
        tx.commit().await?;
    }
    Ok(ids.len() as u64)
}

/// Throws the counters away and counts every sent case again, in one
/// transaction, so readers see the old counters or the new ones. Returns
/// how many cases were counted; `progress` hears the running count.
pub async fn rebuild(db: &Db, mut progress: impl FnMut(u64)) -> Result<u64> {
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM statistics_cells").execute(conn).await?.rows_affected());
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM statistics_cases").execute(conn).await?.rows_affected());
    let mut sums: HashMap<CellKey, Delta> = HashMap::new();
    let mut after = String::new();
    let mut counted = 0u64;
    let sql = format!("{FACT_SELECT} WHERE c.submitted_at IS NOT NULL AND c.id > $1 ORDER BY c.id LIMIT $2");
    loop {
        let rows: Vec<FactRow> = on_tx!(&mut tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&after).bind(BATCH).fetch_all(conn).await?);
        let Some(last) = rows.last().map(|r| r.id.clone()) else { break };
        let measured: Vec<(String, String, String, f64)> = on_tx!(&mut tx, conn => sqlx::query_as(
            "SELECT consultation_id, instrument, measured_on, headline FROM consultation_outcomes
             WHERE consultation_id > $1 AND consultation_id <= $2")
            .bind(&after).bind(&last).fetch_all(conn).await?);
        let mut series: Series = BTreeMap::new();
        for (case, instrument, on, headline) in measured {
            series.entry(case).or_default().entry(instrument).or_default().push((on, headline));
        }
        let facts: Vec<(String, CaseFact)> = rows
            .into_iter()
            .map(|r| {
                let changes = changes_of(&series, &r.id);
                (r.id.clone(), r.into_fact(changes))
            })
            .collect();
        for (_, fact) in &facts {
            for (key, d) in cells::contribution(fact) {
                let e = sums.entry(key).or_default();
                e.n += d.n;
                e.sum += d.sum;
            }
        }
        insert_facts(&mut tx, &facts).await?;
        counted += facts.len() as u64;
        progress(counted);
        after = last;
    }
    let cells: Vec<(CellKey, Delta)> = sums.into_iter().collect();
    for chunk in cells.chunks(2_000) {
        on_tx!(&mut tx, conn => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO statistics_cells (kind, dim_a, dim_b, month, centre, val_a, val_b, n, total) ");
            q.push_values(chunk, |mut b, (k, d)| {
                b.push_bind(k.kind.as_str()).push_bind(&k.dim_a).push_bind(&k.dim_b).push_bind(&k.month)
                    .push_bind(&k.centre).push_bind(&k.val_a).push_bind(&k.val_b).push_bind(d.n).push_bind(d.sum);
            });
            q.build().execute(conn).await?.rows_affected()
        });
    }
    tx.commit().await?;
    Ok(counted)
}

async fn insert_facts(tx: &mut crate::Tx, facts: &[(String, CaseFact)]) -> Result<()> {
    for chunk in facts.chunks(1_000) {
        on_tx!(tx, conn => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO statistics_cases (consultation_id, centre, county, topics, urgency, format, month, status,
                     sent_on, due_on, answered_on, usefulness, referral_avoided, referral, outcomes) ");
            q.push_values(chunk, |mut b, (id, f)| {
                b.push_bind(id).push_bind(&f.centre).push_bind(&f.county).push_bind(f.topics.join(";"))
                    .push_bind(&f.urgency).push_bind(&f.format).push_bind(&f.month).push_bind(&f.status)
                    .push_bind(f.sent_on.map(|d| d.to_string())).push_bind(f.due_on.map(|d| d.to_string()))
                    .push_bind(f.answered_on.map(|d| d.to_string())).push_bind(f.usefulness.map(i64::from))
                    .push_bind(f.referral_avoided).push_bind(f.referral.clone()).push_bind(outcomes_text(f));
            });
            q.build().execute(conn).await?.rows_affected()
        });
    }
    Ok(())
}
