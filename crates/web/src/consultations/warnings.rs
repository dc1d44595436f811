//! The request form's soft warnings: text that looks like a name or an
//! identity code without its century sign is shown back before anything is
//! saved, and the requester removes it or confirms it identifies no one.

use tukiverkko_domain::Language;
use tukiverkko_domain::pseudonymity;

use super::request_form::RequestForm;
use crate::i18n::{t, t_args};

/// One warning as the form shows it.
pub struct WarningView {
    pub field: String,
    pub anchor: &'static str,
    pub text: String,
}

/// The form's field that confirms the warnings were checked.
pub const CONFIRM_FIELD: &str = "confirm_warnings";

/// The warnings of the request's free-text fields, in the reader's language.
pub fn of(lang: Language, form: &RequestForm) -> Vec<WarningView> {
    [("question", &form.question), ("background", &form.background), ("tried", &form.tried)]
        .into_iter()
        .flat_map(|(field, text)| {
            pseudonymity::warnings(text).into_iter().map(move |w| WarningView {
                field: t(lang, &format!("field-{field}")),
                anchor: field,
                text: t_args(lang, &format!("warning-{}", w.suspicion.as_str()), &[("excerpt", w.excerpt)]),
            })
        })
        .collect()
}
