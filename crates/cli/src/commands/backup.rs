use std::path::PathBuf;

use clap::Args as ClapArgs;

use crate::Failure;
use crate::config::Config;

#[derive(ClapArgs)]
pub struct Args {
    /// Where to write the copy; must not exist.
    file: PathBuf,
}

pub async fn run(config: Config, args: Args) -> Result<(), Failure> {
    let (db, _) = super::open_db(&config).await?;
    tukiverkko_store::backup::backup(&db, &args.file, &config.database_url).await?;
    println!("backup written to {}", args.file.display());
    db.close().await;
    Ok(())
}

#[derive(ClapArgs)]
pub struct RestoreArgs {
    /// The backup to restore (`tukiverkko backup` made it).
    file: PathBuf,
}

/// Replaces the configured database with a backup, then brings its schema
/// up to date and verifies its audit chain.
pub async fn restore(config: Config, args: RestoreArgs) -> Result<(), Failure> {
    tukiverkko_store::backup::restore(&config.database_url, &args.file).await?;
    let (db, _) = super::open_db(&config).await?;
    let verification = tukiverkko_store::audit::verify(&db).await?;
    db.close().await;
    match verification {
        tukiverkko_store::audit::Verification::Intact { entries } => {
            println!("restored {}; audit trail intact: {entries} entries", args.file.display());
            if tukiverkko_store::db_path(&config.database_url).is_some() {
                println!("the replaced database is kept beside it as *.before-restore-<time>");
            }
            Ok(())
        }
        tukiverkko_store::audit::Verification::Broken { seq, reason } => Err(Failure {
            message: format!(
                "restored {}, but its audit trail is broken at entry {seq}: {reason}",
                args.file.display()
            ),
            code: 1,
        }),
    }
}
