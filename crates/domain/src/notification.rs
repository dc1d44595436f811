//! What a notification says happened. A notification carries its kind and
//! a link only, never case content; the text comes from `notification-KIND`
//! in the reader's language.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    ConsultationSubmitted,
    ConsultationRerouted,
    ConsultationAssigned,
    AssignmentDeclined,
    ConsultationDeclined,
    ConsultationAnswered,
    ConsultationMessage,
    MeetingScheduled,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 8] = [
        Self::ConsultationSubmitted,
        Self::ConsultationRerouted,
        Self::ConsultationAssigned,
        Self::AssignmentDeclined,
        Self::ConsultationDeclined,
        Self::ConsultationAnswered,
        Self::ConsultationMessage,
        Self::MeetingScheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConsultationSubmitted => "consultation_submitted",
            Self::ConsultationRerouted => "consultation_rerouted",
            Self::ConsultationAssigned => "consultation_assigned",
            Self::AssignmentDeclined => "assignment_declined",
            Self::ConsultationDeclined => "consultation_declined",
            Self::ConsultationAnswered => "consultation_answered",
            Self::ConsultationMessage => "consultation_message",
            Self::MeetingScheduled => "meeting_scheduled",
        }
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
