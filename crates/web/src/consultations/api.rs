//! Creating, listing and reading consultations.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use tukiverkko_domain::consultation::{MAX_CLIENT_AGE, Status};
use tukiverkko_domain::reference::TaxonomyKind;
use tukiverkko_domain::{CountyCode, TaxonomyCode, calendar};
use tukiverkko_store::consultations::{self, ListFilter, NewConsultation};
use utoipa::{IntoParams, ToSchema};

use super::dto::{ConsultationView, CreateConsultation, ListView, RoutingProposalView, SummaryView};
use super::{actor, free_text, keep, required_text};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::extract::QueryParams;
use crate::i18n::Lang;
use crate::ops::ClientInfo;
use crate::state::AppState;

pub const MAX_TEXT: usize = 10_000;

pub fn topic_codes(field: &str, codes: &[String]) -> Result<Vec<String>, AppError> {
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            TaxonomyCode::parse(c, TaxonomyKind::Topic)
                .map(|t| t.as_str().to_string())
                .map_err(|e| AppError::invalid(&format!("{field}[{i}]"), e))
        })
        .collect()
}

/// The request as the API takes it: the first problem, by its field.
pub fn parse_new(body: CreateConsultation) -> Result<NewConsultation, AppError> {
    parse_new_all(body).map_err(|mut errors| errors.remove(0))
}

/// Every problem of a request at once (the form lists them all), or the
/// checked request.
pub fn parse_new_all(body: CreateConsultation) -> Result<NewConsultation, Vec<AppError>> {
    let mut errors = Vec::new();
    let question = keep(&mut errors, required_text("question", &body.question, MAX_TEXT));
    let background = keep(&mut errors, free_text("background", &body.background, MAX_TEXT));
    let tried = keep(&mut errors, free_text("tried", &body.tried, MAX_TEXT));
    let topics = keep(
        &mut errors,
        topic_codes("topics", &body.topics).and_then(|t| {
            if t.is_empty() {
                Err(AppError::Invalid {
                    code: "required".into(),
                    detail: "choose at least one topic".into(),
                    field: Some("topics".into()),
                })
            } else {
                Ok(t)
            }
        }),
    );
    let age = keep(
        &mut errors,
        if body.client.age > MAX_CLIENT_AGE {
            Err(AppError::Invalid {
                code: "out_of_range".into(),
                detail: format!("age must be 0–{MAX_CLIENT_AGE}"),
                field: Some("client.age".into()),
            })
        } else {
            Ok(body.client.age)
        },
    );
    let county =
        keep(&mut errors, body.client.county.parse::<CountyCode>().map_err(|e| AppError::invalid("client.county", e)));
    let services = keep(&mut errors, topic_codes("client.services", &body.client.services));
    match (question, background, tried, topics, age, county, services) {
        (
            Some(question),
            Some(background),
            Some(tried),
            Some(topics),
            Some(client_age),
            Some(client_county),
            Some(client_services),
        ) if errors.is_empty() => Ok(NewConsultation {
            question,
            background,
            tried,
            topics,
            urgency: body.urgency,
            format: body.format,
            legal_basis: body.legal_basis,
            client_age,
            client_county,
            client_services,
            proposed_expert: body.proposed_expert.map(|e| e.trim().to_string()).filter(|e| !e.is_empty()),
            service: body.service.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        }),
        _ => Err(errors),
    }
}

/// Ask for a consultation: creates a draft at the centre of the child's county.
#[utoipa::path(post, path = "/api/v1/consultations", request_body = CreateConsultation, security(("bearer" = [])),
    responses((status = 201, body = ConsultationView), (status = 422, description = "invalid field, e.g. an identity code in free text")))]
pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::RequestConsultation>,
    client: ClientInfo,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateConsultation>,
) -> Result<(StatusCode, Json<ConsultationView>), AppError> {
    let new = parse_new(body)?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    let case = create_case(&state, &actor, &new).await?;
    Ok((StatusCode::CREATED, Json(ConsultationView::from_case(case))))
}

/// Creates the draft; a proposed expert the directory does not know (or who
/// takes no consultations) is that field's error.
pub async fn create_case(
    state: &AppState,
    actor: &consultations::Actor,
    new: &consultations::NewConsultation,
) -> Result<consultations::CaseRow, AppError> {
    consultations::create(&state.db, actor, new).await.map_err(|e| match e {
        tukiverkko_store::StoreError::Invalid(v) if v.code == "unknown_expert" => {
            AppError::invalid("proposed_expert", v)
        }
        tukiverkko_store::StoreError::Invalid(v) if v.code == "unknown_service" => AppError::invalid("service", v),
        other => other.into(),
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    status: Option<String>,
}

/// The caller's consultations: own requests, assigned cases, the centre's queue (coordinators), due first.
#[utoipa::path(get, path = "/api/v1/consultations", params(ListQuery), security(("bearer" = [])), responses((status = 200, body = ListView)))]
pub async fn list(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Json<ListView>, AppError> {
    let status =
        q.status.as_deref().map(str::parse::<Status>).transpose().map_err(|e| AppError::invalid("status", e))?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    let rows = consultations::list(&state.db, &actor, &ListFilter { status }).await?;
    let today = calendar::to_helsinki(tukiverkko_store::now()).date().to_string();
    Ok(Json(ListView { items: rows.into_iter().map(|r| SummaryView::new(r, &today)).collect() }))
}

/// One consultation with its panel, thread, meetings, statement and feedback. The read is audited.
#[utoipa::path(get, path = "/api/v1/consultations/{id}", params(("id" = String, Path), ("X-Access-Reason" = Option<String>, Header, description = "admins: the written reason for break-glass access")),
    security(("bearer" = [])), responses((status = 200, body = ConsultationView), (status = 404, description = "no such case, or not yours")))]
pub async fn read(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Json<ConsultationView>, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let detail = consultations::read(&state.db, &id, &actor).await?;
    let proposals = super::routing::for_case(&state, lang, &detail).await?;
    let mut view = ConsultationView::from_detail(detail);
    view.routing_proposals = proposals.map(|items| {
        items.into_iter().map(|p| RoutingProposalView { centre: p.centre, topic: p.topic, reason: p.reason }).collect()
    });
    Ok(Json(view))
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionView {
    /// The expert's directory id.
    id: String,
    name: String,
    centre: String,
    score: i64,
    reasons: Vec<ReasonView>,
}

#[derive(Serialize, ToSchema)]
pub struct ReasonView {
    code: String,
    value: String,
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionsView {
    items: Vec<SuggestionView>,
}

/// Experts who fit the case, with the reason for each suggestion.
#[utoipa::path(get, path = "/api/v1/consultations/{id}/suggested-experts", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = SuggestionsView), (status = 409, description = "the case can no longer be assigned")))]
pub async fn suggested_experts(
    State(state): State<AppState>,
    granted: Require<cap::TriageConsultations>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<SuggestionsView>, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let items = consultations::suggest_experts(&state.db, &id, &actor, 10)
        .await?
        .into_iter()
        .map(|s| SuggestionView {
            id: s.expert_id,
            name: s.name,
            centre: s.centre,
            score: s.score,
            reasons: s.reasons.into_iter().map(|(code, value)| ReasonView { code: code.into(), value }).collect(),
        })
        .collect();
    Ok(Json(SuggestionsView { items }))
}
