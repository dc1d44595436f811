//! Routing by national specialisation: when a request's topics are another
//! centre's national specialty, triage proposes moving the case there, with
//! the reason, and the reroute records that reason. The rule is the
//! domain's; this gives it the centres' data and the reader's words.

use tukiverkko_domain::Language;
use tukiverkko_domain::catalogue::routing_proposals;
use tukiverkko_domain::consultation::{self, Action};
use tukiverkko_store::catalogue;
use tukiverkko_store::consultations::CaseDetail;
use tukiverkko_store::experts::split;

use crate::error::AppError;
use crate::i18n::t_args;
use crate::labels;
use crate::state::AppState;

/// A proposed routing as the page and the API show it.
pub struct Proposal {
    pub centre: String,
    pub centre_label: String,
    pub topic: String,
    /// The proposal in a sentence: which centre, which topic, its description.
    pub text: String,
    /// The reroute's reason, pre-filled (and recorded when sent).
    pub reason: String,
}

/// The proposals for a reader who may reroute the case now, `None` for
/// anyone else (the API leaves the field out for them).
pub async fn for_case(
    state: &AppState,
    lang: Language,
    detail: &CaseDetail,
) -> Result<Option<Vec<Proposal>>, AppError> {
    if !consultation::may(detail.case.status(), &detail.parties, Action::Reroute) {
        return Ok(None);
    }
    let specialisations = catalogue::specialisations(&state.db).await?;
    let topics = split(&detail.case.topics);
    let found = routing_proposals(
        &detail.case.centre,
        &topics,
        specialisations.iter().map(|s| (s.centre.as_str(), s.topic.as_str(), s.description.as_str())),
    );
    Ok(Some(
        found
            .into_iter()
            .map(|p| {
                let centre_label = labels::centre(lang, &p.centre);
                let topic = labels::taxonomy(lang, &p.topic);
                let described = !p.description.trim().is_empty();
                let args = [
                    ("centre", centre_label.clone()),
                    ("topic", topic),
                    ("description", p.description.trim().to_string()),
                ];
                let (text_key, reason_key) = if described {
                    ("routing-proposal", "routing-reason")
                } else {
                    ("routing-proposal-plain", "routing-reason-plain")
                };
                Proposal {
                    text: t_args(lang, text_key, &args),
                    reason: t_args(lang, reason_key, &args),
                    centre_label,
                    centre: p.centre,
                    topic: p.topic,
                }
            })
            .collect(),
    ))
}
