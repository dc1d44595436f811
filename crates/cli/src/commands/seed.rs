use clap::Args as ClapArgs;
use tukiverkko_store::demo;

use crate::Failure;
use crate::config::Config;

#[derive(ClapArgs)]
pub struct Args {
    /// Fictional organisations, experts and one login per role.
    #[arg(long)]
    demo: bool,
}

pub async fn run(config: Config, args: Args) -> Result<(), Failure> {
    if !args.demo {
        return Err(Failure { message: "say what to seed: tukiverkko seed --demo".into(), code: 2 });
    }
    let (db, _) = super::open_db(&config).await?;
    if tukiverkko_store::accounts::find_by_email(&db, &demo::DEMO_USERS[0].0.parse()?).await.is_ok() {
        return Err(Failure { message: "demo data is already in this database".into(), code: 1 });
    }
    demo::seed(&db).await?;
    demo::seed_history(&db).await?;
    println!("demo data seeded: {} experts, {} logins", demo::DEMO_EXPERTS, demo::DEMO_USERS.len());
    db.close().await;
    Ok(())
}
