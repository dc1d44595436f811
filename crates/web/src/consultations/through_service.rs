//! Asking through a catalogue service: the request form opens with the
//! service's topics ticked and the service carried in a hidden field; the
//! store sends the case to the service's centre and sets its due date by
//! the service's response times.

use tukiverkko_domain::Language;
use tukiverkko_store::StoreError;
use tukiverkko_store::catalogue;
use tukiverkko_store::experts::split;

use super::request_form::RequestForm;
use crate::error::AppError;
use crate::i18n::t_args;
use crate::labels;
use crate::state::AppState;

/// Fills the form from service `id`. An unknown id (an old link) leaves the
/// form as a plain request instead of failing.
pub async fn prefill(state: &AppState, lang: Language, id: &str, form: &mut RequestForm) -> Result<(), AppError> {
    let service = match catalogue::service(&state.db, id).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let response = t_args(
        lang,
        "catalogue-response",
        &[
            ("urgent", service.urgent_days.to_string()),
            ("normal", service.normal_days.to_string()),
            ("planned", service.planned_days.to_string()),
        ],
    );
    form.service_note = t_args(
        lang,
        "request-through-service",
        &[
            ("service", service.name().get(lang).to_string()),
            ("centre", labels::centre(lang, &service.centre)),
            ("response", response),
        ],
    );
    form.topics = split(&service.topics);
    form.service = service.id;
    Ok(())
}
