//! The consultation case: its states, who may move it, and the rules of
//! each move. One state machine; the store records every transition with
//! who and when.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codes::ValueError;

/// `ALL`, `FromStr` and `Display` for an enum of codes with `as_str`.
macro_rules! code_enum {
    ($ty:ident, $error:literal, [$($variant:ident),* $(,)?]) => {
        impl $ty {
            pub const ALL: [$ty; [$($ty::$variant),*].len()] = [$($ty::$variant),*];
        }

        impl FromStr for $ty {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| ValueError::new($error, format!("unknown value '{s}'")))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Submitted,
    Assigned,
    Answered,
    Closed,
    Cancelled,
    Declined,
}

impl Status {
    pub const ALL: [Status; 7] =
        [Self::Draft, Self::Submitted, Self::Assigned, Self::Answered, Self::Closed, Self::Cancelled, Self::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Assigned => "assigned",
            Self::Answered => "answered",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
            Self::Declined => "declined",
        }
    }

    /// No further moves from here.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Closed | Self::Cancelled | Self::Declined)
    }

    /// Still waiting for the centre: counts against experts' capacity and due times.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Submitted | Self::Assigned)
    }
}

impl FromStr for Status {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_status", format!("unknown status '{s}'")))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the actor relates to the case; decided by the store from the case's
/// requester, assignments and centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    Requester,
    /// A coordinator of the centre that holds the case.
    Coordinator,
    LeadExpert,
    PanelExpert,
}

/// Something done to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The requester changes their draft before sending it.
    EditDraft,
    Submit,
    Reroute,
    Assign,
    Accept,
    /// An assigned expert declines their part.
    DeclineAssignment {
        /// Whether every other assigned expert has declined already (or the lead declines).
        leaves_no_lead: bool,
    },
    /// The coordinator declines the whole request as outside the centres' remit.
    DeclineCase,
    Statement,
    Feedback,
    Cancel,
    Message,
    Meeting,
    /// The coordinator marks the case as one for Barnahus co-operation: only
    /// then do the panel's police and prosecution members see it.
    MarkBarnahus,
}

impl Action {
    /// Every action, both ways a part can be declined included.
    pub const ALL: [Action; 14] = [
        Action::EditDraft,
        Action::Submit,
        Action::Reroute,
        Action::Assign,
        Action::Accept,
        Action::DeclineAssignment { leaves_no_lead: true },
        Action::DeclineAssignment { leaves_no_lead: false },
        Action::DeclineCase,
        Action::Statement,
        Action::Feedback,
        Action::Cancel,
        Action::Message,
        Action::Meeting,
        Action::MarkBarnahus,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::EditDraft => "edit",
            Self::Submit => "submit",
            Self::Reroute => "reroute",
            Self::Assign => "assign",
            Self::Accept => "accept",
            Self::DeclineAssignment { .. } => "decline_assignment",
            Self::DeclineCase => "decline",
            Self::Statement => "statement",
            Self::Feedback => "feedback",
            Self::Cancel => "cancel",
            Self::Message => "message",
            Self::Meeting => "meeting",
            Self::MarkBarnahus => "barnahus",
        }
    }
}

/// Why a move was refused: the actor may not do it (`NotAllowed`, shown as
/// 403/404) or the case is in the wrong state (`WrongState`, 409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("not allowed for this participant")]
    NotAllowed,
    #[error("a {status} consultation cannot take '{action}'")]
    WrongState { status: Status, action: &'static str },
}

/// The state after `action` by `party` on a case in `status`.
pub fn transition(status: Status, action: Action, party: Party) -> Result<Status, TransitionError> {
    use Action::*;
    use Party::*;
    use Status::*;
    let allowed_party = match action {
        EditDraft | Submit | Feedback => party == Requester,
        Reroute | Assign | DeclineCase | MarkBarnahus => party == Coordinator,
        Accept | DeclineAssignment { .. } => matches!(party, LeadExpert | PanelExpert),
        Statement => party == LeadExpert,
        Cancel => matches!(party, Requester | Coordinator),
        Message => true,
        Meeting => matches!(party, Coordinator | LeadExpert),
    };
    if !allowed_party {
        return Err(TransitionError::NotAllowed);
    }
    let next = match (status, action) {
        (Draft, Submit) => Some(Submitted),
        (Draft, EditDraft) => Some(Draft),
        (Submitted, Reroute) => Some(Submitted),
        (Submitted | Assigned, Assign) => Some(Assigned),
        (Submitted, DeclineCase) => Some(Declined),
        (Assigned, Accept) => Some(Assigned),
        (Assigned, DeclineAssignment { leaves_no_lead: true }) => Some(Submitted),
        (Assigned, DeclineAssignment { leaves_no_lead: false }) => Some(Assigned),
        (Assigned | Answered, Statement) => Some(Answered),
        (Answered, Feedback) => Some(Closed),
        (Draft | Submitted | Assigned, Cancel) => Some(Cancelled),
        (Submitted | Assigned | Answered, Message) => Some(status),
        (Assigned, Meeting) => Some(status),
        (Submitted | Assigned | Answered, MarkBarnahus) => Some(status),
        _ => None,
    };
    next.ok_or(TransitionError::WrongState { status, action: action.name() })
}

/// Whether any of the caller's `parties` may take `action` on a case in
/// `status` now: what a case page offers, from the same rule that the moves
/// are checked by.
pub fn may(status: Status, parties: &[Party], action: Action) -> bool {
    parties.iter().any(|&party| transition(status, action, party).is_ok())
}

/// Sectors (taxonomy codes) whose panel members see a case only once the
/// coordinator has marked it for Barnahus co-operation: the criminal
/// investigation must not steer the child-welfare consultation unasked.
pub const BARNAHUS_SECTORS: [&str; 2] = ["police", "prosecution"];

/// Whether the reader must wait for the coordinator's Barnahus decision
/// before seeing the case: they take part only as a panel member, their
/// directory sector is police or prosecution, and the case is not marked.
/// Taking part otherwise (the requester, a coordinator) is never held back.
pub fn awaits_barnahus(parties: &[Party], expert_sector: Option<&str>, marked: bool) -> bool {
    !marked
        && !parties.is_empty()
        && parties.iter().all(|p| matches!(p, Party::LeadExpert | Party::PanelExpert))
        && expert_sector.is_some_and(|s| BARNAHUS_SECTORS.contains(&s))
}

/// What the answer did for the requester's work (the eConsult close-out
/// question of Champlain BASE, so our figures compare with theirs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerEffect {
    ConfirmedPlan,
    NewAdvice,
    NotUseful,
}

impl AnswerEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmedPlan => "confirmed_plan",
            Self::NewAdvice => "new_advice",
            Self::NotUseful => "not_useful",
        }
    }
}

code_enum!(AnswerEffect, "unknown_outcome", [ConfirmedPlan, NewAdvice, NotUseful]);

/// The answer's effect on a referral (the second eConsult question): one
/// was planned and is now avoided or still needed; none was planned and
/// none is needed, or one is now started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralEffect {
    Avoided,
    StillNeeded,
    NotNeeded,
    Initiated,
}

impl ReferralEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Avoided => "avoided",
            Self::StillNeeded => "still_needed",
            Self::NotNeeded => "not_needed",
            Self::Initiated => "initiated",
        }
    }
}

code_enum!(ReferralEffect, "unknown_referral", [Avoided, StillNeeded, NotNeeded, Initiated]);

/// Whether a referral was avoided, from the older yes/no question, the
/// referral effect, or both when they agree. One of them is required.
pub fn referral_avoided(
    avoided: Option<bool>,
    effect: Option<ReferralEffect>,
) -> Result<bool, (&'static str, ValueError)> {
    match (avoided, effect) {
        (Some(a), Some(e)) if a != (e == ReferralEffect::Avoided) => {
            Err(("referral", ValueError::new("contradiction", "referral_avoided and referral say different things")))
        }
        (Some(a), _) => Ok(a),
        (None, Some(e)) => Ok(e == ReferralEffect::Avoided),
        (None, None) => Err(("referral_avoided", ValueError::new("required", "referral_avoided is required"))),
    }
}

/// Who records a client's outcome measurements, and when: the requester
/// and the assigned experts, from the moment the case is sent until long
/// after it closed (follow-ups come months later), never on a draft or a
/// case that was cancelled or declined. Not a move: the status stays.
pub fn may_record_outcome(status: Status, parties: &[Party]) -> bool {
    let open_for_measuring = !matches!(status, Status::Draft | Status::Cancelled | Status::Declined);
    open_for_measuring && parties.iter().any(|p| matches!(p, Party::Requester | Party::LeadExpert | Party::PanelExpert))
}

/// What a case waits for from one party: the "next step" on the home
/// pages, derived from the same states the moves are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// The requester's draft is not sent yet.
    Submit,
    /// The centre has not assigned anyone yet.
    AwaitTriage,
    /// Experts work on it.
    AwaitAnswer,
    /// The answer came; the requester's feedback closes the case.
    GiveFeedback,
    /// A coordinator assigns, reroutes or declines it.
    Triage,
    /// An assigned expert accepts or declines their part.
    AcceptPart,
    /// The lead writes the statement.
    WriteStatement,
    /// A panel member supports the lead, who writes the statement.
    SupportLead,
    /// Nothing is expected of this party.
    Nothing,
}

impl NextStep {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::AwaitTriage => "await-triage",
            Self::AwaitAnswer => "await-answer",
            Self::GiveFeedback => "give-feedback",
            Self::Triage => "triage",
            Self::AcceptPart => "accept-part",
            Self::WriteStatement => "write-statement",
            Self::SupportLead => "support-lead",
            Self::Nothing => "nothing",
        }
    }

    pub const ALL: [NextStep; 9] = [
        Self::Submit,
        Self::AwaitTriage,
        Self::AwaitAnswer,
        Self::GiveFeedback,
        Self::Triage,
        Self::AcceptPart,
        Self::WriteStatement,
        Self::SupportLead,
        Self::Nothing,
    ];

    /// Whether the step is the party's own to take (rather than waiting).
    pub fn is_own(self) -> bool {
        matches!(self, Self::Submit | Self::GiveFeedback | Self::Triage | Self::AcceptPart | Self::WriteStatement)
    }
}

/// The step a case in `status` waits for from `party`; `accepted` tells
/// whether an assigned expert has accepted their part.
pub fn next_step(status: Status, party: Party, accepted: bool) -> NextStep {
    use Party::*;
    use Status::*;
    match (party, status) {
        (Requester, Draft) => NextStep::Submit,
        (Requester, Submitted) => NextStep::AwaitTriage,
        (Requester | Coordinator, Assigned) => NextStep::AwaitAnswer,
        (Requester, Answered) => NextStep::GiveFeedback,
        (Coordinator, Submitted) => NextStep::Triage,
        (LeadExpert | PanelExpert, Assigned) if !accepted => NextStep::AcceptPart,
        (LeadExpert, Assigned) => NextStep::WriteStatement,
        (PanelExpert, Assigned) => NextStep::SupportLead,
        _ => NextStep::Nothing,
    }
}

/// How fast the centre answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    Urgent,
    Normal,
    Planned,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Urgent => "urgent",
            Self::Normal => "normal",
            Self::Planned => "planned",
        }
    }
}

code_enum!(Urgency, "unknown_urgency", [Urgent, Normal, Planned]);

/// Working days to answer, by urgency (configurable per installation).
#[derive(Debug, Clone, Copy)]
pub struct ServiceLevels {
    pub urgent: u32,
    pub normal: u32,
    pub planned: u32,
}

impl Default for ServiceLevels {
    fn default() -> Self {
        Self { urgent: 1, normal: 5, planned: 15 }
    }
}

impl ServiceLevels {
    pub fn days(&self, urgency: Urgency) -> u32 {
        match urgency {
            Urgency::Urgent => self.urgent,
            Urgency::Normal => self.normal,
            Urgency::Planned => self.planned,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Statement,
    Meeting,
    Visit,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Statement => "statement",
            Self::Meeting => "meeting",
            Self::Visit => "visit",
        }
    }
}

code_enum!(Format, "unknown_format", [Statement, Meeting, Visit]);

/// The legal basis for sharing the child's information with the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    GuardianConsent,
    ChildConsent,
    Statutory,
}

impl LegalBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GuardianConsent => "guardian_consent",
            Self::ChildConsent => "child_consent",
            Self::Statutory => "statutory",
        }
    }
}

code_enum!(LegalBasis, "unknown_legal_basis", [GuardianConsent, ChildConsent, Statutory]);

/// Where an assigned expert's part stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssignmentState {
    Assigned,
    Accepted,
    Declined,
}

impl AssignmentState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assigned => "assigned",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
        }
    }
}

code_enum!(AssignmentState, "unknown_assignment_state", [Assigned, Accepted, Declined]);

impl TryFrom<String> for AssignmentState {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

pub const MAX_CLIENT_AGE: u8 = 25;

/// The requester's rating of an answer's usefulness, 1–5.
pub fn usefulness(value: i64) -> Result<u8, ValueError> {
    u8::try_from(value)
        .ok()
        .filter(|v| (1..=5).contains(v))
        .ok_or_else(|| ValueError::new("out_of_range", "usefulness must be 1–5"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTIES: [Party; 4] = [Party::Requester, Party::Coordinator, Party::LeadExpert, Party::PanelExpert];

    /// A step the home page tells a party to take is always a move the state
    /// machine lets them make, and a party who can make the case's key move
    /// is told so.
    #[test]
    fn own_next_steps_are_moves_the_party_may_make() {
        let key = |step: NextStep| match step {
            NextStep::Submit => Some(Action::Submit),
            NextStep::GiveFeedback => Some(Action::Feedback),
            NextStep::Triage => Some(Action::Assign),
            NextStep::AcceptPart => Some(Action::Accept),
            NextStep::WriteStatement => Some(Action::Statement),
            _ => None,
        };
        for status in Status::ALL {
            for party in PARTIES {
                for accepted in [false, true] {
                    let step = next_step(status, party, accepted);
                    assert_eq!(step.is_own(), key(step).is_some(), "{step:?}");
                    if let Some(action) = key(step) {
                        assert!(may(status, &[party], action), "{status:?} {party:?} {step:?}");
                    }
                }
                for (action, step) in [(Action::Submit, NextStep::Submit), (Action::Feedback, NextStep::GiveFeedback)] {
                    if may(status, &[party], action) {
                        assert_eq!(next_step(status, party, false), step);
                    }
                }
            }
        }
    }

    /// Every sequence of up to six moves by anyone, from a draft: the case
    /// never leaves a final state, reaches Closed only through an answer and
    /// feedback, and Answered only through the lead's statement.
    #[test]
    fn no_sequence_of_moves_reaches_an_illegal_state() {
        let moves: Vec<(Action, Party)> =
            Action::ALL.iter().flat_map(|a| PARTIES.iter().map(move |p| (*a, *p))).collect();
        let mut frontier = vec![(Status::Draft, false, false)];
        let mut explored = 0u64;
        for _ in 0..6 {
            let mut next = Vec::new();
            for (status, answered, statement_seen) in frontier {
                for &(action, party) in &moves {
                    explored += 1;
                    match transition(status, action, party) {
                        Ok(to) => {
                            assert!(!status.is_final(), "{status} moved on by {action:?}");
                            if to == Status::Answered && status != Status::Answered {
                                assert_eq!((action, party), (Action::Statement, Party::LeadExpert));
                            }
                            if to == Status::Closed && status != Status::Closed {
                                assert!(answered && statement_seen, "closed without an answer");
                                assert_eq!((action, party), (Action::Feedback, Party::Requester));
                            }
                            if to == Status::Assigned && status != Status::Assigned {
                                assert_eq!(
                                    (status, action, party),
                                    (Status::Submitted, Action::Assign, Party::Coordinator)
                                );
                            }
                            let answered = answered || to == Status::Answered;
                            let statement_seen = statement_seen || action == Action::Statement;
                            if to != status || next.len() < 50_000 {
                                next.push((to, answered, statement_seen));
                            }
                        }
                        Err(TransitionError::NotAllowed) => {}
                        Err(TransitionError::WrongState { status: s, .. }) => assert_eq!(s, status),
                    }
                }
            }
            next.sort_by_key(|(s, a, st)| (s.as_str(), *a, *st));
            next.dedup();
            frontier = next;
        }
        assert!(explored > 1000);
        let reached: std::collections::HashSet<_> = frontier.iter().map(|(s, ..)| *s).collect();
        assert!(reached.contains(&Status::Closed) && reached.contains(&Status::Cancelled));
    }

    #[test]
    fn police_and_prosecution_panel_members_wait_for_the_barnahus_decision() {
        let panel = [Party::PanelExpert];
        assert!(awaits_barnahus(&panel, Some("police"), false));
        assert!(awaits_barnahus(&[Party::LeadExpert], Some("prosecution"), false));
        assert!(!awaits_barnahus(&panel, Some("police"), true), "marked: they see it");
        assert!(!awaits_barnahus(&panel, Some("social"), false));
        assert!(!awaits_barnahus(&[Party::Requester, Party::PanelExpert], Some("police"), false), "own request");
        assert!(!awaits_barnahus(&[], Some("police"), false), "no part at all is another refusal");
        assert_eq!(transition(Status::Assigned, Action::MarkBarnahus, Party::Coordinator), Ok(Status::Assigned));
        assert_eq!(
            transition(Status::Assigned, Action::MarkBarnahus, Party::LeadExpert),
            Err(TransitionError::NotAllowed)
        );
    }

    #[test]
    fn roles_are_held_to_their_moves() {
        assert_eq!(transition(Status::Draft, Action::Submit, Party::Coordinator), Err(TransitionError::NotAllowed));
        assert_eq!(
            transition(Status::Assigned, Action::Statement, Party::PanelExpert),
            Err(TransitionError::NotAllowed)
        );
        assert_eq!(
            transition(Status::Closed, Action::Cancel, Party::Requester),
            Err(TransitionError::WrongState { status: Status::Closed, action: "cancel" })
        );
        assert_eq!(
            transition(Status::Assigned, Action::DeclineAssignment { leaves_no_lead: true }, Party::LeadExpert),
            Ok(Status::Submitted)
        );
    }
}
