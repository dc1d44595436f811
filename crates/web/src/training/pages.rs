//! The methods and training pages: the catalogue, a method's entry with
//! its county map, the trainings with registration, and a training's page
//! where coordinators see the list and take attendance.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::training::EvidenceLevel;
use tukiverkko_domain::{Capability, Language};
use tukiverkko_store::training_followup;
use tukiverkko_store::trainings::{self, Standing};
use tukiverkko_store::{methods, methods::StoredMethod};

use super::methods_api::{EvidenceInput, Localised, MethodInput, check_entry};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{Lang, error_message, t};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

pub struct MethodLine {
    pub code: &'static str,
    pub name: String,
    pub level: String,
}

#[derive(Template)]
#[template(path = "methods.html")]
struct MethodsPage {
    page: PageContext,
    lines: Vec<MethodLine>,
}

fn level_label(lang: Language, level: &str) -> String {
    t(lang, &format!("evidence-{level}"))
}

pub async fn methods_page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
) -> Result<Response, AppError> {
    let stored = methods::all(&state.db).await?;
    let lines = reference::taxonomy_of(TaxonomyKind::Method)
        .map(|m| MethodLine {
            code: m.code,
            name: labels::taxonomy(lang, m.code),
            level: level_label(lang, stored.get(m.code).map_or("not_rated", |s| s.entry.evidence_level.as_str())),
        })
        .collect();
    let page = PageContext::new(lang, Some(&granted.principal), "/methods", "methods-heading");
    Ok(render(StatusCode::OK, &MethodsPage { page, lines }))
}

/// One tile of the county map: a simple grid in Finland's rough shape.
pub struct Tile {
    pub name: String,
    pub x: u32,
    pub y: u32,
    pub trained: i64,
    pub in_use: bool,
    pub shade: &'static str,
}

/// Column and row of each county on the tile map (north at the top).
const TILES: [(&str, u32, u32); 22] = [
    ("lappi", 2, 0),
    ("pohjois-pohjanmaa", 2, 1),
    ("kainuu", 3, 1),
    ("keski-pohjanmaa", 1, 2),
    ("pohjois-savo", 3, 2),
    ("pohjanmaa", 0, 3),
    ("keski-suomi", 2, 3),
    ("pohjois-karjala", 4, 3),
    ("etela-pohjanmaa", 1, 3),
    ("satakunta", 0, 4),
    ("pirkanmaa", 1, 4),
    ("etela-savo", 3, 4),
    ("kanta-hame", 1, 5),
    ("paijat-hame", 2, 5),
    ("etela-karjala", 4, 5),
    ("varsinais-suomi", 0, 5),
    ("kymenlaakso", 3, 5),
    ("lansi-uusimaa", 0, 6),
    ("keski-uusimaa", 1, 6),
    ("ita-uusimaa", 3, 6),
    ("vantaa-kerava", 2, 6),
    ("helsinki", 1, 7),
];

#[derive(Template)]
#[template(path = "method.html")]
struct MethodPage {
    page: PageContext,
    code: &'static str,
    name: String,
    entry: tukiverkko_store::methods::MethodEntry,
    description: String,
    level: String,
    levels: Vec<(&'static str, String, bool)>,
    version: i64,
    tiles: Vec<Tile>,
    uses: Vec<(String, String, String)>,
    /// Every county, for the form that records a use.
    counties: Vec<(&'static str, String)>,
    may_edit: bool,
    error: Option<(Option<String>, String)>,
    notice: Option<String>,
}

async fn method_response(
    state: &AppState,
    principal: &crate::auth::Principal,
    lang: Language,
    code: &str,
    error: Option<(Option<String>, String)>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let code =
        reference::taxonomy_of(TaxonomyKind::Method).map(|m| m.code).find(|c| *c == code).ok_or(AppError::NotFound)?;
    let stored: Option<StoredMethod> = methods::get(&state.db, code).await?;
    let entry = stored
        .as_ref()
        .map(|s| s.entry.clone())
        .unwrap_or_else(|| methods::MethodEntry { evidence_level: "not_rated".into(), ..Default::default() });
    let (trained, in_use) = methods::coverage(&state.db, code).await?;
    let tiles = TILES
        .iter()
        .map(|(c, x, y)| {
            let n = trained.get(*c).copied().unwrap_or(0);
            let used = in_use.contains(*c);
            Tile {
                name: labels::county(lang, c),
                x: x * 70 + 4,
                y: y * 46 + 4,
                trained: n,
                in_use: used,
                shade: match (used, n > 0) {
                    (true, _) => "#00539f",
                    (false, true) => "#8fb8de",
                    _ => "#eeeeee",
                },
            }
        })
        .collect();
    let description = match lang {
        Language::Sv if !entry.description_sv.is_empty() => entry.description_sv.clone(),
        Language::En if !entry.description_en.is_empty() => entry.description_en.clone(),
        _ => entry.description_fi.clone(),
    };
    let uses = methods::uses(&state.db, code)
        .await?
        .into_iter()
        .map(|u| (labels::county(lang, &u.county), u.unit, u.since.map(|s| labels::date(lang, &s)).unwrap_or_default()))
        .collect();
    let page = PageContext::new(lang, Some(principal), "/methods", "methods-heading");
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(
        status,
        &MethodPage {
            page,
            code,
            name: labels::taxonomy(lang, code),
            level: level_label(lang, &entry.evidence_level),
            levels: EvidenceLevel::ALL
                .iter()
                .map(|l| (l.as_str(), level_label(lang, l.as_str()), l.as_str() == entry.evidence_level))
                .collect(),
            description,
            entry,
            version: stored.map_or(0, |s| s.version),
            tiles,
            uses,
            counties: tukiverkko_domain::reference::counties()
                .iter()
                .map(|c| (c.code, labels::county(lang, c.code)))
                .collect(),
            may_edit: Capability::ManageTraining.granted_by(&principal.account.roles),
            error,
            notice,
        },
    ))
}

pub async fn method_page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let notice = crate::templates::done_notice(lang, &uri, "training-done", &DONE);
    method_response(&state, &granted.principal, lang, &code, None, notice).await
}

/// A coordinator's edit of a method entry from its page.
pub async fn save_method(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(code): Path<String>,
    f: FormFields,
) -> Result<Response, AppError> {
    let number = |n: &str| f.one(n).trim().parse::<i64>().ok();
    let input = MethodInput {
        description: Some(Localised::Three {
            fi: f.one("description_fi"),
            sv: f.one("description_sv"),
            en: f.one("description_en"),
        }),
        evidence: Some(EvidenceInput {
            level: f.one("level"),
            rated_on: Some(f.one("rated_on")),
            source: Some(f.one("source")),
        }),
        target_group: Some(f.one("target_group")),
        age_min: number("age_min"),
        age_max: number("age_max"),
        delivery: Some(f.one("delivery")),
        trainers: f.all("trainers"),
        version: number("version"),
    };
    let result = match check_entry(&input) {
        Ok(entry) => {
            let account = granted.account();
            methods::save(&state.db, &code, &entry, &account.id, &client.actor(account), input.version)
                .await
                .map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/methods/{code}?done=saved")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            method_response(&state, &granted.principal, lang, &code, Some(error_message(lang, &e)), None).await
        }
        Err(e) => Err(e),
    }
}

/// A coordinator records from the method's page that a unit uses it.
pub async fn save_use(
    State(state): State<AppState>,
    granted: Require<cap::ManageTraining>,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(code): Path<String>,
    f: FormFields,
) -> Result<Response, AppError> {
    let input =
        super::methods_api::UseInput { county: f.one("county"), since: Some(f.one("since")), unit: f.one("unit") };
    match super::methods_api::save_use(&state, granted.account(), &client, &code, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/methods/{code}?done=used#map-h")).into_response()),
        Err(e @ AppError::Invalid { .. }) => {
            method_response(&state, &granted.principal, lang, &code, Some(error_message(lang, &e)), None).await
        }
        Err(e) => Err(e),
    }
}

/// Notices after a change on these pages.
pub const DONE: [&str; 8] =
    ["saved", "registered", "waitlisted", "cancelled", "attendance", "feedback", "used", "published"];

pub struct TrainingLine {
    pub id: String,
    pub title: String,
    pub first: String,
    pub sessions: usize,
    pub places: String,
}

#[derive(Template)]
#[template(path = "trainings.html")]
struct TrainingsPage {
    page: PageContext,
    lines: Vec<TrainingLine>,
    may_publish: bool,
}

fn places(lang: Language, t: &trainings::Training) -> String {
    let left = (t.row.capacity - t.registered).max(0);
    if left > 0 {
        crate::i18n::t_args(lang, "training-places-left", &[("n", left.to_string())])
    } else {
        crate::i18n::t_args(lang, "training-full", &[("n", t.waitlisted.to_string())])
    }
}

pub async fn trainings_page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
) -> Result<Response, AppError> {
    let lines = trainings::list(&state.db, false)
        .await?
        .iter()
        .map(|tr| TrainingLine {
            id: tr.row.id.clone(),
            title: tr.row.title.clone(),
            first: tr.sessions.first().map(|(s, _)| labels::moment(lang, *s)).unwrap_or_default(),
            sessions: tr.sessions.len(),
            places: places(lang, tr),
        })
        .collect();
    let may_publish = Capability::ManageTraining.granted_by(&granted.account().roles);
    let page = PageContext::new(lang, Some(&granted.principal), "/trainings", "trainings-heading");
    Ok(render(StatusCode::OK, &TrainingsPage { page, lines, may_publish }))
}

pub struct Person {
    pub email: String,
    pub name: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "training.html")]
struct TrainingPage {
    page: PageContext,
    t: tukiverkko_store::trainings::TrainingRow,
    method: String,
    sessions: Vec<(usize, String, i64)>,
    places: String,
    standing: Option<String>,
    registered: bool,
    coordinator: bool,
    people: Vec<Person>,
    /// The caller's certificate code, once earned.
    certificate: Option<String>,
    /// The caller attended and has not answered the feedback yet.
    feedback_open: bool,
    feedback_given: bool,
    /// Coordinators: the feedback after disclosure control.
    feedback: Option<super::feedback::Results>,
    scale: std::ops::RangeInclusive<i64>,
    threshold: String,
    notice: Option<String>,
    error: Option<(Option<String>, String)>,
    /// Every problem in an uploaded attendance file, one per line.
    file_errors: Vec<String>,
    /// Asked to confirm a cancellation (`?confirm=cancel`).
    confirm_cancel: bool,
}

async fn training_response(
    state: &AppState,
    granted: &Require<cap::SignedIn>,
    lang: Language,
    id: &str,
    notice: Option<String>,
    error: Option<(Option<String>, String)>,
) -> Result<Response, AppError> {
    training_view(state, granted, lang, id, notice, error, Vec::new(), false).await
}

/// The training page after a refused attendance file, with all its errors.
pub async fn training_with_errors(
    state: &AppState,
    granted: &Require<cap::ManageTraining>,
    lang: Language,
    id: &str,
    file_errors: Vec<String>,
) -> Result<Response, AppError> {
    let granted = granted.signed_in();
    training_view(state, &granted, lang, id, None, None, file_errors, false).await
}

#[allow(clippy::too_many_arguments)]
async fn training_view(
    state: &AppState,
    granted: &Require<cap::SignedIn>,
    lang: Language,
    id: &str,
    notice: Option<String>,
    error: Option<(Option<String>, String)>,
    file_errors: Vec<String>,
    confirm_cancel: bool,
) -> Result<Response, AppError> {
    let tr = trainings::get(&state.db, id).await?;
    let account = granted.account();
    let standing = trainings::standing(&state.db, id, &account.id).await?;
    let coordinator = Capability::ManageTraining.granted_by(&account.roles);
    let people = if coordinator {
        trainings::registrations(&state.db, id)
            .await?
            .into_iter()
            .map(|r| Person { status: t(lang, &format!("registration-{}", r.status)), email: r.email, name: r.name })
            .collect()
    } else {
        Vec::new()
    };
    let certificate = training_followup::certificate_of(&state.db, id, &account.id).await?;
    let answers = training_followup::feedback_state(&state.db, id, &account.id).await?;
    let feedback = if coordinator { Some(super::feedback::results(state, id).await?) } else { None };
    let page = PageContext::new(lang, Some(&granted.principal), "/trainings", "trainings-heading");
    let status =
        if error.is_some() || !file_errors.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(
        status,
        &TrainingPage {
            file_errors,
            confirm_cancel,
            certificate,
            feedback_open: answers.attended && !answers.answered,
            feedback_given: answers.answered,
            feedback,
            scale: tukiverkko_domain::training::FEEDBACK_SCALE,
            threshold: state.config.statistics_threshold.to_string(),
            page,
            method: tr.row.method.as_deref().map(|m| labels::taxonomy(lang, m)).unwrap_or_default(),
            sessions: tr.sessions.iter().enumerate().map(|(i, (s, m))| (i, labels::moment(lang, *s), *m)).collect(),
            places: places(lang, &tr),
            standing: standing.as_ref().map(|s| match s {
                Standing::Registered => t(lang, "training-you-registered"),
                Standing::Waitlisted { position } => {
                    crate::i18n::t_args(lang, "training-you-waitlisted", &[("n", position.to_string())])
                }
            }),
            registered: standing.is_some(),
            coordinator,
            people,
            t: tr.row,
            notice,
            error,
        },
    ))
}

pub async fn training_page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let notice = crate::templates::done_notice(lang, &uri, "training-done", &DONE);
    let confirm_cancel = uri.query().is_some_and(|q| q.split('&').any(|p| p == "confirm=cancel"));
    training_view(&state, &granted, lang, &id, notice, None, Vec::new(), confirm_cancel).await
}

/// Register, cancel, or (coordinators) take attendance.
pub async fn act(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, AppError> {
    let account = granted.account();
    let by = client.actor(account);
    let done: Result<&str, AppError> = match f.one("action").as_str() {
        "register" => {
            trainings::register(&state.db, &id, &account.id, &by).await.map_err(Into::into).map(|s| match s {
                Standing::Registered => "registered",
                Standing::Waitlisted { .. } => "waitlisted",
            })
        }
        "cancel" => trainings::cancel(&state.db, &id, &account.id, &by).await.map_err(Into::into).map(|_| "cancelled"),
        "attendance" if Capability::ManageTraining.granted_by(&account.roles) => {
            let session = f.one("session").parse().unwrap_or(-1);
            trainings::record_attendance(&state.db, &id, session, &f.all("present"), &by)
                .await
                .map_err(|e| match e {
                    tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("present", v),
                    other => other.into(),
                })
                .map(|_| "attendance")
        }
        "attendance" => Err(AppError::Forbidden),
        "feedback" => {
            let score = |n: &str| f.one(n).trim().parse::<i64>().unwrap_or(0);
            let input = super::feedback::FeedbackInput {
                rating: score("rating"),
                applicable: score("applicable"),
                comment: f.one("comment"),
            };
            super::feedback::give(&state, account, &client, &id, &input).await.map(|_| "feedback")
        }
        _ => Err(AppError::BadRequest { detail: "unknown action".into(), field: Some("action".into()) }),
    };
    match done {
        Ok(d) => Ok(Redirect::to(&format!("/trainings/{id}?done={d}")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            training_response(&state, &granted, lang, &id, None, Some(error_message(lang, &e))).await
        }
        Err(e) => Err(e),
    }
}
