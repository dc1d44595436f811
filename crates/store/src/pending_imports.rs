//! Expert CSV uploads checked and waiting for the uploader's
//! confirmation. Kept in the database, so the confirmation may reach
//! another node than the upload did.

use crate::experts::NewProfile;
use crate::{Db, Result, StoreError, now, on_tx, secrets};

/// How long a preview can be applied, in seconds.
pub const PREVIEW_TTL: i64 = 30 * 60;

#[derive(Debug, Clone, PartialEq)]
pub struct PendingImport {
    pub owner: String,
    pub file_name: String,
    pub profiles: Vec<NewProfile>,
    /// The directory version the preview was computed against.
    pub directory_version: i64,
}

/// Keeps a checked upload and returns its id. Expired previews go, and
/// one preview per person: a new upload replaces the previous one.
pub async fn put(db: &Db, pending: &PendingImport) -> Result<String> {
    let id = secrets::random_token();
    let profiles = serde_json::to_string(&pending.profiles).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let at = now();
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM pending_imports WHERE owner = $1 OR created_at < $2")
        .bind(&pending.owner).bind(at - PREVIEW_TTL).execute(conn).await?.rows_affected());
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO pending_imports (id, owner, file_name, profiles, directory_version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id).bind(&pending.owner).bind(&pending.file_name).bind(&profiles)
        .bind(pending.directory_version).bind(at)
        .execute(conn).await?.rows_affected());
    tx.commit().await?;
    Ok(id)
}

/// The owner's unexpired preview `id`, removed so it is applied once even
/// when two nodes are asked at the same moment.
pub async fn take(db: &Db, id: &str, owner: &str) -> Result<Option<PendingImport>> {
    let mut tx = db.begin().await?;
    let row: Option<(String, String, i64)> = on_tx!(&mut tx, conn => sqlx::query_as(
        "DELETE FROM pending_imports WHERE id = $1 AND owner = $2 AND created_at >= $3
         RETURNING file_name, profiles, directory_version")
        .bind(id).bind(owner).bind(now() - PREVIEW_TTL).fetch_optional(conn).await?);
    tx.commit().await?;
    let Some((file_name, profiles, directory_version)) = row else { return Ok(None) };
    let profiles = serde_json::from_str(&profiles).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(Some(PendingImport { owner: owner.to_string(), file_name, profiles, directory_version }))
}

/// Removes expired previews (they hold people's contact details), and
/// returns how many went.
pub async fn sweep(db: &Db) -> Result<u64> {
    Ok(crate::on_db!(db, pool => sqlx::query("DELETE FROM pending_imports WHERE created_at < $1")
        .bind(now() - PREVIEW_TTL).execute(pool).await?.rows_affected()))
}
