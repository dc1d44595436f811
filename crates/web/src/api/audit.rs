//! The audit trail for administrators: filter by actor, object and time,
//! as JSON or CSV. Reading the trail is itself recorded.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tukiverkko_domain::Role;
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_store::audit::{self, AuditEvent, AuditFilter, AuditRow};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::ops::ClientInfo;
use crate::state::AppState;

/// The most audit entries one request returns.
pub const MAX_LIMIT: i64 = 10_000;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    actor: Option<String>,
    object_type: Option<String>,
    object_id: Option<String>,
    /// Unix seconds, inclusive.
    from: Option<i64>,
    /// Unix seconds, inclusive.
    until: Option<i64>,
    limit: Option<i64>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    seq: i64,
    at: i64,
    actor_id: Option<String>,
    actor_role: Option<String>,
    action: String,
    object_type: Option<String>,
    object_id: Option<String>,
    purpose: Option<String>,
    outcome: String,
    client_ip: Option<String>,
    request_id: Option<String>,
    hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        Self {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            purpose: r.purpose,
            outcome: r.outcome,
            client_ip: r.client_ip,
            request_id: r.request_id,
            hash: r.hash,
        }
    }
}

/// Audit entries, newest first.
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = [AuditEntry]), (status = 403, description = "admins only")))]
pub async fn list(
    State(state): State<AppState>,
    granted: Require<cap::ReadAuditLog>,
    client: ClientInfo,
    QueryParams(q): QueryParams<AuditQuery>,
) -> Result<Response, AppError> {
    let account = granted.account();
    // Out of range is refused, not clamped, so a client learns its page size
    // is not what it asked for (and the document's bounds hold).
    let limit = q.limit.unwrap_or(200);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            tukiverkko_domain::ValueError::new("out_of_range", format!("limit must be 1–{MAX_LIMIT}")),
        ));
    }
    let filter = AuditFilter {
        actor_id: q.actor,
        object_type: q.object_type,
        object_id: q.object_id,
        from: q.from,
        until: q.until,
        limit,
        before_seq: None,
        ..Default::default()
    };
    let rows = audit::list(&state.db, &filter).await?;
    let event = AuditEvent::new(AuditAction::AuditExported)
        .by(&client.actor(account).acting_as(Role::Admin))
        .object("audit_log", &format!("{} entries", rows.len()));
    audit::record(&state.db, event).await?;
    let entries: Vec<AuditEntry> = rows.into_iter().map(AuditEntry::from).collect();
    if q.format.as_deref() == Some("csv") {
        let body = csv_of(&entries).map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response());
    }
    Ok(Json(entries).into_response())
}

/// The entries as CSV for spreadsheets: a cell that would start a formula is neutralised.
/// A Unix time as ISO 8601 in UTC, as spreadsheets and other tools read it.
fn iso8601(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn csv_of(entries: &[AuditEntry]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use tukiverkko_store::spreadsheet::neutralise;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "seq",
        "at",
        "actor_id",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "purpose",
        "outcome",
        "client_ip",
        "request_id",
        "hash",
    ])?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    for e in entries {
        let cells = [
            e.seq.to_string(),
            iso8601(e.at),
            text(&e.actor_id),
            text(&e.actor_role),
            e.action.clone(),
            text(&e.object_type),
            text(&e.object_id),
            text(&e.purpose),
            e.outcome.clone(),
            text(&e.client_ip),
            text(&e.request_id),
            e.hash.clone(),
        ];
        writer.write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
    }
    Ok(writer.into_inner()?)
}
