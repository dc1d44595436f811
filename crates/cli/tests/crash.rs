//! Crash safety: the real server under a burst of creates and submits from
//! several clients is killed with SIGKILL at a random moment, again and
//! again. After each restart every request that was answered 2xx is there
//! with its audit entry and its statistics counters, nothing half-written
//! is visible, and the audit chain verifies.
//!
//! CI runs a few kills per backend; `CRASH_KILLS=20` runs the full test.

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use tokio::sync::watch;
use tukiverkko_domain::Role;
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::audit::AuditActor;
use tukiverkko_store::{on_db, tokens};

use crate::cli::{run, serve, text, tukiverkko};
use crate::consultations::request_body;
use crate::support::{Kind, TestDatabase};

backends!(acknowledged_writes_survive_sigkill);

/// What the server acknowledged: the case was created (and submitted).
#[derive(Default)]
pub(crate) struct Acknowledged {
    pub created: Vec<String>,
    pub submitted: Vec<String>,
}

/// One client: creates and submits cases until the server goes away.
pub(crate) async fn client(
    base: String,
    token: String,
    seen: Arc<Mutex<Acknowledged>>,
    progress: watch::Sender<usize>,
) {
    let http = reqwest::Client::new();
    loop {
        let Ok(resp) =
            http.post(format!("{base}/api/v1/consultations")).bearer_auth(&token).json(&request_body()).send().await
        else {
            return;
        };
        if resp.status() != StatusCode::CREATED {
            return;
        }
        let Ok(body) = resp.json::<serde_json::Value>().await else { return };
        let id = body["id"].as_str().unwrap().to_string();
        seen.lock().unwrap().created.push(id.clone());
        progress.send_modify(|n| *n += 1);
        let Ok(resp) = http.post(format!("{base}/api/v1/consultations/{id}/submit")).bearer_auth(&token).send().await
        else {
            return;
        };
        if resp.status() != StatusCode::OK {
            return;
        }
        seen.lock().unwrap().submitted.push(id);
        progress.send_modify(|n| *n += 1);
    }
}

/// Checks the stored data against what was acknowledged, and that no case
/// is half-written: sent exactly when it has a send event and is counted
/// in the statistics, and created with its audit entry.
pub(crate) async fn check(database: &TestDatabase, seen: &Acknowledged) {
    check_url(&database.url, None, seen).await
}

/// [`check`] on the database at `url`, on the cases of `requester` (an
/// e-mail address) when the database holds others too (the demo's).
pub(crate) async fn check_url(url: &str, requester: Option<&str>, seen: &Acknowledged) {
    let (db, _) = tukiverkko_store::Db::connect(url).await.unwrap();
    type Row = (String, String, Option<i64>, i64, i64, i64);
    let rows: Vec<Row> = on_db!(&db, pool => sqlx::query_as(
        "SELECT c.id, c.status, c.submitted_at,
                (SELECT COUNT(*) FROM consultation_events e WHERE e.consultation_id = c.id AND e.action = 'submit'),
                (SELECT COUNT(*) FROM statistics_cases s WHERE s.consultation_id = c.id),
                (SELECT COUNT(*) FROM audit_log a WHERE a.object_id = c.id AND a.action = 'consultation.create')
         FROM consultations c
         WHERE $1 IS NULL OR c.requester_id = (SELECT u.id FROM users u WHERE u.email = $1)")
        .bind(requester).fetch_all(pool).await.unwrap());
    let by_id: std::collections::HashMap<&str, &Row> = rows.iter().map(|r| (r.0.as_str(), r)).collect();
    for id in &seen.created {
        let row = by_id.get(id.as_str()).unwrap_or_else(|| panic!("acknowledged case {id} was lost"));
        assert_eq!(row.5, 1, "case {id} has its audit entry");
    }
    for id in &seen.submitted {
        assert_eq!(by_id[id.as_str()].1, "submitted", "acknowledged submit of {id} was lost");
    }
    for (id, status, submitted_at, submit_events, counted, audited) in &rows {
        let sent = status != "draft";
        assert_eq!(submitted_at.is_some(), sent, "{id}: status and send time agree");
        assert_eq!(*submit_events, i64::from(sent), "{id}: a sent case has its send event, a draft none");
        assert_eq!(*counted, i64::from(sent), "{id}: a sent case is counted in the statistics, a draft not");
        assert_eq!(*audited, 1, "{id}: every stored case has its creation in the audit trail");
    }
    let counted: i64 = on_db!(&db, pool => sqlx::query_scalar(
        "SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM statistics_cells WHERE kind = 'count' AND dim_a = '' AND dim_b = ''")
        .fetch_one(pool).await.unwrap());
    let sent: i64 = on_db!(&db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations WHERE status <> 'draft'")
        .fetch_one(pool).await.unwrap());
    assert_eq!(counted, sent, "the counters add up to the sent cases");
    db.close().await;
    let verify = run(tukiverkko(url).args(["audit", "verify"]), "");
    assert!(verify.status.success(), "{}", text(&verify.stderr));
}

async fn acknowledged_writes_survive_sigkill(kind: Kind) {
    let kills: usize = std::env::var("CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    let user = NewUser {
        email: "crash@example.fi".parse().unwrap(),
        name: "Crash".into(),
        roles: vec![Role::Requester],
        centre: None,
        organization_id: None,
        password: None,
    };
    let account = accounts::create(&db, &user, &AuditActor::system()).await.unwrap();
    let token = tokens::issue(&db, &account.id, 1).await.unwrap();
    db.close().await;
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    for round in 0..kills {
        let mut cmd = tukiverkko(&database.url);
        cmd.env("TUKIVERKKO_DEMO", "false");
        let (mut server, base, _out) = serve(cmd);
        let (progress, mut watched) = watch::channel(0usize);
        let clients: Vec<_> =
            (0..4).map(|_| tokio::spawn(client(base.clone(), token.clone(), seen.clone(), progress.clone()))).collect();
        drop(progress);
        // Killed after a random number of acknowledged requests (5–44), so
        // the moment falls anywhere in a create or a submit.
        let at = 5 + (uuid::Uuid::new_v4().as_u128() % 40) as usize;
        let _ = watched.wait_for(|n| *n >= at).await;
        server.kill().unwrap();
        server.wait().unwrap();
        for c in clients {
            c.await.unwrap();
        }
        let snapshot = {
            let s = seen.lock().unwrap();
            Acknowledged { created: s.created.clone(), submitted: s.submitted.clone() }
        };
        assert!(snapshot.created.len() >= at / 2, "round {round}: the burst ran");
        check(&database, &snapshot).await;
    }
}
