//! The in-memory finder kept consistent with the database: rebuilt when
//! the directory version moved (an edit here, or an import by another
//! process), checked before every search.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::RwLock;
use tukiverkko_search::{Document, Index, Query, SearchResult};
use tukiverkko_store::experts::{self, ProfileRow, split};
use tukiverkko_store::{Db, Result};

use crate::blocking::cpu;

pub fn document(p: &ProfileRow) -> Document {
    Document {
        id: p.id.clone(),
        external_id: p.external_id.clone(),
        name: p.name(),
        title: p.title.clone(),
        organization: p.organization.clone(),
        sector: p.sector.clone(),
        county: p.county.clone(),
        centre: p.centre.clone(),
        languages: split(&p.languages),
        topics: split(&p.topics),
        methods: split(&p.methods),
        remote: p.remote,
        accepts_consultations: p.accepts_consultations,
        capacity: p.capacity,
        bio: p.bio.clone(),
    }
}

#[derive(Default)]
pub struct Directory {
    /// Shared with the blocking threads that search and update it.
    state: Arc<RwLock<Option<(i64, Index)>>>,
    /// Where each search's time goes (the search latency metric).
    search_seconds: Option<prometheus_client::metrics::histogram::Histogram>,
}

impl Directory {
    /// A directory whose searches are timed into `histogram`.
    pub fn timed(histogram: prometheus_client::metrics::histogram::Histogram) -> Self {
        Self { search_seconds: Some(histogram), ..Default::default() }
    }

    /// Builds the index if it is missing or stale; the server calls this at
    /// start so the first search does not wait for it.
    pub async fn refresh(&self, db: &Db) -> Result<()> {
        let version = experts::version(db).await?;
        if self.state.read().await.as_ref().is_some_and(|(v, _)| *v == version) {
            return Ok(());
        }
        let mut state = self.state.write().await;
        if state.as_ref().is_some_and(|(v, _)| *v == version) {
            return Ok(());
        }
        let profiles = experts::list_all(db).await?;
        // Each row is dropped once converted, so rows and index do not peak together.
        let index = cpu(move || Index::build(profiles.into_iter().map(|row| document(&row)))).await;
        tracing::info!(version, profiles = index.len(), "expert index rebuilt");
        *state = Some((version, index));
        Ok(())
    }

    /// Searches the current directory; `f` sees each hit's profile too.
    /// Ranking is CPU work, so it runs on a blocking thread and the request
    /// timeout can answer while it runs.
    pub async fn search<T: Send + 'static>(
        &self,
        db: &Db,
        q: &Query,
        f: impl Fn(&Index, SearchResult) -> T + Send + 'static,
    ) -> Result<T> {
        let started = std::time::Instant::now();
        self.refresh(db).await?;
        let load: HashMap<String, i64> = experts::open_load(db).await?;
        let (state, q) = (self.state.clone(), q.clone());
        let found = cpu(move || {
            let state = state.blocking_read();
            let (_, index) = state.as_ref().expect("refreshed above");
            f(index, index.search(&q, &load))
        })
        .await;
        if let Some(h) = &self.search_seconds {
            h.observe(started.elapsed().as_secs_f64());
        }
        Ok(found)
    }

    /// How many profiles the index holds (0 before the first build).
    pub async fn len(&self) -> usize {
        self.state.read().await.as_ref().map_or(0, |(_, index)| index.len())
    }

    /// Applies an edit made in this process at once, without a rebuild.
    pub async fn apply(&self, db: &Db, row: &ProfileRow) -> Result<()> {
        let version = experts::version(db).await?;
        let (state, doc) = (self.state.clone(), document(row));
        cpu(move || {
            let mut state = state.blocking_write();
            if let Some((v, index)) = state.as_mut() {
                index.upsert(doc);
                *v = version;
            }
        })
        .await;
        Ok(())
    }
}
