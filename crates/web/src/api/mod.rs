//! The JSON API under `/api/v1`, described by `/openapi.json`.

pub mod audit;
pub mod limits;
pub mod me;
pub mod problems;
pub mod users;

use axum::Json;
use axum::extract::State;

use crate::state::AppState;

use crate::consultations::{api as cases, ics, moves};
use crate::experts::api as directory;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "tukiverkko API", description = "Expert network and consultation service of the OT-keskus centres", license(name = "EUPL-1.2")),
    paths(
        directory::search, directory::get_profile, directory::update,
        me::me, me::export, audit::list, users::change_password, users::list, users::disable, users::begin_totp, users::confirm_totp,
        cases::create, cases::list, cases::read, cases::suggested_experts, crate::notifications::unread,
        moves::submit, moves::reroute, moves::assignment, moves::barnahus, moves::accept, moves::decline, moves::cancel,
        moves::statement, moves::feedback, moves::message, moves::meeting, ics::meeting_ics, ics::feed,
        crate::consultations::outcomes::record, crate::consultations::outcomes::list,
        crate::statistics::api::consultations, crate::statistics::api::service,
        crate::research::api::create, crate::research::api::list, crate::research::api::get, crate::research::api::rewrite,
        crate::research::api::merge, crate::research::api::status, crate::research::api::add_evidence, crate::research::api::follow,
        crate::research::api::create_round, crate::research::api::rounds, crate::research::api::round,
        crate::research::api::ballot, crate::research::api::results,
        crate::research::partners::list, crate::research::partners::create,
        crate::training::methods_api::list, crate::training::methods_api::get, crate::training::methods_api::put,
        crate::training::methods_api::coverage, crate::training::methods_api::record_use,
        crate::training::trainings_api::create, crate::training::trainings_api::list, crate::training::trainings_api::get,
        crate::training::trainings_api::register, crate::training::trainings_api::cancel,
        crate::training::trainings_api::registrations, crate::training::trainings_api::move_up,
        crate::training::trainings_api::attendance, crate::training::trainings_api::my_certificates,
        crate::training::trainings_api::ics, crate::training::feedback::create, crate::training::feedback::list,
        crate::catalogue::api::centres, crate::catalogue::api::set_specialisations, crate::catalogue::api::services,
        crate::catalogue::api::service, crate::catalogue::api::create_service, crate::catalogue::api::update_service,
        crate::catalogue::teams::create, crate::catalogue::teams::list, crate::catalogue::teams::get,
    ),
    components(schemas(me::MeResponse, audit::AuditEntry, users::PasswordChange, users::UserSummary)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as served: utoipa's paths and schemas, completed with the
/// errors and the body limit every operation has by its route (see
/// [`problems`]), with this server's configured body limit.
pub fn openapi(body_limit: usize) -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises");
    limits::state_limits(&mut doc);
    problems::complete(&mut doc, &crate::routes::route_specs(), body_limit);
    doc
}

pub async fn openapi_json(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(openapi(state.config.body_limit))
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/openapi.json", Public, get(openapi_json)),
        route(Method::GET, "/api/v1/me", SignedIn, get(me::me)),
        route(Method::GET, "/api/v1/me/export", SignedIn, get(me::export)),
        route(Method::POST, "/api/v1/me/password", SignedIn, post(users::change_password)),
        route(Method::POST, "/api/v1/me/totp", SignedIn, post(users::begin_totp)),
        route(Method::POST, "/api/v1/me/totp/confirm", SignedIn, post(users::confirm_totp)),
        route(Method::GET, "/api/v1/audit", ReadAuditLog, get(audit::list)),
        route(Method::GET, "/api/v1/users", ManageUsers, get(users::list)),
        route(Method::POST, "/api/v1/users/{id}/disable", ManageUsers, post(users::disable)),
    ]
}
