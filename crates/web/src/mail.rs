//! E-mail for notifications over SMTP, when configured. A mail names no
//! case content, only a link; it is sent after the change has committed,
//! and a notification is marked mailed only once the relay accepted it.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Mutex;
use tukiverkko_domain::Language;
use tukiverkko_store::{Db, notifications};

use crate::i18n::{t, t_args};

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub from: String,
}

impl SmtpConfig {
    /// `smtp://HOST[:PORT]`: a plain relay such as the host's own mail server.
    pub fn parse(url: &str, from: &str) -> Result<SmtpConfig, String> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| format!("SMTP URL '{url}' must start with smtp://"))?;
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().map_err(|_| format!("bad SMTP port in '{url}'"))?),
            None => (rest.to_string(), 25),
        };
        from.parse::<Mailbox>().map_err(|e| format!("mail sender '{from}': {e}"))?;
        Ok(SmtpConfig { host, port, from: from.to_string() })
    }
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
    /// One delivery round at a time, so a notification is never sent twice.
    busy: Mutex<()>,
    /// Why the relay refused the last delivery, until one succeeds (for the health page).
    last_error: std::sync::Mutex<Option<String>>,
}

impl Mailer {
    pub fn new(config: &SmtpConfig, public_url: Option<&str>) -> Mailer {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host).port(config.port).build();
        Mailer {
            transport,
            from: config.from.parse().expect("checked when the configuration was read"),
            public_url: public_url.unwrap_or("").trim_end_matches('/').to_string(),
            busy: Mutex::new(()),
            last_error: std::sync::Mutex::new(None),
        }
    }

    fn message(&self, to: &str, lang: Language, kind: &str, link: &str) -> Option<Message> {
        let subject = t(lang, "mail-subject");
        let what = t(lang, &format!("notification-{kind}"));
        let body = t_args(lang, "mail-body", &[("what", what), ("link", format!("{}{link}", self.public_url))]);
        Message::builder().from(self.from.clone()).to(to.parse().ok()?).subject(subject).body(body).ok()
    }

    fn set_last_error(&self, error: Option<String>) {
        if let Ok(mut last) = self.last_error.lock() {
            *last = error;
        }
    }

    /// Why the relay refused the last delivery, unless one has succeeded since.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|e| e.clone())
    }

    /// Sends every notification not yet mailed.
    pub async fn deliver(&self, db: &Db) {
        let _one_at_a_time = self.busy.lock().await;
        loop {
            let claimed = match notifications::claim_mail(db).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read notifications to mail");
                    return;
                }
            };
            let (token, claimed) = (claimed.token, claimed.mails);
            if claimed.is_empty() {
                return;
            }
            for (i, n) in claimed.iter().enumerate() {
                match notifications::renew_claim(db, &n.id, &token).await {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot renew a mail claim; the rest waits for the next round");
                        return;
                    }
                }
                let lang = n.language.parse().unwrap_or_default();
                let Some(message) = self.message(&n.email, lang, &n.kind, &n.link) else { continue };
                match self.transport.send(message).await {
                    Ok(_) => {
                        self.set_last_error(None);
                        if let Err(e) = notifications::mark_mailed(db, &n.id).await {
                            tracing::warn!(error = %e, "mail sent but not marked");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "SMTP relay refused a notification; it stays queued");
                        self.set_last_error(Some(e.to_string()));
                        let unsent: Vec<String> = claimed[i..].iter().map(|n| n.id.clone()).collect();
                        if let Err(e) = notifications::release_mail(db, &unsent).await {
                            tracing::warn!(error = %e, "unsent notifications stay taken until their claim runs out");
                        }
                        return;
                    }
                }
            }
        }
    }
}
