//! Feedback after a training: asked only of those who attended, one answer
//! each, and shown to coordinators only as means over enough answers that
//! no single participant's answer can be told apart.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use tukiverkko_domain::disclosure;
use tukiverkko_domain::text::limits;
use tukiverkko_domain::training::{FeedbackScores, check_feedback};
use tukiverkko_store::{training_followup, trainings};
use utoipa::ToSchema;

use crate::auth::{Require, cap};
use crate::consultations::free_text;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::ops::ClientInfo;
use crate::state::AppState;
use tukiverkko_store::accounts::Account;

#[derive(Deserialize, ToSchema)]
pub struct FeedbackInput {
    /// How good the training was, 1 (poor) to 5 (excellent).
    pub rating: i64,
    /// How well I can apply it in my work, 1 (not at all) to 5 (fully).
    pub applicable: i64,
    #[serde(default)]
    pub comment: String,
}

/// Checks and stores an answer, alike for the API and the page: scores on
/// the scale, the comment through the identity-code guard, only after
/// attending (403) and only once (409).
pub async fn give(
    state: &AppState,
    account: &Account,
    client: &ClientInfo,
    id: &str,
    input: &FeedbackInput,
) -> Result<(), AppError> {
    trainings::get(&state.db, id).await?;
    let scores: FeedbackScores =
        check_feedback(input.rating, input.applicable).map_err(|(field, e)| AppError::invalid(field, e))?;
    let comment = free_text("comment", &input.comment, limits::LONG)?;
    training_followup::give_feedback(&state.db, id, &account.id, scores, &comment, &client.actor(account)).await?;
    Ok(())
}

/// Feedback results after disclosure control.
pub struct Results {
    /// How many answered, or None when fewer than the threshold did.
    pub responses: Option<usize>,
    pub rating: Option<f64>,
    pub applicable: Option<f64>,
    pub comments: Vec<String>,
}

fn mean(values: &[i64]) -> f64 {
    let sum: i64 = values.iter().sum();
    (sum as f64 / values.len() as f64 * 10.0).round() / 10.0
}

pub async fn results(state: &AppState, id: &str) -> Result<Results, AppError> {
    let answers = training_followup::feedback(&state.db, id).await?;
    let n = answers.ratings.len();
    if !disclosure::enough(n as u64, state.config.statistics_threshold) {
        return Ok(Results { responses: None, rating: None, applicable: None, comments: Vec::new() });
    }
    Ok(Results {
        responses: Some(n),
        rating: Some(mean(&answers.ratings)),
        applicable: Some(mean(&answers.applicable)),
        comments: answers.comments,
    })
}

/// Answer the feedback of a training you attended.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/feedback", params(("id" = String, Path)), request_body = FeedbackInput,
    security(("bearer" = [])), responses((status = 201, body = Object), (status = 403, description = "did not attend"),
    (status = 409, description = "already answered"), (status = 422, description = "invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FeedbackInput>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    give(&state, granted.account(), &client, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(json!({"training": id}))))
}

/// The training's feedback as means; under the statistics threshold of
/// answers nothing but "suppressed" is shown (coordinators).
#[utoipa::path(get, path = "/api/v1/trainings/{id}/feedback", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    _granted: Require<cap::ManageTraining>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    trainings::get(&state.db, &id).await?;
    let r = results(&state, &id).await?;
    let threshold = state.config.statistics_threshold;
    Ok(Json(json!({
        "responses": r.responses.map_or_else(|| json!(format!("<{threshold}")), |n| json!(n)),
        "suppressed": r.responses.is_none(),
        "rating": r.rating,
        "applicable": r.applicable,
        "comments": r.comments,
    })))
}
