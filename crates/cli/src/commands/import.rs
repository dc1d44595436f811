use std::path::PathBuf;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use tukiverkko_store::{experts, experts_csv};

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import expert profiles from CSV: all or nothing, upsert by external_id.
    Experts { file: PathBuf },
}

fn bar(len: u64, unit: &str) -> ProgressBar {
    // Drawn on stderr only when it is a terminal.
    let bar = ProgressBar::new(len);
    let template = format!("{{msg}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{eta}})");
    bar.set_style(ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
    bar
}

pub async fn run(config: Config, cmd: ImportCommand) -> Result<(), Failure> {
    let ImportCommand::Experts { file } = cmd;
    let handle = std::fs::File::open(&file)
        .map_err(|e| Failure { message: format!("cannot read {}: {e}", file.display()), code: 1 })?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let reading = bar(size, "bytes");
    reading.set_message("checking");
    let parsed = experts_csv::parse(std::io::BufReader::new(handle), |pos| reading.set_position(pos));
    reading.finish_and_clear();
    let profiles = match parsed {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            return Err(Failure {
                message: format!("{} problem(s) in {}; nothing was imported", errors.len(), file.display()),
                code: 1,
            });
        }
    };
    let (db, _) = super::open_db(&config).await?;
    let saving = bar(profiles.len() as u64, "profiles");
    saving.set_message("importing");
    let summary = experts::import(&db, &profiles, &tukiverkko_store::audit::AuditActor::system(), |n| {
        saving.set_position(n as u64)
    })
    .await?;
    saving.finish_and_clear();
    println!(
        "imported {}: {} created, {} updated, {} unchanged",
        file.display(),
        summary.created,
        summary.updated,
        summary.unchanged
    );
    db.close().await;
    Ok(())
}
