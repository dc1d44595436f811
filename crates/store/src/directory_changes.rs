//! The order in which profiles changed, so every node's in-memory finder
//! can apply exactly what it has not seen. PostgreSQL's LISTEN/NOTIFY only
//! wakes a node early; the log is what it reads, so a lost notification
//! delays a node by at most its next search, and loses nothing.

use crate::experts::ProfileRow;
use crate::{Db, Result, Tx, now, on_db, on_tx};

/// The channel a change is announced on (PostgreSQL).
pub const CHANNEL: &str = "tukiverkko_directory";

/// More changes than this behind, a node rebuilds instead of applying them
/// one by one; the log keeps a little more than this.
pub const CATCH_UP_LIMIT: i64 = 1000;
const KEEP_CHANGES: i64 = 10 * CATCH_UP_LIMIT;

/// Marks the directory changed by the profile `expert_id` (`None`: many
/// at once), in the transaction of the change. The version row is locked
/// until commit, so versions commit in order and a reader who sees one
/// change sees every earlier one.
pub async fn bump_version(tx: &mut Tx, expert_id: Option<&str>) -> Result<()> {
    let version: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "UPDATE directory_state SET version = version + 1 WHERE id = 1 RETURNING version")
        .fetch_one(conn).await?);
    on_tx!(tx, conn => sqlx::query("INSERT INTO directory_changes (seq, expert_id, changed_at) VALUES ($1, $2, $3)")
        .bind(version).bind(expert_id).bind(now()).execute(conn).await?.rows_affected());
    if version % CATCH_UP_LIMIT == 0 {
        on_tx!(tx, conn => sqlx::query("DELETE FROM directory_changes WHERE seq <= $1")
            .bind(version - KEEP_CHANGES).execute(conn).await?.rows_affected());
    }
    if let Tx::Postgres(conn) = tx {
        // Delivered at commit, and only then. The same payload throughout,
        // so PostgreSQL sends a bulk import's thousands of changes as one.
        sqlx::query("SELECT pg_notify($1, '')").bind(CHANNEL).execute(&mut **conn).await?;
    }
    Ok(())
}

/// What a node that has seen the directory up to `seen` must do.
#[derive(Debug)]
pub enum Catchup {
    Current,
    /// Upsert these profiles, then the node is at `version`.
    Apply {
        version: i64,
        profiles: Vec<ProfileRow>,
    },
    /// Too far behind, or a bulk change: build the index again.
    Rebuild,
}

pub async fn catch_up(db: &Db, seen: i64) -> Result<Catchup> {
    let version = crate::experts::version(db).await?;
    if version == seen {
        return Ok(Catchup::Current);
    }
    if version < seen || version - seen > CATCH_UP_LIMIT {
        // Behind by much, or ahead of a database restored from a backup.
        return Ok(Catchup::Rebuild);
    }
    let changes: Vec<(i64, Option<String>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT seq, expert_id FROM directory_changes WHERE seq > $1 AND seq <= $2 ORDER BY seq")
        .bind(seen).bind(version).fetch_all(pool).await?);
    let complete = changes.len() as i64 == version - seen;
    if !complete || changes.iter().any(|(_, id)| id.is_none()) {
        return Ok(Catchup::Rebuild);
    }
    let mut ids: Vec<String> = changes.into_iter().filter_map(|(_, id)| id).collect();
    ids.sort();
    ids.dedup();
    let mut profiles = Vec::with_capacity(ids.len());
    for id in ids {
        profiles.push(crate::experts::find(db, &id).await?);
    }
    Ok(Catchup::Apply { version, profiles })
}

/// Wakes a node when another one changed the directory (PostgreSQL only).
pub struct ChangeListener(sqlx::postgres::PgListener);

impl ChangeListener {
    /// `None` on SQLite, where every node is on one machine and catches up
    /// before each search.
    pub async fn connect(db: &Db) -> Result<Option<ChangeListener>> {
        let Db::Postgres(pool) = db else { return Ok(None) };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(ChangeListener(listener)))
    }

    /// Waits for the next announcement. `Ok(false)` says the connection was
    /// lost and is being made again: announcements may have been missed,
    /// so the caller catches up from the log.
    pub async fn next(&mut self) -> Result<bool> {
        Ok(self.0.try_recv().await?.is_some())
    }
}
