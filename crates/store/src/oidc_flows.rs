//! OpenID Connect sign-ins in progress: the nonce and PKCE verifier kept
//! between the redirect to the provider and its callback, which may reach
//! another node. Only a hash of the `state` is stored, as for tokens.

use crate::{Db, Result, now, on_tx, secrets};

/// A started sign-in's secrets, and where the user was going.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Flow {
    pub nonce: String,
    pub verifier: String,
    pub next: String,
}

/// Flows kept at most; beyond it the oldest go, so starting sign-ins in a
/// loop cannot fill the database.
const MAX_FLOWS: i64 = 10_000;

/// Keeps a started flow under `state` for `ttl` seconds.
pub async fn put(db: &Db, state: &str, flow: &Flow, ttl: i64) -> Result<()> {
    let at = now();
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM oidc_flows WHERE started_at < $1")
        .bind(at - ttl).execute(conn).await?.rows_affected());
    let kept: i64 =
        on_tx!(&mut tx, conn => sqlx::query_scalar("SELECT COUNT(*) FROM oidc_flows").fetch_one(conn).await?);
    if kept >= MAX_FLOWS {
        on_tx!(&mut tx, conn => sqlx::query(
            "DELETE FROM oidc_flows WHERE state_hash IN (SELECT state_hash FROM oidc_flows ORDER BY started_at LIMIT $1)")
            .bind(kept - MAX_FLOWS + 1).execute(conn).await?.rows_affected());
    }
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO oidc_flows (state_hash, nonce, verifier, next, started_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(secrets::hash_token(state)).bind(&flow.nonce).bind(&flow.verifier).bind(&flow.next).bind(at)
        .execute(conn).await?.rows_affected());
    tx.commit().await?;
    Ok(())
}

/// The unexpired flow started under `state`, removed: each works once.
pub async fn take(db: &Db, state: &str, ttl: i64) -> Result<Option<Flow>> {
    let mut tx = db.begin().await?;
    let flow: Option<Flow> = on_tx!(&mut tx, conn => sqlx::query_as(
        "DELETE FROM oidc_flows WHERE state_hash = $1 AND started_at >= $2 RETURNING nonce, verifier, next")
        .bind(secrets::hash_token(state)).bind(now() - ttl).fetch_optional(conn).await?);
    tx.commit().await?;
    Ok(flow)
}

/// Removes sign-ins started more than `ttl` seconds ago and never finished.
pub async fn sweep(db: &Db, ttl: i64) -> Result<u64> {
    Ok(crate::on_db!(db, pool => sqlx::query("DELETE FROM oidc_flows WHERE started_at < $1")
        .bind(now() - ttl).execute(pool).await?.rows_affected()))
}
