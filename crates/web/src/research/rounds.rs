//! Prioritisation rounds in the browser: reviewers open a round from the
//! research-needs page, every participant ranks up to ten needs once on the
//! round's page, and the result is shown as the API computes it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::Language;
use tukiverkko_store::research;

use super::MIN_BALLOTS;
use super::api::RoundInput;
use crate::auth::{Require, cap};
use crate::consultations::actor;
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{Lang, error_message, t, t_args};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

/// The most needs one ballot ranks (rank 1 earns 10 points, rank 10 one).
const MAX_RANK: usize = 10;

pub struct ResultLine {
    pub title: String,
    pub score: String,
    pub parts: Vec<String>,
}

#[derive(Template)]
#[template(path = "prioritisation.html")]
struct RoundPage {
    page: PageContext,
    id: String,
    title: String,
    closes: String,
    open: bool,
    /// The group the reader ranked in, once they have.
    voted: Option<String>,
    groups: Vec<String>,
    /// Need id and title, in the round's order.
    needs: Vec<(String, String)>,
    ranks: Vec<usize>,
    ballots: usize,
    results: Vec<ResultLine>,
    suppressed: String,
    notice: Option<String>,
    errors: Vec<(Option<String>, String)>,
}

async fn round_view(
    state: &AppState,
    granted: &Require<cap::SignedIn>,
    lang: Language,
    id: &str,
    notice: Option<String>,
    errors: Vec<(Option<String>, String)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (round, result, ballots) = research::results(&state.db, id, MIN_BALLOTS).await?;
    let mut needs = Vec::new();
    for need in round.needs() {
        let title = research::get(&state.db, &need).await.map(|n| n.title).unwrap_or_default();
        needs.push((need, title));
    }
    let title_of = |id: &str| needs.iter().find(|(n, _)| n == id).map(|(_, t)| t.clone()).unwrap_or_default();
    let groups = round.groups();
    let results = result
        .items
        .iter()
        .map(|item| ResultLine {
            title: title_of(&item.need),
            score: labels::decimal(lang, item.score),
            parts: groups
                .iter()
                .map(|g| match item.by_group.get(g).copied().flatten() {
                    Some(points) => labels::decimal(lang, points),
                    None => t(lang, "round-suppressed"),
                })
                .collect(),
        })
        .collect();
    let page = PageContext::new(lang, Some(&granted.principal), "/research-needs", "round-heading");
    let voted = research::ballot_group(&state.db, id, &granted.account().id).await?;
    let template = RoundPage {
        page,
        id: round.id.clone(),
        closes: labels::moment(lang, round.closes_at),
        open: tukiverkko_store::now() < round.closes_at,
        voted,
        ranks: (1..=MAX_RANK.min(needs.len())).collect(),
        needs,
        ballots,
        results,
        suppressed: result.suppressed_groups.join(", "),
        groups,
        title: round.title,
        notice,
        errors,
    };
    Ok(render(status, &template))
}

pub async fn page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let notice = crate::templates::done_notice(lang, &uri, "round-done", &DONE);
    round_view(&state, &granted, lang, &id, notice, Vec::new(), StatusCode::OK).await
}

pub const DONE: [&str; 2] = ["ranked", "opened"];

/// The form's rank per need as a ranking, best first: ranks must run 1, 2,
/// 3 … without a gap or a rank given twice, so what the person sees is what
/// earns the points.
fn ranking(lang: Language, f: &FormFields, needs: &[String]) -> Result<Vec<String>, AppError> {
    let mut ranked: Vec<(usize, String)> = Vec::new();
    for need in needs {
        let value = f.one(&format!("rank_{need}"));
        if value.trim().is_empty() {
            continue;
        }
        let rank = value.trim().parse::<usize>().ok().filter(|r| (1..=MAX_RANK).contains(r));
        let rank = rank.ok_or_else(|| invalid("ranking", "out_of_range", t(lang, "round-rank-range")))?;
        ranked.push((rank, need.clone()));
    }
    ranked.sort();
    if ranked.is_empty() {
        return Err(invalid("ranking", "required", t(lang, "round-rank-none")));
    }
    for (i, (rank, _)) in ranked.iter().enumerate() {
        if *rank != i + 1 {
            let message = t_args(lang, "round-rank-gap", &[("n", (i + 1).to_string())]);
            return Err(invalid("ranking", "invalid_value", message));
        }
    }
    Ok(ranked.into_iter().map(|(_, need)| need).collect())
}

fn invalid(field: &str, code: &'static str, message: String) -> AppError {
    AppError::invalid(field, tukiverkko_domain::ValueError::new(code, message))
}

pub async fn ballot(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, AppError> {
    let round = research::round(&state.db, &id).await?;
    let outcome = async {
        let order = ranking(lang, &f, &round.needs())?;
        let actor = actor(&state, &granted, &client, &headers).await?;
        research::cast_ballot(&state.db, &id, &actor, f.one("group").trim(), &order).await.map_err(super::ballot_error)
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/prioritisations/{id}?done=ranked")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = e.status();
            round_view(&state, &granted, lang, &id, None, vec![error_message(lang, &e)], status).await
        }
        Err(e) => Err(e),
    }
}

/// A reviewer opens a round from the research-needs page: the needs
/// ticked, one group per line, and the day it closes (at 23:59 Finnish time).
pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::ReviewResearchNeeds>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, AppError> {
    let closes = tukiverkko_domain::calendar::from_helsinki(&f.one("closes_on"), "23:59")
        .map(labels::rfc3339)
        .unwrap_or_default();
    let input = RoundInput {
        title: f.one("round_title"),
        needs: f.all("round_needs"),
        groups: f.one("round_groups").lines().map(str::trim).filter(|g| !g.is_empty()).map(String::from).collect(),
        closes_at: closes,
    };
    let outcome = async {
        let round = super::check_round(&input)?;
        let actor = actor(&state, &granted, &client, &headers).await?;
        research::create_round(&state.db, &actor, &round.title, &round.needs, &round.groups, round.closes_at)
            .await
            .map_err(super::round_error)
    }
    .await;
    match outcome {
        Ok(row) => Ok(Redirect::to(&format!("/prioritisations/{}?done=opened", row.id)).into_response()),
        Err(AppError::Invalid { code, detail, field }) => {
            // The round form's fields are named apart from the need form's.
            let field = field.map(|f| match f.split('.').next().unwrap_or_default() {
                "title" => "round_title".to_string(),
                "needs" => "round_needs".to_string(),
                "groups" => "round_groups".to_string(),
                "closes_at" => "closes_on".to_string(),
                other => other.to_string(),
            });
            let e = AppError::Invalid { code, detail, field };
            let signed_in = granted.signed_in();
            super::pages::list_with_error(&state, &signed_in, lang, error_message(lang, &e), e.status()).await
        }
        Err(e) => Err(e),
    }
}
