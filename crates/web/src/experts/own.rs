//! `/me/profile`: an expert edits their own directory profile in the
//! browser, by the same parser and placement rule as the API and the
//! import. The centre stays where it is (only an admin moves profiles).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Language;
use tukiverkko_domain::profile::{self, ProfileInput};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_store::experts::{self, NewProfile, ProfileRow, split};

use super::api::may_place;
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{Lang, error_message, t};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

pub struct Pick {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The form's values, as stored or as just typed.
#[derive(Default)]
pub struct Fields {
    pub version: i64,
    pub given_name: String,
    pub family_name: String,
    pub title: String,
    pub organization: String,
    pub sector: String,
    pub county: String,
    pub languages: String,
    pub topics: Vec<String>,
    pub methods: Vec<String>,
    pub remote: bool,
    pub accepts_consultations: bool,
    pub capacity: String,
    pub bio: String,
    pub email: String,
    pub phone: String,
}

impl Fields {
    fn of(p: &ProfileRow) -> Self {
        Fields {
            version: p.version,
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            title: p.title.clone(),
            organization: p.organization.clone(),
            sector: p.sector.clone(),
            county: p.county.clone(),
            languages: split(&p.languages).join(", "),
            topics: split(&p.topics),
            methods: split(&p.methods),
            remote: p.remote,
            accepts_consultations: p.accepts_consultations,
            capacity: p.capacity.to_string(),
            bio: p.bio.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
        }
    }

    fn from_form(f: &FormFields) -> Self {
        Fields {
            version: f.one("version").parse().unwrap_or_default(),
            given_name: f.one("given_name"),
            family_name: f.one("family_name"),
            title: f.one("title"),
            organization: f.one("organization"),
            sector: f.one("sector"),
            county: f.one("county"),
            languages: f.one("languages"),
            topics: f.all("topics"),
            methods: f.all("methods"),
            remote: f.one("remote") == "true",
            accepts_consultations: f.one("accepts_consultations") == "true",
            capacity: f.one("capacity"),
            bio: f.one("bio"),
            email: f.one("email"),
            phone: f.one("phone"),
        }
    }
}

#[derive(Template)]
#[template(path = "me_profile.html")]
struct OwnProfilePage {
    page: PageContext,
    id: String,
    form: Fields,
    sectors: Vec<Pick>,
    counties: Vec<Pick>,
    topics: Vec<Pick>,
    methods: Vec<Pick>,
    notice: Option<String>,
    error_field: String,
    error_anchor: String,
    error: Option<String>,
}

impl OwnProfilePage {
    fn err(&self, name: &str) -> Option<&str> {
        if self.error_field == name { self.error.as_deref() } else { None }
    }
}

fn taxonomy(lang: Language, kind: TaxonomyKind, chosen: &[String]) -> Vec<Pick> {
    reference::taxonomy_of(kind)
        .map(|e| Pick {
            value: e.code.to_string(),
            label: labels::taxonomy(lang, e.code),
            checked: chosen.iter().any(|c| c == e.code),
        })
        .collect()
}

fn page(
    lang: Language,
    granted: &Require<cap::EditProfiles>,
    id: &str,
    form: Fields,
    notice: Option<String>,
    error: Option<(Option<String>, String)>,
) -> OwnProfilePage {
    let counties = reference::counties()
        .iter()
        .map(|c| Pick {
            value: c.code.to_string(),
            label: labels::county(lang, c.code),
            checked: form.county == c.code,
        })
        .collect();
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    OwnProfilePage {
        page: PageContext::new(lang, Some(&granted.principal), "/me/profile", "me-profile-heading"),
        id: id.to_string(),
        sectors: taxonomy(lang, TaxonomyKind::Sector, std::slice::from_ref(&form.sector)),
        counties,
        topics: taxonomy(lang, TaxonomyKind::Topic, &form.topics),
        methods: taxonomy(lang, TaxonomyKind::Method, &form.methods),
        form,
        notice,
        error_anchor: error_field.clone(),
        error_field,
        error,
    }
}

async fn own(state: &AppState, granted: &Require<cap::EditProfiles>) -> Result<ProfileRow, AppError> {
    let id = experts::id_for_user(&state.db, &granted.account().id).await?.ok_or(AppError::NotFound)?;
    Ok(experts::find(&state.db, &id).await?)
}

/// The form, filled with the stored profile; `?saved` says it was saved.
pub async fn form(
    State(state): State<AppState>,
    granted: Require<cap::EditProfiles>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let Ok(current) = own(&state, &granted).await else {
        let view = page(lang, &granted, "", Fields::default(), Some(t(lang, "me-profile-none")), None);
        return Ok(render(StatusCode::NOT_FOUND, &view));
    };
    let saved = uri.query().is_some_and(|q| q.split('&').any(|p| p == "saved"));
    let notice = saved.then(|| t(lang, "me-profile-saved"));
    Ok(render(StatusCode::OK, &page(lang, &granted, &current.id, Fields::of(&current), notice, None)))
}

/// Saves the form; any problem shows the form again with the error.
pub async fn save(
    State(state): State<AppState>,
    granted: Require<cap::EditProfiles>,
    client: ClientInfo,
    Lang(lang): Lang,
    fields: FormFields,
) -> Result<Response, AppError> {
    let current = own(&state, &granted).await?;
    let typed = Fields::from_form(&fields);
    match store(&state, &granted, &client, &current, &typed).await {
        Ok(()) => Ok(Redirect::to("/me/profile?saved").into_response()),
        Err(err) => {
            let status = err.status();
            let view = page(lang, &granted, &current.id, typed, None, Some(error_message(lang, &err)));
            Ok(render(status, &view))
        }
    }
}

async fn store(
    state: &AppState,
    granted: &Require<cap::EditProfiles>,
    client: &ClientInfo,
    current: &ProfileRow,
    typed: &Fields,
) -> Result<(), AppError> {
    let capacity = typed.capacity.trim().parse::<i64>().map_err(|_| AppError::Invalid {
        code: "out_of_range".into(),
        detail: "capacity must be a number".into(),
        field: Some("capacity".into()),
    })?;
    let input = ProfileInput {
        given_name: typed.given_name.clone(),
        family_name: typed.family_name.clone(),
        title: typed.title.clone(),
        organization: typed.organization.clone(),
        sector: typed.sector.clone(),
        county: typed.county.clone(),
        // The centre is kept: moving a profile is an admin's decision.
        centre: current.centre.clone(),
        languages: typed.languages.split([',', ';', ' ']).filter(|l| !l.trim().is_empty()).map(String::from).collect(),
        topics: typed.topics.clone(),
        methods: typed.methods.clone(),
        bio: typed.bio.clone(),
        email: typed.email.clone(),
        phone: typed.phone.clone(),
        capacity: Some(capacity),
    };
    let checked = profile::check(&input).map_err(|errors| {
        let first = errors.into_iter().next().expect("a refusal names a field");
        AppError::invalid(first.field, first.error)
    })?;
    let new =
        NewProfile::from_checked(Some(current.external_id.clone()), checked, typed.remote, typed.accepts_consultations);
    if !may_place(granted.account(), Some(current), &new.centre) {
        return Err(AppError::Forbidden);
    }
    experts::update(&state.db, &current.id, typed.version, &new, &client.actor(granted.account())).await?;
    state.directory.apply(&state.db).await?;
    Ok(())
}

/// The home page's availability switch: whether the expert takes requests
/// and how many at once, saved through the same rule as the whole profile.
pub async fn availability(
    State(state): State<AppState>,
    granted: Require<cap::EditProfiles>,
    client: ClientInfo,
    fields: FormFields,
) -> Result<Response, AppError> {
    let current = own(&state, &granted).await?;
    let mut typed = Fields::of(&current);
    typed.version = fields.one("version").parse().unwrap_or_default();
    typed.accepts_consultations = fields.one("accepts_consultations") == "true";
    typed.capacity = fields.one("capacity");
    store(&state, &granted, &client, &current, &typed).await?;
    Ok(Redirect::to("/?done=availability").into_response())
}
