use clap::Subcommand;
use tukiverkko_store::audit::{self, Verification};

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain: exit 0 when intact, 1 with the first broken entry.
    Verify,
    /// Remove entries older than the retention period (--days, else
    /// TUKIVERKKO_AUDIT_RETENTION_DAYS); the chain stays verifiable.
    Prune {
        #[arg(long)]
        days: Option<i64>,
    },
}

pub async fn run(config: Config, cmd: AuditCommand) -> Result<(), Failure> {
    let (db, _) = super::open_db(&config).await?;
    if let AuditCommand::Prune { days } = cmd {
        let days = days
            .or(config.audit_retention_days)
            .ok_or_else(|| Failure { message: "give --days or set TUKIVERKKO_AUDIT_RETENTION_DAYS".into(), code: 2 })?;
        if days < 1 {
            return Err(Failure { message: "--days must be at least 1".into(), code: 2 });
        }
        let removed = audit::prune(&db, tukiverkko_store::now() - days * 86_400).await?;
        db.close().await;
        println!("removed {removed} audit entries older than {days} days");
        return Ok(());
    }
    let result = audit::verify(&db).await?;
    db.close().await;
    match result {
        Verification::Intact { entries } => {
            println!("audit trail intact: {entries} entries");
            Ok(())
        }
        Verification::Broken { seq, reason } => {
            Err(Failure { message: format!("audit trail broken at entry {seq}: {reason}"), code: 1 })
        }
    }
}
