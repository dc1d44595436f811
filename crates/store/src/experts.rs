//! Expert directory profiles. Multi-valued fields (languages, topics,
//! methods) are stored `;`-separated, the same form as the CSV interface.

use crate::{Db, Result, Tx, now, on_db, on_tx, secrets};

#[derive(Debug, Clone, Default)]
pub struct NewProfile {
    /// Stable key for CSV upserts; generated when a profile is made in the app.
    pub external_id: Option<String>,
    pub user_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub title: String,
    pub organization: String,
    pub sector: String,
    pub county: String,
    pub centre: String,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub methods: Vec<String>,
    pub remote: bool,
    pub accepts_consultations: bool,
    pub capacity: i64,
    pub bio: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: String,
    pub external_id: String,
    pub user_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub title: String,
    pub organization: String,
    pub sector: String,
    pub county: String,
    pub centre: String,
    pub languages: String,
    pub topics: String,
    pub methods: String,
    pub remote: bool,
    pub accepts_consultations: bool,
    pub capacity: i64,
    pub bio: String,
    pub email: String,
    pub phone: String,
    pub version: i64,
    pub updated_at: i64,
}

impl ProfileRow {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name).trim().to_string()
    }
}

pub fn join(values: &[String]) -> String {
    values.join(";")
}

pub fn split(values: &str) -> Vec<String> {
    values.split(';').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect()
}

/// Inserts a profile and returns its id.
pub async fn insert(tx: &mut Tx, p: &NewProfile) -> Result<String> {
    let id = secrets::new_id();
    let external_id = p.external_id.clone().unwrap_or_else(|| format!("tv-{id}"));
    let capacity = if p.capacity > 0 { p.capacity } else { 3 };
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO experts (id, external_id, user_id, given_name, family_name, title, organization, sector, county, centre,
                              languages, topics, methods, remote, accepts_consultations, capacity, bio, email, phone, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)")
        .bind(&id).bind(&external_id).bind(&p.user_id).bind(&p.given_name).bind(&p.family_name).bind(&p.title)
        .bind(&p.organization).bind(&p.sector).bind(&p.county).bind(&p.centre).bind(join(&p.languages))
        .bind(join(&p.topics)).bind(join(&p.methods)).bind(p.remote).bind(p.accepts_consultations).bind(capacity)
        .bind(&p.bio).bind(&p.email).bind(&p.phone).bind(now())
        .execute(conn).await?.rows_affected());
    Ok(id)
}

pub async fn list_all(db: &Db) -> Result<Vec<ProfileRow>> {
    Ok(on_db!(db, pool => sqlx::query_as("SELECT * FROM experts ORDER BY family_name, given_name, id")
        .fetch_all(pool).await?))
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM experts").fetch_one(pool).await?))
}

/// The directory profile linked to a user account, if any.
pub async fn id_for_user(db: &Db, user_id: &str) -> Result<Option<String>> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT id FROM experts WHERE user_id = $1").bind(user_id).fetch_optional(pool).await?),
    )
}
