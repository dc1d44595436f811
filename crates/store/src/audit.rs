//! The append-only, hash-chained audit log. Entries are appended inside the
//! caller's transaction, so the record and the change it records commit or
//! fail together.

use tukiverkko_domain::audit::{AuditAction, AuditRecord};

use crate::{Db, Result, Tx, now, on_db, on_tx};

/// Who does an audited thing and from where: the one actor type of every
/// feature's audit entries (account, the role acted in, client address,
/// request id). No account: the system or an operator's command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditActor {
    pub account_id: Option<String>,
    pub role: Option<String>,
    pub client_ip: Option<String>,
    pub request_id: Option<String>,
}

impl AuditActor {
    /// A signed-in account, recorded in its first role unless [`Self::acting_as`] says otherwise.
    pub fn account(account: &crate::accounts::Account, client_ip: Option<String>, request_id: Option<String>) -> Self {
        Self {
            account_id: Some(account.id.clone()),
            role: account.roles.first().map(|r| r.as_str().to_string()),
            client_ip,
            request_id,
        }
    }

    /// The command line or the system itself (seeding, imports by an operator).
    pub fn system() -> Self {
        Self::default()
    }

    /// The same actor, recorded as acting in `role` (an admin's action by a multi-role account).
    pub fn acting_as(mut self, role: tukiverkko_domain::Role) -> Self {
        self.role = Some(role.as_str().to_string());
        self
    }
}

/// Who did what to which object, and from where.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub purpose: Option<String>,
    pub outcome: String,
    pub client_ip: Option<String>,
    pub request_id: Option<String>,
}

impl AuditEvent {
    pub fn new(action: AuditAction) -> Self {
        Self::named(action.as_str())
    }

    /// An event named by its feature, e.g. `consultation.read`.
    pub fn named(action: &str) -> Self {
        Self { action: action.to_string(), outcome: "ok".into(), ..Self::default() }
    }

    pub fn actor(mut self, id: &str, role: Option<&str>) -> Self {
        self.actor_id = Some(id.to_string());
        self.actor_role = role.map(String::from);
        self
    }

    pub fn object(mut self, kind: &str, id: &str) -> Self {
        self.object_type = Some(kind.to_string());
        self.object_id = Some(id.to_string());
        self
    }

    pub fn outcome(mut self, outcome: &str) -> Self {
        self.outcome = outcome.to_string();
        self
    }

    pub fn purpose(mut self, purpose: Option<&str>) -> Self {
        self.purpose = purpose.map(String::from);
        self
    }

    /// The actor and their origin, from the one actor type.
    pub fn by(mut self, actor: &AuditActor) -> Self {
        self.actor_id = actor.account_id.clone();
        self.actor_role = actor.role.clone();
        self.client_ip = actor.client_ip.clone();
        self.request_id = actor.request_id.clone();
        self
    }

    pub fn origin(mut self, client_ip: Option<String>, request_id: Option<String>) -> Self {
        self.client_ip = client_ip;
        self.request_id = request_id;
        self
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub purpose: Option<String>,
    pub outcome: String,
    pub client_ip: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    fn record(&self) -> AuditRecord {
        AuditRecord {
            seq: self.seq,
            at: self.at,
            actor_id: self.actor_id.clone(),
            actor_role: self.actor_role.clone(),
            action: self.action.clone(),
            object_type: self.object_type.clone(),
            object_id: self.object_id.clone(),
            purpose: self.purpose.clone(),
            outcome: self.outcome.clone(),
            client_ip: self.client_ip.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// Appends one entry in `tx` and moves the chain head. On PostgreSQL the
/// head row is locked, on SQLite the transaction already holds the write
/// lock, so concurrent appends serialise.
/// Audit entries that could not be written since the process started (a
/// server is one process on one database); the change they belonged to
/// failed with them, since they share its transaction.
static WRITE_FAILURES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn write_failures() -> u64 {
    WRITE_FAILURES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Appends `event` to the chain in the caller's transaction, counting a
/// failure for the metrics and the health page.
pub async fn append(tx: &mut Tx, event: AuditEvent) -> Result<i64> {
    let written = append_in_chain(tx, event).await;
    if written.is_err() {
        WRITE_FAILURES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    written
}

async fn append_in_chain(tx: &mut Tx, event: AuditEvent) -> Result<i64> {
    let lock = match tx {
        Tx::Sqlite(_) => "SELECT seq, hash FROM audit_head WHERE id = 1",
        Tx::Postgres(_) => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
    };
    let (head_seq, head_hash): (i64, String) = on_tx!(tx, conn => sqlx::query_as(lock).fetch_one(conn).await?);
    let record = AuditRecord {
        seq: head_seq + 1,
        at: now(),
        actor_id: event.actor_id,
        actor_role: event.actor_role,
        action: event.action,
        object_type: event.object_type,
        object_id: event.object_id,
        purpose: event.purpose,
        outcome: event.outcome,
        client_ip: event.client_ip,
        request_id: event.request_id,
    };
    let hash = record.hash(&head_hash);
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_role, action, object_type, object_id, purpose, outcome, client_ip, request_id, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
        .bind(record.seq).bind(record.at).bind(&record.actor_id).bind(&record.actor_role)
        .bind(&record.action).bind(&record.object_type).bind(&record.object_id).bind(&record.purpose)
        .bind(&record.outcome).bind(&record.client_ip).bind(&record.request_id).bind(&head_hash).bind(&hash)
        .execute(conn).await?.rows_affected());
    on_tx!(tx, conn => sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(record.seq).bind(&hash).execute(conn).await?.rows_affected());
    Ok(record.seq)
}

/// Appends a single entry in a transaction of its own.
pub async fn record(db: &Db, event: AuditEvent) -> Result<i64> {
    let mut tx = db.begin().await?;
    let seq = append(&mut tx, event).await?;
    tx.commit().await?;
    Ok(seq)
}

/// Refused attempts recorded per key (caller or client address) and minute;
/// beyond this they are counted, and the next recorded one says how many
/// went unrecorded, so probing cannot flood the trail.
pub const REFUSALS_PER_MINUTE: u32 = 30;
/// Longest object id kept from a refused attempt (ids come from the caller).
const REFUSED_OBJECT_CHARS: usize = 100;

/// Records a refused attempt (a capability refusal, a case that does not
/// exist or is out of scope, a refused edit, a throttled sign-in), at most
/// [`REFUSALS_PER_MINUTE`] a minute per caller or client address. Returns
/// whether it was written.
pub async fn record_refusal(db: &Db, mut event: AuditEvent) -> Result<bool> {
    // An anonymous attempt (a sign-in) counts by address and the account it named.
    let key = event.actor_id.clone().unwrap_or_else(|| {
        format!("{}|{}", event.client_ip.as_deref().unwrap_or_default(), event.object_id.as_deref().unwrap_or_default())
    });
    // Counted in the database, so the limit holds for all nodes together.
    let window = crate::throttle::hit(db, &format!("refusal|{key}"), now()).await?;
    if window.current > i64::from(REFUSALS_PER_MINUTE) {
        return Ok(false);
    }
    // The first entry of a minute says how many of the previous minute's
    // were left out, and the last one recorded says that the rest will be.
    let limit = i64::from(REFUSALS_PER_MINUTE);
    let unrecorded = if window.current == 1 { (window.previous - limit).max(0) } else { 0 };
    if let Some(id) = &mut event.object_id
        && id.chars().count() > REFUSED_OBJECT_CHARS
    {
        *id = id.chars().take(REFUSED_OBJECT_CHARS).collect();
    }
    let mut note = |text: String| {
        event.purpose = Some(match event.purpose.take() {
            Some(purpose) => format!("{purpose}; {text}"),
            None => text,
        });
    };
    if unrecorded > 0 {
        note(format!("{unrecorded} earlier refusals of this caller were not recorded"));
    }
    if window.current == limit {
        note(format!("{limit} refusals of this caller this minute: further ones this minute are not recorded"));
    }
    record(db, event).await?;
    Ok(true)
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact {
        entries: i64,
    },
    /// `seq` is the first entry (or head position) where the chain breaks.
    Broken {
        seq: i64,
        reason: String,
    },
}

const VERIFY_PAGE: i64 = 1000;

pub async fn verify(db: &Db) -> Result<Verification> {
    // Pruned entries end at the base; the chain continues from its hash.
    let (base_seq, base_hash): (i64, String) =
        on_db!(db, pool => sqlx::query_as("SELECT seq, hash FROM audit_base WHERE id = 1").fetch_one(pool).await?);
    let mut expected_seq = base_seq + 1;
    let mut prev_hash = base_hash;
    loop {
        let rows: Vec<AuditRow> = on_db!(db, pool => sqlx::query_as(
            "SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2")
            .bind(expected_seq).bind(VERIFY_PAGE).fetch_all(pool).await?);
        let page_len = rows.len() as i64;
        for row in rows {
            if row.seq != expected_seq {
                return Ok(Verification::Broken {
                    seq: expected_seq,
                    reason: format!("entry {expected_seq} is missing (next entry is {})", row.seq),
                });
            }
            if row.prev_hash != prev_hash {
                return Ok(Verification::Broken { seq: row.seq, reason: "previous-hash link does not match".into() });
            }
            if row.record().hash(&prev_hash) != row.hash {
                return Ok(Verification::Broken { seq: row.seq, reason: "content does not match its hash".into() });
            }
            prev_hash = row.hash;
            expected_seq += 1;
        }
        if page_len < VERIFY_PAGE {
            break;
        }
    }
    let last = expected_seq - 1;
    let (head_seq, head_hash): (i64, String) =
        on_db!(db, pool => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?);
    if head_seq != last || head_hash != prev_hash {
        return Ok(Verification::Broken {
            seq: head_seq.max(last),
            reason: format!("chain head says entry {head_seq} but the log ends at entry {last}"),
        });
    }
    Ok(Verification::Intact { entries: last - base_seq })
}

/// Filters of the admin view; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub limit: i64,
    /// Only entries older than this position, for paging: a page's link to
    /// the next one stays right while new entries are written.
    pub before_seq: Option<i64>,
    /// Entries to skip after the filters, for numbered pages (FHIR Bundles).
    pub offset: i64,
    /// Only this action (`consultation.read`).
    pub action: Option<String>,
}

pub async fn list(db: &Db, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
    let limit = if filter.limit <= 0 { 200 } else { filter.limit };
    let rows = on_db!(db, pool => sqlx::query_as(
        "SELECT * FROM audit_log
         WHERE ($1 IS NULL OR actor_id = $1) AND ($2 IS NULL OR object_type = $2)
           AND ($3 IS NULL OR object_id = $3) AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at <= $5)
           AND ($7 IS NULL OR seq < $7) AND ($9 IS NULL OR action = $9)
         ORDER BY seq DESC LIMIT $6 OFFSET $8")
        .bind(&filter.actor_id).bind(&filter.object_type).bind(&filter.object_id)
        .bind(filter.from).bind(filter.until).bind(limit).bind(filter.before_seq)
        .bind(filter.offset.max(0)).bind(&filter.action)
        .fetch_all(pool).await?);
    Ok(rows)
}

/// How many entries pass the filters (limit and offset aside).
pub async fn count(db: &Db, filter: &AuditFilter) -> Result<i64> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log
         WHERE ($1 IS NULL OR actor_id = $1) AND ($2 IS NULL OR object_type = $2)
           AND ($3 IS NULL OR object_id = $3) AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at <= $5)
           AND ($6 IS NULL OR seq < $6) AND ($7 IS NULL OR action = $7)")
        .bind(&filter.actor_id).bind(&filter.object_type).bind(&filter.object_id)
        .bind(filter.from).bind(filter.until).bind(filter.before_seq).bind(&filter.action)
        .fetch_one(pool).await?))
}

/// Removes entries older than `before` (Unix seconds) under the retention
/// policy, keeps the last removed entry's position and hash as the chain's
/// new base, and records the pruning itself. Returns how many were removed.
pub async fn prune(db: &Db, before: i64) -> Result<i64> {
    let mut tx = db.begin().await?;
    let last: Option<(i64, String)> = on_tx!(&mut tx, conn => sqlx::query_as(
        "SELECT seq, hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log WHERE at < $1)")
        .bind(before).fetch_optional(conn).await?);
    let Some((seq, hash)) = last else {
        return Ok(0);
    };
    let removed = on_tx!(&mut tx, conn => sqlx::query("DELETE FROM audit_log WHERE seq <= $1").bind(seq).execute(conn).await?.rows_affected());
    on_tx!(&mut tx, conn => sqlx::query("UPDATE audit_base SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq).bind(&hash).execute(conn).await?.rows_affected());
    append(&mut tx, AuditEvent::named("audit.prune").object("audit_log", &format!("through entry {seq}"))).await?;
    tx.commit().await?;
    Ok(removed as i64)
}
