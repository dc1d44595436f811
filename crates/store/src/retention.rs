//! The end of a finished case's retention period: its content — the
//! question, the statement, messages, meeting links, reasons, feedback
//! comments and the descriptions of outcome goals — is removed, while the
//! facts statistics count (and the scores of outcome measures) stay, and the
//! audit trail keeps who accessed the case and when (703/2023).

use tukiverkko_domain::audit::AuditAction;

use crate::audit::{self, AuditActor, AuditEvent};
use crate::{Db, Result, now, on_db, on_tx};

/// A finished case whose retention period has ended.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub id: String,
    pub reference: String,
    pub status: String,
    /// When it reached its final state (its last move), Unix seconds.
    pub finished_at: i64,
}

/// Closed, cancelled and declined cases finished before `before` whose
/// content is still there, oldest first.
pub async fn due(db: &Db, before: i64) -> Result<Vec<Due>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, reference, status, updated_at AS finished_at FROM consultations
         WHERE status IN ('closed', 'cancelled', 'declined') AND updated_at < $1 AND content_removed_at IS NULL
         ORDER BY updated_at, id")
        .bind(before).fetch_all(pool).await?))
}

/// Removes the content of one finished case, with its audit entry, in one
/// transaction. A case that has moved on since it was listed is left alone.
pub async fn remove_content(db: &Db, case: &Due, by: &AuditActor) -> Result<bool> {
    let mut tx = db.begin().await?;
    let t = now();
    let removed = on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE consultations SET question = '', background = '', tried = '', client_services = '',
             content_removed_at = $1, version = version + 1
         WHERE id = $2 AND content_removed_at IS NULL AND updated_at = $3")
        .bind(t).bind(&case.id).bind(case.finished_at).execute(conn).await?.rows_affected());
    if removed == 0 {
        return Ok(false);
    }
    for sql in [
        "UPDATE consultation_statements SET assessment = '', recommendations = '', suggested_methods = '', follow_up = ''
         WHERE consultation_id = $1",
        "UPDATE consultation_feedback SET comment = '' WHERE consultation_id = $1",
        "UPDATE consultation_events SET note = NULL WHERE consultation_id = $1",
        "UPDATE consultation_experts SET reason = NULL WHERE consultation_id = $1",
        "DELETE FROM consultation_messages WHERE consultation_id = $1",
        "DELETE FROM consultation_meetings WHERE consultation_id = $1",
    ] {
        on_tx!(&mut tx, conn => sqlx::query(sql).bind(&case.id).execute(conn).await?.rows_affected());
    }
    crate::consultations::outcomes::strip_descriptions(&mut tx, &case.id).await?;
    audit::append(&mut tx, AuditEvent::new(AuditAction::ContentRemoved).object("consultation", &case.id).by(by))
        .await?;
    tx.commit().await?;
    Ok(true)
}
