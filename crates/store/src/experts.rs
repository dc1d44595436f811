//! Expert directory profiles. Multi-valued fields (languages, topics,
//! methods) are stored `;`-separated, the same form as the CSV interface.

use tukiverkko_domain::audit::AuditAction;

use crate::audit::{self, AuditActor, AuditEvent};
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
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

#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
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

impl NewProfile {
    /// A profile from fields that passed the domain's rules.
    pub fn from_checked(
        external_id: Option<String>,
        p: tukiverkko_domain::profile::CheckedProfile,
        remote: bool,
        accepts_consultations: bool,
    ) -> Self {
        let codes = |v: Vec<tukiverkko_domain::TaxonomyCode>| v.iter().map(|c| c.as_str().to_string()).collect();
        NewProfile {
            external_id,
            user_id: None,
            given_name: p.given_name,
            family_name: p.family_name,
            title: p.title,
            organization: p.organization,
            sector: p.sector.as_str().to_string(),
            county: p.county.as_str().to_string(),
            centre: p.centre.as_str().to_string(),
            languages: p.languages,
            topics: codes(p.topics),
            methods: codes(p.methods),
            remote,
            accepts_consultations,
            // 0 keeps the current capacity (the CSV has no column for it).
            capacity: p.capacity.unwrap_or(0),
            bio: p.bio,
            email: p.email,
            phone: p.phone,
        }
    }
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
    bump_version(tx, Some(&id)).await?;
    Ok(id)
}

pub use crate::directory_changes::{CATCH_UP_LIMIT, Catchup, ChangeListener, bump_version, catch_up};

pub async fn version(db: &Db) -> Result<i64> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT version FROM directory_state WHERE id = 1").fetch_one(pool).await?),
    )
}

/// Open consultations per expert, for availability.
pub async fn open_load(db: &Db) -> Result<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT ce.expert_id, COUNT(*) FROM consultation_experts ce JOIN consultations c ON c.id = ce.consultation_id
         WHERE ce.state <> 'declined' AND c.status IN ('submitted', 'assigned') GROUP BY ce.expert_id")
        .fetch_all(pool).await?);
    Ok(rows.into_iter().collect())
}

pub async fn find(db: &Db, id: &str) -> Result<ProfileRow> {
    on_db!(db, pool => sqlx::query_as("SELECT * FROM experts WHERE id = $1").bind(id).fetch_optional(pool).await?)
        .ok_or(crate::StoreError::NotFound)
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

impl ProfileRow {
    /// The profile as editable fields, for updates and CSV round trips.
    pub fn to_new(&self) -> NewProfile {
        NewProfile {
            external_id: Some(self.external_id.clone()),
            user_id: self.user_id.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            title: self.title.clone(),
            organization: self.organization.clone(),
            sector: self.sector.clone(),
            county: self.county.clone(),
            centre: self.centre.clone(),
            languages: split(&self.languages),
            topics: split(&self.topics),
            methods: split(&self.methods),
            remote: self.remote,
            accepts_consultations: self.accepts_consultations,
            capacity: self.capacity,
            bio: self.bio.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        }
    }
}

async fn find_in(tx: &mut Tx, id: &str) -> Result<Option<ProfileRow>> {
    Ok(on_tx!(tx, conn => sqlx::query_as("SELECT * FROM experts WHERE id = $1").bind(id).fetch_optional(conn).await?))
}

/// Replaces a profile's fields, keeping the previous version in the
/// history. `expected_version` guards against overwriting a concurrent edit.
async fn update_in(tx: &mut Tx, current: &ProfileRow, p: &NewProfile, changed_by: Option<&str>) -> Result<()> {
    let snapshot = serde_json::to_string(current).expect("a profile serialises");
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO expert_history (id, expert_id, version, changed_by, changed_at, snapshot) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(secrets::new_id()).bind(&current.id).bind(current.version).bind(changed_by).bind(now()).bind(&snapshot)
        .execute(conn).await?.rows_affected());
    let capacity = if p.capacity > 0 { p.capacity } else { current.capacity };
    let changed = on_tx!(tx, conn => sqlx::query(
        "UPDATE experts SET given_name = $1, family_name = $2, title = $3, organization = $4, sector = $5, county = $6, centre = $7,
             languages = $8, topics = $9, methods = $10, remote = $11, accepts_consultations = $12, capacity = $13, bio = $14,
             email = $15, phone = $16, version = version + 1, updated_at = $17
         WHERE id = $18 AND version = $19")
        .bind(&p.given_name).bind(&p.family_name).bind(&p.title).bind(&p.organization).bind(&p.sector).bind(&p.county)
        .bind(&p.centre).bind(join(&p.languages)).bind(join(&p.topics)).bind(join(&p.methods)).bind(p.remote)
        .bind(p.accepts_consultations).bind(capacity).bind(&p.bio).bind(&p.email).bind(&p.phone).bind(now())
        .bind(&current.id).bind(current.version)
        .execute(conn).await?.rows_affected());
    if changed == 0 {
        return Err(StoreError::Conflict("the profile was changed by someone else; reload and try again".into()));
    }
    bump_version(tx, Some(&current.id)).await
}

pub async fn update(db: &Db, id: &str, expected_version: i64, p: &NewProfile, by: &AuditActor) -> Result<ProfileRow> {
    let mut tx = db.begin().await?;
    let current = find_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
    if current.version != expected_version {
        return Err(StoreError::Conflict("the profile was changed by someone else; reload and try again".into()));
    }
    update_in(&mut tx, &current, p, by.account_id.as_deref()).await?;
    audit::append(&mut tx, AuditEvent::new(AuditAction::ExpertUpdated).by(by).object("expert", id)).await?;
    let row = find_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// Earlier versions of a profile, newest first: (version, changed_by, changed_at).
pub async fn history(db: &Db, id: &str) -> Result<Vec<(i64, Option<String>, i64)>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT version, changed_by, changed_at FROM expert_history WHERE expert_id = $1 ORDER BY version DESC")
        .bind(id).fetch_all(pool).await?))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What an imported row does to the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create,
    /// The CSV columns whose values change.
    Update(Vec<&'static str>),
    Unchanged,
}

impl NewProfile {
    /// The CSV columns in which `other` differs from this profile.
    pub fn differences(&self, other: &NewProfile) -> Vec<&'static str> {
        let pairs: [(&'static str, bool); 17] = [
            ("given_name", self.given_name == other.given_name),
            ("family_name", self.family_name == other.family_name),
            ("title", self.title == other.title),
            ("organization", self.organization == other.organization),
            ("sector", self.sector == other.sector),
            ("county", self.county == other.county),
            ("centre", self.centre == other.centre),
            ("languages", self.languages == other.languages),
            ("topics", self.topics == other.topics),
            ("methods", self.methods == other.methods),
            ("remote", self.remote == other.remote),
            ("accepts_consultations", self.accepts_consultations == other.accepts_consultations),
            ("capacity", self.capacity == other.capacity),
            ("bio", self.bio == other.bio),
            ("email", self.email == other.email),
            ("phone", self.phone == other.phone),
            ("user_id", self.user_id == other.user_id),
        ];
        pairs.into_iter().filter(|(_, same)| !same).map(|(name, _)| name).collect()
    }
}

/// What importing `p` over `current` changes. An import keeps the account
/// link and, when the file gives none, the capacity.
fn change_of(current: Option<&ProfileRow>, p: &NewProfile) -> Change {
    let Some(current) = current else { return Change::Create };
    let mut wanted = p.clone();
    wanted.user_id = current.user_id.clone();
    if wanted.capacity == 0 {
        wanted.capacity = current.capacity;
    }
    match current.to_new().differences(&wanted) {
        fields if fields.is_empty() => Change::Unchanged,
        fields => Change::Update(fields),
    }
}

/// What an import would do, row by row, without changing anything: the
/// preview a coordinator confirms. Each row comes with the profile it
/// would replace.
pub async fn plan_import(db: &Db, profiles: &[NewProfile]) -> Result<Vec<(Change, Option<ProfileRow>)>> {
    let mut existing: std::collections::HashMap<String, ProfileRow> =
        list_all(db).await?.into_iter().map(|row| (row.external_id.clone(), row)).collect();
    Ok(profiles
        .iter()
        .map(|p| {
            let current = p.external_id.as_ref().and_then(|id| existing.remove(id));
            (change_of(current.as_ref(), p), current)
        })
        .collect())
}

/// Upserts profiles by `external_id` in one transaction: all or nothing.
pub async fn import(
    db: &Db,
    profiles: &[NewProfile],
    by: &AuditActor,
    progress: impl FnMut(usize),
) -> Result<ImportSummary> {
    import_checked(db, profiles, by, None, progress).await
}

/// [`import`], refused with a conflict when the directory has changed since
/// `expected_version` (the version a preview was made against).
pub async fn import_checked(
    db: &Db,
    profiles: &[NewProfile],
    by: &AuditActor,
    expected_version: Option<i64>,
    mut progress: impl FnMut(usize),
) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let mut tx = db.begin().await?;
    if let Some(expected) = expected_version {
        let lock = match tx {
            Tx::Sqlite(_) => "SELECT version FROM directory_state WHERE id = 1",
            Tx::Postgres(_) => "SELECT version FROM directory_state WHERE id = 1 FOR UPDATE",
        };
        let current: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(lock).fetch_one(conn).await?);
        if current != expected {
            return Err(StoreError::Conflict("the directory changed after the preview".into()));
        }
    }
    for (i, p) in profiles.iter().enumerate() {
        let existing: Option<ProfileRow> = on_tx!(&mut tx, conn => sqlx::query_as("SELECT * FROM experts WHERE external_id = $1")
            .bind(&p.external_id).fetch_optional(conn).await?);
        match (change_of(existing.as_ref(), p), existing) {
            (Change::Create, _) => {
                insert(&mut tx, p).await?;
                summary.created += 1;
            }
            (Change::Update(_), Some(current)) => {
                update_in(&mut tx, &current, p, by.account_id.as_deref()).await?;
                summary.updated += 1;
            }
            _ => summary.unchanged += 1,
        }
        progress(i + 1);
    }
    let event = AuditEvent::new(AuditAction::ExpertsImported)
        .by(by)
        .object("experts", &format!("{} created, {} updated", summary.created, summary.updated));
    audit::append(&mut tx, event).await?;
    tx.commit().await?;
    Ok(summary)
}
