//! The expert CSV import for coordinators, in three steps: upload, a
//! preview of what would change, and applying exactly that preview. The
//! file is checked whole first (the same rules as `tukiverkko import`), so a
//! bad file changes nothing and every bad line is listed.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tukiverkko_domain::Language;
use tukiverkko_store::accounts::Account;
use tukiverkko_store::experts::{self, Change, NewProfile, ProfileRow};
use tukiverkko_store::experts_csv::{self, HEADER, LineError};
use tukiverkko_store::pending_imports::{self, PendingImport};

use super::api::may_place;
use crate::auth::{Cap, Require, cap};
use crate::error::AppError;
use crate::i18n::{Lang, t, t_args, try_t_args};
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

/// Largest CSV accepted from the browser (about 100,000 profiles).
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;
/// Changed rows listed on the preview page; the counts cover all.
const PREVIEW_ROWS: usize = 200;

pub struct ProblemView {
    pub line: u64,
    pub text: String,
}

pub struct ChangeView {
    pub line: u64,
    pub external_id: String,
    pub name: String,
    pub what: String,
}

pub struct Preview {
    pub id: String,
    pub file_name: String,
    pub summary: String,
    pub changes: Vec<ChangeView>,
    pub more: Option<String>,
    pub has_changes: bool,
}

#[derive(Template)]
#[template(path = "experts_import.html")]
struct ImportPage {
    page: PageContext,
    /// A message at the top: why nothing was imported, or what was.
    notice: Option<String>,
    notice_is_error: bool,
    problems: Vec<ProblemView>,
    preview: Option<Preview>,
}

fn page<C: Cap>(state_lang: Language, granted: &Require<C>) -> PageContext {
    PageContext::new(state_lang, Some(&granted.principal), "/experts/import", "import-heading")
}

fn show(page: PageContext) -> ImportPage {
    ImportPage { page, notice: None, notice_is_error: false, problems: Vec::new(), preview: None }
}

pub async fn form(granted: Require<cap::ManageExperts>, Lang(lang): Lang) -> Result<Response, AppError> {
    Ok(render(StatusCode::OK, &show(page(lang, &granted))))
}

/// The problem in the user's language, naming the line, column and field.
fn problem_text(lang: Language, e: &LineError) -> String {
    let field = HEADER.get(e.column.saturating_sub(1)).copied().unwrap_or("");
    let detail = [("detail", e.reason.clone())];
    let problem = try_t_args(lang, &format!("import-problem-{}", e.code), &detail).unwrap_or_else(|| e.reason.clone());
    match e.code {
        // Problems of the whole line name no single field.
        "column_count" | "unreadable_csv" => problem,
        _ => t_args(
            lang,
            "import-problem",
            &[("column", e.column.to_string()), ("field", field.to_string()), ("problem", problem)],
        ),
    }
}

/// A coordinator imports only their own centre's profiles, new or existing:
/// the same placement rule as a profile edit through the API.
fn outside_centre(
    account: &Account,
    lines: &[u64],
    plan: &[(Change, Option<ProfileRow>)],
    profiles: &[NewProfile],
) -> Vec<LineError> {
    let own = account.centre.map(|c| c.as_str()).unwrap_or_default();
    let centre_column = HEADER.iter().position(|h| *h == "centre").unwrap_or(0) + 1;
    lines
        .iter()
        .zip(plan.iter().zip(profiles))
        .filter(|(_, ((_, current), p))| !may_place(account, current.as_ref(), &p.centre))
        .map(|(line, (_, p))| LineError {
            line: *line,
            column: centre_column,
            code: "not_your_centre",
            reason: format!("centre {} is not {own}", p.centre),
        })
        .collect()
}

fn failed(lang: Language, page: PageContext, status: StatusCode, file_name: &str, errors: &[LineError]) -> Response {
    let mut view = show(page);
    view.notice =
        Some(t_args(lang, "import-rejected", &[("file", file_name.to_string()), ("count", errors.len().to_string())]));
    view.notice_is_error = true;
    view.problems = errors.iter().map(|e| ProblemView { line: e.line, text: problem_text(lang, e) }).collect();
    render(status, &view)
}

fn change_text(lang: Language, change: &Change) -> String {
    match change {
        Change::Create => t(lang, "import-change-create"),
        Change::Update(fields) => t_args(lang, "import-change-update", &[("fields", fields.join(", "))]),
        Change::Unchanged => t(lang, "import-change-none"),
    }
}

/// Step 2: check the uploaded file and show what it would change.
pub async fn preview(
    State(state): State<AppState>,
    granted: Require<cap::ManageExperts>,
    Lang(lang): Lang,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let account = granted.account().clone();
    let mut upload = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|e| AppError::BadRequest { detail: e.body_text(), field: None })?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("experts.csv").to_string();
            let bytes = field.bytes().await.map_err(|e| AppError::BadRequest { detail: e.body_text(), field: None })?;
            upload = Some((name, bytes));
        }
    }
    let Some((file_name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        let mut view = show(page(lang, &granted));
        view.notice = Some(t(lang, "import-no-file"));
        view.notice_is_error = true;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &view));
    };
    // Checking a large file is CPU work: off the async workers, like search.
    let rows = match crate::blocking::cpu(move || experts_csv::parse_lines(bytes.as_ref(), |_| {})).await {
        Ok(rows) => rows,
        Err(errors) => {
            return Ok(failed(lang, page(lang, &granted), StatusCode::UNPROCESSABLE_ENTITY, &file_name, &errors));
        }
    };
    let directory_version = experts::version(&state.db).await?;
    let (lines, profiles): (Vec<u64>, Vec<NewProfile>) = rows.into_iter().unzip();
    let plan = experts::plan_import(&state.db, &profiles).await?;
    let refused = outside_centre(&account, &lines, &plan, &profiles);
    if !refused.is_empty() {
        return Ok(failed(lang, page(lang, &granted), StatusCode::FORBIDDEN, &file_name, &refused));
    }
    let count = |f: fn(&Change) -> bool| plan.iter().filter(|(c, _)| f(c)).count();
    let (created, updated) = (count(|c| *c == Change::Create), count(|c| matches!(c, Change::Update(_))));
    let unchanged = plan.len() - created - updated;
    let changed: Vec<ChangeView> = lines
        .iter()
        .zip(plan.iter().zip(&profiles))
        .filter(|(_, ((c, _), _))| *c != Change::Unchanged)
        .map(|(line, ((change, _), p))| ChangeView {
            line: *line,
            external_id: p.external_id.clone().unwrap_or_default(),
            name: format!("{} {}", p.given_name, p.family_name),
            what: change_text(lang, change),
        })
        .collect();
    let more = (changed.len() > PREVIEW_ROWS)
        .then(|| t_args(lang, "import-more", &[("count", (changed.len() - PREVIEW_ROWS).to_string())]));
    let summary = t_args(
        lang,
        "import-summary",
        &[("created", created.to_string()), ("updated", updated.to_string()), ("unchanged", unchanged.to_string())],
    );
    let pending =
        PendingImport { owner: account.id.clone(), file_name: file_name.clone(), profiles, directory_version };
    let id = pending_imports::put(&state.db, &pending).await?;
    let mut view = show(page(lang, &granted));
    view.preview = Some(Preview {
        id,
        file_name,
        summary,
        has_changes: created + updated > 0,
        changes: changed.into_iter().take(PREVIEW_ROWS).collect(),
        more,
    });
    Ok(render(StatusCode::OK, &view))
}

/// Step 3: apply the previewed import, unless the directory changed since.
pub async fn apply(
    State(state): State<AppState>,
    granted: Require<cap::ManageExperts>,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let account = granted.account().clone();
    let Some(pending) = pending_imports::take(&state.db, &id, &account.id).await? else {
        let mut view = show(page(lang, &granted));
        view.notice = Some(t(lang, "import-expired"));
        view.notice_is_error = true;
        return Ok(render(StatusCode::NOT_FOUND, &view));
    };
    let imported = experts::import_checked(
        &state.db,
        &pending.profiles,
        &client.actor(&account),
        Some(pending.directory_version),
        |_| {},
    )
    .await;
    let summary = match imported {
        Ok(summary) => summary,
        Err(tukiverkko_store::StoreError::Conflict(_)) => {
            let mut view = show(page(lang, &granted));
            view.notice = Some(t_args(lang, "import-stale", &[("file", pending.file_name)]));
            view.notice_is_error = true;
            return Ok(render(StatusCode::CONFLICT, &view));
        }
        Err(e) => return Err(e.into()),
    };
    state.directory.refresh(&state.db).await?;
    let mut view = show(page(lang, &granted));
    view.notice = Some(t_args(
        lang,
        "import-done",
        &[
            ("file", pending.file_name),
            ("created", summary.created.to_string()),
            ("updated", summary.updated.to_string()),
            ("unchanged", summary.unchanged.to_string()),
        ],
    ));
    Ok(render(StatusCode::OK, &view))
}
