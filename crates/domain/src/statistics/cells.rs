//! Pre-aggregated statistics: what one case adds to the counters the
//! dashboards read. A dashboard over a million cases then sums a few
//! thousand counters instead of reading a million rows.
//!
//! Each case's contribution is worked out here from its [`CaseFact`]; the
//! store keeps the fact it last counted, and when the case changes it takes
//! the old contribution away and adds the new one in the same transaction.
//! The figures are then computed from summed counters only
//! ([`ServiceCounters::figures`]), and [`super::service_figures`] goes the
//! same way, so there is one definition of every figure.

use std::collections::BTreeMap;

use time::Date;

use super::{CaseFact, Dimension, ServiceFigures, round, working_days_between};

/// Which counter family a cell belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Cases by up to two of the value dimensions (centre and month are
    /// always part of the key, so any pair with them is covered too).
    Count,
    /// Answered cases by working days to the first answer and whether the
    /// due date held.
    Answer,
    /// Unanswered cases by due date: late once the date has passed.
    Pending,
    /// Cases with feedback by usefulness and whether a referral was avoided.
    Feedback,
    /// Cases whose requester answered the referral-effect question.
    Referral,
    /// Clients measured at least twice, by instrument: how many, and the
    /// sum of their change between first and last measurement.
    Outcome,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Answer => "answer",
            Kind::Pending => "pending",
            Kind::Feedback => "feedback",
            Kind::Referral => "referral",
            Kind::Outcome => "outcome",
        }
    }
}

/// The key of one counter. Empty strings stand for "no dimension".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    pub kind: Kind,
    pub month: String,
    pub centre: String,
    pub dim_a: String,
    pub val_a: String,
    pub dim_b: String,
    pub val_b: String,
}

/// A change to one counter: cases added (or taken away) and a sum.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Delta {
    pub n: i64,
    pub sum: f64,
}

/// The dimensions kept as counter values; centre and month are key columns.
pub const VALUE_DIMENSIONS: [Dimension; 5] =
    [Dimension::County, Dimension::Topic, Dimension::Urgency, Dimension::Format, Dimension::Status];

pub fn is_value_dimension(d: Dimension) -> bool {
    VALUE_DIMENSIONS.contains(&d)
}

/// Whether the due date held for an answered case.
pub fn due_state(fact: &CaseFact) -> &'static str {
    match (fact.due_on, fact.answered_on) {
        (Some(due), Some(answered)) if answered <= due => "on_time",
        (Some(_), Some(_)) => "late",
        _ => "none",
    }
}

/// Every counter `fact` adds one to (or its sum to).
pub fn contribution(fact: &CaseFact) -> Vec<(CellKey, Delta)> {
    let key = |kind: Kind, dim_a: &str, val_a: &str, dim_b: &str, val_b: &str| CellKey {
        kind,
        month: fact.month.clone(),
        centre: fact.centre.clone(),
        dim_a: dim_a.to_string(),
        val_a: val_a.to_string(),
        dim_b: dim_b.to_string(),
        val_b: val_b.to_string(),
    };
    let one = Delta { n: 1, sum: 0.0 };
    let mut cells = vec![(key(Kind::Count, "", "", "", ""), one)];
    for (i, a) in VALUE_DIMENSIONS.iter().enumerate() {
        for va in fact.values(*a) {
            cells.push((key(Kind::Count, a.as_str(), va, "", ""), one));
            for b in &VALUE_DIMENSIONS[i + 1..] {
                for vb in fact.values(*b) {
                    cells.push((key(Kind::Count, a.as_str(), va, b.as_str(), vb), one));
                }
            }
        }
    }
    if let (Some(sent), Some(answered)) = (fact.sent_on, fact.answered_on) {
        let days = working_days_between(sent, answered).to_string();
        cells.push((key(Kind::Answer, "days", &days, "due", due_state(fact)), one));
    } else if let (Some(due), None) = (fact.due_on, fact.answered_on) {
        cells.push((key(Kind::Pending, "due_on", &due.to_string(), "", ""), one));
    }
    if let Some(u) = fact.usefulness {
        let avoided = if fact.referral_avoided.unwrap_or(false) { "1" } else { "0" };
        cells.push((key(Kind::Feedback, "usefulness", &u.to_string(), "avoided", avoided), one));
    }
    if let Some(r) = &fact.referral {
        cells.push((key(Kind::Referral, "referral", r, "", ""), one));
    }
    for (instrument, change) in &fact.outcome_changes {
        cells.push((key(Kind::Outcome, "instrument", instrument, "", ""), Delta { n: 1, sum: *change }));
    }
    cells
}

/// What changes in the counters when a case's fact goes from `old` to
/// `new` (either may be absent: a case starts or stops being counted).
/// Counters that come out even are left out.
pub fn difference(old: Option<&CaseFact>, new: Option<&CaseFact>) -> Vec<(CellKey, Delta)> {
    let mut net: BTreeMap<CellKey, Delta> = BTreeMap::new();
    for (key, d) in old.map(contribution).unwrap_or_default() {
        let e = net.entry(key).or_default();
        e.n -= d.n;
        e.sum -= d.sum;
    }
    for (key, d) in new.map(contribution).unwrap_or_default() {
        let e = net.entry(key).or_default();
        e.n += d.n;
        e.sum += d.sum;
    }
    net.into_iter().filter(|(_, d)| d.n != 0 || d.sum != 0.0).collect()
}

/// The summed counters behind one group's service figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceCounters {
    pub cases: u64,
    /// `(working days to first answer, due state, cases)`.
    pub answers: Vec<(u32, String, u64)>,
    /// Unanswered cases whose due date has passed.
    pub overdue: u64,
    /// `(usefulness, referral avoided, cases)`.
    pub feedback: Vec<(u8, bool, u64)>,
    /// `(referral effect, cases)`.
    pub referrals: Vec<(String, u64)>,
}

/// The value at 1-based `rank` of the sorted values a histogram stands for.
fn nth(histogram: &[(u32, u64)], rank: u64) -> Option<u32> {
    let mut seen = 0;
    for &(value, n) in histogram {
        seen += n;
        if seen >= rank {
            return Some(value);
        }
    }
    None
}

/// The median of the values a sorted `(value, count)` histogram stands for.
pub fn histogram_median(histogram: &[(u32, u64)]) -> Option<f64> {
    let n: u64 = histogram.iter().map(|h| h.1).sum();
    match n {
        0 => None,
        _ if n % 2 == 1 => nth(histogram, n / 2 + 1).map(f64::from),
        _ => Some((nth(histogram, n / 2)? as f64 + nth(histogram, n / 2 + 1)? as f64) / 2.0),
    }
}

/// The nearest-rank percentile `p` (0–1) of a sorted histogram.
pub fn histogram_percentile(histogram: &[(u32, u64)], p: f64) -> Option<f64> {
    let n: u64 = histogram.iter().map(|h| h.1).sum();
    if n == 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as u64).clamp(1, n);
    nth(histogram, rank).map(f64::from)
}

impl ServiceCounters {
    pub fn figures(&self) -> ServiceFigures {
        let mut days: BTreeMap<u32, u64> = BTreeMap::new();
        let (mut due, mut on_time) = (self.overdue, 0u64);
        for (d, state, n) in &self.answers {
            *days.entry(*d).or_default() += n;
            if state != "none" {
                due += n;
            }
            if state == "on_time" {
                on_time += n;
            }
        }
        let histogram: Vec<(u32, u64)> = days.into_iter().collect();
        let answered: u64 = histogram.iter().map(|h| h.1).sum();
        let with_feedback: u64 = self.feedback.iter().map(|f| f.2).sum();
        let useful: u64 = self.feedback.iter().map(|f| u64::from(f.0) * f.2).sum();
        let avoided: u64 = self.feedback.iter().filter(|f| f.1).map(|f| f.2).sum();
        let with_referral: u64 = self.referrals.iter().map(|r| r.1).sum();
        let initiated: u64 = self.referrals.iter().filter(|r| r.0 == "initiated").map(|r| r.1).sum();
        let share = |part: u64, of: u64| (of > 0).then(|| round(part as f64 / of as f64, 3));
        ServiceFigures {
            cases: self.cases,
            answered,
            median_days_to_answer: histogram_median(&histogram),
            p90_days_to_answer: histogram_percentile(&histogram, 0.9),
            due,
            on_time_share: share(on_time, due),
            with_feedback,
            usefulness_mean: (with_feedback > 0).then(|| round(useful as f64 / with_feedback as f64, 2)),
            referral_avoided_share: share(avoided, with_feedback),
            with_referral,
            referral_initiated_share: share(initiated, with_referral),
        }
    }
}

/// Sums the contributions of `facts` into service counters as of `today`,
/// the way the store's queries sum the stored counters.
pub fn service_counters(facts: &[CaseFact], today: Date) -> ServiceCounters {
    let mut c = ServiceCounters::default();
    let mut answers: BTreeMap<(u32, String), u64> = BTreeMap::new();
    let mut feedback: BTreeMap<(u8, bool), u64> = BTreeMap::new();
    let mut referrals: BTreeMap<String, u64> = BTreeMap::new();
    for (key, d) in facts.iter().flat_map(contribution) {
        let n = d.n as u64;
        match key.kind {
            Kind::Count if key.dim_a.is_empty() => c.cases += n,
            Kind::Answer => *answers.entry((key.val_a.parse().unwrap_or(0), key.val_b)).or_default() += n,
            Kind::Pending if key.val_a < today.to_string() => c.overdue += n,
            Kind::Feedback => *feedback.entry((key.val_a.parse().unwrap_or(0), key.val_b == "1")).or_default() += n,
            Kind::Referral => *referrals.entry(key.val_a).or_default() += n,
            _ => {}
        }
    }
    c.answers = answers.into_iter().map(|((d, s), n)| (d, s, n)).collect();
    c.feedback = feedback.into_iter().map(|((u, a), n)| (u, a, n)).collect();
    c.referrals = referrals.into_iter().collect();
    c
}

/// Each client's change between their first and last measurement of each
/// instrument, for clients measured at least twice.
pub fn outcome_changes(series: &BTreeMap<String, Vec<(String, f64)>>) -> Vec<(String, f64)> {
    series
        .iter()
        .filter(|(_, s)| s.len() >= 2)
        .filter_map(|(instrument, s)| {
            let mut s = s.clone();
            s.sort_by(|a, b| a.0.cmp(&b.0));
            Some((instrument.clone(), s.last()?.1 - s.first()?.1))
        })
        .collect()
}

/// The mean change over `clients` whose changes add up to `sum`.
pub fn mean_of(clients: u64, sum: f64) -> Option<f64> {
    (clients > 0).then(|| round(sum / clients as f64, 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statistics::{count_by, median, percentile};
    use proptest::prelude::*;
    use time::macros::date;

    fn fact(topics: &[&str], county: &str, status: &str) -> CaseFact {
        CaseFact {
            centre: "oulu".into(),
            county: county.into(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            urgency: "normal".into(),
            format: "written".into(),
            month: "2026-03".into(),
            status: status.into(),
            ..Default::default()
        }
    }

    /// Sums the count cells for `dims` the way the store's query does.
    fn table_from_cells(facts: &[CaseFact], dims: &[Dimension]) -> BTreeMap<Vec<String>, u64> {
        let mut values: Vec<Dimension> = dims.iter().copied().filter(|d| is_value_dimension(*d)).collect();
        values.sort();
        let want_a = values.first().map_or("", |d| d.as_str());
        let want_b = values.get(1).map_or("", |d| d.as_str());
        let mut out = BTreeMap::new();
        for (key, d) in facts.iter().flat_map(contribution) {
            if key.kind != Kind::Count || key.dim_a != want_a || key.dim_b != want_b {
                continue;
            }
            let k: Vec<String> = dims
                .iter()
                .map(|dim| match dim {
                    Dimension::Centre => key.centre.clone(),
                    Dimension::Month => key.month.clone(),
                    d if Some(d) == values.first() => key.val_a.clone(),
                    _ => key.val_b.clone(),
                })
                .collect();
            *out.entry(k).or_default() += d.n as u64;
        }
        out
    }

    #[test]
    fn a_move_takes_the_old_counters_away_and_adds_the_new() {
        let old = fact(&["t1", "t2"], "k1", "requested");
        let new = CaseFact { status: "accepted".into(), ..old.clone() };
        let diff = difference(Some(&old), Some(&new));
        // Only status cells change: the status alone, and with each of the
        // county, the two topics, urgency and format: 1 + 5 = 6, taken away and added.
        assert_eq!(diff.len(), 12);
        assert!(diff.iter().all(|(k, _)| k.dim_a == "status" || k.dim_b == "status"));
        assert_eq!(diff.iter().map(|(_, d)| d.n).sum::<i64>(), 0);
        assert!(difference(Some(&old), Some(&old)).is_empty());
    }

    #[test]
    fn histogram_median_and_percentile_match_the_sorted_list() {
        let values = [0u32, 1, 1, 2, 3, 3, 3, 8, 9, 12];
        let mut hist: BTreeMap<u32, u64> = BTreeMap::new();
        for v in values {
            *hist.entry(v).or_default() += 1;
        }
        let hist: Vec<(u32, u64)> = hist.into_iter().collect();
        assert_eq!(histogram_median(&hist), median(&values));
        assert_eq!(histogram_percentile(&hist, 0.9), percentile(&values, 0.9));
        assert_eq!(histogram_median(&[]), None);
    }

    fn arb_fact() -> impl Strategy<Value = CaseFact> {
        (
            prop::sample::select(vec!["oulu", "turku", "tampere"]),
            prop::sample::select(vec!["2026-01", "2026-02"]),
            prop::collection::btree_set(prop::sample::select(vec!["t1", "t2", "t3"]), 1..3),
            prop::sample::select(vec!["k1", "k2"]),
            prop::sample::select(vec!["requested", "answered", "closed"]),
            prop::sample::select(vec!["normal", "urgent"]),
            0u32..30,
            proptest::option::of(0u32..30),
        )
            .prop_map(|(centre, month, topics, county, status, urgency, due, answer)| {
                let sent = date!(2026 - 01 - 05);
                let plus = |d: u32| sent.checked_add(time::Duration::days(d.into()));
                CaseFact {
                    centre: centre.into(),
                    month: month.into(),
                    topics: topics.into_iter().map(String::from).collect(),
                    county: county.into(),
                    status: status.into(),
                    urgency: urgency.into(),
                    format: "written".into(),
                    sent_on: Some(sent),
                    due_on: plus(due),
                    answered_on: answer.and_then(plus),
                    ..Default::default()
                }
            })
    }

    proptest! {
        /// The counters give exactly what counting the facts gives, for
        /// every pair of dimensions.
        #[test]
        fn counters_count_what_the_facts_count(facts in prop::collection::vec(arb_fact(), 0..25)) {
            for a in Dimension::ALL {
                let expected = count_by(&facts, &[a]);
                prop_assert_eq!(table_from_cells(&facts, &[a]), expected.cells.into_iter().collect::<BTreeMap<_, _>>());
                for b in Dimension::ALL.into_iter().filter(|b| *b != a) {
                    let expected = count_by(&facts, &[a, b]);
                    prop_assert_eq!(table_from_cells(&facts, &[a, b]), expected.cells.into_iter().collect::<BTreeMap<_, _>>());
                }
            }
            prop_assert_eq!(table_from_cells(&facts, &[]).values().sum::<u64>(), facts.len() as u64);
        }

        /// Adding every case one by one and then taking half of them away
        /// again leaves the counters of the other half.
        #[test]
        fn differences_add_up(facts in prop::collection::vec(arb_fact(), 0..12)) {
            let mut counters: BTreeMap<CellKey, i64> = BTreeMap::new();
            for f in &facts {
                for (k, d) in difference(None, Some(f)) { *counters.entry(k).or_default() += d.n; }
            }
            let (gone, kept) = facts.split_at(facts.len() / 2);
            for f in gone {
                for (k, d) in difference(Some(f), None) { *counters.entry(k).or_default() += d.n; }
            }
            counters.retain(|_, n| *n != 0);
            let mut expected: BTreeMap<CellKey, i64> = BTreeMap::new();
            for (k, d) in kept.iter().flat_map(contribution) { *expected.entry(k).or_default() += d.n; }
            prop_assert_eq!(counters, expected);
        }
    }
}
