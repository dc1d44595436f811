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
    tukiverkko_store::backup::backup(&db, &args.file).await?;
    println!("backup written to {}", args.file.display());
    db.close().await;
    Ok(())
}
