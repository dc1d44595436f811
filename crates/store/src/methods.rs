//! The methods catalogue (one entry per method code, versioned on every
//! change), where each method is in use, and how many are trained where.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditActor, AuditEvent};
use crate::{Db, Result, StoreError, now, on_db, on_tx, secrets};

/// A catalogue entry as edited; names come from the taxonomy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MethodEntry {
    pub description_fi: String,
    pub description_sv: String,
    pub description_en: String,
    pub target_group: String,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub delivery: String,
    pub evidence_level: String,
    pub rated_on: Option<String>,
    pub evidence_source: Option<String>,
    /// Directory ids of experts who can train the method.
    pub trainers: Vec<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct MethodRow {
    code: String,
    description_fi: String,
    description_sv: String,
    description_en: String,
    target_group: String,
    age_min: Option<i64>,
    age_max: Option<i64>,
    delivery: String,
    evidence_level: String,
    rated_on: Option<String>,
    evidence_source: Option<String>,
    trainers: String,
    version: i64,
    updated_at: i64,
}

/// A stored entry with its version.
#[derive(Debug, Clone)]
pub struct StoredMethod {
    pub code: String,
    pub entry: MethodEntry,
    pub version: i64,
    pub updated_at: i64,
}

impl From<MethodRow> for StoredMethod {
    fn from(r: MethodRow) -> Self {
        StoredMethod {
            entry: MethodEntry {
                description_fi: r.description_fi,
                description_sv: r.description_sv,
                description_en: r.description_en,
                target_group: r.target_group,
                age_min: r.age_min,
                age_max: r.age_max,
                delivery: r.delivery,
                evidence_level: r.evidence_level,
                rated_on: r.rated_on,
                evidence_source: r.evidence_source,
                trainers: r.trainers.split(';').filter(|t| !t.is_empty()).map(String::from).collect(),
            },
            code: r.code,
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "code, description_fi, description_sv, description_en, target_group, age_min, age_max, delivery,
    evidence_level, rated_on, evidence_source, trainers, version, updated_at";

pub async fn all(db: &Db) -> Result<BTreeMap<String, StoredMethod>> {
    let rows: Vec<MethodRow> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM methods")))
        .fetch_all(pool).await?);
    Ok(rows.into_iter().map(|r| (r.code.clone(), r.into())).collect())
}

pub async fn get(db: &Db, code: &str) -> Result<Option<StoredMethod>> {
    let row: Option<MethodRow> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM methods WHERE code = $1")))
        .bind(code).fetch_optional(pool).await?);
    Ok(row.map(Into::into))
}

/// Saves an entry (the web layer checked the code and every field) and
/// keeps the new version with who and when. With `expected_version`, a
/// change made since is a conflict.
pub async fn save(
    db: &Db,
    code: &str,
    entry: &MethodEntry,
    user_id: &str,
    by: &AuditActor,
    expected_version: Option<i64>,
) -> Result<StoredMethod> {
    for trainer in &entry.trainers {
        let known: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT id FROM experts WHERE id = $1")
            .bind(trainer).fetch_optional(pool).await?);
        if known.is_none() {
            return Err(tukiverkko_domain::ValueError::new("unknown_expert", format!("no expert {trainer}")).into());
        }
    }
    let mut tx = db.begin().await?;
    let current: Option<i64> = on_tx!(&mut tx, conn => sqlx::query_scalar("SELECT version FROM methods WHERE code = $1")
        .bind(code).fetch_optional(conn).await?);
    if let (Some(expected), Some(current)) = (expected_version, current)
        && expected != current
    {
        return Err(StoreError::Conflict(format!(
            "the entry changed after you read it (version {expected}, now {current})"
        )));
    }
    let version = current.unwrap_or(0) + 1;
    let t = now();
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO methods (code, description_fi, description_sv, description_en, target_group, age_min, age_max, delivery,
             evidence_level, rated_on, evidence_source, trainers, version, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (code) DO UPDATE SET description_fi = excluded.description_fi, description_sv = excluded.description_sv,
             description_en = excluded.description_en, target_group = excluded.target_group, age_min = excluded.age_min,
             age_max = excluded.age_max, delivery = excluded.delivery, evidence_level = excluded.evidence_level,
             rated_on = excluded.rated_on, evidence_source = excluded.evidence_source, trainers = excluded.trainers,
             version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at")
        .bind(code).bind(&entry.description_fi).bind(&entry.description_sv).bind(&entry.description_en)
        .bind(&entry.target_group).bind(entry.age_min).bind(entry.age_max).bind(&entry.delivery)
        .bind(&entry.evidence_level).bind(&entry.rated_on).bind(&entry.evidence_source).bind(entry.trainers.join(";"))
        .bind(version).bind(user_id).bind(t)
        .execute(conn).await?.rows_affected());
    let snapshot = serde_json::to_string(entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO method_versions (code, version, snapshot, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(code).bind(version).bind(&snapshot).bind(user_id).bind(t).execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::named("method.update").by(by).object("method", code)).await?;
    tx.commit().await?;
    Ok(StoredMethod { code: code.into(), entry: entry.clone(), version, updated_at: t })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub changed_by: Option<String>,
    pub changed_at: i64,
}

/// Who changed the entry and when, newest first (names of the users).
pub async fn versions(db: &Db, code: &str) -> Result<Vec<VersionRow>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT v.version, u.name AS changed_by, v.changed_at FROM method_versions v LEFT JOIN users u ON u.id = v.changed_by
         WHERE v.code = $1 ORDER BY v.version DESC")
        .bind(code).fetch_all(pool).await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UseRow {
    pub id: String,
    pub county: String,
    pub since: Option<String>,
    pub unit: String,
}

/// Records that a unit in a county uses the method (since a date, when known).
pub async fn record_use(
    db: &Db,
    method: &str,
    county: &str,
    since: Option<&str>,
    unit: &str,
    user_id: &str,
    by: &AuditActor,
) -> Result<UseRow> {
    let row =
        UseRow { id: secrets::new_id(), county: county.into(), since: since.map(String::from), unit: unit.into() };
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO method_use (id, method, county, since, unit, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&row.id).bind(method).bind(county).bind(&row.since).bind(unit).bind(user_id).bind(now())
        .execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::named("method.use").by(by).object("method", method)).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn uses(db: &Db, method: &str) -> Result<Vec<UseRow>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, county, since, unit FROM method_use WHERE method = $1 ORDER BY county, since, id")
        .bind(method).fetch_all(pool).await?))
}

/// Per county: how many people hold a certificate of a training on the
/// method (by the county of their organisation, else of their directory
/// profile), and whether the method is recorded in use there.
pub async fn coverage(db: &Db, method: &str) -> Result<(BTreeMap<String, i64>, BTreeSet<String>)> {
    let trained: Vec<(String, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT county, COUNT(*) FROM (
             SELECT DISTINCT c.user_id, COALESCE(o.county, x.county) AS county
             FROM certificates c JOIN trainings t ON t.id = c.training_id JOIN users u ON u.id = c.user_id
             LEFT JOIN organizations o ON o.id = u.organization_id LEFT JOIN experts x ON x.user_id = u.id
             WHERE t.method = $1) people
         WHERE county IS NOT NULL GROUP BY county")
        .bind(method).fetch_all(pool).await?);
    let in_use: Vec<String> = on_db!(db, pool => sqlx::query_scalar("SELECT DISTINCT county FROM method_use WHERE method = $1")
        .bind(method).fetch_all(pool).await?);
    Ok((trained.into_iter().collect(), in_use.into_iter().collect()))
}
