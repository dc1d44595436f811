//! What follows a registration: reminders before each session, the
//! certificate a participant holds, and feedback from those who attended.

use tukiverkko_domain::notification::NotificationKind;
use tukiverkko_domain::training::FeedbackScores;

use crate::audit::{self, AuditActor, AuditEvent};
use crate::notifications::notify;
use crate::{Db, Result, StoreError, now, on_db, on_tx};

const DAY: i64 = 86_400;

/// Reminds everyone holding a place of each session that starts within
/// `days` days, once per person and session (the reminder table's key makes
/// a second sweep, on this node or another, a no-op). Returns how many
/// reminders went out.
pub async fn send_reminders(db: &Db, days: u32) -> Result<usize> {
    if days == 0 {
        return Ok(0);
    }
    let at = now();
    let due: Vec<(String, i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT s.training_id, s.position, r.user_id FROM training_sessions s
         JOIN training_registrations r ON r.training_id = s.training_id AND r.status = 'registered'
         WHERE s.starts_at > $1 AND s.starts_at <= $2
           AND NOT EXISTS (SELECT 1 FROM training_reminders m
                           WHERE m.training_id = s.training_id AND m.position = s.position AND m.user_id = r.user_id)
         ORDER BY s.starts_at")
        .bind(at).bind(at + i64::from(days) * DAY).fetch_all(pool).await?);
    let mut sent = 0;
    for (training, position, user) in due {
        let mut tx = db.begin().await?;
        let new = on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO training_reminders (training_id, position, user_id, sent_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING")
            .bind(&training).bind(position).bind(&user).bind(at).execute(conn).await?.rows_affected());
        if new == 1 {
            notify(&mut tx, &user, NotificationKind::TrainingReminder, &format!("/trainings/{training}")).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// The code of the user's certificate for a training, if they hold one.
pub async fn certificate_of(db: &Db, training_id: &str, user_id: &str) -> Result<Option<String>> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT code FROM certificates WHERE training_id = $1 AND user_id = $2")
        .bind(training_id).bind(user_id).fetch_optional(pool).await?))
}

/// Whether the user may answer the feedback (attended a session) and
/// whether they already have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedbackState {
    pub attended: bool,
    pub answered: bool,
}

pub async fn feedback_state(db: &Db, training_id: &str, user_id: &str) -> Result<FeedbackState> {
    let (attended, answered): (i64, i64) = on_db!(db, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM training_attendance WHERE training_id = $1 AND user_id = $2),
                (SELECT COUNT(*) FROM training_feedback WHERE training_id = $1 AND user_id = $2)")
        .bind(training_id).bind(user_id).fetch_one(pool).await?);
    Ok(FeedbackState { attended: attended > 0, answered: answered > 0 })
}

/// Stores one participant's feedback: only someone who attended a session
/// answers, and only once.
pub async fn give_feedback(
    db: &Db,
    training_id: &str,
    user_id: &str,
    scores: FeedbackScores,
    comment: &str,
    by: &AuditActor,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let attended: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM training_attendance WHERE training_id = $1 AND user_id = $2")
        .bind(training_id).bind(user_id).fetch_one(conn).await?);
    if attended == 0 {
        return Err(StoreError::Forbidden);
    }
    let new = on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO training_feedback (training_id, user_id, rating, applicable, comment, given_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
        .bind(training_id).bind(user_id).bind(scores.rating).bind(scores.applicable).bind(comment).bind(now())
        .execute(conn).await?.rows_affected());
    if new == 0 {
        return Err(StoreError::Conflict("you have already given feedback on this training".into()));
    }
    audit::append(&mut tx, AuditEvent::named("training.feedback").by(by).object("training", training_id)).await?;
    tx.commit().await
}

/// All answers to a training's feedback, without who gave them, in an
/// order that does not follow when they were given.
#[derive(Debug, Clone, Default)]
pub struct FeedbackAnswers {
    pub ratings: Vec<i64>,
    pub applicable: Vec<i64>,
    pub comments: Vec<String>,
}

pub async fn feedback(db: &Db, training_id: &str) -> Result<FeedbackAnswers> {
    let rows: Vec<(i64, i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT rating, applicable, comment FROM training_feedback WHERE training_id = $1 ORDER BY comment, rating, applicable")
        .bind(training_id).fetch_all(pool).await?);
    let mut out = FeedbackAnswers::default();
    for (rating, applicable, comment) in rows {
        out.ratings.push(rating);
        out.applicable.push(applicable);
        if !comment.is_empty() {
            out.comments.push(comment);
        }
    }
    Ok(out)
}
