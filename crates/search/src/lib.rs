//! The expert finder: an in-memory index over directory profiles that
//! understands inflected Finnish and Swedish, indexes taxonomy labels and
//! synonyms in all three languages with each profile, forgives one typo on
//! longer words, filters and counts facets, and ranks available experts
//! above those at capacity.

pub mod analyze;
mod concepts;
mod facets;
mod highlight;
mod index;
mod terms;
pub mod thesaurus;
pub mod voikko;

pub use facets::Facets;
pub use highlight::highlight;
pub use index::{Hit, Index, Query, SearchResult};

/// What the index knows of one profile.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: String,
    pub external_id: String,
    pub name: String,
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
}
