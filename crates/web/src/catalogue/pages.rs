//! The public catalogue pages (`/services`, readable without signing in)
//! and the team page, in the reader's language.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tukiverkko_domain::{CentreCode, Language, reference};
use tukiverkko_store::catalogue::{self, ServiceRow};
use tukiverkko_store::experts::split;
use tukiverkko_store::teams;

use crate::auth::{Granted, Require, cap};
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::i18n::{Lang, t, t_args};
use crate::labels;
use crate::state::AppState;
use crate::templates::{PageContext, render};

pub struct CentreChoice {
    pub code: &'static str,
    pub name: String,
    pub selected: bool,
}

pub struct ServiceCard {
    pub id: String,
    pub name: String,
    pub description: String,
    pub topics: String,
    pub formats: String,
    pub response: String,
    pub team: Option<(String, String)>,
    pub target_group: String,
    pub how_to_ask: String,
    pub contact_email: String,
    pub centre: String,
}

pub struct CentreSection {
    pub code: &'static str,
    pub name: String,
    pub specialisations: Vec<String>,
    pub services: Vec<ServiceCard>,
}

fn card(lang: Language, s: ServiceRow) -> ServiceCard {
    let formats = split(&s.formats).iter().map(|f| t(lang, &format!("format-{f}"))).collect::<Vec<_>>().join(", ");
    let response = t_args(
        lang,
        "catalogue-response",
        &[
            ("urgent", s.urgent_days.to_string()),
            ("normal", s.normal_days.to_string()),
            ("planned", s.planned_days.to_string()),
        ],
    );
    ServiceCard {
        name: s.name().get(lang).to_string(),
        description: s.description().get(lang).to_string(),
        topics: labels::taxonomy_list(lang, &s.topics),
        formats,
        response,
        team: s.team_id.clone().zip(s.team_name().map(|n| n.get(lang).to_string())),
        target_group: s.target_group,
        how_to_ask: s.how_to_ask,
        contact_email: s.contact_email,
        centre: labels::centre(lang, &s.centre),
        id: s.id,
    }
}

#[derive(Template)]
#[template(path = "services.html")]
struct CataloguePage {
    page: PageContext,
    centres: Vec<CentreChoice>,
    sections: Vec<CentreSection>,
}

#[derive(Deserialize, Default)]
pub struct CatalogueQuery {
    pub centre: Option<String>,
}

/// The catalogue per centre, nationally or of one centre.
pub async fn catalogue(
    State(state): State<AppState>,
    granted: Granted,
    Lang(lang): Lang,
    QueryParams(q): QueryParams<CatalogueQuery>,
) -> Result<Response, AppError> {
    let chosen: Option<CentreCode> = q.centre.as_deref().filter(|c| !c.is_empty()).and_then(|c| c.parse().ok());
    let services = catalogue::services(&state.db, chosen.map(|c| c.as_str())).await?;
    let specialisations = catalogue::specialisations(&state.db).await?;
    let mut sections: Vec<CentreSection> = Vec::new();
    for c in reference::centres().iter().filter(|c| chosen.is_none_or(|x| x == c.code)) {
        let code = c.code.as_str();
        sections.push(CentreSection {
            code,
            name: labels::centre(lang, code),
            specialisations: specialisations
                .iter()
                .filter(|s| s.centre == code)
                .map(|s| labels::taxonomy(lang, &s.topic))
                .collect(),
            services: services.iter().filter(|s| s.centre == code).cloned().map(|s| card(lang, s)).collect(),
        });
    }
    let centres = reference::centres()
        .iter()
        .map(|c| CentreChoice {
            code: c.code.as_str(),
            name: labels::centre(lang, c.code.as_str()),
            selected: chosen == Some(c.code),
        })
        .collect();
    let page = PageContext::new(lang, granted.principal.as_ref(), "/services", "catalogue-title");
    Ok(render(StatusCode::OK, &CataloguePage { page, centres, sections }))
}

#[derive(Template)]
#[template(path = "service.html")]
struct ServicePage {
    page: PageContext,
    service: ServiceCard,
}

/// One service, with the link to ask through it.
pub async fn service_page(
    State(state): State<AppState>,
    granted: Granted,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let service = card(lang, catalogue::service(&state.db, &id).await?);
    let mut page = PageContext::new(lang, granted.principal.as_ref(), "/services", "catalogue-title");
    page.title = service.name.clone();
    Ok(render(StatusCode::OK, &ServicePage { page, service }))
}

pub struct MemberLine {
    pub id: String,
    pub name: String,
    pub title: String,
    pub lead: bool,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    page: PageContext,
    name: String,
    kind: String,
    centre: String,
    counties: String,
    topics: String,
    methods: String,
    contact: String,
    accepts: bool,
    members: Vec<MemberLine>,
    /// The catalogue services the team answers (id, name): a request can be
    /// started from the team's page through them.
    services: Vec<(String, String)>,
}

/// A team: what it knows, where it works, who is in it.
pub async fn team_page(
    State(state): State<AppState>,
    granted: Require<cap::SearchExperts>,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let team = teams::get(&state.db, &id).await?;
    let row = &team.team;
    let name = row.name().get(lang).to_string();
    let mut page = PageContext::new(lang, Some(&granted.principal), "/teams", "catalogue-team");
    page.title = name.clone();
    let services = catalogue::services(&state.db, Some(&row.centre))
        .await?
        .into_iter()
        .filter(|s| s.team_id.as_deref() == Some(row.id.as_str()))
        .map(|s| (s.id.clone(), s.name().get(lang).to_string()))
        .collect();
    let counties = split(&row.counties).iter().map(|c| labels::county(lang, c)).collect::<Vec<_>>().join(", ");
    let view = TeamPage {
        page,
        name,
        kind: t(lang, &format!("team-kind-{}", row.kind)),
        centre: labels::centre(lang, &row.centre),
        counties,
        topics: labels::taxonomy_list(lang, &row.topics),
        methods: labels::taxonomy_list(lang, &row.methods),
        contact: row.contact.clone(),
        accepts: row.accepts_consultations,
        members: team
            .members
            .iter()
            .map(|m| MemberLine {
                id: m.expert_id.clone(),
                name: m.name.clone(),
                title: m.title.clone(),
                lead: m.is_lead,
            })
            .collect(),
        services,
    };
    Ok(render(StatusCode::OK, &view))
}
