//! Sign-in through an external OpenID Connect provider. Accounts are still
//! created by an administrator (roles and centre come from here, not from
//! the provider); the provider's identity is linked to an account the first
//! time it signs in with an e-mail address the provider has verified.

use tukiverkko_domain::Email;
use tukiverkko_domain::audit::AuditAction;

use crate::accounts::{self, Account};
use crate::audit::{self, AuditEvent};
use crate::{Db, Result, StoreError, now, on_db, on_tx};

/// Who the provider says signed in.
#[derive(Debug, Clone)]
pub struct ExternalIdentity {
    pub issuer: String,
    pub subject: String,
    /// Present only when the provider vouches for the address.
    pub verified_email: Option<Email>,
}

/// Why an external identity did not lead to an account. The user sees one
/// message for all of them; the audit trail keeps the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No link and no account with the verified address.
    NoAccount,
    Disabled,
    /// The account is already linked to another identity at this provider.
    LinkedElsewhere,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoAccount => "no_account",
            Self::Disabled => "disabled",
            Self::LinkedElsewhere => "linked_elsewhere",
        }
    }
}

async fn linked_user(db: &Db, issuer: &str, subject: &str) -> Result<Option<String>> {
    Ok(on_db!(db, pool => sqlx::query_scalar("SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2")
        .bind(issuer).bind(subject).fetch_optional(pool).await?))
}

/// The account an external identity signs in as, linking it on first use.
pub async fn resolve(db: &Db, identity: &ExternalIdentity) -> Result<Result<Account, Refusal>> {
    if let Some(user_id) = linked_user(db, &identity.issuer, &identity.subject).await? {
        let account = accounts::find_by_id(db, &user_id).await?;
        return Ok(if account.disabled { Err(Refusal::Disabled) } else { Ok(account) });
    }
    let Some(email) = &identity.verified_email else { return Ok(Err(Refusal::NoAccount)) };
    let account = match accounts::find_by_email(db, email).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => return Ok(Err(Refusal::NoAccount)),
        Err(e) => return Err(e),
    };
    if account.disabled {
        return Ok(Err(Refusal::Disabled));
    }
    let mut tx = db.begin().await?;
    let inserted = on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO user_identities (issuer, subject, user_id, linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(&identity.issuer).bind(&identity.subject).bind(&account.id).bind(now())
        .execute(conn).await?.rows_affected());
    if inserted == 0 {
        tx.commit().await?;
        // A second sign-in racing the first one links the same pair.
        let same = linked_user(db, &identity.issuer, &identity.subject).await?.as_deref() == Some(account.id.as_str());
        return Ok(if same { Ok(account) } else { Err(Refusal::LinkedElsewhere) });
    }
    let event = AuditEvent::new(AuditAction::IdentityLinked)
        .actor(&account.id, None)
        .object("user", &account.id)
        .purpose(Some(&identity.issuer));
    audit::append(&mut tx, event).await?;
    tx.commit().await?;
    Ok(Ok(account))
}

/// The identities linked to an account, as (issuer, subject).
pub async fn linked_to(db: &Db, user_id: &str) -> Result<Vec<(String, String)>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT issuer, subject FROM user_identities WHERE user_id = $1 ORDER BY issuer")
        .bind(user_id).fetch_all(pool).await?))
}
