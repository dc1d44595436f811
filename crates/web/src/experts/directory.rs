//! The in-memory finder kept consistent with the database. Before every
//! search, and when PostgreSQL announces a change, it applies the profile
//! changes logged since the version it holds (an edit on this node or
//! another, an import by the CLI); far behind, or after a bulk change, it
//! rebuilds.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::RwLock;
use tukiverkko_search::{Document, Index, Query, SearchResult};
use tukiverkko_store::experts::{self, Catchup, ProfileRow, split};
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
    /// A standby to read whole rebuilds from, sparing the primary; the
    /// changes after its version come from the primary's log.
    replica: Option<Db>,
    /// One catch-up at a time per node: concurrent searches after an import
    /// wait for it instead of each reading the same changes.
    catching_up: tokio::sync::Mutex<()>,
}

impl Directory {
    /// A directory whose searches are timed into `histogram`.
    pub fn timed(histogram: prometheus_client::metrics::histogram::Histogram) -> Self {
        Self { search_seconds: Some(histogram), ..Default::default() }
    }

    pub fn rebuilt_from(self, replica: Option<Db>) -> Self {
        Self { replica, ..self }
    }

    /// Brings the index up to the database's directory version; the server
    /// calls this at start so the first search does not wait for a build.
    pub async fn refresh(&self, db: &Db) -> Result<()> {
        // The common case, nothing changed, takes no lock.
        if let Some(seen) = self.version().await
            && experts::version(db).await? == seen
        {
            return Ok(());
        }
        let _one = self.catching_up.lock().await;
        let Some(seen) = self.version().await else {
            return self.rebuild(db).await;
        };
        match experts::catch_up(db, seen).await? {
            Catchup::Current => Ok(()),
            Catchup::Rebuild => self.rebuild(db).await,
            Catchup::Apply { version, profiles } => {
                self.apply_profiles(version, profiles).await;
                Ok(())
            }
        }
    }

    async fn apply_profiles(&self, version: i64, profiles: Vec<ProfileRow>) {
        let docs: Vec<Document> = profiles.iter().map(document).collect();
        let state = self.state.clone();
        cpu(move || {
            let mut state = state.blocking_write();
            // Another search may have caught up meanwhile; never go back.
            if let Some((v, index)) = state.as_mut().filter(|(v, _)| *v < version) {
                for doc in docs {
                    index.upsert(doc);
                }
                *v = version;
            }
        })
        .await;
    }

    /// Builds the index again: from the standby when there is one (sparing
    /// the primary the full read), then the primary's log brings it up to
    /// date; from the primary when the standby is too far behind for that.
    async fn rebuild(&self, primary: &Db) -> Result<()> {
        if let Some(replica) = &self.replica {
            match self.rebuild_from_replica(primary, replica).await {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                // A standby that is down must not stop searches: the primary has it all.
                Err(e) => tracing::warn!(error = %e, "the standby failed; rebuilding the index from the primary"),
            }
        }
        self.build_from(primary).await.map(|_| ())
    }

    /// `Ok(false)` when the standby is too far behind to be worth reading.
    async fn rebuild_from_replica(&self, primary: &Db, replica: &Db) -> Result<bool> {
        let behind = experts::version(primary).await? - experts::version(replica).await?;
        if behind > experts::CATCH_UP_LIMIT {
            return Ok(false);
        }
        let version = self.build_from(replica).await?;
        match experts::catch_up(primary, version).await? {
            Catchup::Current => Ok(true),
            Catchup::Apply { version, profiles } => {
                self.apply_profiles(version, profiles).await;
                Ok(true)
            }
            Catchup::Rebuild => Ok(false),
        }
    }

    /// Builds the index from `db` and returns the version it is at. The
    /// version is read before the rows, so the rows are at least that new.
    async fn build_from(&self, db: &Db) -> Result<i64> {
        let version = experts::version(db).await?;
        let mut state = self.state.write().await;
        if state.as_ref().is_some_and(|(v, _)| *v == version) {
            return Ok(version);
        }
        let profiles = experts::list_all(db).await?;
        // Each row is dropped once converted, so rows and index do not peak together.
        let index = cpu(move || Index::build(profiles.into_iter().map(|row| document(&row)))).await;
        tracing::info!(version, profiles = index.len(), "expert index rebuilt");
        *state = Some((version, index));
        Ok(version)
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

    /// The directory version the index is at (`None` before the first build).
    pub async fn version(&self) -> Option<i64> {
        self.state.read().await.as_ref().map(|(v, _)| *v)
    }

    /// How many profiles the index holds (0 before the first build).
    pub async fn len(&self) -> usize {
        self.state.read().await.as_ref().map_or(0, |(_, index)| index.len())
    }

    /// Applies an edit made on this node at once, with any other node's
    /// changes logged before it.
    pub async fn apply(&self, db: &Db) -> Result<()> {
        self.refresh(db).await
    }
}
