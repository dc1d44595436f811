//! What an administrator does to other people's accounts besides creating
//! and disabling them: enabling again, and setting roles and centre. Each
//! takes the administrator's proof and is audited.

use tukiverkko_domain::{CentreCode, Role, ValueError};

use crate::accounts::{AdminProof, insert_directory_profile};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::{Db, Result, StoreError, on_tx};

/// Lets a disabled account sign in again.
pub async fn enable(db: &Db, _admin: AdminProof<'_>, user_id: &str, by: &AuditActor) -> Result<()> {
    let mut tx = db.begin().await?;
    let changed = on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET disabled = FALSE WHERE id = $1")
        .bind(user_id).execute(conn).await?.rows_affected());
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(&mut tx, AuditEvent::named("user.enable").by(by).object("user", user_id)).await?;
    tx.commit().await
}

/// Replaces an account's roles and centre. Coordinators and experts need a
/// centre; an account that becomes an expert gets its directory profile.
/// An administrator cannot take the admin role from themselves.
pub async fn set_roles(
    db: &Db,
    admin: AdminProof<'_>,
    user_id: &str,
    roles: &[Role],
    centre: Option<CentreCode>,
    by: &AuditActor,
) -> Result<()> {
    if roles.is_empty() {
        return Err(ValueError::new("role_required", "at least one role is required").into());
    }
    if roles.iter().any(|r| r.needs_centre()) && centre.is_none() {
        return Err(ValueError::new("centre_required", "coordinators and experts need a centre").into());
    }
    if admin.account().id == user_id && !roles.contains(&Role::Admin) {
        return Err(StoreError::Conflict("an administrator cannot remove their own admin role".into()));
    }
    let mut tx = db.begin().await?;
    let account: Option<(String, String)> = on_tx!(&mut tx, conn => sqlx::query_as(
        "SELECT name, email FROM users WHERE id = $1").bind(user_id).fetch_optional(conn).await?);
    let (name, email) = account.ok_or(StoreError::NotFound)?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET centre = $1 WHERE id = $2")
        .bind(centre.map(|c| c.as_str())).bind(user_id).execute(conn).await?.rows_affected());
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(conn).await?.rows_affected());
    for role in roles {
        on_tx!(&mut tx, conn => sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user_id).bind(role.as_str()).execute(conn).await?.rows_affected());
    }
    let has_profile: Option<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT id FROM experts WHERE user_id = $1").bind(user_id).fetch_optional(conn).await?);
    if let (None, Some(centre)) = (&has_profile, centre)
        && roles.iter().any(|r| r.has_directory_profile())
    {
        insert_directory_profile(&mut tx, user_id, &name, &email, roles, centre).await?;
    }
    let what = roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",");
    audit::append(&mut tx, AuditEvent::named("user.roles").by(by).object("user", user_id).purpose(Some(&what))).await?;
    tx.commit().await
}
