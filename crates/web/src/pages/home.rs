//! The home page: for visitors what the service is; for each signed-in role
//! the work waiting for them — a requester's own requests, an expert's
//! assignments and availability, a coordinator's queue and their experts'
//! workload, an administrator's tools.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use tukiverkko_domain::consultation::{NextStep, Party, Status, Urgency, next_step};
use tukiverkko_domain::{Capability, Language, calendar, reference};
use tukiverkko_store::consultations::home::{self, AssignedCase, Workload};
use tukiverkko_store::consultations::{CaseSummary, is_overdue};
use tukiverkko_store::experts;

use crate::auth::{Granted, Principal};
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::labels;
use crate::state::AppState;
use crate::templates::{PageContext, render};

/// One case on a home list, with what it waits for from the reader.
pub struct CaseLine {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub status_label: String,
    pub step: String,
    /// The step is the reader's own to take (shown as a call to act).
    pub act: bool,
    pub due: String,
    pub overdue: bool,
    pub urgent: bool,
    pub topics: String,
    /// The reader's part in the case (lead, panel), on an expert's list.
    pub part: String,
}

pub struct LoadLine {
    pub href: String,
    pub name: String,
    pub active: i64,
    pub capacity: i64,
    pub full: bool,
    pub available: bool,
}

/// An expert's own availability, switched from the home page.
pub struct Availability {
    pub accepts: bool,
    pub capacity: i64,
    pub version: i64,
}

pub struct ToolLink {
    pub href: &'static str,
    pub label: String,
    pub hint: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    page: PageContext,
    notice: Option<String>,
    roles: String,
    experts: String,
    centres: Vec<String>,
    requested: Option<Vec<CaseLine>>,
    assigned: Option<Vec<CaseLine>>,
    queue: Option<Vec<CaseLine>>,
    workload: Vec<LoadLine>,
    availability: Option<Availability>,
    tools: Vec<ToolLink>,
    researcher: bool,
    research: Vec<ResearchLine>,
}

/// One line of the researcher's home: what waits, how many, where.
pub struct ResearchLine {
    pub href: String,
    pub label: String,
    pub hint: String,
}

/// Administrators' and researchers' tools: path, message key, capability.
const TOOLS: &[(&str, &str, Capability)] = &[
    ("/admin/users", "nav-users", Capability::ManageUsers),
    ("/admin/audit", "home-tool-audit", Capability::ReadAuditLog),
    ("/experts/import", "nav-import", Capability::ManageExperts),
];

/// Notices after a change made from the home page.
pub const DONE: [&str; 1] = ["availability"];

pub async fn index(
    State(state): State<AppState>,
    granted: Granted,
    Lang(lang): Lang,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let principal = granted.principal.as_ref();
    let experts = tukiverkko_store::experts::count(&state.db).await?;
    let centres = reference::centres()
        .iter()
        .map(|c| match lang {
            Language::Fi => c.name_fi.clone(),
            Language::Sv => c.name_sv.clone(),
            Language::En => c.name_en.clone(),
        })
        .collect();
    let page = PageContext::new(lang, principal, "/", "nav-home");
    let notice = crate::templates::done_notice(lang, &uri, "home-done", &DONE);
    let mut view = IndexPage {
        page,
        notice,
        roles: String::new(),
        experts: experts.to_string(),
        centres,
        requested: None,
        assigned: None,
        queue: None,
        workload: Vec::new(),
        availability: None,
        tools: Vec::new(),
        researcher: false,
        research: Vec::new(),
    };
    if let Some(principal) = principal {
        fill_work(&state, lang, principal, &mut view).await?;
    }
    Ok(render(StatusCode::OK, &view))
}

async fn fill_work(
    state: &AppState,
    lang: Language,
    principal: &Principal,
    view: &mut IndexPage,
) -> Result<(), AppError> {
    let account = &principal.account;
    let roles = &account.roles;
    let names = roles.iter().map(|r| t(lang, &format!("role-{}", r.as_str()))).collect::<Vec<_>>().join(", ");
    let key = if roles.len() == 1 { "home-your-role" } else { "home-your-roles" };
    view.roles = crate::i18n::t_args(lang, key, &[("roles", names)]);
    let today = calendar::to_helsinki(tukiverkko_store::now()).date().to_string();
    if Capability::RequestConsultation.granted_by(roles) {
        let cases = home::requested_by(&state.db, &account.id).await?;
        view.requested =
            Some(cases.into_iter().map(|c| line(lang, &today, c, Party::Requester, false, String::new())).collect());
    }
    if Capability::AnswerConsultations.granted_by(roles)
        && let Some(expert_id) = experts::id_for_user(&state.db, &account.id).await?
    {
        let cases = home::assigned_to(&state.db, &expert_id).await?;
        view.assigned = Some(cases.into_iter().map(|a| assigned_line(lang, &today, a)).collect());
        let own = experts::find(&state.db, &expert_id).await?;
        view.availability =
            Some(Availability { accepts: own.accepts_consultations, capacity: own.capacity, version: own.version });
    }
    if Capability::TriageConsultations.granted_by(roles)
        && let Some(centre) = account.centre
    {
        let mut cases: Vec<CaseLine> = home::centre_queue(&state.db, centre)
            .await?
            .into_iter()
            .map(|c| line(lang, &today, c, Party::Coordinator, false, String::new()))
            .collect();
        // What needs the coordinator first: unassigned, then overdue, then urgent.
        cases.sort_by_key(|c| (!c.act, !c.overdue, !c.urgent));
        view.queue = Some(cases);
        view.workload = home::workload(&state.db, centre).await?.into_iter().map(load_line).collect();
    }
    view.tools = TOOLS
        .iter()
        .filter(|(_, _, cap)| cap.granted_by(roles))
        .map(|(href, key, _)| ToolLink { href, label: t(lang, key), hint: t(lang, &format!("{key}-hint")) })
        .collect();
    view.researcher = roles.contains(&tukiverkko_domain::Role::Researcher);
    if view.researcher {
        view.research = research_work(state, lang).await?;
    }
    Ok(())
}

/// A researcher's day: needs waiting for review, needs in review, open
/// prioritisation rounds, and the statistics.
async fn research_work(state: &AppState, lang: Language) -> Result<Vec<ResearchLine>, AppError> {
    use tukiverkko_store::research::{self, NeedFilter};
    let mut lines = Vec::new();
    for status in ["submitted", "in_review"] {
        let filter = NeedFilter { status: Some(status.into()), limit: 1, ..NeedFilter::default() };
        let (_, count) = research::list(&state.db, &filter).await?;
        lines.push(ResearchLine {
            href: format!("/research-needs?status={status}"),
            label: crate::i18n::t_args(lang, &format!("home-research-{status}"), &[("count", count.to_string())]),
            hint: t(lang, &format!("home-research-{status}-hint")),
        });
    }
    let now = tukiverkko_store::now();
    for round in research::rounds(&state.db).await?.into_iter().filter(|r| r.closes_at > now) {
        let closes = labels::date(lang, &calendar::to_helsinki(round.closes_at).date().to_string());
        lines.push(ResearchLine {
            href: format!("/prioritisations/{}", round.id),
            label: round.title,
            hint: crate::i18n::t_args(lang, "home-research-round-hint", &[("date", closes)]),
        });
    }
    lines.push(ResearchLine {
        href: "/statistics".into(),
        label: t(lang, "nav-statistics"),
        hint: t(lang, "home-research-statistics-hint"),
    });
    Ok(lines)
}

fn line(lang: Language, today: &str, c: CaseSummary, party: Party, accepted: bool, part: String) -> CaseLine {
    let status: Status = c.status.parse().unwrap_or(Status::Draft);
    let step: NextStep = next_step(status, party, accepted);
    CaseLine {
        overdue: is_overdue(status, c.due_date.as_deref(), today),
        due: c.due_date.as_deref().map(|d| labels::date(lang, d)).unwrap_or_default(),
        status_label: t(lang, &format!("status-{}", c.status)),
        step: t(lang, &format!("step-{}", step.as_str())),
        act: step.is_own(),
        urgent: c.urgency == Urgency::Urgent.as_str(),
        topics: labels::taxonomy_list(lang, &c.topics),
        id: c.id,
        reference: c.reference,
        status: c.status,
        part,
    }
}

fn assigned_line(lang: Language, today: &str, a: AssignedCase) -> CaseLine {
    let party = if a.is_lead { Party::LeadExpert } else { Party::PanelExpert };
    let part = t(lang, if a.is_lead { "home-part-lead" } else { "home-part-panel" });
    line(lang, today, a.case, party, a.state == "accepted", part)
}

fn load_line(w: Workload) -> LoadLine {
    LoadLine {
        href: format!("/experts/{}", w.expert_id),
        name: format!("{} {}", w.given_name, w.family_name),
        full: w.active >= w.capacity,
        active: w.active,
        capacity: w.capacity,
        available: w.accepts_consultations,
    }
}
