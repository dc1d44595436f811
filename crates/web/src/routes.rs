//! The route table: every route with the capability it needs, assembled
//! from each feature's `routes()`. The router is built from this table
//! only, so no route exists without a declared capability; the access test
//! compares it with a hand-written policy.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::routing::MethodRouter;
use tukiverkko_domain::Capability;

use crate::state::AppState;
use crate::{
    admin, admin_users, api, auth, catalogue, consultations, experts, fhir, notifications, ops, pages, research,
    settings, statements, statistics, training,
};

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub capability: Capability,
    /// A larger request body than the server-wide limit (file uploads).
    pub body_limit: Option<usize>,
}

/// A route with its capability and handler, as each feature lists them.
pub type Route = (RouteSpec, MethodRouter<AppState>);

pub fn route(method: Method, path: &'static str, capability: Capability, handler: MethodRouter<AppState>) -> Route {
    (RouteSpec { method, path, capability, body_limit: None }, handler)
}

/// A route that takes a larger body than the server-wide limit (file uploads).
pub fn upload((spec, handler): Route, limit: usize) -> Route {
    (RouteSpec { body_limit: Some(limit), ..spec }, handler)
}

/// Every feature's routes: a new feature adds its line here.
fn table() -> Vec<Route> {
    [
        ops::routes(),
        pages::routes(),
        api::routes(),
        admin::routes(),
        admin_users::routes(),
        experts::routes(),
        consultations::routes(),
        notifications::routes(),
        statements::routes(),
        settings::routes(),
        statistics::routes(),
        research::routes(),
        training::routes(),
        catalogue::routes(),
        fhir::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
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
