//! JSON shapes of the consultation API.

use serde::{Deserialize, Serialize};
use tukiverkko_domain::consultation::{Format, LegalBasis, Urgency};
use tukiverkko_store::consultations::{CaseDetail, CaseRow, CaseSummary};
use tukiverkko_store::experts::split;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct ClientInput {
    /// Age in years, 0–25.
    pub age: u8,
    /// Wellbeing services county responsible for the child.
    pub county: String,
    /// Services in contact, as topic codes.
    #[serde(default)]
    pub services: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateConsultation {
    pub question: String,
    #[serde(default)]
    pub background: String,
    /// What has been tried already.
    #[serde(default)]
    pub tried: String,
    pub topics: Vec<String>,
    #[schema(value_type = String, example = "normal")]
    pub urgency: Urgency,
    #[schema(value_type = String, example = "statement")]
    pub format: Format,
    #[schema(value_type = String, example = "guardian_consent")]
    pub legal_basis: LegalBasis,
    pub client: ClientInput,
    /// An expert's directory id, when the requester asks from their profile:
    /// proposed to the coordinator, who still decides.
    #[serde(default)]
    pub proposed_expert: Option<String>,
    /// The catalogue service asked through (its id): the case goes to the
    /// service's centre and the due date follows its response times.
    #[serde(default)]
    pub service: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClientView {
    age: i64,
    county: String,
    services: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ConsultationView {
    pub id: String,
    pub reference: String,
    pub status: String,
    /// Grows with every change; send it with a move to refuse it when the case changed since.
    pub version: i64,
    pub centre: String,
    pub urgency: String,
    pub format: String,
    pub legal_basis: String,
    pub topics: Vec<String>,
    pub question: String,
    pub background: String,
    pub tried: String,
    pub client: ClientView,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    pub due_date: Option<String>,
    pub experts: Vec<ExpertView>,
    pub events: Vec<EventView>,
    pub messages: Vec<MessageView>,
    pub meetings: Vec<MeetingView>,
    pub statement: Option<StatementView>,
    pub feedback: Option<FeedbackView>,
    /// The teams assigned to the case.
    pub teams: Vec<TeamRef>,
    /// The catalogue service the request was made through.
    pub service: Option<String>,
    /// Whether the coordinator has marked the case for Barnahus co-operation
    /// (only then do police and prosecution members of the panel see it).
    pub barnahus: bool,
    /// The requester's account: with the panel's `account_id`s, who a
    /// meeting can invite (`invitees`).
    pub requester_account_id: String,
    /// For a coordinator who may reroute: the other centres that specialise
    /// nationally in the request's topics, with the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_proposals: Option<Vec<RoutingProposalView>>,
}

/// Routing the case to another centre, proposed by its national specialisation.
#[derive(Serialize, ToSchema)]
pub struct RoutingProposalView {
    pub centre: String,
    /// The request's topic that centre specialises in.
    pub topic: String,
    /// Why, in the reader's language: the topic and that centre's description
    /// of its specialisation. Sent as the reroute's reason, it is recorded.
    pub reason: String,
}

/// A team named on a case.
#[derive(Serialize, ToSchema)]
pub struct TeamRef {
    pub id: String,
    #[schema(value_type = Object)]
    pub name: tukiverkko_domain::catalogue::Names,
}

#[derive(Serialize, ToSchema)]
pub struct ExpertView {
    id: String,
    /// The member's account, when they have one (who a meeting can invite).
    account_id: Option<String>,
    name: String,
    lead: bool,
    state: String,
    reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    at: i64,
    actor_id: String,
    action: String,
    from: String,
    to: String,
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageView {
    id: String,
    author: String,
    body: String,
    at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingView {
    pub id: String,
    pub starts_at: i64,
    pub minutes: i64,
    pub link: String,
    pub ics: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatementView {
    assessment: String,
    recommendations: String,
    suggested_methods: Vec<String>,
    follow_up: String,
    at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct FeedbackView {
    usefulness: i64,
    referral_avoided: bool,
    would_ask_again: Option<bool>,
    comment: String,
    outcome: Option<String>,
    referral: Option<String>,
}

impl ConsultationView {
    pub fn from_case(c: CaseRow) -> Self {
        Self {
            topics: split(&c.topics),
            client: ClientView { age: c.client_age, county: c.client_county, services: split(&c.client_services) },
            id: c.id,
            reference: c.reference,
            status: c.status,
            version: c.version,
            centre: c.centre,
            urgency: c.urgency,
            format: c.format,
            legal_basis: c.legal_basis,
            question: c.question,
            background: c.background,
            tried: c.tried,
            created_at: c.created_at,
            submitted_at: c.submitted_at,
            due_date: c.due_date,
            service: c.service_id,
            barnahus: c.barnahus_at.is_some(),
            requester_account_id: c.requester_id.clone(),
            routing_proposals: None,
            experts: vec![],
            events: vec![],
            messages: vec![],
            meetings: vec![],
            statement: None,
            feedback: None,
            teams: vec![],
        }
    }

    pub fn from_detail(d: CaseDetail) -> Self {
        let case_id = d.case.id.clone();
        let mut view = Self::from_case(d.case);
        view.teams = d.teams.into_iter().map(|(id, name)| TeamRef { id, name: name.filled() }).collect();
        view.experts = d
            .experts
            .into_iter()
            .map(|e| ExpertView {
                id: e.expert_id,
                account_id: e.user_id,
                name: e.name,
                lead: e.is_lead,
                state: e.state.to_string(),
                reason: e.reason,
            })
            .collect();
        view.events = d
            .events
            .into_iter()
            .map(|e| EventView {
                at: e.at,
                actor_id: e.actor_id,
                action: e.action,
                from: e.from_status,
                to: e.to_status,
                note: e.note,
            })
            .collect();
        view.messages = d
            .messages
            .into_iter()
            .map(|m| MessageView { id: m.id, author: m.author_name, body: m.body, at: m.at })
            .collect();
        view.meetings = d
            .meetings
            .into_iter()
            .map(|m| MeetingView {
                ics: format!("/api/v1/consultations/{case_id}/meetings/{}.ics", m.id),
                id: m.id,
                starts_at: m.starts_at,
                minutes: m.minutes,
                link: m.link,
            })
            .collect();
        view.statement = d.statement.map(|s| StatementView {
            assessment: s.assessment,
            recommendations: s.recommendations,
            suggested_methods: split(&s.suggested_methods),
            follow_up: s.follow_up,
            at: s.at,
        });
        view.feedback = d.feedback.map(|f| FeedbackView {
            usefulness: f.usefulness,
            referral_avoided: f.referral_avoided,
            would_ask_again: f.would_ask_again,
            comment: f.comment,
            outcome: f.outcome,
            referral: f.referral,
        });
        view
    }
}

#[derive(Serialize, ToSchema)]
pub struct SummaryView {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub centre: String,
    pub topics: Vec<String>,
    pub urgency: String,
    pub format: String,
    pub created_at: i64,
    pub due_date: Option<String>,
    pub overdue: bool,
}

impl SummaryView {
    pub fn new(s: CaseSummary, today: &str) -> Self {
        let overdue = tukiverkko_store::consultations::is_overdue(
            s.status.parse().unwrap_or(tukiverkko_domain::consultation::Status::Draft),
            s.due_date.as_deref(),
            today,
        );
        Self {
            topics: split(&s.topics),
            id: s.id,
            reference: s.reference,
            status: s.status,
            centre: s.centre,
            urgency: s.urgency,
            format: s.format,
            created_at: s.created_at,
            due_date: s.due_date,
            overdue,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ListView {
    pub items: Vec<SummaryView>,
}
