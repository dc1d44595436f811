use clap::Subcommand;
use tukiverkko_domain::Email;
use tukiverkko_store::{StoreError, accounts, tokens};

use crate::Failure;
use crate::config::Config;

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue an API bearer token; prints the token alone on stdout.
    Issue {
        #[arg(long)]
        email: Email,
        /// Days until the token expires.
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// Revoke a token read from standard input.
    Revoke,
}

pub async fn run(config: Config, cmd: TokenCommand) -> Result<(), Failure> {
    let (db, _) = super::open_db(&config).await?;
    match cmd {
        TokenCommand::Issue { email, days } => {
            let account = accounts::find_by_email(&db, &email).await.map_err(|e| match e {
                StoreError::NotFound => Failure { message: format!("no user with e-mail {email}"), code: 1 },
                other => other.into(),
            })?;
            let token = tokens::issue(&db, &account.id, days).await?;
            println!("{token}");
        }
        TokenCommand::Revoke => {
            let mut token = String::new();
            std::io::stdin().read_line(&mut token)?;
            tokens::revoke(&db, token.trim()).await.map_err(|e| match e {
                StoreError::NotFound => Failure { message: "no such live token".into(), code: 1 },
                other => other.into(),
            })?;
            eprintln!("token revoked");
        }
    }
    db.close().await;
    Ok(())
}
