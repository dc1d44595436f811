//! Browser sessions. The cookie carries a random id; the database keeps only
//! its hash, the CSRF token of the session and its time limits.

use crate::accounts::{self, Account};
use crate::{Db, Result, now, on_db, secrets};

#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Seconds from sign-in after which the session ends regardless.
    pub absolute: i64,
    /// Seconds without a request after which the session ends.
    pub idle: i64,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self { absolute: 12 * 3600, idle: 30 * 60 }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub csrf_token: String,
}

/// Starts a session and returns the cookie value and CSRF token.
pub async fn create(db: &Db, user_id: &str, limits: SessionLimits) -> Result<(String, String)> {
    let id = secrets::random_token();
    let csrf = secrets::random_token();
    let t = now();
    on_db!(db, pool => sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)")
        .bind(secrets::hash_token(&id)).bind(user_id).bind(&csrf).bind(t).bind(t + limits.absolute)
        .execute(pool).await?.rows_affected());
    Ok((id, csrf))
}

/// Finds a live session and marks it used. Expired, idle or disabled ones
/// are removed and answer `None`.
pub async fn resume(db: &Db, cookie: &str, limits: SessionLimits) -> Result<Option<Session>> {
    let hash = secrets::hash_token(cookie);
    let row: Option<(String, String, i64, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT user_id, csrf_token, last_seen_at, expires_at FROM sessions WHERE id_hash = $1")
        .bind(&hash).fetch_optional(pool).await?);
    let Some((user_id, csrf_token, last_seen, expires)) = row else {
        return Ok(None);
    };
    let t = now();
    let account = accounts::find_by_id(db, &user_id).await?;
    if t >= expires || t - last_seen > limits.idle || account.disabled {
        end(db, cookie).await?;
        return Ok(None);
    }
    if t > last_seen {
        on_db!(db, pool => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(t).bind(&hash).execute(pool).await?.rows_affected());
    }
    Ok(Some(Session { account, csrf_token }))
}

pub async fn end(db: &Db, cookie: &str) -> Result<()> {
    on_db!(db, pool => sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(secrets::hash_token(cookie)).execute(pool).await?.rows_affected());
    Ok(())
}

pub async fn end_all_for_user(db: &Db, user_id: &str) -> Result<()> {
    on_db!(db, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(pool).await?.rows_affected());
    Ok(())
}
