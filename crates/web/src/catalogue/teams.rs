//! Teams over the API: a coordinator creates one for their centre; anyone
//! who may search experts finds and reads them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tukiverkko_domain::catalogue::{Names, TeamKind};
use tukiverkko_domain::text::{Lines, limits};
use tukiverkko_domain::{CentreCode, Language, TaxonomyCode, ValueError};
use tukiverkko_store::experts::split;
use tukiverkko_store::teams::{self, NewTeam, Team};
use utoipa::{IntoParams, ToSchema};

use super::team_search::{Ranked, search};
use super::{NAME_MAX, NamesInput, centre_or_own, county_codes, line, method_codes, names, paging};
use crate::auth::{Require, cap};
use crate::consultations::api::topic_codes;
use crate::error::AppError;
use crate::extract::{ApiJson, QueryParams};
use crate::i18n::Lang;
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct MemberInput {
    /// Expert directory id.
    pub expert: String,
    #[serde(default)]
    pub lead: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
pub struct TeamInput {
    pub name: NamesInput,
    pub kind: String,
    /// Defaults to the coordinator's own centre.
    #[serde(default)]
    pub centre: Option<String>,
    #[serde(default)]
    pub counties: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub accepts_consultations: Option<bool>,
}

/// A team as entered: one to fifty different members, at most one marked
/// lead (none marked: the first leads), codes from the reference data.
pub fn check_team(input: &TeamInput, own: Option<CentreCode>) -> Result<NewTeam, AppError> {
    let invalid = |field: &str, code: &'static str, msg: &str| AppError::invalid(field, ValueError::new(code, msg));
    let kind: TeamKind = input.kind.trim().parse().map_err(|e| AppError::invalid("kind", e))?;
    if input.members.is_empty() || input.members.len() > 50 {
        return Err(invalid("members", "out_of_range", "a team has 1–50 members"));
    }
    let mut members: Vec<(String, bool)> = Vec::new();
    for (i, m) in input.members.iter().enumerate() {
        let expert = m.expert.trim().to_string();
        if expert.is_empty() {
            return Err(invalid(&format!("members[{i}].expert"), "required", "name the expert"));
        }
        if members.iter().any(|(e, _)| *e == expert) {
            return Err(invalid(&format!("members[{i}].expert"), "duplicate", "the expert is listed twice"));
        }
        members.push((expert, m.lead.unwrap_or(false)));
    }
    match members.iter().filter(|(_, lead)| *lead).count() {
        0 => members[0].1 = true,
        1 => {}
        _ => return Err(invalid("members", "two_leads", "a team has one lead")),
    }
    Ok(NewTeam {
        name: names("name", &input.name, NAME_MAX, Lines::One)?,
        kind: kind.as_str().into(),
        centre: centre_or_own("centre", input.centre.as_deref(), own)?,
        counties: county_codes("counties", &input.counties)?,
        topics: topic_codes("topics", &input.topics)?,
        methods: method_codes("methods", &input.methods)?,
        members,
        contact: line("contact", &input.contact, limits::SHORT)?,
        accepts_consultations: input.accepts_consultations.unwrap_or(true),
    })
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub expert: String,
    pub name: String,
    pub title: String,
    pub sector: String,
    pub lead: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TeamView {
    pub id: String,
    #[schema(value_type = Object)]
    pub name: Names,
    pub kind: String,
    pub centre: String,
    pub counties: Vec<String>,
    pub topics: Vec<String>,
    pub methods: Vec<String>,
    pub members: Vec<MemberView>,
    /// The lead's expert id.
    pub lead: Option<String>,
    pub contact: String,
    pub accepts_consultations: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// The query's concepts the team was found by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<String>>,
}

impl TeamView {
    pub fn of(t: Team) -> Self {
        let members: Vec<MemberView> = t
            .members
            .into_iter()
            .map(|m| MemberView {
                expert: m.expert_id,
                name: m.name,
                title: m.title,
                sector: m.sector,
                lead: m.is_lead,
            })
            .collect();
        let t = t.team;
        Self {
            name: t.name().filled(),
            counties: split(&t.counties),
            topics: split(&t.topics),
            methods: split(&t.methods),
            lead: members.iter().find(|m| m.lead).map(|m| m.expert.clone()),
            members,
            id: t.id,
            kind: t.kind,
            centre: t.centre,
            contact: t.contact,
            accepts_consultations: t.accepts_consultations,
            score: None,
            matched: None,
        }
    }
}

/// Create a team of the coordinator's centre with members from the directory.
#[utoipa::path(post, path = "/api/v1/teams", request_body = TeamInput, security(("bearer" = [])),
    responses((status = 201, body = TeamView), (status = 403, description = "another centre"), (status = 422, description = "invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    granted: Require<cap::ManageServices>,
    client: ClientInfo,
    ApiJson(body): ApiJson<TeamInput>,
) -> Result<(StatusCode, Json<TeamView>), AppError> {
    let new = check_team(&body, granted.account().centre)?;
    let by = client.actor(granted.account());
    let team = teams::create(&state.db, granted.account(), &by, &new).await.map_err(|e| match e {
        tukiverkko_store::StoreError::Invalid(v) if v.code == "unknown_expert" => {
            let i = v.message.split(']').next().and_then(|s| s.strip_prefix("members[")).unwrap_or("0").to_string();
            AppError::invalid(&format!("members[{i}].expert"), v)
        }
        other => other.into(),
    })?;
    Ok((StatusCode::CREATED, Json(TeamView::of(team))))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    /// Free text, read into concepts as the expert search reads it.
    pub q: Option<String>,
    pub centre: Option<String>,
    pub topic: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Concept {
    concept: String,
    label: String,
    matched: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TeamList {
    pub items: Vec<TeamView>,
    pub total: usize,
    interpretation: Vec<Concept>,
}

/// Teams matching the query and filters, best first, with how the query was read.
pub async fn find(state: &AppState, lang: Language, q: &TeamQuery) -> Result<TeamList, AppError> {
    let (limit, offset) = paging(q.limit, q.offset)?;
    let text = line("q", q.q.as_deref().unwrap_or(""), limits::QUERY)?;
    let centre = match q.centre.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(c.parse::<CentreCode>().map_err(|e| AppError::invalid("centre", e))?),
        None => None,
    };
    let topic = match q.topic.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(
            TaxonomyCode::parse(t, tukiverkko_domain::reference::TaxonomyKind::Topic)
                .map_err(|e| AppError::invalid("topic", e))?
                .as_str(),
        ),
        None => None,
    };
    let all: Vec<Team> = teams::all(&state.db)
        .await?
        .into_iter()
        .filter(|t| centre.is_none_or(|c| t.team.centre == c.as_str()))
        .filter(|t| topic.is_none_or(|code| split(&t.team.topics).iter().any(|x| x == code)))
        .collect();
    let (ranked, interpretation) = search(all, &text);
    let total = ranked.len();
    let items = ranked
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|Ranked { team, score, concepts }| TeamView {
            score: Some(score),
            matched: Some(concepts),
            ..TeamView::of(team)
        })
        .collect();
    let interpretation = interpretation
        .into_iter()
        .map(|i| Concept { label: labels::taxonomy(lang, &i.concept), concept: i.concept, matched: i.matched })
        .collect();
    Ok(TeamList { items, total, interpretation })
}

/// Find teams by the same query analysis as experts, and by centre and topic.
#[utoipa::path(get, path = "/api/v1/teams", params(TeamQuery), security(("bearer" = [])),
    responses((status = 200, body = TeamList)))]
pub async fn list(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    Lang(lang): Lang,
    QueryParams(q): QueryParams<TeamQuery>,
) -> Result<Json<TeamList>, AppError> {
    Ok(Json(find(&state, lang, &q).await?))
}

/// One team with its members.
#[utoipa::path(get, path = "/api/v1/teams/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = TeamView), (status = 404, description = "no such team")))]
pub async fn get(
    State(state): State<AppState>,
    _granted: Require<cap::SearchExperts>,
    Path(id): Path<String>,
) -> Result<Json<TeamView>, AppError> {
    Ok(Json(TeamView::of(teams::get(&state.db, &id).await?)))
}
