//! The audit chain: each entry's hash covers a canonical encoding of its
//! fields and the previous entry's hash, so changing, inserting or removing
//! an entry breaks every hash after it.

use sha2::{Digest, Sha256};

/// The hash that the first entry chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub purpose: Option<String>,
    pub outcome: String,
    pub client_ip: Option<String>,
    pub request_id: Option<String>,
}

impl AuditRecord {
    /// Length-prefixed fields: no separator inside a value can make two
    /// different records encode alike. `None` and `Some("")` differ.
    fn canonical(&self, prev_hash: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        let mut field = |value: Option<&str>| match value {
            None => out.extend_from_slice(b"~;"),
            Some(v) => {
                out.extend_from_slice(v.len().to_string().as_bytes());
                out.push(b':');
                out.extend_from_slice(v.as_bytes());
                out.push(b';');
            }
        };
        field(Some(&self.seq.to_string()));
        field(Some(&self.at.to_string()));
        field(self.actor_id.as_deref());
        field(self.actor_role.as_deref());
        field(Some(&self.action));
        field(self.object_type.as_deref());
        field(self.object_id.as_deref());
        field(self.purpose.as_deref());
        field(Some(&self.outcome));
        field(self.client_ip.as_deref());
        field(self.request_id.as_deref());
        field(Some(prev_hash));
        out
    }

    pub fn hash(&self, prev_hash: &str) -> String {
        hex::encode(Sha256::digest(self.canonical(prev_hash)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> AuditRecord {
        AuditRecord {
            seq: 1,
            at: 1_700_000_000,
            actor_id: Some("u1".into()),
            actor_role: Some("coordinator".into()),
            action: "consultation.read".into(),
            object_type: Some("consultation".into()),
            object_id: Some("c1".into()),
            purpose: None,
            outcome: "ok".into(),
            client_ip: None,
            request_id: None,
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let base = record().hash(GENESIS_HASH);
        assert_eq!(base.len(), 64);
        assert_ne!(record().hash("ab"), base);
        let mut r = record();
        r.purpose = Some(String::new());
        assert_ne!(r.hash(GENESIS_HASH), base);
        let mut r = record();
        r.object_id = Some("c2".into());
        assert_ne!(r.hash(GENESIS_HASH), base);
    }
}

/// What an audit entry records. The names are stable: inspections and
/// exports refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    LoginSucceeded,
    LoginFailed,
    /// Sign-in through an external OpenID Connect provider.
    ExternalLogin,
    ExternalLoginFailed,
    IdentityLinked,
    Logout,
    PasswordChanged,
    UserCreated,
    UserDisabled,
    TokenIssued,
    TokenRevoked,
    ExpertCreated,
    ExpertUpdated,
    ExpertsImported,
    AuditExported,
    /// A coordinator marked a case for Barnahus co-operation, opening it to
    /// the panel's police and prosecution members.
    BarnahusMarked,
    /// A finished case's content was removed at the end of its retention
    /// period; who accessed it stays in the trail.
    ContentRemoved,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoginSucceeded => "auth.login",
            Self::LoginFailed => "auth.login_failed",
            Self::ExternalLogin => "auth.login_external",
            Self::ExternalLoginFailed => "auth.login_external_failed",
            Self::IdentityLinked => "auth.identity_linked",
            Self::Logout => "auth.logout",
            Self::PasswordChanged => "auth.password_changed",
            Self::UserCreated => "user.create",
            Self::UserDisabled => "user.disable",
            Self::TokenIssued => "token.issue",
            Self::TokenRevoked => "token.revoke",
            Self::ExpertCreated => "expert.create",
            Self::ExpertUpdated => "expert.update",
            Self::ExpertsImported => "expert.import",
            Self::AuditExported => "audit.export",
            Self::BarnahusMarked => "consultation.barnahus",
            Self::ContentRemoved => "consultation.content_removed",
        }
    }
}
