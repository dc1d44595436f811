//! The lists on each role's home page: a requester's own requests, an
//! expert's assignments, a coordinator's queue and their experts' workload.
//! Only case summaries (no free text), so showing them is not a read of
//! case content.

use tukiverkko_domain::CentreCode;

use super::CaseSummary;
use crate::{Db, Result, on_db};

/// A query selecting [`CaseSummary`] columns of `consultations c`, and more.
macro_rules! summaries {
    ($more:literal, $rest:literal) => {
        concat!(
            "SELECT c.id, c.reference, c.centre, c.status, c.topics, c.urgency, c.format, c.created_at, c.due_date",
            $more,
            " ",
            $rest
        )
    };
}

/// A case an expert takes part in, with their part.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignedCase {
    #[sqlx(flatten)]
    pub case: CaseSummary,
    pub state: String,
    pub is_lead: bool,
}

/// How loaded one of a centre's experts is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Workload {
    pub expert_id: String,
    pub given_name: String,
    pub family_name: String,
    /// Cases being worked on (assigned, part not declined).
    pub active: i64,
    pub capacity: i64,
    pub accepts_consultations: bool,
}

/// The requests the account made that are still open or wait for its
/// feedback, oldest due date first, drafts last.
pub async fn requested_by(db: &Db, account_id: &str) -> Result<Vec<CaseSummary>> {
    let sql = summaries!(
        "",
        "FROM consultations c
         WHERE c.requester_id = $1 AND c.status IN ('draft', 'submitted', 'assigned', 'answered')
         ORDER BY CASE WHEN c.due_date IS NULL THEN 1 ELSE 0 END, c.due_date, c.created_at DESC"
    );
    Ok(on_db!(db, pool => sqlx::query_as(sql).bind(account_id).fetch_all(pool).await?))
}

/// The cases the expert works on now (their part not declined).
pub async fn assigned_to(db: &Db, expert_id: &str) -> Result<Vec<AssignedCase>> {
    let sql = summaries!(
        ", e.state, e.is_lead",
        "FROM consultations c
         JOIN consultation_experts e ON e.consultation_id = c.id
         WHERE e.expert_id = $1 AND e.state <> 'declined' AND c.status = 'assigned'
         ORDER BY CASE WHEN c.due_date IS NULL THEN 1 ELSE 0 END, c.due_date, c.created_at"
    );
    Ok(on_db!(db, pool => sqlx::query_as(sql).bind(expert_id).fetch_all(pool).await?))
}

/// The centre's open cases; the page orders them by what needs doing.
pub async fn centre_queue(db: &Db, centre: CentreCode) -> Result<Vec<CaseSummary>> {
    let sql = summaries!(
        "",
        "FROM consultations c
         WHERE c.centre = $1 AND c.status IN ('submitted', 'assigned', 'answered')
         ORDER BY CASE WHEN c.due_date IS NULL THEN 1 ELSE 0 END, c.due_date, c.created_at"
    );
    Ok(on_db!(db, pool => sqlx::query_as(sql).bind(centre.as_str()).fetch_all(pool).await?))
}

/// The centre's experts with their number of active cases, busiest first.
pub async fn workload(db: &Db, centre: CentreCode) -> Result<Vec<Workload>> {
    let rows = on_db!(db, pool => sqlx::query_as(
        "SELECT x.id AS expert_id, x.given_name, x.family_name, x.capacity, x.accepts_consultations,
                (SELECT COUNT(*) FROM consultation_experts e JOIN consultations c ON c.id = e.consultation_id
                  WHERE e.expert_id = x.id AND e.state <> 'declined' AND c.status = 'assigned') AS active
         FROM experts x WHERE x.centre = $1
         ORDER BY active DESC, x.family_name, x.given_name")
        .bind(centre.as_str()).fetch_all(pool).await?);
    Ok(rows)
}
