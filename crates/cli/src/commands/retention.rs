use clap::Subcommand;
use indicatif::ProgressBar;
use tukiverkko_store::audit::AuditActor;
use tukiverkko_store::retention;

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// Remove the content of consultations finished more than the retention
    /// period ago (TUKIVERKKO_RETENTION_YEARS, default 5); the audit trail
    /// and the statistics stay.
    Run {
        /// List what would be removed, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Years instead of TUKIVERKKO_RETENTION_YEARS (1–50).
        #[arg(long)]
        years: Option<u32>,
    },
}

fn date(unix: i64) -> String {
    tukiverkko_domain::calendar::to_helsinki(unix).date().to_string()
}

pub async fn run(config: Config, cmd: RetentionCommand) -> Result<(), Failure> {
    let RetentionCommand::Run { dry_run, years } = cmd;
    let years = years.unwrap_or(config.retention_years);
    if !(1..=50).contains(&years) {
        return Err(Failure { message: "--years must be 1–50".into(), code: 2 });
    }
    let (db, _) = super::open_db(&config).await?;
    let before = tukiverkko_store::now() - i64::from(years) * 365 * 86_400 - i64::from(years / 4) * 86_400;
    let due = retention::due(&db, before).await?;
    if dry_run {
        for case in &due {
            println!("{}\t{}\tfinished {}", case.reference, case.status, date(case.finished_at));
        }
        println!(
            "{} consultations finished before {} would have their content removed (dry run: nothing changed)",
            due.len(),
            date(before)
        );
    } else {
        let bar = ProgressBar::new(due.len() as u64);
        let mut removed = 0;
        for case in &due {
            if retention::remove_content(&db, case, &AuditActor::system()).await? {
                removed += 1;
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
        println!("content removed from {removed} consultations finished before {}", date(before));
    }
    db.close().await;
    Ok(())
}
