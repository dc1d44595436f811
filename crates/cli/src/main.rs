//! The `tukiverkko` command. Errors go to stderr as one line; exit code 1
//! means bad input or a failed operation, 2 bad usage.

mod commands;
mod config;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigArgs};

#[derive(Parser)]
#[command(name = "tukiverkko", version, about = "Expert network and consultation service of the OT-keskus centres")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default command).
    Serve(commands::serve::Args),
    /// Create or update the database schema and reference data.
    Migrate,
    /// Load data into the database.
    Seed(commands::seed::Args),
    /// Manage user accounts.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Manage API bearer tokens.
    #[command(subcommand)]
    Token(commands::token::TokenCommand),
    /// Import data from a file.
    #[command(subcommand)]
    Import(commands::import::ImportCommand),
    /// Export data to a file.
    #[command(subcommand)]
    Export(commands::export::ExportCommand),
    /// Write a consistent copy of the database to FILE.
    Backup(commands::backup::Args),
    /// Replace the database with a backup (refused while a server uses it).
    Restore(commands::backup::RestoreArgs),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Send the training reminders now due (the server also does this every 15 minutes).
    Remind,
    /// Apply the retention rules to finished consultations.
    #[command(subcommand)]
    Retention(commands::retention::RetentionCommand),
    /// Maintain the pre-aggregated statistics.
    #[command(subcommand)]
    Statistics(commands::statistics::StatisticsCommand),
}

/// A failure to report: the message is one line for stderr.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(err: E) -> Self {
        Failure { message: err.to_string(), code: 1 }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(&cli.config) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    config::init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve(commands::serve::Args::default())) {
            Command::Serve(args) => commands::serve::run(config, args).await,
            Command::Migrate => commands::migrate::run(config).await,
            Command::Seed(args) => commands::seed::run(config, args).await,
            Command::User(cmd) => commands::user::run(config, cmd).await,
            Command::Token(cmd) => commands::token::run(config, cmd).await,
            Command::Import(cmd) => commands::import::run(config, cmd).await,
            Command::Export(cmd) => commands::export::run(config, cmd).await,
            Command::Backup(args) => commands::backup::run(config, args).await,
            Command::Restore(args) => commands::backup::restore(config, args).await,
            Command::Audit(cmd) => commands::audit::run(config, cmd).await,
            Command::Remind => commands::remind::run(config).await,
            Command::Retention(cmd) => commands::retention::run(config, cmd).await,
            Command::Statistics(cmd) => commands::statistics::run(config, cmd).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
