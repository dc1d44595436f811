//! The expert directory over HTTP: search (API and page), profiles, edits.

pub mod api;
pub mod directory;
pub mod import;
pub mod own;
pub mod pages;

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post, put};
    use tukiverkko_domain::Capability::*;

    use crate::routes::{route, upload};
    vec![
        route(Method::GET, "/experts", SearchExperts, get(pages::search)),
        route(Method::GET, "/me/profile", EditProfiles, get(own::form)),
        route(Method::POST, "/me/profile", EditProfiles, post(own::save)),
        route(Method::POST, "/me/availability", EditProfiles, post(own::availability)),
        route(Method::GET, "/experts/import", ManageExperts, get(import::form)),
        upload(route(Method::POST, "/experts/import", ManageExperts, post(import::preview)), import::UPLOAD_LIMIT),
        route(Method::POST, "/experts/import/{id}", ManageExperts, post(import::apply)),
        route(Method::GET, "/experts/{id}", SearchExperts, get(pages::profile)),
        route(Method::GET, "/api/v1/experts", SearchExperts, get(api::search)),
        route(Method::GET, "/api/v1/experts/{id}", SearchExperts, get(api::get_profile)),
        // Own profile or the centre's profiles: the handler checks which.
        route(Method::PUT, "/api/v1/experts/{id}", EditProfiles, put(api::update)),
    ]
}
