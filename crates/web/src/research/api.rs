//! Research needs and prioritisation rounds over the API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tukiverkko_domain::research::NeedStatus;
use tukiverkko_store::research::{self, NeedFilter, NeedRow};
use utoipa::{IntoParams, ToSchema};

use super::{MIN_BALLOTS, check_need, check_round, https_url};
use crate::auth::{Require, cap};
use crate::consultations::actor;
use crate::error::AppError;
use crate::extract::{ApiJson, QueryParams};
use crate::ops::ClientInfo;
use crate::state::AppState;

#[derive(Deserialize, ToSchema, Default)]
pub struct NeedInput {
    pub title: String,
    /// The uncertainty in the submitter's own words.
    pub description: String,
    #[serde(default)]
    pub population: String,
    #[serde(default)]
    pub intervention: String,
    #[serde(default)]
    pub comparison: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub topics: Vec<String>,
    /// The consultation it came from (its requester or an assigned expert
    /// only); kept for counting, never shown.
    #[serde(default)]
    pub consultation: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceView {
    id: String,
    url: String,
    verdict: String,
}

#[derive(Serialize, ToSchema)]
pub struct NeedView {
    id: String,
    title: String,
    description: String,
    population: String,
    intervention: String,
    comparison: String,
    outcome: String,
    topics: Vec<String>,
    status: String,
    /// The need itself and every need merged into it.
    sources: i64,
    merged_into: Option<String>,
    centre: Option<String>,
    result_url: Option<String>,
    partner: Option<String>,
    partner_contact: Option<String>,
    proposed_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Vec<EvidenceView>>,
    /// The needs merged into this one (id and title).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    merged: Option<Vec<serde_json::Value>>,
}

impl NeedView {
    pub fn of(n: NeedRow) -> Self {
        Self {
            topics: n.topics.split(';').filter(|t| !t.is_empty()).map(String::from).collect(),
            id: n.id,
            title: n.title,
            description: n.description,
            population: n.population,
            intervention: n.intervention,
            comparison: n.comparison,
            outcome: n.outcome,
            status: n.status,
            sources: n.sources,
            merged_into: n.merged_into,
            centre: n.centre,
            result_url: n.result_url,
            partner: n.partner,
            partner_contact: n.partner_contact,
            proposed_at: n.proposed_at,
            created_at: n.created_at,
            updated_at: n.updated_at,
            version: n.version,
            evidence: None,
            merged: None,
        }
    }
}

/// Raise a research need; from a consultation, nothing of the case is copied.
#[utoipa::path(post, path = "/api/v1/research-needs", request_body = NeedInput, security(("bearer" = [])),
    responses((status = 201, body = NeedView), (status = 404, description = "the consultation named is not found or not the caller's"),
        (status = 422, description = "invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NeedInput>,
) -> Result<(StatusCode, Json<NeedView>), AppError> {
    let new = check_need(&body)?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    let row = research::submit(&state.db, &actor, &new).await?;
    Ok((StatusCode::CREATED, Json(NeedView::of(row))))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct NeedQuery {
    pub status: Option<String>,
    pub topic: Option<String>,
    pub centre: Option<String>,
    /// Only needs with at least this many sources.
    pub min_sources: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// `json` (default) or `csv` (a priority-setting template).
    pub format: Option<String>,
    /// Pages only: the case a new need is raised from, and its topics
    /// (comma-separated) to start the form with.
    #[serde(default)]
    #[param(ignore)]
    pub consultation: Option<String>,
    #[serde(default)]
    #[param(ignore)]
    pub prefill_topics: Option<String>,
}

impl NeedQuery {
    pub fn filter(&self) -> Result<NeedFilter, AppError> {
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            s.parse::<NeedStatus>().map_err(|e| AppError::invalid("status", e))?;
        }
        // The shared paging rule: a negative offset is 422 like everywhere
        // else, not quietly read as 0.
        let (limit, offset) = crate::catalogue::paging(self.limit, self.offset)?;
        let blank = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        Ok(NeedFilter {
            status: blank(&self.status),
            topic: blank(&self.topic),
            centre: blank(&self.centre),
            min_sources: self.min_sources,
            limit: limit as i64,
            offset: offset as i64,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct NeedList {
    items: Vec<NeedView>,
    total: i64,
}

/// Research needs, most sources first; `format=csv` gives every match in a priority-setting template.
#[utoipa::path(get, path = "/api/v1/research-needs", params(NeedQuery), security(("bearer" = [])),
    responses((status = 200, body = NeedList)))]
pub async fn list(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    QueryParams(q): QueryParams<NeedQuery>,
) -> Result<Response, AppError> {
    let mut filter = q.filter()?;
    // An unknown format is refused rather than answered as JSON, which the
    // client did not ask for.
    if let Some(other) = q.format.as_deref().filter(|f| !matches!(*f, "" | "json" | "csv")) {
        return Err(AppError::invalid(
            "format",
            tukiverkko_domain::ValueError::new("invalid_value", format!("format '{other}' is not json or csv")),
        ));
    }
    if q.format.as_deref() == Some("csv") {
        filter.limit = i64::MAX;
        filter.offset = 0;
        return super::export::csv(&state, &filter).await;
    }
    let (rows, total) = research::list(&state.db, &filter).await?;
    Ok(Json(NeedList { items: rows.into_iter().map(NeedView::of).collect(), total }).into_response())
}

/// One need with its evidence and the needs merged into it.
#[utoipa::path(get, path = "/api/v1/research-needs/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = NeedView), (status = 404, description = "no such need")))]
pub async fn get(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<Json<NeedView>, AppError> {
    let mut view = NeedView::of(research::get(&state.db, &id).await?);
    view.evidence = Some(
        research::evidence(&state.db, &id)
            .await?
            .into_iter()
            .map(|e| EvidenceView { id: e.id, url: e.url, verdict: e.verdict })
            .collect(),
    );
    view.merged = Some(
        research::merged_sources(&state.db, &id)
            .await?
            .into_iter()
            .map(|m| serde_json::json!({"id": m.id, "title": m.title}))
            .collect(),
    );
    Ok(Json(view))
}

/// A reviewer rewrites the need as an indicative question (PICO).
#[utoipa::path(put, path = "/api/v1/research-needs/{id}", params(("id" = String, Path)), request_body = NeedInput,
    security(("bearer" = [])), responses((status = 200, body = NeedView)))]
pub async fn rewrite(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NeedInput>,
) -> Result<Json<NeedView>, AppError> {
    let mut new = check_need(&body)?;
    new.consultation = None;
    let actor = actor(&state, &granted, &client, &headers).await?;
    Ok(Json(NeedView::of(research::rewrite(&state.db, &id, &actor, &new).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct MergeInput {
    /// The need this one duplicates.
    into: String,
}

/// Merge a duplicate into another need; its sources count there.
#[utoipa::path(post, path = "/api/v1/research-needs/{id}/merge", params(("id" = String, Path)), request_body = MergeInput,
    security(("bearer" = [])), responses((status = 200, body = NeedView), (status = 409, description = "cannot merge")))]
pub async fn merge(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeInput>,
) -> Result<Json<NeedView>, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let row = research::merge(&state.db, &id, body.into.trim(), &actor).await.map_err(|e| match e {
        tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("into", v),
        other => other.into(),
    })?;
    Ok(Json(NeedView::of(row)))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusInput {
    status: String,
    #[serde(default)]
    note: String,
    /// Required for `published`: where the results are (https).
    #[serde(default)]
    result_url: Option<String>,
    /// For `proposed` (required): the partner organisation, by id or name (see /api/v1/research-partners).
    #[serde(default)]
    partner: Option<String>,
    /// For `proposed`: the contact person there.
    #[serde(default)]
    contact: Option<String>,
}

/// Move a need along the pipeline; a move not in it answers 409.
#[utoipa::path(post, path = "/api/v1/research-needs/{id}/status", params(("id" = String, Path)), request_body = StatusInput,
    security(("bearer" = [])), responses((status = 200, body = NeedView), (status = 409, description = "not a move of the pipeline")))]
pub async fn status(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatusInput>,
) -> Result<Json<NeedView>, AppError> {
    let (to, m) = super::check_move(&super::MoveInput {
        status: &body.status,
        note: &body.note,
        result_url: body.result_url.as_deref(),
        partner: body.partner.as_deref(),
        contact: body.contact.as_deref(),
    })?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    Ok(Json(NeedView::of(research::move_status(&state.db, &id, &actor, to, &m).await.map_err(super::move_error)?)))
}

#[derive(Deserialize, ToSchema)]
pub struct EvidenceInput {
    /// A systematic review or guideline (https).
    url: String,
    /// A short verdict: what it says of the uncertainty.
    verdict: String,
}

/// Attach the evidence checked to a need.
#[utoipa::path(post, path = "/api/v1/research-needs/{id}/evidence", params(("id" = String, Path)), request_body = EvidenceInput,
    security(("bearer" = [])), responses((status = 201, body = EvidenceView)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EvidenceInput>,
) -> Result<(StatusCode, Json<EvidenceView>), AppError> {
    let url = https_url("url", body.url.trim())?;
    let verdict =
        crate::consultations::required_text("verdict", &body.verdict, tukiverkko_domain::text::limits::REASON)?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    let e = research::add_evidence(&state.db, &id, &actor, &url, &verdict).await?;
    Ok((StatusCode::CREATED, Json(EvidenceView { id: e.id, url: e.url, verdict: e.verdict })))
}

/// Follow a need, to be told when it moves.
#[utoipa::path(post, path = "/api/v1/research-needs/{id}/follow", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "following")))]
pub async fn follow(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    research::follow_need(&state.db, &id, &granted.account().id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct RoundInput {
    pub title: String,
    /// Confirmed needs (status uncertainty_confirmed or prioritised).
    pub needs: Vec<String>,
    /// The stakeholder groups taking part.
    pub groups: Vec<String>,
    /// RFC 3339, in the future.
    pub closes_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct RoundView {
    id: String,
    title: String,
    needs: Vec<String>,
    groups: Vec<String>,
    closes_at: String,
    open: bool,
}

impl RoundView {
    fn of(r: research::RoundRow) -> Self {
        let closes = crate::labels::rfc3339(r.closes_at);
        Self {
            open: tukiverkko_store::now() < r.closes_at,
            needs: r.needs(),
            groups: r.groups(),
            id: r.id,
            title: r.title,
            closes_at: closes,
        }
    }
}

/// Open a prioritisation round over confirmed needs.
#[utoipa::path(post, path = "/api/v1/prioritisations", request_body = RoundInput, security(("bearer" = [])),
    responses((status = 201, body = RoundView), (status = 422, description = "invalid field")))]
pub async fn create_round(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RoundInput>,
) -> Result<(StatusCode, Json<RoundView>), AppError> {
    let round = check_round(&body)?;
    let actor = actor(&state, &granted, &client, &headers).await?;
    let row = research::create_round(&state.db, &actor, &round.title, &round.needs, &round.groups, round.closes_at)
        .await
        .map_err(super::round_error)?;
    Ok((StatusCode::CREATED, Json(RoundView::of(row))))
}

#[derive(Serialize, ToSchema)]
pub struct RoundList {
    items: Vec<RoundView>,
    total: usize,
}

/// Prioritisation rounds, newest first.
#[utoipa::path(get, path = "/api/v1/prioritisations", security(("bearer" = [])), responses((status = 200, body = RoundList)))]
pub async fn rounds(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
) -> Result<Json<RoundList>, AppError> {
    let items: Vec<RoundView> = research::rounds(&state.db).await?.into_iter().map(RoundView::of).collect();
    Ok(Json(RoundList { total: items.len(), items }))
}

#[utoipa::path(get, path = "/api/v1/prioritisations/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = RoundView)))]
pub async fn round(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<Json<RoundView>, AppError> {
    Ok(Json(RoundView::of(research::round(&state.db, &id).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct BallotInput {
    /// One of the round's stakeholder groups.
    group: String,
    /// Need ids, best first, at most 10.
    ranking: Vec<String>,
}

/// Rank up to ten needs of the round, once.
#[utoipa::path(post, path = "/api/v1/prioritisations/{id}/ballots", params(("id" = String, Path)), request_body = BallotInput,
    security(("bearer" = [])), responses((status = 201, description = "ballot recorded"), (status = 409, description = "already voted or closed")))]
pub async fn ballot(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BallotInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let ranking: Vec<String> = body.ranking.iter().map(|r| r.trim().to_string()).collect();
    research::cast_ballot(&state.db, &id, &actor, body.group.trim(), &ranking).await.map_err(super::ballot_error)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"group": body.group.trim(), "ranked": ranking.len()}))))
}

/// The round's result: rank r earns 11 − r points; each group weighs the same.
#[utoipa::path(get, path = "/api/v1/prioritisations/{id}/results", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "items best first, suppressed_groups", body = Object)))]
pub async fn results(
    State(state): State<AppState>,
    _granted: Require<cap::SignedIn>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let (round, result, ballots) = research::results(&state.db, &id, MIN_BALLOTS).await?;
    let items: Vec<serde_json::Value> = result
        .items
        .iter()
        .map(|i| serde_json::json!({"need": i.need, "score": i.score, "by_group": i.by_group}))
        .collect();
    Ok(Json(serde_json::json!({
        "id": round.id,
        "total": items.len(),
        "items": items,
        "suppressed_groups": result.suppressed_groups,
        "ballots": ballots,
    })))
}
