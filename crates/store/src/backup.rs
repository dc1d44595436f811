//! Online backups. SQLite copies itself consistently with `VACUUM INTO`
//! while the server runs; PostgreSQL has its own tool for that.

use std::path::Path;

use crate::{Db, Result, StoreError};

pub async fn backup(db: &Db, target: &Path) -> Result<()> {
    match db {
        Db::Sqlite(pool) => {
            if target.exists() {
                return Err(StoreError::Conflict(format!("{} exists already; choose a new file", target.display())));
            }
            let path = target.to_str().ok_or_else(|| StoreError::Conflict("backup path is not UTF-8".into()))?;
            sqlx::query("VACUUM INTO $1").bind(path).execute(pool).await?.rows_affected();
            Ok(())
        }
        Db::Postgres(_) => Err(StoreError::Conflict(
            "PostgreSQL backups are made with pg_dump, for example: pg_dump --format=custom --file=tukiverkko.dump \"$TUKIVERKKO_DATABASE_URL\"".into(),
        )),
    }
}
