//! A coordinator publishes a training or webinar series from the browser:
//! the same check as the API (`check_training`), the form's Helsinki dates
//! and times turned into moments first.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Language;
use tukiverkko_domain::calendar;
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::training::TrainingFormat;
use tukiverkko_store::trainings;

use super::trainings_api::{SessionInput, TrainingInput, check_training};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{Lang, error_message};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

/// Rows for sessions on the form; a series longer than this is published
/// over the API.
const SESSION_ROWS: usize = 8;

/// One session row as typed.
#[derive(Default, Clone)]
pub struct SessionRow {
    pub date: String,
    pub time: String,
    pub minutes: String,
}

#[derive(Template)]
#[template(path = "training_new.html")]
struct NewTrainingPage {
    page: PageContext,
    f: FormFields,
    rows: Vec<(usize, SessionRow)>,
    methods: Vec<(&'static str, String)>,
    formats: Vec<(&'static str, String)>,
    error: Option<(Option<String>, String)>,
}

impl NewTrainingPage {
    fn value(&self, name: &str) -> String {
        self.f.one(name)
    }
}

fn view(
    lang: Language,
    granted: &Require<cap::ManageTraining>,
    f: FormFields,
    error: Option<(Option<String>, String)>,
) -> Response {
    let rows = (0..SESSION_ROWS)
        .map(|i| {
            let row = SessionRow {
                date: f.one(&format!("date_{i}")),
                time: f.one(&format!("time_{i}")),
                minutes: f.one(&format!("minutes_{i}")),
            };
            (i, row)
        })
        .collect();
    let page = PageContext::new(lang, Some(&granted.principal), "/trainings", "training-new-heading");
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(
        status,
        &NewTrainingPage {
            page,
            f,
            rows,
            methods: reference::taxonomy_of(TaxonomyKind::Method)
                .map(|m| (m.code, labels::taxonomy(lang, m.code)))
                .collect(),
            formats: TrainingFormat::ALL
                .iter()
                .map(|v| (v.as_str(), crate::i18n::t(lang, &format!("training-format-{}", v.as_str()))))
                .collect(),
            error,
        },
    )
}

pub async fn form(granted: Require<cap::ManageTraining>, Lang(lang): Lang) -> Response {
    view(lang, &granted, FormFields::default(), None)
}

/// The form as the API's input: filled session rows in order; a row with a
/// date or time that does not parse is named by its field.
fn input(f: &FormFields) -> Result<(TrainingInput, Vec<usize>), AppError> {
    let bad_time = |field: String| AppError::Invalid {
        code: "bad_time".into(),
        detail: "a date and a time".into(),
        field: Some(field),
    };
    let mut sessions = Vec::new();
    let mut rows = Vec::new();
    for i in 0..SESSION_ROWS {
        let (date, time) = (f.one(&format!("date_{i}")), f.one(&format!("time_{i}")));
        if date.trim().is_empty() && time.trim().is_empty() {
            continue;
        }
        let starts = calendar::from_helsinki(&date, &time).ok_or_else(|| bad_time(format!("date_{i}")))?;
        let minutes = f.one(&format!("minutes_{i}")).trim().parse().unwrap_or(0);
        sessions.push(SessionInput { starts_at: labels::rfc3339(starts), minutes });
        rows.push(i);
    }
    let closes = f.one("closes_date");
    let registration_closes = if closes.trim().is_empty() {
        None
    } else {
        let time = Some(f.one("closes_time")).filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "23:59".into());
        Some(labels::rfc3339(calendar::from_helsinki(&closes, &time).ok_or_else(|| bad_time("closes_date".into()))?))
    };
    let optional = |name: &str| Some(f.one(name)).filter(|v| !v.trim().is_empty());
    let input = TrainingInput {
        title: f.one("title"),
        description: f.one("description"),
        method: optional("method"),
        format: f.one("format"),
        capacity: f.one("capacity").trim().parse().unwrap_or(0),
        sessions,
        link: optional("link"),
        location: optional("location"),
        registration_closes,
        required_sessions: f.one("required_sessions").trim().parse().ok(),
        target_sectors: Vec::new(),
        trainers: Vec::new(),
    };
    Ok((input, rows))
}

/// The form field an error of the shared check points at: `sessions.N.x`
/// counts filled rows, the form numbers all rows.
fn form_field(field: &str, rows: &[usize]) -> String {
    let row = |n: Option<&str>| n.and_then(|n| n.parse::<usize>().ok()).and_then(|n| rows.get(n).copied()).unwrap_or(0);
    let mut parts = field.split('.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("sessions"), n, Some("minutes")) => format!("minutes_{}", row(n)),
        (Some("sessions"), n, _) => format!("date_{}", row(n)),
        (Some("registration_closes"), _, _) => "closes_date".into(),
        _ => field.to_string(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: ClientInfo,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, AppError> {
    let (input, rows) = match input(&f) {
        Ok(parsed) => parsed,
        Err(e @ AppError::Invalid { .. }) => return Ok(view(lang, &granted, f, Some(error_message(lang, &e)))),
        Err(e) => return Err(e),
    };
    let new = match check_training(&input) {
        Ok(new) => new,
        Err(AppError::Invalid { code, detail, field }) => {
            let e = AppError::Invalid { code, detail, field: field.map(|name| form_field(&name, &rows)) };
            return Ok(view(lang, &granted, f, Some(error_message(lang, &e))));
        }
        Err(e) => return Err(e),
    };
    let account = granted.account();
    let centre = account.centre.map(|c| c.as_str());
    let t = trainings::create(&state.db, &new, &account.id, centre, &client.actor(account)).await?;
    Ok(Redirect::to(&format!("/trainings/{}?done=published", t.row.id)).into_response())
}
