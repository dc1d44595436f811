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
    /// A research need the user raised or follows moved on.
    ResearchNeedStatus,
    /// Results of a research need the user raised or follows were published.
    ResearchNeedPublished,
    /// A place in a training came free and is now the user's.
    TrainingPlace,
    /// A session of a training the user holds a place in starts soon.
    TrainingReminder,
    /// The user earned a certificate; the training asks for feedback.
    TrainingCertificate,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 13] = [
        Self::ConsultationSubmitted,
        Self::ConsultationRerouted,
        Self::ConsultationAssigned,
        Self::AssignmentDeclined,
        Self::ConsultationDeclined,
        Self::ConsultationAnswered,
        Self::ConsultationMessage,
        Self::MeetingScheduled,
        Self::ResearchNeedStatus,
        Self::ResearchNeedPublished,
        Self::TrainingPlace,
        Self::TrainingReminder,
        Self::TrainingCertificate,
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
            Self::ResearchNeedStatus => "research_need_status",
            Self::ResearchNeedPublished => "research_need_published",
            Self::TrainingPlace => "training_place",
            Self::TrainingReminder => "training_reminder",
            Self::TrainingCertificate => "training_certificate",
        }
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
