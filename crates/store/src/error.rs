use tukiverkko_domain::ValueError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The caller takes part but may not do this.
    #[error("not allowed")]
    Forbidden,
    /// A uniqueness or state conflict; the message says which.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Invalid(#[from] ValueError),
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(format!("already exists: {}", db.message()))
            }
            _ => StoreError::Database(err),
        }
    }
}
