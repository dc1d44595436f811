//! How the server is reached: HTTPS served from certificate files, and
//! the client address behind a reverse proxy.

use std::path::PathBuf;

use reqwest::StatusCode;
use tukiverkko_store::audit;
use tukiverkko_web::ServerConfig;

use crate::cli::{run, serve, terminate, text, tukiverkko};
use crate::support::{Kind, TestDatabase, TestServer};

backends!(
    https_from_certificate_files,
    wrong_certificate_settings_stop_the_server_before_it_listens,
    only_a_trusted_proxy_names_the_client_in_the_trail,
);

/// A self-signed certificate for 127.0.0.1 and its key, as PEM files.
fn certificate(dir: &std::path::Path) -> (PathBuf, PathBuf, reqwest::Certificate) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key, reqwest::Certificate::from_pem(made.cert.pem().as_bytes()).unwrap())
}

fn temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("tv-tls-{}", uuid::Uuid::new_v4().simple()))
}

async fn https_from_certificate_files(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let out = run(tukiverkko(&database.url).arg("migrate"), "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = temp_dir();
    let (cert, key, trusted) = certificate(&dir);
    let mut cmd = tukiverkko(&database.url);
    cmd.env("TUKIVERKKO_TLS_CERT", &cert).env("TUKIVERKKO_TLS_KEY", &key);
    let (mut child, base, _out) = serve(cmd);
    assert!(base.starts_with("https://127.0.0.1:"), "the address line names the scheme: {base}");

    let client = reqwest::Client::builder().add_root_certificate(trusted).build().unwrap();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(
        health.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()),
        Some("max-age=31536000; includeSubDomains"),
        "HSTS follows HTTPS served here"
    );
    let login = client.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cookies: Vec<&str> = login.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(!cookies.is_empty() && cookies.iter().all(|c| c.contains("; Secure")), "cookies are Secure: {cookies:?}");

    // A client that does not trust the certificate gets no answer, and
    // neither does plain HTTP on the same port; the server goes on.
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err(), "an untrusted certificate is refused");
    let plain = base.replace("https://", "http://");
    assert!(reqwest::get(format!("{plain}/healthz")).await.is_err(), "plain HTTP gets no page");
    let again = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "failed handshakes leave the server serving");

    assert!(terminate(&mut child).success(), "graceful stop with TLS too");
    let _ = std::fs::remove_dir_all(dir);
}

async fn wrong_certificate_settings_stop_the_server_before_it_listens(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let dir = temp_dir();
    let (cert, key, _) = certificate(&dir);
    let garbage = dir.join("garbage.pem");
    std::fs::write(&garbage, "not a key\n").unwrap();
    let other = certificate(&dir.join("other")).1;
    let missing = dir.join("missing.pem");
    let cases: [(Vec<(&str, &PathBuf)>, &str); 4] = [
        (vec![("TUKIVERKKO_TLS_CERT", &cert)], "set both or neither"),
        (vec![("TUKIVERKKO_TLS_CERT", &missing), ("TUKIVERKKO_TLS_KEY", &key)], "missing.pem"),
        (vec![("TUKIVERKKO_TLS_CERT", &cert), ("TUKIVERKKO_TLS_KEY", &garbage)], "garbage.pem"),
        (vec![("TUKIVERKKO_TLS_CERT", &cert), ("TUKIVERKKO_TLS_KEY", &other)], "do not form a usable pair"),
    ];
    for (env, expected) in cases {
        let mut cmd = tukiverkko(&database.url);
        for (name, value) in &env {
            cmd.env(name, value);
        }
        let out = run(cmd.env("TUKIVERKKO_BIND", "127.0.0.1:0").arg("serve"), "");
        assert_eq!(out.status.code(), Some(2), "a configuration error: {env:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{env:?}: {stderr}");
        assert!(!stderr.contains("PRIVATE KEY"), "no key material in messages");
        assert!(text(&out.stdout).is_empty(), "nothing listened: {}", text(&out.stdout));
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The trail records the client the named proxy forwarded for, and a
/// client talking to the server directly cannot choose its address.
async fn only_a_trusted_proxy_names_the_client_in_the_trail(kind: Kind) {
    let config = ServerConfig { trusted_proxies: "127.0.0.1, ::1".parse().unwrap(), ..ServerConfig::default() };
    let behind_proxy = TestServer::start_with(kind, config, true).await;
    let direct = TestServer::start(kind).await;
    for (server, request_id, expected) in
        [(&behind_proxy, "via-proxy", "198.51.100.7"), (&direct, "direct", "127.0.0.1")]
    {
        let token = server.token_for("pyytaja@example.fi").await;
        let resp = reqwest::Client::new()
            .get(server.url("/api/v1/audit"))
            .bearer_auth(&token)
            .header("x-forwarded-for", "203.0.113.1, 198.51.100.7")
            .header("x-request-id", request_id)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let entries = audit::list(&server.db, &audit::AuditFilter { limit: 1000, ..Default::default() }).await.unwrap();
        let refusal = entries
            .iter()
            .find(|e| e.request_id.as_deref() == Some(request_id))
            .unwrap_or_else(|| panic!("the refusal is in the trail: {entries:?}"));
        assert_eq!(refusal.client_ip.as_deref(), Some(expected), "{request_id}");
    }
    behind_proxy.stop().await;
    direct.stop().await;
}
