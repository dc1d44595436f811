//! Scale: 100,000 generated profiles. Import time through the CSV import
//! path, index build, search latency p50/p99 in-process and over HTTP, the
//! same queries on PostgreSQL full-text search (ratio printed), and memory.
//!
//! `cargo bench -p tukiverkko --bench scale` (PROFILES=N to change the size;
//! SCALE_SLOWEST=1 lists the slowest queries, SCALE_ONLY_IN_PROCESS=1 stops
//! after the in-process measurement).

mod corpus;
mod pg;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use corpus::{QUERIES, profiles};
use tukiverkko_search::Index;
use tukiverkko_store::experts::{self, ProfileRow, join};
use tukiverkko_store::{Db, experts_csv, reference};

fn rss_mb() -> f64 {
    memory_mb(std::process::id(), "VmRSS:")
}

/// A memory line of a process's status (VmRSS: resident now, VmHWM: peak).
fn memory_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)].as_secs_f64() * 1000.0;
    (at(0.50), at(0.99))
}

const ROUNDS: usize = 20;

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("PROFILES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let corpus = profiles(n, 7);
    let dir = std::env::temp_dir().join(format!("tv-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // The CSV an operator would import.
    let rows: Vec<ProfileRow> = corpus
        .iter()
        .map(|p| {
            let q = &p.new;
            ProfileRow {
                id: String::new(),
                external_id: q.external_id.clone().unwrap(),
                user_id: None,
                given_name: q.given_name.clone(),
                family_name: q.family_name.clone(),
                title: q.title.clone(),
                organization: q.organization.clone(),
                sector: q.sector.clone(),
                county: q.county.clone(),
                centre: q.centre.clone(),
                languages: join(&q.languages),
                topics: join(&q.topics),
                methods: join(&q.methods),
                remote: q.remote,
                accepts_consultations: q.accepts_consultations,
                capacity: 3,
                bio: q.bio.clone(),
                email: String::new(),
                phone: String::new(),
                version: 1,
                updated_at: 0,
            }
        })
        .collect();
    let csv_path = dir.join("experts.csv");
    experts_csv::write(std::fs::File::create(&csv_path).unwrap(), &rows).unwrap();
    drop(rows);

    let url = format!("sqlite://{}", dir.join("scale.db").display());
    let (db, _) = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    reference::seed(&db).await.unwrap();
    let started = Instant::now();
    let parsed = experts_csv::parse(std::io::BufReader::new(std::fs::File::open(&csv_path).unwrap()), |_| {}).unwrap();
    let summary = experts::import(&db, &parsed, &tukiverkko_store::audit::AuditActor::system(), |_| {}).await.unwrap();
    let import_secs = started.elapsed().as_secs_f64();
    assert_eq!(summary.created, n);
    println!("profiles: {n}");
    println!("import (CSV parse + SQLite upsert): {import_secs:.1} s (target < 60 s)");
    drop(parsed);

    let before_index = rss_mb();
    let started = Instant::now();
    let stored = experts::list_all(&db).await.unwrap();
    let index = Index::build(stored.iter().map(tukiverkko_web::expert_document));
    let build_secs = started.elapsed().as_secs_f64();
    drop(stored);
    let index_mb = rss_mb() - before_index;
    println!("index build: {build_secs:.1} s, index memory ≈ {index_mb:.0} MB");

    let load = HashMap::new();
    let mut local = Vec::new();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            let query = corpus::finder_query(q, 20);
            let t = Instant::now();
            let r = index.search(&query, &load);
            local.push(t.elapsed());
            std::hint::black_box(r);
        }
    }
    let (local_p50, local_p99) = percentiles(local);
    println!("in-process search: p50 {local_p50:.2} ms, p99 {local_p99:.2} ms ({} queries)", ROUNDS * QUERIES.len());
    if std::env::var("SCALE_SLOWEST").is_ok() {
        let mut by_query: Vec<(f64, &str)> = QUERIES
            .iter()
            .map(|q| {
                let t = Instant::now();
                std::hint::black_box(index.search(&corpus::finder_query(q, 20), &load));
                (t.elapsed().as_secs_f64() * 1000.0, q.text)
            })
            .collect();
        by_query.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, text) in by_query.iter().take(8) {
            println!("  {ms:.2} ms  {text}");
        }
    }
    drop(index);
    if std::env::var("SCALE_ONLY_IN_PROCESS").is_ok() {
        return;
    }

    // Over HTTP: the real server binary in a process of its own on the same
    // database, so the memory read from it is the server's alone.
    let user = tukiverkko_store::accounts::NewUser {
        email: "bench@example.fi".parse().unwrap(),
        name: "Bench".into(),
        roles: vec![tukiverkko_domain::Role::Requester],
        centre: None,
        organization_id: None,
        password: None,
    };
    let account =
        tukiverkko_store::accounts::create(&db, &user, &tukiverkko_store::audit::AuditActor::system()).await.unwrap();
    let token = tukiverkko_store::tokens::issue(&db, &account.id, 1).await.unwrap();
    let started = Instant::now();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_tukiverkko"))
        .env_clear()
        .env("TUKIVERKKO_DATABASE_URL", &url)
        .env("TUKIVERKKO_BIND", "127.0.0.1:0")
        .env("TUKIVERKKO_DATA_DIR", dir.join("data"))
        .env("TUKIVERKKO_DEMO", "false")
        .env("TUKIVERKKO_LOG", "warn")
        // The first search waits for the index the server builds at start.
        .env("TUKIVERKKO_REQUEST_TIMEOUT_SECONDS", "600")
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the tukiverkko binary starts");
    let mut first_line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut first_line).unwrap();
    let base = first_line.trim().strip_prefix("listening on ").expect("the server prints its address").to_string();
    let client = reqwest::Client::new();
    let first = client.get(format!("{base}/api/v1/experts?q=huoltoriita")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let first_search_secs = started.elapsed().as_secs_f64();
    let mut http = Vec::new();
    for _ in 0..(ROUNDS / 4).max(1) {
        for q in QUERIES {
            let mut url = reqwest::Url::parse(&format!("{base}/api/v1/experts")).unwrap();
            url.query_pairs_mut().append_pair("q", q.text);
            if let Some(c) = q.county {
                url.query_pairs_mut().append_pair("county", c);
            }
            if let Some(l) = q.language {
                url.query_pairs_mut().append_pair("language", l);
            }
            let t = Instant::now();
            let resp = client.get(url).bearer_auth(&token).send().await.unwrap();
            assert_eq!(resp.status(), 200);
            resp.bytes().await.unwrap();
            http.push(t.elapsed());
        }
    }
    let (http_p50, http_p99) = percentiles(http);
    let (server_rss, server_peak) = (memory_mb(server.id(), "VmRSS:"), memory_mb(server.id(), "VmHWM:"));
    let _ = std::process::Command::new("kill").arg("-TERM").arg(server.id().to_string()).status();
    assert!(server.wait().unwrap().success(), "the server stops cleanly");

    println!("server start to first answer (builds the index): {first_search_secs:.1} s");
    println!("HTTP search: p50 {http_p50:.2} ms, p99 {http_p99:.2} ms");
    println!("server process memory: resident {server_rss:.0} MB, peak {server_peak:.0} MB (target < 400 MB)");

    if let Some(pg) = pg::connect().await {
        let started = Instant::now();
        pg.load(&corpus).await;
        let pg_load = started.elapsed().as_secs_f64();
        let mut samples = Vec::new();
        for _ in 0..(ROUNDS / 4).max(1) {
            for q in QUERIES {
                let t = Instant::now();
                std::hint::black_box(pg.search(q).await);
                samples.push(t.elapsed());
            }
        }
        let (pg_p50, pg_p99) = percentiles(samples);
        println!("PostgreSQL FTS load + GIN index: {pg_load:.1} s");
        println!("PostgreSQL FTS search: p50 {pg_p50:.2} ms, p99 {pg_p99:.2} ms");
        println!(
            "ratio PostgreSQL / tukiverkko in-process: p50 {:.1}×, p99 {:.1}×",
            pg_p50 / local_p50,
            pg_p99 / local_p99
        );
        println!(
            "ratio PostgreSQL / tukiverkko over HTTP: p50 {:.1}×, p99 {:.1}×",
            pg_p50 / http_p50,
            pg_p99 / http_p99
        );
        pg.drop().await;
    } else {
        println!("PostgreSQL baseline skipped: set TUKIVERKKO_BENCH_DATABASE_URL or TUKIVERKKO_TEST_DATABASE_URL");
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
