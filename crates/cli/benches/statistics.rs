//! Statistics at national scale: 1,000,000 generated consultations with
//! their events, statements, feedback and outcome measurements, on SQLite
//! and (when a PostgreSQL URL is set) PostgreSQL. Prints the time to count
//! them into the pre-aggregated counters, then each dashboard's p50 and p95
//! over HTTP from the real server, against a plain SQL `GROUP BY` over the
//! consultations table in the same run.
//!
//! `cargo bench -p tukiverkko --bench statistics` (STATS_CASES=N to change
//! the size; TUKIVERKKO_TEST_DATABASE_URL or TUKIVERKKO_BENCH_DATABASE_URL
//! adds PostgreSQL).

use std::time::{Duration, Instant};

use tukiverkko_domain::Role;
use tukiverkko_domain::outcome::Instrument;
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::audit::AuditActor;
use tukiverkko_store::{Db, on_db, reference, tokens};

const ROUNDS: usize = 20;

/// A tiny deterministic generator, so both backends hold the same cases.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn p50_p95(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |p: f64| ms(samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1]);
    (at(0.50), at(0.95))
}

struct Case {
    id: String,
    centre: String,
    county: String,
    topics: String,
    urgency: &'static str,
    format: &'static str,
    status: &'static str,
    submitted_at: i64,
    due_date: String,
    answered_at: Option<i64>,
    feedback: Option<(i64, bool, &'static str)>,
    outcomes: Vec<(&'static str, String, f64)>,
}

/// Three years of cases, spread over every county and topic.
fn generate(i: usize, rng: &mut Lcg, counties: &[(String, String)], topics: &[String]) -> Case {
    const START: i64 = 1_701_388_800; // 2023-12-01
    let (county, centre) = counties[rng.below(counties.len())].clone();
    let t1 = &topics[rng.below(topics.len())];
    let t2 = &topics[rng.below(topics.len())];
    let topics = if rng.below(3) == 0 && t1 != t2 { format!("{t1};{t2}") } else { t1.clone() };
    let submitted_at = START + rng.below(3 * 365 * 86_400) as i64;
    let due = tukiverkko_domain::calendar::to_helsinki(submitted_at + 14 * 86_400).date();
    let status =
        ["submitted", "assigned", "answered", "closed", "closed", "closed", "cancelled", "declined"][rng.below(8)];
    let answered = matches!(status, "answered" | "closed");
    let answered_at = answered.then(|| submitted_at + (1 + rng.below(25)) as i64 * 86_400);
    let feedback = (status == "closed").then(|| {
        let referral = ["avoided", "still_needed", "not_needed", "initiated"][rng.below(4)];
        (1 + rng.below(5) as i64, referral == "avoided", referral)
    });
    let mut outcomes = Vec::new();
    if rng.below(10) == 0 {
        for instrument in [Instrument::Cgas, Instrument::Honosca] {
            let base = 30.0 + rng.below(40) as f64;
            outcomes.push((instrument.as_str(), due.to_string(), base));
            outcomes.push((
                instrument.as_str(),
                due.next_day().unwrap_or(due).to_string(),
                base + rng.below(20) as f64,
            ));
        }
    }
    Case {
        id: format!("bench-{i:08}"),
        centre,
        county,
        topics,
        urgency: ["urgent", "normal", "normal", "planned"][rng.below(4)],
        format: ["statement", "statement", "meeting", "visit"][rng.below(4)],
        status,
        submitted_at,
        due_date: due.to_string(),
        answered_at,
        feedback,
        outcomes,
    }
}

/// Writes `n` cases in batches straight into the tables (the store's own
/// paths would take hours at this size; the counters are then built by the
/// same rebuild an operator runs).
async fn load(db: &Db, n: usize, user: &str) {
    let counties: Vec<(String, String)> = on_db!(db, pool => sqlx::query_as("SELECT code, centre FROM counties ORDER BY code").fetch_all(pool).await.unwrap());
    let topics: Vec<String> = on_db!(db, pool => sqlx::query_scalar("SELECT code FROM taxonomy WHERE kind = 'topic' ORDER BY code")
        .fetch_all(pool).await.unwrap());
    let mut rng = Lcg(42);
    let batch = 1_000;
    for start in (0..n).step_by(batch) {
        let cases: Vec<Case> =
            (start..(start + batch).min(n)).map(|i| generate(i, &mut rng, &counties, &topics)).collect();
        let events: Vec<(&Case, i64, &str, &str)> = cases
            .iter()
            .flat_map(|c| {
                let mut e = vec![(c, 1, "submit", "submitted")];
                if c.status != "submitted" {
                    e.push((c, 2, "move", c.status));
                }
                e
            })
            .collect();
        let statements: Vec<&Case> = cases.iter().filter(|c| c.answered_at.is_some()).collect();
        let feedback: Vec<&Case> = cases.iter().filter(|c| c.feedback.is_some()).collect();
        let outcomes: Vec<(&Case, usize)> =
            cases.iter().flat_map(|c| (0..c.outcomes.len()).map(move |k| (c, k))).collect();
        on_db!(db, pool => {
            let mut tx = pool.begin().await.unwrap();
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO consultations (id, reference, requester_id, centre, status, question, topics, urgency, format,
                     legal_basis, client_age, client_county, created_at, submitted_at, due_date, updated_at) ");
            q.push_values(&cases, |mut b, c| {
                b.push_bind(&c.id).push_bind(&c.id).push_bind(user).push_bind(&c.centre).push_bind(c.status)
                    .push_bind("Generated case").push_bind(&c.topics).push_bind(c.urgency).push_bind(c.format)
                    .push_bind("statutory").push_bind(12i64).push_bind(&c.county).push_bind(c.submitted_at)
                    .push_bind(c.submitted_at).push_bind(&c.due_date).push_bind(c.submitted_at);
            });
            q.build().execute(&mut *tx).await.unwrap();
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO consultation_events (id, consultation_id, position, at, actor_id, action, from_status, to_status) ");
            q.push_values(&events, |mut b, (c, pos, action, to)| {
                b.push_bind(format!("{}-{pos}", c.id)).push_bind(&c.id).push_bind(*pos).push_bind(c.submitted_at)
                    .push_bind(user).push_bind(*action).push_bind("draft").push_bind(*to);
            });
            q.build().execute(&mut *tx).await.unwrap();
            if !statements.is_empty() {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO consultation_statements (consultation_id, author_id, assessment, recommendations, at, first_at) ");
                q.push_values(&statements, |mut b, c| {
                    b.push_bind(&c.id).push_bind(user).push_bind("Generated").push_bind("Generated")
                        .push_bind(c.answered_at).push_bind(c.answered_at);
                });
                q.build().execute(&mut *tx).await.unwrap();
            }
            if !feedback.is_empty() {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO consultation_feedback (consultation_id, usefulness, referral_avoided, at, referral) ");
                q.push_values(&feedback, |mut b, c| {
                    let (u, avoided, referral) = c.feedback.unwrap();
                    b.push_bind(&c.id).push_bind(u).push_bind(avoided).push_bind(c.submitted_at).push_bind(referral);
                });
                q.build().execute(&mut *tx).await.unwrap();
            }
            if !outcomes.is_empty() {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO consultation_outcomes (id, consultation_id, instrument, measured_on, headline, detail, recorded_by, recorded_at) ");
                q.push_values(&outcomes, |mut b, (c, k)| {
                    let (instrument, on, headline) = &c.outcomes[*k];
                    b.push_bind(format!("{}-o{k}", c.id)).push_bind(&c.id).push_bind(*instrument).push_bind(on)
                        .push_bind(*headline).push_bind("{}").push_bind(user).push_bind(c.submitted_at);
                });
                q.build().execute(&mut *tx).await.unwrap();
            }
            tx.commit().await.unwrap();
        });
    }
}

/// A plain `GROUP BY` over the cases themselves: what a dashboard would
/// cost without the counters. Returns the p95 of each.
async fn baseline(db: &Db) -> Vec<(&'static str, f64)> {
    let mut by_centre = Vec::new();
    let mut by_county_urgency = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let rows: Vec<(String, i64)> = on_db!(db, pool => sqlx::query_as(
            "SELECT centre, COUNT(*) FROM consultations WHERE submitted_at IS NOT NULL GROUP BY centre")
            .fetch_all(pool).await.unwrap());
        by_centre.push(t.elapsed());
        std::hint::black_box(rows);
        let t = Instant::now();
        let rows: Vec<(String, String, i64)> = on_db!(db, pool => sqlx::query_as(
            "SELECT client_county, urgency, COUNT(*) FROM consultations WHERE submitted_at IS NOT NULL
             GROUP BY client_county, urgency")
            .fetch_all(pool).await.unwrap());
        by_county_urgency.push(t.elapsed());
        std::hint::black_box(rows);
    }
    vec![("GROUP BY centre", p50_p95(by_centre).1), ("GROUP BY county, urgency", p50_p95(by_county_urgency).1)]
}

const DASHBOARDS: [(&str, &str); 8] = [
    ("researcher", "/api/v1/statistics/consultations?by=centre"),
    ("researcher", "/api/v1/statistics/consultations?by=county,topic"),
    ("researcher", "/api/v1/statistics/consultations?by=topic,month"),
    ("researcher", "/api/v1/statistics/consultations?by=status,month&from=2025-01&to=2025-12"),
    ("researcher", "/api/v1/statistics/consultations?by=urgency,format&format=xlsx"),
    ("researcher", "/api/v1/statistics/service"),
    ("coordinator", "/api/v1/statistics/consultations?by=county,topic"),
    ("coordinator", "/api/v1/statistics/service?format=csv"),
];

async fn run(label: &str, url: &str, n: usize, dir: &std::path::Path) {
    println!("\n## {label}: {n} consultations");
    let (db, _) = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    reference::seed(&db).await.unwrap();
    let system = AuditActor::system();
    let mk = |email: &str, role: Role, centre: Option<&str>| NewUser {
        email: email.parse().unwrap(),
        name: "Bench".into(),
        roles: vec![role],
        centre: centre.map(|c| c.parse().unwrap()),
        organization_id: None,
        password: None,
    };
    let requester = accounts::create(&db, &mk("requester@example.fi", Role::Requester, None), &system).await.unwrap();
    let researcher =
        accounts::create(&db, &mk("researcher@example.fi", Role::Researcher, None), &system).await.unwrap();
    let centre: String = on_db!(&db, pool => sqlx::query_scalar("SELECT code FROM centres ORDER BY code").fetch_one(pool).await.unwrap());
    let coordinator =
        accounts::create(&db, &mk("coordinator@example.fi", Role::Coordinator, Some(&centre)), &system).await.unwrap();

    let t = Instant::now();
    load(&db, n, &requester.id).await;
    println!("generate and load: {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let counted = tukiverkko_store::statistics::rebuild(&db, |_| {}).await.unwrap();
    println!(
        "count into the statistics counters (`tukiverkko statistics rebuild`): {:.1} s, {counted} cases",
        t.elapsed().as_secs_f64()
    );
    let cells: i64 =
        on_db!(&db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM statistics_cells").fetch_one(pool).await.unwrap());
    println!("counter rows: {cells}");
    if let Db::Postgres(pool) = &db {
        sqlx::query("ANALYZE").execute(pool).await.unwrap();
    }
    let baselines = baseline(&db).await;
    for (name, p95) in &baselines {
        println!("baseline {name} over consultations: p95 {p95:.1} ms");
    }
    let centre_baseline = baselines[0].1;

    let tokens = [
        ("researcher", tokens::issue(&db, &researcher.id, 1).await.unwrap()),
        ("coordinator", tokens::issue(&db, &coordinator.id, 1).await.unwrap()),
    ];
    db.close().await;
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_tukiverkko"))
        .env_clear()
        .env("TUKIVERKKO_DATABASE_URL", url)
        .env("TUKIVERKKO_BIND", "127.0.0.1:0")
        .env("TUKIVERKKO_DATA_DIR", dir.join(format!("data-{label}")))
        .env("TUKIVERKKO_DEMO", "false")
        .env("TUKIVERKKO_LOG", "warn")
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the tukiverkko binary starts");
    let mut first_line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut first_line).unwrap();
    let base = first_line.trim().strip_prefix("listening on ").expect("the server prints its address").to_string();
    let client = reqwest::Client::new();
    println!("| dashboard | as | p50 ms | p95 ms | p95 vs GROUP BY centre |");
    println!("|---|---|---:|---:|---:|");
    let mut worst: f64 = 0.0;
    for (role, path) in DASHBOARDS {
        let token = &tokens.iter().find(|t| t.0 == role).unwrap().1;
        let mut samples = Vec::new();
        for round in 0..=ROUNDS {
            let t = Instant::now();
            let resp = client.get(format!("{base}{path}")).bearer_auth(token).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{path}");
            resp.bytes().await.unwrap();
            // The first request of each warms the caches; it is not counted.
            if round > 0 {
                samples.push(t.elapsed());
            }
        }
        let (p50, p95) = p50_p95(samples);
        worst = worst.max(p95);
        println!("| `{path}` | {role} | {p50:.1} | {p95:.1} | {:.2}× |", p95 / centre_baseline);
    }
    println!("slowest dashboard p95: {worst:.1} ms (target ≤ 200 ms) {}", if worst <= 200.0 { "✔" } else { "✘" });
    let _ = std::process::Command::new("kill").arg("-TERM").arg(server.id().to_string()).status();
    assert!(server.wait().unwrap().success(), "the server stops cleanly");
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("STATS_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("tv-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    run("SQLite", &format!("sqlite://{}", dir.join("stats.db").display()), n, &dir).await;
    let admin =
        std::env::var("TUKIVERKKO_BENCH_DATABASE_URL").or_else(|_| std::env::var("TUKIVERKKO_TEST_DATABASE_URL"));
    if let Ok(admin) = admin {
        let name = format!("tv_stats_{}", std::process::id());
        let admin_pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin_pool).await.unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        run("PostgreSQL", &format!("{base}/{name}"), n, &dir).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
            .execute(&admin_pool)
            .await
            .unwrap();
    } else {
        println!("PostgreSQL skipped: set TUKIVERKKO_BENCH_DATABASE_URL or TUKIVERKKO_TEST_DATABASE_URL");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
