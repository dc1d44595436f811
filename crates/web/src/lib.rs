//! The HTTP layer of tukiverkko: server-rendered pages, the JSON API under
//! `/api/v1`, authentication and the per-route capability check.

mod admin;
mod admin_users;
mod api;
mod auth;
mod blocking;
mod catalogue;
mod charts;
mod client_addr;
mod consultations;
mod error;
mod experts;
mod extract;
mod fhir;
mod i18n;
mod labels;
mod mail;
mod notifications;
mod ops;
mod pages;
mod research;
mod routes;
mod server;
mod settings;
mod state;
mod statements;
mod statistics;
mod templates;
mod tls;
mod training;

/// Entry points for the fuzz targets in `fuzz/`: the same parsing a request
/// goes through, without a server.
#[doc(hidden)]
pub mod fuzzing {
    /// A consultation request body: deserialised as the JSON extractor
    /// does, then checked as the create handler does.
    pub fn consultation_body(data: &[u8]) {
        if let Ok(body) = serde_json::from_slice::<crate::consultations::dto::CreateConsultation>(data) {
            match crate::consultations::api::parse_new_all(body) {
                Ok(_) => {}
                Err(errors) => assert!(!errors.is_empty(), "a refusal names a field"),
            }
        }
    }
}

pub use auth::oidc::OidcConfig;
pub use client_addr::TrustedProxies;
pub use error::AppError;
pub use experts::directory::document as expert_document;
pub use i18n::message_keys;
pub use mail::SmtpConfig;
pub use ops::Metrics;
pub use routes::{RouteSpec, route_specs};
pub use server::{build_router, launch};
pub use state::{AppState, ServerConfig};
pub use tls::TlsConfig;

/// The OpenAPI document served at `/openapi.json` (with the default body limit).
pub fn openapi_document() -> serde_json::Value {
    api::openapi(ServerConfig::default().body_limit)
}
