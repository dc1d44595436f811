//! Reading the counters: each dashboard figure is a `GROUP BY` over the
//! counters of one family, within the selection's months and centre.

use std::collections::BTreeMap;

use tukiverkko_domain::statistics::Dimension;
use tukiverkko_domain::statistics::cells::{Kind, ServiceCounters, is_value_dimension, mean_of};

use super::Selection;
use crate::{Db, Result, on_db};

/// Cases counted by `dims` (none, one or two, in the caller's order), as
/// `(values in that order, cases)`, without empty cells. A case about
/// several topics counts under each.
pub async fn counts(db: &Db, selection: &Selection, dims: &[Dimension]) -> Result<Vec<(Vec<String>, u64)>> {
    let mut values: Vec<Dimension> = dims.iter().copied().filter(|d| is_value_dimension(*d)).collect();
    values.sort();
    let dim_a = values.first().map_or("", |d| d.as_str());
    let dim_b = values.get(1).map_or("", |d| d.as_str());
    let by_centre = dims.contains(&Dimension::Centre);
    let by_month = dims.contains(&Dimension::Month);
    let (from, to) = selection.months();
    // Centre and month are key columns: grouped when asked for, otherwise
    // summed over (the CASE turns them into one constant group).
    let rows: Vec<(String, String, String, String, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT CASE WHEN $1 THEN centre ELSE '' END AS g_centre, CASE WHEN $2 THEN month ELSE '' END AS g_month,
                val_a, val_b, CAST(SUM(n) AS BIGINT) AS n
         FROM statistics_cells
         WHERE kind = 'count' AND dim_a = $3 AND dim_b = $4 AND month >= $5 AND month <= $6
           AND centre = COALESCE($7, centre)
         GROUP BY 1, 2, val_a, val_b
         HAVING SUM(n) > 0")
        .bind(by_centre).bind(by_month).bind(dim_a).bind(dim_b).bind(&from).bind(&to).bind(&selection.centre)
        .fetch_all(pool).await?);
    let mut out: Vec<(Vec<String>, u64)> = rows
        .into_iter()
        .map(|(centre, month, val_a, val_b, n)| {
            let key = dims
                .iter()
                .map(|d| match d {
                    Dimension::Centre => centre.clone(),
                    Dimension::Month => month.clone(),
                    d if Some(d) == values.first() => val_a.clone(),
                    _ => val_b.clone(),
                })
                .collect();
            (key, n.max(0) as u64)
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The service counters of each centre in the selection, with unanswered
/// cases counted late when their due date is before `today`.
pub async fn service_counters(
    db: &Db,
    selection: &Selection,
    today: time::Date,
) -> Result<BTreeMap<String, ServiceCounters>> {
    let (from, to) = selection.months();
    let rows: Vec<(String, String, String, String, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT kind, centre, val_a, val_b, CAST(SUM(n) AS BIGINT) AS n
         FROM statistics_cells
         WHERE ((kind = 'count' AND dim_a = '' AND dim_b = '') OR kind IN ('answer', 'feedback', 'referral'))
           AND month >= $1 AND month <= $2 AND centre = COALESCE($3, centre)
         GROUP BY kind, centre, val_a, val_b
         HAVING SUM(n) > 0
         UNION ALL
         SELECT 'pending', centre, '', '', CAST(SUM(n) AS BIGINT)
         FROM statistics_cells
         WHERE kind = 'pending' AND dim_a = 'due_on' AND dim_b = '' AND val_a < $4
           AND month >= $1 AND month <= $2 AND centre = COALESCE($3, centre)
         GROUP BY centre
         HAVING SUM(n) > 0")
        .bind(&from).bind(&to).bind(&selection.centre).bind(today.to_string())
        .fetch_all(pool).await?);
    let mut by_centre: BTreeMap<String, ServiceCounters> = BTreeMap::new();
    for (kind, centre, val_a, val_b, n) in rows {
        let c = by_centre.entry(centre).or_default();
        let n = n.max(0) as u64;
        match kind.as_str() {
            "count" => c.cases += n,
            "answer" => c.answers.push((val_a.parse().unwrap_or(0), val_b, n)),
            "pending" => c.overdue += n,
            "feedback" => c.feedback.push((val_a.parse().unwrap_or(0), val_b == "1", n)),
            "referral" => c.referrals.push((val_a, n)),
            _ => {}
        }
    }
    for c in by_centre.values_mut() {
        c.answers.sort_by_key(|a| a.0);
    }
    Ok(by_centre)
}

/// Per instrument, how many clients were measured at least twice and
/// their mean change between first and last measurement.
pub async fn outcome_sums(db: &Db, selection: &Selection) -> Result<BTreeMap<String, (u64, Option<f64>)>> {
    let (from, to) = selection.months();
    let rows: Vec<(String, i64, f64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT val_a, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS DOUBLE PRECISION)
         FROM statistics_cells
         WHERE kind = $1 AND dim_a = 'instrument' AND dim_b = '' AND month >= $2 AND month <= $3
           AND centre = COALESCE($4, centre)
         GROUP BY val_a
         HAVING SUM(n) > 0")
        .bind(Kind::Outcome.as_str()).bind(&from).bind(&to).bind(&selection.centre)
        .fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(instrument, n, sum)| {
            let n = n.max(0) as u64;
            (instrument, (n, mean_of(n, sum)))
        })
        .collect())
}
