//! Test support: a fresh database per test on either backend, the real
//! server on port 0, and the `backends!` macro that runs a test on both.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tukiverkko_store::{Db, reference};
use tukiverkko_web::ServerConfig;

pub const PG_URL_VAR: &str = "TUKIVERKKO_TEST_DATABASE_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDatabase {
    pub url: String,
    pub kind: Kind,
    dir: Option<PathBuf>,
    pg: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        uuid::Uuid::new_v4().simple()
    )
}

impl TestDatabase {
    pub async fn new(kind: Kind) -> TestDatabase {
        match kind {
            Kind::Sqlite => {
                let dir = std::env::temp_dir().join(unique("tukiverkko_test"));
                std::fs::create_dir_all(&dir).unwrap();
                let url = format!("sqlite://{}", dir.join("test.db").display());
                TestDatabase { url, kind, dir: Some(dir), pg: None }
            }
            Kind::Postgres => {
                let admin = std::env::var(PG_URL_VAR).expect("the PostgreSQL tests are compiled only with the URL set");
                let name = unique("tv_test");
                let (pool, _) =
                    Db::connect(&admin).await.expect("PostgreSQL from TUKIVERKKO_TEST_DATABASE_URL answers");
                let Db::Postgres(pg) = &pool else { panic!("{PG_URL_VAR} must be a postgres:// URL") };
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(pg).await.unwrap();
                pool.close().await;
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                let url = format!("{base}/{name}");
                TestDatabase { url, kind, dir: None, pg: Some((admin, name)) }
            }
        }
    }

    /// Connects, migrates and seeds the reference data, as the CLI does.
    pub async fn open(&self) -> Db {
        let (db, _) = Db::connect(&self.url).await.unwrap();
        db.migrate().await.unwrap();
        reference::seed(&db).await.unwrap();
        db
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs outside async; a small runtime on its own thread removes the database.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    if let Ok((Db::Postgres(pg), _)) = Db::connect(&admin).await {
                        let _ =
                            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                                .execute(&pg)
                                .await;
                        pg.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// The real server on an ephemeral port with its own database.
pub struct TestServer {
    pub base: String,
    pub db: Db,
    pub database: TestDatabase,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    pub async fn start(kind: Kind) -> TestServer {
        Self::start_with(kind, ServerConfig::default(), true).await
    }

    pub async fn start_with(kind: Kind, config: ServerConfig, demo: bool) -> TestServer {
        Self::start_configured(kind, |_| config, demo).await
    }

    /// Starts with settings that depend on the server's own address.
    pub async fn start_configured(kind: Kind, config: impl FnOnce(&str) -> ServerConfig, demo: bool) -> TestServer {
        let database = TestDatabase::new(kind).await;
        let db = database.open().await;
        if demo {
            tukiverkko_store::demo::seed(&db).await.unwrap();
        }
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = config(&base);
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(tukiverkko_web::launch(listener, db.clone(), config, async {
            let _ = rx.await;
        }));
        TestServer { base, db, database, shutdown: Some(tx), handle: Some(handle) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client that keeps cookies and does not follow redirects, like a
    /// browser whose every step the test looks at.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    /// A browser signed in as a demo user, and its session's CSRF token.
    pub async fn signed_in_browser(&self, email: &str) -> (reqwest::Client, String) {
        let client = self.browser();
        let page = client.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        let form =
            [("email", email), ("password", tukiverkko_store::demo::DEMO_PASSWORD), ("csrf", &csrf_field(&page))];
        let resp = client.post(self.url("/login")).form(&form).send().await.unwrap();
        assert_eq!(resp.status(), reqwest::StatusCode::SEE_OTHER, "{email} signs in");
        let home = client.get(self.url("/")).send().await.unwrap().text().await.unwrap();
        (client, csrf_field(&home))
    }

    /// GET an API path with a bearer token, answered with JSON.
    pub async fn get_json(&self, path: &str, token: &str) -> serde_json::Value {
        let resp = reqwest::Client::new().get(self.url(path)).bearer_auth(token).send().await.unwrap();
        resp.json().await.unwrap()
    }

    /// An API token for a demo user.
    pub async fn token_for(&self, email: &str) -> String {
        let account = tukiverkko_store::accounts::find_by_email(&self.db, &email.parse().unwrap()).await.unwrap();
        tukiverkko_store::tokens::issue(&self.db, &account.id, 1).await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.unwrap().unwrap();
        }
    }
}

/// Runs each named `async fn(Kind)` on SQLite, and on PostgreSQL when the
/// suite was compiled with `TUKIVERKKO_TEST_DATABASE_URL`; otherwise a test
/// named for the skip says so in the output.
#[macro_export]
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Kind::Sqlite).await
                }
            )*
        }
        #[cfg(postgres_tests)]
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Kind::Postgres).await
                }
            )*
        }
        #[cfg(not(postgres_tests))]
        #[test]
        #[allow(non_snake_case)]
        fn postgres_suite_skipped_set_TUKIVERKKO_TEST_DATABASE_URL() {
            eprintln!("PostgreSQL tests skipped: set TUKIVERKKO_TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres");
        }
    };
}

/// The value of the first form's hidden `csrf` field in a page.
pub fn csrf_field(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("form has a csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}
