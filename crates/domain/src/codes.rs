//! Code values parsed at the boundary. Handlers never pass raw strings
//! inward: a `CountyCode` is one of the 22 counties, a `TaxonomyCode` is
//! in the taxonomy, and so on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::reference;

/// Why a value was refused; `code` is a stable key for localised messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    pub code: &'static str,
    pub message: String,
}

impl ValueError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// One of the five OT-keskus centres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CentreCode {
    Helsinki,
    Turku,
    Tampere,
    Kuopio,
    Oulu,
}

impl CentreCode {
    pub const ALL: [CentreCode; 5] = [Self::Helsinki, Self::Turku, Self::Tampere, Self::Kuopio, Self::Oulu];

    /// The county that hosts the centre's university hospital: where a
    /// profile created for a centre's own staff is placed by default.
    pub fn host_county(self) -> &'static str {
        match self {
            Self::Helsinki => "helsinki",
            Self::Turku => "varsinais-suomi",
            Self::Tampere => "pirkanmaa",
            Self::Kuopio => "pohjois-savo",
            Self::Oulu => "pohjois-pohjanmaa",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Helsinki => "helsinki",
            Self::Turku => "turku",
            Self::Tampere => "tampere",
            Self::Kuopio => "kuopio",
            Self::Oulu => "oulu",
        }
    }
}

impl FromStr for CentreCode {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_centre", format!("unknown centre '{s}'")))
    }
}

impl fmt::Display for CentreCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A wellbeing services county (or the City of Helsinki).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CountyCode(&'static str);

impl CountyCode {
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The centre of the county's collaborative area (decree 91/2022).
    pub fn centre(&self) -> CentreCode {
        reference::county(self.0).expect("parsed county is in the reference data").centre
    }
}

impl FromStr for CountyCode {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        reference::county(s)
            .map(|c| CountyCode(c.code))
            .ok_or_else(|| ValueError::new("unknown_county", format!("unknown county '{s}'")))
    }
}

impl fmt::Display for CountyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A topic, method or sector code from the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TaxonomyCode(&'static str);

impl TaxonomyCode {
    pub fn parse(s: &str, kind: reference::TaxonomyKind) -> Result<Self, ValueError> {
        match reference::taxonomy_entry(s) {
            Some(e) if e.kind == kind => Ok(TaxonomyCode(e.code)),
            _ => Err(ValueError::new(kind.unknown_error(), format!("unknown {} code '{s}'", kind.as_str()))),
        }
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// A user interface and content language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fi,
    Sv,
    En,
}

impl Language {
    pub const ALL: [Language; 3] = [Self::Fi, Self::Sv, Self::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fi => "fi",
            Self::Sv => "sv",
            Self::En => "en",
        }
    }
}

impl FromStr for Language {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ValueError::new("unknown_language", format!("unknown language '{s}'")))
    }
}

/// A work e-mail address, stored in lower case so logins are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_lowercase();
        let bad = || ValueError::new("bad_email", format!("'{s}' is not an e-mail address"));
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let plausible = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
            && !domain.contains('@');
        if plausible { Ok(Email(s)) } else { Err(bad()) }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_county_belongs_to_its_centre() {
        for centre in CentreCode::ALL {
            let county: CountyCode = centre.host_county().parse().unwrap();
            assert_eq!(county.centre(), centre);
        }
    }

    #[test]
    fn county_knows_its_centre() {
        let c: CountyCode = "pohjanmaa".parse().unwrap();
        assert_eq!(c.centre(), CentreCode::Turku);
        assert_eq!("lappi".parse::<CountyCode>().unwrap().centre(), CentreCode::Oulu);
        assert!("lapland".parse::<CountyCode>().is_err());
    }

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!("Maija.M@Example.FI ".parse::<Email>().unwrap().as_str(), "maija.m@example.fi");
        for bad in ["", "maija", "@example.fi", "maija@example", "ma ija@example.fi", "a@b@c.fi"] {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
    }
}
