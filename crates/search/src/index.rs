use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use tukiverkko_domain::reference;

use crate::Document;
use crate::analyze::{MIN_PREFIX, MIN_TYPO_LEN, deletions, keys, prefix_match, within_one_edit, words};
use crate::concepts::ConceptPostings;
use crate::facets::{FacetTable, Facets};
use crate::terms::{self, Memo};
use crate::thesaurus::{Interpretation, THESAURUS};

type TermId = u32;
/// One query word's keys, each with the index terms it matches and how well.
type WordTerms = Vec<(String, Vec<(TermId, f32)>)>;
pub(crate) type DocIdx = u32;

const PREFIX_QUALITY: f32 = 0.8;
const TYPO_QUALITY: f32 = 0.6;
const AVAILABLE_BOOST: f32 = 1.15;
/// How fast repeated matches stop adding (the k of BM25's term frequency,
/// on summed field weights: a coded label alone weighs 2). Chosen on the
/// relevance set: 2 → 0.922, 4 → 0.923, 8 → 0.927, 16 → 0.926.
const SATURATION: f32 = 8.0;
/// A query read into concepts ranks by how well codes answer them, and by
/// the words' score at this fraction of that. Chosen on the tuning set
/// (never on the held-out one): 0.15 → 0.963, 0.3 → 0.966, 0.5 → 0.957,
/// 0.8 → 0.951.
const CONCEPT_WEIGHT: f32 = 1.0;
const TEXT_WEIGHT: f32 = 0.3;
/// Matches below this fraction of the best score are not counted as matches.
const RELEVANCE_FLOOR: f32 = 0.1;
/// A query word whose every term is in at least this share of profiles is
/// left out when the query has more telling words.
const COMMON_SHARE: f32 = 0.2;
/// Distinct query words that take part; the rest of a very long query is ignored.
pub const MAX_QUERY_WORDS: usize = 32;

/// Per-document accumulators of one search, kept per thread so a search
/// over 100,000 profiles does not allocate and zero megabytes each time.
/// Every slot is zero between searches.
#[derive(Default)]
pub(crate) struct Scratch {
    score: Vec<f32>,
    matched: Vec<f32>,
    stems_hit: Vec<u64>,
    pub(crate) best: Vec<f32>,
    best_stem: Vec<u8>,
    pub(crate) concept: Vec<f32>,
    /// A search is under way; seen at the start of the next one only if that
    /// search unwound halfway, and then everything is zeroed.
    in_use: bool,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Scratch {
    fn fit(&mut self, n: usize) {
        if std::mem::replace(&mut self.in_use, true) {
            *self = Scratch { in_use: true, ..Scratch::default() };
        }
        if self.score.len() < n {
            self.score.resize(n, 0.0);
            self.matched.resize(n, 0.0);
            self.stems_hit.resize(n, 0);
            self.best.resize(n, 0.0);
            self.best_stem.resize(n, 0);
            self.concept.resize(n, 0.0);
        }
    }

    /// Zeroes what a search wrote (its `best` slots are zeroed as it goes).
    fn reset(&mut self, touched: &[DocIdx]) {
        for &doc in touched {
            let d = doc as usize;
            self.score[d] = 0.0;
            self.matched[d] = 0.0;
            self.stems_hit[d] = 0;
        }
        self.in_use = false;
    }
}

/// The word part of a search: the profiles any word matched, the stems
/// tried (for highlighting) and the query's total importance.
struct WordScores {
    touched: Vec<DocIdx>,
    stems: Vec<String>,
    importance_total: f32,
}

impl WordScores {
    /// A profile's word score: its matches, weighed by how much of the
    /// query's telling words it covers (profiles matching all come first).
    fn text(&self, scratch: &Scratch, doc: DocIdx) -> f32 {
        let d = doc as usize;
        let coverage = if self.importance_total > 0.0 { scratch.matched[d] / self.importance_total } else { 0.0 };
        scratch.score[d] * coverage * coverage
    }
}

#[derive(Default)]
pub struct Index {
    docs: Vec<Option<Document>>,
    by_id: HashMap<String, DocIdx>,
    terms: BTreeMap<String, TermId>,
    term_names: Vec<String>,
    /// Per term: (document, summed field weight), in insertion order.
    postings: Vec<Vec<(DocIdx, f32)>>,
    doc_terms: Vec<Vec<TermId>>,
    deletion_map: HashMap<String, Vec<TermId>>,
    /// Known words, for splitting compounds.
    heads: BTreeSet<String>,
    live: usize,
    facets: FacetTable,
    /// Live profiles in name order, and each profile's place in it: equal
    /// scores (most of a broad query's result) are ordered by name without
    /// reading the names.
    by_name: Vec<DocIdx>,
    name_rank: Vec<u32>,
    concepts: ConceptPostings,
}

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub county: Option<String>,
    pub centre: Option<String>,
    pub sector: Option<String>,
    pub topic: Option<String>,
    pub method: Option<String>,
    pub language: Option<String>,
    pub remote: Option<bool>,
    pub limit: usize,
    pub offset: usize,
    /// Concepts the user dropped from the query's interpretation.
    pub exclude_concepts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    /// Stems of the query that matched this profile, for highlighting.
    pub matched: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SearchResult {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// The concepts the query was understood to mean (without the dropped ones).
    pub interpretation: Vec<Interpretation>,
}

impl Index {
    pub fn build(docs: impl IntoIterator<Item = Document>) -> Index {
        let docs: Vec<Document> = docs.into_iter().collect();
        let mut index = Index::default();
        for t in reference::taxonomy() {
            for text in [&t.label_fi, &t.label_sv, &t.label_en] {
                terms::learn_heads(&mut index.heads, text);
            }
        }
        for d in &docs {
            terms::learn_heads(&mut index.heads, &d.bio);
            terms::learn_heads(&mut index.heads, &d.title);
        }
        let mut memo = Memo::default();
        for d in docs {
            index.upsert_with(d, &mut memo);
        }
        let mut by_name: Vec<DocIdx> =
            (0..index.docs.len() as DocIdx).filter(|&i| index.docs[i as usize].is_some()).collect();
        by_name.sort_by(|&a, &b| index.name_order(a, b));
        index.by_name = by_name;
        index.rerank(0, index.by_name.len());
        index
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub fn get(&self, id: &str) -> Option<&Document> {
        self.by_id.get(id).and_then(|&i| self.docs[i as usize].as_ref())
    }

    fn term(&mut self, key: &str) -> TermId {
        if let Some(&id) = self.terms.get(key) {
            return id;
        }
        let id = self.postings.len() as TermId;
        self.terms.insert(key.to_string(), id);
        self.term_names.push(key.to_string());
        self.postings.push(Vec::new());
        if key.chars().count() >= MIN_TYPO_LEN {
            for d in deletions(key) {
                self.deletion_map.entry(d).or_default().push(id);
            }
        }
        id
    }

    /// Adds or replaces a profile; the old terms of a replaced one go first.
    pub fn upsert(&mut self, doc: Document) {
        let id = doc.id.clone();
        self.unrank(&id);
        self.upsert_with(doc, &mut Memo::default());
        let idx = self.by_id[&id];
        let at = self.by_name.binary_search_by(|&other| self.name_order(other, idx)).unwrap_or_else(|at| at);
        self.by_name.insert(at, idx);
        self.rerank(at, self.by_name.len());
    }

    fn name_order(&self, a: DocIdx, b: DocIdx) -> std::cmp::Ordering {
        let name = |i: DocIdx| self.docs[i as usize].as_ref().map(|d| d.name.as_str()).unwrap_or("");
        name(a).cmp(name(b)).then(a.cmp(&b))
    }

    /// Renumbers the name places from `from` on (before `to`).
    fn rerank(&mut self, from: usize, to: usize) {
        if self.name_rank.len() < self.docs.len() {
            self.name_rank.resize(self.docs.len(), u32::MAX);
        }
        for place in from..to.min(self.by_name.len()) {
            self.name_rank[self.by_name[place] as usize] = place as u32;
        }
    }

    /// Takes a profile out of the name order (before a change or removal).
    fn unrank(&mut self, id: &str) {
        let Some(&idx) = self.by_id.get(id) else { return };
        let Some(&place) = self.name_rank.get(idx as usize) else { return };
        if self.by_name.get(place as usize) == Some(&idx) {
            self.by_name.remove(place as usize);
            self.name_rank[idx as usize] = u32::MAX;
            self.rerank(place as usize, self.by_name.len());
        }
    }

    fn upsert_with(&mut self, doc: Document, memo: &mut Memo) {
        let idx = match self.by_id.get(&doc.id) {
            Some(&i) => {
                self.clear(i);
                i
            }
            None => {
                self.docs.push(None);
                self.doc_terms.push(Vec::new());
                let i = (self.docs.len() - 1) as DocIdx;
                self.by_id.insert(doc.id.clone(), i);
                i
            }
        };
        let weights = terms::profile_weights(&doc, &self.heads, memo);
        let mut ids = Vec::with_capacity(weights.len());
        for (key, weight) in weights {
            let id = self.term(&key);
            self.postings[id as usize].push((idx, weight));
            ids.push(id);
        }
        self.doc_terms[idx as usize] = ids;
        self.facets.set(idx, &doc);
        self.concepts.add(idx, &doc);
        self.docs[idx as usize] = Some(doc);
        self.live += 1;
    }

    fn clear(&mut self, idx: DocIdx) {
        for id in std::mem::take(&mut self.doc_terms[idx as usize]) {
            self.postings[id as usize].retain(|(d, _)| *d != idx);
        }
        if let Some(doc) = self.docs[idx as usize].take() {
            self.concepts.remove(idx, &doc);
            self.live -= 1;
        }
    }

    /// Removes a profile; it is never served again.
    pub fn remove(&mut self, id: &str) {
        self.unrank(id);
        if let Some(&idx) = self.by_id.get(id) {
            self.clear(idx);
        }
    }

    /// Index terms that a query stem matches, with the match quality.
    fn expand(&self, stem: &str) -> Vec<(TermId, f32)> {
        let mut out: HashMap<TermId, f32> = HashMap::new();
        if let Some(&id) = self.terms.get(stem) {
            out.insert(id, 1.0);
        }
        let len = stem.chars().count();
        if len >= MIN_PREFIX {
            let head: String = stem.chars().take(MIN_PREFIX).collect();
            for (term, &id) in self.terms.range(head.clone()..).take_while(|(t, _)| t.starts_with(&head)) {
                if term != stem && prefix_match(stem, term) {
                    // Closer forms score higher: kunniaväkival ~ kunniaväkiv more than ~ kunnia.
                    let longer = len.max(term.chars().count()) as f32;
                    let common = stem.chars().zip(term.chars()).take_while(|(a, b)| a == b).count() as f32;
                    out.entry(id).or_insert(PREFIX_QUALITY * common / longer);
                }
            }
        }
        if len >= MIN_TYPO_LEN {
            let mut candidates: Vec<TermId> = self.deletion_map.get(stem).cloned().unwrap_or_default();
            for d in deletions(stem) {
                if let Some(&id) = self.terms.get(&d) {
                    candidates.push(id);
                }
                if let Some(ids) = self.deletion_map.get(&d) {
                    candidates.extend(ids);
                }
            }
            for id in candidates {
                if out.contains_key(&id) {
                    continue;
                }
                if within_one_edit(stem, &self.term_names[id as usize]) {
                    out.insert(id, TYPO_QUALITY);
                }
            }
        }
        out.into_iter().collect()
    }

    fn idf(&self, id: TermId) -> f32 {
        let df = self.postings[id as usize].len().max(1) as f32;
        (1.0 + self.live.max(1) as f32 / df).ln()
    }

    /// Ranked matches; `load` is the open cases per expert id, so experts
    /// with room rank above those at capacity.
    pub fn search(&self, q: &Query, load: &HashMap<String, i64>) -> SearchResult {
        // Each distinct word once, and a bounded number of them: a pasted
        // page costs no more than a long described situation.
        let mut query_words: Vec<String> = Vec::new();
        for (_, _, w) in words(&q.text) {
            if !query_words.contains(&w) && query_words.len() < MAX_QUERY_WORDS {
                query_words.push(w);
            }
        }
        let (interpretation, dropped): (Vec<Interpretation>, Vec<Interpretation>) =
            THESAURUS.interpret(&query_words).into_iter().partition(|i| !q.exclude_concepts.contains(&i.concept));
        // A dropped concept takes the words it was read from out of the query,
        // unless a kept concept was read from them too.
        let had_words = !query_words.is_empty();
        query_words.retain(|w| {
            !dropped.iter().any(|i| i.matched.contains(w)) || interpretation.iter().any(|i| i.matched.contains(w))
        });
        // Dropping all a query meant leaves nothing to look for (not the
        // whole directory).
        let nothing_left = had_words && query_words.is_empty();
        let concept_codes: Vec<&str> = interpretation.iter().map(|i| i.concept.as_str()).collect();
        let (mut hits, stems) = SCRATCH.with_borrow_mut(|scratch| {
            scratch.fit(self.docs.len());
            let words = self.score_words(&query_words, scratch);
            let hits: Vec<(DocIdx, f32, u64)> = if !concept_codes.is_empty() {
                self.concept_ranked(&concept_codes, &words, scratch)
            } else if nothing_left {
                Vec::new()
            } else if query_words.is_empty() {
                self.docs.iter().enumerate().filter(|(_, d)| d.is_some()).map(|(i, _)| (i as DocIdx, 1.0, 0)).collect()
            } else {
                words
                    .touched
                    .iter()
                    .map(|&doc| (doc, words.text(scratch, doc), scratch.stems_hit[doc as usize]))
                    .collect()
            };
            scratch.reset(&words.touched);
            (hits, words.stems)
        });
        let filter = self.facets.filter(q);
        // A match scoring a small fraction of the best one (a common word,
        // a linked concept alone) is no match: it would only swell the count
        // and the facets, and costs the most to count and sort.
        // The floor is taken among the profiles the filters keep. Postings
        // hold live profiles only (a removal clears them), so the profile
        // itself need not be read here.
        hits.retain(|(doc, _, _)| self.facets.passes(&filter, *doc));
        let floor =
            if query_words.is_empty() { 0.0 } else { RELEVANCE_FLOOR * hits.iter().map(|h| h.1).fold(0.0, f32::max) };
        hits.retain(|(_, score, _)| *score >= floor);
        // Only experts with open cases can be full; there are few of them.
        let full: HashSet<DocIdx> = load
            .iter()
            .filter_map(|(id, open)| self.by_id.get(id).filter(|&&i| *open >= self.facets.capacity(i)).copied())
            .collect();
        for (doc, score, _) in &mut hits {
            if self.facets.accepts(*doc) && !full.contains(doc) {
                *score *= AVAILABLE_BOOST;
            }
        }
        let facets = self.facets.count(hits.iter().map(|(d, _, _)| *d));
        let total = hits.len();
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let order = |a: &(DocIdx, f32, u64), b: &(DocIdx, f32, u64)| {
            b.1.total_cmp(&a.1).then_with(|| self.name_rank[a.0 as usize].cmp(&self.name_rank[b.0 as usize]))
        };
        // Only the requested page needs full ordering.
        let wanted = (q.offset + limit).min(hits.len());
        if wanted > 0 && wanted < hits.len() {
            hits.select_nth_unstable_by(wanted - 1, order);
            hits.truncate(wanted);
        }
        hits.sort_by(order);
        let hits = hits
            .into_iter()
            .skip(q.offset)
            .take(limit)
            .filter_map(|(doc, score, mask)| {
                let matched = stems
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << (*i).min(63)) != 0)
                    .map(|(_, s)| s.clone())
                    .collect();
                self.docs[doc as usize].as_ref().map(|d| Hit { id: d.id.clone(), score, matched })
            })
            .collect();
        SearchResult { total, hits, facets, interpretation }
    }

    /// Scores every profile that matches a word of the query, into the
    /// scratch accumulators: per word its best-matching term's score, and
    /// how much of the query's telling words the profile covers.
    fn score_words(&self, query_words: &[String], scratch: &mut Scratch) -> WordScores {
        let Scratch { score, matched, stems_hit, best, best_stem, .. } = scratch;
        let mut touched: Vec<DocIdx> = Vec::new();
        let mut stems: Vec<String> = Vec::new();
        // How much each query word tells: the idf of its best term. Common
        // words (lapset, nuori) count less towards "matched every word".
        let mut importance_total = 0.0;
        // Per query word: its keys, each with the index terms it matches.
        let expanded: Vec<WordTerms> = query_words
            .iter()
            .map(|w| {
                keys(w)
                    .into_iter()
                    .map(|k| {
                        let terms = self.expand(&k);
                        (k, terms)
                    })
                    .collect()
            })
            .collect();
        // A word found in a large share of all profiles (lapsi, nuori, perhe,
        // barn, child) tells little beside the others and its postings are the
        // longest: in a query of several words it is left out.
        let common = |word: &WordTerms| {
            let mut terms = word.iter().flat_map(|(_, e)| e).peekable();
            terms.peek().is_some()
                && terms.all(|&(term, _)| self.postings[term as usize].len() as f32 >= self.live as f32 * COMMON_SHARE)
        };
        // A word the index does not know matches nothing and tells nothing.
        let telling = expanded.iter().filter(|w| w.iter().any(|(_, e)| !e.is_empty()) && !common(w)).count();
        // The documents of one word, reused from word to word.
        let mut word_docs: Vec<DocIdx> = Vec::new();
        for word in &expanded {
            if telling > 0 && common(word) {
                continue;
            }
            // The best match of this word in each document.
            word_docs.clear();
            let mut importance: f32 = 0.0;
            for (stem, terms) in word {
                let stem_no = stems.len().min(63) as u8;
                stems.push(stem.clone());
                for &(term, quality) in terms {
                    let idf = self.idf(term);
                    importance = importance.max(idf * quality);
                    for &(doc, weight) in &self.postings[term as usize] {
                        let saturated = weight * (SATURATION + 1.0) / (weight + SATURATION);
                        let s = idf * saturated * quality;
                        let d = doc as usize;
                        if best[d] == 0.0 {
                            word_docs.push(doc);
                        }
                        if s > best[d] {
                            best[d] = s;
                            best_stem[d] = stem_no;
                        }
                    }
                }
            }
            importance_total += importance;
            for &doc in &word_docs {
                let d = doc as usize;
                if score[d] == 0.0 {
                    touched.push(doc);
                }
                score[d] += best[d];
                matched[d] += importance;
                stems_hit[d] |= 1 << best_stem[d];
                best[d] = 0.0;
            }
        }
        WordScores { touched, stems, importance_total }
    }

    /// Scores of a query read into concepts: how well a profile's codes
    /// answer them, plus its words' score scaled to a fraction of that, so
    /// the text orders profiles within a concept and finds those whose
    /// codes miss what their bio says.
    fn concept_ranked(&self, concepts: &[&str], words: &WordScores, scratch: &mut Scratch) -> Vec<(DocIdx, f32, u64)> {
        let concept_docs = self.concepts.score(concepts, &mut scratch.concept, &mut scratch.best);
        let best_text = words.touched.iter().map(|&d| words.text(scratch, d)).fold(0.0f32, f32::max);
        let only_concept = concept_docs.iter().copied().filter(|&d| scratch.score[d as usize] == 0.0);
        let hits = words
            .touched
            .iter()
            .copied()
            .chain(only_concept)
            .map(|doc| {
                let d = doc as usize;
                let text = if best_text > 0.0 { words.text(scratch, doc) / best_text } else { 0.0 };
                (doc, CONCEPT_WEIGHT * scratch.concept[d] + TEXT_WEIGHT * text, scratch.stems_hit[d])
            })
            .collect();
        for doc in concept_docs {
            scratch.concept[doc as usize] = 0.0;
        }
        hits
    }
}
