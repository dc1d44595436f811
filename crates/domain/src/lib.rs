//! Pure domain types and rules of tukiverkko. No I/O and no async: every
//! value that crosses the system boundary is parsed into a type here.

pub mod audit;
pub mod calendar;
pub mod capability;
pub mod catalogue;
pub mod codes;
pub mod consultation;
pub mod disclosure;
pub mod hetu;
pub mod meeting;
pub mod notification;
pub mod outcome;
pub mod profile;
pub mod pseudonymity;
pub mod reference;
pub mod research;
pub mod statistics;
pub mod text;
pub mod training;

pub use capability::{Capability, Role};
pub use codes::{CentreCode, CountyCode, Email, Language, TaxonomyCode, ValueError};
