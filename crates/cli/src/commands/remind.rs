use crate::Failure;
use crate::config::Config;

/// Sends the training reminders now due, once: the server does the same
/// every quarter of an hour, so this is for a run from cron or by hand.
pub async fn run(config: Config) -> Result<(), Failure> {
    let (db, _) = super::open_db(&config).await?;
    let sent = tukiverkko_store::training_followup::send_reminders(&db, config.training_reminder_days).await?;
    println!("{sent} training reminders sent ({} days ahead)", config.training_reminder_days);
    db.close().await;
    Ok(())
}
