//! Localisation with Fluent: every user-facing string lives in
//! `locales/{fi,sv,en}/FEATURE.ftl`, one file per feature and language
//! (listed in [`FEATURES`]; the loader reads every file of a language).
//! Language choice: the `lang` cookie (the switcher), the user's setting,
//! the browser's Accept-Language, Finnish.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
use tukiverkko_domain::Language;
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fi",
        // Bidi isolation marks around arguments confuse screen readers and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static IDS: LazyLock<[LanguageIdentifier; 3]> =
    LazyLock::new(|| ["fi", "sv", "en"].map(|l| l.parse().expect("valid language identifier")));

fn id(lang: Language) -> &'static LanguageIdentifier {
    &IDS[match lang {
        Language::Fi => 0,
        Language::Sv => 1,
        Language::En => 2,
    }]
}

pub fn t(lang: Language, key: &str) -> String {
    LOCALES.lookup(id(lang), key)
}

pub fn try_t(lang: Language, key: &str) -> Option<String> {
    LOCALES.try_lookup(id(lang), key)
}

/// A validation or state error in the user's language, with the field it
/// belongs to.
/// Fields that are checkbox or radio groups in the forms.
const CHOICE_FIELDS: &[&str] = &[
    "topics",
    "invite",
    "methods",
    "experts",
    "lead",
    "urgency",
    "format",
    "legal_basis",
    "client.services",
    "services",
    "roles",
    "outcome",
    "referral",
    "referral_avoided",
];

pub fn error_message(lang: Language, err: &crate::error::AppError) -> (Option<String>, String) {
    use crate::error::AppError;
    match err {
        AppError::Invalid { code, field, .. } => {
            let label = field.as_deref().map(|f| {
                try_t(lang, &format!("field-{}", f.split('[').next().unwrap_or(f).replace('.', "_")))
                    .unwrap_or_else(|| f.to_string())
            });
            let args: HashMap<std::borrow::Cow<'static, str>, FluentValue> =
                [("field".into(), FluentValue::from(label.clone().unwrap_or_default()))].into_iter().collect();
            // A group of checkboxes or radio buttons is chosen from, not filled in.
            let base = field.as_deref().map(|f| f.split('[').next().unwrap_or(f));
            let key = match (code.as_str(), base) {
                ("required", Some(f)) if CHOICE_FIELDS.contains(&f) => "invalid-required-choice".to_string(),
                _ => format!("invalid-{code}"),
            };
            let message = LOCALES.try_lookup_with_args(id(lang), &key, &args).unwrap_or_else(|| t(lang, "error-422"));
            (field.as_ref().map(|f| f.split('[').next().unwrap_or(f).to_string()), message)
        }
        AppError::Conflict(_) => (None, t(lang, "error-409")),
        AppError::Forbidden => (None, t(lang, "error-403")),
        AppError::AwaitingBarnahus { .. } => (None, t(lang, "barnahus-pending-text")),
        AppError::NotFound => (None, t(lang, "error-404")),
        _ => (None, t(lang, "error-500")),
    }
}

pub fn t_args(lang: Language, key: &str, args: &[(&'static str, String)]) -> String {
    LOCALES.lookup_with_args(id(lang), key, &fluent_args(args))
}

/// [`t_args`] for keys that may not exist.
pub fn try_t_args(lang: Language, key: &str, args: &[(&'static str, String)]) -> Option<String> {
    LOCALES.try_lookup_with_args(id(lang), key, &fluent_args(args))
}

fn fluent_args(args: &[(&'static str, String)]) -> HashMap<std::borrow::Cow<'static, str>, FluentValue<'static>> {
    args.iter().map(|(k, v)| ((*k).into(), FluentValue::from(v.clone()))).collect()
}

/// The message keys of each language's files, for the completeness test.
/// The message files of each feature, per language: a new feature adds its
/// line here and its three files.
macro_rules! features {
    ($($feature:literal),* $(,)?) => {
        /// Feature names of the message files (the test checks none is left out).
        #[cfg(test)]
        const FEATURES: &[&str] = &[$($feature),*];
        const MESSAGE_FILES: &[(Language, &str)] = &[
            $((Language::Fi, include_str!(concat!("../locales/fi/", $feature, ".ftl"))),)*
            $((Language::Sv, include_str!(concat!("../locales/sv/", $feature, ".ftl"))),)*
            $((Language::En, include_str!(concat!("../locales/en/", $feature, ".ftl"))),)*
        ];
    };
}

features!(
    "core",
    "home",
    "login",
    "experts",
    "consultations",
    "admin",
    "statements",
    "settings",
    "users",
    "statistics",
    "outcomes",
    "research",
    "training",
    "catalogue"
);

/// Every message key defined, per language.
pub fn message_keys() -> Vec<(Language, Vec<String>)> {
    Language::ALL
        .into_iter()
        .map(|lang| {
            let keys = MESSAGE_FILES
                .iter()
                .filter(|(l, _)| *l == lang)
                .flat_map(|(_, text)| text.lines())
                .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
                .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
                .collect();
            (lang, keys)
        })
        .collect()
}

pub const LANG_COOKIE: &str = "tv_lang";

/// The language of this request before the user is known.
pub fn negotiate(parts: &Parts) -> Option<Language> {
    if let Some(lang) = crate::auth::cookie(&parts.headers, LANG_COOKIE).and_then(|v| v.parse().ok()) {
        return Some(lang);
    }
    None
}

pub fn from_accept_language(parts: &Parts) -> Language {
    let header = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut best: Option<(f32, Language)> = None;
    for item in header.split(',') {
        let mut pieces = item.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Ok(lang) = primary.parse::<Language>()
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

/// The language to answer in: cookie, then the signed-in user's setting,
/// then Accept-Language, then Finnish.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub Language);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(resolve(parts)))
    }
}

pub fn resolve(parts: &Parts) -> Language {
    if let Some(lang) = negotiate(parts) {
        return lang;
    }
    if let Some(p) = parts.extensions.get::<crate::auth::CurrentUser>().and_then(|c| c.0.as_ref()) {
        return p.account.language;
    }
    from_accept_language(parts)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_message_file_is_a_listed_feature_and_no_key_is_defined_twice() {
        for lang in Language::ALL {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang.as_str());
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
                assert!(FEATURES.contains(&stem.as_str()), "{} is not in FEATURES", path.display());
            }
        }
        for (lang, keys) in message_keys() {
            let unique: BTreeSet<&String> = keys.iter().collect();
            assert_eq!(unique.len(), keys.len(), "a key is defined twice in {}", lang.as_str());
        }
    }

    #[test]
    fn every_language_has_every_message() {
        let sets: Vec<(Language, BTreeSet<String>)> =
            message_keys().into_iter().map(|(l, keys)| (l, keys.into_iter().collect())).collect();
        let all: BTreeSet<String> = sets.iter().flat_map(|(_, k)| k.iter().cloned()).collect();
        assert!(all.len() > 30);
        for (lang, keys) in &sets {
            let missing: Vec<_> = all.difference(keys).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.as_str());
        }
    }

    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
    }

    /// Keys put together at run time (`status-…`, `event-…` …), from the
    /// enums whose values they name.
    fn runtime_keys() -> Vec<String> {
        use tukiverkko_domain::consultation::{Action, AssignmentState, Format, LegalBasis, Status, Urgency};
        use tukiverkko_domain::notification::NotificationKind;
        let mut keys = Vec::new();
        keys.extend(Status::ALL.map(|v| format!("status-{v}")));
        keys.extend(tukiverkko_domain::research::NeedStatus::ALL.map(|v| format!("need-status-{}", v.as_str())));
        keys.extend(["rewrite", "evidence", "merged_in"].map(|e| format!("need-event-{e}")));
        keys.extend(["population", "intervention", "comparison", "outcome"].map(|p| format!("research-pico-{p}")));
        keys.extend(["-2", "-1", "0", "1", "2"].map(|l| format!("gas-level-{l}")));
        keys.extend(tukiverkko_domain::outcome::Informant::ALL.map(|i| format!("informant-{}", i.as_str())));
        keys.extend(
            ["total", "emotional", "conduct", "hyperactivity", "peer", "prosocial", "impact"]
                .map(|s| format!("sdq-{s}")),
        );
        keys.extend(tukiverkko_domain::training::EvidenceLevel::ALL.map(|l| format!("evidence-{}", l.as_str())));
        keys.extend(
            tukiverkko_domain::training::TrainingFormat::ALL.map(|f| format!("training-format-{}", f.as_str())),
        );
        keys.extend(["registered", "waitlisted"].map(|s| format!("registration-{s}")));
        keys.extend(crate::training::pages::DONE.map(|d| format!("training-done-{d}")));
        for question in ["rating", "applicable"] {
            keys.extend(tukiverkko_domain::training::FEEDBACK_SCALE.map(|n| format!("feedback-{question}-{n}")));
        }
        keys.extend(crate::research::pages::DONE.map(|d| format!("research-done-{d}")));
        keys.extend(tukiverkko_store::research_partners::KINDS.map(|k| format!("partner-kind-{k}")));
        keys.extend(crate::research::rounds::DONE.map(|d| format!("round-done-{d}")));
        keys.extend(tukiverkko_domain::outcome::Instrument::ALL.map(|v| format!("instrument-{}", v.as_str())));
        keys.extend(tukiverkko_domain::statistics::Dimension::ALL.map(|v| format!("stats-dim-{v}")));
        keys.extend(tukiverkko_domain::consultation::AnswerEffect::ALL.map(|v| format!("outcome-{v}")));
        keys.extend(tukiverkko_domain::consultation::ReferralEffect::ALL.map(|v| format!("referral-{v}")));
        keys.extend(tukiverkko_domain::catalogue::TeamKind::ALL.map(|v| format!("team-kind-{v}")));
        keys.extend(Urgency::ALL.map(|v| format!("urgency-{v}")));
        keys.extend(Format::ALL.map(|v| format!("format-{v}")));
        keys.extend(LegalBasis::ALL.map(|v| format!("basis-{v}")));
        keys.extend(AssignmentState::ALL.map(|v| format!("assignment-{v}")));
        keys.extend(Action::ALL.map(|v| format!("event-{}", v.name())));
        keys.extend(tukiverkko_domain::Role::ALL.map(|v| format!("role-{v}")));
        keys.extend(NotificationKind::ALL.map(|v| format!("notification-{v}")));
        keys.extend([400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503].map(|c| format!("error-{c}")));
        keys.extend(["preferences", "totp_on", "totp_off"].map(|s| format!("settings-saved-{s}")));
        keys.extend(crate::admin_users::DONE.map(|s| format!("users-done-{s}")));
        keys.extend(crate::notifications::DONE.map(|s| format!("notifications-done-{s}")));
        keys.extend(crate::consultations::actions::DONE.map(|a| format!("case-done-{a}")));
        keys.extend(crate::pages::home::DONE.map(|a| format!("home-done-{a}")));
        keys.extend(["warning-name", "warning-identity_code"].map(String::from));
        keys.extend(tukiverkko_domain::consultation::NextStep::ALL.map(|s| format!("step-{}", s.as_str())));
        keys.extend(
            ["nav-users-hint", "nav-import-hint", "home-tool-audit-hint", "invalid-required-choice"].map(String::from),
        );
        for (key, sections) in
            [("a11y", crate::statements::ACCESSIBILITY_SECTIONS), ("privacy", crate::statements::PRIVACY_SECTIONS)]
        {
            keys.extend([format!("{key}-title"), format!("{key}-intro")]);
            keys.extend((1..=sections).flat_map(|n| [format!("{key}-{n}-h"), format!("{key}-{n}-p")]));
        }
        keys
    }

    /// Keys used in templates and code exist; a typo would show the raw key.
    #[test]
    fn every_used_key_is_defined() {
        let (_, defined) = message_keys().into_iter().next().unwrap();
        let mut texts = Vec::new();
        for dir in ["templates", "src"] {
            sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut texts);
        }
        let mut used: BTreeSet<String> = runtime_keys().into_iter().collect();
        for text in &texts {
            for pattern in ["t(\"", "t1(\"", "t(lang, \"", "t_args(lang, \""] {
                for (i, _) in text.match_indices(pattern) {
                    let before = text[..i].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = &text[i + pattern.len()..];
                    if let Some(key) = rest.split('"').next()
                        && key.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                        && !key.is_empty()
                    {
                        used.insert(key.to_string());
                    }
                }
            }
        }
        assert!(used.len() > 10, "{used:?}");
        let undefined: Vec<_> = used.iter().filter(|k| !defined.contains(k)).collect();
        assert!(undefined.is_empty(), "undefined message keys: {undefined:?}");
    }

    #[test]
    fn lookup_uses_the_language_and_arguments() {
        assert_eq!(t(Language::Sv, "nav-home"), "Startsida");
        assert_eq!(t_args(Language::En, "signed-in-as", &[("name", "Aino".into())]), "Signed in as Aino");
    }
}
