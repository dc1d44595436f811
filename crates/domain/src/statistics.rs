//! Figures about the consultation service, computed from facts about each
//! case that carry no case content: where it came from, what it was about,
//! how fast it was answered and what the requester said of it. Disclosure
//! control ([`crate::disclosure`]) is applied to what these produce before
//! any number leaves the server.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use time::Date;

use crate::calendar;
use crate::codes::ValueError;
use crate::disclosure::CountTable;

pub mod cells;

/// What consultations can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Centre,
    County,
    Topic,
    Urgency,
    Format,
    Month,
    Status,
}

impl Dimension {
    pub const ALL: [Dimension; 7] =
        [Self::Centre, Self::County, Self::Topic, Self::Urgency, Self::Format, Self::Month, Self::Status];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Centre => "centre",
            Self::County => "county",
            Self::Topic => "topic",
            Self::Urgency => "urgency",
            Self::Format => "format",
            Self::Month => "month",
            Self::Status => "status",
        }
    }
}

impl FromStr for Dimension {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|d| d.as_str() == s).ok_or_else(|| {
            ValueError::new(
                "unknown_dimension",
                format!("'{s}' is not one of centre, county, topic, urgency, format, month, status"),
            )
        })
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The dimensions of a `by=` parameter: one or two, different.
pub fn parse_dimensions(by: &str) -> Result<Vec<Dimension>, ValueError> {
    let dims = by.split(',').map(str::trim).filter(|d| !d.is_empty()).map(str::parse).collect::<Result<Vec<_>, _>>()?;
    match dims.as_slice() {
        [] => Err(ValueError::new("required", "give one or two dimensions, e.g. by=centre,month")),
        [_] => Ok(dims),
        [a, b] if a != b => Ok(dims),
        [_, _] => Err(ValueError::new("duplicate", "the two dimensions must differ")),
        _ => Err(ValueError::new("too_many", "at most two dimensions")),
    }
}

/// A month `YYYY-MM`, as the `from` and `to` parameters give it.
pub fn parse_month(s: &str) -> Result<(i32, time::Month), ValueError> {
    let bad = || ValueError::new("bad_month", format!("'{s}' is not a month YYYY-MM"));
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    Ok((year, time::Month::try_from(month).map_err(|_| bad())?))
}

/// What the statistics know of one sent case.
#[derive(Debug, Clone, Default)]
pub struct CaseFact {
    pub centre: String,
    pub county: String,
    pub topics: Vec<String>,
    pub urgency: String,
    pub format: String,
    /// `YYYY-MM` of sending, in Helsinki.
    pub month: String,
    pub status: String,
    /// The day it was sent, in Helsinki.
    pub sent_on: Option<Date>,
    pub due_on: Option<Date>,
    /// The day the lead's first statement came, in Helsinki.
    pub answered_on: Option<Date>,
    pub usefulness: Option<u8>,
    pub referral_avoided: Option<bool>,
    /// The referral effect, when the requester answered it.
    pub referral: Option<String>,
    /// Per instrument, the client's change between the first and the last
    /// measurement, when measured at least twice ([`cells::outcome_changes`]).
    pub outcome_changes: Vec<(String, f64)>,
}

impl CaseFact {
    fn values(&self, dim: Dimension) -> Vec<&str> {
        match dim {
            Dimension::Centre => vec![&self.centre],
            Dimension::County => vec![&self.county],
            Dimension::Topic => {
                let mut topics: Vec<&str> = self.topics.iter().map(String::as_str).collect();
                topics.sort_unstable();
                topics.dedup();
                topics
            }
            Dimension::Urgency => vec![&self.urgency],
            Dimension::Format => vec![&self.format],
            Dimension::Month => vec![&self.month],
            Dimension::Status => vec![&self.status],
        }
    }
}

/// Counts by one or two dimensions. A case about several topics counts
/// once under each of them, so topic cells can add up to more than the
/// total, which counts cases.
pub fn count_by(facts: &[CaseFact], dims: &[Dimension]) -> CountTable {
    let mut cells: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    let mut totals: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); dims.len()];
    for fact in facts {
        let per_dim: Vec<Vec<&str>> = dims.iter().map(|d| fact.values(*d)).collect();
        for (i, values) in per_dim.iter().enumerate() {
            for v in values {
                *totals[i].entry(v.to_string()).or_default() += 1;
            }
        }
        let mut keys: Vec<Vec<String>> = vec![Vec::new()];
        for values in &per_dim {
            keys = keys
                .into_iter()
                .flat_map(|k| {
                    values.iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.to_string());
                        k
                    })
                })
                .collect();
        }
        for key in keys {
            *cells.entry(key).or_default() += 1;
        }
    }
    CountTable { dims: dims.len(), cells: cells.into_iter().collect(), totals, total: facts.len() as u64 }
}

/// Working days from the day after `from` up to and including `to`: an
/// answer on the day of sending took 0 days, the next working day 1.
pub fn working_days_between(from: Date, to: Date) -> u32 {
    let mut days = 0;
    let mut d = from;
    while d < to {
        d = d.next_day().unwrap_or(d);
        if calendar::is_working_day(d) {
            days += 1;
        }
    }
    days
}

/// The value below which `p` (0–1) of the sorted values lie, by the
/// nearest-rank method (the 90th percentile of ten values is the ninth).
pub fn percentile(sorted: &[u32], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1] as f64)
}

/// The median: the middle value, or the mean of the two middle ones.
pub fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// The service figures of one group of cases, before disclosure control.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceFigures {
    pub cases: u64,
    /// How many cases each figure stands on, for disclosure control.
    pub answered: u64,
    pub median_days_to_answer: Option<f64>,
    pub p90_days_to_answer: Option<f64>,
    /// Cases whose due date has come, or that were answered.
    pub due: u64,
    pub on_time_share: Option<f64>,
    pub with_feedback: u64,
    pub usefulness_mean: Option<f64>,
    pub referral_avoided_share: Option<f64>,
    /// Cases whose requester answered the referral-effect question.
    pub with_referral: u64,
    /// Share of those where a referral was started because of the answer.
    pub referral_initiated_share: Option<f64>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Time to the first answer in working days, the share answered by the due
/// date, mean usefulness and the referral shares, for `facts` as of `today`:
/// summed through the same counters the store keeps.
pub fn service_figures(facts: &[CaseFact], today: Date) -> ServiceFigures {
    cells::service_counters(facts, today).figures()
}

/// The distinct values of one dimension in a table's cells, in order.
pub fn values_of(table: &CountTable, dim: usize) -> BTreeSet<String> {
    table.cells.iter().filter_map(|(k, _)| k.get(dim).cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fact(centre: &str, topics: &[&str], month: &str) -> CaseFact {
        CaseFact {
            centre: centre.into(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            month: month.into(),
            ..Default::default()
        }
    }

    #[test]
    fn counts_by_two_dimensions_with_topics_counted_per_topic() {
        let facts = [
            fact("oulu", &["t1", "t2"], "2026-01"),
            fact("oulu", &["t1"], "2026-02"),
            fact("turku", &["t2"], "2026-01"),
        ];
        let table = count_by(&facts, &[Dimension::Centre, Dimension::Topic]);
        assert_eq!(table.total, 3);
        assert_eq!(
            table.cells,
            vec![
                (vec!["oulu".to_string(), "t1".to_string()], 2),
                (vec!["oulu".to_string(), "t2".to_string()], 1),
                (vec!["turku".to_string(), "t2".to_string()], 1),
            ]
        );
        assert_eq!(table.totals[0]["oulu"], 2);
        assert_eq!(table.totals[1]["t2"], 2);
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Friday 4 Dec 2026 → Tuesday 8 Dec (Sunday 6 Dec is Independence Day; Monday 7 is a working day).
        assert_eq!(working_days_between(date!(2026 - 12 - 04), date!(2026 - 12 - 08)), 2);
        assert_eq!(working_days_between(date!(2026 - 12 - 04), date!(2026 - 12 - 04)), 0);
        // Christmas Eve, Christmas Day and Boxing Day are holidays.
        assert_eq!(working_days_between(date!(2026 - 12 - 23), date!(2026 - 12 - 28)), 1);
    }

    #[test]
    fn median_and_nearest_rank_percentile() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(median(&v), Some(5.5));
        assert_eq!(percentile(&v, 0.9), Some(9.0));
        assert_eq!(percentile(&[4], 0.9), Some(4.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn service_figures_count_late_unanswered_cases_as_not_on_time() {
        let today = date!(2026 - 12 - 20);
        let base = CaseFact {
            sent_on: Some(date!(2026 - 12 - 01)),
            due_on: Some(date!(2026 - 12 - 08)),
            ..Default::default()
        };
        let facts = [
            CaseFact {
                answered_on: Some(date!(2026 - 12 - 02)),
                usefulness: Some(5),
                referral_avoided: Some(true),
                ..base.clone()
            },
            CaseFact {
                answered_on: Some(date!(2026 - 12 - 10)),
                usefulness: Some(3),
                referral_avoided: Some(false),
                ..base.clone()
            },
            base.clone(),
            CaseFact { due_on: Some(date!(2026 - 12 - 30)), ..base.clone() },
        ];
        let f = service_figures(&facts, today);
        assert_eq!((f.cases, f.answered, f.due), (4, 2, 3));
        assert_eq!(f.on_time_share, Some(0.333));
        assert_eq!(f.usefulness_mean, Some(4.0));
        assert_eq!(f.referral_avoided_share, Some(0.5));
        assert_eq!(f.median_days_to_answer, Some(4.0));
    }

    #[test]
    fn mean_change_needs_two_measurements() {
        let client = |points: Vec<(&str, f64)>| {
            cells::outcome_changes(&BTreeMap::from([(
                "cgas".to_string(),
                points.into_iter().map(|(on, v)| (on.to_string(), v)).collect::<Vec<_>>(),
            )]))
        };
        let changes: Vec<f64> =
            [client(vec![("2026-02-01", 60.0), ("2026-01-01", 40.0)]), client(vec![("2026-01-01", 50.0)])]
                .into_iter()
                .flatten()
                .map(|(_, c)| c)
                .collect();
        let n = changes.len() as u64;
        assert_eq!((n, cells::mean_of(n, changes.iter().sum())), (1, Some(20.0)));
    }

    #[test]
    fn dimensions_parse_one_or_two_different() {
        assert_eq!(parse_dimensions("centre,month").unwrap(), vec![Dimension::Centre, Dimension::Month]);
        assert!(parse_dimensions("centre,centre").is_err());
        assert!(parse_dimensions("centre,month,topic").is_err());
        assert!(parse_dimensions("colour").is_err());
        assert_eq!(parse_month("2026-03").unwrap(), (2026, time::Month::March));
        assert!(parse_month("2026-13").is_err());
    }
}
