//! Layered configuration: command-line flags, then `TUKIVERKKO_*`
//! environment variables, then an optional TOML file whose keys are the
//! variable names without the prefix, in lower case.

use std::path::PathBuf;

use clap::Args;
use serde::Deserialize;

#[derive(Args, Debug, Default)]
pub struct ConfigArgs {
    /// TOML configuration file.
    #[arg(long, global = true, env = "TUKIVERKKO_CONFIG")]
    pub config: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long, global = true)]
    pub bind: Option<String>,
    /// Folder for the search index and files.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address users reach the service at; https turns on Secure cookies and HSTS.
    #[arg(long, global = true)]
    pub public_url: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    database_replica_url: Option<String>,
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    public_url: Option<String>,
    demo: Option<bool>,
    log: Option<String>,
    log_format: Option<String>,
    session_idle_minutes: Option<i64>,
    session_max_hours: Option<i64>,
    body_limit_bytes: Option<usize>,
    login_attempts_per_minute: Option<u32>,
    request_timeout_seconds: Option<u64>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    audit_retention_days: Option<i64>,
    oidc_issuer: Option<String>,
    oidc_client_id: Option<String>,
    oidc_client_secret: Option<String>,
    oidc_name: Option<String>,
    statistics_threshold: Option<u32>,
    training_reminder_days: Option<u32>,
    retention_years: Option<u32>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    trusted_proxies: Option<String>,
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// A read-only PostgreSQL standby for statistics and index rebuilds.
    pub database_replica_url: Option<String>,
    pub bind: String,
    pub data_dir: PathBuf,
    pub public_url: Option<String>,
    pub demo: bool,
    pub log: String,
    pub log_json: bool,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    pub body_limit_bytes: usize,
    pub login_attempts_per_minute: u32,
    pub request_timeout_seconds: u64,
    pub smtp: Option<tukiverkko_web::SmtpConfig>,
    /// How long audit entries are kept when `audit prune` runs; unset keeps all.
    pub audit_retention_days: Option<i64>,
    /// Sign-in through an OpenID Connect provider; its secret never reaches logs.
    pub oidc: Option<tukiverkko_web::OidcConfig>,
    /// The smallest group statistics show (default 5); smaller ones are "<N".
    pub statistics_threshold: u32,
    /// Days before a training session its participants are reminded (default 2; 0 = none).
    pub training_reminder_days: u32,
    /// Years a finished consultation's content is kept before `retention
    /// run` removes it (default 5, 1–50).
    pub retention_years: u32,
    /// HTTPS from these PEM files (certificate chain, private key).
    pub tls: Option<tukiverkko_web::TlsConfig>,
    /// Reverse proxies allowed to name the client in `X-Forwarded-For`.
    pub trusted_proxies: tukiverkko_web::TrustedProxies,
}

/// The URL with any password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("database_replica_url", &self.database_replica_url.as_deref().map(redact_url))
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .field("demo", &self.demo)
            .field("oidc", &self.oidc)
            .field("tls", &self.tls.is_some())
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(format!("TUKIVERKKO_{name}")).ok().filter(|v| !v.is_empty())
}

fn parse_env<T: std::str::FromStr>(name: &str) -> Result<Option<T>, String> {
    env(name).map(|v| v.parse().map_err(|_| format!("TUKIVERKKO_{name} has an invalid value '{v}'"))).transpose()
}

impl Config {
    pub fn load(args: &ConfigArgs) -> Result<Config, String> {
        let file: FileConfig = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?
            }
            None => FileConfig::default(),
        };
        let config = Config {
            database_url: args
                .database_url
                .clone()
                .or_else(|| env("DATABASE_URL"))
                .or(file.database_url)
                .unwrap_or_else(|| "sqlite://tukiverkko.db".into()),
            database_replica_url: env("DATABASE_REPLICA_URL").or(file.database_replica_url),
            bind: args.bind.clone().or_else(|| env("BIND")).or(file.bind).unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir: args
                .data_dir
                .clone()
                .or_else(|| env("DATA_DIR").map(PathBuf::from))
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("data")),
            public_url: args.public_url.clone().or_else(|| env("PUBLIC_URL")).or(file.public_url),
            demo: parse_env("DEMO")?.or(file.demo).unwrap_or(true),
            log: env("LOG").or(file.log).unwrap_or_else(|| "info".into()),
            log_json: env("LOG_FORMAT").or(file.log_format).is_some_and(|f| f == "json"),
            session_idle_minutes: parse_env("SESSION_IDLE_MINUTES")?.or(file.session_idle_minutes).unwrap_or(30),
            session_max_hours: parse_env("SESSION_MAX_HOURS")?.or(file.session_max_hours).unwrap_or(12),
            body_limit_bytes: parse_env("BODY_LIMIT_BYTES")?.or(file.body_limit_bytes).unwrap_or(1024 * 1024),
            login_attempts_per_minute: parse_env("LOGIN_ATTEMPTS_PER_MINUTE")?
                .or(file.login_attempts_per_minute)
                .unwrap_or(10),
            request_timeout_seconds: parse_env("REQUEST_TIMEOUT_SECONDS")?
                .or(file.request_timeout_seconds)
                .unwrap_or(30),
            audit_retention_days: parse_env("AUDIT_RETENTION_DAYS")?.or(file.audit_retention_days),
            statistics_threshold: parse_env("STATISTICS_THRESHOLD")?
                .or(file.statistics_threshold)
                .unwrap_or(tukiverkko_domain::disclosure::DEFAULT_THRESHOLD),
            training_reminder_days: parse_env("TRAINING_REMINDER_DAYS")?.or(file.training_reminder_days).unwrap_or(2),
            retention_years: parse_env("RETENTION_YEARS")?.or(file.retention_years).unwrap_or(5),
            tls: match (
                env("TLS_CERT").map(PathBuf::from).or(file.tls_cert),
                env("TLS_KEY").map(PathBuf::from).or(file.tls_key),
            ) {
                (Some(cert), Some(key)) => Some(tukiverkko_web::TlsConfig::from_pem_files(&cert, &key)?),
                (None, None) => None,
                _ => return Err("TUKIVERKKO_TLS_CERT and TUKIVERKKO_TLS_KEY go together: set both or neither".into()),
            },
            trusted_proxies: env("TRUSTED_PROXIES")
                .or(file.trusted_proxies)
                .unwrap_or_default()
                .parse()
                .map_err(|e| format!("TUKIVERKKO_TRUSTED_PROXIES: {e}"))?,
            oidc: match env("OIDC_ISSUER").or(file.oidc_issuer) {
                Some(issuer) => Some(tukiverkko_web::OidcConfig {
                    issuer,
                    client_id: env("OIDC_CLIENT_ID")
                        .or(file.oidc_client_id)
                        .ok_or("TUKIVERKKO_OIDC_ISSUER is set, so TUKIVERKKO_OIDC_CLIENT_ID is needed too")?,
                    client_secret: env("OIDC_CLIENT_SECRET").or(file.oidc_client_secret),
                    display_name: env("OIDC_NAME").or(file.oidc_name).unwrap_or_else(|| "OpenID Connect".into()),
                }),
                None => None,
            },
            smtp: match env("SMTP_URL").or(file.smtp_url) {
                Some(url) => {
                    let from =
                        env("MAIL_FROM").or(file.mail_from).unwrap_or_else(|| "tukiverkko <noreply@localhost>".into());
                    Some(tukiverkko_web::SmtpConfig::parse(&url, &from)?)
                }
                None => None,
            },
        };
        if config.statistics_threshold < 2 {
            return Err("TUKIVERKKO_STATISTICS_THRESHOLD must be at least 2".into());
        }
        if config.training_reminder_days > 60 {
            return Err("TUKIVERKKO_TRAINING_REMINDER_DAYS must be 60 or less (0 turns reminders off)".into());
        }
        if !(1..=50).contains(&config.retention_years) {
            return Err("TUKIVERKKO_RETENTION_YEARS must be 1–50".into());
        }
        let postgres = |url: &str| url.starts_with("postgres://") || url.starts_with("postgresql://");
        if config.database_replica_url.is_some() && !postgres(&config.database_url) {
            return Err(
                "TUKIVERKKO_DATABASE_REPLICA_URL needs a PostgreSQL primary (TUKIVERKKO_DATABASE_URL postgres://…)"
                    .into(),
            );
        }
        if let Some(replica) = &config.database_replica_url
            && !postgres(replica)
        {
            return Err(format!(
                "TUKIVERKKO_DATABASE_REPLICA_URL '{}' must be a postgres:// standby of the primary",
                redact_url(replica)
            ));
        }
        if let Some(oidc) = &config.oidc {
            oidc.redirect_url(config.public_url.as_deref())?;
        }
        if let Some(url) = &config.public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(format!("public URL '{url}' must start with https:// or http://"));
        }
        Ok(config)
    }

    pub fn server(&self) -> tukiverkko_web::ServerConfig {
        tukiverkko_web::ServerConfig {
            public_url: self.public_url.clone(),
            body_limit: self.body_limit_bytes,
            session: tukiverkko_store::sessions::SessionLimits {
                absolute: self.session_max_hours * 3600,
                idle: self.session_idle_minutes * 60,
            },
            login_attempts_per_minute: self.login_attempts_per_minute,
            request_timeout: std::time::Duration::from_secs(self.request_timeout_seconds),
            smtp: self.smtp.clone(),
            oidc: self.oidc.clone(),
            statistics_threshold: self.statistics_threshold,
            training_reminder_days: self.training_reminder_days,
            tls: self.tls.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
            ..tukiverkko_web::ServerConfig::default()
        }
    }
}

/// Logs go to stderr, so stdout carries only command output (the
/// `listening on` line, a token).
pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour codes only on a terminal: a log file or pipe gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    if config.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_leave_in_urls() {
        assert_eq!(redact_url("postgres://tv:s3cret@db:5432/tv"), "postgres://tv:***@db:5432/tv");
        assert_eq!(redact_url("postgres://tv@db/tv"), "postgres://tv@db/tv");
        assert_eq!(redact_url("sqlite://tukiverkko.db"), "sqlite://tukiverkko.db");
    }
}
