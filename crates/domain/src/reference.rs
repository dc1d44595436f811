//! Reference data compiled into the binary: the centres, the counties with
//! the centre of their collaborative area, and the taxonomy. The files are
//! copies of the project's shared reference data.

use std::sync::OnceLock;

use crate::codes::CentreCode;

const CENTRES_CSV: &str = include_str!("../reference/centres.csv");
const COUNTIES_CSV: &str = include_str!("../reference/counties.csv");
const TAXONOMY_CSV: &str = include_str!("../reference/taxonomy.csv");

#[derive(Debug, Clone)]
pub struct Centre {
    pub code: CentreCode,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    pub host: String,
}

#[derive(Debug, Clone)]
pub struct County {
    pub code: &'static str,
    pub name_fi: String,
    pub name_sv: String,
    pub centre: CentreCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxonomyKind {
    Topic,
    Method,
    Sector,
}

impl TaxonomyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Topic => "topic",
            Self::Method => "method",
            Self::Sector => "sector",
        }
    }

    pub(crate) fn unknown_error(self) -> &'static str {
        match self {
            Self::Topic => "unknown_topic",
            Self::Method => "unknown_method",
            Self::Sector => "unknown_sector",
        }
    }
}

#[derive(Debug, Clone)]
pub struct TaxonomyEntry {
    pub code: &'static str,
    pub kind: TaxonomyKind,
    pub label_fi: String,
    pub label_sv: String,
    pub label_en: String,
    pub synonyms_fi: Vec<String>,
    pub synonyms_sv: Vec<String>,
    pub synonyms_en: Vec<String>,
}

fn rows(data: &'static str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(data.as_bytes())
        .records()
        .map(|r| r.expect("embedded reference CSV is well-formed"))
        .collect()
}

/// Codes live for the whole program; leaking them once gives `&'static str`
/// codes that domain values can carry without allocation.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn split(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

pub fn centres() -> &'static [Centre] {
    static DATA: OnceLock<Vec<Centre>> = OnceLock::new();
    DATA.get_or_init(|| {
        rows(CENTRES_CSV)
            .iter()
            .map(|r| Centre {
                code: r[0].parse().expect("centre code"),
                name_fi: r[1].into(),
                name_sv: r[2].into(),
                name_en: r[3].into(),
                host: r[5].into(),
            })
            .collect()
    })
}

pub fn centre(code: CentreCode) -> &'static Centre {
    centres().iter().find(|c| c.code == code).expect("every centre is in the reference data")
}

pub fn counties() -> &'static [County] {
    static DATA: OnceLock<Vec<County>> = OnceLock::new();
    DATA.get_or_init(|| {
        rows(COUNTIES_CSV)
            .iter()
            .map(|r| County {
                code: leak(&r[0]),
                name_fi: r[1].into(),
                name_sv: r[2].into(),
                centre: r[3].parse().expect("county centre"),
            })
            .collect()
    })
}

pub fn county(code: &str) -> Option<&'static County> {
    counties().iter().find(|c| c.code == code)
}

pub fn taxonomy() -> &'static [TaxonomyEntry] {
    static DATA: OnceLock<Vec<TaxonomyEntry>> = OnceLock::new();
    DATA.get_or_init(|| {
        rows(TAXONOMY_CSV)
            .iter()
            .map(|r| TaxonomyEntry {
                code: leak(&r[0]),
                kind: match &r[1] {
                    "topic" => TaxonomyKind::Topic,
                    "method" => TaxonomyKind::Method,
                    "sector" => TaxonomyKind::Sector,
                    other => panic!("unknown taxonomy kind {other}"),
                },
                label_fi: r[2].into(),
                label_sv: r[3].into(),
                label_en: r[4].into(),
                synonyms_fi: split(&r[5]),
                synonyms_sv: split(&r[6]),
                synonyms_en: split(&r[7]),
            })
            .collect()
    })
}

pub fn taxonomy_entry(code: &str) -> Option<&'static TaxonomyEntry> {
    taxonomy().iter().find(|e| e.code == code)
}

pub fn taxonomy_of(kind: TaxonomyKind) -> impl Iterator<Item = &'static TaxonomyEntry> {
    taxonomy().iter().filter(move |e| e.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_data_is_complete() {
        assert_eq!(centres().len(), 5);
        assert_eq!(counties().len(), 22);
        assert!(taxonomy_of(TaxonomyKind::Sector).count() >= 8);
        assert_eq!(taxonomy_entry("honour_violence").unwrap().kind, TaxonomyKind::Topic);
        assert!(!taxonomy_entry("honour_violence").unwrap().label_sv.is_empty());
    }
}
