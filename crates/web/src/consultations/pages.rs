//! The consultation pages: list and queue, the request form, the case page
//! with the actions the caller may take, and a print view of the statement.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::consultation::{self, Action, AssignmentState, Format, LegalBasis, Status, Urgency};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::text::{self, Lines};
use tukiverkko_domain::{Capability, CentreCode, Language, calendar};
use tukiverkko_store::consultations::{self, Actor, CaseDetail, ListFilter};
use tukiverkko_store::experts::split;

use super::api::parse_new_all;
use super::dto::{ClientInput, CreateConsultation};
use super::{actor, keep};
use crate::auth::{Cap, Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{self, Lang, error_message, t};
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

/// The values of the request form, kept when it is shown again with errors.
#[derive(Default, Clone)]
pub struct RequestForm {
    /// The expert proposed from their profile (directory id) and their name.
    pub proposed_expert: String,
    pub proposed_name: String,
    pub question: String,
    pub background: String,
    pub tried: String,
    pub age: String,
    pub county: String,
}

#[derive(Template)]
#[template(path = "consultation_new.html")]
pub(super) struct NewPage {
    page: PageContext,
    form: RequestForm,
    topics: Vec<Choice>,
    services: Vec<Choice>,
    counties: Vec<Choice>,
    urgencies: Vec<Choice>,
    formats: Vec<Choice>,
    bases: Vec<Choice>,
    error_field: String,
    error_anchor: String,
    error: Option<String>,
    /// Text that may identify someone, shown back before saving.
    pub(super) warnings: Vec<super::warnings::WarningView>,
    /// Where the form is sent: a new request, or a draft being edited.
    pub(super) action: String,
    /// Every problem of the form, as field and message.
    pub(super) errors: Vec<(String, String)>,
    /// The version of the draft being edited, so a stale edit is refused.
    version: String,
}

/// The message for a field when the error belongs to it.
fn field_error<'a>(error_field: &str, error: &'a Option<String>, name: &str) -> Option<&'a str> {
    if error_field == name { error.as_deref() } else { None }
}

impl NewPage {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, m)| m.as_str())
            .or_else(|| field_error(&self.error_field, &self.error, name))
    }
}

impl CasePage {
    fn err(&self, name: &str) -> Option<&str> {
        field_error(&self.error_field, &self.error, name)
    }
}

const SERVICES: &[&str] = &[
    "child_welfare",
    "foster_care",
    "institutional_care",
    "family_foster_care",
    "child_psychiatry",
    "adolescent_psychiatry",
    "education_support",
    "disability",
    "substance_abuse",
    "criminal_sanctions",
    "immigrants",
];

fn choices(lang: Language, values: &[&str], key_prefix: Option<&str>, chosen: &[String]) -> Vec<Choice> {
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

pub(super) fn new_page<C: Cap>(
    lang: Language,
    granted: &Require<C>,
    form: RequestForm,
    fields: Option<&FormFields>,
    error: Option<(Option<String>, String)>,
) -> NewPage {
    let picked = |name: &str| fields.map(|f| f.all(name)).unwrap_or_default();
    let one = |name: &str, default: &str| {
        vec![fields.map(|f| f.one(name)).filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())]
    };
    let topics: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Topic).map(|e| e.code).collect();
    let counties = reference::counties()
        .iter()
        .map(|c| Choice {
            value: c.code.to_string(),
            label: labels::county(lang, c.code),
            checked: form.county == c.code,
        })
        .collect();
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    NewPage {
        page: PageContext::new(lang, Some(&granted.principal), "/consultations/new", "request-heading"),
        topics: choices(lang, &topics, None, &picked("topics")),
        services: choices(lang, SERVICES, None, &picked("services")),
        counties,
        urgencies: choices(lang, &["urgent", "normal", "planned"], Some("urgency"), &one("urgency", "normal")),
        formats: choices(lang, &["statement", "meeting", "visit"], Some("format"), &one("format", "statement")),
        bases: choices(
            lang,
            &["guardian_consent", "child_consent", "statutory"],
            Some("basis"),
            &one("legal_basis", ""),
        ),
        form,
        error_anchor: error_field.replace('.', "-"),
        error_field,
        error,
        warnings: Vec::new(),
        action: "/consultations".into(),
        errors: Vec::new(),
        version: fields.map(|f| f.one("version")).unwrap_or_default(),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    granted: Require<cap::RequestConsultation>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let account = granted.account();
    // The form pre-fills the requester's own county.
    let county = match &account.organization_id {
        Some(org) => tukiverkko_store::accounts::organization_county(&state.db, org).await?.unwrap_or_default(),
        None => String::new(),
    };
    // Asked from an expert's profile: that expert is proposed.
    let expert = uri
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "expert").map(|(_, v)| v.into_owned()));
    let proposed = match expert {
        Some(id) => tukiverkko_store::experts::find(&state.db, &id)
            .await
            .ok()
            .filter(|p| p.accepts_consultations)
            .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name))),
        None => None,
    };
    let (proposed_expert, proposed_name) = proposed.unwrap_or_default();
    let form = RequestForm { county, proposed_expert, proposed_name, ..RequestForm::default() };
    Ok(render(StatusCode::OK, &new_page(lang, &granted, form, None, None)))
}

/// A choice of the form (urgency, format, legal basis) by the domain's `FromStr`.
fn choice<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, AppError> {
    value.parse().map_err(|_| AppError::Invalid {
        code: "required".into(),
        detail: format!("choose {field}"),
        field: Some(field.into()),
    })
}

/// The request form's values as typed, and the request they make.
pub(super) fn parse_form(fields: &FormFields) -> (RequestForm, Result<consultations::NewConsultation, Vec<AppError>>) {
    let form = RequestForm {
        proposed_expert: fields.one("proposed_expert"),
        proposed_name: fields.one("proposed_name"),
        question: fields.one("question"),
        background: fields.one("background"),
        tried: fields.one("tried"),
        age: fields.one("age"),
        county: fields.one("county"),
    };
    // The form's own fields first (a wrong one stands in with a placeholder
    // so the rest is still checked), then the request's rules: every
    // problem is reported at once.
    let mut errors = Vec::new();
    let age: Option<u8> = keep(
        &mut errors,
        form.age.trim().parse().map_err(|_| AppError::Invalid {
            code: "out_of_range".into(),
            detail: "age".into(),
            field: Some("client.age".into()),
        }),
    );
    let urgency = keep(&mut errors, choice::<Urgency>("urgency", &fields.one("urgency")));
    let format = keep(&mut errors, choice::<Format>("format", &fields.one("format")));
    let legal_basis = keep(&mut errors, choice::<LegalBasis>("legal_basis", &fields.one("legal_basis")));
    let body = CreateConsultation {
        question: form.question.clone(),
        background: form.background.clone(),
        tried: form.tried.clone(),
        topics: fields.all("topics"),
        urgency: urgency.unwrap_or(Urgency::Normal),
        format: format.unwrap_or(Format::Statement),
        legal_basis: legal_basis.unwrap_or(LegalBasis::GuardianConsent),
        client: ClientInput { age: age.unwrap_or(0), county: form.county.clone(), services: fields.all("services") },
        proposed_expert: Some(fields.one("proposed_expert")),
    };
    let parsed = match parse_new_all(body) {
        Ok(new) if errors.is_empty() => Ok(new),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    };
    (form, parsed)
}

/// The request of a sent form, or the form shown again: with every problem,
/// or with its soft warnings until the requester removes or confirms them
/// (nothing is saved before). `action` is where the form is sent.
pub(super) fn checked_request(
    lang: Language,
    granted: &Require<cap::RequestConsultation>,
    fields: &FormFields,
    action: &str,
) -> Result<consultations::NewConsultation, Box<Response>> {
    let (form, parsed) = parse_form(fields);
    let new =
        parsed.map_err(|errors| Box::new(form_with_errors(lang, granted, form.clone(), fields, &errors, action)))?;
    let warnings = super::warnings::of(lang, &form);
    if !warnings.is_empty() && fields.one(super::warnings::CONFIRM_FIELD) != "yes" {
        let mut view = new_page(lang, granted, form, Some(fields), None);
        view.warnings = warnings;
        view.action = action.to_string();
        return Err(Box::new(render(StatusCode::OK, &view)));
    }
    Ok(new)
}

/// The form again with every problem, in the summary and at each field.
pub(super) fn form_with_errors(
    lang: Language,
    granted: &Require<cap::RequestConsultation>,
    form: RequestForm,
    fields: &FormFields,
    errors: &[AppError],
    action: &str,
) -> Response {
    let first = errors.first().map(|e| error_message(lang, e));
    let mut view = new_page(lang, granted, form, Some(fields), first);
    view.errors = form_errors(lang, errors);
    view.action = action.to_string();
    render(StatusCode::UNPROCESSABLE_ENTITY, &view)
}

/// The form's problems as the page shows them: the first (for the shared
/// summary and focus) and all of them by field.
pub(super) fn form_errors(lang: Language, errors: &[AppError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| {
            let (field, message) = error_message(lang, e);
            (field.unwrap_or_default(), message)
        })
        .collect()
}

pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::RequestConsultation>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    fields: FormFields,
) -> Result<Response, AppError> {
    let new = match checked_request(lang, &granted, &fields, "/consultations") {
        Ok(new) => new,
        Err(page) => return Ok(*page),
    };
    let actor = actor(&state, &granted, &client, &headers).await?;
    let case = match super::api::create_case(&state, &actor, &new).await {
        Ok(case) => case,
        // A check only the store can make (the proposed expert) keeps the form.
        Err(err @ AppError::Invalid { .. }) => {
            let (form, _) = parse_form(&fields);
            return Ok(form_with_errors(lang, &granted, form, &fields, &[err], "/consultations"));
        }
        Err(err) => return Err(err),
    };
    if fields.one("action") == "submit" {
        consultations::submit(&state.db, &case.id, &actor, &state.config.service_levels).await?;
    }
    Ok(Redirect::to(&format!("/consultations/{}", case.id)).into_response())
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
    let detail = consultations::read(&state.db, id, actor).await?;
    let allowed = allowed(&detail);
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
    let detail = consultations::read(&state.db, &id, &actor).await?;
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
