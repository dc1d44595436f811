use std::io::Write;

use clap::Args as ClapArgs;
use tokio::net::TcpListener;
use tukiverkko_store::{Backend, demo};

use crate::Failure;
use crate::config::{Config, redact_url};

#[derive(ClapArgs, Default)]
pub struct Args {}

pub async fn run(config: Config, _args: Args) -> Result<(), Failure> {
    if let Err(e) = std::fs::create_dir_all(&config.data_dir) {
        return Err(Failure {
            message: format!("cannot create data folder {}: {e}", config.data_dir.display()),
            code: 1,
        });
    }
    let (db, is_new) = super::open_db(&config).await?;
    // Held until the server stops: `tukiverkko restore` refuses to swap an
    // SQLite file a server has open.
    let _in_use = tukiverkko_store::backup::hold_serve_lock(&config.database_url)?;
    if is_new && db.backend() == Backend::Sqlite && config.demo {
        tracing::info!("new database: seeding demo data");
        demo::seed(&db).await?;
        demo::seed_history(&db).await?;
    }
    let listener = TcpListener::bind(&config.bind)
        .await
        .map_err(|e| Failure { message: format!("cannot listen on {}: {e}", config.bind), code: 1 })?;
    let addr = listener.local_addr()?;
    let shutdown = shutdown_signal();
    // A closed stdout (a supervisor that read the first line and left) must
    // not stop the server, so write errors are ignored.
    let mut out = std::io::stdout().lock();
    // DESIGN §5 fixes this line's form; with TLS it names the scheme it serves.
    let scheme = if config.tls.is_some() { "https" } else { "http" };
    let _ = writeln!(out, "listening on {scheme}://{addr}");
    let has_demo = tukiverkko_store::accounts::find_by_email(&db, &demo::DEMO_USERS[0].0.parse()?).await.is_ok();
    if has_demo {
        let _ = writeln!(out, "demo logins (password {}):", demo::DEMO_PASSWORD);
        for (email, _, roles, _) in demo::DEMO_USERS {
            let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            let _ = writeln!(out, "  {email:<28} {}", roles.join(", "));
        }
    }
    let _ = out.flush();
    drop(out);
    tracing::info!(database = %redact_url(&config.database_url), %addr, "serving");
    let mut server = config.server();
    if let Some(url) = &config.database_replica_url {
        server.replica = Some(tukiverkko_store::Db::connect_replica(url)?);
        tracing::info!(replica = %redact_url(url), "statistics and index rebuilds read from the standby");
    }
    tukiverkko_web::launch(listener, db.clone(), server, shutdown).await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM; the server then finishes in-flight
/// requests. The handlers are installed here, before the address is
/// printed, so a supervisor that stops the server as soon as it is ready
/// still gets a graceful stop.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let terminate = async {
            match terminate {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
