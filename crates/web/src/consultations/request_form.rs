//! The request form: a new request (from scratch, from an expert's profile
//! or through a catalogue service) and the draft edit share it, with every
//! problem reported at once and soft warnings confirmed before saving.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Language;
use tukiverkko_domain::consultation::{Format, LegalBasis, Urgency};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_store::consultations;

use super::api::parse_new_all;
use super::dto::{ClientInput, CreateConsultation};
use super::pages::{Choice, choices, field_error};
use super::{actor, keep};
use crate::auth::{Cap, Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{Lang, error_message};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

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
    /// The catalogue service asked through (id), and what the form says of it.
    pub service: String,
    pub service_note: String,
    /// Topics ticked when the form opens (from the service).
    pub topics: Vec<String>,
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

impl NewPage {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, m)| m.as_str())
            .or_else(|| field_error(&self.error_field, &self.error, name))
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
        topics: choices(lang, &topics, None, &if fields.is_some() { picked("topics") } else { form.topics.clone() }),
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
    let mut form = RequestForm { county, proposed_expert, proposed_name, ..RequestForm::default() };
    let service = uri
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "service").map(|(_, v)| v.into_owned()));
    if let Some(id) = service {
        super::through_service::prefill(&state, lang, &id, &mut form).await?;
    }
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
        service: fields.one("service"),
        service_note: fields.one("service_note"),
        topics: Vec::new(),
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
        service: Some(fields.one("service")),
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
