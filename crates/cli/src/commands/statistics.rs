use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum StatisticsCommand {
    /// Count every sent case again into the statistics counters (the
    /// server keeps them current on every write; this is a repair and a check).
    Rebuild,
}

pub async fn run(config: Config, cmd: StatisticsCommand) -> Result<(), Failure> {
    let (db, _) = super::open_db(&config).await?;
    match cmd {
        StatisticsCommand::Rebuild => {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} cases counted")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            let counted = tukiverkko_store::statistics::rebuild(&db, |n| bar.set_position(n)).await?;
            bar.finish_and_clear();
            println!("statistics rebuilt from {counted} sent consultations");
        }
    }
    db.close().await;
    Ok(())
}
