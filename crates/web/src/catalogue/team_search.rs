//! Finding teams with the expert finder's own query analysis.
//!
//! A query is read by the thesaurus of `tukiverkko-search` into taxonomy
//! concepts (inflected Finnish and Swedish, compounds, everyday phrases and
//! synonyms in three languages: "huoltoriidoissa" → `custody_disputes`). A
//! team matches a concept when its topics or methods hold it, scoring 2 per
//! concept. The query's words that led to no concept still find a team by
//! its names in fi/sv/en, on the same Snowball stems the expert index uses,
//! scoring 1 per word. With words in the query, a team that matches nothing
//! is left out; without, every team is listed. Teams are few, so this ranks
//! them in memory instead of keeping an index of their own.

use tukiverkko_search::analyze::{prefix_match, stems, words};
use tukiverkko_search::thesaurus::{Interpretation, THESAURUS};
use tukiverkko_store::experts::split;
use tukiverkko_store::teams::Team;

pub struct Ranked {
    pub team: Team,
    pub score: u32,
    /// The concepts the team was found by.
    pub concepts: Vec<String>,
}

/// The teams matching `q`, best first (then by name), and how the query was read.
pub fn search(teams: Vec<Team>, q: &str) -> (Vec<Ranked>, Vec<Interpretation>) {
    let query_words: Vec<String> = words(q).into_iter().map(|(_, _, w)| w).collect();
    let interpretation = THESAURUS.interpret(&query_words);
    let concept_words: Vec<&String> = interpretation.iter().flat_map(|i| i.matched.iter()).collect();
    let plain: Vec<Vec<String>> = query_words.iter().filter(|w| !concept_words.contains(w)).map(|w| stems(w)).collect();
    let mut ranked: Vec<Ranked> = teams
        .into_iter()
        .filter_map(|team| {
            let codes: Vec<String> = split(&team.team.topics).into_iter().chain(split(&team.team.methods)).collect();
            let concepts: Vec<String> =
                interpretation.iter().map(|i| i.concept.clone()).filter(|c| codes.contains(c)).collect();
            let names = format!("{} {} {}", team.team.name_fi, team.team.name_sv, team.team.name_en);
            let name_stems: Vec<String> = words(&names).into_iter().flat_map(|(_, _, w)| stems(&w)).collect();
            let named = plain
                .iter()
                .filter(|word| word.iter().any(|s| name_stems.iter().any(|n| n == s || prefix_match(n, s))))
                .count() as u32;
            let score = 2 * concepts.len() as u32 + named;
            (query_words.is_empty() || score > 0).then_some(Ranked { team, score, concepts })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.team.team.name_fi.cmp(&b.team.team.name_fi)));
    (ranked, interpretation)
}
