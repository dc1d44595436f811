use clap::Subcommand;
use tukiverkko_store::audit::{self, Verification};

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain: exit 0 when intact, 1 with the first broken entry.
    Verify,
}

pub async fn run(config: Config, cmd: AuditCommand) -> Result<(), Failure> {
    let (db, _) = super::open_db(&config).await?;
    let AuditCommand::Verify = cmd;
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
