//! The expert search page and profile page: plain HTML forms, no script.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tukiverkko_domain::Language;
use tukiverkko_store::experts::{self, split};

use super::api::{ExpertSearch, SearchParams, may_edit, run_search};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::i18n::{Lang, t, t_args};
use crate::labels;
use crate::state::AppState;
use crate::templates::{PageContext, render};

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct FilterView {
    pub name: &'static str,
    pub label: String,
    pub options: Vec<OptionView>,
}

pub struct ResultView {
    pub id: String,
    pub name: String,
    pub title: String,
    pub organization: String,
    pub place: String,
    pub topics: Vec<String>,
    pub highlight: String,
    pub remote: bool,
}

/// A team found by the same query, listed apart from people.
pub struct TeamResult {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub centre: String,
    pub topics: Vec<String>,
    pub members: usize,
}

/// Teams shown beside the people: they are few, so the first ones do.
const TEAMS_SHOWN: i64 = 10;

#[derive(Template)]
#[template(path = "experts.html")]
struct SearchPage {
    page: PageContext,
    q: String,
    filters: Vec<FilterView>,
    results: Vec<ResultView>,
    teams: Vec<TeamResult>,
    summary: String,
    searched: bool,
    /// The concepts the query was read into, each with a link dropping it,
    /// and those dropped, each with a link taking it back.
    understood: Vec<ConceptView>,
    dropped: Vec<ConceptView>,
    /// A filter is set: the folded filters start open.
    filtering: bool,
    /// The method filtered on, with its catalogue entry's label.
    method: Option<(String, String)>,
    prev: Option<String>,
    next: Option<String>,
}

const PAGE_SIZE: usize = 20;

fn facet_label(lang: Language, facet: &str, code: &str) -> String {
    match facet {
        "county" => labels::county(lang, code),
        "centre" => labels::centre(lang, code),
        "language" => labels::language_name(lang, code),
        "remote" => t(lang, if code == "true" { "remote-yes" } else { "remote-no" }),
        _ => labels::taxonomy(lang, code),
    }
}

fn filters(lang: Language, params: &SearchParams, found: &ExpertSearch) -> Vec<FilterView> {
    let selected = |name: &str| -> Option<&str> {
        match name {
            "county" => params.county.as_deref(),
            "centre" => params.centre.as_deref(),
            "sector" => params.sector.as_deref(),
            "topic" => params.topic.as_deref(),
            "method" => params.method.as_deref(),
            "language" => params.language.as_deref(),
            _ => params.remote.as_deref(),
        }
    };
    ["topic", "method", "sector", "county", "centre", "language", "remote"]
        .into_iter()
        .map(|name| {
            let chosen = selected(name).unwrap_or("");
            let mut options =
                vec![OptionView { value: String::new(), label: t(lang, "filter-any"), selected: chosen.is_empty() }];
            let mut counted: Vec<OptionView> = found
                .facets
                .get(name)
                .into_iter()
                .flatten()
                .map(|(code, count)| OptionView {
                    value: code.clone(),
                    label: format!("{} ({count})", facet_label(lang, name, code)),
                    selected: chosen == code,
                })
                .collect();
            counted.sort_by(|a, b| a.label.cmp(&b.label));
            options.extend(counted);
            FilterView { name, label: t(lang, &format!("filter-{name}")), options }
        })
        .collect()
}

/// A concept the query was read into, with the link that drops it.
pub struct ConceptView {
    pub label: String,
    pub matched: String,
    pub href: String,
}

fn concept_views(lang: Language, params: &SearchParams, found: &ExpertSearch) -> (Vec<ConceptView>, Vec<ConceptView>) {
    let with = |excluded: Vec<String>| {
        let mut p = params.clone();
        p.exclude_concept = excluded;
        page_link(&p, 0)
    };
    let understood = found
        .interpretation
        .iter()
        .map(|i| {
            let mut excluded = params.exclude_concept.clone();
            excluded.push(i.concept.clone());
            ConceptView { label: i.label.clone(), matched: i.matched.join(", "), href: with(excluded) }
        })
        .collect();
    let dropped = params
        .exclude_concept
        .iter()
        .map(|code| {
            let rest = params.exclude_concept.iter().filter(|c| *c != code).cloned().collect();
            // `matched` carries the code here, for the form's hidden field.
            ConceptView { label: labels::taxonomy(lang, code), matched: code.clone(), href: with(rest) }
        })
        .collect();
    (understood, dropped)
}

fn page_link(params: &SearchParams, offset: usize) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (k, v) in [
        ("q", &params.q),
        ("county", &params.county),
        ("centre", &params.centre),
        ("sector", &params.sector),
        ("topic", &params.topic),
        ("method", &params.method),
        ("language", &params.language),
        ("remote", &params.remote),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            pairs.push((k, v.to_string()));
        }
    }
    for code in &params.exclude_concept {
        pairs.push(("exclude_concept", code.clone()));
    }
    pairs.push(("offset", offset.to_string()));
    format!("/experts?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

pub async fn search(
    State(state): State<AppState>,
    granted: Require<cap::SearchExperts>,
    Lang(lang): Lang,
    uri: axum::http::Uri,
    QueryParams(mut params): QueryParams<SearchParams>,
) -> Result<Response, AppError> {
    params.limit = Some(PAGE_SIZE);
    params.exclude_concept = super::api::excluded_concepts(uri.query())?;
    let found = run_search(&state, &params, lang).await?;
    let (understood, dropped) = concept_views(lang, &params, &found);
    let offset = params.offset.unwrap_or(0);
    let results = found
        .items
        .iter()
        .map(|h| ResultView {
            id: h.id.clone(),
            name: h.name.clone(),
            title: h.title.clone(),
            organization: h.organization.clone(),
            place: format!("{} · {}", labels::county(lang, &h.county), labels::centre(lang, &h.centre)),
            topics: h.topics.iter().map(|c| labels::taxonomy(lang, c)).collect(),
            highlight: h.highlight.clone(),
            remote: h.remote,
        })
        .collect();
    let summary = t_args(lang, "experts-results", &[("count", found.total.to_string())]);
    // The team finder reads the query as the expert index does; the same
    // centre and topic filters apply to teams.
    let team_query = crate::catalogue::teams::TeamQuery {
        q: params.q.clone(),
        centre: params.centre.clone(),
        topic: params.topic.clone(),
        limit: Some(TEAMS_SHOWN),
        offset: None,
    };
    let teams = crate::catalogue::teams::find(&state, lang, &team_query)
        .await?
        .items
        .into_iter()
        .map(|team| TeamResult {
            name: team.name.get(lang).to_string(),
            kind: t(lang, &format!("team-kind-{}", team.kind)),
            centre: labels::centre(lang, &team.centre),
            topics: team.topics.iter().map(|c| labels::taxonomy(lang, c)).collect(),
            members: team.members.len(),
            id: team.id,
        })
        .collect();
    let prev = (offset > 0).then(|| page_link(&params, offset.saturating_sub(PAGE_SIZE)));
    let next = (offset + PAGE_SIZE < found.total).then(|| page_link(&params, offset + PAGE_SIZE));
    let searched = params.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    let page = PageContext::new(lang, Some(&granted.principal), "/experts", "experts-heading");
    let template = SearchPage {
        page,
        q: params.q.clone().unwrap_or_default(),
        filters: filters(lang, &params, &found),
        results,
        teams,
        summary,
        searched,
        understood,
        dropped,
        method: params
            .method
            .as_deref()
            .filter(|m| {
                tukiverkko_domain::reference::taxonomy_of(tukiverkko_domain::reference::TaxonomyKind::Method)
                    .any(|e| e.code == *m)
            })
            .map(|m| (m.to_string(), labels::taxonomy(lang, m))),
        filtering: [
            &params.county,
            &params.centre,
            &params.sector,
            &params.topic,
            &params.method,
            &params.language,
            &params.remote,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.is_empty())),
        prev,
        next,
    };
    Ok(render(StatusCode::OK, &template))
}

pub struct Fact {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "expert.html")]
struct ProfilePage {
    page: PageContext,
    name: String,
    title: String,
    facts: Vec<Fact>,
    topics: Vec<String>,
    /// Code and label: each links to the method's catalogue entry.
    methods: Vec<(String, String)>,
    bio: String,
    email: String,
    phone: String,
    editable: bool,
    /// The caller's own profile, edited at `/me/profile`.
    own: bool,
    /// A requester may ask this expert (who takes consultations) directly.
    ask_href: Option<String>,
    history: usize,
}

pub async fn profile(
    State(state): State<AppState>,
    granted: Require<cap::SearchExperts>,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = experts::find(&state.db, &id).await?;
    let account = granted.account();
    let yes_no = |b: bool| t(lang, if b { "answer-yes" } else { "answer-no" });
    let facts = vec![
        Fact { label: t(lang, "filter-sector"), value: labels::taxonomy(lang, &p.sector) },
        Fact { label: t(lang, "profile-organization"), value: p.organization.clone() },
        Fact { label: t(lang, "filter-county"), value: labels::county(lang, &p.county) },
        Fact { label: t(lang, "filter-centre"), value: labels::centre(lang, &p.centre) },
        Fact {
            label: t(lang, "filter-language"),
            value: split(&p.languages).iter().map(|l| labels::language_name(lang, l)).collect::<Vec<_>>().join(", "),
        },
        Fact { label: t(lang, "filter-remote"), value: yes_no(p.remote) },
        Fact { label: t(lang, "profile-accepts"), value: yes_no(p.accepts_consultations) },
    ];
    let history = experts::history(&state.db, &id).await?.len();
    let template = ProfilePage {
        page: PageContext::new(lang, Some(&granted.principal), "/experts", "profile-heading"),
        name: p.name(),
        title: p.title.clone(),
        facts,
        topics: split(&p.topics).iter().map(|c| labels::taxonomy(lang, c)).collect(),
        methods: split(&p.methods).iter().map(|c| (c.clone(), labels::taxonomy(lang, c))).collect(),
        bio: p.bio.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        editable: may_edit(account, &p),
        own: p.user_id.as_deref() == Some(account.id.as_str()),
        ask_href: (p.accepts_consultations
            && tukiverkko_domain::Capability::RequestConsultation.granted_by(&account.roles))
        .then(|| format!("/consultations/new?expert={}", p.id)),
        history,
    };
    Ok(render(StatusCode::OK, &template))
}
