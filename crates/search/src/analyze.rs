//! Text analysis for Finnish, Swedish and English. Snowball stems alone
//! miss many Finnish inflections (kunniaväkivallan → `kunniaväkival`,
//! kunniaväkivaltaan → `kunniaväkiv`), so two stems match when they share
//! a long common prefix: at least four letters and all but the last two of
//! the shorter stem. Consonant gradation and case endings live at the end
//! of the stem, so this rule absorbs them.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

static FINNISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Finnish));
static SWEDISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Swedish));

/// Shortest stem that takes part in prefix and typo matching.
pub const MIN_PREFIX: usize = 4;
/// Shortest word where one typo is forgiven.
pub const MIN_TYPO_LEN: usize = 6;

/// Longest word analysed. Real words are shorter (lastensuojeluilmoitus-
/// velvollisuus has 33 letters); a longer run is cut here, so stemming,
/// compound splitting and typo neighbourhoods cost the same for any input
/// and analysis stays linear in the length of the text.
pub const MAX_WORD_CHARS: usize = 48;

/// Lower-cased words of `text` with their byte offsets; each word's text
/// is cut to [`MAX_WORD_CHARS`].
pub fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    let word = |s: &str| s.chars().take(MAX_WORD_CHARS).collect::<String>().to_lowercase();
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i, word(&text[s..i])));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), word(&text[s..])));
    }
    out
}

/// The index keys of one lower-cased word: its Finnish and Swedish stems,
/// and with Voikko the stems of its lemmas.
pub fn keys(word: &str) -> Vec<String> {
    let mut out = stems(word);
    // The stem of the lemma joins forms that consonant gradation keeps
    // apart: huoltoriidoissa and huoltoriita.
    for lemma in crate::voikko::lemmas(word) {
        let stem = FINNISH.stem(&lemma).into_owned();
        if !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

/// The Finnish and Swedish Snowball stems of a word.
pub fn stems(word: &str) -> Vec<String> {
    let fi = FINNISH.stem(word).into_owned();
    let sv = SWEDISH.stem(word).into_owned();
    if fi == sv { vec![fi] } else { vec![fi, sv] }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Whether two stems are forms of one word by the prefix rule.
pub fn prefix_match(a: &str, b: &str) -> bool {
    let shorter = a.chars().count().min(b.chars().count());
    let common = common_prefix(a, b);
    common >= MIN_PREFIX && common + 2 >= shorter
}

/// Optimal string alignment distance, capped: true when at most one edit
/// (insert, delete, substitute or swap of neighbours) apart.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (la, lb) if la == lb => {
            ra[1..] == rb[1..] || (la >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (la, lb) if la > lb => ra[1..] == *rb,
        _ => *ra == rb[1..],
    }
}

/// Every string one deletion away, for the typo neighbourhood.
pub fn deletions(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len()).map(|i| chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms_match(query: &str, doc: &str) -> bool {
        keys(query).iter().any(|q| keys(doc).iter().any(|d| q == d || prefix_match(q, d)))
    }

    #[test]
    fn finnish_inflection_and_gradation() {
        assert!(forms_match("kunniaväkivallan", "kunniaväkivaltaan"));
        assert!(forms_match("huoltoriidoissa", "huoltoriita"));
        assert!(forms_match("syömishäiriöisten", "syömishäiriöt"));
        assert!(forms_match("nuorten", "nuoret"));
        assert!(forms_match("koulutuksiin", "koulutus"));
        assert!(forms_match("sijaishuollon", "sijaishuolto"));
        assert!(!forms_match("koulu", "kunnia"));
    }

    #[test]
    fn swedish_inflection() {
        assert!(forms_match("vårdnadstvister", "vårdnadstvist"));
        assert!(forms_match("hedersrelaterade", "hedersrelaterat"));
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("lastensuojelu", "lastensuojleu"));
        assert!(within_one_edit("barnahus", "barnhus"));
        assert!(within_one_edit("barnahus", "barnahuus"));
        assert!(within_one_edit("barnahus", "barnahos"));
        assert!(!within_one_edit("barnahus", "barnhos"));
    }

    #[test]
    fn long_runs_are_cut_but_keep_their_offsets() {
        let text = format!("a {} b", "x".repeat(10_000));
        let w = words(&text);
        assert_eq!(w[1].2.chars().count(), MAX_WORD_CHARS);
        assert_eq!((w[1].0, w[1].1), (2, 10_002));
    }

    #[test]
    fn words_keep_offsets_and_letters() {
        let w = words("Kunnia-väkivalta, ÅBO!");
        assert_eq!(w.iter().map(|(_, _, s)| s.as_str()).collect::<Vec<_>>(), ["kunnia", "väkivalta", "åbo"]);
        assert_eq!(&"Kunnia-väkivalta, ÅBO!"[w[1].0..w[1].1], "väkivalta");
    }
}
