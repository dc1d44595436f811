//! The Barnahus decision on the case page: the coordinator's section with
//! the confirmed button, and the page a police or prosecution panel member
//! sees until the decision is made. The rule itself is enforced in the
//! store where every access to a case passes.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use tukiverkko_domain::Language;
use tukiverkko_domain::consultation::{self, Action, AssignmentState, BARNAHUS_SECTORS};
use tukiverkko_store::consultations::CaseDetail;

use crate::auth::{Cap, Require};
use crate::labels;
use crate::templates::{PageContext, render};

/// What the case page shows of the decision.
#[derive(Default)]
pub struct BarnahusSection {
    /// The reader may mark the case now (a coordinator, not yet marked).
    pub may_mark: bool,
    /// When it was marked, in the reader's words.
    pub marked: Option<String>,
    /// Panel members who wait for the decision (police, prosecution).
    pub waiting: Vec<String>,
}

/// Whether a panel member is one the Barnahus rule holds back.
pub fn gated(sector: &str) -> bool {
    BARNAHUS_SECTORS.contains(&sector)
}

pub fn section(lang: Language, detail: &CaseDetail) -> BarnahusSection {
    let marked = detail.case.barnahus_at;
    BarnahusSection {
        may_mark: marked.is_none() && consultation::may(detail.case.status(), &detail.parties, Action::MarkBarnahus),
        marked: marked.map(|at| labels::moment(lang, at)),
        waiting: if marked.is_none() {
            detail
                .experts
                .iter()
                .filter(|e| e.state != AssignmentState::Declined && gated(&e.sector))
                .map(|e| e.name.clone())
                .collect()
        } else {
            Vec::new()
        },
    }
}

#[derive(Template)]
#[template(path = "consultation_barnahus_pending.html")]
struct PendingPage {
    page: PageContext,
    reference: String,
}

/// The case is on the member's list, so the page says which one waits and
/// why: no content, a 403 like the API's.
pub fn pending_page<C: Cap>(lang: Language, granted: &Require<C>, reference: &str) -> Response {
    let page = PageContext::new(lang, Some(&granted.principal), "/consultations", "barnahus-pending-heading");
    render(StatusCode::FORBIDDEN, &PendingPage { page, reference: reference.to_string() })
}
