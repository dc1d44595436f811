//! The centres' national specialisations and their catalogue of
//! consultation services. Both are public: anyone may read them, only a
//! coordinator of the centre changes them, and every change is audited.

use tukiverkko_domain::Role;
use tukiverkko_domain::catalogue::Names;
use tukiverkko_domain::consultation::ServiceLevels;

use crate::accounts::Account;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

/// Only a coordinator of `centre` edits what the centre offers.
pub fn check_coordinator_of(account: &Account, centre: &str) -> Result<()> {
    let own = account.centre.map(|c| c.as_str());
    if account.roles.contains(&Role::Coordinator) && own == Some(centre) { Ok(()) } else { Err(StoreError::Forbidden) }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Specialisation {
    pub centre: String,
    pub topic: String,
    pub description: String,
}

/// Every centre's specialisations, in the order the centre listed them.
pub async fn specialisations(db: &Db) -> Result<Vec<Specialisation>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT centre, topic, description FROM centre_specialisations ORDER BY centre, position")
        .fetch_all(pool).await?))
}

/// Replaces a centre's specialisations (topic, description) as a whole.
pub async fn set_specialisations(
    db: &Db,
    account: &Account,
    by: &AuditActor,
    centre: &str,
    items: &[(String, String)],
) -> Result<()> {
    check_coordinator_of(account, centre)?;
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM centre_specialisations WHERE centre = $1")
        .bind(centre).execute(conn).await?.rows_affected());
    for (i, (topic, description)) in items.iter().enumerate() {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO centre_specialisations (centre, topic, description, position) VALUES ($1, $2, $3, $4)")
            .bind(centre).bind(topic).bind(description).bind(i as i64).execute(conn).await?.rows_affected());
    }
    audit::append(&mut tx, AuditEvent::named("centre.specialisations").by(by).object("centre", centre)).await?;
    tx.commit().await?;
    Ok(())
}

/// A checked service; the web layer guards every text first.
#[derive(Debug, Clone, Default)]
pub struct NewService {
    pub centre: String,
    pub name: Names,
    pub description: Names,
    pub topics: Vec<String>,
    pub formats: Vec<String>,
    pub target_group: String,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub levels: ServiceLevels,
    /// The team that answers (one of the centre's).
    pub team: Option<String>,
    pub how_to_ask: String,
    pub contact_email: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: String,
    pub centre: String,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    pub description_fi: String,
    pub description_sv: String,
    pub description_en: String,
    pub topics: String,
    pub formats: String,
    pub target_group: String,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub urgent_days: i64,
    pub normal_days: i64,
    pub planned_days: i64,
    pub team_id: Option<String>,
    pub team_name_fi: Option<String>,
    pub team_name_sv: Option<String>,
    pub team_name_en: Option<String>,
    pub how_to_ask: String,
    pub contact_email: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ServiceRow {
    pub fn name(&self) -> Names {
        Names { fi: self.name_fi.clone(), sv: self.name_sv.clone(), en: self.name_en.clone() }
    }

    pub fn description(&self) -> Names {
        Names { fi: self.description_fi.clone(), sv: self.description_sv.clone(), en: self.description_en.clone() }
    }

    pub fn team_name(&self) -> Option<Names> {
        Some(Names {
            fi: self.team_name_fi.clone()?,
            sv: self.team_name_sv.clone().unwrap_or_default(),
            en: self.team_name_en.clone().unwrap_or_default(),
        })
    }

    pub fn levels(&self) -> ServiceLevels {
        ServiceLevels {
            urgent: self.urgent_days as u32,
            normal: self.normal_days as u32,
            planned: self.planned_days as u32,
        }
    }
}

/// Services with their team's name; the SQL stays a literal.
macro_rules! select_services {
    ($rest:literal) => {
        concat!(
            "SELECT s.id, s.centre, s.name_fi, s.name_sv, s.name_en, s.description_fi, s.description_sv, s.description_en,
                s.topics, s.formats, s.target_group, s.age_min, s.age_max, s.urgent_days, s.normal_days, s.planned_days,
                s.team_id, t.name_fi AS team_name_fi, t.name_sv AS team_name_sv, t.name_en AS team_name_en,
                s.how_to_ask, s.contact_email, s.created_at, s.updated_at
             FROM services s LEFT JOIN teams t ON t.id = s.team_id ",
            $rest
        )
    };
}

/// The catalogue, or one centre's part of it, by centre and name.
pub async fn services(db: &Db, centre: Option<&str>) -> Result<Vec<ServiceRow>> {
    Ok(
        on_db!(db, pool => sqlx::query_as(select_services!("WHERE ($1 IS NULL OR s.centre = $1) ORDER BY s.centre, s.name_fi, s.id"))
        .bind(centre).fetch_all(pool).await?),
    )
}

pub async fn service(db: &Db, id: &str) -> Result<ServiceRow> {
    let row: Option<ServiceRow> =
        on_db!(db, pool => sqlx::query_as(select_services!("WHERE s.id = $1")).bind(id).fetch_optional(pool).await?);
    row.ok_or(StoreError::NotFound)
}

async fn check_team(tx: &mut Tx, new: &NewService) -> Result<()> {
    if let Some(team) = &new.team {
        let centre: Option<String> = on_tx!(tx, conn => sqlx::query_scalar("SELECT centre FROM teams WHERE id = $1")
            .bind(team).fetch_optional(conn).await?);
        if centre.as_deref() != Some(new.centre.as_str()) {
            return Err(tukiverkko_domain::ValueError::new("unknown_team", "no team of this centre has this id").into());
        }
    }
    Ok(())
}

/// Adds a service to the coordinator's centre.
pub async fn create_service(db: &Db, account: &Account, by: &AuditActor, new: &NewService) -> Result<ServiceRow> {
    check_coordinator_of(account, &new.centre)?;
    let id = secrets::new_id();
    insert_service(db, by, &id, new).await
}

/// Stores a service under a given id (the demo data uses fixed ones).
pub(crate) async fn insert_service(db: &Db, by: &AuditActor, id: &str, new: &NewService) -> Result<ServiceRow> {
    let mut tx = db.begin().await?;
    check_team(&mut tx, new).await?;
    let t = now();
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO services (id, centre, name_fi, name_sv, name_en, description_fi, description_sv, description_en, topics, formats,
             target_group, age_min, age_max, urgent_days, normal_days, planned_days, team_id, how_to_ask, contact_email, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)
         ON CONFLICT (id) DO NOTHING")
        .bind(id).bind(&new.centre).bind(&new.name.fi).bind(&new.name.sv).bind(&new.name.en)
        .bind(&new.description.fi).bind(&new.description.sv).bind(&new.description.en)
        .bind(new.topics.join(";")).bind(new.formats.join(";")).bind(&new.target_group).bind(new.age_min).bind(new.age_max)
        .bind(new.levels.urgent as i64).bind(new.levels.normal as i64).bind(new.levels.planned as i64)
        .bind(&new.team).bind(&new.how_to_ask).bind(&new.contact_email).bind(t)
        .execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::named("service.create").by(by).object("service", id)).await?;
    tx.commit().await?;
    service(db, id).await
}

/// Rewrites a service of the coordinator's centre; it stays at its centre.
pub async fn update_service(
    db: &Db,
    account: &Account,
    by: &AuditActor,
    id: &str,
    new: &NewService,
) -> Result<ServiceRow> {
    let current = service(db, id).await?;
    check_coordinator_of(account, &current.centre)?;
    if new.centre != current.centre {
        return Err(tukiverkko_domain::ValueError::new("centre_changed", "a service stays at its centre").into());
    }
    let mut tx = db.begin().await?;
    check_team(&mut tx, new).await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE services SET name_fi = $2, name_sv = $3, name_en = $4, description_fi = $5, description_sv = $6, description_en = $7,
             topics = $8, formats = $9, target_group = $10, age_min = $11, age_max = $12, urgent_days = $13, normal_days = $14,
             planned_days = $15, team_id = $16, how_to_ask = $17, contact_email = $18, updated_at = $19
         WHERE id = $1")
        .bind(id).bind(&new.name.fi).bind(&new.name.sv).bind(&new.name.en)
        .bind(&new.description.fi).bind(&new.description.sv).bind(&new.description.en)
        .bind(new.topics.join(";")).bind(new.formats.join(";")).bind(&new.target_group).bind(new.age_min).bind(new.age_max)
        .bind(new.levels.urgent as i64).bind(new.levels.normal as i64).bind(new.levels.planned as i64)
        .bind(&new.team).bind(&new.how_to_ask).bind(&new.contact_email).bind(now())
        .execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::named("service.update").by(by).object("service", id)).await?;
    tx.commit().await?;
    service(db, id).await
}
