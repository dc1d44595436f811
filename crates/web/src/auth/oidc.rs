//! Sign-in through an OpenID Connect provider (wellbeing counties run Entra
//! ID or a Suomi.fi-style service): the authorization code flow with PKCE
//! and a nonce. The provider answers with `response_mode=query`, a plain
//! redirect, so the callback is an ordinary same-site GET.
//!
//! The flow's secrets stay on the server, in the database so the callback
//! may reach any node; the browser only carries the
//! `state` in a cookie scoped to `/login/oidc`, so a callback is accepted
//! only in the browser that started it.

use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse, reqwest,
};
use tukiverkko_domain::Email;
use tukiverkko_store::Db;
use tukiverkko_store::identities::ExternalIdentity;
use tukiverkko_store::oidc_flows::{self, Flow};

/// Where the provider sends the browser back, under the public URL.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";
/// Carries the flow's `state` between the start and the callback.
pub const FLOW_COOKIE: &str = "tv_oidc";
/// How long a started sign-in may take at the provider.
pub const FLOW_TTL: Duration = Duration::from_secs(600);
/// Provider metadata and signing keys are fetched again after this, so
/// rotated keys are picked up.
const METADATA_TTL: Duration = Duration::from_secs(3600);

#[derive(Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The provider's name on the sign-in button, e.g. "Entra ID".
    pub display_name: String,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("display_name", &self.display_name)
            .finish()
    }
}

impl OidcConfig {
    /// The callback address for this service, checking both addresses.
    pub fn redirect_url(&self, public_url: Option<&str>) -> Result<String, String> {
        IssuerUrl::new(self.issuer.clone()).map_err(|e| format!("OpenID Connect issuer '{}': {e}", self.issuer))?;
        let base = public_url.ok_or("OpenID Connect sign-in needs the public URL (TUKIVERKKO_PUBLIC_URL)")?;
        let url = format!("{}{CALLBACK_PATH}", base.trim_end_matches('/'));
        RedirectUrl::new(url.clone()).map_err(|e| format!("public URL '{base}': {e}"))?;
        Ok(url)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached or answered nonsense.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The answer did not prove who signed in: a stale or foreign flow, a
    /// refused consent, a token that does not verify.
    #[error("sign-in rejected: {0}")]
    Rejected(String),
}

pub struct Oidc {
    pub config: OidcConfig,
    redirect: RedirectUrl,
    http: reqwest::Client,
    metadata: tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl Oidc {
    pub fn new(config: OidcConfig, public_url: Option<&str>) -> Result<Self, String> {
        let redirect = RedirectUrl::new(config.redirect_url(public_url)?).map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            // Following redirects would let a provider answer point the server elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { config, redirect, http, metadata: Default::default() })
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = self.metadata.lock().await;
        if let Some((fetched, metadata)) = cached.as_ref()
            && fetched.elapsed() < METADATA_TTL
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| OidcError::Unavailable(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Unavailable(error_chain(&e)))?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client(&self, metadata: CoreProviderMetadata) -> ClientWithRedirect {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Starts a sign-in: the provider URL to send the browser to and the
    /// `state` for the flow cookie.
    pub async fn start(&self, db: &Db, next: String) -> Result<(String, String), OidcError> {
        let client = self.client(self.metadata().await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .add_extra_param("response_mode", "query")
            .url();
        let flow = Flow { nonce: nonce.secret().clone(), verifier: verifier.secret().clone(), next };
        oidc_flows::put(db, state.secret(), &flow, FLOW_TTL.as_secs() as i64)
            .await
            .map_err(|e| OidcError::Unavailable(format!("the sign-in could not be kept: {e}")))?;
        Ok((url.to_string(), state.secret().clone()))
    }

    /// Finishes a sign-in: who the provider says signed in, and where the
    /// user was going. Each `state` works once.
    pub async fn finish(&self, db: &Db, state: &str, code: &str) -> Result<(ExternalIdentity, String), OidcError> {
        let pending = oidc_flows::take(db, state, FLOW_TTL.as_secs() as i64)
            .await
            .map_err(|e| OidcError::Unavailable(format!("the sign-in could not be read: {e}")))?
            .ok_or_else(|| OidcError::Rejected("unknown or expired sign-in".into()))?;
        let client = self.client(self.metadata().await?);
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Unavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Rejected(error_chain(&e)))?;
        let id_token = token.id_token().ok_or_else(|| OidcError::Rejected("no ID token in the answer".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(pending.nonce))
            .map_err(|e| OidcError::Rejected(error_chain(&e)))?;
        let verified_email = match (claims.email(), claims.email_verified()) {
            (Some(email), Some(true)) => email.as_str().parse::<Email>().ok(),
            _ => None,
        };
        let identity = ExternalIdentity {
            issuer: claims.issuer().as_str().to_string(),
            subject: claims.subject().as_str().to_string(),
            verified_email,
        };
        Ok((identity, pending.next))
    }
}

type ClientWithRedirect = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
