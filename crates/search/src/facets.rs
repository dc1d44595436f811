//! Each profile's filter and facet codes as small numbers, beside the
//! documents: filtering and counting a result of most of the directory then
//! costs array reads instead of string hashing.

use std::collections::{BTreeMap, HashMap};

use crate::index::DocIdx;
use crate::{Document, Query};

/// Counts by code for each facet, over the whole filtered result.
pub type Facets = BTreeMap<&'static str, BTreeMap<String, usize>>;

/// The coded facets, in the order of [`Meta`]'s code sets; `remote` is the seventh.
const FACET_NAMES: [&str; FACETS] = ["county", "centre", "sector", "topic", "method", "language"];
const FACETS: usize = 6;

/// Code numbers below this are kept as bits; the reference data has fewer
/// codes per facet, so only an unusual number of languages goes past it.
const CODE_BITS: u16 = 64;

/// Codes of one facet, numbered in the order first seen.
#[derive(Default)]
struct Codes {
    ids: HashMap<String, u16>,
    names: Vec<String>,
}

impl Codes {
    fn id(&mut self, code: &str) -> u16 {
        if let Some(&id) = self.ids.get(code) {
            return id;
        }
        let id = self.names.len() as u16;
        self.ids.insert(code.to_string(), id);
        self.names.push(code.to_string());
        id
    }
}

/// What filtering and facet counting read of a profile, in one cache line.
#[derive(Default, Clone)]
struct Meta {
    /// Per facet, the profile's codes as bits: one for county, centre and
    /// sector, any number for topics, methods and languages.
    codes: [u64; FACETS],
    /// Codes numbered past [`CODE_BITS`] are in `FacetTable::overflow`.
    overflow: bool,
    remote: bool,
    accepts: bool,
    capacity: i64,
}

fn bits(mut set: u64) -> impl Iterator<Item = u16> {
    std::iter::from_fn(move || {
        (set != 0).then(|| {
            let bit = set.trailing_zeros() as u16;
            set &= set - 1;
            bit
        })
    })
}

/// A query's filters as code numbers; a code the index has never seen
/// matches nothing.
pub struct Filter {
    wanted: [Option<Option<u16>>; FACETS],
    remote: Option<bool>,
}

#[derive(Default)]
pub struct FacetTable {
    meta: Vec<Meta>,
    overflow: HashMap<DocIdx, [Vec<u16>; FACETS]>,
    codes: [Codes; FACETS],
}

impl FacetTable {
    /// Records a profile's codes (replacing earlier ones).
    pub fn set(&mut self, idx: DocIdx, doc: &Document) {
        let values: [&[String]; FACETS] = [
            std::slice::from_ref(&doc.county),
            std::slice::from_ref(&doc.centre),
            std::slice::from_ref(&doc.sector),
            &doc.topics,
            &doc.methods,
            &doc.languages,
        ];
        let mut meta =
            Meta { remote: doc.remote, accepts: doc.accepts_consultations, capacity: doc.capacity, ..Meta::default() };
        let mut overflow: [Vec<u16>; FACETS] = Default::default();
        for (facet, values) in values.into_iter().enumerate() {
            for value in values {
                match self.codes[facet].id(value) {
                    code if code < CODE_BITS => meta.codes[facet] |= 1 << code,
                    code if !overflow[facet].contains(&code) => overflow[facet].push(code),
                    _ => {}
                }
            }
        }
        meta.overflow = overflow.iter().any(|codes| !codes.is_empty());
        if meta.overflow {
            self.overflow.insert(idx, overflow);
        } else {
            self.overflow.remove(&idx);
        }
        if self.meta.len() <= idx as usize {
            self.meta.resize(idx as usize + 1, Meta::default());
        }
        self.meta[idx as usize] = meta;
    }

    pub fn filter(&self, q: &Query) -> Filter {
        let wanted = [&q.county, &q.centre, &q.sector, &q.topic, &q.method, &q.language];
        let mut resolved: [Option<Option<u16>>; FACETS] = Default::default();
        for ((slot, want), codes) in resolved.iter_mut().zip(wanted).zip(&self.codes) {
            *slot = want.as_deref().map(|w| codes.ids.get(w).copied());
        }
        Filter { wanted: resolved, remote: q.remote }
    }

    pub fn passes(&self, filter: &Filter, idx: DocIdx) -> bool {
        let meta = &self.meta[idx as usize];
        filter.wanted.iter().enumerate().all(|(facet, want)| match want {
            None => true,
            Some(None) => false,
            Some(Some(code)) if *code < CODE_BITS => meta.codes[facet] & (1 << code) != 0,
            Some(Some(code)) => meta.overflow && self.overflow[&idx][facet].contains(code),
        }) && filter.remote.is_none_or(|r| r == meta.remote)
    }

    pub fn accepts(&self, idx: DocIdx) -> bool {
        self.meta[idx as usize].accepts
    }

    pub fn capacity(&self, idx: DocIdx) -> i64 {
        self.meta[idx as usize].capacity
    }

    /// Counts each facet's codes over `docs`.
    pub fn count(&self, docs: impl Iterator<Item = DocIdx>) -> Facets {
        let mut counts: [Vec<usize>; FACETS] = std::array::from_fn(|i| vec![0; self.codes[i].names.len()]);
        let mut remote = [0usize; 2];
        for idx in docs {
            let meta = &self.meta[idx as usize];
            for (slot, &set) in counts.iter_mut().zip(&meta.codes) {
                for code in bits(set) {
                    slot[code as usize] += 1;
                }
            }
            if meta.overflow {
                for (slot, codes) in counts.iter_mut().zip(&self.overflow[&idx]) {
                    for &code in codes {
                        slot[code as usize] += 1;
                    }
                }
            }
            remote[meta.remote as usize] += 1;
        }
        let mut facets: Facets = FACET_NAMES
            .iter()
            .zip(counts)
            .zip(&self.codes)
            .map(|((name, counts), codes)| {
                let present = counts.into_iter().enumerate().filter(|(_, n)| *n > 0);
                (*name, present.map(|(code, n)| (codes.names[code].clone(), n)).collect())
            })
            .collect();
        let remote = [("false", remote[0]), ("true", remote[1])].into_iter().filter(|(_, n)| *n > 0);
        facets.insert("remote", remote.map(|(k, n)| (k.to_string(), n)).collect());
        facets
    }
}
