//! Research needs raised by professionals and families: the pipeline a need
//! moves through from submission to a published study, and the ranking
//! rounds in which stakeholder groups prioritise the confirmed
//! uncertainties (in the manner of a James Lind Alliance priority setting).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codes::ValueError;
use crate::meeting;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    Submitted,
    InReview,
    UncertaintyConfirmed,
    AnsweredByEvidence,
    OutOfScope,
    Prioritised,
    Proposed,
    InStudy,
    Published,
    Merged,
}

impl NeedStatus {
    pub const ALL: [NeedStatus; 10] = [
        Self::Submitted,
        Self::InReview,
        Self::UncertaintyConfirmed,
        Self::AnsweredByEvidence,
        Self::OutOfScope,
        Self::Prioritised,
        Self::Proposed,
        Self::InStudy,
        Self::Published,
        Self::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::InReview => "in_review",
            Self::UncertaintyConfirmed => "uncertainty_confirmed",
            Self::AnsweredByEvidence => "answered_by_evidence",
            Self::OutOfScope => "out_of_scope",
            Self::Prioritised => "prioritised",
            Self::Proposed => "proposed",
            Self::InStudy => "in_study",
            Self::Published => "published",
            Self::Merged => "merged",
        }
    }

    /// No move leads on: the study is out, or the need lives on in another.
    /// A need answered by evidence or out of scope is not final, because
    /// its review can be reopened.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Published | Self::Merged)
    }
}

impl FromStr for NeedStatus {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_status", format!("unknown status '{s}'")))
    }
}

impl fmt::Display for NeedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The pipeline: submitted → in_review → (uncertainty_confirmed |
/// answered_by_evidence | out_of_scope); uncertainty_confirmed →
/// prioritised → proposed → in_study → published. A review that ended in
/// answered_by_evidence or out_of_scope can be reopened (back to
/// in_review). Merged is reached only by merging, never by a status move.
pub fn can_move(from: NeedStatus, to: NeedStatus) -> bool {
    use NeedStatus::*;
    matches!(
        (from, to),
        (Submitted, InReview)
            | (InReview, UncertaintyConfirmed | AnsweredByEvidence | OutOfScope)
            | (AnsweredByEvidence | OutOfScope, InReview)
            | (UncertaintyConfirmed, Prioritised)
            | (Prioritised, Proposed)
            | (Proposed, InStudy)
            | (InStudy, Published)
    )
}

/// Any need still in the pipeline can be merged into another: a published
/// one already has its answer, and a merged one lives on in its target.
pub fn can_merge(from: NeedStatus) -> bool {
    !from.is_final()
}

/// A move to published needs the address of the result, so that whoever
/// raised the need can find the answer; on other moves an address (say, of
/// a study protocol) may be given. Returns the checked https link, if any.
pub fn check_result_url(to: NeedStatus, url: Option<&str>) -> Result<Option<String>, (&'static str, ValueError)> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => meeting::https_link("result_url", url).map(Some).map_err(|e| ("result_url", e)),
        None if to == NeedStatus::Published => {
            Err(("result_url", ValueError::new("required", "a published need needs the address of the result")))
        }
        None => Ok(None),
    }
}

/// Rank r (1-based, best first, at most 10) earns 11 − r points.
pub const MAX_RANKING: usize = 10;

/// Points for a rank; a rank outside 1–10 earns none.
pub fn points(rank: usize) -> u32 {
    if (1..=MAX_RANKING).contains(&rank) { (MAX_RANKING + 1 - rank) as u32 } else { 0 }
}

/// A ballot's ranking: 1–10 needs of the round, each at most once.
pub fn check_ranking(ranking: &[String], allowed: &[String]) -> Result<(), ValueError> {
    if ranking.is_empty() {
        return Err(ValueError::new("required", "rank at least one research need"));
    }
    if ranking.len() > MAX_RANKING {
        return Err(ValueError::new("too_many", format!("rank at most {MAX_RANKING} research needs")));
    }
    let mut seen = HashSet::new();
    for need in ranking {
        if !allowed.contains(need) {
            return Err(ValueError::new("not_in_round", format!("research need '{need}' is not in this round")));
        }
        if !seen.insert(need) {
            return Err(ValueError::new("duplicate", format!("research need '{need}' is ranked twice")));
        }
    }
    Ok(())
}

/// One person's ranking, cast for one stakeholder group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub group: String,
    pub ranking: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupPart {
    /// None when the group is suppressed.
    pub points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedResult {
    pub need: String,
    pub score: f64,
    pub by_group: BTreeMap<String, Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundResult {
    pub items: Vec<NeedResult>,
    pub suppressed_groups: Vec<String>,
}

/// score = Σ over groups with ≥ min_ballots ballots of (the group's points
/// for the need ÷ the group's number of ballots), rounded to 2 decimals.
/// Dividing by the ballots gives each group the same say however many of
/// its members vote; a group with fewer ballots is left out and its
/// figures hidden, as its few members' rankings could be told apart.
/// by_group[g] = the group's summed points for the need (rounded to 2
/// decimals) or None when g is suppressed. Every need of the round appears
/// (score 0 if nobody ranked it), best first, ties by need id. Ballots of
/// groups not in `groups` and ranked needs not in `needs` are ignored; a
/// need ranked twice in one ballot counts at its first place only.
pub fn tally(needs: &[String], groups: &[String], ballots: &[Ballot], min_ballots: usize) -> RoundResult {
    let mut unique_groups: Vec<&String> = Vec::new();
    for group in groups {
        if !unique_groups.contains(&group) {
            unique_groups.push(group);
        }
    }
    // Points per (group, need) and ballots per group.
    let mut ballots_of: HashMap<&str, usize> = HashMap::new();
    let mut points_of: HashMap<(&str, &str), u64> = HashMap::new();
    let round: HashSet<&str> = needs.iter().map(String::as_str).collect();
    for ballot in ballots.iter().filter(|b| unique_groups.contains(&&b.group)) {
        *ballots_of.entry(&ballot.group).or_default() += 1;
        let mut seen = HashSet::new();
        for (i, need) in ballot.ranking.iter().enumerate() {
            if round.contains(need.as_str()) && seen.insert(need) {
                *points_of.entry((&ballot.group, need)).or_default() += u64::from(points(i + 1));
            }
        }
    }
    let counted = |g: &str| ballots_of.get(g).copied().unwrap_or(0) >= min_ballots.max(1);
    let suppressed_groups: Vec<String> = unique_groups.iter().filter(|g| !counted(g)).map(|g| g.to_string()).collect();

    let mut seen_needs = HashSet::new();
    let mut items: Vec<NeedResult> = needs
        .iter()
        .filter(|n| seen_needs.insert(n.as_str()))
        .map(|need| {
            let group_points = |g: &str| points_of.get(&(g, need.as_str())).copied().unwrap_or(0) as f64;
            // Summed in group-name order so that the result does not depend
            // on the order the groups were listed in.
            let by_group: BTreeMap<String, Option<f64>> =
                unique_groups.iter().map(|g| (g.to_string(), counted(g).then(|| round2(group_points(g))))).collect();
            let score = by_group
                .iter()
                .filter(|(_, p)| p.is_some())
                .map(|(g, _)| group_points(g) / ballots_of[g.as_str()] as f64)
                .sum();
            NeedResult { need: need.clone(), score: round2(score), by_group }
        })
        .collect();
    items.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.need.cmp(&b.need)));
    RoundResult { items, suppressed_groups }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests;
