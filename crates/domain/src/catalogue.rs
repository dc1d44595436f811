//! Teams, centre specialisations and consultation services: the kinds of
//! team, the formats a service offers and its target response times.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codes::{Language, ValueError};
use crate::consultation::ServiceLevels;

/// A name or description shown to users in three languages; Finnish is
/// required, an empty Swedish or English one falls back to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub fi: String,
    pub sv: String,
    pub en: String,
}

impl Names {
    pub fn get(&self, lang: Language) -> &str {
        let own = match lang {
            Language::Fi => &self.fi,
            Language::Sv => &self.sv,
            Language::En => &self.en,
        };
        if own.is_empty() { &self.fi } else { own }
    }

    /// All three, the missing ones as Finnish: what the API shows.
    pub fn filled(&self) -> Names {
        Names { fi: self.fi.clone(), sv: self.get(Language::Sv).into(), en: self.get(Language::En).into() }
    }
}

/// What a team is: the centres work in these four kinds of group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    /// A provincial competence team (osaamistiimi).
    CompetenceTeam,
    /// Police, prosecutors, forensic psychologists and social workers on child sexual abuse.
    Barnahus,
    ConsultationGroup,
    ExpertGroup,
}

impl TeamKind {
    pub const ALL: [TeamKind; 4] = [Self::CompetenceTeam, Self::Barnahus, Self::ConsultationGroup, Self::ExpertGroup];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CompetenceTeam => "competence_team",
            Self::Barnahus => "barnahus",
            Self::ConsultationGroup => "consultation_group",
            Self::ExpertGroup => "expert_group",
        }
    }
}

impl FromStr for TeamKind {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_team_kind", format!("unknown team kind '{s}'")))
    }
}

impl fmt::Display for TeamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest target response a service may promise, in working days: a
/// quarter of a year is already longer than any agreed practice.
pub const MAX_RESPONSE_DAYS: u32 = 60;

/// A service's target response times per urgency, in working days. Each is
/// 1–[`MAX_RESPONSE_DAYS`] and a more urgent request is never promised a
/// slower answer than a less urgent one.
pub fn response_days(urgent: i64, normal: i64, planned: i64) -> Result<ServiceLevels, (&'static str, ValueError)> {
    let check = |field: &'static str, v: i64| {
        if (1..=MAX_RESPONSE_DAYS as i64).contains(&v) {
            Ok(v as u32)
        } else {
            Err((field, ValueError::new("out_of_range", format!("{field} must be 1–{MAX_RESPONSE_DAYS} working days"))))
        }
    };
    let levels = ServiceLevels {
        urgent: check("response_days.urgent", urgent)?,
        normal: check("response_days.normal", normal)?,
        planned: check("response_days.planned", planned)?,
    };
    if levels.urgent > levels.normal {
        return Err(("response_days.urgent", ValueError::new("out_of_order", "urgent must not be slower than normal")));
    }
    if levels.normal > levels.planned {
        return Err((
            "response_days.normal",
            ValueError::new("out_of_order", "normal must not be slower than planned"),
        ));
    }
    Ok(levels)
}

/// Another centre that specialises nationally in one of a request's
/// topics: triage proposes routing the case there, for this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingProposal {
    pub centre: String,
    pub topic: String,
    /// That centre's own description of its specialisation (may be empty).
    pub description: String,
}

/// The routings a request's `topics` suggest: each specialisation
/// `(centre, topic, description)` of a centre other than `holding` whose
/// topic the request names, in the request's topic order and then the
/// centres' own order. The holding centre's own specialisations propose
/// nothing: the case is already where it belongs.
pub fn routing_proposals<'a>(
    holding: &str,
    topics: &[String],
    specialisations: impl IntoIterator<Item = (&'a str, &'a str, &'a str)> + Clone,
) -> Vec<RoutingProposal> {
    let mut proposals = Vec::new();
    for topic in topics {
        for (centre, code, description) in specialisations.clone() {
            if centre != holding
                && code == topic
                && !proposals.iter().any(|p: &RoutingProposal| p.centre == centre && p.topic == code)
            {
                proposals.push(RoutingProposal {
                    centre: centre.to_string(),
                    topic: code.to_string(),
                    description: description.to_string(),
                });
            }
        }
    }
    proposals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_is_proposed_to_other_centres_specialising_in_a_topic() {
        let specs = [
            ("oulu", "child_sexual_abuse", "Barnahus"),
            ("tampere", "honour_violence", "Kunniaväkivalta"),
            ("turku", "custody_disputes", ""),
        ];
        let topics: Vec<String> =
            ["honour_violence", "child_sexual_abuse", "custody_disputes"].map(String::from).into();
        let got = routing_proposals("tampere", &topics, specs.iter().copied());
        let centres: Vec<(&str, &str)> = got.iter().map(|p| (p.centre.as_str(), p.topic.as_str())).collect();
        assert_eq!(centres, [("oulu", "child_sexual_abuse"), ("turku", "custody_disputes")]);
        assert_eq!(got[0].description, "Barnahus");
        assert!(routing_proposals("oulu", &["child_sexual_abuse".into()], specs.iter().copied()).is_empty());
    }

    #[test]
    fn response_days_are_in_range_and_in_order() {
        assert_eq!(response_days(1, 5, 15).unwrap().normal, 5);
        assert_eq!(response_days(0, 5, 15).unwrap_err().0, "response_days.urgent");
        assert_eq!(response_days(1, 61, 61).unwrap_err().0, "response_days.normal");
        assert_eq!(response_days(6, 5, 15).unwrap_err().0, "response_days.urgent");
        assert_eq!(response_days(1, 20, 15).unwrap_err().0, "response_days.normal");
        assert_eq!("barnahus".parse::<TeamKind>().unwrap(), TeamKind::Barnahus);
        assert!("team".parse::<TeamKind>().is_err());
    }
}
