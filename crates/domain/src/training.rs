//! Methods and trainings: the Kasvun tuki evidence scale (recorded, never
//! computed by us), training formats, and the checks of a training's
//! sessions, capacity and attendance requirement.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codes::ValueError;

/// The evidence rating of a method on the Kasvun tuki scale used in Finland.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceLevel {
    WellDescribed,
    TheoryBased,
    LimitedEvidence,
    ModerateEvidence,
    StrongEvidence,
    NoEffect,
    NegativeEffects,
    NotRated,
}

impl EvidenceLevel {
    pub const ALL: [EvidenceLevel; 8] = [
        Self::WellDescribed,
        Self::TheoryBased,
        Self::LimitedEvidence,
        Self::ModerateEvidence,
        Self::StrongEvidence,
        Self::NoEffect,
        Self::NegativeEffects,
        Self::NotRated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WellDescribed => "well_described",
            Self::TheoryBased => "theory_based",
            Self::LimitedEvidence => "limited_evidence",
            Self::ModerateEvidence => "moderate_evidence",
            Self::StrongEvidence => "strong_evidence",
            Self::NoEffect => "no_effect",
            Self::NegativeEffects => "negative_effects",
            Self::NotRated => "not_rated",
        }
    }
}

impl FromStr for EvidenceLevel {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_level", format!("'{s}' is not a level of the Kasvun tuki scale")))
    }
}

impl fmt::Display for EvidenceLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a training is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrainingFormat {
    Remote,
    Onsite,
    Hybrid,
}

impl TrainingFormat {
    pub const ALL: [TrainingFormat; 3] = [Self::Remote, Self::Onsite, Self::Hybrid];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Remote => "remote",
            Self::Onsite => "onsite",
            Self::Hybrid => "hybrid",
        }
    }
}

impl FromStr for TrainingFormat {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_format", format!("'{s}' is not remote, onsite or hybrid")))
    }
}

/// One session of a training: its start (Unix seconds) and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub starts_at: i64,
    pub minutes: i64,
}

impl Session {
    pub fn ends_at(&self) -> i64 {
        self.starts_at + self.minutes * 60
    }
}

/// A session lasts 5 minutes to a working day.
pub const SESSION_MINUTES: std::ops::RangeInclusive<i64> = 5..=600;
/// A series of case-based tele-mentoring sessions stays within this many.
pub const MAX_SESSIONS: usize = 52;
pub const MAX_CAPACITY: i64 = 10_000;

/// The checked schedule of a training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Sessions in time order.
    pub sessions: Vec<Session>,
    pub capacity: i64,
    /// How many sessions a certificate needs (1 … all).
    pub required_sessions: i64,
    /// When registration closes (Unix seconds); by default when the first session starts.
    pub registration_closes: i64,
}

/// Sessions 1–52, each in the future and 5–600 minutes, none overlapping
/// another; capacity 1–10 000; the attendance requirement 1 … all sessions
/// (default all); registration closing in the future and no later than the
/// last session starts (default: the first session's start).
pub fn check_schedule(
    sessions: &[Session],
    capacity: i64,
    required_sessions: Option<i64>,
    registration_closes: Option<i64>,
    now: i64,
) -> Result<Schedule, (String, ValueError)> {
    if sessions.is_empty() || sessions.len() > MAX_SESSIONS {
        return Err(("sessions".into(), ValueError::new("out_of_range", "a training has 1–52 sessions")));
    }
    for (i, s) in sessions.iter().enumerate() {
        if s.starts_at <= now {
            return Err((
                format!("sessions.{i}.starts_at"),
                ValueError::new("in_the_past", "the session has already begun"),
            ));
        }
        if !SESSION_MINUTES.contains(&s.minutes) {
            return Err((
                format!("sessions.{i}.minutes"),
                ValueError::new("out_of_range", "a session lasts 5–600 minutes"),
            ));
        }
    }
    let mut order: Vec<(usize, Session)> = sessions.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, s)| s.starts_at);
    for pair in order.windows(2) {
        let ((_, a), (j, b)) = (pair[0], pair[1]);
        if b.starts_at < a.ends_at() {
            return Err((
                format!("sessions.{j}.starts_at"),
                ValueError::new("overlapping", "the session overlaps another session of the training"),
            ));
        }
    }
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        return Err(("capacity".into(), ValueError::new("out_of_range", "capacity is 1–10000 places")));
    }
    let all = sessions.len() as i64;
    let required = required_sessions.unwrap_or(all);
    if !(1..=all).contains(&required) {
        return Err((
            "required_sessions".into(),
            ValueError::new("out_of_range", format!("required_sessions is 1–{all}, the number of sessions")),
        ));
    }
    let first = order[0].1.starts_at;
    let last = order[order.len() - 1].1.starts_at;
    let closes = registration_closes.unwrap_or(first);
    if closes <= now || closes > last {
        return Err((
            "registration_closes".into(),
            ValueError::new("out_of_range", "registration closes in the future and before the last session starts"),
        ));
    }
    Ok(Schedule {
        sessions: order.into_iter().map(|(_, s)| s).collect(),
        capacity,
        required_sessions: required,
        registration_closes: closes,
    })
}

/// Whether a person who attended `attended` sessions earns the certificate.
pub fn earns_certificate(attended: usize, required_sessions: i64) -> bool {
    attended as i64 >= required_sessions
}

/// One answer to a training's feedback: how good it was and how well the
/// participant can apply it in their work, each on a scale of 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedbackScores {
    pub rating: i64,
    pub applicable: i64,
}

pub const FEEDBACK_SCALE: std::ops::RangeInclusive<i64> = 1..=5;

/// Checks both scores; the error names the field.
pub fn check_feedback(rating: i64, applicable: i64) -> Result<FeedbackScores, (&'static str, ValueError)> {
    for (field, value) in [("rating", rating), ("applicable", applicable)] {
        if !FEEDBACK_SCALE.contains(&value) {
            return Err((field, ValueError::new("out_of_range", "a score from 1 to 5")));
        }
    }
    Ok(FeedbackScores { rating, applicable })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = 86_400;

    fn s(days: i64, minutes: i64) -> Session {
        Session { starts_at: NOW + days * DAY, minutes }
    }

    #[test]
    fn a_series_is_sorted_and_needs_every_session_by_default() {
        let ok = check_schedule(&[s(14, 90), s(7, 90)], 10, None, None, NOW).unwrap();
        assert_eq!(ok.sessions, vec![s(7, 90), s(14, 90)]);
        assert_eq!((ok.required_sessions, ok.registration_closes), (2, NOW + 7 * DAY));
    }

    #[test]
    fn bad_schedules_name_the_field() {
        let field = |r: Result<Schedule, (String, ValueError)>| r.unwrap_err().0;
        assert_eq!(field(check_schedule(&[], 10, None, None, NOW)), "sessions");
        assert_eq!(field(check_schedule(&[s(-1, 60)], 10, None, None, NOW)), "sessions.0.starts_at");
        assert_eq!(field(check_schedule(&[s(1, 4)], 10, None, None, NOW)), "sessions.0.minutes");
        let overlapping = [s(1, 90), Session { starts_at: NOW + DAY + 3600, minutes: 30 }];
        assert_eq!(field(check_schedule(&overlapping, 10, None, None, NOW)), "sessions.1.starts_at");
        assert_eq!(field(check_schedule(&[s(1, 60)], 0, None, None, NOW)), "capacity");
        assert_eq!(field(check_schedule(&[s(1, 60)], 10, Some(2), None, NOW)), "required_sessions");
        assert_eq!(field(check_schedule(&[s(1, 60)], 10, None, Some(NOW - 1), NOW)), "registration_closes");
        // Back-to-back sessions do not overlap.
        let back_to_back = [s(1, 60), Session { starts_at: NOW + DAY + 3600, minutes: 60 }];
        assert!(check_schedule(&back_to_back, 10, Some(1), None, NOW).is_ok());
    }

    #[test]
    fn levels_and_formats_read_their_codes() {
        for l in EvidenceLevel::ALL {
            assert_eq!(l.as_str().parse::<EvidenceLevel>().unwrap(), l);
        }
        assert!("great".parse::<EvidenceLevel>().is_err());
        assert_eq!("hybrid".parse::<TrainingFormat>().unwrap(), TrainingFormat::Hybrid);
        assert!(earns_certificate(3, 3) && !earns_certificate(2, 3));
    }

    #[test]
    fn feedback_scores_run_from_one_to_five() {
        assert_eq!(check_feedback(5, 1).unwrap(), FeedbackScores { rating: 5, applicable: 1 });
        assert_eq!(check_feedback(0, 3).unwrap_err().0, "rating");
        assert_eq!(check_feedback(3, 6).unwrap_err().0, "applicable");
    }
}
