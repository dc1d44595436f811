use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::{Result, StoreError};

/// Runs the same body on whichever pool or transaction a value holds. The
/// body is compiled once per backend, so portable SQL is written once.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $conn:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($conn) => $body,
            $crate::Db::Postgres($conn) => $body,
        }
    };
}

#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool's state, for metrics and the health page.
#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    pub size: u32,
    pub idle: u32,
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Current time as Unix seconds, the storage format of every timestamp.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// The file of an `sqlite://PATH` URL (`None` for PostgreSQL or an
/// in-memory database).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    (path != ":memory:" && !path.is_empty()).then(|| std::path::PathBuf::from(path))
}

impl Db {
    /// Connects to `sqlite://PATH` (the file is created when missing) or
    /// `postgres://…`. Returns the pool and whether the database is new,
    /// which decides whether `serve` seeds demo data.
    pub async fn connect(url: &str) -> Result<(Db, bool)> {
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let path = path.split('?').next().unwrap_or(path);
            let is_new = path == ":memory:" || !std::path::Path::new(path).exists();
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a commit is on disk before it is acknowledged, so an
                // answered write survives a power cut too, not only a crash
                // of the process (which NORMAL already survives in WAL mode).
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok((Db::Sqlite(pool), is_new))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool =
                PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            let is_new = !Self::Postgres(pool.clone()).is_migrated().await?;
            Ok((Db::Postgres(pool), is_new))
        } else {
            Err(StoreError::UnsupportedUrl(url.split("://").next().unwrap_or(url).to_string()))
        }
    }

    /// Connects to a read-only standby of the PostgreSQL primary (streaming
    /// replication). Never migrated; connected on first use, so a standby
    /// that is down does not stop the node, and its health check says so.
    pub fn connect_replica(url: &str) -> Result<Db> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::UnsupportedUrl(url.split("://").next().unwrap_or(url).to_string()));
        }
        let options = sqlx::postgres::PgConnectOptions::from_str(url)?
            // A write sent here by mistake fails loudly instead of going unnoticed.
            .options([("default_transaction_read_only", "on")]);
        let pool =
            PgPoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(5)).connect_lazy_with(options);
        Ok(Db::Postgres(pool))
    }

    /// Whether this database is a standby replaying the primary's log, and
    /// how far behind its last replayed commit is, in seconds.
    pub async fn replica_status(&self) -> Result<(bool, Option<f64>)> {
        let Db::Postgres(pool) = self else { return Ok((false, None)) };
        Ok(sqlx::query_as(
            "SELECT pg_is_in_recovery(), CAST(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) AS DOUBLE PRECISION)",
        )
        .fetch_one(pool)
        .await?)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    async fn is_migrated(&self) -> Result<bool> {
        let sql = match self {
            Db::Sqlite(_) => "SELECT COUNT(*) FROM sqlite_master WHERE name = 'centres'",
            Db::Postgres(_) => "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'centres'",
        };
        let count: i64 = on_db!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await?);
        Ok(count > 0)
    }

    /// Brings the schema up to date. Both backends run the same migrations
    /// while their SQL is the same (it is portable so far); a migration that
    /// must differ gets a folder per backend from that version on. The
    /// schema-drift test compares what the two end up with.
    pub async fn migrate(&self) -> Result<()> {
        static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
        on_db!(self, pool => MIGRATOR.run(pool).await?);
        // Cases sent before the statistics counters existed are counted
        // once here; afterwards every write keeps them current.
        crate::statistics::backfill(self).await?;
        Ok(())
    }

    /// Answers when the database does: the readiness probe.
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Begins a write transaction. On SQLite it takes the write lock at
    /// once, so two writers queue instead of failing on lock upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Connections the pool holds now and how many of them are idle.
    pub fn pool_status(&self) -> PoolStatus {
        match self {
            Db::Sqlite(pool) => PoolStatus { size: pool.size(), idle: pool.num_idle() as u32 },
            Db::Postgres(pool) => PoolStatus { size: pool.size(), idle: pool.num_idle() as u32 },
        }
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
