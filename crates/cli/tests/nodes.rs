//! Several `tukiverkko serve` processes on one database behave as one
//! service: limits hold across them, an import previewed on one is applied
//! on another, a notification is mailed once, an edit on one is searchable
//! on the other at once, and a node killed mid-burst loses nothing it
//! acknowledged. Real processes on one database, on both backends (on
//! SQLite the nodes share the file, as nodes on one machine would).

use std::io::BufReader;
use std::process::{Child, ChildStdout};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tokio::sync::watch;
use tukiverkko_store::{accounts, experts, on_db, tokens};

use crate::cli::{run, serve, terminate, text, tukiverkko};
use crate::consultations::request_body;
use crate::crash::{Acknowledged, check_url, client};
use crate::support::{Kind, TestDatabase, csrf_field};

backends!(
    a_sign_in_limit_holds_for_all_nodes_together,
    an_import_previewed_on_one_node_is_applied_on_another,
    each_notification_is_mailed_once_by_one_node,
    an_edit_on_one_node_is_searchable_on_the_other_within_a_second,
    a_node_killed_mid_burst_loses_nothing_acknowledged,
);

/// A `serve` process, killed when dropped.
pub(crate) struct Node {
    pub child: Child,
    pub base: String,
    _out: BufReader<ChildStdout>,
}

impl Node {
    pub fn new(child: Child, base: String, out: BufReader<ChildStdout>) -> Node {
        Node { child, base, _out: out }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET an API path with a bearer token, answered with JSON.
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        let resp = reqwest::Client::new().get(self.url(path)).bearer_auth(token).send().await.unwrap();
        resp.json().await.unwrap()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A migrated database with the demo data, and `n` nodes serving it.
async fn cluster(kind: Kind, n: usize, env: &[(&str, String)]) -> (TestDatabase, Vec<Node>) {
    let database = TestDatabase::new(kind).await;
    let seeded = run(tukiverkko(&database.url).args(["seed", "--demo"]), "");
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let nodes = (0..n)
        .map(|_| {
            let mut cmd = tukiverkko(&database.url);
            cmd.env("TUKIVERKKO_DEMO", "false");
            for (name, value) in env {
                cmd.env(name, value);
            }
            let (child, base, out) = serve(cmd);
            Node::new(child, base, out)
        })
        .collect();
    (database, nodes)
}

async fn token(database: &TestDatabase, email: &str) -> String {
    token_at(&database.url, email).await
}

/// An API token for a demo user of the database at `url`.
pub(crate) async fn token_at(url: &str, email: &str) -> String {
    let (db, _) = tukiverkko_store::Db::connect(url).await.unwrap();
    let account = accounts::find_by_email(&db, &email.parse().unwrap()).await.unwrap();
    let token = tokens::issue(&db, &account.id, 1).await.unwrap();
    db.close().await;
    token
}

/// A browser (cookies kept, redirects not followed) signed in on `node`,
/// and its session's CSRF token. Cookies are per host, not per port, so
/// the same browser is signed in on every node.
async fn browser_signed_in(node: &Node, email: &str) -> (reqwest::Client, String) {
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = browser.get(node.url("/login")).send().await.unwrap().text().await.unwrap();
    let form = [("email", email), ("password", tukiverkko_store::demo::DEMO_PASSWORD), ("csrf", &csrf_field(&page))];
    let resp = browser.post(node.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{email} signs in");
    let home = browser.get(node.url("/")).send().await.unwrap().text().await.unwrap();
    (browser, csrf_field(&home))
}

async fn login_status(node: &Node, email: &str, password: &str) -> StatusCode {
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let page = browser.get(node.url("/login")).send().await.unwrap().text().await.unwrap();
    let form = [("email", email), ("password", password), ("csrf", &csrf_field(&page))];
    browser.post(node.url("/login")).form(&form).send().await.unwrap().status()
}

async fn a_sign_in_limit_holds_for_all_nodes_together(kind: Kind) {
    let (_database, nodes) = cluster(kind, 2, &[("TUKIVERKKO_LOGIN_ATTEMPTS_PER_MINUTE", "3".into())]).await;
    // Three wrong guesses spread over the nodes use up the account's minute.
    for node in [&nodes[0], &nodes[1], &nodes[0]] {
        assert_eq!(login_status(node, "yllapito@example.fi", "guess guess guess").await, StatusCode::UNAUTHORIZED);
    }
    for node in &nodes {
        assert_eq!(
            login_status(node, "yllapito@example.fi", tukiverkko_store::demo::DEMO_PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS,
            "the limit holds on {}",
            node.base
        );
    }
}

async fn an_import_previewed_on_one_node_is_applied_on_another(kind: Kind) {
    let (database, nodes) = cluster(kind, 2, &[]).await;
    let (browser, csrf) = browser_signed_in(&nodes[0], "koordinaattori@example.fi").await;
    let csv = format!(
        "{}tre-node-1,Noora,Solmu,psykologi,Tays,health,pirkanmaa,,fi,child_psychiatry,,true,true,Solmukohtainen tuonti,tre-node-1@example.fi,\n",
        crate::hardening::HEAD
    );
    let file = Part::bytes(csv.into_bytes()).file_name("solmut.csv").mime_str("text/csv").unwrap();
    let form = Form::new().text("csrf", csrf.clone()).part("file", file);
    let preview = browser.post(nodes[0].url("/experts/import")).multipart(form).send().await.unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.unwrap();
    let marker = r#"action="/experts/import/"#;
    let start = page.find(marker).expect("a confirm form") + r#"action=""#.len();
    let path = page[start..].split('"').next().unwrap().to_string();

    let applied = browser.post(nodes[1].url(&path)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(applied.status(), StatusCode::OK, "the other node knows the preview");
    assert!(applied.text().await.unwrap().contains("Tiedosto solmut.csv tuotiin: uusia 1"));
    let again = browser.post(nodes[0].url(&path)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "applied once, whichever node is asked");

    let db = database.open().await;
    let imported = experts::list_all(&db).await.unwrap().into_iter().filter(|p| p.external_id == "tre-node-1").count();
    assert_eq!(imported, 1);
    db.close().await;
    let requester = token(&database, "pyytaja@example.fi").await;
    for node in &nodes {
        let found = node.get_json("/api/v1/experts?q=Solmukohtainen", &requester).await;
        assert_eq!(found["items"][0]["external_id"], "tre-node-1", "{}: {found}", node.base);
    }
}

async fn each_notification_is_mailed_once_by_one_node(kind: Kind) {
    let (port, mut mails) = crate::notifications::smtp_relay().await;
    let smtp = [("TUKIVERKKO_SMTP_URL", format!("smtp://127.0.0.1:{port}"))];
    let (database, nodes) = cluster(kind, 3, &smtp).await;
    let requester = token(&database, "pyytaja@example.fi").await;
    let http = reqwest::Client::new();
    // Each submit notifies the centre's coordinator; the nodes take turns
    // and each one starts mailing after its own change.
    let cases = 12;
    for i in 0..cases {
        let node = &nodes[i % nodes.len()];
        let created: Value = http
            .post(node.url("/api/v1/consultations"))
            .bearer_auth(&requester)
            .json(&request_body())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = created["id"].as_str().unwrap();
        let sent = http.post(node.url(&format!("/api/v1/consultations/{id}/submit"))).bearer_auth(&requester).send();
        assert_eq!(sent.await.unwrap().status(), StatusCode::OK);
    }
    let db = database.open().await;
    let notified: i64 = on_db!(&db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email_notifications AND NOT u.disabled")
        .fetch_one(pool).await.unwrap());
    assert!(notified >= cases as i64, "every submit notified someone ({notified})");
    let mut received = Vec::new();
    while received.len() < notified as usize {
        let mail = tokio::time::timeout(Duration::from_secs(20), mails.recv()).await.expect("all mail within 20 s");
        received.push(mail.unwrap().replace("=\n", ""));
    }
    // Anything more would be a second copy: give the nodes a moment to send one.
    let extra = tokio::time::timeout(Duration::from_millis(500), mails.recv()).await;
    assert!(extra.is_err(), "a notification was mailed twice: {:?}", extra.ok().flatten());
    // Each message by its recipient and link: a repeat would be a second copy.
    let line = |m: &str, what: &str| m.lines().find(|l| l.contains(what)).unwrap_or_default().trim().to_string();
    let links: std::collections::HashSet<(String, String)> =
        received.iter().map(|m| (line(m, "To:"), line(m, "/consultations/"))).collect();
    assert_eq!(links.len(), received.len(), "no message repeats another");
    let unmailed: i64 = on_db!(&db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE emailed_at IS NULL")
        .fetch_one(pool).await.unwrap());
    assert_eq!(unmailed, 0, "every notification is marked mailed");
    db.close().await;
}

/// The index version a node's finder holds, from its health page.
async fn index_version(node: &Node) -> Option<i64> {
    let health: Value = reqwest::get(node.url("/health")).await.ok()?.json().await.ok()?;
    health["index_version"].as_i64()
}

async fn an_edit_on_one_node_is_searchable_on_the_other_within_a_second(kind: Kind) {
    let (database, nodes) = cluster(kind, 2, &[]).await;
    let expert = token(&database, "asiantuntija@example.fi").await;
    let requester = token(&database, "pyytaja@example.fi").await;
    let db = database.open().await;
    let account = accounts::find_by_email(&db, &"asiantuntija@example.fi".parse().unwrap()).await.unwrap();
    let id = experts::id_for_user(&db, &account.id).await.unwrap().unwrap();
    db.close().await;
    let http = reqwest::Client::new();
    // Both nodes have built their index before the edits start.
    for node in &nodes {
        let r = http.get(node.url("/api/v1/experts?q=perhe")).bearer_auth(&requester).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let mut delays = Vec::new();
    for round in 0..20 {
        let (editor, other) = if round % 2 == 0 { (&nodes[0], &nodes[1]) } else { (&nodes[1], &nodes[0]) };
        let mut profile = editor.get_json(&format!("/api/v1/experts/{id}"), &expert).await;
        let word = format!("solmusana{round}x");
        profile["bio"] = json!(format!("Perheterapia ja {word}."));
        for key in ["id", "external_id", "email"] {
            profile.as_object_mut().unwrap().remove(key);
        }
        let saved = http.put(editor.url(&format!("/api/v1/experts/{id}"))).bearer_auth(&expert).json(&profile).send();
        let saved = saved.await.unwrap();
        assert_eq!(saved.status(), StatusCode::OK, "{}", saved.text().await.unwrap());
        let edited_at = Instant::now();
        let target = index_version(editor).await.expect("the editing node is current");
        // The other node applies the change when it is announced, before any search asks.
        let deadline = edited_at + Duration::from_secs(5);
        while index_version(other).await.is_none_or(|v| v < target) {
            assert!(Instant::now() < deadline, "round {round}: {} did not apply the change", other.base);
            // Look every 10 ms rather than flooding the nodes with health checks.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        delays.push(edited_at.elapsed());
        let found = other.get_json(&format!("/api/v1/experts?q={word}"), &requester).await;
        assert_eq!(found["items"][0]["id"], json!(id), "round {round}: found on the other node: {found}");
    }
    delays.sort();
    let p95 = delays[(delays.len() * 95).div_ceil(100) - 1];
    eprintln!("edit visible on the other node: p50 {:?}, p95 {p95:?}", delays[delays.len() / 2]);
    assert!(p95 <= Duration::from_secs(1), "p95 {p95:?} over 1 s: {delays:?}");
}

async fn a_node_killed_mid_burst_loses_nothing_acknowledged(kind: Kind) {
    let (database, mut nodes) = cluster(kind, 2, &[]).await;
    let token = token(&database, "pyytaja@example.fi").await;
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    let (progress, mut watched) = watch::channel(0usize);
    // Two clients on each node; the first node dies mid-burst.
    let clients: Vec<_> = (0..4)
        .map(|i| tokio::spawn(client(nodes[i % 2].base.clone(), token.clone(), seen.clone(), progress.clone())))
        .collect();
    drop(progress);
    let at = 10 + (uuid::Uuid::new_v4().as_u128() % 30) as usize;
    let _ = watched.wait_for(|n| *n >= at).await;
    nodes[0].child.kill().unwrap();
    nodes[0].child.wait().unwrap();
    // The survivor goes on serving: its clients keep being acknowledged.
    let before = *watched.borrow();
    let _ = watched.wait_for(|n| *n >= before + 10).await;
    let mut survivor = nodes.pop().unwrap();
    assert!(terminate(&mut survivor.child).success(), "the surviving node stops cleanly");
    for c in clients {
        c.await.unwrap();
    }
    let snapshot = {
        let s = seen.lock().unwrap();
        Acknowledged { created: s.created.clone(), submitted: s.submitted.clone() }
    };
    assert!(snapshot.created.len() >= at / 2, "the burst ran");
    check_url(&database.url, Some("pyytaja@example.fi"), &snapshot).await;
}
