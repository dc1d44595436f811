//! The database, accounts and server process a load test runs against, and
//! the report it prints.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use goose::metrics::GooseMetrics;
use tukiverkko_domain::{CentreCode, Role};
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::audit::AuditActor;
use tukiverkko_store::{Db, demo, reference, tokens};

pub struct Target {
    pub backend: &'static str,
    pub url: String,
    pub dir: PathBuf,
    pub requesters: Vec<String>,
    pub coordinators: Vec<String>,
    /// `(admin URL, database)` of a PostgreSQL database made for the run.
    pg: Option<(String, String)>,
}

/// A fresh database with the demo directory, and one account with a token
/// per simulated user: four requesters to each coordinator of the Tampere
/// centre (where the requests go).
pub async fn prepare(users: usize) -> anyhow::Result<Target> {
    let dir = std::env::temp_dir().join(format!("tv-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (backend, url, pg) = match std::env::var("LOAD_DATABASE_URL") {
        Ok(admin) => {
            let name = format!("tv_load_{}", std::process::id());
            let (db, _) = Db::connect(&admin).await?;
            if let Db::Postgres(pool) = &db {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(pool).await?;
            }
            db.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin).to_string();
            ("PostgreSQL", format!("{base}/{name}"), Some((admin, name)))
        }
        Err(_) => ("SQLite", format!("sqlite://{}", dir.join("load.db").display()), None),
    };
    let (db, _) = Db::connect(&url).await?;
    db.migrate().await?;
    reference::seed(&db).await?;
    demo::seed(&db).await?;
    let mut requesters = Vec::new();
    let mut coordinators = Vec::new();
    for i in 0..users.max(2) {
        let coordinator = i % 5 == 4;
        let user = NewUser {
            email: format!("load{i}@example.fi").parse()?,
            name: format!("Kuormitus {i}"),
            roles: vec![if coordinator { Role::Coordinator } else { Role::Requester }],
            centre: coordinator.then_some(CentreCode::Tampere),
            organization_id: None,
            password: None,
        };
        let account = accounts::create(&db, &user, &AuditActor::system()).await?;
        let token = tokens::issue(&db, &account.id, 1).await?;
        if coordinator { coordinators.push(token) } else { requesters.push(token) }
    }
    db.close().await;
    Ok(Target { backend, url, dir, requesters, coordinators, pg })
}

impl Target {
    pub async fn cleanup(self) {
        if let Some((admin, name)) = &self.pg
            && let Ok((db, _)) = Db::connect(admin).await
        {
            if let Db::Postgres(pool) = &db {
                let _ =
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(pool).await;
            }
            db.close().await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The release server binary in a process of its own, so its CPU time and
/// memory are its alone; stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(target: &Target) -> anyhow::Result<Server> {
        let exe = std::env::current_exe()?.with_file_name("tukiverkko");
        anyhow::ensure!(exe.exists(), "{} is missing: cargo build --release -p tukiverkko first", exe.display());
        let mut child = Command::new(exe)
            .env_clear()
            .env("TUKIVERKKO_DATABASE_URL", &target.url)
            .env("TUKIVERKKO_BIND", "127.0.0.1:0")
            .env("TUKIVERKKO_DATA_DIR", target.dir.join("data"))
            .env("TUKIVERKKO_DEMO", "false")
            .env("TUKIVERKKO_LOG", "warn")
            .arg("serve")
            .stdout(Stdio::piped())
            .spawn()?;
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().expect("piped")).read_line(&mut first)?;
        let base = first.trim().strip_prefix("listening on ").unwrap_or_default().to_string();
        anyhow::ensure!(!base.is_empty(), "the server did not start: {first}");
        Ok(Server { child, base })
    }

    /// User and system CPU time the server has used, in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name (which is in parentheses): utime is 14th, stime 15th overall.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
        (ticks(11) + ticks(12)) / 100.0
    }

    /// Resident memory now and at its peak, in MB.
    pub fn memory_mb(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(f64::NAN, |kb| kb / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

/// The time below which `p` of the requests were answered, in ms.
fn percentile(metric: &goose::metrics::GooseRequestMetricAggregate, p: f64) -> f64 {
    let data = &metric.raw_data;
    let rank = ((data.counter as f64) * p).ceil() as usize;
    let mut seen = 0;
    for (bucket_us, n) in data.times_us.iter() {
        seen += n;
        if seen >= rank.max(1) {
            return *bucket_us as f64 / 1000.0;
        }
    }
    data.maximum_time_us as f64 / 1000.0
}

pub fn report(metrics: &GooseMetrics, wall: f64, cores: f64, rss: f64, peak: f64) {
    println!("| request | count | errors | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut names: Vec<&String> = metrics.requests.keys().collect();
    names.sort();
    let (mut total, mut errors, mut worst_p99) = (0usize, 0usize, 0f64);
    for name in names {
        let m = &metrics.requests[name];
        let count = m.success_count + m.fail_count;
        total += count;
        errors += m.fail_count;
        let p99 = percentile(m, 0.99);
        worst_p99 = worst_p99.max(p99);
        println!(
            "| {name} | {count} | {} | {:.1} | {p99:.1} | {:.1} |",
            m.fail_count,
            percentile(m, 0.5),
            m.raw_data.maximum_time_us as f64 / 1000.0
        );
    }
    println!(
        "requests {total} ({:.0}/s), errors {errors}, slowest p99 {worst_p99:.1} ms (target: 0 errors, p99 ≤ 200 ms) {}",
        total as f64 / wall,
        if errors == 0 && worst_p99 <= 200.0 { "✔" } else { "✘" }
    );
    println!(
        "servers' CPU {cores:.2} cores on average (all nodes); memory per node resident {rss:.0} MB, peak {peak:.0} MB"
    );
}
