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
            // Aggregated figures only: a coordinator sees the own centre's, the others all centres'.
            ViewStatistics => matches!(self, Coordinator | Researcher | Admin),
            ReviewResearchNeeds => matches!(self, Coordinator | Researcher),
            ManageTraining => self == Coordinator,
            // The centre's own catalogue: the store checks it is the coordinator's centre.
            ManageServices => self == Coordinator,
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

/// Declares the capabilities once: the enum, its names, and a zero-sized
/// marker type per capability (`marker::SearchExperts`), which the web
/// layer's `Require<C>` takes so that access is part of a handler's type.
macro_rules! capabilities {
    ($($(#[$doc:meta])* $name:ident => $code:literal),* $(,)?) => {
        /// What a route needs from its caller.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Capability {
            $($(#[$doc])* $name,)*
        }

        impl Capability {
            pub const ALL: [Capability; [$(Capability::$name),*].len()] = [$(Capability::$name),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Capability::$name => $code,)*
                }
            }
        }

        /// A capability as a type.
        pub trait Marker: Send + Sync + 'static {
            const CAPABILITY: Capability;
        }

        /// One zero-sized type per capability.
        pub mod marker {
            $(
                #[doc = concat!("The `", $code, "` capability as a type.")]
                pub struct $name;
                impl super::Marker for $name {
                    const CAPABILITY: super::Capability = super::Capability::$name;
                }
            )*
        }
    };
}

capabilities! {
    /// Anyone, signed in or not (login page, health checks).
    Public => "public",
    /// Any signed-in user (own account, logout).
    SignedIn => "signed_in",
    SearchExperts => "search_experts",
    EditProfiles => "edit_profiles",
    ManageExperts => "manage_experts",
    RequestConsultation => "request_consultation",
    TriageConsultations => "triage_consultations",
    AnswerConsultations => "answer_consultations",
    ManageUsers => "manage_users",
    ReadAuditLog => "read_audit_log",
    ViewStatistics => "view_statistics",
    /// Merge, rewrite, move through the pipeline and run prioritisation rounds.
    ReviewResearchNeeds => "review_research_needs",
    /// Edit the methods catalogue, publish trainings, take attendance.
    ManageTraining => "manage_training",
    /// A centre's teams, national specialisations and consultation services.
    ManageServices => "manage_services",
}

impl Capability {
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
