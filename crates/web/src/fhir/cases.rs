//! Consultations in the referral pattern of FHIR implementation guides:
//! the request as a ServiceRequest, the centre's work on it as a Task
//! (`focus` the request, `owner` the centre, `output` the statement) and
//! the requester's close-out as a QuestionnaireResponse. All three have
//! the consultation's id. The client appears only as age and county, in a
//! contained Group: never a Patient, never anything that identifies.
//!
//! Every resource is built from `consultations::read`, the JSON API's
//! read: the same access rule (a case the caller takes no part in is 404)
//! and the same audit entry for every case opened. Searches filter on the
//! content-free index first, so only the cases of the page are opened.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};
use tukiverkko_store::StoreError;
use tukiverkko_store::consultations::{self, Actor, CaseDetail, ListFilter, index};

use super::feedback::questionnaire_response;
use super::metadata::own_params;
use super::systems::{CASE_STATUS, CLIENT_CHARACTERISTIC, CONSULTATION_REFERENCE, COUNTY, FORMAT, SNOMED, TOPIC};
use super::{Base, Fhir, Search, centre_id, centre_reference, coding, meta, reference_matches, split, token_matches};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::ops::ClientInfo;
use crate::state::AppState;

/// The request's status: draft, active while the centre works on it,
/// completed once answered, revoked when cancelled or declined.
pub fn request_status(case_status: &str) -> &'static str {
    match case_status {
        "draft" => "draft",
        "submitted" | "assigned" => "active",
        "answered" | "closed" => "completed",
        "cancelled" | "declined" => "revoked",
        _ => "unknown",
    }
}

/// The Task's status follows the case: submitted is `requested`, assigned
/// is `accepted` (triaged to a panel) until an expert accepts, then
/// `in-progress`; answered and closed are `completed`.
pub fn task_status(case_status: &str, expert_accepted: bool) -> &'static str {
    match case_status {
        "draft" => "draft",
        "submitted" => "requested",
        "assigned" if expert_accepted => "in-progress",
        "assigned" => "accepted",
        "answered" | "closed" => "completed",
        "cancelled" => "cancelled",
        "declined" => "rejected",
        _ => "requested",
    }
}

fn priority(urgency: &str) -> &'static str {
    match urgency {
        "urgent" => "urgent",
        _ => "routine",
    }
}

fn topics_concept(topics: &[String]) -> Value {
    let labels: Vec<&str> = topics
        .iter()
        .map(|t| tukiverkko_domain::reference::taxonomy_entry(t).map(|e| e.label_fi.as_str()).unwrap_or(t))
        .collect();
    let codings: Vec<Value> = topics.iter().zip(&labels).map(|(t, l)| coding(TOPIC, t, Some(l))).collect();
    json!({"coding": codings, "text": labels.join(", ")})
}

/// The client as a described, not enumerated, group of one: age, county
/// and the services in contact with them. Nothing else about the child
/// leaves tukiverkko.
fn client_group(d: &CaseDetail) -> Value {
    let c = &d.case;
    let county = tukiverkko_domain::reference::county(&c.client_county).map(|x| x.name_fi.as_str());
    let mut characteristic = vec![
        json!({"code": {"coding": [coding(CLIENT_CHARACTERISTIC, "age", Some("ikä"))]},
               "valueQuantity": {"value": c.client_age, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"},
               "exclude": false}),
        json!({"code": {"coding": [coding(CLIENT_CHARACTERISTIC, "county", Some("hyvinvointialue"))]},
               "valueCodeableConcept": {"coding": [coding(COUNTY, &c.client_county, county)]},
               "exclude": false}),
    ];
    for s in split(&c.client_services) {
        characteristic.push(json!({
            "code": {"coding": [coding(CLIENT_CHARACTERISTIC, "service", Some("palvelu asiakkuudessa"))]},
            "valueCodeableConcept": super::taxonomy_concept(TOPIC, &s),
            "exclude": false,
        }));
    }
    json!({"resourceType": "Group", "id": "client", "type": "person", "actual": false, "quantity": 1,
           "characteristic": characteristic})
}

fn requester(d: &CaseDetail) -> Value {
    let r = &d.requester;
    let display = match &r.organization {
        Some(o) if !r.name.is_empty() => format!("{}, {o}", r.name),
        _ => r.name.clone(),
    };
    json!({"type": "Practitioner", "display": display})
}

fn identifier(d: &CaseDetail) -> Value {
    json!([{"use": "official", "system": CONSULTATION_REFERENCE, "value": d.case.reference}])
}

pub fn service_request(d: &CaseDetail) -> Value {
    let c = &d.case;
    let client_text = format!(
        "{}-vuotias, {}",
        c.client_age,
        tukiverkko_domain::reference::county(&c.client_county).map(|x| x.name_fi.as_str()).unwrap_or(&c.client_county)
    );
    let mut r = json!({
        "resourceType": "ServiceRequest",
        "id": c.id,
        "meta": meta(c.updated_at, Some(c.version)),
        "contained": [client_group(d)],
        "identifier": identifier(d),
        "status": request_status(&c.status),
        "intent": "order",
        "category": [
            {"coding": [coding(SNOMED, "11429006", Some("Consultation"))], "text": "Konsultaatio"},
            {"coding": [coding(FORMAT, &c.format, Some(super::format_label(&c.format)))], "text": super::format_label(&c.format)},
        ],
        "priority": priority(&c.urgency),
        "code": topics_concept(&split(&c.topics)),
        "subject": {"reference": "#client", "display": client_text},
        "authoredOn": crate::labels::rfc3339(c.submitted_at.unwrap_or(c.created_at)),
        "requester": requester(d),
        "reasonCode": [{"text": c.question}],
    });
    let mut performer: Vec<Value> = d
        .experts
        .iter()
        .filter(|e| e.state != tukiverkko_domain::consultation::AssignmentState::Declined)
        .map(|e| json!({"reference": format!("Practitioner/{}", e.expert_id), "display": e.name}))
        .collect();
    performer
        .extend(d.teams.iter().map(|(id, name)| json!({"reference": format!("CareTeam/{id}"), "display": name.fi})));
    if !performer.is_empty() {
        r["performer"] = json!(performer);
    }
    let notes: Vec<Value> = [("", &c.background), ("Kokeiltu: ", &c.tried)]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(lead, text)| json!({"text": format!("{lead}{text}")}))
        .collect();
    if !notes.is_empty() {
        r["note"] = json!(notes);
    }
    if let Some(service) = &c.service_id {
        r["supportingInfo"] = json!([{"reference": format!("HealthcareService/{service}")}]);
    }
    r
}

pub fn task(d: &CaseDetail) -> Value {
    use tukiverkko_domain::consultation::AssignmentState;
    let c = &d.case;
    let accepted = d.experts.iter().any(|e| e.state == AssignmentState::Accepted);
    let mut r = json!({
        "resourceType": "Task",
        "id": c.id,
        "meta": meta(c.updated_at, Some(c.version)),
        "identifier": identifier(d),
        "status": task_status(&c.status, accepted),
        "businessStatus": {"coding": [coding(CASE_STATUS, &c.status, None)], "text": c.status},
        "intent": "order",
        "priority": priority(&c.urgency),
        "code": {"coding": [coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", Some("Fulfill the focal request"))]},
        "focus": {"reference": format!("ServiceRequest/{}", c.id)},
        "authoredOn": crate::labels::rfc3339(c.created_at),
        "lastModified": crate::labels::rfc3339(c.updated_at),
        "requester": requester(d),
        "owner": centre_reference(&c.centre),
    });
    if let Some(due) = &c.due_date {
        r["restriction"] = json!({"period": {"end": due}});
    }
    // Why a case was declined or cancelled: the note of the move that did it.
    if matches!(c.status.as_str(), "declined" | "cancelled")
        && let Some(note) = d.events.iter().rev().find(|e| e.to_status == c.status).and_then(|e| e.note.clone())
    {
        r["statusReason"] = json!({"text": note});
    }
    if let Some(s) = &d.statement {
        let text = |code: &str, label: &str, value: &str| {
            json!({"type": {"coding": [coding(super::systems::STATEMENT_PART, code, Some(label))], "text": label},
                   "valueString": value})
        };
        let mut output = vec![
            text("assessment", "arvio", &s.assessment),
            text("recommendations", "suositukset", &s.recommendations),
        ];
        for m in split(&s.suggested_methods) {
            output.push(json!({"type": {"coding": [coding(super::systems::STATEMENT_PART, "method", Some("ehdotettu menetelmä"))]},
                               "valueCodeableConcept": super::taxonomy_concept(super::systems::METHOD, &m)}));
        }
        if !s.follow_up.trim().is_empty() {
            output.push(text("follow-up", "jatko", &s.follow_up));
        }
        r["output"] = json!(output);
        r["executionPeriod"] = json!({"end": crate::labels::rfc3339(s.at)});
        if let Some(start) = c.submitted_at {
            r["executionPeriod"]["start"] = json!(crate::labels::rfc3339(start));
        }
    }
    r
}

async fn open(state: &AppState, actor: &Actor, id: &str) -> Result<CaseDetail, AppError> {
    Ok(consultations::read(&state.db, id, actor).await?)
}

/// The caller's cases that pass the search's filters on the index; `own`
/// applies the type's own parameters.
async fn candidates(
    state: &AppState,
    actor: &Actor,
    search: &Search,
    own: impl Fn(&index::Progress) -> bool,
) -> Result<Vec<index::Progress>, AppError> {
    let ids: Vec<String> = consultations::list(&state.db, actor, &ListFilter::default())
        .await?
        .into_iter()
        .map(|s| s.id)
        .filter(|id| search.single_id().is_none_or(|one| one == id))
        .collect();
    Ok(index::progress(&state.db, &ids)
        .await?
        .into_iter()
        .filter(|p| search.admits(&p.id, Some(p.updated_at)) && own(p))
        .collect())
}

/// Opens the page's cases and builds each resource. A case the caller may
/// list but not open now (a Barnahus panel member waiting for the
/// coordinator's decision) is left out of the page, as the JSON API
/// refuses it too.
async fn searchset(
    state: &AppState,
    actor: &Actor,
    base: &Base,
    kind: &str,
    search: &Search,
    found: Vec<index::Progress>,
    build: impl Fn(&CaseDetail) -> Option<Value>,
) -> Result<Fhir, AppError> {
    let total = found.len();
    let mut entries = Vec::new();
    for p in search.page(found) {
        match consultations::read(&state.db, &p.id, actor).await {
            Ok(d) => entries.extend(build(&d)),
            Err(StoreError::AwaitingBarnahus { .. } | StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Fhir(search.bundle(base, kind, total, entries)))
}

fn topics_match(search: &Search, p: &index::Progress) -> bool {
    let topics = split(&p.topics);
    search.each("code", |v| topics.iter().any(|t| token_matches(v, TOPIC, t)))
}

pub async fn search_requests(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("ServiceRequest"))?;
    let actor = crate::consultations::actor(&state, &granted, &client, &headers).await?;
    let found = candidates(&state, &actor, &search, |p| {
        search.each("status", |v| token_matches(v, "http://hl7.org/fhir/request-status", request_status(&p.status)))
            && search
                .each("priority", |v| token_matches(v, "http://hl7.org/fhir/request-priority", priority(&p.urgency)))
            && topics_match(&search, p)
    })
    .await?;
    searchset(&state, &actor, &base, "ServiceRequest", &search, found, |d| Some(service_request(d))).await
}

pub async fn read_request(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    let actor = crate::consultations::actor(&state, &granted, &client, &headers).await?;
    Ok(Fhir(service_request(&open(&state, &actor, &id).await?)))
}

pub async fn search_tasks(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("Task"))?;
    let actor = crate::consultations::actor(&state, &granted, &client, &headers).await?;
    let found = candidates(&state, &actor, &search, |p| {
        search
            .each("status", |v| token_matches(v, "http://hl7.org/fhir/task-status", task_status(&p.status, p.accepted)))
            && search.each("focus", |v| reference_matches(v, "ServiceRequest", &p.id))
            && search.each("owner", |v| reference_matches(v, "Organization", &centre_id(&p.centre)))
    })
    .await?;
    searchset(&state, &actor, &base, "Task", &search, found, |d| Some(task(d))).await
}

pub async fn read_task(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    let actor = crate::consultations::actor(&state, &granted, &client, &headers).await?;
    Ok(Fhir(task(&open(&state, &actor, &id).await?)))
}

pub async fn search_feedback(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("QuestionnaireResponse"))?;
    let actor = crate::consultations::actor(&state, &granted, &client, &headers).await?;
    let found = candidates(&state, &actor, &search, |p| {
        p.has_feedback && search.each("based-on", |v| reference_matches(v, "ServiceRequest", &p.id))
    })
    .await?;
    searchset(&state, &actor, &base, "QuestionnaireResponse", &search, found, questionnaire_response).await
}

pub async fn read_feedback(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    let actor = crate::consultations::actor(&state, &granted, &client, &headers).await?;
    questionnaire_response(&open(&state, &actor, &id).await?).map(Fhir).ok_or(AppError::NotFound)
}
