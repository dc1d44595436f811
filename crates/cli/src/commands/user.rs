use std::io::Read;

use clap::Subcommand;
use tukiverkko_domain::{CentreCode, Email, Role};
use tukiverkko_store::accounts::{self, NewUser};

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user. Experts and experience experts also get a directory profile.
    Add {
        #[arg(long)]
        email: Email,
        #[arg(long)]
        name: String,
        /// requester, expert, coordinator, researcher, experience_expert or admin; repeatable.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// helsinki, turku, tampere, kuopio or oulu; required for coordinator and expert roles.
        #[arg(long)]
        centre: Option<CentreCode>,
        #[arg(long)]
        organization: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
}

pub async fn run(config: Config, cmd: UserCommand) -> Result<(), Failure> {
    match cmd {
        UserCommand::Add { email, name, roles, centre, organization, password_stdin } => {
            let password = if password_stdin {
                let mut input = String::new();
                std::io::stdin().read_to_string(&mut input)?;
                Some(input.lines().next().unwrap_or("").to_string())
            } else {
                None
            };
            let user = NewUser { email, name, roles, centre, organization_id: organization, password };
            user.validate().map_err(|e| Failure { message: e.to_string(), code: 2 })?;
            let (db, _) = super::open_db(&config).await?;
            let account = accounts::create(&db, &user, &tukiverkko_store::audit::AuditActor::system()).await?;
            println!("created user {} ({})", account.email, account.id);
            db.close().await;
            Ok(())
        }
    }
}
