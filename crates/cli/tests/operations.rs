//! What an operator watches: the health page names the dependency that
//! fails, and the metrics carry search latency, the database pool, audit
//! write failures and the mail queue.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{Kind, TestServer};

backends!(health_page_names_the_failing_dependency, metrics_carry_search_pool_audit_and_mail);

async fn health_page_names_the_failing_dependency(kind: Kind) {
    let server = TestServer::start(kind).await;
    let resp = reqwest::get(server.url("/health")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let health: Value = resp.json().await.unwrap();
    // Audit write failures are counted per process, and this test process
    // runs servers whose databases other tests close: the audit check may
    // say so, and then the whole is "degraded", never "failing".
    assert!(["ok", "degraded"].contains(&health["status"].as_str().unwrap()), "{health}");
    assert_eq!(health["checks"]["database"]["status"], "ok");
    assert!(["ok", "failing"].contains(&health["checks"]["audit"]["status"].as_str().unwrap()), "{health}");
    assert_eq!(health["checks"]["mail"]["status"], "not_configured");
    assert!(health["checks"]["search"]["detail"].as_str().unwrap().contains("profiles"), "{health}");

    server.db.close().await;
    let resp = reqwest::get(server.url("/health")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let health: Value = resp.json().await.unwrap();
    assert_eq!(health["status"], "failing", "{health}");
    assert_eq!(health["checks"]["database"]["status"], "failing");
    let text = health.to_string();
    assert!(!text.contains("postgres://") && !text.contains("sqlite://"), "no address leaves the server: {text}");
}

async fn metrics_carry_search_pool_audit_and_mail(kind: Kind) {
    let server = TestServer::start(kind).await;
    let token = server.token_for("pyytaja@example.fi").await;
    let client = reqwest::Client::new();
    for q in ["huoltoriita", "vårdnadstvist"] {
        let resp =
            client.get(server.url("/api/v1/experts")).query(&[("q", q)]).bearer_auth(&token).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let text = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    let value = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
    };
    assert!(value("tukiverkko_search_duration_seconds_count") >= 2.0, "both searches are timed");
    assert!(value("tukiverkko_db_pool_connections{state=\"idle\"}") >= 0.0);
    assert!(value("tukiverkko_db_pool_connections{state=\"in_use\"}") >= 0.0);
    assert!(value("tukiverkko_audit_write_failures_total") >= 0.0, "counted per process");
    assert_eq!(value("tukiverkko_mail_queue"), 0.0, "no relay, no queue");
    server.stop().await;
}
