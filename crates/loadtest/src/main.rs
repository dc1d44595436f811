//! Load test: signed-in users of mixed roles against the real `tukiverkko
//! serve` binary for a fixed time, driven by goose. Requesters search the
//! directory, read, create, submit and write on their cases and fetch their
//! calendar; coordinators work the queue (read, suggestions, assignment) and
//! look at statistics. Prints per request p50/p99 and errors, and the
//! server's CPU and memory, from its own process.
//!
//! ```sh
//! cargo build --release -p tukiverkko -p tukiverkko-load
//! target/release/tukiverkko-load                       # SQLite, 50 users, 300 s
//! LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres target/release/tukiverkko-load
//! LOAD_USERS=50 LOAD_SECONDS=60 LOAD_THINK_MS=0 target/release/tukiverkko-load   # shorter, no pauses
//! LOAD_NODES=3 LOAD_DATABASE_URL=… target/release/tukiverkko-load                 # three nodes, one database
//! ```

mod setup;

use std::sync::OnceLock;

use goose::prelude::*;
use serde_json::{Value, json};

/// Bearer tokens handed out to the simulated users by their index.
struct Tokens {
    requesters: Vec<String>,
    coordinators: Vec<String>,
}

static TOKENS: OnceLock<Tokens> = OnceLock::new();

/// The nodes' addresses; user `i` talks to node `i mod n`, as a load
/// balancer with sticky sessions would spread them.
static NODES: OnceLock<Vec<String>> = OnceLock::new();

fn pick_node(user: &mut GooseUser) -> Result<(), Box<TransactionError>> {
    let nodes = NODES.get().expect("set before the attack");
    user.set_base_url(&nodes[user.weighted_users_index % nodes.len()])
}

/// What one simulated user keeps between requests.
#[derive(Clone)]
struct Session {
    token: String,
    cases: Vec<String>,
    turn: usize,
}

/// Queries as professionals type them: topics, inflections, situations.
const QUERIES: &[&str] = &[
    "huoltoriita",
    "kunniaan liittyvä väkivalta",
    "14-vuotias karkailee sijaisperheestä ja käyttää huumeita",
    "vårdnadstvist",
    "radikalisoituminen",
    "seksuaalinen hyväksikäyttö",
    "boy stopped eating and cuts himself",
    "sijaishuolto nuorisopsykiatria",
    "isä ei ole nähnyt lasta vuoteen",
    "flickan hotas med tvångsäktenskap",
];

fn request_body() -> Value {
    json!({
        "question": "Miten tukea nuorta, jonka perheessä on kunniaan liittyvän väkivallan uhka?",
        "background": "Nuori on sijoitettuna, psykiatrinen hoitokontakti on alkanut.",
        "topics": ["honour_violence", "foster_care"],
        "urgency": "normal",
        "format": "statement",
        "legal_basis": "child_consent",
        "client": {"age": 14, "county": "pirkanmaa", "services": ["child_welfare"]}
    })
}

fn session(user: &GooseUser) -> Session {
    user.get_session_data::<Session>().cloned().expect("set on start")
}

async fn send(
    user: &mut GooseUser,
    method: GooseMethod,
    path: &str,
    name: &str,
    body: Option<&Value>,
) -> Result<Option<Value>, Box<TransactionError>> {
    let token = session(user).token;
    let mut builder = user.get_request_builder(&method, path)?.bearer_auth(token);
    if let Some(body) = body {
        builder = builder.json(body);
    }
    let request = GooseRequest::builder().set_request_builder(builder).name(name).build();
    let mut done = user.request(request).await?;
    match done.response {
        Ok(resp) if resp.status().is_success() => {
            let is_json =
                resp.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("json"));
            if is_json { Ok(resp.json::<Value>().await.ok()) } else { Ok(None) }
        }
        Ok(resp) => {
            let status = resp.status();
            let text = resp.text().await.unwrap_or_default();
            let _ = user.set_failure(&format!("{name}: {status} {text}"), &mut done.request, None, None);
            Ok(None)
        }
        Err(_) => Ok(None),
    }
}

async fn start_requester(user: &mut GooseUser) -> TransactionResult {
    let tokens = &TOKENS.get().expect("set before the attack").requesters;
    let token = tokens[user.weighted_users_index % tokens.len()].clone();
    user.set_session_data(Session { token, cases: Vec::new(), turn: user.weighted_users_index });
    pick_node(user)?;
    create_case(user).await
}

async fn start_coordinator(user: &mut GooseUser) -> TransactionResult {
    let tokens = &TOKENS.get().expect("set before the attack").coordinators;
    let token = tokens[user.weighted_users_index % tokens.len()].clone();
    user.set_session_data(Session { token, cases: Vec::new(), turn: user.weighted_users_index });
    pick_node(user)
}

async fn search(user: &mut GooseUser) -> TransactionResult {
    let mut s = session(user);
    s.turn += 1;
    let q = QUERIES[s.turn % QUERIES.len()];
    user.set_session_data(s);
    let path = format!("/api/v1/experts?q={}", q.replace(' ', "+"));
    send(user, GooseMethod::Get, &path, "search experts", None).await?;
    Ok(())
}

async fn create_case(user: &mut GooseUser) -> TransactionResult {
    let body = request_body();
    let created = send(user, GooseMethod::Post, "/api/v1/consultations", "create case", Some(&body)).await?;
    let Some(id) = created.and_then(|c| c["id"].as_str().map(String::from)) else { return Ok(()) };
    let path = format!("/api/v1/consultations/{id}/submit");
    send(user, GooseMethod::Post, &path, "submit case", Some(&json!({}))).await?;
    let mut s = session(user);
    s.cases.push(id);
    user.set_session_data(s);
    Ok(())
}

async fn read_own_case(user: &mut GooseUser) -> TransactionResult {
    let s = session(user);
    let Some(id) = s.cases.get(s.turn % s.cases.len().max(1)) else { return Ok(()) };
    send(user, GooseMethod::Get, &format!("/api/v1/consultations/{id}"), "read case", None).await?;
    Ok(())
}

async fn message(user: &mut GooseUser) -> TransactionResult {
    let s = session(user);
    let Some(id) = s.cases.last() else { return Ok(()) };
    let body = json!({"body": "Lisätieto: koulun kanssa on sovittu tapaaminen."});
    send(user, GooseMethod::Post, &format!("/api/v1/consultations/{id}/messages"), "write message", Some(&body))
        .await?;
    Ok(())
}

async fn own_cases(user: &mut GooseUser) -> TransactionResult {
    send(user, GooseMethod::Get, "/api/v1/consultations", "list cases", None).await?;
    Ok(())
}

async fn calendar(user: &mut GooseUser) -> TransactionResult {
    send(user, GooseMethod::Get, "/api/v1/calendar.ics", "calendar feed", None).await?;
    Ok(())
}

/// The coordinator's round: the queue, the oldest unassigned case, its
/// suggestions, and an assignment of the first suggested expert.
async fn triage(user: &mut GooseUser) -> TransactionResult {
    let queue =
        send(user, GooseMethod::Get, "/api/v1/consultations?status=submitted", "coordinator queue", None).await?;
    let Some(items) = queue.as_ref().and_then(|q| q["items"].as_array()) else { return Ok(()) };
    let turn = session(user).turn;
    let Some(id) = items.get(turn % items.len().max(1)).and_then(|c| c["id"].as_str()).map(String::from) else {
        return Ok(());
    };
    send(user, GooseMethod::Get, &format!("/api/v1/consultations/{id}"), "read case", None).await?;
    let path = format!("/api/v1/consultations/{id}/suggested-experts");
    let suggested = send(user, GooseMethod::Get, &path, "suggested experts", None).await?;
    let first = suggested.as_ref().and_then(|s| s["items"].as_array()?.first()?["id"].as_str().map(String::from));
    if let Some(expert) = first {
        let body = json!({"experts": [expert], "lead": expert});
        // Another coordinator may have assigned it a moment ago: a 409 is
        // the right answer then, so the conflict is not counted as an error.
        let mut builder = user
            .get_request_builder(&GooseMethod::Post, &format!("/api/v1/consultations/{id}/assignment"))?
            .bearer_auth(session(user).token)
            .json(&body);
        builder = builder.header("accept", "application/json");
        let request = GooseRequest::builder().set_request_builder(builder).name("assign expert").build();
        let mut done = user.request(request).await?;
        if let Ok(resp) = &done.response
            && !(resp.status().is_success() || resp.status().as_u16() == 409)
        {
            let status = resp.status();
            let _ = user.set_failure(&format!("assign expert: {status}"), &mut done.request, None, None);
        }
    }
    let mut s = session(user);
    s.turn += 1;
    user.set_session_data(s);
    Ok(())
}

async fn statistics(user: &mut GooseUser) -> TransactionResult {
    send(user, GooseMethod::Get, "/api/v1/statistics/consultations?by=county,topic", "statistics", None).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users: usize = std::env::var("LOAD_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let seconds: usize = std::env::var("LOAD_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    // People read what they get before the next click: each user waits
    // 0.5–3 s between actions (LOAD_THINK_MS=0 hammers without pause).
    let think_ms: u64 = std::env::var("LOAD_THINK_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let think = (std::time::Duration::from_millis(think_ms.min(500)), std::time::Duration::from_millis(think_ms));
    // LOAD_NODES=N starts N server processes on the one database.
    let node_count: usize = std::env::var("LOAD_NODES").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let target = setup::prepare(users).await?;
    TOKENS.set(Tokens { requesters: target.requesters.clone(), coordinators: target.coordinators.clone() }).ok();
    let servers = (0..node_count).map(|_| setup::Server::start(&target)).collect::<anyhow::Result<Vec<_>>>()?;
    NODES.set(servers.iter().map(|s| s.base.clone()).collect()).ok();
    let server = &servers[0];
    println!(
        "{} on {node_count} node(s) from {}: {users} users for {seconds} s, {:?}–{:?} between actions",
        target.backend, server.base, think.0, think.1
    );
    let cpu_before: f64 = servers.iter().map(setup::Server::cpu_seconds).sum();
    let started = std::time::Instant::now();
    let metrics = GooseAttack::initialize_with_config(goose::config::GooseConfiguration::default())?
        .register_scenario(
            scenario!("requester")
                .set_weight(4)?
                .set_wait_time(think.0, think.1)?
                .register_transaction(transaction!(start_requester).set_on_start())
                .register_transaction(transaction!(search).set_weight(6)?)
                .register_transaction(transaction!(read_own_case).set_weight(4)?)
                .register_transaction(transaction!(own_cases).set_weight(1)?)
                .register_transaction(transaction!(create_case).set_weight(1)?)
                .register_transaction(transaction!(message).set_weight(1)?)
                .register_transaction(transaction!(calendar).set_weight(1)?),
        )
        .register_scenario(
            scenario!("coordinator")
                .set_weight(1)?
                .set_wait_time(think.0, think.1)?
                .register_transaction(transaction!(start_coordinator).set_on_start())
                .register_transaction(transaction!(triage).set_weight(3)?)
                .register_transaction(transaction!(statistics).set_weight(1)?)
                .register_transaction(transaction!(calendar).set_weight(1)?),
        )
        .set_default(GooseDefault::Host, server.base.as_str())?
        .set_default(GooseDefault::Users, users)?
        .set_default(GooseDefault::IncreaseRate, "25")?
        .set_default(GooseDefault::RunTime, seconds)?
        .set_default(GooseDefault::NoPrintMetrics, true)?
        .set_default(GooseDefault::Quiet, 1)?
        .execute()
        .await?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = servers.iter().map(setup::Server::cpu_seconds).sum::<f64>() - cpu_before;
    // Memory per node: the largest of them.
    let (rss, peak) =
        servers.iter().map(setup::Server::memory_mb).fold((0f64, 0f64), |a, m| (a.0.max(m.0), a.1.max(m.1)));
    drop(servers);
    setup::report(&metrics, wall, cpu / wall, rss, peak);
    target.cleanup().await;
    Ok(())
}
