//! The organisations requesters work for (a county's child welfare, a
//! school district), as the directory and the FHIR facade list them.

use crate::{Db, Result, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: String,
    pub name: String,
    pub sector: String,
    pub county: String,
}

/// Every organisation, by name.
pub async fn list(db: &Db) -> Result<Vec<OrganizationRow>> {
    Ok(on_db!(db, pool => sqlx::query_as("SELECT id, name, sector, county FROM organizations ORDER BY name, id")
        .fetch_all(pool).await?))
}
