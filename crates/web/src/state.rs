use std::sync::Arc;
use std::time::Duration;

use tukiverkko_store::Db;
use tukiverkko_store::sessions::SessionLimits;

use crate::auth::limiter::LoginLimiter;
use crate::ops::Metrics;

/// Settings of the HTTP server; the CLI fills them from flags, environment
/// and the configuration file.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The address users reach the service at; an https URL turns on
    /// Secure cookies and HSTS.
    pub public_url: Option<String>,
    pub body_limit: usize,
    pub request_timeout: Duration,
    pub session: SessionLimits,
    /// Login attempts allowed per account and per client address each minute.
    pub login_attempts_per_minute: u32,
    /// Working days to answer a consultation, by urgency.
    pub service_levels: tukiverkko_domain::consultation::ServiceLevels,
    /// Statistics show no count below this (as "<N") and no mean, median
    /// or share standing on fewer cases.
    pub statistics_threshold: u32,
    /// Days before a training session its participants are reminded; 0 sends no reminders.
    pub training_reminder_days: u32,
    /// Notifications are also e-mailed when a relay is configured.
    pub smtp: Option<crate::mail::SmtpConfig>,
    /// Sign-in through an OpenID Connect provider, besides passwords.
    pub oidc: Option<crate::auth::oidc::OidcConfig>,
    /// HTTPS straight from certificate files; `None` serves plain HTTP
    /// (for a reverse proxy that terminates TLS, or a developer machine).
    pub tls: Option<crate::tls::TlsConfig>,
    /// Reverse proxies whose `X-Forwarded-For` names the real client, for
    /// the audit trail and the sign-in limits.
    pub trusted_proxies: crate::client_addr::TrustedProxies,
    /// A read-only standby (PostgreSQL streaming replication): statistics
    /// and index rebuilds read from it. Writes, and reads that must see the
    /// caller's own write, always go to the primary.
    pub replica: Option<Db>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            session: SessionLimits::default(),
            login_attempts_per_minute: 10,
            service_levels: Default::default(),
            statistics_threshold: tukiverkko_domain::disclosure::DEFAULT_THRESHOLD,
            training_reminder_days: 2,
            smtp: None,
            oidc: None,
            tls: None,
            trusted_proxies: Default::default(),
            replica: None,
        }
    }
}

impl ServerConfig {
    /// Users reach the service over HTTPS, served here or by a proxy.
    pub fn uses_tls(&self) -> bool {
        self.tls.is_some() || self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: ServerConfig,
    pub metrics: Metrics,
    pub login_limiter: LoginLimiter,
    pub directory: crate::experts::directory::Directory,
    pub mailer: Option<Arc<crate::mail::Mailer>>,
    pub oidc: Option<crate::auth::oidc::Oidc>,
}

impl AppState {
    pub fn new(db: Db, config: ServerConfig) -> Self {
        let login_limiter = LoginLimiter::new(config.login_attempts_per_minute);
        let metrics = Metrics::default();
        let mailer =
            config.smtp.as_ref().map(|smtp| Arc::new(crate::mail::Mailer::new(smtp, config.public_url.as_deref())));
        // The CLI checks the settings before this; a bad one here turns the feature off.
        let oidc = config.oidc.clone().and_then(|c| {
            crate::auth::oidc::Oidc::new(c, config.public_url.as_deref())
                .inspect_err(|e| tracing::error!("OpenID Connect sign-in is off: {e}"))
                .ok()
        });
        let directory = crate::experts::directory::Directory::timed(metrics.search_histogram())
            .rebuilt_from(config.replica.clone());
        Self(Arc::new(Inner { db, config, metrics: metrics.clone(), login_limiter, directory, mailer, oidc }))
    }

    /// Where reads that may lag a little go: the standby when there is one.
    pub fn reader(&self) -> &Db {
        self.config.replica.as_ref().unwrap_or(&self.db)
    }

    /// Mails pending notifications in the background, when mail is configured.
    pub fn send_mail(&self) {
        if let Some(mailer) = self.mailer.clone() {
            let db = self.db.clone();
            tokio::spawn(async move { mailer.deliver(&db).await });
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
