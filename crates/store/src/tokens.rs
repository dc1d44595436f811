//! API bearer tokens: random, stored hashed, with an expiry, revocable.

use tukiverkko_domain::audit::AuditAction;

use crate::accounts::{self, Account};
use crate::audit::{self, AuditEvent};
use crate::{Db, Result, StoreError, now, on_db, on_tx, secrets};

pub const MAX_DAYS: i64 = 365;

/// Issues a token for `user_id`; the plaintext is returned once and never stored.
pub async fn issue(db: &Db, user_id: &str, days: i64) -> Result<String> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(tukiverkko_domain::ValueError::new("bad_days", format!("--days must be 1–{MAX_DAYS}")).into());
    }
    let token = format!("tvk_{}", secrets::random_token());
    let id = secrets::new_id();
    let t = now();
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO api_tokens (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id).bind(user_id).bind(secrets::hash_token(&token)).bind(t).bind(t + days * 86_400)
        .execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::new(AuditAction::TokenIssued).object("api_token", &id).actor(user_id, None))
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// The account a live token belongs to, or `None`.
pub async fn authenticate(db: &Db, token: &str) -> Result<Option<Account>> {
    let user_id: Option<String> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2")
        .bind(secrets::hash_token(token)).bind(now()).fetch_optional(pool).await?);
    match user_id {
        Some(id) => {
            let account = accounts::find_by_id(db, &id).await?;
            Ok((!account.disabled).then_some(account))
        }
        None => Ok(None),
    }
}

pub async fn revoke(db: &Db, token: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let id: Option<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING id")
        .bind(now()).bind(secrets::hash_token(token)).fetch_optional(conn).await?);
    let id = id.ok_or(StoreError::NotFound)?;
    audit::append(&mut tx, AuditEvent::new(AuditAction::TokenRevoked).object("api_token", &id)).await?;
    tx.commit().await
}
