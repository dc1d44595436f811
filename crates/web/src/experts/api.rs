//! `GET /api/v1/experts` exactly as the stable interface says, the profile,
//! and edits by the expert or their centre's coordinator.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_domain::profile::{self, Editor, ProfileInput};
use tukiverkko_domain::reference::TaxonomyKind;
use tukiverkko_domain::text::Lines;
use tukiverkko_domain::{CentreCode, CountyCode, Language, TaxonomyCode};
use tukiverkko_search::{Index, SearchResult, highlight};
use tukiverkko_store::audit::{self, AuditEvent};
use tukiverkko_store::experts::{self, NewProfile, ProfileRow, split};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::extract::QueryParams;
use crate::i18n::Lang;
use crate::ops::ClientInfo;
use crate::state::AppState;

#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    pub q: Option<String>,
    pub county: Option<String>,
    pub centre: Option<String>,
    pub sector: Option<String>,
    pub topic: Option<String>,
    pub method: Option<String>,
    pub language: Option<String>,
    pub remote: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// Concepts of the query's interpretation to drop (repeatable; read
    /// from the raw query string, which serde_urlencoded cannot repeat).
    #[serde(skip)]
    #[param(value_type = Option<Vec<String>>)]
    pub exclude_concept: Vec<String>,
}

/// The repeated `exclude_concept` parameters of a query string, each a
/// topic or method code.
pub fn excluded_concepts(raw_query: Option<&str>) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for (k, v) in form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes()) {
        if k == "exclude_concept" && !v.trim().is_empty() {
            let code = TaxonomyCode::parse(v.trim(), TaxonomyKind::Topic)
                .or_else(|_| TaxonomyCode::parse(v.trim(), TaxonomyKind::Method))
                .map_err(|e| AppError::invalid("exclude_concept", e))?;
            out.push(code.as_str().to_string());
        }
    }
    Ok(out)
}

fn empty_none(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks every filter against the code lists; an unknown code is a 422 naming it.
pub fn parse_query(p: &SearchParams) -> Result<tukiverkko_search::Query, AppError> {
    let code = |field: &str, value: Option<&str>, kind: TaxonomyKind| {
        value
            .map(|v| {
                TaxonomyCode::parse(v, kind).map(|c| c.as_str().to_string()).map_err(|e| AppError::invalid(field, e))
            })
            .transpose()
    };
    let county = empty_none(&p.county)
        .map(|v| v.parse::<CountyCode>().map(|c| c.as_str().to_string()).map_err(|e| AppError::invalid("county", e)))
        .transpose()?;
    let centre = empty_none(&p.centre)
        .map(|v| v.parse::<CentreCode>().map(|c| c.as_str().to_string()).map_err(|e| AppError::invalid("centre", e)))
        .transpose()?;
    let language = empty_none(&p.language).map(str::to_string);
    if let Some(l) = &language
        && (l.len() != 2 || !l.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Err(AppError::Invalid {
            code: "bad_language".into(),
            detail: format!("'{l}' is not an ISO 639-1 code"),
            field: Some("language".into()),
        });
    }
    let remote = match empty_none(&p.remote) {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(AppError::Invalid {
                code: "bad_bool".into(),
                detail: format!("remote must be true or false, not '{other}'"),
                field: Some("remote".into()),
            });
        }
    };
    let limit = p.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::Invalid {
            code: "out_of_range".into(),
            detail: "limit must be 1–100".into(),
            field: Some("limit".into()),
        });
    }
    let text = p.q.as_deref().unwrap_or_default();
    let text = tukiverkko_domain::text::check("q", text, tukiverkko_domain::text::limits::QUERY, Lines::Many)
        .map_err(|e| AppError::invalid("q", e))?;
    Ok(tukiverkko_search::Query {
        text,
        county,
        centre,
        sector: code("sector", empty_none(&p.sector), TaxonomyKind::Sector)?,
        topic: code("topic", empty_none(&p.topic), TaxonomyKind::Topic)?,
        method: code("method", empty_none(&p.method), TaxonomyKind::Method)?,
        language,
        remote,
        limit,
        offset: p.offset.unwrap_or(0),
        exclude_concepts: p.exclude_concept.clone(),
    })
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ExpertHit {
    pub id: String,
    pub external_id: String,
    pub name: String,
    pub title: String,
    pub organization: String,
    pub sector: String,
    pub county: String,
    pub centre: String,
    pub topics: Vec<String>,
    pub methods: Vec<String>,
    pub languages: Vec<String>,
    pub remote: bool,
    pub score: f32,
    /// HTML-escaped snippet with matches in `<mark>`.
    pub highlight: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExpertSearch {
    pub total: usize,
    pub items: Vec<ExpertHit>,
    /// Counts by code for each facet.
    #[schema(value_type = Object)]
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
    /// The concepts the query was understood to mean.
    pub interpretation: Vec<Understood>,
}

/// One concept of a query's interpretation.
#[derive(Serialize, ToSchema, Clone)]
pub struct Understood {
    /// A topic or method code.
    pub concept: String,
    /// Its name in the caller's language.
    pub label: String,
    /// The words of the query that led there.
    pub matched: Vec<String>,
}

pub fn to_response(index: &Index, r: SearchResult) -> ExpertSearch {
    let items = r
        .hits
        .into_iter()
        .filter_map(|h| {
            let d = index.get(&h.id)?;
            let text = if d.bio.is_empty() { &d.title } else { &d.bio };
            Some(ExpertHit {
                external_id: d.external_id.clone(),
                id: d.id.clone(),
                name: d.name.clone(),
                title: d.title.clone(),
                organization: d.organization.clone(),
                sector: d.sector.clone(),
                county: d.county.clone(),
                centre: d.centre.clone(),
                topics: d.topics.clone(),
                methods: d.methods.clone(),
                languages: d.languages.clone(),
                remote: d.remote,
                score: h.score,
                highlight: highlight(text, &h.matched),
            })
        })
        .collect();
    let facets = r.facets.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let interpretation = r
        .interpretation
        .into_iter()
        .map(|i| Understood { label: i.concept.clone(), concept: i.concept, matched: i.matched })
        .collect();
    ExpertSearch { total: r.total, items, facets, interpretation }
}

pub async fn run_search(state: &AppState, params: &SearchParams, lang: Language) -> Result<ExpertSearch, AppError> {
    let query = parse_query(params)?;
    let mut found = state.directory.search(&state.db, &query, to_response).await?;
    for i in &mut found.interpretation {
        i.label = crate::labels::taxonomy(lang, &i.concept);
    }
    Ok(found)
}

/// Find experts by free text in Finnish, Swedish or English, with filters and facet counts; best first.
#[utoipa::path(get, path = "/api/v1/experts", params(SearchParams), security(("bearer" = [])),
    responses((status = 200, body = ExpertSearch), (status = 422, description = "unknown filter code")))]
pub async fn search(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
    QueryParams(mut params): QueryParams<SearchParams>,
) -> Result<Json<ExpertSearch>, AppError> {
    params.exclude_concept = excluded_concepts(uri.query())?;
    Ok(Json(run_search(&state, &params, lang).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Profile {
    id: String,
    external_id: String,
    given_name: String,
    family_name: String,
    title: String,
    organization: String,
    sector: String,
    county: String,
    centre: String,
    languages: Vec<String>,
    topics: Vec<String>,
    methods: Vec<String>,
    remote: bool,
    accepts_consultations: bool,
    capacity: i64,
    bio: String,
    email: String,
    phone: String,
    version: i64,
}

impl From<ProfileRow> for Profile {
    fn from(p: ProfileRow) -> Self {
        Self {
            languages: split(&p.languages),
            topics: split(&p.topics),
            methods: split(&p.methods),
            id: p.id,
            external_id: p.external_id,
            given_name: p.given_name,
            family_name: p.family_name,
            title: p.title,
            organization: p.organization,
            sector: p.sector,
            county: p.county,
            centre: p.centre,
            remote: p.remote,
            accepts_consultations: p.accepts_consultations,
            capacity: p.capacity,
            bio: p.bio,
            email: p.email,
            phone: p.phone,
            version: p.version,
        }
    }
}

/// One expert's profile.
#[utoipa::path(get, path = "/api/v1/experts/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 404, description = "no such expert")))]
pub async fn get_profile(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    Path(id): Path<String>,
) -> Result<Json<Profile>, AppError> {
    Ok(Json(experts::find(&state.db, &id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct ProfileEdit {
    /// The version you edited; a newer one on the server is a 409.
    version: i64,
    given_name: String,
    family_name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    organization: String,
    sector: String,
    county: String,
    /// Empty: the centre of the county's collaborative area.
    #[serde(default)]
    centre: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    remote: bool,
    accepts_consultations: bool,
    capacity: i64,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

fn parse_edit(e: ProfileEdit, external_id: String) -> Result<NewProfile, AppError> {
    let input = ProfileInput {
        given_name: e.given_name,
        family_name: e.family_name,
        title: e.title,
        organization: e.organization,
        sector: e.sector,
        county: e.county,
        centre: e.centre,
        languages: e.languages,
        topics: e.topics,
        methods: e.methods,
        bio: e.bio,
        email: e.email,
        phone: e.phone,
        capacity: Some(e.capacity),
    };
    let checked = profile::check(&input).map_err(|errors| {
        let first = errors.into_iter().next().expect("a refusal names a field");
        AppError::invalid(&first.path(), first.error)
    })?;
    Ok(NewProfile::from_checked(Some(external_id), checked, e.remote, e.accepts_consultations))
}

/// The caller as a profile editor of `profile`.
pub fn editor<'a>(account: &'a tukiverkko_store::accounts::Account, profile: Option<&ProfileRow>) -> Editor<'a> {
    Editor {
        roles: &account.roles,
        centre: account.centre,
        owns_profile: profile.is_some_and(|p| p.user_id.as_deref() == Some(account.id.as_str())),
    }
}

/// Whether the caller may write a profile held by `current` (`None`: a new
/// one) into `new_centre`: the placement rule of the API and the import.
pub fn may_place(
    account: &tukiverkko_store::accounts::Account,
    current: Option<&ProfileRow>,
    new_centre: &str,
) -> bool {
    let Ok(to) = new_centre.parse() else { return false };
    match current {
        None => editor(account, None).may_write(None, to),
        Some(c) => c.centre.parse().is_ok_and(|from| editor(account, Some(c)).may_write(Some(from), to)),
    }
}

/// Whether the caller may edit this profile: their own, or their centre's as coordinator, or any as admin.
pub fn may_edit(account: &tukiverkko_store::accounts::Account, profile: &ProfileRow) -> bool {
    profile.centre.parse().is_ok_and(|centre| editor(account, Some(profile)).may_edit(centre))
}

/// Edit a profile: the expert their own, a coordinator their centre's. The previous version goes to the history.
#[utoipa::path(put, path = "/api/v1/experts/{id}", params(("id" = String, Path)), request_body = ProfileEdit, security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 403, description = "not yours to edit"), (status = 409, description = "edited meanwhile")))]
pub async fn update(
    State(state): State<AppState>,
    granted: Require<cap::EditProfiles>,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProfileEdit>,
) -> Result<Json<Profile>, AppError> {
    let account = granted.account();
    let current = experts::find(&state.db, &id).await?;
    let refused = |why: &str| {
        AuditEvent::new(AuditAction::ExpertUpdated)
            .by(&client.actor(account))
            .object("expert", &id)
            .purpose(Some(why))
            .outcome("denied")
    };
    if !may_edit(account, &current) {
        audit::record_refusal(&state.db, refused("not the caller's profile or centre")).await?;
        return Err(AppError::Forbidden);
    }
    let version = body.version;
    let new = parse_edit(body, current.external_id.clone())?;
    // Only an admin moves a profile between centres; the import keeps the same rule.
    if !may_place(account, Some(&current), &new.centre) {
        audit::record_refusal(&state.db, refused(&format!("move to the {} centre", new.centre))).await?;
        return Err(AppError::Forbidden);
    }
    let row = experts::update(&state.db, &id, version, &new, &client.actor(account)).await?;
    state.directory.apply(&state.db).await?;
    Ok(Json(row.into()))
}
