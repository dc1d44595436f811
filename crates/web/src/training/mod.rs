//! Methods and training: the evidence-rated methods catalogue, trainings
//! and webinars with registration and a waiting list, attendance,
//! verifiable certificates, and where each method is in use.

pub mod attendance_file;
pub mod certificate_pdf;
pub mod certificates;
pub mod feedback;
pub mod methods_api;
pub mod new_page;
pub mod pages;
pub mod trainings_api;

use icalendar::{Component, Event, EventLike};
use tukiverkko_store::trainings::TrainingRow;

/// One session of a training as a calendar event; the UID stays the same
/// for the session, so a calendar that imports the file again updates it.
pub fn session_event(t: &TrainingRow, position: i64, starts_at: i64, minutes: i64) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{}-{position}@tukiverkko", t.id))
        .timestamp(crate::consultations::ics::utc(t.created_at))
        .summary(&format!("{} ({})", t.title, position + 1))
        .starts(crate::consultations::ics::utc(starts_at))
        .ends(crate::consultations::ics::utc(starts_at.saturating_add(minutes.saturating_mul(60))));
    if let Some(link) = t.link.as_deref().and_then(|l| tukiverkko_domain::meeting::https_link("link", l).ok()) {
        event.url(&link);
        event.location(&link);
    }
    if let Some(place) = &t.location {
        event.location(place);
    }
    event.done()
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{delete, get, post, put};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/api/v1/methods", SignedIn, get(methods_api::list)),
        route(Method::GET, "/api/v1/methods/coverage", SignedIn, get(methods_api::coverage)),
        route(Method::GET, "/api/v1/methods/{code}", SignedIn, get(methods_api::get)),
        route(Method::PUT, "/api/v1/methods/{code}", ManageTraining, put(methods_api::put)),
        route(Method::POST, "/api/v1/methods/{code}/use", ManageTraining, post(methods_api::record_use)),
        route(Method::POST, "/api/v1/trainings", ManageTraining, post(trainings_api::create)),
        route(Method::GET, "/api/v1/trainings", SignedIn, get(trainings_api::list)),
        route(Method::GET, "/api/v1/trainings/{id}", SignedIn, get(trainings_api::get)),
        route(Method::POST, "/api/v1/trainings/{id}/registrations", SignedIn, post(trainings_api::register)),
        route(Method::GET, "/api/v1/trainings/{id}/registrations", ManageTraining, get(trainings_api::registrations)),
        route(Method::DELETE, "/api/v1/trainings/{id}/registrations/me", SignedIn, delete(trainings_api::cancel)),
        route(Method::POST, "/api/v1/trainings/{id}/registrations/move", ManageTraining, post(trainings_api::move_up)),
        route(Method::POST, "/api/v1/trainings/{id}/attendance", ManageTraining, post(trainings_api::attendance)),
        route(Method::GET, "/api/v1/trainings/{id}/ics", SignedIn, get(trainings_api::ics)),
        route(Method::POST, "/api/v1/trainings/{id}/feedback", SignedIn, post(feedback::create)),
        route(Method::GET, "/api/v1/trainings/{id}/feedback", ManageTraining, get(feedback::list)),
        route(Method::GET, "/api/v1/me/certificates", SignedIn, get(trainings_api::my_certificates)),
        route(Method::GET, "/certificates/{code}", Public, get(certificates::page)),
        route(Method::GET, "/certificates/{code}/pdf", Public, get(certificates::pdf)),
        route(Method::GET, "/methods", SignedIn, get(pages::methods_page)),
        route(Method::GET, "/methods/{code}", SignedIn, get(pages::method_page)),
        route(Method::POST, "/methods/{code}", ManageTraining, post(pages::save_method)),
        route(Method::POST, "/methods/{code}/use", ManageTraining, post(pages::save_use)),
        route(Method::GET, "/trainings", SignedIn, get(pages::trainings_page)),
        route(Method::POST, "/trainings", ManageTraining, post(new_page::create)),
        route(Method::GET, "/trainings/new", ManageTraining, get(new_page::form)),
        route(Method::GET, "/trainings/{id}", SignedIn, get(pages::training_page)),
        route(Method::POST, "/trainings/{id}/act", SignedIn, post(pages::act)),
        route(Method::POST, "/trainings/{id}/attendance-file", ManageTraining, post(attendance_file::upload)),
    ]
}
