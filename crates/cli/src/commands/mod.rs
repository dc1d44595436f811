pub mod audit;
pub mod backup;
pub mod export;
pub mod import;
pub mod migrate;
pub mod remind;
pub mod retention;
pub mod seed;
pub mod serve;
pub mod statistics;
pub mod token;
pub mod user;

use tukiverkko_store::{Db, StoreError, reference};

use crate::Failure;
use crate::config::{Config, redact_url};

/// Opens the configured database and brings its schema and reference data
/// up to date. Returns whether the database was new.
pub async fn open_db(config: &Config) -> Result<(Db, bool), Failure> {
    let (db, is_new) = Db::connect(&config.database_url).await.map_err(|e| match e {
        StoreError::UnsupportedUrl(_) => Failure { message: e.to_string(), code: 2 },
        other => Failure {
            message: format!("cannot open database {}: {}", redact_url(&config.database_url), other),
            code: 1,
        },
    })?;
    db.migrate().await?;
    reference::seed(&db).await?;
    Ok((db, is_new))
}
