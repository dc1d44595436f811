//! Organization (the five centres and the requesters' organisations),
//! HealthcareService (the centres' consultation services) and CareTeam
//! (teams with their members from the directory).

use axum::extract::{Path, RawQuery, State};
use serde_json::{Value, json};
use tukiverkko_domain::reference;
use tukiverkko_store::catalogue::{self, ServiceRow};
use tukiverkko_store::organizations::{self, OrganizationRow};
use tukiverkko_store::teams::{self, Team};

use super::metadata::own_params;
use super::systems::{CENTRE, FORMAT, SECTOR, TEAM_KIND, TOPIC};
use super::{
    Base, Fhir, Search, centre_id, centre_reference, coding, meta, reference_matches, searchset, split, string_matches,
    taxonomy_concept, token_matches,
};
use crate::auth::{Granted, Require, cap};
use crate::error::AppError;
use crate::state::AppState;

const ORGANIZATION_TYPE: &str = "http://terminology.hl7.org/CodeSystem/organization-type";

/// A centre: the type `prov` (healthcare provider) and its code. The
/// Finnish base profiles identify organisations by business ID (Y-tunnus,
/// `urn:oid:1.2.246.10`) or SOTE organisation register OID; the reference
/// data holds neither for the centres, so their identifiers are
/// tukiverkko's centre code and the HSDS id harvesters already know.
fn centre(c: &reference::Centre) -> Value {
    let code = c.code.as_str();
    json!({
        "resourceType": "Organization",
        "id": centre_id(code),
        "identifier": [
            {"system": CENTRE, "value": code},
            {"system": "urn:ietf:rfc:3986", "value": format!("urn:uuid:{}", crate::catalogue::hsds::centre_id(code))},
        ],
        "active": true,
        "type": [{"coding": [coding(ORGANIZATION_TYPE, "prov", Some("Healthcare Provider"))],
                  "text": "Lasten, nuorten ja perheiden osaamis- ja tukikeskus"}],
        "name": c.name_fi,
        "alias": [c.name_sv.clone(), c.name_en.clone()],
    })
}

fn organization(o: &OrganizationRow) -> Value {
    let county = reference::county(&o.county).map(|c| c.name_fi.as_str()).unwrap_or(&o.county);
    json!({
        "resourceType": "Organization",
        "id": o.id,
        "active": true,
        "type": [taxonomy_concept(SECTOR, &o.sector)],
        "name": o.name,
        // The wellbeing county the organisation works in.
        "address": [{"district": county, "country": "FI"}],
    })
}

async fn all_organizations(state: &AppState) -> Result<Vec<Value>, AppError> {
    let mut all: Vec<Value> = reference::centres().iter().map(centre).collect();
    all.extend(organizations::list(&state.db).await?.iter().map(organization));
    Ok(all)
}

fn organization_matches(search: &Search, r: &Value) -> bool {
    let name = r["name"].as_str().unwrap_or_default();
    let aliases: Vec<&str> =
        r["alias"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let types: Vec<(&str, &str)> = r["type"][0]["coding"]
        .as_array()
        .map(|cs| cs.iter().map(|c| (c["system"].as_str().unwrap_or(""), c["code"].as_str().unwrap_or(""))).collect())
        .unwrap_or_default();
    search.each("name", |v| string_matches(v, name) || aliases.iter().any(|a| string_matches(v, a)))
        && search.each("type", |v| types.iter().any(|(s, c)| token_matches(v, s, c)))
}

pub async fn search_organizations(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("Organization"))?;
    let found =
        all_organizations(&state).await?.into_iter().filter(|r| organization_matches(&search, r)).map(|r| (None, r));
    Ok(searchset(&base, "Organization", &search, found.collect()))
}

pub async fn read_organization(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    let found = all_organizations(&state).await?.into_iter().find(|r| r["id"] == id.as_str());
    found.map(Fhir).ok_or(AppError::NotFound)
}

fn service(s: &ServiceRow) -> Value {
    let levels = s.levels();
    let mut r = json!({
        "resourceType": "HealthcareService",
        "id": s.id,
        "meta": meta(s.updated_at, None),
        "active": true,
        "providedBy": centre_reference(&s.centre),
        "category": [{"coding": [coding(super::systems::SNOMED, "11429006", Some("Consultation"))], "text": "Konsultaatio"}],
        "name": s.name_fi,
        "comment": s.description_fi,
        "characteristic": split(&s.formats)
            .iter()
            .map(|f| json!({"coding": [coding(FORMAT, f, Some(super::format_label(f)))], "text": super::format_label(f)}))
            .collect::<Vec<_>>(),
        "referralMethod": [{"coding": [coding("http://terminology.hl7.org/CodeSystem/service-referral-method", "elec", Some("Secure Messaging"))]}],
        "availabilityExceptions": format!(
            "Tavoiteltu vastausaika työpäivinä: kiireellinen {}, tavallinen {}, suunniteltu {}.",
            levels.urgent, levels.normal, levels.planned
        ),
    });
    let specialty: Vec<Value> = split(&s.topics).iter().map(|t| taxonomy_concept(TOPIC, t)).collect();
    if !specialty.is_empty() {
        r["specialty"] = json!(specialty);
    }
    if !s.how_to_ask.is_empty() {
        r["extraDetails"] = json!(s.how_to_ask);
    }
    if !s.contact_email.is_empty() {
        r["telecom"] = json!([{"system": "email", "value": s.contact_email, "use": "work"}]);
    }
    let ages = match (s.age_min, s.age_max) {
        (Some(a), Some(b)) => format!(" Ikä {a}–{b} v."),
        (Some(a), None) => format!(" Ikä vähintään {a} v."),
        (None, Some(b)) => format!(" Ikä enintään {b} v."),
        (None, None) => String::new(),
    };
    if !s.target_group.is_empty() || !ages.is_empty() {
        r["eligibility"] = json!([{"comment": format!("{}{ages}", s.target_group).trim()}]);
    }
    r
}

fn service_matches(search: &Search, s: &ServiceRow) -> bool {
    let topics = split(&s.topics);
    search.each("name", |v| {
        string_matches(v, &s.name_fi) || string_matches(v, &s.name_sv) || string_matches(v, &s.name_en)
    }) && search.each("organization", |v| reference_matches(v, "Organization", &centre_id(&s.centre)))
        && search.each("specialty", |v| topics.iter().any(|t| token_matches(v, TOPIC, t)))
}

pub async fn search_services(
    State(state): State<AppState>,
    _granted: Granted,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("HealthcareService"))?;
    let found = catalogue::services(&state.db, None)
        .await?
        .iter()
        .filter(|s| service_matches(&search, s))
        .map(|s| (Some(s.updated_at), service(s)))
        .collect();
    Ok(searchset(&base, "HealthcareService", &search, found))
}

pub async fn read_service(
    State(state): State<AppState>,
    _granted: Granted,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    Ok(Fhir(service(&catalogue::service(&state.db, &id).await?)))
}

fn care_team(t: &Team) -> Value {
    let row = &t.team;
    let participant: Vec<Value> = t
        .members
        .iter()
        .map(|m| {
            let role = if m.is_lead { "vetäjä" } else { "jäsen" };
            json!({"role": [{"text": role}], "member": {"reference": format!("Practitioner/{}", m.expert_id), "display": m.name}})
        })
        .collect();
    let mut r = json!({
        "resourceType": "CareTeam",
        "id": row.id,
        "meta": meta(row.updated_at, None),
        "status": "active",
        "category": [{"coding": [coding(TEAM_KIND, &row.kind, None)], "text": row.kind}],
        "name": row.name_fi,
        "managingOrganization": [centre_reference(&row.centre)],
    });
    let reasons: Vec<Value> = split(&row.topics).iter().map(|c| taxonomy_concept(TOPIC, c)).collect();
    if !reasons.is_empty() {
        r["reasonCode"] = json!(reasons);
    }
    if !participant.is_empty() {
        r["participant"] = json!(participant);
    }
    let mut notes = Vec::new();
    if !row.contact.is_empty() {
        notes.push(json!({"text": row.contact}));
    }
    if !row.accepts_consultations {
        notes.push(json!({"text": "Ei ota vastaan konsultaatioita tällä hetkellä."}));
    }
    if !notes.is_empty() {
        r["note"] = json!(notes);
    }
    r
}

fn team_matches(search: &Search, t: &Team) -> bool {
    let row = &t.team;
    search.each("name", |v| [&row.name_fi, &row.name_sv, &row.name_en].iter().any(|n| string_matches(v, n)))
        && search.each("organization", |v| reference_matches(v, "Organization", &centre_id(&row.centre)))
        && search.each("category", |v| token_matches(v, TEAM_KIND, &row.kind))
}

pub async fn search_teams(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("CareTeam"))?;
    let found = teams::all(&state.db)
        .await?
        .iter()
        .filter(|t| team_matches(&search, t))
        .map(|t| (Some(t.team.updated_at), care_team(t)))
        .collect();
    Ok(searchset(&base, "CareTeam", &search, found))
}

pub async fn read_team(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    Ok(Fhir(care_team(&teams::get(&state.db, &id).await?)))
}
