//! Outcome measurements of a consultation's client (GAS, CGAS, HoNOSCA,
//! SDQ scores). They are case content: recorded and read only through the
//! case's access rule, and every access is audited like a read of the case.

use serde::{Deserialize, Serialize};
use tukiverkko_domain::consultation::may_record_outcome;
use tukiverkko_domain::outcome::{GasGoal, Instrument, Measurement, SdqScores};
use tukiverkko_domain::{ValueError, consultation::Party};

use super::{Actor, Opened};
use crate::{Db, Result, StoreError, now, on_tx, secrets};

/// A measurement as stored: the instrument's own figures, never an SDQ
/// item (the questionnaire is licensed; only its scores are kept).
#[derive(Serialize, Deserialize)]
#[serde(tag = "instrument", rename_all = "lowercase")]
enum Detail {
    Gas { goals: Vec<GasGoal> },
    Cgas { score: u8 },
    Honosca { items: Vec<u8> },
    Sdq(SdqScores),
}

impl Detail {
    fn of(m: &Measurement) -> Self {
        match m {
            Measurement::Gas(goals) => Detail::Gas { goals: goals.clone() },
            Measurement::Cgas(score) => Detail::Cgas { score: *score },
            Measurement::Honosca(items) => Detail::Honosca { items: items.to_vec() },
            Measurement::Sdq(scores) => Detail::Sdq(scores.clone()),
        }
    }

    fn into_measurement(self) -> Option<Measurement> {
        Some(match self {
            Detail::Gas { goals } => Measurement::Gas(goals),
            Detail::Cgas { score } => Measurement::Cgas(score),
            Detail::Honosca { items } => Measurement::Honosca(items.try_into().ok()?),
            Detail::Sdq(scores) => Measurement::Sdq(scores),
        })
    }
}

/// One stored measurement.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub measured_on: String,
    pub measurement: Measurement,
    pub recorded_at: i64,
}

#[derive(sqlx::FromRow)]
struct OutcomeRow {
    id: String,
    measured_on: String,
    detail: String,
    recorded_at: i64,
}

impl OutcomeRow {
    fn into_outcome(self) -> Result<Outcome> {
        let measurement = serde_json::from_str::<Detail>(&self.detail)
            .ok()
            .and_then(Detail::into_measurement)
            .ok_or_else(|| StoreError::Corrupt(format!("outcome {} holds an unreadable measurement", self.id)))?;
        Ok(Outcome { id: self.id, measured_on: self.measured_on, measurement, recorded_at: self.recorded_at })
    }
}

/// Records one measurement, by the requester or an assigned expert.
pub async fn record_outcome(
    db: &Db,
    id: &str,
    actor: &Actor,
    measured_on: &str,
    measurement: &Measurement,
) -> Result<Outcome> {
    let mut opened = Opened::open(db, id, actor, "consultation.outcome").await?;
    if !may_record_outcome(opened.case.status(), &opened.parties) {
        let measures = opened.parties.iter().any(|p| !matches!(p, Party::Coordinator));
        return Err(if measures {
            StoreError::Conflict(format!("a {} consultation takes no outcome measurements", opened.case.status))
        } else {
            StoreError::Forbidden
        });
    }
    let detail = serde_json::to_string(&Detail::of(measurement))
        .map_err(|e| StoreError::Invalid(ValueError::new("invalid", e.to_string())))?;
    let outcome_id = secrets::new_id();
    let t = now();
    on_tx!(&mut opened.tx, conn => sqlx::query(
        "INSERT INTO consultation_outcomes (id, consultation_id, instrument, measured_on, headline, detail, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&outcome_id).bind(id).bind(measurement.instrument().as_str()).bind(measured_on)
        .bind(measurement.headline()).bind(&detail).bind(&actor.account.id).bind(t)
        .execute(conn).await?.rows_affected());
    crate::statistics::refresh_case(&mut opened.tx, id).await?;
    opened.tx.commit().await?;
    Ok(Outcome {
        id: outcome_id,
        measured_on: measured_on.to_string(),
        measurement: measurement.clone(),
        recorded_at: t,
    })
}

/// Every measurement of the case in time order, for anyone who may read
/// the case (the read is audited).
pub async fn outcomes(db: &Db, id: &str, actor: &Actor) -> Result<Vec<Outcome>> {
    let mut opened = Opened::open(db, id, actor, "consultation.outcomes_read").await?;
    let rows = outcomes_in(&mut opened.tx, id).await?;
    opened.tx.commit().await?;
    rows.into_iter().map(OutcomeRow::into_outcome).collect()
}

async fn outcomes_in(tx: &mut crate::Tx, id: &str) -> Result<Vec<OutcomeRow>> {
    Ok(on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, measured_on, detail, recorded_at FROM consultation_outcomes WHERE consultation_id = $1
         ORDER BY measured_on, recorded_at, id")
        .bind(id).fetch_all(conn).await?))
}

/// The measurements of a case already opened (for the case page, whose
/// read is audited once).
pub(crate) async fn outcomes_of_open_case(tx: &mut crate::Tx, id: &str) -> Result<Vec<Outcome>> {
    outcomes_in(tx, id).await?.into_iter().map(OutcomeRow::into_outcome).collect()
}

/// The instruments a case's outcomes use, in a fixed order.
pub fn instruments(outcomes: &[Outcome]) -> Vec<Instrument> {
    Instrument::ALL.into_iter().filter(|i| outcomes.iter().any(|o| o.measurement.instrument() == *i)).collect()
}

/// Blanks the goal descriptions of a case's GAS measurements (free text),
/// keeping weights and levels so the scores stand; for the end of the
/// retention period.
pub(crate) async fn strip_descriptions(tx: &mut crate::Tx, id: &str) -> Result<()> {
    let rows: Vec<(String, String)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, detail FROM consultation_outcomes WHERE consultation_id = $1 AND instrument = 'gas'")
        .bind(id).fetch_all(conn).await?);
    for (outcome_id, detail) in rows {
        let Ok(Detail::Gas { mut goals }) = serde_json::from_str::<Detail>(&detail) else { continue };
        for g in &mut goals {
            g.description = None;
        }
        let detail = serde_json::to_string(&Detail::Gas { goals })
            .map_err(|e| StoreError::Invalid(ValueError::new("invalid", e.to_string())))?;
        on_tx!(tx, conn => sqlx::query("UPDATE consultation_outcomes SET detail = $1 WHERE consultation_id = $2 AND id = $3")
            .bind(&detail).bind(id).bind(&outcome_id).execute(conn).await?.rows_affected());
    }
    Ok(())
}
