//! What an outside system needs to filter a caller's cases before opening
//! any of them: change time and progress, no case content. Searches
//! (the FHIR facade's) filter and page on this, so only the cases of the
//! page are opened, and so audited as reads.

use crate::{Db, Result, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Progress {
    pub id: String,
    pub status: String,
    pub centre: String,
    pub topics: String,
    pub urgency: String,
    pub updated_at: i64,
    /// An expert on the panel has accepted: the work is under way.
    pub accepted: bool,
    pub has_feedback: bool,
}

/// Progress of the given cases (ids from [`super::list`], which applies
/// the access rule), in the order given; unknown ids are left out.
pub async fn progress(db: &Db, ids: &[String]) -> Result<Vec<Progress>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row: Option<Progress> = on_db!(db, pool => sqlx::query_as(
            "SELECT c.id, c.status, c.centre, c.topics, c.urgency, c.updated_at,
                    EXISTS (SELECT 1 FROM consultation_experts e WHERE e.consultation_id = c.id AND e.state = 'accepted') AS accepted,
                    EXISTS (SELECT 1 FROM consultation_feedback f WHERE f.consultation_id = c.id) AS has_feedback
             FROM consultations c WHERE c.id = $1")
            .bind(id).fetch_optional(pool).await?);
        out.extend(row);
    }
    Ok(out)
}
