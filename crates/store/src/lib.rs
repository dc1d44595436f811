//! Storage for tukiverkko: one [`Db`] over SQLite (the embedded default)
//! and PostgreSQL (production), each with its own migrations. Repositories
//! write portable SQL once; the `on_db!` macro runs it on either pool.

mod db;
mod error;

pub mod accounts;
pub mod admin_accounts;
pub mod audit;
pub mod backup;
pub mod catalogue;
pub mod consultations;
pub mod demo;
mod demo_catalogue;
mod demo_history;
mod directory_changes;
pub mod experts;
pub mod experts_csv;
pub mod identities;
pub mod methods;
pub mod notifications;
pub mod oidc_flows;
pub mod organizations;
pub mod pending_imports;
pub mod reference;
pub mod research;
pub mod research_partners;
pub mod retention;
pub mod secrets;
pub mod sessions;
pub mod spreadsheet;
pub mod statistics;
pub mod teams;
pub mod throttle;
pub mod tokens;
pub mod training_followup;
pub mod trainings;

pub use db::{Backend, Db, PoolStatus, Tx, now, sqlite_path as db_path};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
