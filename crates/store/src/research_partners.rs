//! Partner organisations of the research-needs pipeline: the universities
//! and research units a confirmed, prioritised need is proposed to.

use crate::audit::{self, AuditEvent};
use crate::consultations::Actor;
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartnerRow {
    pub id: String,
    pub name: String,
    /// `university` or `research_unit`.
    pub kind: String,
    pub contact: String,
}

pub const KINDS: [&str; 2] = ["university", "research_unit"];

pub async fn list(db: &Db) -> Result<Vec<PartnerRow>> {
    Ok(on_db!(db, pool => sqlx::query_as("SELECT id, name, kind, contact FROM research_partners ORDER BY name")
        .fetch_all(pool).await?))
}

/// Adds a partner; a second one of the same name is a conflict.
pub async fn add(db: &Db, actor: &Actor, name: &str, kind: &str, contact: &str) -> Result<PartnerRow> {
    if !KINDS.contains(&kind) {
        return Err(tukiverkko_domain::ValueError::new("invalid_value", "kind is university or research_unit").into());
    }
    let mut tx = db.begin().await?;
    let taken: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM research_partners WHERE LOWER(name) = LOWER($1)").bind(name).fetch_one(conn).await?);
    if taken > 0 {
        return Err(StoreError::Conflict(format!("{name} is already a partner organisation")));
    }
    let row = PartnerRow { id: secrets::new_id(), name: name.into(), kind: kind.into(), contact: contact.into() };
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO research_partners (id, name, kind, contact, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&row.id).bind(&row.name).bind(&row.kind).bind(&row.contact).bind(now())
        .execute(conn).await?.rows_affected());
    let event = AuditEvent::named("research_partner.add").by(&actor.by).object("research_partner", &row.id);
    audit::append(&mut tx, event).await?;
    tx.commit().await?;
    Ok(row)
}

/// The partner a proposal names, by id or by name (any case); a need is
/// proposed only to a recorded partner.
pub async fn find(tx: &mut Tx, id_or_name: &str) -> Result<PartnerRow> {
    let row: Option<PartnerRow> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, name, kind, contact FROM research_partners WHERE id = $1 OR LOWER(name) = LOWER($1)")
        .bind(id_or_name.trim()).fetch_optional(conn).await?);
    row.ok_or_else(|| {
        tukiverkko_domain::ValueError::new(
            "unknown_partner",
            format!("{id_or_name} is not a partner organisation: add it to the partners first"),
        )
        .into()
    })
}

/// The partners of a new installation's demo data.
pub const DEMO: [(&str, &str); 6] = [
    ("Tampereen yliopisto", "university"),
    ("Helsingin yliopisto", "university"),
    ("Itä-Suomen yliopisto", "university"),
    ("Turun yliopiston lastenpsykiatrian tutkimuskeskus", "research_unit"),
    ("Åbo Akademi", "university"),
    ("Terveyden ja hyvinvoinnin laitos (THL)", "research_unit"),
];

pub async fn seed_demo(db: &Db) -> Result<()> {
    for (i, (name, kind)) in DEMO.iter().enumerate() {
        on_db!(db, pool => sqlx::query(
            "INSERT INTO research_partners (id, name, kind, contact, created_at) VALUES ($1, $2, $3, '', $4)
             ON CONFLICT (name) DO NOTHING")
            .bind(format!("demo-partner-{i}")).bind(name).bind(kind).bind(now()).execute(pool).await?.rows_affected());
    }
    Ok(())
}
