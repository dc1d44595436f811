//! The catalogue as Open Referral HSDS 3.0, for national service
//! directories to harvest: the five centres as organisations, their
//! services with contacts, languages and service areas (the counties of
//! the centre's collaborative area). HSDS has one `name` per record: it is
//! the Finnish one, and the Swedish goes in `alternate_name`. HSDS wants
//! UUIDs for every record, so the centres have fixed ones and the parts of
//! a service (language, area, contact) take ids derived from the service's.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tukiverkko_domain::reference::{self, Centre};
use tukiverkko_store::catalogue::{self, ServiceRow};
use uuid::Uuid;

use crate::error::AppError;
use crate::extract::QueryParams;
use crate::state::AppState;

/// The organisation id of each centre: fixed, so harvesters keep them.
const CENTRE_IDS: &[(&str, &str)] = &[
    ("helsinki", "0f3c7a10-5e1d-4c2b-9a01-000000000001"),
    ("turku", "0f3c7a10-5e1d-4c2b-9a01-000000000002"),
    ("tampere", "0f3c7a10-5e1d-4c2b-9a01-000000000003"),
    ("kuopio", "0f3c7a10-5e1d-4c2b-9a01-000000000004"),
    ("oulu", "0f3c7a10-5e1d-4c2b-9a01-000000000005"),
];

pub(crate) fn centre_id(code: &str) -> &'static str {
    CENTRE_IDS.iter().find(|(c, _)| *c == code).map(|(_, id)| *id).unwrap_or(CENTRE_IDS[0].1)
}

/// A part of a service: the service's id with its low bits changed by the
/// kind of part and its position, so it stays the same between harvests.
fn part_id(service: &str, kind: u8, index: usize) -> String {
    let base = Uuid::parse_str(service).map(|u| u.as_u128()).unwrap_or_default();
    Uuid::from_u128(base ^ (((kind as u128) << 16) | (index as u128 + 1))).to_string()
}

fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

fn organization(c: &Centre) -> Value {
    json!({
        "id": centre_id(c.code.as_str()),
        "name": c.name_fi,
        "alternate_name": c.name_sv,
        "description": format!("Lasten, nuorten ja perheiden osaamis- ja tukikeskus (OT-keskus), isäntänä {}. {}", c.host, c.name_en),
    })
}

fn centre_of(s: &ServiceRow) -> &'static Centre {
    let code = s.centre.parse().unwrap_or(tukiverkko_domain::CentreCode::Helsinki);
    reference::centre(code)
}

/// The one-to-one fields of a service (the list shape).
fn service_list_item(s: &ServiceRow) -> Value {
    let mut v = json!({
        "id": s.id,
        "organization_id": centre_id(&s.centre),
        "name": s.name_fi,
        "description": s.description_fi,
        "status": "active",
        "wait_time": format!(
            "Tavoiteltu vastausaika: kiireellinen {} työpäivää, tavallinen {}, suunniteltu {}.",
            s.urgent_days, s.normal_days, s.planned_days
        ),
        "last_modified": rfc3339(s.updated_at),
        "organization": organization(centre_of(s)),
    });
    let obj = v.as_object_mut().expect("an object");
    let mut put = |k: &str, val: Value| {
        obj.insert(k.into(), val);
    };
    if !s.name_sv.is_empty() {
        put("alternate_name", json!(s.name_sv));
    }
    if !s.contact_email.is_empty() {
        put("email", json!(s.contact_email));
    }
    if !s.how_to_ask.is_empty() {
        put("application_process", json!(s.how_to_ask));
    }
    if !s.target_group.is_empty() {
        put("eligibility_description", json!(s.target_group));
    }
    if let Some(a) = s.age_min {
        put("minimum_age", json!(a));
    }
    if let Some(a) = s.age_max {
        put("maximum_age", json!(a));
    }
    v
}

/// The whole service: with its languages, service areas and contact.
fn full_service(s: &ServiceRow) -> Value {
    let mut v = service_list_item(s);
    let mut languages = vec![json!({"id": part_id(&s.id, 1, 0), "service_id": s.id, "name": "suomi", "code": "fi"})];
    if !s.name_sv.is_empty() {
        languages.push(json!({"id": part_id(&s.id, 1, 1), "service_id": s.id, "name": "svenska", "code": "sv"}));
    }
    let code = centre_of(s).code;
    let areas: Vec<Value> = reference::counties()
        .iter()
        .filter(|c| c.centre == code)
        .enumerate()
        .map(|(i, c)| {
            json!({"id": part_id(&s.id, 2, i), "service_id": s.id, "name": c.name_fi, "description": c.name_sv,
                "extent_type": "wellbeing_services_county", "uri": format!("urn:tukiverkko:county:{}", c.code)})
        })
        .collect();
    let mut contacts = Vec::new();
    if !s.contact_email.is_empty() {
        let name = s.team_name_fi.clone().unwrap_or_else(|| "Konsultaatiopyynnöt".into());
        contacts.push(json!({"id": part_id(&s.id, 3, 0), "service_id": s.id, "name": name, "email": s.contact_email}));
    }
    let obj = v.as_object_mut().expect("an object");
    obj.insert("languages".into(), json!(languages));
    obj.insert("service_areas".into(), json!(areas));
    obj.insert("contacts".into(), json!(contacts));
    v
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub organization_id: Option<String>,
}

/// An HSDS page object around `contents`.
fn page(all: Vec<Value>, q: &PageQuery) -> Result<Value, AppError> {
    let per_page = q.per_page.unwrap_or(50);
    if !(1..=100).contains(&per_page) {
        return Err(AppError::invalid(
            "per_page",
            tukiverkko_domain::ValueError::new("out_of_range", "per_page must be 1–100"),
        ));
    }
    let page = q.page.unwrap_or(1);
    if page < 1 {
        return Err(AppError::invalid(
            "page",
            tukiverkko_domain::ValueError::new("out_of_range", "pages count from 1"),
        ));
    }
    let total = all.len() as i64;
    let total_pages = ((total + per_page - 1) / per_page).max(1);
    let contents: Vec<Value> = all.into_iter().skip(((page - 1) * per_page) as usize).take(per_page as usize).collect();
    Ok(json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": contents.len(),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    }))
}

/// Services in the HSDS list shape (one-to-one fields and the organisation).
pub async fn services(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<Value>, AppError> {
    let rows = catalogue::services(&state.db, None).await?;
    let wanted = q.organization_id.as_deref().filter(|o| !o.is_empty());
    let items =
        rows.iter().filter(|s| wanted.is_none_or(|o| centre_id(&s.centre) == o)).map(service_list_item).collect();
    Ok(Json(page(items, &q)?))
}

/// One service with everything HSDS relates to it.
pub async fn service(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, AppError> {
    Ok(Json(full_service(&catalogue::service(&state.db, &id).await?)))
}

/// The five centres as organisations.
pub async fn organizations(QueryParams(q): QueryParams<PageQuery>) -> Result<Json<Value>, AppError> {
    Ok(Json(page(reference::centres().iter().map(organization).collect(), &q)?))
}
