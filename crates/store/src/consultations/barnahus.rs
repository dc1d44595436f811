//! The coordinator's Barnahus decision. Until it is made, the panel's police
//! and prosecution members are refused the case where every access passes
//! ([`super::Opened::open`]); the decision opens it to them.

use tukiverkko_domain::audit::AuditAction;
use tukiverkko_domain::consultation::Action;

use super::{Actor, CaseRow, Opened};
use crate::{Db, Result, StoreError, now, on_tx};

/// Marks the case for Barnahus co-operation. The typed audit entry (written
/// by the opening), the mark and the case event commit together; a second
/// mark is a conflict, so the trail holds one decision.
pub async fn mark_barnahus(db: &Db, id: &str, actor: &Actor) -> Result<CaseRow> {
    let mut opened = Opened::open(db, id, actor, AuditAction::BarnahusMarked.as_str()).await?;
    let (_, to) = opened.check(Action::MarkBarnahus)?;
    if opened.case.barnahus_at.is_some() {
        return Err(StoreError::Conflict("the consultation is already marked for Barnahus co-operation".into()));
    }
    on_tx!(&mut opened.tx, conn => sqlx::query("UPDATE consultations SET barnahus_at = $1, barnahus_by = $2 WHERE id = $3")
        .bind(now()).bind(&actor.account.id).bind(id).execute(conn).await?.rows_affected());
    opened.finish(Action::MarkBarnahus, to, None).await
}
