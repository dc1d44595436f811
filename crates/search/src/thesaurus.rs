//! The domain thesaurus (`data/thesaurus.csv`, reviewed as data): every
//! taxonomy concept with its labels and the everyday phrases professionals
//! use for the situations behind it, in Finnish, Swedish and English. A
//! query is read into the concepts whose label words all occur in it, as
//! the same word in any inflection or as the tail of a compound.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::analyze::{keys, words};

const LABELS: &str = include_str!("../data/thesaurus.csv");
const LINKS: &str = include_str!("../data/thesaurus_links.csv");

/// Shortest key matched by a prefix or as a compound's tail: shorter stems
/// (last, över) are parts of too many unrelated words.
const MIN_LOOSE: usize = 5;
/// Letters that inflection may leave over on either side of the common
/// prefix (sijaisperh|ee ~ sijaisperh).
const SLACK: usize = 2;
/// Shortest head before a compound tail (lastensuojelu|sijoitus).
const MIN_HEAD: usize = 3;

/// A concept the query was understood to mean, with the query's words
/// that led there, in query order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpretation {
    pub concept: String,
    pub matched: Vec<String>,
}

struct Label {
    concept: usize,
    /// Per word of the label, its keys.
    words: Vec<Vec<String>>,
    /// Per word: a function word, which the query may leave out
    /// ("tvist om vårdnaden" ~ "tvist vårdnaden").
    optional: Vec<bool>,
}

/// Function words that a label's other words carry. Negations are not
/// here: "ei syö" must not match "syö".
const FUNCTION_WORDS: &[&str] = &[
    "ja", "tai", "on", "ovat", "oli", "se", "ne", "hän", "että", "kun", "jos", "myös", "kanssa", "och", "eller", "i",
    "på", "om", "till", "av", "med", "att", "en", "ett", "är", "har", "för", "den", "det", "från", "the", "a", "an",
    "of", "in", "on", "at", "to", "and", "or", "for", "with", "by", "is", "are", "has", "have", "from", "his", "her",
    "their", "about",
];

pub struct Thesaurus {
    concepts: Vec<String>,
    labels: Vec<Label>,
    /// Label keys by their first [`MIN_LOOSE`]-1 letters: (label, word).
    by_head: HashMap<String, Vec<(usize, usize, usize)>>,
    /// Per concept: the concepts linked to it (broader, narrower, related).
    links: Vec<Vec<usize>>,
}

/// The thesaurus of the project, parsed once.
pub static THESAURUS: LazyLock<Thesaurus> = LazyLock::new(|| Thesaurus::parse(LABELS, LINKS));

/// The keys a word is matched on here: a stem of under four letters cut
/// from a longer word (kun from kunniaan, last from lasta) is too common
/// a prefix, so such a word is matched as itself.
fn thesaurus_keys(word: &str) -> Vec<String> {
    let mut out: Vec<String> = keys(word)
        .into_iter()
        .filter(|k| k.chars().count() >= 4 || k.chars().count() == word.chars().count())
        .collect();
    if out.is_empty() {
        out.push(word.to_string());
    }
    out
}

fn head(key: &str) -> String {
    key.chars().take(MIN_LOOSE - 1).collect()
}

/// Whether a query key is a form of a label key: the same, or (both long
/// enough) sharing all but [`SLACK`] letters of each.
fn forms_of_one_word(query: &[char], label: &[char]) -> bool {
    if query == label {
        return true;
    }
    let common = query.iter().zip(label).take_while(|(a, b)| a == b).count();
    common >= MIN_LOOSE && query.len() <= common + SLACK && label.len() <= common + SLACK
}

impl Thesaurus {
    fn parse(labels: &str, links: &str) -> Self {
        let mut concepts: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::new();
        for line in labels.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut cols = line.splitn(4, ',');
            let (Some(concept), Some(_lang), Some(_kind), Some(text)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let c = *index.entry(concept.to_string()).or_insert_with(|| {
                concepts.push(concept.to_string());
                concepts.len() - 1
            });
            let raw: Vec<String> = words(text).into_iter().map(|(_, _, w)| w).collect();
            let mut optional: Vec<bool> = raw.iter().map(|w| FUNCTION_WORDS.contains(&w.as_str())).collect();
            if optional.iter().all(|o| *o) {
                // A label of function words alone is matched word for word.
                optional.iter_mut().for_each(|o| *o = false);
            }
            if !raw.is_empty() {
                out.push(Label { concept: c, words: raw.iter().map(|w| thesaurus_keys(w)).collect(), optional });
            }
        }
        let mut linked = vec![Vec::new(); concepts.len()];
        for line in links.lines().skip(1) {
            let cols: Vec<&str> = line.split(',').collect();
            if let [a, _, b] = cols[..]
                && let (Some(&a), Some(&b)) = (index.get(a), index.get(b))
            {
                linked[a].push(b);
                linked[b].push(a);
            }
        }
        let mut by_head: HashMap<String, Vec<(usize, usize, usize)>> = HashMap::new();
        for (l, label) in out.iter().enumerate() {
            for (w, word_keys) in label.words.iter().enumerate() {
                for (k, key) in word_keys.iter().enumerate() {
                    by_head.entry(head(key)).or_default().push((l, w, k));
                }
            }
        }
        Thesaurus { concepts, labels: out, by_head, links: linked }
    }

    /// The concept codes linked to `code` (broader, narrower, related).
    pub fn linked(&self, code: &str) -> Vec<&str> {
        match self.concepts.iter().position(|c| c == code) {
            Some(i) => self.links[i].iter().map(|&j| self.concepts[j].as_str()).collect(),
            None => Vec::new(),
        }
    }

    /// The concepts of a query, given its lower-cased words, in the order
    /// their first word appears.
    pub fn interpret(&self, query_words: &[String]) -> Vec<Interpretation> {
        // For each label word, the query words that are a form of it.
        let mut hits: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (q, word) in query_words.iter().enumerate() {
            for key in thesaurus_keys(word) {
                let chars: Vec<char> = key.chars().collect();
                // At 0 the word itself; further on, the tail of a compound.
                let last_start = if chars.len() >= MIN_HEAD + MIN_LOOSE { chars.len() - MIN_LOOSE } else { 0 };
                for start in std::iter::once(0).chain(MIN_HEAD..=last_start) {
                    let tail = &chars[start..];
                    let tail_head: String = tail.iter().take(MIN_LOOSE - 1).collect();
                    for &(l, w, k) in self.by_head.get(&tail_head).into_iter().flatten() {
                        let label_key: Vec<char> = self.labels[l].words[w][k].chars().collect();
                        let matches = if start == 0 {
                            forms_of_one_word(tail, &label_key)
                        } else {
                            label_key.len() >= MIN_LOOSE && forms_of_one_word(tail, &label_key)
                        };
                        if matches {
                            let slot = hits.entry((l, w)).or_default();
                            if !slot.contains(&q) {
                                slot.push(q);
                            }
                        }
                    }
                }
            }
        }
        // A label counts when every one of its words is in the query.
        let mut found: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut candidates: Vec<usize> = hits.keys().map(|(l, _)| *l).collect();
        candidates.sort_unstable();
        candidates.dedup();
        for l in candidates {
            let label = &self.labels[l];
            if (0..label.words.len()).all(|w| label.optional[w] || hits.contains_key(&(l, w))) {
                let slot = found.entry(label.concept).or_default();
                for w in (0..label.words.len()).filter(|w| hits.contains_key(&(l, *w))) {
                    for &q in &hits[&(l, w)] {
                        if !slot.contains(&q) {
                            slot.push(q);
                        }
                    }
                }
            }
        }
        // A concept read from words that a more specific one explains
        // entirely is that one's broader reading: "sijoitettu nuori karkailee
        // laitoksesta" means residential care, not substitute care in general.
        let sets: Vec<(usize, Vec<usize>)> = found.iter().map(|(c, qs)| (*c, qs.clone())).collect();
        found.retain(|c, qs| {
            !sets.iter().any(|(other, more)| {
                other != c
                    && more.len() > qs.len()
                    && qs.iter().all(|q| more.contains(q))
                    && self.links[*c].contains(other)
            })
        });
        let mut out: Vec<(usize, Interpretation)> = found
            .into_iter()
            .map(|(c, mut qs)| {
                qs.sort_unstable();
                let first = qs[0];
                (
                    first,
                    Interpretation {
                        concept: self.concepts[c].clone(),
                        matched: qs.into_iter().map(|q| query_words[q].clone()).collect(),
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.concept.cmp(&b.1.concept)));
        out.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(query: &str) -> Vec<String> {
        let words: Vec<String> = words(query).into_iter().map(|(_, _, w)| w).collect();
        THESAURUS.interpret(&words).into_iter().map(|i| i.concept).collect()
    }

    #[test]
    fn every_concept_is_a_taxonomy_code() {
        for c in &THESAURUS.concepts {
            assert!(tukiverkko_domain::reference::taxonomy_entry(c).is_some(), "{c}");
        }
        assert!(THESAURUS.concepts.len() >= 41);
    }

    #[test]
    fn described_situations_are_read_into_concepts() {
        let cases: [(&str, &[&str]); 6] = [
            ("14-vuotias karkailee sijaisperheestä ja käyttää huumeita", &["family_foster_care", "substance_abuse"]),
            ("flickan hotas med tvångsäktenskap", &["honour_violence"]),
            ("boy stopped eating and cuts himself", &["eating_disorders", "self_harm"]),
            ("vårdnadstvisten", &["custody_disputes"]),
            ("kunniaväkivallan uhka", &["honour_violence"]),
            ("nuori ei käy koulua", &["school_absence"]),
        ];
        for (query, expected) in cases {
            let got = concepts(query);
            for e in expected {
                assert!(got.iter().any(|g| g == e), "{query}: {got:?} lacks {e}");
            }
        }
    }

    #[test]
    fn matched_words_are_the_query_words_behind_a_concept() {
        let words: Vec<String> = ["poika", "viiltelee"].map(String::from).to_vec();
        let found = THESAURUS.interpret(&words);
        let self_harm = found.iter().find(|i| i.concept == "self_harm").expect("self_harm");
        assert_eq!(self_harm.matched, ["viiltelee"]);
    }

    #[test]
    fn short_stems_of_longer_words_do_not_match_common_words() {
        // kunniaan stems to "kun", the Finnish "when".
        let got = concepts("äiti soitti kun lapsi oli liittyvä väkivalta");
        assert!(!got.contains(&"honour_violence".to_string()), "{got:?}");
        assert!(concepts("kunniaan liittyvä väkivalta").contains(&"honour_violence".to_string()));
    }

    #[test]
    fn common_words_alone_mean_nothing() {
        assert!(concepts("lapsi ja perhe, 12-vuotias poika").is_empty(), "{:?}", concepts("lapsi ja perhe"));
        assert!(concepts("a child and a family").is_empty());
    }
}
