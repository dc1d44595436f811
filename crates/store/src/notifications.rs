//! In-app notifications, and the queue the mailer empties. Every feature
//! notifies through [`notify`], inside the transaction of the change it
//! reports, so a notification exists exactly when its change does.

use tukiverkko_domain::notification::NotificationKind;

use crate::{Db, Result, Tx, now, on_db, on_tx, secrets};

/// Unread notifications of a user: links only, never case content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: String,
    pub kind: String,
    pub link: String,
    pub created_at: i64,
}

/// Tells `user_id` that `kind` happened at `link` (a path in this service).
pub async fn notify(tx: &mut Tx, user_id: &str, kind: NotificationKind, link: &str) -> Result<()> {
    on_tx!(tx, conn => sqlx::query("INSERT INTO notifications (id, user_id, kind, link, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(secrets::new_id()).bind(user_id).bind(kind.as_str()).bind(link).bind(now())
        .execute(conn).await?.rows_affected());
    Ok(())
}

pub async fn unread(db: &Db, user_id: &str) -> Result<Vec<NotificationRow>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, kind, link, created_at FROM notifications WHERE user_id = $1 AND read_at IS NULL ORDER BY created_at DESC")
        .bind(user_id).fetch_all(pool).await?))
}

/// A notification waiting for e-mail, with its recipient.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingMail {
    pub id: String,
    pub email: String,
    pub language: String,
    pub kind: String,
    pub link: String,
}

/// A node holds the notifications it took to mail this long; if it stops
/// before marking them mailed, another node takes them after.
pub const MAIL_CLAIM_SECONDS: i64 = 5 * 60;

/// Notifications mailed per claim.
const MAIL_BATCH: i64 = 100;

/// Takes up to a batch of notifications waiting for e-mail, so no other
/// node mails them while this one does. On PostgreSQL rows another node is
/// taking at the same moment are skipped (`SKIP LOCKED`), not waited for;
/// SQLite has one writer at a time anyway.
pub async fn claim_mail(db: &Db) -> Result<Claim> {
    macro_rules! claim {
        ($lock:literal) => {
            concat!(
                "UPDATE notifications SET mail_claimed_until = $1, mail_claimed_by = $4 WHERE id IN (
                   SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id
                   WHERE n.emailed_at IS NULL AND NOT u.disabled AND u.email_notifications
                     AND (n.mail_claimed_until IS NULL OR n.mail_claimed_until < $2)
                   ORDER BY n.created_at LIMIT $3",
                $lock,
                ") RETURNING id"
            )
        };
    }
    let at = now();
    // Most changes notify nobody by mail: a read finds that without the write lock.
    let waiting: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(1 AS BIGINT) FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.emailed_at IS NULL AND NOT u.disabled AND u.email_notifications
           AND (n.mail_claimed_until IS NULL OR n.mail_claimed_until < $1) LIMIT 1")
        .bind(at).fetch_optional(pool).await?);
    let token = secrets::random_token();
    if waiting.is_none() {
        return Ok(Claim { token, mails: Vec::new() });
    }
    let mut tx = db.begin().await?;
    let until = at + MAIL_CLAIM_SECONDS;
    // SQLite has one writer at a time, so only PostgreSQL needs to skip rows being taken.
    let claim = match &tx {
        crate::Tx::Sqlite(_) => claim!(""),
        crate::Tx::Postgres(_) => claim!(" FOR UPDATE OF n SKIP LOCKED"),
    };
    let ids: Vec<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(claim)
        .bind(until).bind(at).bind(MAIL_BATCH).bind(&token).fetch_all(conn).await?);
    let mut claimed = Vec::with_capacity(ids.len());
    for id in &ids {
        let mail: PendingMail = on_tx!(&mut tx, conn => sqlx::query_as(
            "SELECT n.id, u.email, u.language, n.kind, n.link FROM notifications n JOIN users u ON u.id = n.user_id
             WHERE n.id = $1")
            .bind(id).fetch_one(conn).await?);
        claimed.push(mail);
    }
    tx.commit().await?;
    Ok(Claim { token, mails: claimed })
}

/// Notifications taken to mail, under the claim's token.
pub struct Claim {
    pub token: String,
    pub mails: Vec<PendingMail>,
}

/// Renews the claim on one notification just before it is sent: `false`
/// when this claim no longer holds it (a slow relay let the claim run out
/// and another node took it, or it was mailed), so it is not sent twice.
pub async fn renew_claim(db: &Db, id: &str, token: &str) -> Result<bool> {
    let renewed = on_db!(db, pool => sqlx::query(
        "UPDATE notifications SET mail_claimed_until = $1 WHERE id = $2 AND mail_claimed_by = $3 AND emailed_at IS NULL")
        .bind(now() + MAIL_CLAIM_SECONDS).bind(id).bind(token).execute(pool).await?.rows_affected());
    Ok(renewed == 1)
}

/// Gives back notifications taken but not mailed (the relay refused), so
/// the next round, on any node, tries them at once.
pub async fn release_mail(db: &Db, ids: &[String]) -> Result<()> {
    for id in ids {
        on_db!(db, pool => sqlx::query("UPDATE notifications SET mail_claimed_until = NULL WHERE id = $1 AND emailed_at IS NULL")
            .bind(id).execute(pool).await?.rows_affected());
    }
    Ok(())
}

/// How many notifications wait to be e-mailed (the mail queue).
pub async fn mail_queue_length(db: &Db) -> Result<i64> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.emailed_at IS NULL AND NOT u.disabled AND u.email_notifications")
        .fetch_one(pool).await?))
}

pub async fn mark_mailed(db: &Db, id: &str) -> Result<()> {
    on_db!(db, pool => sqlx::query("UPDATE notifications SET emailed_at = $1 WHERE id = $2")
        .bind(now()).bind(id).execute(pool).await?.rows_affected());
    Ok(())
}

/// How many notifications the user has not read, for the header.
pub async fn unread_count(db: &Db, user_id: &str) -> Result<i64> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id).fetch_one(pool).await?))
}

/// Marks one of the user's notifications read and gives its link; another
/// user's notification is not found.
pub async fn open(db: &Db, user_id: &str, id: &str) -> Result<String> {
    let link: Option<String> = on_db!(db, pool => sqlx::query_scalar(
        "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3 RETURNING link")
        .bind(now()).bind(id).bind(user_id).fetch_optional(pool).await?);
    link.ok_or(crate::StoreError::NotFound)
}

/// Marks all of the user's notifications read; returns how many were unread.
pub async fn mark_all_read(db: &Db, user_id: &str) -> Result<u64> {
    Ok(on_db!(db, pool => sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now()).bind(user_id).execute(pool).await?.rows_affected()))
}
