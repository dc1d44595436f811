//! What a profile puts in the index: the keys of its words, weighted by
//! field, with compound tails and the labels and synonyms of its codes.

use std::collections::{BTreeSet, HashMap};

use tukiverkko_domain::reference;

use crate::Document;
use crate::analyze::{keys, words};

/// Field weights: who the person is and what they are coded for count
/// more than a word in the free-text bio.
const W_NAME: f32 = 3.0;
const W_TAXONOMY: f32 = 2.0;
const W_TITLE: f32 = 2.0;
const W_SYNONYM: f32 = 1.5;
const W_ORGANIZATION: f32 = 1.0;
const W_BIO: f32 = 1.0;
/// A compound's tail (väkivalta in kunniaväkivalta) counts less than the word itself.
const COMPOUND_FACTOR: f32 = 0.7;
/// Shortest compound head and tail that are split off.
const MIN_COMPOUND_PART: usize = 4;
/// A tail recognised on its own must be longer, so endings are not taken for words.
const MIN_TAIL: usize = 5;

/// The index keys of one word with their weight factor: its own keys, and
/// its compound tails' keys at a lower weight.
type WordKeys = Vec<(String, f32)>;

/// Analyses already made. Words repeat across profiles, and every profile
/// coded for a topic carries the same labels: a build keeps one memo for
/// all profiles so each is worked out once. Valid while the known words
/// (`heads`) stay the same.
#[derive(Default)]
pub struct Memo {
    words: HashMap<String, WordKeys>,
    codes: HashMap<&'static str, HashMap<String, f32>>,
}

/// Adds the words of `text` to the known words that compounds are split on.
pub fn learn_heads(heads: &mut BTreeSet<String>, text: &str) {
    for (_, _, w) in words(text) {
        if w.chars().count() >= MIN_COMPOUND_PART {
            heads.insert(w);
        }
    }
}

/// Every index key of a profile with its summed field weight. Repeated
/// words add up; scoring saturates them (BM25-like).
pub fn profile_weights(doc: &Document, heads: &BTreeSet<String>, memo: &mut Memo) -> HashMap<String, f32> {
    let mut weights: HashMap<String, f32> = HashMap::new();
    for (text, weight) in
        [(&doc.name, W_NAME), (&doc.title, W_TITLE), (&doc.organization, W_ORGANIZATION), (&doc.bio, W_BIO)]
    {
        add_text(&mut weights, text, weight, &mut memo.words, heads);
    }
    for code in doc.topics.iter().chain(&doc.methods).chain(std::iter::once(&doc.sector)) {
        if let Some(t) = reference::taxonomy_entry(code) {
            let Memo { words, codes } = memo;
            let code_weights = codes.entry(t.code).or_insert_with(|| taxonomy_weights(t, words, heads));
            for (key, weight) in code_weights.iter() {
                *weights.entry(key.clone()).or_default() += weight;
            }
        }
    }
    weights
}

fn add_text(
    weights: &mut HashMap<String, f32>,
    text: &str,
    weight: f32,
    memo: &mut HashMap<String, WordKeys>,
    heads: &BTreeSet<String>,
) {
    for (_, _, word) in words(text) {
        let keys = memo.entry(word).or_insert_with_key(|w| word_keys(w, heads));
        for (key, factor) in keys.iter() {
            *weights.entry(key.clone()).or_default() += weight * factor;
        }
    }
}

/// The keys a taxonomy code gives a profile. Its labels and synonyms name
/// one thing, so a key counts once per code, at its best; and a word of a
/// long label counts less than a one-word label (a profile coded
/// "sijaishuolto" matches "sijaishuollossa" better than one coded
/// "sijaishuollon ohjaus ja valvonta").
fn taxonomy_weights(
    t: &reference::TaxonomyEntry,
    memo: &mut HashMap<String, WordKeys>,
    heads: &BTreeSet<String>,
) -> HashMap<String, f32> {
    let labels = [&t.label_fi, &t.label_sv, &t.label_en].into_iter().map(|l| (l, W_TAXONOMY));
    let synonyms = t.synonyms_fi.iter().chain(&t.synonyms_sv).chain(&t.synonyms_en).map(|s| (s, W_SYNONYM));
    let mut best: HashMap<String, f32> = HashMap::new();
    for (text, weight) in labels.chain(synonyms) {
        let length = words(text).len().max(1) as f32;
        let mut one = HashMap::new();
        add_text(&mut one, text, weight / length.sqrt(), memo, heads);
        for (key, w) in one {
            let slot = best.entry(key).or_default();
            *slot = slot.max(w);
        }
    }
    best
}

fn word_keys(word: &str, heads: &BTreeSet<String>) -> WordKeys {
    let mut out: WordKeys = keys(word).into_iter().map(|k| (k, 1.0)).collect();
    for tail in compound_tails(word, heads) {
        out.extend(keys(&tail).into_iter().map(|k| (k, COMPOUND_FACTOR)));
    }
    out
}

/// Tails of a compound word whose head is a known word:
/// kunniaväkivaltaan → väkivaltaan when "kunnia" is known.
fn compound_tails(word: &str, heads: &BTreeSet<String>) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 * MIN_COMPOUND_PART {
        return Vec::new();
    }
    (MIN_COMPOUND_PART..=chars.len() - MIN_COMPOUND_PART)
        .filter(|&i| {
            // Either part known is enough: kunnia|väkivalta, ennalta|ehkäisy.
            is_known_head(&chars[..i].iter().collect::<String>(), heads)
                || (chars.len() - i >= MIN_TAIL && heads.contains(&chars[i..].iter().collect::<String>()))
        })
        .map(|i| chars[i..].iter().collect())
        .collect()
}

/// A head is known when a known word is it or an inflected form of it
/// (kunnia from kunniaan).
fn is_known_head(head: &str, heads: &BTreeSet<String>) -> bool {
    if heads.contains(head) {
        return true;
    }
    heads
        .range(head.to_string()..)
        .take_while(|h| h.starts_with(head))
        .any(|h| h.chars().count() <= head.chars().count() + 2)
}
