//! Retention as an operator runs it: a dry run lists what would go and
//! changes nothing; the run removes the content of cases finished longer
//! ago than the retention period, keeps their statistics and the audit
//! trail of who read them, and leaves every other case alone. A person's
//! own data export holds their account, profile and the cases they asked.

use reqwest::StatusCode;
use serde_json::json;
use tukiverkko_store::on_db;

use crate::cli::{run, text, tukiverkko};
use crate::consultations::{Api, cast, request_body};
use crate::support::{Kind, TestServer};

backends!(retention_removes_old_content_and_keeps_the_trail, a_person_exports_their_own_data);

async fn closed_case(api: &Api<'_>, cast: &crate::consultations::Cast) -> String {
    let (status, case) = api.post(&cast.requester, "/api/v1/consultations", request_body()).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = case["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/consultations/{id}");
    assert_eq!(api.post(&cast.requester, &format!("{path}/submit"), json!({})).await.0, StatusCode::OK);
    let panel = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
    assert_eq!(api.post(&cast.coordinator, &format!("{path}/assignment"), panel).await.0, StatusCode::OK);
    let message = json!({"body": "Tapaamme koulun kanssa ensi viikolla."});
    assert_eq!(api.post(&cast.expert, &format!("{path}/messages"), message).await.0, StatusCode::CREATED);
    let statement = json!({"assessment": "Perheen tilanne on vakava.", "recommendations": "Verkostopalaveri."});
    assert_eq!(api.post(&cast.expert, &format!("{path}/statement"), statement).await.0, StatusCode::OK);
    let gas = json!({"instrument": "gas", "measured_on": "2026-09-01",
                     "goals": [{"weight": 1, "level": -1, "description": "Koulunkäynti sujuu"}]});
    assert_eq!(api.post(&cast.expert, &format!("{path}/outcomes"), gas).await.0, StatusCode::CREATED);
    let feedback = json!({"usefulness": 5, "referral": "avoided", "comment": "Hyvä apu."});
    assert_eq!(api.post(&cast.requester, &format!("{path}/feedback"), feedback).await.0, StatusCode::OK);
    id
}

async fn retention_removes_old_content_and_keeps_the_trail(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let old = closed_case(&api, &cast).await;
    let recent = closed_case(&api, &cast).await;
    let (status, open) = api.post(&cast.requester, "/api/v1/consultations", request_body()).await;
    assert_eq!(status, StatusCode::CREATED);
    let open = open["id"].as_str().unwrap().to_string();
    // The old case finished six years ago.
    let six_years_ago = tukiverkko_store::now() - 6 * 366 * 86_400;
    on_db!(&server.db, pool => sqlx::query("UPDATE consultations SET updated_at = $1 WHERE id = $2")
        .bind(six_years_ago).bind(&old).execute(pool).await.unwrap().rows_affected());
    let (_, old_reference) = api.get(&cast.requester, &format!("/api/v1/consultations/{old}")).await;
    let old_reference = old_reference["reference"].as_str().unwrap().to_string();
    let reads_before: i64 = on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'consultation.read'")
        .bind(&old).fetch_one(pool).await.unwrap());
    let (_, statistics_before) = api.get(&cast.researcher, "/api/v1/statistics/service").await;

    let dry = run(tukiverkko(&server.database.url).args(["retention", "run", "--dry-run"]), "");
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let listed = text(&dry.stdout);
    assert!(listed.contains(&old_reference) && listed.contains("1 consultations"), "{listed}");
    let (_, still) = api.get(&cast.requester, &format!("/api/v1/consultations/{old}")).await;
    assert!(!still["question"].as_str().unwrap().is_empty(), "a dry run changes nothing");

    let bad = run(tukiverkko(&server.database.url).args(["retention", "run", "--years", "0"]), "");
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));

    let done = run(tukiverkko(&server.database.url).args(["retention", "run"]), "");
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(text(&done.stdout).contains("content removed from 1 consultations"), "{}", text(&done.stdout));

    let (status, gone) = api.get(&cast.requester, &format!("/api/v1/consultations/{old}")).await;
    assert_eq!(status, StatusCode::OK, "the case itself stays: {gone}");
    assert_eq!(gone["question"], "");
    assert_eq!(gone["statement"]["assessment"], "", "{gone}");
    assert_eq!(gone["messages"].as_array().map(Vec::len).unwrap_or(0), 0, "{gone}");
    let (_, outcomes) = api.get(&cast.requester, &format!("/api/v1/consultations/{old}/outcomes")).await;
    assert!(!outcomes.to_string().contains("Koulunkäynti"), "goal descriptions go: {outcomes}");
    for id in [&recent, &open] {
        let (_, kept) = api.get(&cast.requester, &format!("/api/v1/consultations/{id}")).await;
        assert!(!kept["question"].as_str().unwrap().is_empty(), "{id} is untouched");
    }
    let (removed, reads_after): (i64, i64) = on_db!(&server.db, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'consultation.content_removed'),
                (SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'consultation.read')")
        .bind(&old).fetch_one(pool).await.unwrap());
    assert_eq!(removed, 1, "the removal is audited");
    assert!(reads_after > reads_before, "who read the case stays in the trail (the reads above added to it)");
    let (_, statistics_after) = api.get(&cast.researcher, "/api/v1/statistics/service").await;
    assert_eq!(statistics_after, statistics_before, "the statistics stay");
    let page = server.browser().get(server.url(&format!("/consultations/{old}"))).send().await.unwrap();
    assert_ne!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);

    let again = run(tukiverkko(&server.database.url).args(["retention", "run"]), "");
    assert!(text(&again.stdout).contains("content removed from 0 consultations"), "{}", text(&again.stdout));
    let verify = run(tukiverkko(&server.database.url).args(["audit", "verify"]), "");
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    server.stop().await;
}

async fn a_person_exports_their_own_data(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let first = closed_case(&api, &cast).await;
    let (status, draft) = api.post(&cast.requester, "/api/v1/consultations", request_body()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, someone_elses) = api.post(&cast.other_requester, "/api/v1/consultations", request_body()).await;

    let (status, export) = api.get(&cast.requester, "/api/v1/me/export").await;
    assert_eq!(status, StatusCode::OK, "{export}");
    assert_eq!(export["account"]["email"], "pyytaja@example.fi");
    let mut ids: Vec<&str> =
        export["consultations"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    let mut theirs = vec![first.as_str(), draft["id"].as_str().unwrap()];
    ids.sort_unstable();
    theirs.sort_unstable();
    assert_eq!(ids, theirs, "their cases, the sent one and the draft");
    assert!(!export.to_string().contains(someone_elses["id"].as_str().unwrap()), "nobody else's case");
    let sent = export["consultations"].as_array().unwrap().iter().find(|c| c["id"] == first.as_str()).unwrap();
    assert_eq!(sent["statement"]["assessment"], "Perheen tilanne on vakava.");
    let reads: i64 = on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'consultation.read' AND actor_id IS NOT NULL")
        .bind(&first).fetch_one(pool).await.unwrap());
    assert!(reads >= 1, "the export's reads are audited like any read");

    let (status, expert) = api.get(&cast.expert, "/api/v1/me/export").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(expert["profile"]["id"], cast.expert_profile.as_str(), "an expert's export holds their profile");
    assert_eq!(expert["consultations"].as_array().unwrap().len(), 0, "cases they answered are not theirs as a person");
    let anonymous = reqwest::get(server.url("/api/v1/me/export")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}
