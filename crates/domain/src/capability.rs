//! Roles and the capabilities they grant. Every route declares one
//! capability; the web layer checks it before the handler runs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codes::ValueError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Requester,
    Expert,
    Coordinator,
    Researcher,
    ExperienceExpert,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Self::Requester, Self::Expert, Self::Coordinator, Self::Researcher, Self::ExperienceExpert, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requester => "requester",
            Self::Expert => "expert",
            Self::Coordinator => "coordinator",
            Self::Researcher => "researcher",
            Self::ExperienceExpert => "experience_expert",
            Self::Admin => "admin",
        }
    }

    /// Coordinators and experts work for one centre.
    pub fn needs_centre(self) -> bool {
        matches!(self, Self::Coordinator | Self::Expert | Self::ExperienceExpert)
    }

    /// Experts and experience experts are listed in the expert directory.
    pub fn has_directory_profile(self) -> bool {
        matches!(self, Self::Expert | Self::ExperienceExpert)
    }

    pub fn grants(self, capability: Capability) -> bool {
        use Capability::*;
        use Role::*;
        match capability {
            Public | SignedIn => true,
            SearchExperts => self != Researcher,
            // Own profile (experts), the centre's (coordinators), any (admins): the profile decides which.
            EditProfiles => matches!(self, Expert | ExperienceExpert | Coordinator | Admin),
            ManageExperts => matches!(self, Coordinator | Admin),
            RequestConsultation => self == Requester,
            TriageConsultations => self == Coordinator,
            AnswerConsultations => matches!(self, Expert | ExperienceExpert),
            ManageUsers | ReadAuditLog => self == Admin,
        }
    }
}

impl FromStr for Role {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown_role", format!("unknown role '{s}'")))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route needs from its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    /// Anyone, signed in or not (login page, health checks).
    Public,
    /// Any signed-in user (own account, logout).
    SignedIn,
    SearchExperts,
    EditProfiles,
    ManageExperts,
    RequestConsultation,
    TriageConsultations,
    AnswerConsultations,
    ManageUsers,
    ReadAuditLog,
}

impl Capability {
    pub const ALL: [Capability; 10] = [
        Self::Public,
        Self::SignedIn,
        Self::SearchExperts,
        Self::EditProfiles,
        Self::ManageExperts,
        Self::RequestConsultation,
        Self::TriageConsultations,
        Self::AnswerConsultations,
        Self::ManageUsers,
        Self::ReadAuditLog,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::SignedIn => "signed_in",
            Self::SearchExperts => "search_experts",
            Self::EditProfiles => "edit_profiles",
            Self::ManageExperts => "manage_experts",
            Self::RequestConsultation => "request_consultation",
            Self::TriageConsultations => "triage_consultations",
            Self::AnswerConsultations => "answer_consultations",
            Self::ManageUsers => "manage_users",
            Self::ReadAuditLog => "read_audit_log",
        }
    }

    pub fn needs_sign_in(self) -> bool {
        self != Capability::Public
    }

    /// True when any of `roles` grants this capability.
    pub fn granted_by(self, roles: &[Role]) -> bool {
        if !self.needs_sign_in() {
            return true;
        }
        roles.iter().any(|r| r.grants(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_privilege_per_role() {
        assert!(Capability::RequestConsultation.granted_by(&[Role::Requester]));
        assert!(!Capability::RequestConsultation.granted_by(&[Role::Admin]));
        assert!(!Capability::SearchExperts.granted_by(&[Role::Researcher]));
        assert!(Capability::SearchExperts.granted_by(&[Role::Researcher, Role::Requester]));
        assert!(!Capability::SignedIn.granted_by(&[]));
        assert!(Capability::Public.granted_by(&[]));
        assert_eq!("experience_expert".parse::<Role>().unwrap(), Role::ExperienceExpert);
    }
}
