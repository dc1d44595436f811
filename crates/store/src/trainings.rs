//! Trainings and webinars: sessions, registration with a strict
//! first-in-first-out waiting list, attendance and certificates.
//!
//! Places hold under concurrency because every registration and
//! cancellation first takes the training row's lock (the arrival counter
//! update on PostgreSQL, the write lock on SQLite) and decides inside that
//! transaction.

use tukiverkko_domain::notification::NotificationKind;
use tukiverkko_domain::training::{Schedule, earns_certificate};

use crate::audit::{self, AuditActor, AuditEvent};
use crate::notifications::notify;
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

/// A checked training; the web layer checked texts, codes and the schedule.
#[derive(Debug, Clone)]
pub struct NewTraining {
    pub title: String,
    pub description: String,
    pub method: Option<String>,
    pub format: String,
    pub link: Option<String>,
    pub location: Option<String>,
    pub schedule: Schedule,
    pub target_sectors: Vec<String>,
    pub trainers: Vec<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrainingRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub method: Option<String>,
    pub format: String,
    pub link: Option<String>,
    pub location: Option<String>,
    pub capacity: i64,
    pub registration_closes: i64,
    pub required_sessions: i64,
    pub target_sectors: String,
    pub trainers: String,
    pub centre: Option<String>,
    pub created_at: i64,
}

/// A training with its sessions and how many places are taken.
#[derive(Debug, Clone)]
pub struct Training {
    pub row: TrainingRow,
    /// `(starts_at, minutes)` in time order.
    pub sessions: Vec<(i64, i64)>,
    pub registered: i64,
    pub waitlisted: i64,
}

fn event(by: &AuditActor, action: &str, id: &str) -> AuditEvent {
    AuditEvent::named(action).by(by).object("training", id)
}

pub async fn create(
    db: &Db,
    new: &NewTraining,
    user_id: &str,
    centre: Option<&str>,
    by: &AuditActor,
) -> Result<Training> {
    let id = secrets::new_id();
    let s = &new.schedule;
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO trainings (id, title, description, method, format, link, location, capacity, registration_closes,
             required_sessions, target_sectors, trainers, centre, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
        .bind(&id).bind(&new.title).bind(&new.description).bind(&new.method).bind(&new.format).bind(&new.link)
        .bind(&new.location).bind(s.capacity).bind(s.registration_closes).bind(s.required_sessions)
        .bind(new.target_sectors.join(";")).bind(new.trainers.join(";")).bind(centre).bind(user_id).bind(now())
        .execute(conn).await?.rows_affected());
    for (position, session) in s.sessions.iter().enumerate() {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO training_sessions (training_id, position, starts_at, minutes) VALUES ($1, $2, $3, $4)")
            .bind(&id).bind(position as i64).bind(session.starts_at).bind(session.minutes)
            .execute(conn).await?.rows_affected());
    }
    audit::append(&mut tx, event(by, "training.create", &id)).await?;
    tx.commit().await?;
    get(db, &id).await
}

const SELECT: &str = "SELECT id, title, description, method, format, link, location, capacity, registration_closes,
    required_sessions, target_sectors, trainers, centre, created_at FROM trainings";

async fn complete(db: &Db, row: TrainingRow) -> Result<Training> {
    let sessions: Vec<(i64, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT starts_at, minutes FROM training_sessions WHERE training_id = $1 ORDER BY position")
        .bind(&row.id).fetch_all(pool).await?);
    let counts: Vec<(String, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT status, COUNT(*) FROM training_registrations WHERE training_id = $1 GROUP BY status")
        .bind(&row.id).fetch_all(pool).await?);
    let count = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    Ok(Training { registered: count("registered"), waitlisted: count("waitlisted"), sessions, row })
}

pub async fn get(db: &Db, id: &str) -> Result<Training> {
    let row: Option<TrainingRow> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(id).fetch_optional(pool).await?);
    complete(db, row.ok_or(StoreError::NotFound)?).await
}

/// Trainings whose last session has not ended, soonest first; with `all`, every one.
pub async fn list(db: &Db, all: bool) -> Result<Vec<Training>> {
    let rows: Vec<TrainingRow> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} t WHERE $1 OR EXISTS (SELECT 1 FROM training_sessions s WHERE s.training_id = t.id AND s.starts_at + s.minutes * 60 > $2)
         ORDER BY (SELECT MIN(starts_at) FROM training_sessions s WHERE s.training_id = t.id), id")))
        .bind(all).bind(now()).fetch_all(pool).await?);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(complete(db, row).await?);
    }
    Ok(out)
}

/// Takes the training's lock for the rest of the transaction and hands out
/// the next arrival number.
async fn next_arrival(tx: &mut Tx, id: &str) -> Result<(i64, i64, i64)> {
    let row: Option<(i64, i64, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "UPDATE trainings SET last_arrival = last_arrival + 1 WHERE id = $1 RETURNING last_arrival, capacity, registration_closes")
        .bind(id).fetch_optional(conn).await?);
    row.ok_or(StoreError::NotFound)
}

/// Where someone stands: registered, or waitlisted at `position` (1 = next in line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Registered,
    Waitlisted { position: i64 },
}

async fn position(tx: &mut Tx, id: &str, arrival: i64) -> Result<i64> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM training_registrations WHERE training_id = $1 AND status = 'waitlisted' AND arrival <= $2")
        .bind(id).bind(arrival).fetch_one(conn).await?))
}

/// Registers the user: a place while there is one, else the end of the queue.
pub async fn register(db: &Db, id: &str, user_id: &str, by: &AuditActor) -> Result<Standing> {
    let mut tx = db.begin().await?;
    let (arrival, capacity, closes) = next_arrival(&mut tx, id).await?;
    if now() > closes {
        return Err(StoreError::Conflict("registration for this training has closed".into()));
    }
    let existing: Option<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT status FROM training_registrations WHERE training_id = $1 AND user_id = $2")
        .bind(id).bind(user_id).fetch_optional(conn).await?);
    if existing.is_some() {
        return Err(StoreError::Conflict("you are already registered for this training".into()));
    }
    let taken: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM training_registrations WHERE training_id = $1 AND status = 'registered'")
        .bind(id).fetch_one(conn).await?);
    let status = if taken < capacity { "registered" } else { "waitlisted" };
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO training_registrations (training_id, user_id, status, arrival, registered_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id).bind(user_id).bind(status).bind(arrival).bind(now()).execute(conn).await?.rows_affected());
    audit::append(&mut tx, event(by, &format!("training.{status}"), id)).await?;
    let standing = if status == "registered" {
        Standing::Registered
    } else {
        Standing::Waitlisted { position: position(&mut tx, id, arrival).await? }
    };
    tx.commit().await?;
    Ok(standing)
}

/// Cancels the user's place or queue place. A freed place goes to the first
/// in the queue in the same transaction, and they are told.
pub async fn cancel(db: &Db, id: &str, user_id: &str, by: &AuditActor) -> Result<Option<String>> {
    let mut tx = db.begin().await?;
    next_arrival(&mut tx, id).await?;
    let status: Option<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT status FROM training_registrations WHERE training_id = $1 AND user_id = $2")
        .bind(id).bind(user_id).fetch_optional(conn).await?);
    let status = status.ok_or(StoreError::NotFound)?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM training_registrations WHERE training_id = $1 AND user_id = $2")
        .bind(id).bind(user_id).execute(conn).await?.rows_affected());
    audit::append(&mut tx, event(by, "training.cancel", id)).await?;
    let mut promoted = None;
    if status == "registered" {
        let first: Option<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
            "SELECT user_id FROM training_registrations WHERE training_id = $1 AND status = 'waitlisted' ORDER BY arrival LIMIT 1")
            .bind(id).fetch_optional(conn).await?);
        if let Some(next) = first {
            promote(&mut tx, id, &next, by, "training.promote").await?;
            promoted = Some(next);
        }
    }
    tx.commit().await?;
    Ok(promoted)
}

async fn promote(tx: &mut Tx, id: &str, user_id: &str, by: &AuditActor, action: &str) -> Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE training_registrations SET status = 'registered' WHERE training_id = $1 AND user_id = $2")
        .bind(id).bind(user_id).execute(conn).await?.rows_affected());
    notify(tx, user_id, NotificationKind::TrainingPlace, &format!("/trainings/{id}")).await?;
    audit::append(tx, event(by, action, id)).await?;
    Ok(())
}

/// A coordinator gives a queued person a place out of turn (over capacity
/// if need be); the reason is kept in the audit trail.
pub async fn promote_out_of_turn(db: &Db, id: &str, email: &str, reason: &str, by: &AuditActor) -> Result<()> {
    let mut tx = db.begin().await?;
    next_arrival(&mut tx, id).await?;
    let user: Option<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT r.user_id FROM training_registrations r JOIN users u ON u.id = r.user_id
         WHERE r.training_id = $1 AND u.email = $2 AND r.status = 'waitlisted'")
        .bind(id).bind(email).fetch_optional(conn).await?);
    let user = user.ok_or_else(|| {
        StoreError::Invalid(tukiverkko_domain::ValueError::new(
            "not_waitlisted",
            format!("{email} is not on the waiting list"),
        ))
    })?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE training_registrations SET status = 'registered' WHERE training_id = $1 AND user_id = $2")
        .bind(id).bind(&user).execute(conn).await?.rows_affected());
    notify(&mut tx, &user, NotificationKind::TrainingPlace, &format!("/trainings/{id}")).await?;
    audit::append(&mut tx, event(by, "training.move", id).purpose(Some(reason))).await?;
    tx.commit().await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegistrationLine {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub status: String,
    pub arrival: i64,
}

/// Registered people first (in arrival order), then the queue in order.
pub async fn registrations(db: &Db, id: &str) -> Result<Vec<RegistrationLine>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT r.user_id, u.email, u.name, r.status, r.arrival FROM training_registrations r JOIN users u ON u.id = r.user_id
         WHERE r.training_id = $1 ORDER BY CASE r.status WHEN 'registered' THEN 0 ELSE 1 END, r.arrival")
        .bind(id).fetch_all(pool).await?))
}

/// The caller's standing in a training, if any.
pub async fn standing(db: &Db, id: &str, user_id: &str) -> Result<Option<Standing>> {
    let row: Option<(String, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT status, arrival FROM training_registrations WHERE training_id = $1 AND user_id = $2")
        .bind(id).bind(user_id).fetch_optional(pool).await?);
    Ok(match row {
        None => None,
        Some((s, _)) if s == "registered" => Some(Standing::Registered),
        Some((_, arrival)) => {
            let position: i64 = on_db!(db, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM training_registrations WHERE training_id = $1 AND status = 'waitlisted' AND arrival <= $2")
                .bind(id).bind(arrival).fetch_one(pool).await?);
            Some(Standing::Waitlisted { position })
        }
    })
}

/// Records who was present at one session (registered people only: anyone
/// else is refused by e-mail and nothing is stored), then issues the
/// certificates now earned. Returns how many were issued.
pub async fn record_attendance(db: &Db, id: &str, session: i64, present: &[String], by: &AuditActor) -> Result<usize> {
    let training = get(db, id).await?;
    if session < 0 || session as usize >= training.sessions.len() {
        return Err(tukiverkko_domain::ValueError::new("out_of_range", "no such session").into());
    }
    let people = registrations(db, id).await?;
    let mut users = Vec::new();
    for email in present {
        match people.iter().find(|p| p.email.eq_ignore_ascii_case(email.trim()) && p.status == "registered") {
            Some(p) => users.push(p.user_id.clone()),
            None => {
                return Err(
                    tukiverkko_domain::ValueError::new("not_registered", format!("{email} is not registered")).into()
                );
            }
        }
    }
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM training_attendance WHERE training_id = $1 AND position = $2")
        .bind(id).bind(session).execute(conn).await?.rows_affected());
    for user in &users {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO training_attendance (training_id, position, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(id).bind(session).bind(user).execute(conn).await?.rows_affected());
    }
    let attended: Vec<(String, i64)> = on_tx!(&mut tx, conn => sqlx::query_as(
        "SELECT user_id, COUNT(*) FROM training_attendance WHERE training_id = $1 GROUP BY user_id")
        .bind(id).fetch_all(conn).await?);
    let today = tukiverkko_domain::calendar::to_helsinki(now()).date().to_string();
    let mut issued = 0;
    for (user, count) in attended {
        if earns_certificate(count as usize, training.row.required_sessions) {
            let code = certificate_code();
            let new = on_tx!(&mut tx, conn => sqlx::query(
                "INSERT INTO certificates (code, training_id, user_id, issued_on) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (training_id, user_id) DO NOTHING")
                .bind(&code).bind(id).bind(&user).bind(&today).execute(conn).await?.rows_affected());
            if new == 1 {
                // The certificate is ready, and with it the request for feedback.
                notify(&mut tx, &user, NotificationKind::TrainingCertificate, &format!("/trainings/{id}")).await?;
                issued += 1;
            }
        }
    }
    audit::append(&mut tx, event(by, "training.attendance", id)).await?;
    tx.commit().await?;
    Ok(issued)
}

/// A code that is easy to read out and type: 12 characters without 0/O, 1/I.
fn certificate_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let raw = secrets::random_token();
    let bytes = raw.as_bytes();
    (0..12).map(|i| ALPHABET[bytes[i % bytes.len()] as usize % ALPHABET.len()] as char).collect()
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub code: String,
    pub training_id: String,
    pub training: String,
    pub method: Option<String>,
    pub holder: String,
    /// The holder's language: the PDF is printed in it.
    pub language: String,
    pub issued_on: String,
}

const CERTIFICATES: &str =
    "SELECT c.code, c.training_id, t.title AS training, t.method, u.name AS holder, u.language, c.issued_on
    FROM certificates c JOIN trainings t ON t.id = c.training_id JOIN users u ON u.id = c.user_id";

pub async fn certificates_of(db: &Db, user_id: &str) -> Result<Vec<CertificateRow>> {
    Ok(
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("{CERTIFICATES} WHERE c.user_id = $1 ORDER BY c.issued_on, c.code")))
        .bind(user_id).fetch_all(pool).await?),
    )
}

pub async fn certificate(db: &Db, code: &str) -> Result<CertificateRow> {
    let row: Option<CertificateRow> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("{CERTIFICATES} WHERE c.code = $1")))
        .bind(code).fetch_optional(pool).await?);
    row.ok_or(StoreError::NotFound)
}

/// Sessions of the trainings the user holds a place in, for the calendar feed.
pub async fn sessions_for(db: &Db, user_id: &str) -> Result<Vec<(String, String, i64, i64, i64)>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT t.id, t.title, s.position, s.starts_at, s.minutes FROM training_registrations r
         JOIN trainings t ON t.id = r.training_id JOIN training_sessions s ON s.training_id = t.id
         WHERE r.user_id = $1 AND r.status = 'registered' ORDER BY s.starts_at")
        .bind(user_id).fetch_all(pool).await?))
}
