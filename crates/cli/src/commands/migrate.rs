use crate::Failure;
use crate::config::Config;

pub async fn run(config: Config) -> Result<(), Failure> {
    let (db, _) = super::open_db(&config).await?;
    let (centres, counties, taxonomy) = tukiverkko_store::reference::counts(&db).await?;
    println!("database is up to date: {centres} centres, {counties} counties, {taxonomy} taxonomy codes");
    db.close().await;
    Ok(())
}
