//! Practitioner and PractitionerRole from the expert directory: the
//! person (name, languages as `communication`) and their role in the
//! network (centre, sector and title, topics as `specialty`, contacts,
//! whether they take consultations now). Both have the profile's id, so
//! a client goes from one to the other without a search.

use axum::extract::{Path, RawQuery, State};
use serde_json::{Value, json};
use tukiverkko_store::experts::{self, ProfileRow};

use super::metadata::own_params;
use super::systems::{EMPLOYER_EXTENSION, EXPERT_EXTERNAL_ID, LANGUAGE, SECTOR, TOPIC};
use super::{
    Base, Fhir, Search, centre_id, centre_reference, coding, meta, reference_matches, searchset, split, string_matches,
    taxonomy_concept, token_matches,
};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::state::AppState;

/// Languages as BCP 47 codes with their names in Finnish, for display.
fn language_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "fi" => "suomi",
        "sv" => "ruotsi",
        "en" => "englanti",
        "se" => "pohjoissaame",
        "ru" => "venäjä",
        "et" => "viro",
        "ar" => "arabia",
        "so" => "somali",
        "fa" => "persia",
        "uk" => "ukraina",
        "fit" => "meänkieli",
        _ => return None,
    })
}

fn practitioner(p: &ProfileRow) -> Value {
    let mut name = json!({"use": "official", "text": p.name(), "family": p.family_name});
    if !p.given_name.is_empty() {
        name["given"] = json!(p.given_name.split_whitespace().collect::<Vec<_>>());
    }
    let communication: Vec<Value> = split(&p.languages)
        .iter()
        .map(|l| json!({"coding": [coding(LANGUAGE, l, language_name(l))], "text": language_name(l).unwrap_or(l)}))
        .collect();
    let mut r = json!({
        "resourceType": "Practitioner",
        "id": p.id,
        "meta": meta(p.updated_at, Some(p.version)),
        // The directory's stable key (the CSV's external_id). The Valvira
        // register number (JulkiTerhikki/JulkiSuosikki) is not held by
        // tukiverkko, so no `urn:oid:1.2.246.537.26` identifier is given.
        "identifier": [{"use": "secondary", "system": EXPERT_EXTERNAL_ID, "value": p.external_id}],
        "active": true,
        "name": [name],
    });
    if !communication.is_empty() {
        r["communication"] = json!(communication);
    }
    r
}

fn role(p: &ProfileRow, open: i64) -> Value {
    let mut code = json!({"coding": [coding(SECTOR, &p.sector, label(&p.sector))]});
    if !p.title.is_empty() {
        code["text"] = json!(p.title);
    }
    let specialty: Vec<Value> = split(&p.topics).iter().map(|t| taxonomy_concept(TOPIC, t)).collect();
    let mut telecom = Vec::new();
    if !p.email.is_empty() {
        telecom.push(json!({"system": "email", "value": p.email, "use": "work"}));
    }
    if !p.phone.is_empty() {
        telecom.push(json!({"system": "phone", "value": p.phone, "use": "work"}));
    }
    let mut r = json!({
        "resourceType": "PractitionerRole",
        "id": p.id,
        "meta": meta(p.updated_at, Some(p.version)),
        "active": true,
        "practitioner": {"reference": format!("Practitioner/{}", p.id), "display": p.name()},
        "organization": centre_reference(&p.centre),
        "code": [code],
    });
    if !specialty.is_empty() {
        r["specialty"] = json!(specialty);
    }
    if !telecom.is_empty() {
        r["telecom"] = json!(telecom);
    }
    // The employer is free text in the directory, not an Organization of
    // its own: an extension keeps it without inventing a reference.
    if !p.organization.is_empty() {
        r["extension"] = json!([{"url": EMPLOYER_EXTENSION, "valueString": p.organization}]);
    }
    let remote = if p.remote { " Etäkonsultaatiot mahdollisia." } else { "" };
    if p.accepts_consultations {
        r["availabilityExceptions"] =
            json!(format!("Ottaa vastaan konsultaatioita: avoimia {open}, enintään {}.{remote}", p.capacity));
    } else {
        r["notAvailable"] = json!([{"description": "Ei ota vastaan konsultaatioita tällä hetkellä."}]);
    }
    r
}

fn label(code: &str) -> Option<&'static str> {
    tukiverkko_domain::reference::taxonomy_entry(code).map(|e| e.label_fi.as_str())
}

/// The profile's own search parameters: `name`, `specialty` (topic code),
/// `organization` (the centre), `practitioner` (roles only).
fn profile_matches(search: &Search, p: &ProfileRow) -> bool {
    let topics = split(&p.topics);
    search.each("name", |v| string_matches(v, &p.name()))
        && search.each("specialty", |v| topics.iter().any(|t| token_matches(v, TOPIC, t)))
        && search.each("organization", |v| reference_matches(v, "Organization", &centre_id(&p.centre)))
        && search.each("practitioner", |v| reference_matches(v, "Practitioner", &p.id))
}

async fn profiles(state: &AppState, search: &Search) -> Result<Vec<ProfileRow>, AppError> {
    let all = match search.single_id() {
        // A read by id is common (following a reference): one row, not the directory.
        Some(id) => match experts::find(&state.db, id).await {
            Ok(p) => vec![p],
            Err(tukiverkko_store::StoreError::NotFound) => vec![],
            Err(e) => return Err(e.into()),
        },
        None => experts::list_all(&state.db).await?,
    };
    Ok(all.into_iter().filter(|p| profile_matches(search, p)).collect())
}

pub async fn search_practitioners(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("Practitioner"))?;
    let found = profiles(&state, &search).await?.iter().map(|p| (Some(p.updated_at), practitioner(p))).collect();
    Ok(searchset(&base, "Practitioner", &search, found))
}

pub async fn read_practitioner(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    Ok(Fhir(practitioner(&experts::find(&state.db, &id).await?)))
}

pub async fn search_roles(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("PractitionerRole"))?;
    let load = experts::open_load(&state.db).await?;
    let found = profiles(&state, &search)
        .await?
        .iter()
        .map(|p| (Some(p.updated_at), role(p, load.get(&p.id).copied().unwrap_or(0))))
        .collect();
    Ok(searchset(&base, "PractitionerRole", &search, found))
}

pub async fn read_role(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    let p = experts::find(&state.db, &id).await?;
    let load = experts::open_load(&state.db).await?;
    Ok(Fhir(role(&p, load.get(&p.id).copied().unwrap_or(0))))
}
