//! Attendance from a file: a CSV (or plain list) of the e-mail addresses of
//! those present, as a video-meeting tool exports it. All or nothing: one
//! bad line and nothing is stored, and every bad line is reported.

use std::collections::HashSet;

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Language;
use tukiverkko_store::trainings;

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::i18n::{Lang, t_args};
use crate::ops::ClientInfo;
use crate::state::AppState;

/// The largest attendance file read: thousands of addresses.
const MAX_BYTES: usize = 256 * 1024;

/// A line that could not be used, numbered from 1 as an editor shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    NotAnEmail { line: u64, text: String },
    NotRegistered { line: u64, email: String },
    Unreadable { line: u64 },
}

impl LineError {
    pub fn message(&self, lang: Language) -> String {
        match self {
            Self::NotAnEmail { line, text } => {
                t_args(lang, "attendance-line-not-email", &[("line", line.to_string()), ("text", text.clone())])
            }
            Self::NotRegistered { line, email } => {
                t_args(lang, "attendance-line-not-registered", &[("line", line.to_string()), ("email", email.clone())])
            }
            Self::Unreadable { line } => t_args(lang, "attendance-line-unreadable", &[("line", line.to_string())]),
        }
    }
}

/// The address in each line: the column headed e-mail (in any of the three
/// languages) when there is a header, else the first field that looks like
/// one. Blank lines are skipped; a header line is not an error.
pub fn addresses(bytes: &[u8]) -> Result<Vec<(u64, String)>, Vec<LineError>> {
    let mut column: Option<usize> = None;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut first = true;
    // Line by line, so the numbers are the editor's even around blank lines;
    // each line is read as CSV for its quoting.
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = i as u64 + 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            errors.push(LineError::Unreadable { line });
            continue;
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.trim_end_matches('\r').as_bytes());
        let Some(Ok(record)) = reader.records().next() else {
            if !text.trim().is_empty() {
                errors.push(LineError::Unreadable { line });
            }
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if std::mem::take(&mut first) {
            let header = record
                .iter()
                .position(|f| matches!(f.to_lowercase().as_str(), "email" | "e-mail" | "sähköposti" | "e-post"));
            if header.is_some() {
                column = header;
                continue;
            }
        }
        let field = match column {
            Some(c) => record.get(c).unwrap_or_default(),
            None => record.iter().find(|f| f.contains('@')).unwrap_or_else(|| record.get(0).unwrap_or_default()),
        };
        if looks_like_email(field) {
            out.push((line, field.to_string()));
        } else {
            errors.push(LineError::NotAnEmail { line, text: field.chars().take(60).collect() });
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A coordinator's upload on the training page: checked line by line
/// against the registrations, then stored like ticked attendance.
pub async fn upload(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut session = None;
    let mut file = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|e| AppError::BadRequest { detail: e.body_text(), field: None })?
    {
        match field.name() {
            Some("session") => session = field.text().await.ok().and_then(|s| s.trim().parse::<i64>().ok()),
            Some("file") => {
                file =
                    Some(field.bytes().await.map_err(|e| AppError::BadRequest { detail: e.body_text(), field: None })?)
            }
            _ => {}
        }
    }
    let show = |errors: Vec<String>| super::pages::training_with_errors(&state, &granted, lang, &id, errors);
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return show(vec![crate::i18n::t(lang, "attendance-no-file")]).await;
    };
    if bytes.len() > MAX_BYTES {
        return show(vec![crate::i18n::t(lang, "attendance-too-large")]).await;
    }
    let lines = match addresses(&bytes) {
        Ok(lines) => lines,
        Err(errors) => return show(errors.iter().map(|e| e.message(lang)).collect()).await,
    };
    let registered: HashSet<String> = trainings::registrations(&state.db, &id)
        .await?
        .into_iter()
        .filter(|r| r.status == "registered")
        .map(|r| r.email.to_lowercase())
        .collect();
    let unknown: Vec<String> = lines
        .iter()
        .filter(|(_, email)| !registered.contains(&email.to_lowercase()))
        .map(|(line, email)| LineError::NotRegistered { line: *line, email: email.clone() }.message(lang))
        .collect();
    if !unknown.is_empty() {
        return show(unknown).await;
    }
    let present: Vec<String> = lines.into_iter().map(|(_, e)| e).collect();
    let account = granted.account();
    match trainings::record_attendance(&state.db, &id, session.unwrap_or(-1), &present, &client.actor(account)).await {
        Ok(_) => Ok(Redirect::to(&format!("/trainings/{id}?done=attendance")).into_response()),
        Err(tukiverkko_store::StoreError::Invalid(v)) => show(vec![v.message]).await,
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_header_column_or_the_first_address_and_reports_every_bad_line() {
        let file = "Name;Email\nAnna;anna@example.fi\n\nBo;bo@example.se\n";
        let with_semicolons = file.replace(';', ",");
        assert_eq!(
            addresses(with_semicolons.as_bytes()).unwrap(),
            [(2, "anna@example.fi".to_string()), (4, "bo@example.se".to_string())]
        );
        assert_eq!(addresses(b"anna@example.fi\nbo@example.se").unwrap().len(), 2);
        let errors = addresses(b"anna@example.fi\nnot an address\nbo@\n").unwrap_err();
        assert_eq!(
            errors,
            [
                LineError::NotAnEmail { line: 2, text: "not an address".into() },
                LineError::NotAnEmail { line: 3, text: "bo@".into() }
            ]
        );
    }
}
