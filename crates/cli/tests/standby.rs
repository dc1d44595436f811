//! A PostgreSQL primary with a streaming-replication standby, made for the
//! test from Debian's PostgreSQL binaries: nodes read statistics and
//! rebuild their index from the standby, and when the primary dies the
//! standby is promoted, the nodes are pointed at it, and every write they
//! acknowledged is there. PostgreSQL only: SQLite has no standby.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::Value;
use tokio::sync::watch;

use crate::cli::{run, serve, text, tukiverkko};
use crate::crash::{Acknowledged, check_url, client};

const BIN: &str = "/usr/lib/postgresql/15/bin";

/// One PostgreSQL cluster of the test's own, in a temporary folder.
struct Cluster {
    dir: PathBuf,
    port: u16,
}

/// PostgreSQL's tools refuse to run as root, and the folder must be the
/// server user's.
fn as_postgres(tool: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = if unsafe_is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", &format!("{BIN}/{tool}")]);
        c
    } else {
        Command::new(format!("{BIN}/{tool}"))
    };
    let out = cmd.args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}{}", text(&out.stdout), text(&out.stderr));
    out
}

fn unsafe_is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| text(&o.stdout).trim() == "0").unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn own_folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tv-{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    if unsafe_is_root() {
        let ok = Command::new("chown").args(["postgres:postgres", dir.to_str().unwrap()]).status().unwrap();
        assert!(ok.success());
    }
    dir
}

fn append(path: &Path, lines: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(lines.as_bytes()).unwrap();
}

impl Cluster {
    /// A primary, ready to stream to a standby.
    fn primary() -> Cluster {
        let dir = own_folder("primary");
        let data = dir.join("data");
        as_postgres("initdb", &["-D", data.to_str().unwrap(), "-A", "trust", "-U", "postgres", "--no-sync"]);
        let port = free_port();
        append(
            &data.join("postgresql.conf"),
            &format!(
                "port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
                 wal_level = replica\nmax_wal_senders = 4\n",
                dir.display()
            ),
        );
        let cluster = Cluster { dir, port };
        cluster.start();
        cluster
    }

    /// A standby streaming from `primary`, made from a base backup.
    fn standby_of(primary: &Cluster) -> Cluster {
        let dir = own_folder("standby");
        let data = dir.join("data");
        let port = primary.port.to_string();
        as_postgres(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-D",
                data.to_str().unwrap(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ],
        );
        let port = free_port();
        append(
            &data.join("postgresql.auto.conf"),
            &format!("port = {port}\nunix_socket_directories = '{}'\n", dir.display()),
        );
        let cluster = Cluster { dir, port };
        cluster.start();
        cluster
    }

    /// From now on the primary waits for the standby to have every commit
    /// on disk before it acknowledges it (synchronous replication): the
    /// setting that makes "nothing acknowledged is lost" hold across a
    /// failover. Set once a standby is there, or every commit would wait.
    fn replicate_synchronously(&self) {
        let port = self.port.to_string();
        for sql in ["ALTER SYSTEM SET synchronous_standby_names = '*'", "SELECT pg_reload_conf()"] {
            as_postgres("psql", &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-d", "postgres", "-c", sql]);
        }
        // The configuration reaches the WAL sender shortly after the reload;
        // each look is one psql run.
        let query = "SELECT sync_state FROM pg_stat_replication";
        let synchronous = (0..500).any(|_| {
            let out = as_postgres(
                "psql",
                &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-d", "postgres", "-Atc", query],
            );
            text(&out.stdout).trim() == "sync"
        });
        assert!(synchronous, "the standby became synchronous");
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    /// `-w` waits until the server accepts connections: no sleeping.
    fn start(&self) {
        let log = self.dir.join("log").display().to_string();
        as_postgres("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "start"]);
    }

    /// The server dies as in a power cut: no shutdown checkpoint.
    fn crash(&self) {
        as_postgres("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
    }

    fn promote(&self) {
        as_postgres("pg_ctl", &["-D", &self.data(), "-w", "promote"]);
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--", &format!("{BIN}/pg_ctl"), "-D", &self.data(), "-m", "immediate", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start_node(url: &str, replica: Option<&str>) -> crate::nodes::Node {
    let mut cmd = tukiverkko(url);
    cmd.env("TUKIVERKKO_DEMO", "false");
    if let Some(replica) = replica {
        cmd.env("TUKIVERKKO_DATABASE_REPLICA_URL", replica);
    }
    let (child, base, out) = serve(cmd);
    crate::nodes::Node::new(child, base, out)
}

async fn health(node: &crate::nodes::Node) -> Value {
    reqwest::get(node.url("/health")).await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_standby_takes_over_with_nothing_acknowledged_lost() {
    if !Path::new(BIN).join("initdb").exists() {
        panic!("{BIN}/initdb is missing: the PostgreSQL 15 server binaries are needed for the standby test");
    }
    let primary = Cluster::primary();
    as_postgres("createdb", &["-h", "127.0.0.1", "-p", &primary.port.to_string(), "-U", "postgres", "tv"]);
    let standby = Cluster::standby_of(&primary);
    primary.replicate_synchronously();
    let (primary_url, standby_url) = (primary.url("tv"), standby.url("tv"));
    let seeded = run(tukiverkko(&primary_url).args(["seed", "--demo"]), "");
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));

    let nodes = [start_node(&primary_url, Some(&standby_url)), start_node(&primary_url, Some(&standby_url))];
    for node in &nodes {
        let h = health(node).await;
        assert_eq!(h["checks"]["replica"]["status"], "ok", "{h}");
        assert!(h["checks"]["replica"]["detail"].as_str().unwrap().contains("standby replaying"), "{h}");
    }
    let token = crate::nodes::token_at(&primary_url, "pyytaja@example.fi").await;
    let researcher = crate::nodes::token_at(&primary_url, "tutkija@example.fi").await;
    // Statistics come from the standby, and the finder was built from it.
    for node in &nodes {
        let stats = reqwest::Client::new()
            .get(node.url("/api/v1/statistics/consultations?by=centre"))
            .bearer_auth(&researcher)
            .send();
        let stats = stats.await.unwrap();
        assert_eq!(stats.status(), StatusCode::OK, "{}", stats.text().await.unwrap());
        let found = node.get_json("/api/v1/experts?q=perhe", &token).await;
        assert!(!found["items"].as_array().unwrap().is_empty(), "{found}");
    }

    // A burst on both nodes; the primary dies in the middle of it.
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    let (progress, mut watched) = watch::channel(0usize);
    let clients: Vec<_> = (0..4)
        .map(|i| tokio::spawn(client(nodes[i % 2].base.clone(), token.clone(), seen.clone(), progress.clone())))
        .collect();
    drop(progress);
    let at = 10 + (uuid::Uuid::new_v4().as_u128() % 30) as usize;
    let _ = watched.wait_for(|n| *n >= at).await;
    primary.crash();
    for c in clients {
        c.await.unwrap();
    }
    // The old nodes lost their database; they go (dropped: killed).
    drop(nodes);

    // Failover: the standby becomes the primary and the nodes follow it.
    standby.promote();
    let snapshot = {
        let s = seen.lock().unwrap();
        Acknowledged { created: s.created.clone(), submitted: s.submitted.clone() }
    };
    assert!(snapshot.created.len() >= at / 2, "the burst ran");
    check_url(&standby_url, Some("pyytaja@example.fi"), &snapshot).await;
    let node = start_node(&standby_url, None);
    let http = reqwest::Client::new();
    let created =
        http.post(node.url("/api/v1/consultations")).bearer_auth(&token).json(&crate::consultations::request_body());
    assert_eq!(created.send().await.unwrap().status(), StatusCode::CREATED, "the promoted standby takes writes");
    let h = health(&node).await;
    assert_eq!(h["checks"]["database"]["status"], "ok", "{h}");
}
