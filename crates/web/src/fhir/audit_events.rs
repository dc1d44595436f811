//! The audit trail as AuditEvent, for administrators only (the route
//! needs `read_audit_log`). Reading it is itself recorded, as the JSON
//! API's export is. Each entry keeps its chain hash, so a reader can check
//! the copy against `tukiverkko audit verify`.

use axum::extract::{Path, RawQuery, State};
use serde_json::{Value, json};
use tukiverkko_domain::Role;
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_store::audit::{self, AuditEvent, AuditFilter, AuditRow};

use super::metadata::own_params;
use super::systems::{AUDIT_ACTION, BASE};
use super::{Base, Fhir, Search, coding, meta};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::ops::ClientInfo;
use crate::state::AppState;

/// What a stored object is called in FHIR, when the facade serves it.
fn entity(object_type: &str, object_id: &str) -> Value {
    let kind = match object_type {
        "consultation" => Some("ServiceRequest"),
        "expert" => Some("Practitioner"),
        "team" => Some("CareTeam"),
        "service" => Some("HealthcareService"),
        _ => None,
    };
    match kind {
        Some(k) => json!({"reference": format!("{k}/{object_id}")}),
        None => json!({"identifier": {"system": format!("{BASE}/sid/{object_type}"), "value": object_id}}),
    }
}

/// The FHIR action code (create, read, execute) of a tukiverkko action.
fn crude(action: &str) -> &'static str {
    if action.ends_with(".read") || action.contains(".read.") || action.ends_with("exported") {
        "R"
    } else if action.ends_with(".create") || action.ends_with("created") {
        "C"
    } else {
        "E"
    }
}

fn audit_event(e: &AuditRow) -> Value {
    let who = match &e.actor_id {
        Some(id) => json!({"identifier": {"system": format!("{BASE}/sid/account"), "value": id}}),
        None => json!({"display": "tukiverkko (järjestelmä)"}),
    };
    let mut agent = json!({"who": who, "requestor": e.actor_id.is_some()});
    if let Some(role) = &e.actor_role {
        agent["role"] = json!([{"text": role}]);
    }
    if let Some(ip) = e.client_ip.as_deref().filter(|ip| *ip != "unknown") {
        agent["network"] = json!({"address": ip, "type": "2"});
    }
    let mut r = json!({
        "resourceType": "AuditEvent",
        "id": e.seq.to_string(),
        "meta": meta(e.at, None),
        "type": coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", Some("RESTful Operation")),
        "subtype": [coding(AUDIT_ACTION, &e.action, None)],
        "action": crude(&e.action),
        "recorded": crate::labels::rfc3339(e.at),
        "outcome": if e.outcome == "ok" { "0" } else { "4" },
        "outcomeDesc": e.outcome,
        "agent": [agent],
        "source": {
            "site": "tukiverkko",
            "observer": {"display": "tukiverkko"},
            "type": [coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", Some("Application Server"))],
        },
    });
    if let Some(p) = &e.purpose {
        r["purposeOfEvent"] = json!([{"text": p}]);
    }
    let mut detail = vec![json!({"type": "hash", "valueString": e.hash})];
    if let Some(id) = &e.request_id {
        detail.push(json!({"type": "request-id", "valueString": id}));
    }
    let mut what = json!({"detail": detail});
    if let (Some(kind), Some(id)) = (&e.object_type, &e.object_id) {
        what["what"] = entity(kind, id);
    }
    r["entity"] = json!([what]);
    r
}

/// A reference search value reduced to the stored id (`ServiceRequest/x` → `x`).
fn bare_id(value: &str) -> String {
    value.rsplit('/').next().unwrap_or(value).to_string()
}

/// The SQL filter for a search: `date`/`_lastUpdated`, `agent` (an account
/// id), `entity` (an object id or reference), `subtype` (the action).
fn filter(search: &Search) -> Result<AuditFilter, AppError> {
    let one = |name: &str| -> Result<Option<String>, AppError> {
        let values = search.values(name);
        match values.as_slice() {
            [] => Ok(None),
            [v] if v.len() == 1 => Ok(Some(bare_id(&v[0]))),
            _ => Err(AppError::BadRequest { detail: format!("{name} takes one value"), field: Some(name.into()) }),
        }
    };
    // `date` is the same moment as `_lastUpdated` here: entries never change.
    let (from, until) = search.date_window("date")?;
    let subtype = one("subtype")?.map(|v| v.rsplit('|').next().unwrap_or(&v).to_string());
    Ok(AuditFilter {
        actor_id: one("agent")?,
        object_id: one("entity")?,
        from,
        until,
        action: subtype,
        ..Default::default()
    })
}

async fn record_reading(
    state: &AppState,
    granted: &Require<cap::ReadAuditLog>,
    client: &ClientInfo,
    n: usize,
) -> Result<(), AppError> {
    let event = AuditEvent::new(AuditAction::AuditExported)
        .by(&client.actor(granted.account()).acting_as(Role::Admin))
        .object("audit_log", &format!("{n} entries"));
    audit::record(&state.db, event).await?;
    Ok(())
}

pub async fn search(
    State(state): State<AppState>,
    granted: Require<cap::ReadAuditLog>,
    client: ClientInfo,
    base: Base,
    RawQuery(q): RawQuery,
) -> Result<Fhir, AppError> {
    let search = Search::parse(q.as_deref(), &own_params("AuditEvent"))?;
    let mut filter = filter(&search)?;
    let (total, rows) = match search.single_id() {
        Some(id) => {
            let rows = by_seq(&state, id, &filter).await?;
            (rows.len(), rows)
        }
        None => {
            let total = audit::count(&state.db, &filter).await? as usize;
            filter.limit = search.count as i64;
            filter.offset = search.offset as i64;
            let rows = if search.count == 0 { vec![] } else { audit::list(&state.db, &filter).await? };
            (total, rows)
        }
    };
    record_reading(&state, &granted, &client, rows.len()).await?;
    let entries = rows.iter().map(audit_event).collect();
    Ok(Fhir(search.bundle(&base, "AuditEvent", total, entries)))
}

/// The entry at position `id` when it passes `filter`.
async fn by_seq(state: &AppState, id: &str, filter: &AuditFilter) -> Result<Vec<AuditRow>, AppError> {
    let Ok(seq) = id.parse::<i64>() else { return Ok(vec![]) };
    let one = AuditFilter { before_seq: Some(seq.saturating_add(1)), limit: 1, ..filter.clone() };
    Ok(audit::list(&state.db, &one).await?.into_iter().filter(|r| r.seq == seq).collect())
}

pub async fn read(
    State(state): State<AppState>,
    granted: Require<cap::ReadAuditLog>,
    client: ClientInfo,
    Path(id): Path<String>,
) -> Result<Fhir, AppError> {
    let row = by_seq(&state, &id, &AuditFilter::default()).await?.pop().ok_or(AppError::NotFound)?;
    record_reading(&state, &granted, &client, 1).await?;
    Ok(Fhir(audit_event(&row)))
}
