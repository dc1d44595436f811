//! A FHIR R4 facade under `/fhir` (issue 19): the directory, the service
//! catalogue, consultations and the audit trail as FHIR resources for
//! wellbeing counties' client systems and national directories. It is a
//! view over the same store calls as the JSON API, with the same bearer
//! tokens, capabilities and access rules, so a read of case content is
//! audited exactly as a JSON read is.

mod audit_events;
mod cases;
mod catalogue;
mod directory;
mod feedback;
mod metadata;
pub mod outcome;
mod search;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub use search::Search;

use crate::state::AppState;

pub const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";

/// Code systems and identifier systems of tukiverkko's own codes. The
/// Finnish base profiles define none for these (topics, centres, counties
/// as the wellbeing-county register has no FHIR system yet), so they live
/// under the project's canonical base; README lists them.
pub mod systems {
    pub const BASE: &str = "https://tukiverkko.fi/fhir";
    pub const TOPIC: &str = "https://tukiverkko.fi/fhir/CodeSystem/topic";
    pub const METHOD: &str = "https://tukiverkko.fi/fhir/CodeSystem/method";
    pub const SECTOR: &str = "https://tukiverkko.fi/fhir/CodeSystem/sector";
    pub const COUNTY: &str = "https://tukiverkko.fi/fhir/CodeSystem/wellbeing-county";
    pub const CENTRE: &str = "https://tukiverkko.fi/fhir/CodeSystem/centre";
    pub const FORMAT: &str = "https://tukiverkko.fi/fhir/CodeSystem/consultation-format";
    pub const CASE_STATUS: &str = "https://tukiverkko.fi/fhir/CodeSystem/consultation-status";
    pub const TEAM_KIND: &str = "https://tukiverkko.fi/fhir/CodeSystem/team-kind";
    pub const AUDIT_ACTION: &str = "https://tukiverkko.fi/fhir/CodeSystem/audit-action";
    pub const CONSULTATION_REFERENCE: &str = "https://tukiverkko.fi/fhir/sid/consultation-reference";
    pub const EXPERT_EXTERNAL_ID: &str = "https://tukiverkko.fi/fhir/sid/expert-external-id";
    pub const LANGUAGE: &str = "urn:ietf:bcp:47";
    pub const SNOMED: &str = "http://snomed.info/sct";
    pub const FEEDBACK_QUESTIONNAIRE: &str = "https://tukiverkko.fi/fhir/Questionnaire/close-out-feedback";
    pub const CLIENT_CHARACTERISTIC: &str = "https://tukiverkko.fi/fhir/CodeSystem/client-characteristic";
    pub const STATEMENT_PART: &str = "https://tukiverkko.fi/fhir/CodeSystem/statement-part";
    pub const FEEDBACK_ANSWER: &str = "https://tukiverkko.fi/fhir/CodeSystem/feedback-answer";
    pub const EMPLOYER_EXTENSION: &str = "https://tukiverkko.fi/fhir/StructureDefinition/employer";
}

/// A resource or Bundle answered as `application/fhir+json`.
pub struct Fhir(pub Value);

impl IntoResponse for Fhir {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::OK, axum::Json(Ordered(&self.0))).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
        response
    }
}

/// A resource serialised with `resourceType` as its first member, as FHIR
/// JSON is written: some parsers read the type before the rest. Other
/// members keep serde_json's (sorted) order.
pub struct Ordered<'a>(pub &'a Value);

impl serde::Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                if let Some(kind) = map.get("resourceType") {
                    out.serialize_entry("resourceType", kind)?;
                }
                for (k, v) in map.iter().filter(|(k, _)| *k != "resourceType") {
                    out.serialize_entry(k, &Ordered(v))?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for v in items {
                    out.serialize_element(&Ordered(v))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// The facade's base address for `fullUrl` and paging links: the public
/// address when one is configured (behind a proxy `Host` is the upstream's
/// name), else the host the request was sent to.
pub struct Base(pub String);

impl FromRequestParts<AppState> for Base {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let root = match &state.config.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => {
                let host = parts.headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
                format!("http://{host}")
            }
        };
        Ok(Base(format!("{root}/fhir")))
    }
}

/// A Coding of one of tukiverkko's code systems.
pub fn coding(system: &str, code: &str, display: Option<&str>) -> Value {
    let mut c = json!({"system": system, "code": code});
    if let Some(d) = display.filter(|d| !d.is_empty()) {
        c["display"] = json!(d);
    }
    c
}

/// A topic, method or sector code as a CodeableConcept with its Finnish label.
pub fn taxonomy_concept(system: &str, code: &str) -> Value {
    let label = tukiverkko_domain::reference::taxonomy_entry(code).map(|e| e.label_fi.as_str());
    json!({"coding": [coding(system, code, label)], "text": label.unwrap_or(code)})
}

/// `meta` of a resource: when it last changed and, where the store counts
/// changes, its version.
pub fn meta(updated_at: i64, version: Option<i64>) -> Value {
    let mut m = json!({"lastUpdated": crate::labels::rfc3339(updated_at)});
    if let Some(v) = version {
        m["versionId"] = json!(v.to_string());
    }
    m
}

/// The Organization id of a centre: stable, readable and a valid FHIR id.
pub fn centre_id(code: &str) -> String {
    format!("centre-{code}")
}

pub fn centre_reference(code: &str) -> Value {
    let name = code.parse().ok().map(|c| tukiverkko_domain::reference::centre(c).name_fi.clone());
    let mut r = json!({"reference": format!("Organization/{}", centre_id(code))});
    if let Some(n) = name {
        r["display"] = json!(n);
    }
    r
}

/// Whether a token search value (`code`, `system|code` or `|code`) names
/// this code of this system.
pub fn token_matches(value: &str, system: &str, code: &str) -> bool {
    match value.split_once('|') {
        Some((s, c)) => (s.is_empty() || s == system) && c == code,
        None => value == code,
    }
}

/// Whether a reference search value (`Type/id`, a bare id or an absolute
/// URL ending in `Type/id`) names this resource.
pub fn reference_matches(value: &str, kind: &str, id: &str) -> bool {
    let full = format!("{kind}/{id}");
    value == id || value == full || value.ends_with(&format!("/{full}"))
}

/// Whether a string search value matches: FHIR's default string search,
/// case-insensitive, at the start of any word of `text`.
pub fn string_matches(value: &str, text: &str) -> bool {
    let value = value.to_lowercase();
    let text = text.to_lowercase();
    text.starts_with(&value) || text.split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with(&value))
}

/// A searchset of resources already filtered by the type's own
/// parameters: `_id` and `_lastUpdated` applied, then one page.
pub fn searchset(base: &Base, kind: &str, search: &Search, resources: Vec<(Option<i64>, Value)>) -> Fhir {
    let matching: Vec<Value> = resources
        .into_iter()
        .filter(|(updated, r)| search.admits(r["id"].as_str().unwrap_or_default(), *updated))
        .map(|(_, r)| r)
        .collect();
    let total = matching.len();
    Fhir(search.bundle(base, kind, total, search.page(matching)))
}

/// A consultation format's name in Finnish, for `display` and `text`.
pub fn format_label(code: &str) -> &str {
    match code {
        "statement" => "kirjallinen lausunto",
        "meeting" => "konsultaatiotapaaminen",
        "visit" => "käynti",
        other => other,
    }
}

/// Splits a `;`-separated stored list.
pub fn split(values: &str) -> Vec<String> {
    values.split(';').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect()
}

/// Every FHIR route with the capability it needs: the same as the JSON
/// API's for the same data (experts and teams need `search_experts`, the
/// public catalogue is public, cases need sign-in and the store decides
/// which, the audit trail is for administrators).
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::get;
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/fhir/metadata", Public, get(metadata::capability_statement)),
        route(Method::GET, "/fhir/Practitioner", SearchExperts, get(directory::search_practitioners)),
        route(Method::GET, "/fhir/Practitioner/{id}", SearchExperts, get(directory::read_practitioner)),
        route(Method::GET, "/fhir/PractitionerRole", SearchExperts, get(directory::search_roles)),
        route(Method::GET, "/fhir/PractitionerRole/{id}", SearchExperts, get(directory::read_role)),
        route(Method::GET, "/fhir/Organization", SignedIn, get(catalogue::search_organizations)),
        route(Method::GET, "/fhir/Organization/{id}", SignedIn, get(catalogue::read_organization)),
        route(Method::GET, "/fhir/HealthcareService", Public, get(catalogue::search_services)),
        route(Method::GET, "/fhir/HealthcareService/{id}", Public, get(catalogue::read_service)),
        route(Method::GET, "/fhir/CareTeam", SearchExperts, get(catalogue::search_teams)),
        route(Method::GET, "/fhir/CareTeam/{id}", SearchExperts, get(catalogue::read_team)),
        route(Method::GET, "/fhir/ServiceRequest", SignedIn, get(cases::search_requests)),
        route(Method::GET, "/fhir/ServiceRequest/{id}", SignedIn, get(cases::read_request)),
        route(Method::GET, "/fhir/Task", SignedIn, get(cases::search_tasks)),
        route(Method::GET, "/fhir/Task/{id}", SignedIn, get(cases::read_task)),
        route(Method::GET, "/fhir/QuestionnaireResponse", SignedIn, get(cases::search_feedback)),
        route(Method::GET, "/fhir/QuestionnaireResponse/{id}", SignedIn, get(cases::read_feedback)),
        route(Method::GET, "/fhir/AuditEvent", ReadAuditLog, get(audit_events::search)),
        route(Method::GET, "/fhir/AuditEvent/{id}", ReadAuditLog, get(audit_events::read)),
        // Any other type: an OperationOutcome saying it is not served, not a bare 404.
        route(Method::GET, "/fhir/{kind}", Public, get(unsupported)),
        route(Method::GET, "/fhir/{kind}/{id}", Public, get(unsupported)),
    ]
}

async fn unsupported(axum::extract::Path(path): axum::extract::Path<Vec<String>>) -> Response {
    let kind = path.first().map(String::as_str).unwrap_or_default();
    outcome::error(
        StatusCode::NOT_FOUND,
        &format!("resource type '{kind}' is not served here; GET /fhir/metadata lists those that are"),
        None,
    )
}
