//! `GET /fhir/metadata`: the CapabilityStatement. It is built from one
//! table of types and their search parameters, the same names the
//! handlers accept, so what it promises is what the facade does.

use serde_json::{Value, json};

use super::{Base, Fhir};

/// Each type with its own search parameters and their FHIR types.
pub const TYPES: &[(&str, &[(&str, &str)])] = &[
    ("Practitioner", &[("name", "string"), ("specialty", "token"), ("organization", "reference")]),
    (
        "PractitionerRole",
        &[("name", "string"), ("specialty", "token"), ("organization", "reference"), ("practitioner", "reference")],
    ),
    ("Organization", &[("name", "string"), ("type", "token")]),
    ("HealthcareService", &[("name", "string"), ("organization", "reference"), ("specialty", "token")]),
    ("CareTeam", &[("name", "string"), ("organization", "reference"), ("category", "token")]),
    ("ServiceRequest", &[("status", "token"), ("priority", "token"), ("code", "token")]),
    ("Task", &[("status", "token"), ("focus", "reference"), ("owner", "reference")]),
    ("QuestionnaireResponse", &[("based-on", "reference")]),
    ("AuditEvent", &[("date", "date"), ("agent", "reference"), ("entity", "reference"), ("subtype", "token")]),
];

/// The own parameters a type's search accepts.
pub fn own_params(kind: &str) -> Vec<&'static str> {
    TYPES.iter().find(|(k, _)| *k == kind).map(|(_, p)| p.iter().map(|(n, _)| *n).collect()).unwrap_or_default()
}

pub async fn capability_statement(base: Base) -> Fhir {
    let common = [("_id", "token"), ("_lastUpdated", "date"), ("_count", "number")];
    let resources: Vec<Value> = TYPES
        .iter()
        .map(|(kind, params)| {
            let search: Vec<Value> =
                common.iter().chain(params.iter()).map(|(name, kind)| json!({"name": name, "type": kind})).collect();
            json!({
                "type": kind,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "searchParam": search,
            })
        })
        .collect();
    Fhir(json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": crate::labels::rfc3339(tukiverkko_store::now()),
        "publisher": "tukiverkko",
        "kind": "instance",
        "software": {"name": "tukiverkko", "version": env!("CARGO_PKG_VERSION")},
        "implementation": {"description": "tukiverkko FHIR R4 facade (read and search)", "url": base.0},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "documentation": "Read-only. Authenticate with `Authorization: Bearer TOKEN` (`tukiverkko token issue`); the same access rules as the JSON API apply. Paging with _count (0–100, default 20) and the links of each Bundle.",
            "security": {"description": "Bearer tokens of tukiverkko accounts; a consultation the caller takes no part in is 404, every read of case content is audited."},
            "resource": resources,
        }],
    }))
}
