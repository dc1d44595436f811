//! The Barnahus rule over HTTP on both backends: police and prosecution
//! members of a panel see a case only once the coordinator has marked it for
//! Barnahus co-operation; every read path refuses them before, the page says
//! why, and the decision is a typed entry in the hash-chained audit log.

use crate::consultations::{Api, cast, request_body};
use crate::pages::Browser;
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::json;
use tukiverkko_domain::{CentreCode, Role};
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::audit::{self, AuditFilter, Verification};
use tukiverkko_store::{experts, on_db};

backends!(police_and_prosecution_see_a_case_only_after_the_barnahus_decision);

/// A Tampere expert account whose directory profile is in `sector`: its
/// token and profile id.
pub(crate) async fn expert_in_sector(server: &TestServer, email: &str, sector: &str) -> (String, String) {
    let user = NewUser {
        email: email.parse().unwrap(),
        name: "Paula Poliisi".into(),
        roles: vec![Role::Expert],
        centre: Some(CentreCode::Tampere),
        organization_id: None,
        password: Some(tukiverkko_store::demo::DEMO_PASSWORD.into()),
    };
    let account = accounts::create(&server.db, &user, &audit::AuditActor::system()).await.unwrap();
    let profile = experts::id_for_user(&server.db, &account.id).await.unwrap().unwrap();
    on_db!(&server.db, pool => sqlx::query("UPDATE experts SET sector = $1 WHERE id = $2")
        .bind(sector).bind(&profile).execute(pool).await.unwrap().rows_affected());
    (server.token_for(email).await, profile)
}

async fn outcomes_of(server: &TestServer, id: &str, action: &str) -> Vec<String> {
    let filter = AuditFilter { object_id: Some(id.to_string()), limit: 1000, ..Default::default() };
    audit::list(&server.db, &filter)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| e.outcome)
        .collect()
}

async fn police_and_prosecution_see_a_case_only_after_the_barnahus_decision(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let (police, police_profile) = expert_in_sector(&server, "poliisi@example.fi", "police").await;
    let (prosecutor, prosecutor_profile) = expert_in_sector(&server, "syyttaja@example.fi", "prosecution").await;

    let mut body = request_body();
    body["topics"] = json!(["child_sexual_abuse"]);
    let (_, case) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    let id = case["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/consultations/{id}");
    api.post(&cast.requester, &format!("{path}/submit"), json!({})).await;
    let panel =
        json!({"experts": [cast.expert_profile, police_profile, prosecutor_profile], "lead": cast.expert_profile});
    let (status, assigned) = api.post(&cast.coordinator, &format!("{path}/assignment"), panel).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["barnahus"], false);

    // Before the decision: every way into the case is refused with the reason.
    for token in [&police, &prosecutor] {
        let (status, problem) = api.get(token, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
        assert_eq!(problem["code"], "awaiting_barnahus");
        assert!(!problem.to_string().contains("kunniaan"), "no content in the refusal: {problem}");
        let (status, _) = api.get(token, &format!("{path}/outcomes")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "outcomes are case content too");
        let (status, _) = api.post(token, &format!("{path}/messages"), json!({"body": "Hei"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (_, list) = api.get(&police, "/api/v1/consultations").await;
    assert!(list["items"].as_array().unwrap().iter().any(|c| c["id"] == id.as_str()), "still on their list");
    let (status, _) = api.get(&cast.expert, &path).await;
    assert_eq!(status, StatusCode::OK, "the rest of the panel is not held back");
    let (status, _) = api.get(&cast.requester, &path).await;
    assert_eq!(status, StatusCode::OK);
    let refusals = outcomes_of(&server, &id, "consultation.read").await;
    assert_eq!(refusals.iter().filter(|o| *o == "awaiting_barnahus").count(), 2, "{refusals:?}");

    // The calendar keeps the rule too: no meeting of the case before the decision.
    assert_eq!(api.post(&cast.expert, &format!("{path}/accept"), json!({})).await.0, StatusCode::OK);
    let starts = crate::consultations::meeting_start().to_rfc3339();
    let meeting = json!({"starts_at": starts, "minutes": 60, "link": "https://meet.example.fi/barnahus-kokous"});
    let (status, created) = api.post(&cast.expert, &format!("{path}/meetings"), meeting).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let feed = |token: String| {
        let url = server.url("/api/v1/calendar.ics");
        async move { reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap().text().await.unwrap() }
    };
    assert!(feed(cast.expert.clone()).await.contains("barnahus-kokous"), "the rest of the panel sees it");
    assert!(!feed(police.clone()).await.contains("barnahus-kokous"), "police waits for the decision");

    let police_browser = Browser::login(&server, "poliisi@example.fi").await;
    let (status, html) = police_browser.get(&format!("/consultations/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("Tapaus odottaa Barnahus-päätöstä"), "{html}");
    assert!(html.contains(case["reference"].as_str().unwrap()));
    assert!(!html.contains("kunniaan liittyvän"), "no case content on the page");
    let (status, html) = police_browser.get(&format!("/consultations/{id}/print")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("Tapaus odottaa Barnahus-päätöstä"), "the print view says why too");

    // The coordinator's page offers the decision, names who waits, and needs confirming.
    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, html) = coordinator.get(&format!("/consultations/{id}")).await;
    assert!(html.contains("Merkitse Barnahus-yhteistyöksi"), "{html}");
    assert!(html.contains("näkee tapauksen Barnahus-päätöksen jälkeen"));
    let (_, current) = api.get(&cast.coordinator, &path).await;
    let version = current["version"].to_string();
    let act = format!("/consultations/{id}/act");
    let unconfirmed = coordinator.post(&act, &[("action", "barnahus"), ("version", &version)]).await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let marked_at: Option<i64> = on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT barnahus_at FROM consultations WHERE id = $1").bind(&id).fetch_one(pool).await.unwrap());
    assert_eq!(marked_at, None, "nothing marked without confirming");
    let (status, _) = api.post(&cast.expert, &format!("{path}/barnahus"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only coordinators decide");
    let (status, _) = api.post(&cast.other_coordinator, &format!("{path}/barnahus"), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not another centre's coordinator");

    let marked = coordinator.post(&act, &[("action", "barnahus"), ("confirm", "yes"), ("version", &version)]).await;
    assert_eq!(marked.status(), StatusCode::SEE_OTHER);
    let (marked_at, marked_by): (Option<i64>, Option<String>) = on_db!(&server.db, pool => sqlx::query_as(
        "SELECT barnahus_at, barnahus_by FROM consultations WHERE id = $1").bind(&id).fetch_one(pool).await.unwrap());
    let coordinator_id =
        accounts::find_by_email(&server.db, &"koordinaattori@example.fi".parse().unwrap()).await.unwrap().id;
    assert!(marked_at.is_some());
    assert_eq!(marked_by.as_deref(), Some(coordinator_id.as_str()));
    let entries =
        audit::list(&server.db, &AuditFilter { object_id: Some(id.clone()), limit: 1000, ..Default::default() })
            .await
            .unwrap();
    let decision: Vec<_> =
        entries.iter().filter(|e| e.action == "consultation.barnahus" && e.outcome == "ok").collect();
    assert_eq!(decision.len(), 1, "one decision in the trail");
    assert_eq!(decision[0].actor_id.as_deref(), Some(coordinator_id.as_str()));
    assert!(matches!(audit::verify(&server.db).await.unwrap(), Verification::Intact { .. }));
    let (status, _) = api.post(&cast.coordinator, &format!("{path}/barnahus"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "decided once");

    // After the decision: they see the case, and its history says so.
    for token in [&police, &prosecutor] {
        let (status, case) = api.get(token, &path).await;
        assert_eq!(status, StatusCode::OK, "{case}");
        assert_eq!(case["barnahus"], true);
        assert!(case["question"].as_str().unwrap().contains("kunniaan"));
        assert!(case["events"].as_array().unwrap().iter().any(|e| e["action"] == "barnahus"), "{case}");
    }
    let (status, html) = police_browser.get(&format!("/consultations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Merkitty Barnahus-yhteistyöksi"));
    assert!(feed(police.clone()).await.contains("barnahus-kokous"), "and the meeting is in their calendar");
    server.stop().await;
}
