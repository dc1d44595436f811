//! Snippets with the matching words marked. The text is HTML-escaped
//! before any `<mark>` is added, so profile text cannot inject markup.

use crate::analyze::{MIN_PREFIX, prefix_match, stems as word_stems, words};

const SNIPPET_CHARS: usize = 200;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An escaped snippet of `text` around the first word that matches one of
/// the query `stems`, every matching word in `<mark>`.
pub fn highlight(text: &str, stems: &[String]) -> String {
    let all = words(text);
    // Stemming keeps a word's beginning, and a match needs the first
    // MIN_PREFIX letters in common: words that begin otherwise are not
    // stemmed at all (most of a bio).
    let heads: Vec<String> = stems.iter().map(|s| s.chars().take(MIN_PREFIX).collect()).collect();
    let matches = |w: &str| {
        heads.iter().any(|h| w.starts_with(h.as_str()))
            && word_stems(w).iter().any(|k| stems.iter().any(|s| s == k || prefix_match(s, k)))
    };
    let marked: Vec<&(usize, usize, String)> = all.iter().filter(|(_, _, w)| matches(w)).collect();
    let start = marked.first().map(|(s, _, _)| *s).unwrap_or(0);
    // Begin a little before the first match, on a word boundary.
    let begin = if start <= 60 { 0 } else { all.iter().map(|(s, _, _)| *s).find(|s| start - s <= 60).unwrap_or(start) };
    let mut end = text.len();
    if text[begin..].chars().count() > SNIPPET_CHARS {
        end = text[begin..].char_indices().nth(SNIPPET_CHARS).map(|(i, _)| begin + i).unwrap_or(text.len());
    }
    let mut out = String::new();
    if begin > 0 {
        out.push('…');
    }
    let mut pos = begin;
    for (s, e, _) in marked.iter().filter(|(s, e, _)| *s >= begin && *e <= end) {
        out.push_str(&escape(&text[pos..*s]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[*s..*e]));
        out.push_str("</mark>");
        pos = *e;
    }
    out.push_str(&escape(&text[pos..end]));
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::keys;

    #[test]
    fn marks_inflected_matches_and_escapes() {
        let stems = keys("kunniaväkivallan");
        let html = highlight("Työ <b>kunniaväkivaltaan</b> & uhkiin", &stems);
        assert_eq!(html, "Työ &lt;b&gt;<mark>kunniaväkivaltaan</mark>&lt;/b&gt; &amp; uhkiin");
    }
}
