//! The consultation pages: list and queue, the request form, the case page
//! with the actions the caller may take, and a print view of the statement.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use tukiverkko_domain::consultation::{self, Action, AssignmentState, Status};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::text::{self, Lines};
use tukiverkko_domain::{Capability, CentreCode, Language, calendar};
use tukiverkko_store::consultations::{self, Actor, CaseDetail, ListFilter};
use tukiverkko_store::experts::split;

use super::actor;
use crate::auth::{Cap, Require, cap};
use crate::error::AppError;
use crate::i18n::{self, Lang, t};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct Row {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub status_label: String,
    pub urgency: String,
    pub topics: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "consultations.html")]
struct ListPage {
    page: PageContext,
    rows: Vec<Row>,
    can_request: bool,
    /// What the caller just did, when they came here from a case.
    notice: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let today = calendar::to_helsinki(tukiverkko_store::now()).date().to_string();
    let rows = consultations::list(&state.db, &actor, &ListFilter::default())
        .await?
        .into_iter()
        .map(|c| {
            let status: Status = c.status.parse().unwrap_or(Status::Draft);
            Row {
                overdue: consultations::is_overdue(status, c.due_date.as_deref(), &today),
                due: c.due_date.as_deref().map(|d| labels::date(lang, d)).unwrap_or_default(),
                status_label: t(lang, &format!("status-{}", c.status)),
                urgency: t(lang, &format!("urgency-{}", c.urgency)),
                topics: split(&c.topics).iter().map(|t| labels::taxonomy(lang, t)).collect::<Vec<_>>().join(", "),
                id: c.id,
                reference: c.reference,
                status: c.status,
            }
        })
        .collect();
    let can_request = Capability::RequestConsultation.granted_by(&actor.account.roles);
    let page = PageContext::new(lang, Some(&granted.principal), "/consultations", "consultations-heading");
    let notice = super::actions::done_notice(lang, &uri);
    Ok(render(StatusCode::OK, &ListPage { page, rows, can_request, notice }))
}

/// The message for a field when the error belongs to it.
pub(super) fn field_error<'a>(error_field: &str, error: &'a Option<String>, name: &str) -> Option<&'a str> {
    if error_field == name { error.as_deref() } else { None }
}

impl CasePage {
    fn err(&self, name: &str) -> Option<&str> {
        field_error(&self.error_field, &self.error, name)
    }
}

pub(super) fn choices(lang: Language, values: &[&str], key_prefix: Option<&str>, chosen: &[String]) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: v.to_string(),
            label: match key_prefix {
                Some(p) => t(lang, &format!("{p}-{v}")),
                None => labels::taxonomy(lang, v),
            },
            checked: chosen.iter().any(|c| c == v),
        })
        .collect()
}

pub struct Entry {
    pub when: String,
    pub text: String,
    pub note: String,
    /// The language the note is written in (its author's), for `lang`.
    pub lang: String,
}

pub struct PanelMember {
    pub id: String,
    pub name: String,
    pub lead: bool,
    pub state: String,
    /// Police or prosecution, not seeing the case before the Barnahus decision.
    pub waiting: bool,
}

pub struct MeetingItem {
    pub when: String,
    pub minutes: i64,
    pub link: String,
    pub ics: String,
}

pub struct Suggested {
    pub id: String,
    pub name: String,
    pub reasons: String,
}

/// What the caller may do on this case now, one flag per move.
#[derive(Default)]
pub struct Allowed {
    pub edit: bool,
    pub submit: bool,
    pub cancel: bool,
    pub assign: bool,
    pub reroute: bool,
    pub accept: bool,
    pub decline_part: bool,
    pub statement: bool,
    pub feedback: bool,
    pub message: bool,
    pub meeting: bool,
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct CasePage {
    page: PageContext,
    id: String,
    reference: String,
    /// The version shown, sent back by every form so a stale one is refused.
    version: i64,
    status: String,
    status_label: String,
    facts: Vec<(String, String)>,
    question: String,
    background: String,
    tried: String,
    panel: Vec<PanelMember>,
    entries: Vec<Entry>,
    messages: Vec<Entry>,
    meetings: Vec<MeetingItem>,
    statement: Option<(String, String, String, String)>,
    /// Who wrote the statement, with their title, centre and the date.
    byline: String,
    /// The due date, for what happens next after sending.
    due: String,
    /// The languages the request and the statement are written in.
    text_lang: String,
    statement_lang: String,
    /// The statement typed so far (kept in the form), shown as a preview
    /// when it passed the checks.
    draft: StatementDraft,
    draft_methods: String,
    previewing: bool,
    /// The people a meeting can invite, all ticked.
    invitable: Vec<Choice>,
    /// Who asks, for the centre and the panel: label and value.
    requester: Option<Vec<(String, String)>>,
    feedback: Option<String>,
    /// The client's outcome measurements and the forms to record them.
    outcomes: super::outcome_view::OutcomeSection,
    /// The case's topic codes, for starting a research need with them.
    topic_codes: String,
    allowed: Allowed,
    /// Other centres specialising in the request's topics, for triage.
    routing: Vec<super::routing::Proposal>,
    barnahus: super::barnahus::BarnahusSection,
    suggestions: Vec<Suggested>,
    /// Matches of the triage form's directory search.
    found: Vec<Suggested>,
    find: String,
    /// The current panel (not declined) and its lead, ticked in the form.
    picked: Vec<String>,
    lead: String,
    centres: Vec<Choice>,
    methods: Vec<Choice>,
    error_field: String,
    error_anchor: String,
    error: Option<String>,
    /// What the caller just did here.
    notice: Option<String>,
}

/// The forms the page offers: exactly the moves the domain's state machine
/// allows the reader's parties in the case's status.
fn allowed(detail: &CaseDetail) -> Allowed {
    let may = |action| consultation::may(detail.case.status(), &detail.parties, action);
    Allowed {
        edit: may(Action::EditDraft),
        submit: may(Action::Submit),
        cancel: may(Action::Cancel),
        assign: may(Action::Assign),
        reroute: may(Action::Reroute),
        accept: may(Action::Accept),
        decline_part: may(Action::DeclineAssignment { leaves_no_lead: false }),
        statement: may(Action::Statement),
        feedback: may(Action::Feedback),
        message: may(Action::Message),
        meeting: may(Action::Meeting),
    }
}

/// Experts the directory proposes for the case, with their reasons in the reader's language.
async fn suggestions(state: &AppState, id: &str, actor: &Actor, lang: Language) -> Result<Vec<Suggested>, AppError> {
    Ok(consultations::suggest_experts(&state.db, id, actor, 8)
        .await?
        .into_iter()
        .map(|s| Suggested {
            reasons: s
                .reasons
                .iter()
                .filter(|(code, _)| *code != "remote")
                .map(|(code, value)| match *code {
                    "topic" | "service" => labels::taxonomy(lang, value),
                    "own_centre" => t(lang, "reason-own_centre"),
                    "language" => labels::language_name(lang, value),
                    _ => format!("{} {value}", t(lang, &format!("reason-{code}"))),
                })
                .collect::<Vec<_>>()
                .join(" · "),
            id: s.expert_id,
            name: s.name,
        })
        .collect())
}

/// "Name, title, centre, date" of a statement's author.
fn byline(lang: Language, s: &tukiverkko_store::consultations::StatementRow) -> String {
    let parts = [
        s.author_name.clone(),
        s.author_title.clone().filter(|t| !t.is_empty()),
        s.author_centre.as_deref().map(|c| labels::centre(lang, c)),
        Some(labels::moment(lang, s.at)),
    ];
    i18n::t_args(lang, "statement-byline", &[("who", parts.into_iter().flatten().collect::<Vec<_>>().join(", "))])
}

/// Whether the reader works on the case for the centre (coordinator or panel).
fn takes_part_as_centre(detail: &CaseDetail) -> bool {
    use consultation::Party;
    detail.parties.iter().any(|p| matches!(p, Party::Coordinator | Party::LeadExpert | Party::PanelExpert))
}

/// Who asks: a professional, whom the centre and the panel may contact.
fn requester_facts(lang: Language, r: &tukiverkko_store::consultations::RequesterRow) -> Vec<(String, String)> {
    let mut facts = vec![(t(lang, "requester-name"), r.name.clone())];
    if let Some(org) = &r.organization {
        facts.push((t(lang, "requester-organization"), org.clone()));
    }
    if let Some(sector) = &r.sector {
        facts.push((t(lang, "requester-sector"), labels::taxonomy(lang, sector)));
    }
    facts.push((t(lang, "requester-contact"), r.email.clone()));
    facts
}

/// The case's facts as label and value in the reader's language.
fn facts(lang: Language, c: &tukiverkko_store::consultations::CaseRow) -> Vec<(String, String)> {
    vec![
        (t(lang, "field-urgency"), t(lang, &format!("urgency-{}", c.urgency))),
        (t(lang, "field-format"), t(lang, &format!("format-{}", c.format))),
        (t(lang, "field-legal_basis"), t(lang, &format!("basis-{}", c.legal_basis))),
        (t(lang, "field-topics"), labels::taxonomy_list(lang, &c.topics)),
        (t(lang, "field-client_age"), c.client_age.to_string()),
        (t(lang, "field-client_county"), labels::county(lang, &c.client_county)),
        (t(lang, "field-client_services"), labels::taxonomy_list(lang, &c.client_services)),
        (t(lang, "filter-centre"), labels::centre(lang, &c.centre)),
        (t(lang, "field-due"), c.due_date.as_deref().map(|d| labels::date(lang, d)).unwrap_or_else(|| "–".into())),
    ]
}

/// An event's note in the reader's language: centres and times by their
/// names, the panel by its members; what a user wrote (reasons) as written.
fn event_note(lang: Language, action: &str, note: &str) -> String {
    match action {
        // Notes written before names were recorded held ids: shown as nothing.
        "assign" if note.contains(" expert(s), lead ") => String::new(),
        "assign" => {
            let mut names = note.split("; ").filter(|n| !n.is_empty());
            match names.next() {
                Some(lead) => {
                    let panel = names.collect::<Vec<_>>().join(", ");
                    let key = if panel.is_empty() { "event-note-lead" } else { "event-note-panel" };
                    i18n::t_args(lang, key, &[("lead", lead.to_string()), ("panel", panel)])
                }
                None => String::new(),
            }
        }
        "reroute" => match note.split_once(": ").and_then(|(way, reason)| Some((way.split_once(" → ")?, reason))) {
            Some(((from, to), reason)) => {
                format!("{} → {}: {reason}", labels::centre(lang, from), labels::centre(lang, to))
            }
            None => note.to_string(),
        },
        "meeting" => note.parse::<i64>().map(|at| labels::moment(lang, at)).unwrap_or_default(),
        _ => note.to_string(),
    }
}

/// The case's events, messages and meetings, for the page.
fn history(lang: Language, detail: &CaseDetail) -> (Vec<Entry>, Vec<Entry>, Vec<MeetingItem>) {
    let entries = detail
        .events
        .iter()
        .map(|e| Entry {
            when: labels::moment(lang, e.at),
            text: match &e.actor_name {
                Some(name) => format!("{}, {name}", t(lang, &format!("event-{}", e.action))),
                None => t(lang, &format!("event-{}", e.action)),
            },
            note: event_note(lang, &e.action, e.note.as_deref().unwrap_or_default()),
            lang: lang.as_str().to_string(),
        })
        .collect();
    let messages = detail
        .messages
        .iter()
        .map(|m| Entry {
            when: labels::moment(lang, m.at),
            text: m.author_name.clone(),
            note: m.body.clone(),
            lang: m.author_language.clone(),
        })
        .collect();
    let meetings = detail
        .meetings
        .iter()
        .map(|m| MeetingItem {
            when: labels::moment(lang, m.starts_at),
            minutes: m.minutes,
            link: m.link.clone(),
            ics: format!("/api/v1/consultations/{}/meetings/{}.ics", detail.case.id, m.id),
        })
        .collect();
    (entries, messages, meetings)
}

/// What the case page shows beside the case: an error of the form just
/// sent, a notice of the move just made, a directory search of the triage form.
#[derive(Default)]
pub(super) struct Shown {
    pub error: Option<(Option<String>, String)>,
    pub notice: Option<String>,
    /// Words to look up in the whole directory, for assigning someone the
    /// suggestions do not include.
    pub find: String,
    /// A statement being previewed before it is published.
    pub draft: Option<StatementDraft>,
}

/// A statement as typed, before publishing.
#[derive(Default, Clone)]
pub struct StatementDraft {
    pub assessment: String,
    pub recommendations: String,
    pub methods: Vec<String>,
    pub follow_up: String,
}

/// Experts of the whole directory matching `words`, for the triage form.
async fn directory_matches(state: &AppState, lang: Language, words: &str) -> Result<Vec<Suggested>, AppError> {
    let query = tukiverkko_search::Query { text: words.to_string(), limit: 10, ..Default::default() };
    Ok(state
        .directory
        .search(&state.db, &query, move |index, result| {
            result
                .hits
                .iter()
                .filter_map(|hit| index.get(&hit.id))
                .map(|d| Suggested {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    reasons: [d.title.clone(), d.organization.clone(), labels::centre(lang, &d.centre)]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                })
                .collect()
        })
        .await?)
}

pub(super) async fn case_page<C: Cap>(
    state: &AppState,
    granted: &Require<C>,
    lang: Language,
    actor: &Actor,
    id: &str,
    shown: Shown,
) -> Result<Response, AppError> {
    let Shown { error, notice, find, draft } = shown;
    let previewing = draft.is_some() && error.is_none();
    let draft = draft.unwrap_or_default();
    let detail = match consultations::read(&state.db, id, actor).await {
        Err(tukiverkko_store::StoreError::AwaitingBarnahus { reference }) => {
            return Ok(super::barnahus::pending_page(lang, granted, &reference));
        }
        read => read?,
    };
    let allowed = allowed(&detail);
    let routing = super::routing::for_case(state, lang, &detail).await?.unwrap_or_default();
    let barnahus = super::barnahus::section(lang, &detail);
    let mut suggestions = if allowed.assign { suggestions(state, id, actor, lang).await? } else { Vec::new() };
    let found = if allowed.assign && !find.trim().is_empty() {
        let found = directory_matches(state, lang, &find).await?;
        found.into_iter().filter(|f| !suggestions.iter().any(|s| s.id == f.id)).collect()
    } else {
        Vec::new()
    };
    // The panel as it stands is offered too, ticked, so a declined part can be
    // replaced without choosing everyone again.
    let current: Vec<&tukiverkko_store::consultations::AssignedExpert> =
        detail.experts.iter().filter(|e| e.state != AssignmentState::Declined).collect();
    for e in &current {
        if !suggestions.iter().any(|s| s.id == e.expert_id) && !found.iter().any(|s| s.id == e.expert_id) {
            suggestions.insert(
                0,
                Suggested { id: e.expert_id.clone(), name: e.name.clone(), reasons: t(lang, "case-in-current-panel") },
            );
        }
    }
    if allowed.assign
        && let Some(proposed) = &detail.case.proposed_expert_id
        && !suggestions.iter().any(|s| &s.id == proposed)
        && let Ok(p) = tukiverkko_store::experts::find(&state.db, proposed).await
    {
        let name = format!("{} {}", p.given_name, p.family_name);
        suggestions.insert(0, Suggested { id: p.id, name, reasons: t(lang, "case-proposed-by-requester") });
    } else if let Some(proposed) = &detail.case.proposed_expert_id
        && let Some(s) = suggestions.iter_mut().find(|s| &s.id == proposed)
    {
        s.reasons = format!("{} · {}", t(lang, "case-proposed-by-requester"), s.reasons);
    }
    // Who a meeting can invite: the requester and the panel with accounts.
    let mut invitable = vec![Choice {
        value: detail.case.requester_id.clone(),
        label: format!("{} ({})", detail.requester.name, t(lang, "role-requester")),
        checked: true,
    }];
    invitable.extend(
        current
            .iter()
            .filter_map(|e| e.user_id.clone().map(|u| Choice { value: u, label: e.name.clone(), checked: true })),
    );
    let picked: Vec<String> = current.iter().map(|e| e.expert_id.clone()).collect();
    let lead = current.iter().find(|e| e.is_lead).map(|e| e.expert_id.clone()).unwrap_or_default();
    let c = &detail.case;
    let facts = facts(lang, c);
    let (entries, messages, meetings) = history(lang, &detail);
    let methods: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Method).map(|e| e.code).collect();
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let template = CasePage {
        page: PageContext::new(lang, Some(&granted.principal), "/consultations", "case-heading"),
        id: c.id.clone(),
        reference: c.reference.clone(),
        version: c.version,
        status: c.status.clone(),
        status_label: t(lang, &format!("status-{}", c.status)),
        facts,
        question: c.question.clone(),
        background: c.background.clone(),
        tried: c.tried.clone(),
        panel: detail
            .experts
            .iter()
            .map(|e| PanelMember {
                id: e.expert_id.clone(),
                name: e.name.clone(),
                lead: e.is_lead,
                state: t(lang, &format!("assignment-{}", e.state)),
                waiting: c.barnahus_at.is_none()
                    && e.state != AssignmentState::Declined
                    && super::barnahus::gated(&e.sector),
            })
            .collect(),
        entries,
        messages,
        meetings,
        statement: detail.statement.as_ref().map(|s| {
            (
                s.assessment.clone(),
                s.recommendations.clone(),
                labels::taxonomy_list(lang, &s.suggested_methods),
                s.follow_up.clone(),
            )
        }),
        byline: detail.statement.as_ref().map(|s| byline(lang, s)).unwrap_or_default(),
        // What users wrote is marked with its author's language, so a screen
        // reader reads Finnish text as Finnish on a Swedish page.
        text_lang: detail.requester.language.clone(),
        statement_lang: detail.statement.as_ref().and_then(|s| s.author_language.clone()).unwrap_or_default(),
        due: c.due_date.as_deref().map(|d| labels::date(lang, d)).unwrap_or_default(),
        requester: takes_part_as_centre(&detail).then(|| requester_facts(lang, &detail.requester)),
        feedback: detail.feedback.as_ref().map(|f| format!("{}/5", f.usefulness)),
        outcomes: super::outcome_view::section(lang, &detail),
        topic_codes: split(&c.topics).join(","),
        allowed,
        routing,
        barnahus,
        suggestions,
        found,
        find,
        picked,
        lead,
        centres: CentreCode::ALL
            .iter()
            .filter(|cc| cc.as_str() != c.centre)
            .map(|cc| Choice { value: cc.as_str().into(), label: labels::centre(lang, cc.as_str()), checked: false })
            .collect(),
        methods: choices(lang, &methods, None, &draft.methods),
        draft_methods: labels::taxonomy_list(lang, &draft.methods.join(";")),
        invitable,
        previewing,
        draft,
        error_anchor: error_field.replace('.', "-"),
        error_field,
        error,
        notice,
    };
    Ok(render(status, &template))
}

pub async fn show(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let find = uri
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "find").map(|(_, v)| v.into_owned()))
        .unwrap_or_default();
    text::check("find", &find, text::limits::QUERY, Lines::One).map_err(|e| AppError::invalid("find", e))?;
    let shown = Shown { notice: super::actions::done_notice(lang, &uri), find, ..Default::default() };
    case_page(&state, &granted, lang, &actor, &id, shown).await
}

#[derive(Template)]
#[template(path = "statement_print.html")]
struct PrintPage {
    page: PageContext,
    reference: String,
    answered: String,
    question: String,
    statement: (String, String, String, String),
}

/// The statement alone, laid out for paper.
pub async fn print(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let detail = match consultations::read(&state.db, &id, &actor).await {
        Err(tukiverkko_store::StoreError::AwaitingBarnahus { reference }) => {
            return Ok(super::barnahus::pending_page(lang, &granted, &reference));
        }
        read => read?,
    };
    let s = detail.statement.ok_or(AppError::NotFound)?;
    let methods = split(&s.suggested_methods).iter().map(|m| labels::taxonomy(lang, m)).collect::<Vec<_>>().join(", ");
    let template = PrintPage {
        page: PageContext::new(lang, Some(&granted.principal), "/consultations", "statement-heading"),
        reference: detail.case.reference,
        answered: byline(lang, &s),
        question: detail.case.question,
        statement: (s.assessment, s.recommendations, methods, s.follow_up),
    };
    Ok(render(StatusCode::OK, &template))
}
