use tukiverkko_domain::ValueError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The caller takes part but may not do this.
    #[error("not allowed")]
    Forbidden,
    /// A police or prosecution member of the panel opened a case the
    /// coordinator has not yet marked for Barnahus co-operation. The
    /// reference (never content) lets the page say which case waits.
    #[error("the case awaits the coordinator's decision on Barnahus co-operation")]
    AwaitingBarnahus { reference: String },
    /// A uniqueness or state conflict; the message says which.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Invalid(#[from] ValueError),
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Stored data that cannot be read back: a fault of ours, never of the input.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
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
            // PostgreSQL refuses NUL and mis-encoded text (SQLSTATE 22021,
            // 22P05): bad input that got past the checks, never a server fault.
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("22021" | "22P05")) => {
                StoreError::Invalid(ValueError::new(
                    "control_character",
                    "a value holds a character that cannot be stored",
                ))
            }
            _ => StoreError::Database(err),
        }
    }
}
