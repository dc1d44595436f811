//! Concept scoring: how well a profile's codes answer the concepts a query
//! was read into. A profile's first topic is its main specialty; methods
//! are named deliberately; further topics count a little less, and a
//! linked concept (broader, narrower, related) counts for part.

use std::collections::HashMap;

use crate::Document;
use crate::index::DocIdx;
use crate::thesaurus::THESAURUS;

const MAIN_TOPIC: f32 = 1.0;
const METHOD: f32 = 1.0;
const OTHER_TOPIC: f32 = 0.7;
/// A profile coded for a linked concept answers part of the question.
const LINKED: f32 = 0.35;

#[derive(Default)]
pub(crate) struct ConceptPostings {
    by_code: HashMap<String, Vec<(DocIdx, f32)>>,
}

fn codes(doc: &Document) -> impl Iterator<Item = (&String, f32)> {
    let topics = doc.topics.iter().enumerate().map(|(i, t)| (t, if i == 0 { MAIN_TOPIC } else { OTHER_TOPIC }));
    topics.chain(doc.methods.iter().map(|m| (m, METHOD)))
}

impl ConceptPostings {
    pub fn add(&mut self, idx: DocIdx, doc: &Document) {
        // A code listed twice counts once, at its best.
        let mut own: Vec<(&String, f32)> = Vec::new();
        for (code, weight) in codes(doc) {
            match own.iter_mut().find(|(c, _)| *c == code) {
                Some(slot) => slot.1 = slot.1.max(weight),
                None => own.push((code, weight)),
            }
        }
        for (code, weight) in own {
            self.by_code.entry(code.clone()).or_default().push((idx, weight));
        }
    }

    pub fn remove(&mut self, idx: DocIdx, doc: &Document) {
        for (code, _) in codes(doc) {
            if let Some(list) = self.by_code.get_mut(code) {
                list.retain(|(d, _)| *d != idx);
            }
        }
    }

    /// Adds to `total` (dense, zero where untouched) the mean over
    /// `concepts` of how well each document's codes answer each, 0–1, and
    /// returns the documents touched. `best` is zero on entry and on return.
    pub fn score(&self, concepts: &[&str], total: &mut [f32], best: &mut [f32]) -> Vec<DocIdx> {
        let mut touched = Vec::new();
        let mut seen: Vec<DocIdx> = Vec::new();
        for concept in concepts {
            seen.clear();
            let linked = THESAURUS.linked(concept);
            let sources = std::iter::once((*concept, 1.0)).chain(linked.into_iter().map(|c| (c, LINKED)));
            for (code, factor) in sources {
                for &(doc, weight) in self.by_code.get(code).into_iter().flatten() {
                    let d = doc as usize;
                    if best[d] == 0.0 {
                        seen.push(doc);
                    }
                    best[d] = best[d].max(weight * factor);
                }
            }
            for &doc in &seen {
                let d = doc as usize;
                if total[d] == 0.0 {
                    touched.push(doc);
                }
                total[d] += best[d] / concepts.len() as f32;
                best[d] = 0.0;
            }
        }
        touched
    }
}
