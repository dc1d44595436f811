//! Backups and restores. SQLite copies itself consistently with `VACUUM
//! INTO` while the server runs, and a restore swaps the file only when no
//! server holds it; PostgreSQL uses its own tools (`pg_dump`, `pg_restore`),
//! run here when they are installed.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Db, Result, StoreError, db_path as sqlite_path};

pub async fn backup(db: &Db, target: &Path, url: &str) -> Result<()> {
    if target.exists() {
        return Err(StoreError::Conflict(format!("{} exists already; choose a new file", target.display())));
    }
    match db {
        Db::Sqlite(pool) => {
            let path = target.to_str().ok_or_else(|| StoreError::Conflict("backup path is not UTF-8".into()))?;
            sqlx::query("VACUUM INTO $1").bind(path).execute(pool).await?.rows_affected();
            Ok(())
        }
        Db::Postgres(_) => pg_tool(
            "pg_dump",
            url,
            &["--format=custom", "--no-owner", &format!("--file={}", target.display())],
            "pg_dump --format=custom --file=tukiverkko.dump \"$TUKIVERKKO_DATABASE_URL\"",
        ),
    }
}

/// The lock file a running server holds (shared) beside an SQLite
/// database, so that a restore can tell the database is in use.
pub fn serve_lock_path(db_path: &Path) -> PathBuf {
    with_suffix(db_path, ".lock")
}

/// Held by `serve` for as long as it runs on an SQLite database.
pub struct ServeLock(#[allow(dead_code)] File);

/// Marks the SQLite database of `url` as in use; `None` for PostgreSQL.
pub fn hold_serve_lock(url: &str) -> Result<Option<ServeLock>> {
    let Some(path) = sqlite_path(url) else { return Ok(None) };
    let file = File::create(serve_lock_path(&path)).map_err(io)?;
    file.lock_shared().map_err(io)?;
    Ok(Some(ServeLock(file)))
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Conflict(e.to_string())
}

/// Replaces the database of `url` with the backup in `file`.
///
/// SQLite: the backup is checked (a tukiverkko database, intact), the
/// database must not be in use by a server, and the swap is a rename, so a
/// crash leaves the old file or the new one; the replaced file is kept as
/// `DB.before-restore-TIME`. PostgreSQL: refused while
/// other sessions are connected; otherwise `pg_restore --clean` in one
/// transaction. The caller then migrates and verifies the audit chain.
pub async fn restore(url: &str, file: &Path) -> Result<()> {
    if !file.is_file() {
        return Err(StoreError::Conflict(format!("{} is not a file", file.display())));
    }
    match sqlite_path(url) {
        Some(path) => restore_sqlite(&path, file).await,
        None => restore_postgres(url, file).await,
    }
}

async fn restore_sqlite(path: &Path, file: &Path) -> Result<()> {
    check_sqlite_backup(file).await?;
    let lock = File::create(serve_lock_path(path)).map_err(io)?;
    if lock.try_lock().is_err() {
        return Err(StoreError::Conflict(format!(
            "{} is in use by a running server; stop it before restoring",
            path.display()
        )));
    }
    let staging = with_suffix(path, ".restoring");
    std::fs::copy(file, &staging).map_err(io)?;
    File::open(&staging).and_then(|f| f.sync_all()).map_err(io)?;
    if path.exists() {
        // The replaced database is kept beside it, whole: its write-ahead
        // log is folded in first, since a log left beside the restored file
        // would be replayed into it.
        checkpoint(path).await?;
        std::fs::rename(path, with_suffix(path, &format!(".before-restore-{}", crate::now()))).map_err(io)?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
    std::fs::rename(&staging, path).map_err(io)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    drop(lock);
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Folds an SQLite database's write-ahead log into the file itself.
async fn checkpoint(path: &Path) -> Result<()> {
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
    let mut conn = sqlx::sqlite::SqliteConnection::connect_with(&options).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// A backup must be an intact SQLite database that tukiverkko made.
async fn check_sqlite_backup(file: &Path) -> Result<()> {
    let not_ours = || StoreError::Conflict(format!("{} is not a tukiverkko SQLite backup", file.display()));
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|_| not_ours())?;
    let check: Result<(String, i64), sqlx::Error> = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await?;
        let tables: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('audit_head', 'consultations')")
                .fetch_one(&pool)
                .await?;
        Ok((integrity, tables))
    }
    .await;
    pool.close().await;
    match check {
        Ok((integrity, 2)) if integrity == "ok" => Ok(()),
        Ok((integrity, 2)) => Err(StoreError::Conflict(format!("{} is damaged: {integrity}", file.display()))),
        _ => Err(not_ours()),
    }
}

async fn restore_postgres(url: &str, file: &Path) -> Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::postgres::PgConnection::connect(url).await?;
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    if others > 0 {
        return Err(StoreError::Conflict(format!(
            "{others} other sessions are connected to the database; stop the servers before restoring"
        )));
    }
    pg_tool(
        "pg_restore",
        url,
        &["--clean", "--if-exists", "--no-owner", "--single-transaction", &file.display().to_string()],
        "pg_restore --clean --if-exists --no-owner --single-transaction --dbname=\"$TUKIVERKKO_DATABASE_URL\" tukiverkko.dump",
    )
}

/// Runs a PostgreSQL client tool on the database of `url`, with the
/// password (if the URL has one) in the environment rather than on the
/// command line where other users of the machine could read it.
fn pg_tool(tool: &str, url: &str, args: &[&str], by_hand: &str) -> Result<()> {
    let (url, password) = split_password(url);
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(format!("--dbname={url}"));
    if let Some(password) = password {
        cmd.env("PGPASSWORD", password);
    }
    match cmd.output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(StoreError::Conflict(format!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or("no message")
        ))),
        Err(_) => Err(StoreError::Conflict(format!("{tool} is not installed here; run it by hand: {by_hand}"))),
    }
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret`).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_string(), None) };
    let Some((userinfo, host)) = rest.split_once('@') else { return (url.to_string(), None) };
    match userinfo.split_once(':') {
        Some((user, password)) => (format!("{scheme}://{user}@{host}"), Some(password.to_string())),
        None => (url.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::split_password;

    #[test]
    fn the_password_leaves_the_url() {
        assert_eq!(
            split_password("postgres://tv:s3cret@db:5432/tv"),
            ("postgres://tv@db:5432/tv".to_string(), Some("s3cret".to_string()))
        );
        assert_eq!(split_password("postgres://tv@db/tv"), ("postgres://tv@db/tv".to_string(), None));
    }
}
