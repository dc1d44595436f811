//! Two years of finished demo consultations, so that a researcher or a
//! coordinator trying the demo sees statistics with enough cases behind
//! them instead of a page of "<5". They are closed, cancelled or declined
//! (no one's queue or home lists them), asked by a requester who cannot sign
//! in, and carry no case text beyond a placeholder.

use tukiverkko_domain::reference::{self, TaxonomyKind};

use crate::{Db, Result, now, on_tx, secrets};

/// How many finished cases the demo holds.
pub const DEMO_HISTORY: usize = 240;

/// A small deterministic generator: the same demo every time.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Writes the finished cases (as if sent over the last two years) with
/// their events, statements, feedback and some outcome measurements, then
/// counts them into the statistics. `requester` asked them and `expert`
/// answered.
pub async fn seed(db: &Db, requester: &str, expert: &str) -> Result<()> {
    let topics: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Topic).map(|e| e.code).collect();
    let counties = reference::counties();
    let mut rng = Lcg(2026);
    let today = now();
    let mut tx = db.begin().await?;
    for i in 0..DEMO_HISTORY {
        let county = &counties[rng.below(counties.len())];
        // Most cases come from the larger counties' centres, so every centre
        // has groups above the disclosure threshold.
        let topic = topics[rng.below(topics.len().min(12))];
        let sent = today - (20 + rng.below(700)) as i64 * 86_400;
        let due = tukiverkko_domain::calendar::to_helsinki(sent + 14 * 86_400).date().to_string();
        let status = match rng.below(20) {
            0..=15 => "closed",
            16..=18 => "cancelled",
            _ => "declined",
        };
        let id = secrets::new_id();
        let sent_year = tukiverkko_domain::calendar::to_helsinki(sent).year();
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO consultations (id, reference, requester_id, centre, status, question, topics, urgency, format,
                 legal_basis, client_age, client_county, created_at, submitted_at, due_date, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'guardian_consent', $10, $11, $12, $12, $13, $12)")
            .bind(&id).bind(format!("OT-{sent_year}-H{i:03}")).bind(requester).bind(county.centre.as_str()).bind(status)
            .bind("Demotapaus: ei sisältöä.").bind(topic).bind(["normal", "normal", "urgent", "planned"][rng.below(4)])
            .bind(["statement", "statement", "meeting", "visit"][rng.below(4)]).bind((4 + rng.below(14)) as i64)
            .bind(county.code).bind(sent).bind(&due)
            .execute(conn).await?.rows_affected());
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO consultation_events (id, consultation_id, position, at, actor_id, action, from_status, to_status)
             VALUES ($1, $2, 1, $3, $4, 'submit', 'draft', 'submitted'), ($5, $2, 2, $6, $4, $7, 'submitted', $8)")
            .bind(secrets::new_id()).bind(&id).bind(sent).bind(requester).bind(secrets::new_id())
            .bind(sent + 86_400).bind(if status == "closed" { "feedback" } else { status }).bind(status)
            .execute(conn).await?.rows_affected());
        if status != "closed" {
            continue;
        }
        let answered = sent + (rng.below(16) as i64 + 1) * 86_400;
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO consultation_statements (consultation_id, author_id, assessment, recommendations, at, first_at)
             VALUES ($1, $2, 'Demolausunto.', 'Demosuositus.', $3, $3)")
            .bind(&id).bind(expert).bind(answered).execute(conn).await?.rows_affected());
        let referral = ["avoided", "avoided", "not_needed", "still_needed", "initiated"][rng.below(5)];
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO consultation_feedback (consultation_id, usefulness, referral_avoided, at, outcome, referral)
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&id).bind((2 + rng.below(4)) as i64).bind(referral == "avoided").bind(answered + 86_400)
            .bind(["confirmed_plan", "new_advice", "new_advice", "not_useful"][rng.below(4)]).bind(referral)
            .execute(conn).await?.rows_affected());
        if i % 3 == 0 {
            let first = 35 + rng.below(25) as i64;
            for (k, score) in [first, first + rng.below(20) as i64].into_iter().enumerate() {
                let on = tukiverkko_domain::calendar::to_helsinki(sent + (k as i64 * 60 + 2) * 86_400).date();
                on_tx!(&mut tx, conn => sqlx::query(
                    "INSERT INTO consultation_outcomes (id, consultation_id, instrument, measured_on, headline, detail, recorded_by, recorded_at)
                     VALUES ($1, $2, 'cgas', $3, $4, $5, $6, $7)")
                    .bind(secrets::new_id()).bind(&id).bind(on.to_string()).bind(score as f64)
                    .bind(format!("{{\"instrument\":\"cgas\",\"score\":{score}}}")).bind(expert).bind(sent)
                    .execute(conn).await?.rows_affected());
            }
        }
    }
    tx.commit().await?;
    crate::statistics::backfill(db).await?;
    Ok(())
}
