//! Outcome instruments recorded for a case: Goal Attainment Scaling, the
//! Children's Global Assessment Scale, HoNOSCA and the SDQ. Each arrives as
//! raw numbers from a form or the API and is checked into a `Measurement`,
//! whose headline figure is what a follow-up compares over time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codes::ValueError;
use crate::text::{self, Lines};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Instrument {
    Gas,
    Cgas,
    Honosca,
    Sdq,
}

impl Instrument {
    pub const ALL: [Instrument; 4] = [Self::Gas, Self::Cgas, Self::Honosca, Self::Sdq];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gas => "gas",
            Self::Cgas => "cgas",
            Self::Honosca => "honosca",
            Self::Sdq => "sdq",
        }
    }
}

impl FromStr for Instrument {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|i| i.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_instrument", format!("unknown instrument '{s}'")))
    }
}

impl fmt::Display for Instrument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who filled in an SDQ form; the parent, teacher and self-report versions
/// have their own norms, so scores are compared within one informant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Informant {
    Parent,
    Teacher,
    #[serde(rename = "self")]
    SelfReport,
}

impl Informant {
    pub const ALL: [Informant; 3] = [Self::Parent, Self::Teacher, Self::SelfReport];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parent => "parent",
            Self::Teacher => "teacher",
            Self::SelfReport => "self",
        }
    }
}

impl FromStr for Informant {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|i| i.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_informant", format!("unknown informant '{s}'")))
    }
}

impl fmt::Display for Informant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One goal of a GAS form: how much it matters and how far it was reached
/// (−2 much less than expected … 0 as expected … +2 much more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GasGoal {
    pub weight: f64,
    pub level: i8,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SdqScores {
    pub informant: Informant,
    pub total: u8,
    pub emotional: Option<u8>,
    pub conduct: Option<u8>,
    pub hyperactivity: Option<u8>,
    pub peer: Option<u8>,
    pub prosocial: Option<u8>,
    pub impact: Option<u8>,
}

/// One checked measurement.
#[derive(Debug, Clone, PartialEq)]
pub enum Measurement {
    Gas(Vec<GasGoal>),
    Cgas(u8),
    Honosca([u8; 15]),
    Sdq(SdqScores),
}

impl Measurement {
    pub fn instrument(&self) -> Instrument {
        match self {
            Self::Gas(_) => Instrument::Gas,
            Self::Cgas(_) => Instrument::Cgas,
            Self::Honosca(_) => Instrument::Honosca,
            Self::Sdq(_) => Instrument::Sdq,
        }
    }

    /// The headline figure compared over time: GAS T-score, CGAS score,
    /// HoNOSCA total (items 1–13), SDQ total.
    pub fn headline(&self) -> f64 {
        match self {
            Self::Gas(goals) => gas_t_score(goals),
            Self::Cgas(score) => f64::from(*score),
            Self::Honosca(items) => f64::from(honosca_total(items).total),
            Self::Sdq(scores) => f64::from(scores.total),
        }
    }
}

/// The assumed correlation between goals in the Kiresuk–Sherman formula;
/// 0.3 is the customary value and the one DESIGN.md fixes.
pub const GAS_RHO: f64 = 0.3;
pub const GAS_MAX_GOALS: usize = 20;
pub const GAS_DESCRIPTION_CHARS: usize = 500;

/// Kiresuk–Sherman T = 50 + 10 Σ(w_i x_i) / sqrt((1−ρ) Σ w_i² + ρ (Σ w_i)²),
/// ρ = 0.3, rounded to 3 decimals. Without any weight the formula has no
/// denominator; such a form says nothing, so it scores the neutral 50
/// (`check_gas` refuses it anyway).
pub fn gas_t_score(goals: &[GasGoal]) -> f64 {
    (gas_t_score_exact(goals) * 1000.0).round() / 1000.0
}

fn gas_t_score_exact(goals: &[GasGoal]) -> f64 {
    let weighted: f64 = goals.iter().map(|g| g.weight * f64::from(g.level)).sum();
    let squares: f64 = goals.iter().map(|g| g.weight * g.weight).sum();
    let sum: f64 = goals.iter().map(|g| g.weight).sum();
    let denominator = ((1.0 - GAS_RHO) * squares + GAS_RHO * sum * sum).sqrt();
    if denominator > 0.0 { 50.0 + 10.0 * weighted / denominator } else { 50.0 }
}

/// Field paths name the goal by index, and errors carry `&'static str`
/// paths, so the paths of the at most 20 goals are spelled out at compile time.
macro_rules! goal_fields {
    ($member:literal) => {
        goal_fields!($member; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19)
    };
    ($member:literal; $($i:literal)*) => {
        [$(concat!("goals.", $i, ".", $member)),*]
    };
}
const LEVEL_FIELDS: [&str; GAS_MAX_GOALS] = goal_fields!("level");
const WEIGHT_FIELDS: [&str; GAS_MAX_GOALS] = goal_fields!("weight");
const DESCRIPTION_FIELDS: [&str; GAS_MAX_GOALS] = goal_fields!("description");

/// 1–20 goals, each level −2…2 and weight a finite number ≥ 0, at least one
/// weight above 0; a description is free text (checked like every other),
/// trimmed, and an empty one is dropped.
pub fn check_gas(goals: Vec<GasGoal>) -> Result<Measurement, (&'static str, ValueError)> {
    if goals.is_empty() || goals.len() > GAS_MAX_GOALS {
        return Err(("goals", ValueError::new("out_of_range", format!("a GAS form has 1–{GAS_MAX_GOALS} goals"))));
    }
    let mut checked = Vec::with_capacity(goals.len());
    for (i, goal) in goals.into_iter().enumerate() {
        if !(-2..=2).contains(&goal.level) {
            return Err((LEVEL_FIELDS[i], ValueError::new("out_of_range", "a goal's level must be −2…2")));
        }
        if !goal.weight.is_finite() || goal.weight < 0.0 {
            return Err((WEIGHT_FIELDS[i], ValueError::new("out_of_range", "a goal's weight must be a number ≥ 0")));
        }
        let field = DESCRIPTION_FIELDS[i];
        let description = match goal.description {
            Some(d) => Some(text::check(field, &d, GAS_DESCRIPTION_CHARS, Lines::Many).map_err(|e| (field, e))?),
            None => None,
        }
        .filter(|d| !d.is_empty());
        checked.push(GasGoal { weight: goal.weight, level: goal.level, description });
    }
    if !checked.iter().any(|g| g.weight > 0.0) {
        return Err(("goals", ValueError::new("no_weight", "at least one goal must have a weight above 0")));
    }
    Ok(Measurement::Gas(checked))
}

pub fn check_cgas(score: i64) -> Result<Measurement, (&'static str, ValueError)> {
    u8::try_from(score)
        .ok()
        .filter(|s| (1..=100).contains(s))
        .map(Measurement::Cgas)
        .ok_or(("score", ValueError::new("out_of_range", "the CGAS score must be 1–100")))
}

/// HoNOSCA's rating for "not known": a valid answer that adds nothing.
pub const HONOSCA_NOT_KNOWN: u8 = 9;

/// Exactly 15 items, each 0–4 or 9 (not known).
pub fn check_honosca(items: &[i64]) -> Result<Measurement, (&'static str, ValueError)> {
    let values: [i64; 15] = items
        .try_into()
        .map_err(|_| ("items", ValueError::new("wrong_count", format!("HoNOSCA has 15 items, not {}", items.len()))))?;
    let mut checked = [0u8; 15];
    for (i, value) in values.into_iter().enumerate() {
        checked[i] = u8::try_from(value)
            .ok()
            .filter(|v| *v <= 4 || *v == HONOSCA_NOT_KNOWN)
            .ok_or(("items", ValueError::new("out_of_range", format!("HoNOSCA item {} must be 0–4 or 9", i + 1))))?;
    }
    Ok(Measurement::Honosca(checked))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HonoscaTotal {
    pub total: u32,
    pub rated: u32,
}

/// Items 1–13 (indices 0..13) summed, items scored 9 (not known) left out;
/// `rated` = how many of items 1–13 were rated. Items 14–15 ask about the
/// family's knowledge of the problems and services, not the child's state,
/// so the customary total leaves them out.
pub fn honosca_total(items: &[u8; 15]) -> HonoscaTotal {
    let rated: Vec<u32> = items[..13].iter().filter(|v| **v != HONOSCA_NOT_KNOWN).map(|v| u32::from(*v)).collect();
    HonoscaTotal { total: rated.iter().sum(), rated: rated.len() as u32 }
}

const SDQ_SUBSCALES: [&str; 6] = ["emotional", "conduct", "hyperactivity", "peer", "prosocial", "impact"];

/// Total 0–40, each subscale and the impact score 0–10; when all four
/// difficulty subscales are given they must add up to the total, because
/// the total is defined as their sum and a mismatch is a typing error.
pub fn check_sdq(
    informant: &str,
    total: i64,
    subscales: [Option<i64>; 6],
) -> Result<Measurement, (&'static str, ValueError)> {
    let informant: Informant = informant.parse().map_err(|e| ("informant", e))?;
    let total = u8::try_from(total)
        .ok()
        .filter(|t| *t <= 40)
        .ok_or(("total", ValueError::new("out_of_range", "the SDQ total must be 0–40")))?;
    let mut checked = [None; 6];
    for (i, value) in subscales.into_iter().enumerate() {
        let Some(value) = value else { continue };
        let field = SDQ_SUBSCALES[i];
        let value = u8::try_from(value)
            .ok()
            .filter(|v| *v <= 10)
            .ok_or((field, ValueError::new("out_of_range", format!("{field} must be 0–10"))))?;
        checked[i] = Some(value);
    }
    let [emotional, conduct, hyperactivity, peer, prosocial, impact] = checked;
    if let (Some(e), Some(c), Some(h), Some(p)) = (emotional, conduct, hyperactivity, peer) {
        let sum = e + c + h + p;
        if sum != total {
            return Err((
                "total",
                ValueError::new(
                    "total_mismatch",
                    format!("the four difficulty scores add up to {sum}, but the total is {total}"),
                ),
            ));
        }
    }
    Ok(Measurement::Sdq(SdqScores { informant, total, emotional, conduct, hyperactivity, peer, prosocial, impact }))
}

/// The ten bands of the Children's Global Assessment Scale, named for the
/// anchor description of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CgasBand {
    /// 1–10: needs constant supervision.
    ConstantSupervision,
    /// 11–20: needs considerable supervision.
    ConsiderableSupervision,
    /// 21–30: unable to function in almost all areas.
    UnableToFunction,
    /// 31–40: major impairment in several areas.
    MajorImpairment,
    /// 41–50: moderate degree of interference in most areas.
    ModerateInterference,
    /// 51–60: variable functioning with sporadic difficulties.
    VariableFunctioning,
    /// 61–70: some difficulty in a single area.
    SomeDifficulty,
    /// 71–80: no more than slight impairment.
    SlightImpairment,
    /// 81–90: good functioning in all areas.
    GoodFunctioning,
    /// 91–100: superior functioning.
    SuperiorFunctioning,
}

impl CgasBand {
    /// Lowest band first.
    pub const ALL: [CgasBand; 10] = [
        Self::ConstantSupervision,
        Self::ConsiderableSupervision,
        Self::UnableToFunction,
        Self::MajorImpairment,
        Self::ModerateInterference,
        Self::VariableFunctioning,
        Self::SomeDifficulty,
        Self::SlightImpairment,
        Self::GoodFunctioning,
        Self::SuperiorFunctioning,
    ];
    const KEYS: [&str; 10] = [
        "cgas-band-1-10",
        "cgas-band-11-20",
        "cgas-band-21-30",
        "cgas-band-31-40",
        "cgas-band-41-50",
        "cgas-band-51-60",
        "cgas-band-61-70",
        "cgas-band-71-80",
        "cgas-band-81-90",
        "cgas-band-91-100",
    ];

    fn index(self) -> usize {
        Self::ALL.iter().position(|b| *b == self).expect("every band is in ALL")
    }

    /// The scores of the band, both ends included.
    pub fn range(self) -> (u8, u8) {
        let i = self.index() as u8;
        (i * 10 + 1, i * 10 + 10)
    }

    /// A translation key such as `cgas-band-91-100`.
    pub fn key(self) -> &'static str {
        Self::KEYS[self.index()]
    }
}

/// The band of a score; scores outside 1–100 (which `check_cgas` refuses)
/// fall into the nearest band so that the function has no failure case.
pub fn cgas_band(score: u8) -> CgasBand {
    let i = usize::from(score.clamp(1, 100) - 1) / 10;
    CgasBand::ALL[i]
}

#[cfg(test)]
mod tests;
