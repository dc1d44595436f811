//! The administrator's view of the audit trail: filter by actor, object
//! and time, read in the browser or download as CSV. Reading it is itself
//! recorded.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tukiverkko_domain::Role;
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_store::audit::{self, AuditEvent, AuditFilter, Verification};

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::i18n::{Lang, t_args};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

#[derive(Deserialize, Default)]
pub struct AuditPageQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    object_type: String,
    #[serde(default)]
    object_id: String,
    /// YYYY-MM-DD, Helsinki time, inclusive.
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    /// Entries older than this position: the next page.
    #[serde(default)]
    before: Option<i64>,
}

/// Entries per page of the audit view.
const PAGE_SIZE: i64 = 100;

pub struct EntryRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub purpose: String,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    page: PageContext,
    q: AuditPageQuery,
    rows: Vec<EntryRow>,
    integrity: String,
    csv_link: String,
    prev: Option<String>,
    next: Option<String>,
}

/// Start of a Helsinki calendar day as Unix seconds.
fn day_start(date: &str) -> Option<i64> {
    let d = time::Date::parse(date, &time::format_description::well_known::Iso8601::DATE).ok()?;
    let midnight = d.midnight().assume_utc();
    Some(midnight.unix_timestamp() - tukiverkko_domain::calendar::helsinki_offset(midnight).whole_seconds() as i64)
}

pub async fn audit_page(
    State(state): State<AppState>,
    granted: Require<cap::ReadAuditLog>,
    client: ClientInfo,
    Lang(lang): Lang,
    QueryParams(q): QueryParams<AuditPageQuery>,
) -> Result<Response, AppError> {
    let account = granted.account();
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        actor_id: some(&q.actor),
        object_type: some(&q.object_type),
        object_id: some(&q.object_id),
        from: day_start(&q.from),
        until: day_start(&q.until).map(|t| t + 86_399),
        // One more than a page tells whether a next page exists.
        limit: PAGE_SIZE + 1,
        before_seq: q.before,
        ..Default::default()
    };
    let mut entries = audit::list(&state.db, &filter).await?;
    let more = entries.len() as i64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let rows_last_seq = entries.last().map(|e| e.seq);
    let ids: Vec<String> = entries.iter().filter_map(|e| e.actor_id.clone()).collect();
    let names = tukiverkko_store::accounts::names(&state.db, &ids).await?;
    audit::record(
        &state.db,
        AuditEvent::new(AuditAction::AuditExported)
            .by(&client.actor(account).acting_as(Role::Admin))
            .object("audit_log", &format!("{} entries", entries.len())),
    )
    .await?;
    let integrity = match audit::verify(&state.db).await? {
        Verification::Intact { entries } => t_args(lang, "audit-intact", &[("count", entries.to_string())]),
        Verification::Broken { seq, .. } => t_args(lang, "audit-broken", &[("seq", seq.to_string())]),
    };
    let rows = entries
        .into_iter()
        .map(|e| EntryRow {
            seq: e.seq,
            at: labels::moment(lang, e.at),
            actor: match &e.actor_id {
                Some(id) => names.get(id).cloned().unwrap_or_else(|| id.clone()),
                None => crate::i18n::t(lang, "audit-system"),
            },
            action: crate::i18n::try_t(lang, &format!("audit-event-{}", e.action.replace('.', "-")))
                .unwrap_or(e.action),
            object: [e.object_type.unwrap_or_default(), e.object_id.unwrap_or_default()].join(" ").trim().to_string(),
            purpose: e.purpose.unwrap_or_default(),
            outcome: e.outcome,
        })
        .collect();
    let mut pairs = vec![("format", "csv".to_string())];
    for (k, v) in [("actor", &q.actor), ("object_type", &q.object_type), ("object_id", &q.object_id)] {
        if !v.trim().is_empty() {
            pairs.push((k, v.trim().to_string()));
        }
    }
    if let Some(f) = filter.from {
        pairs.push(("from", f.to_string()));
    }
    if let Some(u) = filter.until {
        pairs.push(("until", u.to_string()));
    }
    let csv_link = format!("/api/v1/audit?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default());
    let page_link = |before: Option<i64>| {
        let mut p: Vec<(&str, String)> =
            [("actor", &q.actor), ("object_type", &q.object_type), ("object_id", &q.object_id)]
                .into_iter()
                .chain([("from", &q.from), ("until", &q.until)])
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k, v.trim().to_string()))
                .collect();
        if let Some(b) = before {
            p.push(("before", b.to_string()));
        }
        format!("/admin/audit?{}", serde_urlencoded::to_string(&p).unwrap_or_default())
    };
    let prev = q.before.is_some().then(|| page_link(None));
    let next = if more { rows_last_seq.map(|seq| page_link(Some(seq))) } else { None };
    let page = PageContext::new(lang, Some(&granted.principal), "/admin/audit", "audit-heading");
    Ok(render(StatusCode::OK, &AuditPage { page, q, rows, integrity, csv_link, prev, next }))
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::get;
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![route(Method::GET, "/admin/audit", ReadAuditLog, get(audit_page))]
}
