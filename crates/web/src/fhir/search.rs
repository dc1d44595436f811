//! FHIR search parameters common to every type (`_count`, `_id`,
//! `_lastUpdated`, with this server's paging cursor `_offset`) and the
//! searchset Bundle with its `self`, `next` and `previous` links.

use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};

use super::Base;
use crate::error::AppError;

pub const DEFAULT_COUNT: usize = 20;
pub const MAX_COUNT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Eq,
    Gt,
    Lt,
    Ge,
    Le,
}

/// One `_lastUpdated` condition: a prefix and the range its value covers
/// (`2026-12` covers the whole month), as Unix seconds `[start, end)`.
#[derive(Debug, Clone, Copy)]
struct Bound {
    prefix: Prefix,
    start: i64,
    end: i64,
}

impl Bound {
    fn holds(&self, t: i64) -> bool {
        match self.prefix {
            Prefix::Eq => self.start <= t && t < self.end,
            Prefix::Gt => t >= self.end,
            Prefix::Lt => t < self.start,
            Prefix::Ge => t >= self.start,
            Prefix::Le => t < self.end,
        }
    }
}

/// A parsed search: the paging, the common filters and the type's own
/// parameters, in the order given.
#[derive(Debug, Clone)]
pub struct Search {
    pub count: usize,
    pub offset: usize,
    ids: Option<Vec<String>>,
    updated: Vec<Bound>,
    /// Every understood parameter except the paging ones, for the links.
    params: Vec<(String, String)>,
}

fn bad(field: &str, detail: String) -> AppError {
    AppError::BadRequest { detail, field: Some(field.to_string()) }
}

impl Search {
    /// Parses the query string; `own` names the type's own parameters.
    /// Other parameters are ignored, as FHIR's lenient handling asks, and
    /// left out of the links so `self` shows what was applied.
    pub fn parse(raw: Option<&str>, own: &[&str]) -> Result<Search, AppError> {
        let mut search = Search { count: DEFAULT_COUNT, offset: 0, ids: None, updated: vec![], params: vec![] };
        for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let (key, value) = (key.into_owned(), value.trim().to_string());
            match key.as_str() {
                "_count" => {
                    search.count = value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| *n <= MAX_COUNT)
                        .ok_or_else(|| bad("_count", format!("_count must be 0–{MAX_COUNT}")))?;
                }
                "_offset" => {
                    search.offset =
                        value.parse().map_err(|_| bad("_offset", "_offset must be a whole number ≥ 0".into()))?;
                }
                "_id" => {
                    let ids = value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from);
                    search.ids.get_or_insert_with(Vec::new).extend(ids);
                    search.params.push((key, value));
                }
                "_lastUpdated" => {
                    search.updated.push(bound("_lastUpdated", &value)?);
                    search.params.push((key, value));
                }
                k if own.contains(&k) => {
                    if value.is_empty() {
                        return Err(bad(k, format!("{k} needs a value")));
                    }
                    search.params.push((key, value));
                }
                _ => {}
            }
        }
        Ok(search)
    }

    /// The values given for one of the type's own parameters (each may be
    /// a comma-separated list: any of them matches).
    pub fn values(&self, name: &str) -> Vec<Vec<String>> {
        self.params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
            .collect()
    }

    /// True when every given value list of `name` has a member `test` accepts.
    pub fn each(&self, name: &str, test: impl Fn(&str) -> bool) -> bool {
        self.values(name).iter().all(|any| any.iter().any(|v| test(v)))
    }

    /// `_id` and `_lastUpdated`, for a resource with this id and change time.
    /// A resource that records no change time matches no `_lastUpdated`.
    pub fn admits(&self, id: &str, updated_at: Option<i64>) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.iter().any(|i| i == id))
            && self.updated.iter().all(|b| updated_at.is_some_and(|t| b.holds(t)))
    }

    /// The narrowest `[from, until]` (inclusive Unix seconds) that the
    /// `_lastUpdated` conditions and those of the date parameter `name`
    /// (AuditEvent's `date`) allow together, for filtering in SQL.
    pub fn date_window(&self, name: &str) -> Result<(Option<i64>, Option<i64>), AppError> {
        let own = self.values(name).concat().iter().map(|v| bound(name, v)).collect::<Result<Vec<_>, _>>()?;
        let mut from: Option<i64> = None;
        let mut until: Option<i64> = None;
        for b in own.iter().chain(&self.updated) {
            let (lo, hi) = match b.prefix {
                Prefix::Eq => (Some(b.start), Some(b.end - 1)),
                Prefix::Gt => (Some(b.end), None),
                Prefix::Ge => (Some(b.start), None),
                Prefix::Lt => (None, Some(b.start - 1)),
                Prefix::Le => (None, Some(b.end - 1)),
            };
            from = from.max(lo);
            until = match (until, hi) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        Ok((from, until))
    }

    /// The single id asked for, when `_id` names exactly one.
    pub fn single_id(&self) -> Option<&str> {
        match self.ids.as_deref() {
            Some([one]) => Some(one),
            _ => None,
        }
    }

    /// The page of `items` this search asks for.
    pub fn page<T>(&self, items: Vec<T>) -> Vec<T> {
        items.into_iter().skip(self.offset).take(self.count).collect()
    }

    fn link(&self, base: &Base, kind: &str, offset: usize) -> String {
        let mut pairs = self.params.clone();
        pairs.push(("_count".into(), self.count.to_string()));
        pairs.push(("_offset".into(), offset.to_string()));
        format!("{}/{kind}?{}", base.0, serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }

    /// The searchset Bundle of one page: `total` matches in all, the page's
    /// resources as `entries`.
    pub fn bundle(&self, base: &Base, kind: &str, total: usize, entries: Vec<Value>) -> Value {
        let mut links = vec![json!({"relation": "self", "url": self.link(base, kind, self.offset)})];
        if self.count > 0 && self.offset + self.count < total {
            links.push(json!({"relation": "next", "url": self.link(base, kind, self.offset + self.count)}));
        }
        if self.offset > 0 {
            let previous = self.offset.saturating_sub(self.count.max(1));
            links.push(json!({"relation": "previous", "url": self.link(base, kind, previous)}));
        }
        let entry: Vec<Value> = entries
            .into_iter()
            .map(|r| {
                let url = format!(
                    "{}/{}/{}",
                    base.0,
                    r["resourceType"].as_str().unwrap_or(kind),
                    r["id"].as_str().unwrap_or("")
                );
                json!({"fullUrl": url, "resource": r, "search": {"mode": "match"}})
            })
            .collect();
        let mut bundle = json!({
            "resourceType": "Bundle",
            "type": "searchset",
            "timestamp": crate::labels::rfc3339(tukiverkko_store::now()),
            "total": total,
            "link": links,
        });
        if !entry.is_empty() {
            bundle["entry"] = json!(entry);
        }
        bundle
    }
}

/// A date or dateTime search value with its prefix: `ge2026-01-01`,
/// `lt2026-12`, `2026-12-04T10:00:00+02:00`. A date without a time is a
/// UTC calendar date (FHIR leaves the zone to the server).
fn bound(field: &str, value: &str) -> Result<Bound, AppError> {
    let (prefix, rest) = match value.get(..2) {
        Some("eq") => (Prefix::Eq, &value[2..]),
        Some("gt") => (Prefix::Gt, &value[2..]),
        Some("lt") => (Prefix::Lt, &value[2..]),
        Some("ge") => (Prefix::Ge, &value[2..]),
        Some("le") => (Prefix::Le, &value[2..]),
        _ => (Prefix::Eq, value),
    };
    let invalid = || bad(field, format!("{field} takes a date or time such as ge2026-01-01 or lt2026-12-04T10:00:00Z"));
    let (start, end) = if rest.contains('T') {
        let t = OffsetDateTime::parse(rest, &Rfc3339).map_err(|_| invalid())?.unix_timestamp();
        (t, t + 1)
    } else {
        let parts: Vec<&str> = rest.split('-').collect();
        let number = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<i32>().ok()).flatten()
        };
        let year = parts.first().and_then(|y| number(y, 4)).ok_or_else(invalid)?;
        let month_of = |m: i32| u8::try_from(m).ok().and_then(|m| Month::try_from(m).ok());
        let day = |y: i32, m: Month, d: u8| Date::from_calendar_date(y, m, d).ok();
        let midnight = |d: Date| d.midnight().assume_utc().unix_timestamp();
        match parts.as_slice() {
            [_] => {
                let first = day(year, Month::January, 1).ok_or_else(invalid)?;
                let next = day(year + 1, Month::January, 1).ok_or_else(invalid)?;
                (midnight(first), midnight(next))
            }
            [_, m] => {
                let month = number(m, 2).and_then(month_of).ok_or_else(invalid)?;
                let first = day(year, month, 1).ok_or_else(invalid)?;
                let next = if month == Month::December {
                    day(year + 1, Month::January, 1)
                } else {
                    day(year, month.next(), 1)
                }
                .ok_or_else(invalid)?;
                (midnight(first), midnight(next))
            }
            [_, m, d] => {
                let month = number(m, 2).and_then(month_of).ok_or_else(invalid)?;
                let date = number(d, 2)
                    .and_then(|d| u8::try_from(d).ok())
                    .and_then(|d| day(year, month, d))
                    .ok_or_else(invalid)?;
                (midnight(date), midnight(date) + 86_400)
            }
            _ => return Err(invalid()),
        }
    };
    Ok(Bound { prefix, start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        OffsetDateTime::parse(s, &Rfc3339).unwrap().unix_timestamp()
    }

    #[test]
    fn prefixes_cover_the_precision_given() {
        let s = Search::parse(Some("_lastUpdated=ge2026-12&_lastUpdated=lt2027"), &[]).unwrap();
        assert!(s.admits("x", Some(at("2026-12-01T00:00:00Z"))));
        assert!(s.admits("x", Some(at("2026-12-31T23:59:59Z"))));
        assert!(!s.admits("x", Some(at("2026-11-30T23:59:59Z"))));
        assert!(!s.admits("x", Some(at("2027-01-01T00:00:00Z"))));
        let s = Search::parse(Some("_lastUpdated=gt2026-12-04"), &[]).unwrap();
        assert!(!s.admits("x", Some(at("2026-12-04T12:00:00Z"))));
        assert!(s.admits("x", Some(at("2026-12-05T00:00:00Z"))));
        let s = Search::parse(Some("_lastUpdated=le2026-12-04T10:00:00%2B02:00"), &[]).unwrap();
        assert!(s.admits("x", Some(at("2026-12-04T08:00:00Z"))));
        assert!(!s.admits("x", Some(at("2026-12-04T08:00:01Z"))));
        assert_eq!(s.date_window("date").unwrap(), (None, Some(at("2026-12-04T08:00:00Z"))));
        let s = Search::parse(Some("date=ge2026-12-01&_lastUpdated=lt2026-12-02"), &["date"]).unwrap();
        assert_eq!(
            s.date_window("date").unwrap(),
            (Some(at("2026-12-01T00:00:00Z")), Some(at("2026-12-01T23:59:59Z")))
        );
        let s = Search::parse(Some("date=huomenna"), &["date"]).unwrap();
        assert!(s.date_window("date").is_err());
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for q in ["_count=1000", "_count=x", "_lastUpdated=ge2026-13", "_lastUpdated=yesterday", "_offset=-1"] {
            let err = Search::parse(Some(q), &[]).unwrap_err();
            assert!(matches!(err, AppError::BadRequest { field: Some(_), .. }), "{q}");
        }
    }

    #[test]
    fn ids_and_own_parameters() {
        let s = Search::parse(Some("_id=a,b&status=active&unknown=1"), &["status"]).unwrap();
        assert!(s.admits("b", None) && !s.admits("c", None));
        assert!(s.each("status", |v| v == "active"));
        assert!(s.each("name", |_| false), "an absent parameter filters nothing");
        assert_eq!(s.params.len(), 2, "unknown parameters are ignored");
    }
}
