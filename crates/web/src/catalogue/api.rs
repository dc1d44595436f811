//! The centres with their national specialisations, and the service
//! catalogue, over the API. Reading is public; a coordinator edits their
//! own centre's part only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tukiverkko_domain::catalogue::{Names, response_days};
use tukiverkko_domain::consultation::{Format, ServiceLevels};
use tukiverkko_domain::reference::TaxonomyKind;
use tukiverkko_domain::text::{Lines, limits};
use tukiverkko_domain::{CentreCode, TaxonomyCode, ValueError, reference};
use tukiverkko_store::catalogue::{self, NewService, ServiceRow};
use tukiverkko_store::experts::split;
use utoipa::{IntoParams, ToSchema};

use super::{DESCRIPTION_MAX, NAME_MAX, NamesInput, centre_or_own, line, names, paging};
use crate::auth::{Require, cap};
use crate::consultations::api::topic_codes;
use crate::consultations::free_text;
use crate::error::AppError;
use crate::extract::{ApiJson, QueryParams};
use crate::ops::ClientInfo;
use crate::state::AppState;

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct SpecialisationView {
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CentreView {
    pub code: String,
    #[schema(value_type = Object)]
    pub name: Names,
    pub host: String,
    /// The counties of the centre's collaborative area.
    pub counties: Vec<String>,
    pub specialisations: Vec<SpecialisationView>,
}

#[derive(Serialize, ToSchema)]
pub struct CentreList {
    items: Vec<CentreView>,
    total: usize,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

pub async fn centre_views(state: &AppState) -> Result<Vec<CentreView>, AppError> {
    let specialisations = catalogue::specialisations(&state.db).await?;
    Ok(reference::centres()
        .iter()
        .map(|c| CentreView {
            code: c.code.as_str().into(),
            name: Names { fi: c.name_fi.clone(), sv: c.name_sv.clone(), en: c.name_en.clone() },
            host: c.host.clone(),
            counties: reference::counties().iter().filter(|k| k.centre == c.code).map(|k| k.code.to_string()).collect(),
            specialisations: specialisations
                .iter()
                .filter(|s| s.centre == c.code.as_str())
                .map(|s| SpecialisationView {
                    topic: s.topic.clone(),
                    description: Some(s.description.clone()).filter(|d| !d.is_empty()),
                })
                .collect(),
        })
        .collect())
}

/// The five centres with their national specialisations (public).
#[utoipa::path(get, path = "/api/v1/centres", params(Paging), responses((status = 200, body = CentreList)))]
pub async fn centres(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<Paging>,
) -> Result<Json<CentreList>, AppError> {
    let (limit, offset) = paging(q.limit, q.offset)?;
    let all = centre_views(&state).await?;
    let total = all.len();
    Ok(Json(CentreList { items: all.into_iter().skip(offset).take(limit).collect(), total }))
}

#[derive(Deserialize, ToSchema)]
pub struct SpecialisationsInput {
    items: Vec<SpecialisationView>,
}

/// Replace the centre's national specialisations (that centre's coordinators).
#[utoipa::path(put, path = "/api/v1/centres/{code}/specialisations", params(("code" = String, Path)),
    request_body = SpecialisationsInput, security(("bearer" = [])),
    responses((status = 200, body = CentreView), (status = 403, description = "not this centre's coordinator")))]
pub async fn set_specialisations(
    State(state): State<AppState>,
    granted: Require<cap::ManageServices>,
    client: ClientInfo,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<SpecialisationsInput>,
) -> Result<Json<CentreView>, AppError> {
    let centre: CentreCode = code.parse().map_err(|_| AppError::NotFound)?;
    if body.items.len() > 50 {
        return Err(AppError::invalid("items", ValueError::new("out_of_range", "at most 50 specialisations")));
    }
    let mut items: Vec<(String, String)> = Vec::new();
    for (i, s) in body.items.iter().enumerate() {
        let field = format!("items[{i}].topic");
        let topic = TaxonomyCode::parse(s.topic.trim(), TaxonomyKind::Topic)
            .map_err(|e| AppError::invalid(&field, e))?
            .as_str()
            .to_string();
        if items.iter().any(|(t, _)| *t == topic) {
            return Err(AppError::invalid(&format!("items[{i}].topic"), ValueError::new("duplicate", "listed twice")));
        }
        let description =
            line(&format!("items[{i}].description"), s.description.as_deref().unwrap_or(""), limits::SHORT)?;
        items.push((topic, description));
    }
    let by = client.actor(granted.account());
    catalogue::set_specialisations(&state.db, granted.account(), &by, centre.as_str(), &items).await?;
    let view = centre_views(&state).await?.into_iter().find(|c| c.code == centre.as_str()).ok_or(AppError::NotFound)?;
    Ok(Json(view))
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
pub struct ResponseDays {
    pub urgent: i64,
    pub normal: i64,
    pub planned: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ServiceView {
    pub id: String,
    pub centre: String,
    #[schema(value_type = Object)]
    pub name: Names,
    #[schema(value_type = Object)]
    pub description: Names,
    pub topics: Vec<String>,
    pub formats: Vec<String>,
    /// Target response time per urgency, in working days.
    pub response_days: ResponseDays,
    /// The team that answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub team_name: Option<Names>,
    pub target_group: String,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub how_to_ask: String,
    pub contact_email: String,
    pub updated_at: i64,
}

impl ServiceView {
    pub fn of(s: ServiceRow) -> Self {
        Self {
            name: s.name().filled(),
            description: s.description().filled(),
            team_name: s.team_name().map(|n| n.filled()),
            topics: split(&s.topics),
            formats: split(&s.formats),
            response_days: ResponseDays { urgent: s.urgent_days, normal: s.normal_days, planned: s.planned_days },
            id: s.id,
            centre: s.centre,
            team: s.team_id,
            target_group: s.target_group,
            age_min: s.age_min,
            age_max: s.age_max,
            how_to_ask: s.how_to_ask,
            contact_email: s.contact_email,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ServiceList {
    items: Vec<ServiceView>,
    total: usize,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    pub centre: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The public catalogue of consultation services, optionally of one centre.
#[utoipa::path(get, path = "/api/v1/services", params(ServiceQuery), responses((status = 200, body = ServiceList)))]
pub async fn services(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<ServiceQuery>,
) -> Result<Json<ServiceList>, AppError> {
    let (limit, offset) = paging(q.limit, q.offset)?;
    let centre = match q.centre.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(c.parse::<CentreCode>().map_err(|e| AppError::invalid("centre", e))?),
        None => None,
    };
    let rows = catalogue::services(&state.db, centre.map(|c| c.as_str())).await?;
    let total = rows.len();
    Ok(Json(ServiceList { items: rows.into_iter().skip(offset).take(limit).map(ServiceView::of).collect(), total }))
}

/// One service of the catalogue (public).
#[utoipa::path(get, path = "/api/v1/services/{id}", params(("id" = String, Path)),
    responses((status = 200, body = ServiceView), (status = 404, description = "no such service")))]
pub async fn service(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ServiceView>, AppError> {
    Ok(Json(ServiceView::of(catalogue::service(&state.db, &id).await?)))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ServiceInput {
    /// Defaults to the coordinator's own centre.
    #[serde(default)]
    pub centre: Option<String>,
    pub name: NamesInput,
    pub description: NamesInput,
    pub topics: Vec<String>,
    pub formats: Vec<String>,
    #[serde(default)]
    pub response_days: Option<ResponseDays>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub target_group: String,
    #[serde(default)]
    pub age_min: Option<i64>,
    #[serde(default)]
    pub age_max: Option<i64>,
    #[serde(default)]
    pub how_to_ask: String,
    #[serde(default)]
    pub contact_email: String,
}

/// A service as entered: names and texts guarded, at least one topic and
/// format, ages 0–25 in order, response days in range and order.
pub fn check_service(input: &ServiceInput, own: Option<CentreCode>) -> Result<NewService, AppError> {
    let invalid = |field: &str, code: &'static str, msg: &str| AppError::invalid(field, ValueError::new(code, msg));
    let topics = topic_codes("topics", &input.topics)?;
    if topics.is_empty() {
        return Err(invalid("topics", "required", "choose at least one topic"));
    }
    let mut formats = Vec::new();
    for (i, f) in input.formats.iter().enumerate() {
        let f: Format = f.trim().parse().map_err(|e| AppError::invalid(&format!("formats[{i}]"), e))?;
        if !formats.contains(&f.as_str().to_string()) {
            formats.push(f.as_str().to_string());
        }
    }
    if formats.is_empty() {
        return Err(invalid("formats", "required", "offer at least one format"));
    }
    for (field, age) in [("age_min", input.age_min), ("age_max", input.age_max)] {
        if age.is_some_and(|a| !(0..=25).contains(&a)) {
            return Err(invalid(field, "out_of_range", "ages are 0–25"));
        }
    }
    if let (Some(min), Some(max)) = (input.age_min, input.age_max)
        && min > max
    {
        return Err(invalid("age_max", "out_of_order", "age_max must not be below age_min"));
    }
    let levels = match input.response_days {
        Some(d) => response_days(d.urgent, d.normal, d.planned).map_err(|(f, e)| AppError::invalid(f, e))?,
        None => ServiceLevels::default(),
    };
    let contact_email = match input.contact_email.trim() {
        "" => String::new(),
        e => e.parse::<tukiverkko_domain::Email>().map_err(|e| AppError::invalid("contact_email", e))?.to_string(),
    };
    Ok(NewService {
        centre: centre_or_own("centre", input.centre.as_deref(), own)?,
        name: names("name", &input.name, NAME_MAX, Lines::One)?,
        description: names("description", &input.description, DESCRIPTION_MAX, Lines::Many)?,
        topics,
        formats,
        target_group: line("target_group", &input.target_group, NAME_MAX)?,
        age_min: input.age_min,
        age_max: input.age_max,
        levels,
        team: input.team.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from),
        how_to_ask: free_text("how_to_ask", &input.how_to_ask, DESCRIPTION_MAX)?,
        contact_email,
    })
}

fn store_error(e: tukiverkko_store::StoreError) -> AppError {
    match e {
        tukiverkko_store::StoreError::Invalid(v) if v.code == "unknown_team" => AppError::invalid("team", v),
        tukiverkko_store::StoreError::Invalid(v) if v.code == "centre_changed" => AppError::invalid("centre", v),
        other => other.into(),
    }
}

/// Add a service to the coordinator's centre.
#[utoipa::path(post, path = "/api/v1/services", request_body = ServiceInput, security(("bearer" = [])),
    responses((status = 201, body = ServiceView), (status = 403, description = "another centre's catalogue"),
        (status = 422, description = "invalid field")))]
pub async fn create_service(
    State(state): State<AppState>,
    granted: Require<cap::ManageServices>,
    client: ClientInfo,
    ApiJson(body): ApiJson<ServiceInput>,
) -> Result<(StatusCode, Json<ServiceView>), AppError> {
    let new = check_service(&body, granted.account().centre)?;
    let by = client.actor(granted.account());
    let row = catalogue::create_service(&state.db, granted.account(), &by, &new).await.map_err(store_error)?;
    Ok((StatusCode::CREATED, Json(ServiceView::of(row))))
}

/// Rewrite a service of the coordinator's centre (the same fields as creating one).
#[utoipa::path(put, path = "/api/v1/services/{id}", params(("id" = String, Path)), request_body = ServiceInput,
    security(("bearer" = [])), responses((status = 200, body = ServiceView), (status = 403, description = "another centre's service"),
        (status = 404, description = "no such service")))]
pub async fn update_service(
    State(state): State<AppState>,
    granted: Require<cap::ManageServices>,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ServiceInput>,
) -> Result<Json<ServiceView>, AppError> {
    let current = catalogue::service(&state.db, &id).await?;
    catalogue::check_coordinator_of(granted.account(), &current.centre)?;
    let current_centre = current.centre.parse().ok();
    let new = check_service(&body, current_centre)?;
    let by = client.actor(granted.account());
    let row = catalogue::update_service(&state.db, granted.account(), &by, &id, &new).await.map_err(store_error)?;
    Ok(Json(ServiceView::of(row)))
}
