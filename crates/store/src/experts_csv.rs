//! The expert CSV interface (UTF-8, header row, RFC 4180 quoting, `;`
//! between values). Parsing checks every line and reports every problem as
//! `LINE:COLUMN: reason`, counting physical lines with the header as 1.

use std::collections::HashMap;
use std::io::{Read, Write};

use tukiverkko_domain::profile::{self, ProfileInput};
use tukiverkko_domain::text;

use crate::experts::{NewProfile, ProfileRow, join, split};
use crate::spreadsheet;

pub const HEADER: [&str; 16] = [
    "external_id",
    "given_name",
    "family_name",
    "title",
    "organization",
    "sector",
    "county",
    "centre",
    "languages",
    "topics",
    "methods",
    "remote",
    "accepts_consultations",
    "bio",
    "email",
    "phone",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub column: usize,
    /// Stable name of the problem, for messages in the user's language.
    pub code: &'static str,
    pub reason: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.reason)
    }
}

/// Parses and checks a whole file. Either every row is valid, or the
/// errors of every bad row are returned and nothing is to be imported.
/// `progress` gets the bytes read so far.
pub fn parse(input: impl Read, progress: impl FnMut(u64)) -> Result<Vec<NewProfile>, Vec<LineError>> {
    parse_lines(input, progress).map(|rows| rows.into_iter().map(|(_, p)| p).collect())
}

/// [`parse`], keeping each profile's line number for later checks.
pub fn parse_lines(input: impl Read, mut progress: impl FnMut(u64)) -> Result<Vec<(u64, NewProfile)>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut errors = Vec::new();
    let mut profiles = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(LineError {
                    line,
                    column: 1,
                    code: "unreadable_csv",
                    reason: format!("unreadable CSV: {e}"),
                });
                break;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        progress(record.position().map(|p| p.byte()).unwrap_or(0));
        let mut fields = Vec::with_capacity(record.len());
        let mut utf8_ok = true;
        for (i, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(s.to_string()),
                Err(_) => {
                    errors.push(LineError {
                        line,
                        column: i + 1,
                        code: "invalid_utf8",
                        reason: "invalid UTF-8".into(),
                    });
                    utf8_ok = false;
                    fields.push(String::new());
                }
            }
        }
        if first {
            first = false;
            let header: Vec<&str> = fields.iter().map(|f| f.trim().trim_start_matches('\u{feff}')).collect();
            if header != HEADER {
                errors.push(LineError {
                    line,
                    column: 1,
                    code: "bad_header",
                    reason: format!("the header must be: {}", HEADER.join(",")),
                });
                return Err(errors);
            }
            continue;
        }
        if fields.len() != HEADER.len() {
            errors.push(LineError {
                line,
                column: fields.len().min(HEADER.len()),
                code: "column_count",
                reason: format!("expected {} columns, found {}", HEADER.len(), fields.len()),
            });
            continue;
        }
        if !utf8_ok {
            continue;
        }
        match row(&fields, line) {
            Ok(p) => {
                let id = p.external_id.clone().unwrap_or_default();
                if let Some(earlier) = seen.insert(id.clone(), line) {
                    errors.push(LineError {
                        line,
                        column: 1,
                        code: "duplicate_id",
                        reason: format!("duplicate external_id '{id}' (also on line {earlier})"),
                    });
                } else {
                    profiles.push((line, p));
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() { Ok(profiles) } else { Err(errors) }
}

fn column_of(field: &str) -> usize {
    HEADER.iter().position(|h| *h == field).map_or(1, |i| i + 1)
}

/// One line as a profile, by the same domain rules as the API.
fn row(f: &[String], line: u64) -> Result<NewProfile, Vec<LineError>> {
    let mut errors = Vec::new();
    let cell = |i: usize| spreadsheet::restore(f[i].trim()).to_string();
    let list = |i: usize| split(spreadsheet::restore(f[i].trim()));
    let external_id = cell(0);
    if let Err(e) = text::required("external_id", &external_id, text::limits::SHORT, text::Lines::One) {
        errors.push(LineError { line, column: 1, code: e.code, reason: e.message });
    }
    let input = ProfileInput {
        given_name: cell(1),
        family_name: cell(2),
        title: cell(3),
        organization: cell(4),
        sector: cell(5),
        county: cell(6),
        centre: cell(7),
        languages: list(8),
        topics: list(9),
        methods: list(10),
        bio: cell(13),
        email: cell(14),
        phone: cell(15),
        capacity: None,
    };
    let mut boolean = |i: usize| match cell(i).as_str() {
        "true" => true,
        "false" => false,
        other => {
            errors.push(LineError {
                line,
                column: i + 1,
                code: "bad_boolean",
                reason: format!("{} must be true or false, not '{other}'", HEADER[i]),
            });
            false
        }
    };
    let (remote, accepts) = (boolean(11), boolean(12));
    let checked = profile::check(&input).map_err(|refused| {
        refused.into_iter().map(|e| LineError {
            line,
            column: column_of(e.field),
            code: e.error.code,
            reason: e.error.message,
        })
    });
    match checked {
        Ok(p) if errors.is_empty() => Ok(NewProfile::from_checked(Some(external_id), p, remote, accepts)),
        Ok(_) => Err(errors),
        Err(refused) => {
            errors.extend(refused);
            errors.sort_by_key(|e| e.column);
            Err(errors)
        }
    }
}

/// Writes profiles in the import format, ordered by `external_id` so two
/// exports of the same data are identical.
pub fn write(out: impl Write, profiles: &[ProfileRow]) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    let mut sorted: Vec<&ProfileRow> = profiles.iter().collect();
    sorted.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    for p in sorted {
        let languages = join(&split(&p.languages));
        let cells = [
            p.external_id.as_str(),
            &p.given_name,
            &p.family_name,
            &p.title,
            &p.organization,
            &p.sector,
            &p.county,
            &p.centre,
            &languages,
            &p.topics,
            &p.methods,
            if p.remote { "true" } else { "false" },
            if p.accepts_consultations { "true" } else { "false" },
            &p.bio,
            &p.email,
            &p.phone,
        ];
        writer.write_record(cells.map(spreadsheet::neutralise).iter().map(|c| c.as_bytes()))?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "external_id,given_name,family_name,title,organization,sector,county,centre,languages,topics,methods,remote,accepts_consultations,bio,email,phone\n";

    #[test]
    fn every_bad_line_is_reported_with_line_and_column() {
        let csv = format!(
            "{HEAD}a1,Anna,Aalto,,,social,pirkanmaa,,fi;sv,honour_violence,ipc,true,true,\"Bio\nkahdella rivillä\",anna@example.fi,\n\
             a2,Bo,Berg,,,social,lapland,,fi,honour_violence,,true,true,,,\n\
             a1,Cecilia,C,,,health,helsinki,,fi,,,maybe,true,,bad-email,\n\
             a4,too,few\n"
        );
        let errors = parse(csv.as_bytes(), |_| {}).unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "4:7: unknown county 'lapland'",
                "5:12: remote must be true or false, not 'maybe'",
                "5:15: 'bad-email' is not an e-mail address",
                "6:3: expected 16 columns, found 3",
            ]
        );
    }

    #[test]
    fn duplicates_and_invalid_utf8() {
        let mut bytes = HEAD.as_bytes().to_vec();
        bytes.extend_from_slice(b"a1,A,B,,,social,pirkanmaa,,fi,,,true,true,,,\n");
        bytes.extend_from_slice(b"a1,A,B,,,social,pirkanmaa,,fi,,,true,true,,,\n");
        bytes.extend_from_slice(b"a3,\xff\xfe,B,,,social,pirkanmaa,,fi,,,true,true,,,\n");
        let shown: Vec<String> = parse(&bytes[..], |_| {}).unwrap_err().iter().map(|e| e.to_string()).collect();
        assert_eq!(shown, ["3:1: duplicate external_id 'a1' (also on line 2)", "4:2: invalid UTF-8"]);
    }

    #[test]
    fn empty_centre_is_the_county_centre() {
        let csv = format!("{HEAD}a1,Anna,Aalto,,,social,pohjanmaa,,fi,,,false,true,,,\n");
        let profiles = parse(csv.as_bytes(), |_| {}).unwrap();
        assert_eq!(profiles[0].centre, "turku");
    }
}
