//! The research-needs pages: the list with filters and the top of the
//! latest round, a form to raise a need (also started from a case, with
//! only its topics filled in), and each need's page with its sources,
//! evidence and history, where reviewers move, merge and add evidence.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::research::NeedStatus;
use tukiverkko_domain::{Capability, Language};
use tukiverkko_store::research;

use super::api::{NeedInput, NeedQuery};
use super::{MIN_BALLOTS, check_need, https_url};
use crate::auth::{Require, cap};
use crate::consultations::{actor, required_text};
use crate::error::AppError;
use crate::extract::{FormFields, QueryParams};
use crate::i18n::{Lang, error_message, t};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct NeedLine {
    pub id: String,
    pub title: String,
    pub status: String,
    pub sources: i64,
    pub topics: String,
}

pub struct TopLine {
    pub title: String,
    pub id: String,
    pub score: String,
}

#[derive(Template)]
#[template(path = "research_needs.html")]
struct ListPage {
    page: PageContext,
    notice: Option<String>,
    errors: Vec<(Option<String>, String)>,
    statuses: Vec<Choice>,
    topics: Vec<Choice>,
    min_sources: String,
    lines: Vec<NeedLine>,
    total: i64,
    top: Vec<TopLine>,
    top_title: String,
    form: NeedInput,
    csv_link: String,
    /// Coordinators and researchers see and add the partner organisations.
    reviewer: bool,
    partners: Vec<tukiverkko_store::research_partners::PartnerRow>,
    partner_kinds: Vec<(&'static str, String)>,
    /// Prioritisation rounds: id, title, closing time.
    rounds: Vec<(String, String, String)>,
    /// The centre filter, with "any" first, and the topic filtered on.
    centres: Vec<Choice>,
    filter_topic: String,
    /// Needs a reviewer may put in a new round (confirmed or prioritised).
    rankable: Vec<(String, String)>,
}

/// The PICO fields with their values, for one loop in the templates.
fn pico<'a>(
    population: &'a str,
    intervention: &'a str,
    comparison: &'a str,
    outcome: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![("population", population), ("intervention", intervention), ("comparison", comparison), ("outcome", outcome)]
}

impl ListPage {
    fn pico(&self) -> Vec<(&'static str, &str)> {
        pico(&self.form.population, &self.form.intervention, &self.form.comparison, &self.form.outcome)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f.as_deref() == Some(field)).map(|(_, m)| m.as_str())
    }
}

fn status_choices(lang: Language, current: Option<&str>, with_any: bool) -> Vec<Choice> {
    let any =
        with_any.then(|| Choice { value: String::new(), label: t(lang, "research-any"), selected: current.is_none() });
    any.into_iter()
        .chain(NeedStatus::ALL.iter().map(|s| Choice {
            value: s.as_str().into(),
            label: t(lang, &format!("need-status-{}", s.as_str())),
            selected: current == Some(s.as_str()),
        }))
        .collect()
}

fn topic_choices(lang: Language, chosen: &[String]) -> Vec<Choice> {
    reference::taxonomy_of(TaxonomyKind::Topic)
        .map(|e| Choice {
            value: e.code.into(),
            label: labels::taxonomy(lang, e.code),
            selected: chosen.iter().any(|c| c == e.code),
        })
        .collect()
}

/// The needs, filtered, with the form to raise one.
pub async fn list_page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
    QueryParams(q): QueryParams<NeedQuery>,
) -> Result<Response, AppError> {
    let notice = crate::templates::done_notice(lang, &uri, "research-done", &DONE);
    let topics = q.prefill_topics.as_deref().unwrap_or_default().split(',').filter(|t| !t.is_empty()).map(String::from);
    let form = NeedInput { topics: topics.collect(), consultation: q.consultation.clone(), ..Default::default() };
    list_response(&state, &granted, lang, &q, notice, Vec::new(), form, StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn list_response(
    state: &AppState,
    granted: &Require<cap::SignedIn>,
    lang: Language,
    q: &NeedQuery,
    notice: Option<String>,
    errors: Vec<(Option<String>, String)>,
    form: NeedInput,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut filter = q.filter()?;
    filter.limit = 100;
    let (rows, total) = research::list(&state.db, &filter).await?;
    let lines = rows
        .into_iter()
        .map(|n| NeedLine {
            topics: labels::taxonomy_list(lang, &n.topics),
            status: t(lang, &format!("need-status-{}", n.status)),
            id: n.id,
            title: n.title,
            sources: n.sources,
        })
        .collect();
    let all_rounds = research::rounds(&state.db).await?;
    let (mut top, mut top_title) = (Vec::new(), String::new());
    if let Some(latest) = all_rounds.first() {
        let (round, result, _) = research::results(&state.db, &latest.id, MIN_BALLOTS).await?;
        top_title = round.title;
        for item in result.items.into_iter().filter(|i| i.score > 0.0).take(10) {
            let title = research::get(&state.db, &item.need).await.map(|n| n.title).unwrap_or_default();
            top.push(TopLine { title, id: item.need, score: format!("{:.2}", item.score) });
        }
    }
    let csv_link = format!(
        "/api/v1/research-needs?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("status", q.status.as_deref().unwrap_or(""))
            .append_pair("topic", q.topic.as_deref().unwrap_or(""))
            .append_pair("centre", q.centre.as_deref().unwrap_or(""))
            .append_pair("format", "csv")
            .finish()
    );
    let reviewer = Capability::ReviewResearchNeeds.granted_by(&granted.account().roles);
    let partners = if reviewer { tukiverkko_store::research_partners::list(&state.db).await? } else { Vec::new() };
    let rounds = all_rounds.into_iter().map(|r| (r.id, r.title, labels::moment(lang, r.closes_at))).collect();
    let mut rankable = Vec::new();
    if reviewer {
        for status in ["uncertainty_confirmed", "prioritised"] {
            let filter = research::NeedFilter { status: Some(status.into()), limit: 100, ..Default::default() };
            rankable.extend(research::list(&state.db, &filter).await?.0.into_iter().map(|n| (n.id, n.title)));
        }
    }
    let page = PageContext::new(lang, Some(&granted.principal), "/research-needs", "research-heading");
    Ok(render(
        status,
        &ListPage {
            page,
            notice,
            errors,
            statuses: status_choices(lang, q.status.as_deref().filter(|s| !s.is_empty()), true),
            centres: std::iter::once(Choice {
                value: String::new(),
                label: t(lang, "research-any"),
                selected: q.centre.as_deref().is_none_or(str::is_empty),
            })
            .chain(tukiverkko_domain::CentreCode::ALL.iter().map(|c| Choice {
                value: c.as_str().into(),
                label: labels::centre(lang, c.as_str()),
                selected: q.centre.as_deref() == Some(c.as_str()),
            }))
            .collect(),
            filter_topic: q.topic.clone().unwrap_or_default(),
            topics: topic_choices(lang, &form.topics),
            min_sources: q.min_sources.map(|m| m.to_string()).unwrap_or_default(),
            lines,
            total,
            top,
            top_title,
            form,
            csv_link,
            reviewer,
            partners,
            rounds,
            rankable,
            partner_kinds: tukiverkko_store::research_partners::KINDS
                .iter()
                .map(|k| (*k, t(lang, &format!("partner-kind-{k}"))))
                .collect(),
        },
    ))
}

/// The list page after a refused partner organisation, with the error.
pub async fn list_with_error(
    state: &AppState,
    granted: &Require<cap::SignedIn>,
    lang: Language,
    error: (Option<String>, String),
    status: StatusCode,
) -> Result<Response, AppError> {
    list_response(state, granted, lang, &NeedQuery::default(), None, vec![error], NeedInput::default(), status).await
}

/// Notices after a change made on these pages.
pub const DONE: [&str; 6] = ["submitted", "status", "merge", "evidence", "follow", "partner"];

/// The form to raise a need; errors show the form again with what was typed.
pub async fn create_from_page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, AppError> {
    let input = NeedInput {
        title: f.one("title"),
        description: f.one("description"),
        population: f.one("population"),
        intervention: f.one("intervention"),
        comparison: f.one("comparison"),
        outcome: f.one("outcome"),
        topics: f.all("topics"),
        consultation: Some(f.one("consultation")).filter(|c| !c.is_empty()),
    };
    let result = match check_need(&input) {
        Ok(new) => {
            let actor = actor(&state, &granted, &client, &headers).await?;
            research::submit(&state.db, &actor, &new).await.map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/research-needs/{}?done=submitted", row.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let errors = vec![error_message(lang, &e)];
            list_response(
                &state,
                &granted,
                lang,
                &NeedQuery::default(),
                None,
                errors,
                input,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub struct HistoryLine {
    pub when: String,
    pub who: String,
    pub what: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "research_need.html")]
struct NeedPage {
    page: PageContext,
    notice: Option<String>,
    errors: Vec<(Option<String>, String)>,
    need: research::NeedRow,
    status: String,
    topics: String,
    merged_into: Option<(String, String)>,
    sources: Vec<(String, String)>,
    evidence: Vec<research::EvidenceRow>,
    history: Vec<HistoryLine>,
    reviewer: bool,
    moves: Vec<Choice>,
    partners: Vec<tukiverkko_store::research_partners::PartnerRow>,
}

impl NeedPage {
    fn pico(&self) -> Vec<(&'static str, &str)> {
        pico(&self.need.population, &self.need.intervention, &self.need.comparison, &self.need.outcome)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f.as_deref() == Some(field)).map(|(_, m)| m.as_str())
    }
}

pub async fn need_page(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let notice = crate::templates::done_notice(lang, &uri, "research-done", &DONE);
    need_response(&state, &granted, lang, &id, notice, Vec::new(), StatusCode::OK).await
}

async fn need_response(
    state: &AppState,
    granted: &Require<cap::SignedIn>,
    lang: Language,
    id: &str,
    notice: Option<String>,
    errors: Vec<(Option<String>, String)>,
    code: StatusCode,
) -> Result<Response, AppError> {
    let need = research::get(&state.db, id).await?;
    let status: NeedStatus = need.status.parse().unwrap_or(NeedStatus::Submitted);
    let merged_into = match &need.merged_into {
        Some(target) => research::get(&state.db, target).await.ok().map(|n| (n.id, n.title)),
        None => None,
    };
    let sources = research::merged_sources(&state.db, id).await?.into_iter().map(|n| (n.id, n.title)).collect();
    let history = research::history(&state.db, id)
        .await?
        .into_iter()
        .map(|e| HistoryLine {
            when: labels::moment(lang, e.at),
            who: e.actor_name.unwrap_or_default(),
            what: match e.to_status.as_deref().filter(|s| !s.is_empty()) {
                Some(s) if e.action == "status" || e.action == "submit" || e.action == "merge" => {
                    t(lang, &format!("need-status-{s}"))
                }
                _ => t(lang, &format!("need-event-{}", e.action)),
            },
            note: e.note,
        })
        .collect();
    let reviewer = Capability::ReviewResearchNeeds.granted_by(&granted.account().roles);
    let moves = NeedStatus::ALL
        .iter()
        .filter(|to| tukiverkko_domain::research::can_move(status, **to))
        .map(|s| Choice {
            value: s.as_str().into(),
            label: t(lang, &format!("need-status-{}", s.as_str())),
            selected: false,
        })
        .collect();
    let partners = if reviewer { tukiverkko_store::research_partners::list(&state.db).await? } else { Vec::new() };
    let page = PageContext::new(lang, Some(&granted.principal), "/research-needs", "research-need-heading");
    Ok(render(
        code,
        &NeedPage {
            partners,
            page,
            notice,
            errors,
            status: t(lang, &format!("need-status-{}", need.status)),
            topics: labels::taxonomy_list(lang, &need.topics),
            need,
            merged_into,
            sources,
            evidence: research::evidence(&state.db, id).await?,
            history,
            reviewer,
            moves,
        },
    ))
}

/// The need page's forms; the `action` field says which.
pub async fn act(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
    f: FormFields,
) -> Result<Response, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?;
    let reviewer = Capability::ReviewResearchNeeds.granted_by(&granted.account().roles);
    let action = f.one("action");
    let outcome: Result<(), AppError> = async {
        match action.as_str() {
            "follow" => research::follow_need(&state.db, &id, &granted.account().id).await.map_err(Into::into),
            _ if !reviewer => Err(AppError::Forbidden),
            "status" => {
                let (status, note, url) = (f.one("status"), f.one("note"), f.one("result_url"));
                let (partner, contact) = (f.one("partner"), f.one("contact"));
                let (to, m) = super::check_move(&super::MoveInput {
                    status: &status,
                    note: &note,
                    result_url: Some(&url),
                    partner: Some(&partner),
                    contact: Some(&contact),
                })?;
                research::move_status(&state.db, &id, &actor, to, &m).await.map(|_| ()).map_err(super::move_error)
            }
            "merge" => {
                research::merge(&state.db, &id, f.one("into").trim(), &actor).await.map(|_| ()).map_err(|e| match e {
                    tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("into", v),
                    other => other.into(),
                })
            }
            "evidence" => {
                let url = https_url("url", f.one("url").trim())?;
                let verdict = required_text("verdict", &f.one("verdict"), tukiverkko_domain::text::limits::REASON)?;
                research::add_evidence(&state.db, &id, &actor, &url, &verdict).await.map(|_| ()).map_err(Into::into)
            }
            _ => Err(AppError::BadRequest { detail: "unknown action".into(), field: Some("action".into()) }),
        }
    }
    .await;
    match outcome {
        Ok(()) => {
            let done = DONE.iter().find(|a| **a == action).copied().unwrap_or("status");
            Ok(Redirect::to(&format!("/research-needs/{id}?done={done}")).into_response())
        }
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let code = e.status();
            need_response(&state, &granted, lang, &id, None, vec![error_message(lang, &e)], code).await
        }
        Err(e) => Err(e),
    }
}
