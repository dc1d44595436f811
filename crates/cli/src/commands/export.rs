use std::path::PathBuf;

use clap::Subcommand;
use tukiverkko_store::{experts, experts_csv};

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Write every expert profile as CSV in the import format.
    Experts { file: PathBuf },
}

pub async fn run(config: Config, cmd: ExportCommand) -> Result<(), Failure> {
    let ExportCommand::Experts { file } = cmd;
    let (db, _) = super::open_db(&config).await?;
    let profiles = experts::list_all(&db).await?;
    db.close().await;
    // Written next to the target and renamed, so a failed export leaves no half file.
    let tmp = file.with_extension("csv.partial");
    let out = std::fs::File::create(&tmp)
        .map_err(|e| Failure { message: format!("cannot write {}: {e}", file.display()), code: 1 })?;
    experts_csv::write(std::io::BufWriter::new(out), &profiles)?;
    std::fs::rename(&tmp, &file)?;
    println!("exported {} profiles to {}", profiles.len(), file.display());
    Ok(())
}
