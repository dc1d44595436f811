//! Who may open a case, and as which party.

use tukiverkko_domain::consultation::{Action, Party, Status, TransitionError, awaits_barnahus, transition};
use tukiverkko_domain::{CentreCode, Role};

use super::{CaseRow, fetch, fetch_for_update};
use crate::accounts::Account;
use crate::audit;
use crate::{Db, Result, StoreError, Tx, now, on_tx, secrets};

/// The signed-in user acting on cases, with what the audit trail needs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account: Account,
    /// The user's own directory profile, when they are an expert.
    pub expert_id: Option<String>,
    /// An administrator's break-glass access with its written reason,
    /// recorded as the purpose of every access it opens.
    pub break_glass: Option<BreakGlass>,
    /// The actor as the audit trail records them, with their origin.
    pub by: audit::AuditActor,
    /// The case version the caller last read, for a move: when the case has
    /// changed since, the move is refused as a conflict.
    pub expected_version: Option<i64>,
}

impl Actor {
    /// The same actor, moving a case they read at `version`.
    pub fn expecting(mut self, version: Option<i64>) -> Self {
        self.expected_version = version;
        self
    }

    pub fn coordinator_centre(&self) -> Option<CentreCode> {
        if self.account.has_role(Role::Coordinator) { self.account.centre } else { None }
    }

    fn breaks_glass(&self) -> bool {
        self.break_glass.is_some()
    }
}

/// Proof that an administrator gave a written reason to open cases they
/// take no part in (the break-glass step); nobody else can hold one.
#[derive(Debug, Clone)]
pub struct BreakGlass {
    reason: String,
}

impl BreakGlass {
    /// The proof, when `account` is an administrator and `reason` says something.
    pub fn new(account: &Account, reason: &str) -> Option<Self> {
        let reason = reason.trim();
        (account.has_role(Role::Admin) && !reason.is_empty()).then(|| Self { reason: reason.to_string() })
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// A case opened in a transaction by one of its parties.
pub struct Opened {
    pub tx: Tx,
    pub case: CaseRow,
    pub parties: Vec<Party>,
    pub actor: Actor,
}

impl Opened {
    /// Opens the case and audits the access as `action`. A case the actor
    /// has no part in is `NotFound`, exactly like a missing one; the refused
    /// attempt is still recorded.
    pub async fn open(db: &Db, id: &str, actor: &Actor, action: &str) -> Result<Opened> {
        let mut tx = db.begin().await?;
        // The case row stays locked until the move commits, so concurrent
        // moves queue on both backends (SQLite's write lock does the same).
        let Some(case) = fetch_for_update(&mut tx, id).await? else {
            drop(tx);
            audit::record_refusal(db, actor.event(action, id).outcome("not_found")).await?;
            return Err(StoreError::NotFound);
        };
        let (parties, sector) = parties_of(&mut tx, &case, actor).await?;
        if parties.is_empty() && !actor.breaks_glass() {
            drop(tx);
            audit::record_refusal(db, actor.event(action, id).outcome("denied")).await?;
            return Err(StoreError::NotFound);
        }
        // The Barnahus rule, here where every read and move of a case
        // passes: police and prosecution on the panel wait for the
        // coordinator's decision. They know the case exists (it is on their
        // list), so the answer says why instead of pretending it is missing.
        if awaits_barnahus(&parties, sector.as_deref(), case.barnahus_at.is_some()) {
            drop(tx);
            audit::record_refusal(db, actor.event(action, id).outcome("awaiting_barnahus")).await?;
            return Err(StoreError::AwaitingBarnahus { reference: case.reference });
        }
        let action = if parties.is_empty() { format!("{action}.break_glass") } else { action.to_string() };
        audit::append(&mut tx, actor.event(&action, id)).await?;
        if let Some(expected) = actor.expected_version
            && expected != case.version
        {
            return Err(StoreError::Conflict(format!(
                "the consultation changed after you read it (version {expected}, now {}); reload and try again",
                case.version
            )));
        }
        Ok(Opened { tx, case, parties, actor: actor.clone() })
    }

    /// The state after `action` by the first of the actor's parties allowed
    /// to do it. Break-glass access never changes a case.
    pub fn check(&self, action: Action) -> Result<(Party, Status)> {
        let mut wrong_state = None;
        for &party in &self.parties {
            match transition(self.case.status(), action, party) {
                Ok(to) => return Ok((party, to)),
                Err(e @ TransitionError::WrongState { .. }) => wrong_state = Some(e),
                Err(TransitionError::NotAllowed) => {}
            }
        }
        match wrong_state {
            Some(e) => Err(StoreError::Conflict(e.to_string())),
            None if self.parties.is_empty() => Err(StoreError::NotFound),
            None => Err(StoreError::Forbidden),
        }
    }

    /// Records the move (status with an optimistic version check, the event
    /// with who and when) and commits.
    pub async fn finish(mut self, action: Action, to: Status, note: Option<&str>) -> Result<CaseRow> {
        let from = self.case.status();
        let t = now();
        let changed = on_tx!(&mut self.tx, conn => sqlx::query(
            "UPDATE consultations SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4")
            .bind(to.as_str()).bind(t).bind(&self.case.id).bind(self.case.version)
            .execute(conn).await?.rows_affected());
        if changed == 0 {
            return Err(StoreError::Conflict(
                "the consultation was changed by someone else; reload and try again".into(),
            ));
        }
        on_tx!(&mut self.tx, conn => sqlx::query(
            // INSERT … SELECT rather than a subquery in VALUES: the same on one
            // database, and a single-shard statement on a distributed one.
            "INSERT INTO consultation_events (id, consultation_id, position, at, actor_id, action, from_status, to_status, note)
             SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3, $4, $5, $6, $7, $8
             FROM consultation_events WHERE consultation_id = $2")
            .bind(secrets::new_id()).bind(&self.case.id).bind(t).bind(&self.actor.account.id).bind(action.name())
            .bind(from.as_str()).bind(to.as_str()).bind(note)
            .execute(conn).await?.rows_affected());
        crate::statistics::refresh_case(&mut self.tx, &self.case.id).await?;
        let case = fetch(&mut self.tx, &self.case.id).await?.ok_or(StoreError::NotFound)?;
        self.tx.commit().await?;
        Ok(case)
    }
}

/// Whether the actor takes part in the case now (or breaks the glass), for
/// choosing where a page goes after a move. Nothing of the case is read out,
/// so nothing is audited.
pub async fn takes_part(db: &Db, id: &str, actor: &Actor) -> Result<bool> {
    let mut tx = db.begin().await?;
    let Some(case) = fetch(&mut tx, id).await? else { return Ok(false) };
    Ok(actor.breaks_glass() || !parties_of(&mut tx, &case, actor).await?.0.is_empty())
}

/// How the actor takes part in the case, and the sector of their directory
/// profile when they are on its panel (for the Barnahus rule).
async fn parties_of(tx: &mut Tx, case: &CaseRow, actor: &Actor) -> Result<(Vec<Party>, Option<String>)> {
    let mut parties = Vec::new();
    let mut sector = None;
    if case.requester_id == actor.account.id {
        parties.push(Party::Requester);
    }
    if actor.coordinator_centre().is_some_and(|c| c.as_str() == case.centre) && case.status() != Status::Draft {
        parties.push(Party::Coordinator);
    }
    if let Some(expert_id) = &actor.expert_id {
        let part: Option<(bool, String)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT ce.is_lead, e.sector FROM consultation_experts ce JOIN experts e ON e.id = ce.expert_id
             WHERE ce.consultation_id = $1 AND ce.expert_id = $2 AND ce.state <> 'declined'")
            .bind(&case.id).bind(expert_id).fetch_optional(conn).await?);
        if let Some((lead, own_sector)) = part {
            parties.push(if lead { Party::LeadExpert } else { Party::PanelExpert });
            sector = Some(own_sector);
        }
    }
    Ok((parties, sector))
}
