//! How the server answers: times, links, redirects, errors, conflicts,
//! origins, the trail of refusals and request ids.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_store::audit::{self, AuditFilter, Verification};
use tukiverkko_store::{experts, on_db};
use tukiverkko_web::ServerConfig;

use super::{edit, own_profile, put};
use crate::consultations::{Api, cast, request_body, submitted_case};
use crate::support::{Kind, TestServer};

backends!(
    meetings_stay_in_a_sane_window_and_links_cannot_inject,
    redirects_go_only_to_local_paths,
    every_error_is_problem_json,
    concurrent_assignments_with_the_version_read_never_both_succeed,
    csrf_origin_matches_the_public_url,
    refused_attempts_are_in_the_audit_trail,
    client_request_ids_are_bounded,
);

async fn meetings_stay_in_a_sane_window_and_links_cannot_inject(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = submitted_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}/meetings");
    let soon = crate::consultations::meeting_start().to_rfc3339();
    for (starts, link, field) in [
        ("9999-12-31T23:00:00Z", "https://meet.example.fi/a", "starts_at"),
        ("2100-01-01T10:00:00Z", "https://meet.example.fi/a", "starts_at"),
        ("2020-01-01T10:00:00Z", "https://meet.example.fi/a", "starts_at"),
        (soon.as_str(), "https://meet.example.fi/a\r\nATTENDEE:mailto:x@evil.example", "link"),
        (soon.as_str(), "https://meet.example.fi/a\nATTENDEE:mailto:x@evil.example", "link"),
        (soon.as_str(), "https://meet.example.fi/a\rATTENDEE:mailto:x@evil.example", "link"),
        (soon.as_str(), "https://meet.example.fi/a b", "link"),
        (soon.as_str(), "javascript:alert(1)", "link"),
        (soon.as_str(), "https://", "link"),
    ] {
        let (status, problem) =
            api.post(&cast.coordinator, &path, json!({"starts_at": starts, "minutes": 60, "link": link})).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{starts} {link:?}"
        );
    }
    // Whatever an earlier version stored still renders for every party.
    let t = tukiverkko_store::now();
    let author = tukiverkko_store::accounts::find_by_email(&server.db, &"koordinaattori@example.fi".parse().unwrap())
        .await
        .unwrap()
        .id;
    for (n, starts, link) in [
        (1, 253_402_297_200i64, "https://meet.example.fi/far"),
        (2, t + 3600, "https://x.fi/\r\nATTENDEE:mailto:x@evil.example"),
    ] {
        on_db!(&server.db, pool => sqlx::query(
            "INSERT INTO consultation_meetings (id, consultation_id, starts_at, minutes, link, created_by, created_at) VALUES ($1, $2, $3, 480, $4, $5, $6)")
            .bind(format!("old-{n}")).bind(&id).bind(starts).bind(link).bind(&author).bind(t).execute(pool).await.unwrap().rows_affected());
    }
    let (browser, _) = server.signed_in_browser("koordinaattori@example.fi").await;
    let page = browser.get(server.url(&format!("/consultations/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let (status, _) = api.get(&cast.requester, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for meeting in ["old-1", "old-2"] {
        let ics = api
            .client
            .get(server.url(&format!("{path}/{meeting}.ics")))
            .bearer_auth(&cast.requester)
            .send()
            .await
            .unwrap();
        assert_eq!(ics.status(), StatusCode::OK);
        let ics = ics.text().await.unwrap();
        assert!(!ics.contains("ATTENDEE") && !ics.contains("evil"), "{ics}");
        for line in ics.split("\r\n").filter(|l| l.starts_with("DTEND") || l.starts_with("DTSTART")) {
            assert!(
                line.len() == "DTSTART:20261203T080000Z".len() - (line.starts_with("DTEND") as usize * 2),
                "{line}"
            );
        }
    }
    let feed = api.client.get(server.url("/api/v1/calendar.ics")).bearer_auth(&cast.requester).send().await.unwrap();
    assert!(!feed.text().await.unwrap().contains("ATTENDEE"));
    server.stop().await;
}

async fn redirects_go_only_to_local_paths(kind: Kind) {
    let server = TestServer::start(kind).await;
    let browser = server.browser();
    for next in [
        "/%09/evil.example",
        "/%0A/evil.example",
        "/%0D%0A/x",
        "//evil.example",
        "/%5Cevil.example",
        "/\\evil.example",
        "https://evil.example",
        "/%00x",
    ] {
        let resp = browser.get(server.url(&format!("/lang/sv?next={next}"))).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(resp.headers()["location"], "/", "{next}");
    }
    let resp = browser.get(server.url("/lang/sv?next=/experts%3Fq%3Da")).send().await.unwrap();
    assert_eq!(resp.headers()["location"], "/experts?q=a");
    // The sign-in form carries `next` and follows only a local one.
    let page = browser.get(server.url("/login?next=/%09/evil.example")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    let form = [
        ("email", "pyytaja@example.fi"),
        ("password", tukiverkko_store::demo::DEMO_PASSWORD),
        ("csrf", &crate::support::csrf_field(&page)),
        ("next", "/\t/evil.example"),
    ];
    let resp = browser.post(server.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/");
    server.stop().await;
}

async fn every_error_is_problem_json(kind: Kind) {
    let server = TestServer::start(kind).await;
    let client = reqwest::Client::new();
    let token = server.token_for("pyytaja@example.fi").await;
    for (method, path, status, field) in [
        (reqwest::Method::GET, "/api/v1/experts?limit=-1", 422, Some("limit")),
        (reqwest::Method::GET, "/api/v1/experts?limit=abc", 422, Some("limit")),
        (reqwest::Method::GET, "/api/v1/experts?offset=-5", 422, Some("offset")),
        (reqwest::Method::GET, "/api/v1/experts?limit=1000", 422, Some("limit")),
        (reqwest::Method::GET, "/api/v1/consultations?status=nonsense", 422, None),
        (reqwest::Method::DELETE, "/api/v1/experts", 405, None),
        (reqwest::Method::PATCH, "/api/v1/consultations", 405, None),
        (reqwest::Method::GET, "/api/v1/nothing-here", 404, None),
    ] {
        let resp = client.request(method.clone(), server.url(path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), status, "{method} {path}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json", "{method} {path}");
        let problem: Value = resp.json().await.unwrap();
        assert_eq!(problem["status"], status);
        if let Some(field) = field {
            assert_eq!(problem["field"], field, "{path}");
        }
    }
    // Page routes answer the error page in the user's language.
    let (browser, _) = server.signed_in_browser("pyytaja@example.fi").await;
    let resp = browser.delete(server.url("/experts")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let resp = browser.get(server.url("/experts?limit=abc")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("Tarkista"));
    server.stop().await;
}

async fn concurrent_assignments_with_the_version_read_never_both_succeed(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    for round in 0..4 {
        let id = submitted_case(&api, &cast).await;
        let (_, case) = api.get(&cast.coordinator, &format!("/api/v1/consultations/{id}")).await;
        let version = case["version"].as_i64().expect("the case carries its version");
        let path = format!("/api/v1/consultations/{id}/assignment");
        let one = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile, "version": version});
        let two = json!({"experts": [cast.experience_profile], "lead": cast.experience_profile, "version": version});
        let (a, b) = tokio::join!(api.post(&cast.coordinator, &path, one), api.post(&cast.coordinator, &path, two));
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "round {round}: {} / {}", a.1, b.1);
        let (_, after) = api.get(&cast.coordinator, &format!("/api/v1/consultations/{id}")).await;
        assert_eq!(after["experts"].as_array().unwrap().len(), 1, "only the winner's panel is stored");
        assert_eq!(after["version"].as_i64(), Some(version + 1));
        // A stale version on any move is a conflict too.
        let (status, _) = api
            .post(
                &cast.requester,
                &format!("/api/v1/consultations/{id}/cancel"),
                json!({"reason": "x", "version": version}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    server.stop().await;
}

async fn csrf_origin_matches_the_public_url(kind: Kind) {
    let config = ServerConfig { public_url: Some("https://tukiverkko.example.fi".into()), ..ServerConfig::default() };
    let server = TestServer::start_with(kind, config, true).await;
    for (origin, expected) in [
        ("https://tukiverkko.example.fi", StatusCode::SEE_OTHER),
        ("https://TUKIVERKKO.example.fi", StatusCode::SEE_OTHER),
        ("https://evil.example", StatusCode::FORBIDDEN),
        ("http://tukiverkko.example.fi", StatusCode::FORBIDDEN),
        ("null", StatusCode::FORBIDDEN),
    ] {
        let browser = server.browser();
        let page = browser.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
        let form = [
            ("email", "pyytaja@example.fi"),
            ("password", tukiverkko_store::demo::DEMO_PASSWORD),
            ("csrf", &crate::support::csrf_field(&page)),
        ];
        let resp = browser.post(server.url("/login")).header("origin", origin).form(&form).send().await.unwrap();
        assert_eq!(resp.status(), expected, "{origin}");
    }
    server.stop().await;
}

async fn refused_attempts_are_in_the_audit_trail(kind: Kind) {
    let config = ServerConfig { login_attempts_per_minute: 2, ..ServerConfig::default() };
    let server = TestServer::start_with(kind, config, true).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = submitted_case(&api, &cast).await;
    let entries = |action: &'static str| {
        let db = server.db.clone();
        async move {
            let filter = AuditFilter { limit: 10_000, ..Default::default() };
            audit::list(&db, &filter).await.unwrap().into_iter().filter(|e| e.action == action).collect::<Vec<_>>()
        }
    };
    // A capability refusal on a case route.
    let (status, _) = api.get(&cast.researcher, &format!("/api/v1/consultations/{id}/suggested-experts")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let denied = entries("access.denied").await;
    assert!(
        denied.iter().any(|e| e.object_id.as_deref().is_some_and(|o| o.contains(&id)) && e.outcome == "denied"),
        "{denied:?}"
    );
    // A case id that does not exist, and one out of scope.
    let (status, _) = api.get(&cast.requester, "/api/v1/consultations/no-such-case").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let reads = entries("consultation.read").await;
    assert!(reads.iter().any(|e| e.object_id.as_deref() == Some("no-such-case") && e.outcome == "not_found"));
    let (status, _) = api.get(&cast.other_requester, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        entries("consultation.read")
            .await
            .iter()
            .any(|e| e.object_id.as_deref() == Some(id.as_str()) && e.outcome == "denied")
    );
    // A refused profile edit.
    let profile = own_profile(&server, "asiantuntija@example.fi").await;
    let version = experts::find(&server.db, &profile).await.unwrap().version;
    let (status, _) = put(&api, &cast.experience_expert, &format!("/api/v1/experts/{profile}"), edit(version)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        entries("expert.update")
            .await
            .iter()
            .any(|e| e.object_id.as_deref() == Some(profile.as_str()) && e.outcome == "denied")
    );
    // Failed and throttled sign-ins name the account tried, never the password.
    let browser = server.browser();
    for _ in 0..4 {
        let page = browser.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
        let form = [
            ("email", "pyytaja@example.fi"),
            ("password", "väärä-salasana-123"),
            ("csrf", &crate::support::csrf_field(&page)),
        ];
        browser.post(server.url("/login")).form(&form).send().await.unwrap();
    }
    let failed = entries("auth.login_failed").await;
    assert!(
        failed.iter().any(|e| e.outcome == "denied" && e.object_id.as_deref() == Some("pyytaja@example.fi")),
        "{failed:?}"
    );
    assert!(
        failed.iter().any(|e| e.outcome == "rate_limited" && e.object_id.as_deref() == Some("pyytaja@example.fi")),
        "{failed:?}"
    );
    let all = audit::list(&server.db, &AuditFilter { limit: 10_000, ..Default::default() }).await.unwrap();
    assert!(all.iter().all(|e| !format!("{e:?}").contains("väärä-salasana")));
    // Probing cannot flood the trail: refusals are recorded at a bounded rate
    // per clock minute. The probes may straddle a minute's end, so they are
    // more than two minutes' allowance and each minute is checked on its own.
    let sent = 2 * audit::REFUSALS_PER_MINUTE as usize + 10;
    for n in 0..sent {
        api.get(&cast.other_requester, &format!("/api/v1/consultations/probe-{n}")).await;
    }
    let recorded: Vec<_> = entries("consultation.read")
        .await
        .into_iter()
        .filter(|e| e.object_id.as_deref().is_some_and(|o| o.starts_with("probe-")))
        .collect();
    let probes = recorded.len();
    let mut per_minute = std::collections::BTreeMap::<i64, usize>::new();
    for e in &recorded {
        *per_minute.entry(e.at / 60).or_default() += 1;
    }
    assert!(per_minute.values().all(|n| *n <= audit::REFUSALS_PER_MINUTE as usize), "{per_minute:?}");
    assert!(probes > 0 && probes < sent, "{probes} of {sent}");
    assert_eq!(
        audit::verify(&server.db).await.unwrap(),
        Verification::Intact { entries: all.len() as i64 + probes as i64 }
    );
    server.stop().await;
}

async fn client_request_ids_are_bounded(kind: Kind) {
    let server = TestServer::start(kind).await;
    let client = reqwest::Client::new();
    let long = "r".repeat(500);
    for (sent, kept) in [("plain-id_1.2:3", true), (long.as_str(), false), ("has space", false), ("ä-umlaut", false)] {
        let resp = client.get(server.url("/healthz")).header("x-request-id", sent).send().await.unwrap();
        let echoed = resp.headers()["x-request-id"].to_str().unwrap().to_string();
        assert_eq!(echoed == sent, kept, "{sent:?} → {echoed}");
        assert!(echoed.len() <= 64);
    }
    let token = server.token_for("pyytaja@example.fi").await;
    let resp = client
        .post(server.url("/api/v1/consultations"))
        .bearer_auth(&token)
        .header("x-request-id", long.as_str())
        .json(&request_body())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let all = audit::list(&server.db, &AuditFilter { limit: 10_000, ..Default::default() }).await.unwrap();
    assert!(all.iter().all(|e| e.request_id.as_deref().is_none_or(|r| r.len() <= 64)));
    server.stop().await;
}
