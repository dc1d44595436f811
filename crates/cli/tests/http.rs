//! The HTTP surface driven as clients use it: the real server on port 0,
//! a fresh database each, on both backends.

use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use tukiverkko_domain::{Capability, Role};
use tukiverkko_store::audit;
use tukiverkko_store::demo::{DEMO_PASSWORD, DEMO_USERS};
use tukiverkko_web::ServerConfig;

backends!(
    health_readiness_and_request_ids,
    metrics_count_requests_per_route_template,
    openapi_describes_every_api_route,
    every_route_times_every_role_is_allowed_or_denied_as_declared,
    browser_login_session_and_logout,
    unknown_account_and_wrong_password_answer_alike,
    cross_site_and_tokenless_posts_are_refused,
    login_attempts_are_rate_limited_per_account_and_address,
    security_headers_and_tls_cookies,
    language_from_header_cookie_and_switcher,
    errors_are_html_on_pages_and_problem_json_on_the_api,
    admin_reads_and_exports_the_audit_trail,
    password_change_checks_input_and_ends_other_sessions,
    disabling_a_user_ends_sessions_and_tokens_at_once,
    second_factor_is_needed_once_turned_on,
    admin_audit_page_filters_and_links_csv,
    profile_edits_and_account_changes_record_their_origin,
);

fn email_of(role: Role) -> &'static str {
    DEMO_USERS.iter().find(|(_, _, roles, _)| roles.contains(&role)).map(|(e, ..)| *e).unwrap()
}

async fn health_readiness_and_request_ids(kind: Kind) {
    let server = TestServer::start(kind).await;
    let resp = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().contains_key("x-request-id"));
    assert_eq!(resp.text().await.unwrap(), "ok");
    let ready = reqwest::get(server.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    server.db.close().await;
    let not_ready = reqwest::get(server.url("/readyz")).await.unwrap();
    assert_eq!(not_ready.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reqwest::get(server.url("/healthz")).await.unwrap().status(), StatusCode::OK, "the process still runs");
}

async fn metrics_count_requests_per_route_template(kind: Kind) {
    let server = TestServer::start(kind).await;
    for _ in 0..3 {
        reqwest::get(server.url("/lang/sv?next=/")).await.unwrap();
    }
    let text = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("tukiverkko_http_requests_total")
                && l.contains(r#"route="/lang/{code}""#)
                && l.contains(r#"status="303""#)
        })
        .unwrap_or_else(|| panic!("no counter for the language route in:\n{text}"));
    assert!(line.ends_with(" 3"), "{line}");
    assert!(text.contains("tukiverkko_http_request_duration_seconds_bucket"), "latency histogram present");
    assert!(!text.contains("/lang/sv"), "raw paths never become labels");
    server.stop().await;
}

async fn openapi_describes_every_api_route(kind: Kind) {
    let server = TestServer::start(kind).await;
    let doc: serde_json::Value = reqwest::get(server.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let api_routes: Vec<_> =
        tukiverkko_web::route_specs().into_iter().filter(|s| s.path.starts_with("/api/v1")).collect();
    assert!(!api_routes.is_empty());
    for spec in api_routes {
        let method = spec.method.as_str().to_lowercase();
        assert!(
            doc["paths"][spec.path][&method].is_object(),
            "{} {} is missing from /openapi.json",
            spec.method,
            spec.path
        );
    }
    server.stop().await;
}

async fn every_route_times_every_role_is_allowed_or_denied_as_declared(kind: Kind) {
    use crate::access_policy::{ROLES, ROUTES, allows};
    // The router's table and the roles' grants say what the hand-written policy says.
    let mut declared: Vec<(String, String, String)> = tukiverkko_web::route_specs()
        .iter()
        .map(|s| (s.method.to_string(), s.path.to_string(), s.capability.as_str().to_string()))
        .collect();
    let mut written: Vec<(String, String, String)> =
        ROUTES.iter().map(|(m, p, c)| (m.to_string(), p.to_string(), c.to_string())).collect();
    declared.sort();
    written.sort();
    assert_eq!(declared, written, "the route table differs from tests/access_policy.rs");
    for role in Role::ALL {
        let granted: Vec<&str> = Capability::ALL.iter().filter(|c| c.granted_by(&[role])).map(|c| c.as_str()).collect();
        let written = ROLES.iter().find(|(r, _)| *r == role.as_str()).map(|(_, caps)| caps.to_vec());
        assert_eq!(Some(granted), written, "{role} grants differ from tests/access_policy.rs");
    }

    let server = TestServer::start(kind).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut callers: Vec<(Vec<&str>, Option<String>)> = vec![(vec![], None)];
    for role in Role::ALL {
        callers.push((vec![role.as_str()], Some(server.token_for(email_of(role)).await)));
    }
    for (method, path_template, capability) in ROUTES {
        let path = path_template
            .replace("{code}", "fi")
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{file}", "x.ics");
        let method: reqwest::Method = method.parse().unwrap();
        for (roles, token) in &callers {
            let mut req = client.request(method.clone(), server.url(&path));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let resp = req.send().await.unwrap();
            let denied_for = resp.headers().get("x-required-capability").map(|v| v.to_str().unwrap().to_string());
            let who = if roles.is_empty() { "anonymous".to_string() } else { format!("{roles:?}") };
            if allows(roles, capability) {
                assert_eq!(denied_for, None, "{method} {path_template} should be allowed for {who}");
                // A handler whose capability type disagrees with its table entry answers 500.
                assert_ne!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR, "{method} {path_template} for {who}");
            } else {
                assert_eq!(denied_for.as_deref(), Some(*capability), "{method} {path_template} for {who}");
                let expected = if roles.is_empty() {
                    [StatusCode::UNAUTHORIZED, StatusCode::SEE_OTHER]
                } else {
                    [StatusCode::FORBIDDEN, StatusCode::FORBIDDEN]
                };
                assert!(expected.contains(&resp.status()), "{method} {path_template} for {who}: {}", resp.status());
            }
        }
    }
    // Every capability is needed by some route: none is declared and unused.
    for c in Capability::ALL {
        assert!(ROUTES.iter().any(|(_, _, cap)| *cap == c.as_str()), "{} is used by no route", c.as_str());
    }
    server.stop().await;
}

async fn login(server: &TestServer, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
    let page = client.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = crate::support::csrf_field(&page);
    client
        .post(server.url("/login"))
        .form(&[("email", email), ("password", password), ("csrf", &csrf), ("next", "/")])
        .send()
        .await
        .unwrap()
}

async fn browser_login_session_and_logout(kind: Kind) {
    let server = TestServer::start(kind).await;
    let browser = server.browser();
    let page = browser.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"name="email""#) && page.contains(r#"name="password""#));
    assert!(page.contains(r#"<label for="email">"#), "labelled fields");

    let resp = login(&server, &browser, email_of(Role::Coordinator), DEMO_PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("tv_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http has no Secure cookie");

    let home = browser.get(server.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Kalle Koordinaattori"), "signed-in name shown");
    let me: serde_json::Value = browser.get(server.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["roles"], serde_json::json!(["coordinator"]));
    assert_eq!(me["centre"], "tampere");

    let csrf = crate::support::csrf_field(&home);
    let out = browser.post(server.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get(server.url("/api/v1/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    let actions: Vec<String> =
        audit::list(&server.db, &Default::default()).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"auth.login".to_string()) && actions.contains(&"auth.logout".to_string()), "{actions:?}");
    server.stop().await;
}

async fn unknown_account_and_wrong_password_answer_alike(kind: Kind) {
    let server = TestServer::start(kind).await;
    let strip = |html: String| html.replace(&crate::support::csrf_field(&html), "");
    let wrong = login(&server, &server.browser(), email_of(Role::Admin), "not the password").await;
    let (wrong_status, wrong_body) = (wrong.status(), strip(wrong.text().await.unwrap()));
    let unknown = login(&server, &server.browser(), "nobody-here@example.fi", "not the password").await;
    let (unknown_status, unknown_body) = (unknown.status(), strip(unknown.text().await.unwrap()));
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, wrong_status);
    assert!(wrong_body.contains("Sähköposti tai salasana on väärin."));
    assert_eq!(
        wrong_body.replace(email_of(Role::Admin), "EMAIL"),
        unknown_body.replace("nobody-here@example.fi", "EMAIL"),
        "the pages differ only in the e-mail typed"
    );
    let failed = audit::list(&server.db, &Default::default()).await.unwrap();
    assert_eq!(failed.iter().filter(|e| e.action == "auth.login_failed").count(), 2);
    server.stop().await;
}

async fn cross_site_and_tokenless_posts_are_refused(kind: Kind) {
    let server = TestServer::start(kind).await;
    let browser = server.browser();
    login(&server, &browser, email_of(Role::Requester), DEMO_PASSWORD).await;
    let home = browser.get(server.url("/")).send().await.unwrap().text().await.unwrap();
    let csrf = crate::support::csrf_field(&home);

    let forged = browser
        .post(server.url("/logout"))
        .header("Origin", "https://attacker.example")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "cross-site POST refused even with a token");
    let fetch_meta = browser
        .post(server.url("/logout"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_meta.status(), StatusCode::FORBIDDEN);
    let tokenless = browser.post(server.url("/logout")).form(&[("x", "y")]).send().await.unwrap();
    assert_eq!(tokenless.status(), StatusCode::FORBIDDEN);
    assert_eq!(browser.get(server.url("/api/v1/me")).send().await.unwrap().status(), StatusCode::OK, "still signed in");

    let login_page = browser.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
    let forged_login = reqwest::Client::new()
        .post(server.url("/login"))
        .form(&[
            ("email", email_of(Role::Admin)),
            ("password", DEMO_PASSWORD),
            ("csrf", &crate::support::csrf_field(&login_page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged_login.status(), StatusCode::FORBIDDEN, "login form without its cookie is refused");
    server.stop().await;
}

async fn login_attempts_are_rate_limited_per_account_and_address(kind: Kind) {
    let config = ServerConfig { login_attempts_per_minute: 3, ..ServerConfig::default() };
    let server = TestServer::start_with(kind, config, true).await;
    let browser = server.browser();
    for _ in 0..3 {
        let r = login(&server, &browser, email_of(Role::Admin), "guess guess guess").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = login(&server, &browser, email_of(Role::Admin), DEMO_PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    // The previous minute counts in part for a minute more, so the wait may pass the turn of the minute.
    assert!((1..=120).contains(&retry), "{retry}");
    assert!(limited.text().await.unwrap().contains("Liian monta kirjautumisyritystä"));

    // The address limit (5 × 3 = 15, of which 4 are used) catches guessing across accounts.
    let mut statuses = Vec::new();
    for i in 0..12 {
        statuses.push(login(&server, &browser, &format!("user{i}@example.fi"), "x").await.status());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count(), 11, "{statuses:?}");
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    server.stop().await;
}

async fn security_headers_and_tls_cookies(kind: Kind) {
    let server = TestServer::start(kind).await;
    let resp = reqwest::get(server.url("/")).await.unwrap();
    let h = resp.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(!h.contains_key("strict-transport-security"));
    server.stop().await;

    let tls = ServerConfig { public_url: Some("https://tukiverkko.example.fi".into()), ..ServerConfig::default() };
    let server = TestServer::start_with(kind, tls, true).await;
    let resp = reqwest::get(server.url("/api/v1/me")).await.unwrap();
    assert!(resp.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    let resp = login(&server, &server.browser(), email_of(Role::Requester), DEMO_PASSWORD).await;
    assert!(resp.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
    server.stop().await;
}

async fn language_from_header_cookie_and_switcher(kind: Kind) {
    let server = TestServer::start(kind).await;
    let client = reqwest::Client::new();
    let page = |lang: &'static str| {
        let mut headers = HeaderMap::new();
        headers.insert("accept-language", HeaderValue::from_static(lang));
        client.get(server.url("/")).headers(headers).send()
    };
    let sv = page("sv-FI,sv;q=0.9,en;q=0.5").await.unwrap().text().await.unwrap();
    assert!(sv.contains(r#"<html lang="sv">"#) && sv.contains("Välkommen till tukiverkko"));
    let en = page("de-DE,en;q=0.8").await.unwrap().text().await.unwrap();
    assert!(en.contains(r#"<html lang="en">"#) && en.contains("Skip to content"));
    let fallback = page("de").await.unwrap().text().await.unwrap();
    assert!(fallback.contains(r#"<html lang="fi">"#) && fallback.contains("Siirry sisältöön"));

    let browser = server.browser();
    let switch = browser.get(server.url("/lang/en?next=/login")).send().await.unwrap();
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(switch.headers()["location"], "/login");
    let login_page =
        browser.get(server.url("/login")).header("accept-language", "sv").send().await.unwrap().text().await.unwrap();
    assert!(login_page.contains("Sign in") && login_page.contains(r#"lang="en""#), "the switcher's choice wins");
    let evil = browser.get(server.url("/lang/sv?next=//evil.example/")).send().await.unwrap();
    assert_eq!(evil.headers()["location"], "/", "no open redirect");
    server.stop().await;
}

async fn errors_are_html_on_pages_and_problem_json_on_the_api(kind: Kind) {
    let server = TestServer::start(kind).await;
    let page = reqwest::get(server.url("/no-such-page")).await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("Sivua ei löytynyt."));

    let api = reqwest::get(server.url("/api/v1/no-such-thing")).await.unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["status"], 404);

    let bad_token =
        reqwest::Client::new().get(server.url("/api/v1/me")).bearer_auth("tvk_forged").send().await.unwrap();
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(bad_token.headers()["content-type"], "application/problem+json");

    let browser = server.browser();
    browser.get(server.url("/login")).send().await.unwrap();
    let huge = "x".repeat(2 * 1024 * 1024);
    let too_big = browser.post(server.url("/login")).form(&[("email", huge.as_str())]).send().await.unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_big.text().await.unwrap().contains("liian suuri"));
    let entries = audit::list(&server.db, &Default::default()).await.unwrap();
    assert!(entries.iter().all(|e| !e.action.starts_with("auth.login")), "an oversized form never reached the login");
    server.stop().await;
}

async fn admin_reads_and_exports_the_audit_trail(kind: Kind) {
    let server = TestServer::start(kind).await;
    let admin = server.token_for(email_of(Role::Admin)).await;
    let client = reqwest::Client::new();
    let json: serde_json::Value =
        client.get(server.url("/api/v1/audit?limit=5")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let entries = json.as_array().unwrap();
    assert!(!entries.is_empty() && entries.len() <= 5);
    assert!(entries[0]["seq"].as_i64() > entries.last().unwrap()["seq"].as_i64() || entries.len() == 1, "newest first");

    let csv =
        client.get(server.url("/api/v1/audit?format=csv&object_type=user")).bearer_auth(&admin).send().await.unwrap();
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("seq,at,actor_id"), "{text}");
    let at = text.lines().nth(1).unwrap().split(',').nth(1).unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "times in ISO 8601: {at}");
    assert!(text.lines().skip(1).all(|l| l.contains(",user,")), "filtered to user objects");

    let requester = server.token_for(email_of(Role::Requester)).await;
    let denied = client.get(server.url("/api/v1/audit")).bearer_auth(&requester).send().await.unwrap();
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    let exported = audit::list(&server.db, &Default::default()).await.unwrap();
    assert_eq!(exported.iter().filter(|e| e.action == "audit.export").count(), 2, "each read of the trail is recorded");
    assert!(matches!(audit::verify(&server.db).await.unwrap(), audit::Verification::Intact { .. }));
    server.stop().await;
}

async fn password_change_checks_input_and_ends_other_sessions(kind: Kind) {
    let server = TestServer::start(kind).await;
    let email = email_of(Role::Expert);
    let token = server.token_for(email).await;
    let other_browser = server.browser();
    login(&server, &other_browser, email, DEMO_PASSWORD).await;
    let client = reqwest::Client::new();
    let post = |body: String| {
        client
            .post(server.url("/api/v1/me/password"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let problem = |resp: reqwest::Response| async move {
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        (resp.status(), resp.json::<serde_json::Value>().await.unwrap())
    };

    let (status, body) = problem(post("{\"current_password\": ".into()).await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = problem(post(r#"{"current_password": 5, "new_password": "x"}"#.into()).await.unwrap()).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("current_password")));
    let (status, body) = problem(
        post(r#"{"current_password": "wrong one", "new_password": "a new long password"}"#.into()).await.unwrap(),
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("current_password")));
    let weak = format!(r#"{{"current_password": "{DEMO_PASSWORD}", "new_password": "short"}}"#);
    let (status, body) = problem(post(weak).await.unwrap()).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("new_password")));
    let huge = format!(r#"{{"current_password": "{}", "new_password": "x"}}"#, "a".repeat(2 * 1024 * 1024));
    let (status, _) = problem(post(huge).await.unwrap()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        tukiverkko_store::accounts::authenticate(&server.db, email, DEMO_PASSWORD).await.unwrap().is_some(),
        "unchanged"
    );

    let ok = post(format!(r#"{{"current_password": "{DEMO_PASSWORD}", "new_password": "a new long password"}}"#))
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert!(tukiverkko_store::accounts::authenticate(&server.db, email, DEMO_PASSWORD).await.unwrap().is_none());
    assert!(
        tukiverkko_store::accounts::authenticate(&server.db, email, "a new long password").await.unwrap().is_some()
    );
    let other = other_browser.get(server.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED, "the other session ended");
    server.stop().await;
}

async fn disabling_a_user_ends_sessions_and_tokens_at_once(kind: Kind) {
    let server = TestServer::start(kind).await;
    let victim = email_of(Role::Requester);
    let browser = server.browser();
    login(&server, &browser, victim, DEMO_PASSWORD).await;
    let victim_token = server.token_for(victim).await;
    let admin = server.token_for(email_of(Role::Admin)).await;
    let client = reqwest::Client::new();
    let users: serde_json::Value =
        client.get(server.url("/api/v1/users")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let id =
        users.as_array().unwrap().iter().find(|u| u["email"] == victim).unwrap()["id"].as_str().unwrap().to_string();

    let missing =
        client.post(server.url("/api/v1/users/no-such-user/disable")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let resp =
        client.post(server.url(&format!("/api/v1/users/{id}/disable"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    assert_eq!(browser.get(server.url("/api/v1/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let with_token = client.get(server.url("/api/v1/me")).bearer_auth(&victim_token).send().await.unwrap();
    assert_eq!(with_token.status(), StatusCode::UNAUTHORIZED);
    let again = login(&server, &server.browser(), victim, DEMO_PASSWORD).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "a disabled account cannot sign in");
    let entries = audit::list(&server.db, &Default::default()).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "user.disable" && e.object_id.as_deref() == Some(id.as_str())));
    server.stop().await;
}

async fn second_factor_is_needed_once_turned_on(kind: Kind) {
    let server = TestServer::start(kind).await;
    let email = email_of(Role::Coordinator);
    let token = server.token_for(email).await;
    let client = reqwest::Client::new();
    let setup: serde_json::Value =
        client.post(server.url("/api/v1/me/totp")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let url = setup["otpauth_url"].as_str().unwrap();
    assert!(url.starts_with("otpauth://totp/") && url.contains("issuer=tukiverkko"), "{url}");
    let totp = totp_rs::Totp::from_url(url).unwrap();

    let wrong = client
        .post(server.url("/api/v1/me/totp/confirm"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"code": "000000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let browser = server.browser();
    assert_eq!(
        login(&server, &browser, email, DEMO_PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "not on before confirmation"
    );

    let code = totp.generate_current().to_string();
    let ok = client
        .post(server.url("/api/v1/me/totp/confirm"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);

    let without = login(&server, &server.browser(), email, DEMO_PASSWORD).await;
    assert_eq!(without.status(), StatusCode::UNAUTHORIZED);
    assert!(
        without.text().await.unwrap().contains("Sähköposti tai salasana on väärin."),
        "same answer as a wrong password"
    );

    let fresh = server.browser();
    let page = fresh.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
    let code = totp.generate_current().to_string();
    let with = fresh
        .post(server.url("/login"))
        .form(&[
            ("email", email),
            ("password", DEMO_PASSWORD),
            ("csrf", &crate::support::csrf_field(&page)),
            ("code", &code),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), StatusCode::SEE_OTHER);
    let actions: Vec<String> =
        audit::list(&server.db, &Default::default()).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"auth.totp_enabled".to_string()));
    server.stop().await;
}

async fn admin_audit_page_filters_and_links_csv(kind: Kind) {
    let server = TestServer::start(kind).await;
    server.token_for(email_of(Role::Researcher)).await; // an entry about an api_token, not a user
    let browser = server.browser();
    login(&server, &browser, email_of(Role::Admin), DEMO_PASSWORD).await;
    let page = browser.get(server.url("/admin/audit?object_type=user")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Käyttö- ja luovutusloki") && html.contains("ketju ehjä"), "integrity shown");
    assert!(html.contains("Tunnus luotiin") && !html.contains("API-avain luotiin"), "filtered, in Finnish: {html}");
    assert!(!html.contains(">user.create<"), "no raw event codes");
    let csv_link = html
        .split(r#"href="/api/v1/audit?format=csv"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSV link");
    assert!(csv_link.contains("object_type=user"), "CSV of the same filter: {csv_link}");
    let requester = server.browser();
    login(&server, &requester, email_of(Role::Requester), DEMO_PASSWORD).await;
    assert_eq!(requester.get(server.url("/admin/audit")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // Names instead of account ids, and pages of a hundred.
    let admin =
        tukiverkko_store::accounts::find_by_email(&server.db, &email_of(Role::Admin).parse().unwrap()).await.unwrap();
    for _ in 0..120 {
        let event = audit::AuditEvent::new(tukiverkko_domain::audit::AuditAction::AuditExported)
            .by(&audit::AuditActor::account(&admin, None, None))
            .object("audit_log", "probe");
        audit::record(&server.db, event).await.unwrap();
    }
    let first =
        browser.get(server.url("/admin/audit?object_type=audit_log")).send().await.unwrap().text().await.unwrap();
    assert!(
        first.contains(&format!(">{}<", admin.name)) && !first.contains(&format!(">{}<", admin.id)),
        "names, not ids"
    );
    assert!(first.contains(r#"rel="next""#) && !first.contains(r#"rel="prev""#), "a first page of many");
    let next = first.split(r#"rel="next""#).next().unwrap();
    let next = next[next.rfind(r#"href=""#).unwrap() + 6..].split('"').next().unwrap().replace("&#38;", "&");
    let second = browser.get(server.url(&next)).send().await.unwrap().text().await.unwrap();
    assert!(second.contains(r#"rel="prev""#), "{second}");
    let seqs = |html: &str| -> Vec<String> {
        html.split(r##"<td data-label="#">"##).skip(1).map(|c| c.split('<').next().unwrap().to_string()).collect()
    };
    let (a, b) = (seqs(&first), seqs(&second));
    assert_eq!(a.len(), 100);
    assert!(!b.is_empty() && b.iter().all(|s| !a.contains(s)), "the second page holds other entries");
    server.stop().await;
}

/// Profile edits and account changes carry the same actor as case moves:
/// account, role, client address and request id.
async fn profile_edits_and_account_changes_record_their_origin(kind: Kind) {
    let server = TestServer::start(kind).await;
    let client = reqwest::Client::new();
    let expert = server.token_for("asiantuntija@example.fi").await;
    let me: serde_json::Value =
        client.get(server.url("/api/v1/me")).bearer_auth(&expert).send().await.unwrap().json().await.unwrap();
    let account_id = me["id"].as_str().unwrap().to_string();
    let id = tukiverkko_store::experts::id_for_user(&server.db, &account_id).await.unwrap().unwrap();
    let profile: serde_json::Value = server.get_json(&format!("/api/v1/experts/{id}"), &expert).await;
    let mut edit = profile.clone();
    edit["bio"] = serde_json::json!("Uusi kuvaus.");
    for key in ["id", "external_id", "email"] {
        edit.as_object_mut().unwrap().remove(key);
    }
    let resp = client
        .put(server.url(&format!("/api/v1/experts/{id}")))
        .bearer_auth(&expert)
        .header("x-request-id", "edit-42")
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{}", resp.text().await.unwrap());
    let admin = server.token_for("yllapito@example.fi").await;
    let requester =
        tukiverkko_store::accounts::find_by_email(&server.db, &"pyytaja@example.fi".parse().unwrap()).await.unwrap();
    let resp = client
        .post(server.url(&format!("/api/v1/users/{}/disable", requester.id)))
        .bearer_auth(&admin)
        .header("x-request-id", "disable-7")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let entries = audit::list(&server.db, &audit::AuditFilter { limit: 1000, ..Default::default() }).await.unwrap();
    let edit = entries.iter().find(|e| e.action == "expert.update" && e.outcome == "ok").expect("the edit is audited");
    assert_eq!(
        (edit.actor_id.as_deref(), edit.actor_role.as_deref(), edit.client_ip.as_deref(), edit.request_id.as_deref()),
        (Some(account_id.as_str()), Some("expert"), Some("127.0.0.1"), Some("edit-42"))
    );
    let disable = entries.iter().find(|e| e.action == "user.disable").expect("the disable is audited");
    assert_eq!(
        (disable.actor_role.as_deref(), disable.client_ip.as_deref(), disable.request_id.as_deref()),
        (Some("admin"), Some("127.0.0.1"), Some("disable-7"))
    );
    server.stop().await;
}
