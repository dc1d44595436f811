//! The route table: every route with the capability it needs. The router
//! is built from this table only, so no route exists without a declared
//! capability, and the access test walks the same table.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, get, post, put};
use tukiverkko_domain::Capability;

use crate::consultations::{actions as case_actions, api as cases, ics, moves, pages as case_pages};
use crate::experts::{api as directory, import as expert_import, pages as expert_pages};
use crate::state::AppState;
use crate::{api, auth, ops, pages};

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub capability: Capability,
    /// A larger request body than the server-wide limit (file uploads).
    pub body_limit: Option<usize>,
}

fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Capability::*;
    let r = |method: Method, path: &'static str, capability: Capability, handler: MethodRouter<AppState>| {
        (RouteSpec { method, path, capability, body_limit: None }, handler)
    };
    let upload = |(spec, handler): (RouteSpec, MethodRouter<AppState>), limit: usize| {
        (RouteSpec { body_limit: Some(limit), ..spec }, handler)
    };
    vec![
        r(Method::GET, "/", Public, get(pages::home::index)),
        r(Method::GET, "/login", Public, get(pages::login::show)),
        r(Method::POST, "/login", Public, post(pages::login::submit)),
        r(Method::GET, "/login/oidc", Public, get(pages::login_external::start)),
        r(Method::GET, "/login/oidc/callback", Public, get(pages::login_external::callback)),
        r(Method::POST, "/logout", SignedIn, post(pages::login::logout)),
        r(Method::GET, "/lang/{code}", Public, get(pages::switch_language)),
        r(Method::GET, "/static/app.css", Public, get(pages::stylesheet)),
        r(Method::GET, "/healthz", Public, get(ops::healthz)),
        r(Method::GET, "/readyz", Public, get(ops::readyz)),
        r(Method::GET, "/metrics", Public, get(ops::metrics)),
        r(Method::GET, "/openapi.json", Public, get(api::openapi_json)),
        r(Method::GET, "/experts", SearchExperts, get(expert_pages::search)),
        r(Method::GET, "/experts/import", ManageExperts, get(expert_import::form)),
        upload(
            r(Method::POST, "/experts/import", ManageExperts, post(expert_import::preview)),
            expert_import::UPLOAD_LIMIT,
        ),
        r(Method::POST, "/experts/import/{id}", ManageExperts, post(expert_import::apply)),
        r(Method::GET, "/experts/{id}", SearchExperts, get(expert_pages::profile)),
        r(Method::GET, "/consultations", SignedIn, get(case_pages::list)),
        r(Method::GET, "/consultations/new", RequestConsultation, get(case_pages::new_form)),
        r(Method::POST, "/consultations", RequestConsultation, post(case_pages::create)),
        r(Method::GET, "/consultations/{id}", SignedIn, get(case_pages::show)),
        // The case page's forms; the state machine decides what the caller may do.
        r(Method::POST, "/consultations/{id}/act", SignedIn, post(case_actions::act)),
        r(Method::GET, "/consultations/{id}/print", SignedIn, get(case_pages::print)),
        r(Method::GET, "/admin/audit", ReadAuditLog, get(crate::admin::audit_page)),
        r(Method::GET, "/api/v1/experts", SearchExperts, get(directory::search)),
        r(Method::GET, "/api/v1/experts/{id}", SearchExperts, get(directory::get_profile)),
        // Own profile or the centre's profiles: the handler checks which.
        r(Method::PUT, "/api/v1/experts/{id}", EditProfiles, put(directory::update)),
        r(Method::GET, "/api/v1/me", SignedIn, get(api::me::me)),
        r(Method::POST, "/api/v1/me/password", SignedIn, post(api::users::change_password)),
        r(Method::POST, "/api/v1/me/totp", SignedIn, post(api::users::begin_totp)),
        r(Method::POST, "/api/v1/me/totp/confirm", SignedIn, post(api::users::confirm_totp)),
        r(Method::GET, "/api/v1/audit", ReadAuditLog, get(api::audit::list)),
        r(Method::GET, "/api/v1/notifications", SignedIn, get(crate::notifications::unread)),
        r(Method::GET, "/api/v1/calendar.ics", SignedIn, get(ics::feed)),
        r(Method::POST, "/api/v1/consultations", RequestConsultation, post(cases::create)),
        r(Method::GET, "/api/v1/consultations", SignedIn, get(cases::list)),
        r(Method::GET, "/api/v1/consultations/{id}", SignedIn, get(cases::read)),
        r(Method::POST, "/api/v1/consultations/{id}/submit", RequestConsultation, post(moves::submit)),
        r(Method::POST, "/api/v1/consultations/{id}/reroute", TriageConsultations, post(moves::reroute)),
        r(
            Method::GET,
            "/api/v1/consultations/{id}/suggested-experts",
            TriageConsultations,
            get(cases::suggested_experts),
        ),
        r(Method::POST, "/api/v1/consultations/{id}/assignment", TriageConsultations, post(moves::assignment)),
        r(Method::POST, "/api/v1/consultations/{id}/accept", AnswerConsultations, post(moves::accept)),
        // Experts decline their part, coordinators a whole request: the case decides which.
        r(Method::POST, "/api/v1/consultations/{id}/decline", SignedIn, post(moves::decline)),
        r(Method::POST, "/api/v1/consultations/{id}/statement", AnswerConsultations, post(moves::statement)),
        r(Method::POST, "/api/v1/consultations/{id}/feedback", RequestConsultation, post(moves::feedback)),
        r(Method::POST, "/api/v1/consultations/{id}/cancel", SignedIn, post(moves::cancel)),
        r(Method::POST, "/api/v1/consultations/{id}/messages", SignedIn, post(moves::message)),
        r(Method::POST, "/api/v1/consultations/{id}/meetings", SignedIn, post(moves::meeting)),
        r(Method::GET, "/api/v1/consultations/{id}/meetings/{file}", SignedIn, get(ics::meeting_ics)),
        r(Method::GET, "/api/v1/users", ManageUsers, get(api::users::list)),
        r(Method::POST, "/api/v1/users/{id}/disable", ManageUsers, post(api::users::disable)),
    ]
}

/// Every route with its declared capability.
pub fn route_specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

pub fn router() -> Router<AppState> {
    table().into_iter().fold(Router::new(), |router, (spec, handler)| {
        let handler = handler.route_layer(from_fn_with_state(spec.capability, auth::require));
        // Outside the capability check, which reads form bodies for the CSRF token.
        let handler = match spec.body_limit {
            Some(limit) => handler.layer(DefaultBodyLimit::max(limit)),
            None => handler,
        };
        router.route(spec.path, handler)
    })
}
