//! Teams over HTTP on both backends: creating one, finding it by the
//! finder's query analysis, and assigning it to a case, where its members
//! join the panel, each can decline their part, and the team is named.

use crate::consultations::{Api, cast, submitted_case};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_store::on_db;

backends!(teams_are_created_by_coordinators_and_found_like_people, a_team_assigned_to_a_case_joins_the_panel);

async fn demo_expert(server: &TestServer, external: &str) -> String {
    on_db!(&server.db, pool => sqlx::query_scalar("SELECT id FROM experts WHERE external_id = $1")
        .bind(external).fetch_one(pool).await.unwrap())
}

async fn team_count(server: &TestServer) -> i64 {
    on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM teams").fetch_one(pool).await.unwrap())
}

async fn team_body(server: &TestServer, lead: &str) -> Value {
    json!({
        "name": "Syömishäiriötiimi",
        "kind": "consultation_group",
        "centre": "tampere",
        "counties": ["pirkanmaa", "kanta-hame"],
        "topics": ["eating_disorders"],
        "methods": ["mdft"],
        "members": [{"expert": demo_expert(server, "demo-020").await}, {"expert": lead, "lead": true}],
        "contact": "syomishairiotiimi@example.fi"
    })
}

async fn teams_are_created_by_coordinators_and_found_like_people(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let lead = demo_expert(&server, "demo-021").await;
    let (status, team) = api.post(&cast.coordinator, "/api/v1/teams", team_body(&server, &lead).await).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    assert_eq!(team["name"], json!({"fi": "Syömishäiriötiimi", "sv": "Syömishäiriötiimi", "en": "Syömishäiriötiimi"}));
    assert_eq!(team["lead"], lead.as_str());
    let id = team["id"].as_str().unwrap().to_string();

    // An inflected everyday phrase is read into the concept the team holds.
    let (status, found) =
        api.get(&cast.requester, "/api/v1/teams?q=nuori%20jolla%20on%20sy%C3%B6mish%C3%A4iri%C3%B6").await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["items"][0]["id"], id.as_str(), "{found}");
    assert!(found["interpretation"].as_array().unwrap().iter().any(|i| i["concept"] == "eating_disorders"));
    let (_, by_name) = api.get(&cast.requester, "/api/v1/teams?q=barnahus-tiimi").await;
    assert!(by_name["items"].as_array().unwrap().iter().any(|t| t["kind"] == "barnahus"), "{by_name}");
    let (_, filtered) = api.get(&cast.requester, "/api/v1/teams?centre=oulu&topic=eating_disorders").await;
    assert_eq!(filtered["total"], 0);
    let (_, all) = api.get(&cast.requester, "/api/v1/teams?limit=2").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert!(all["total"].as_i64().unwrap() >= 4);
    let (status, one) = api.get(&cast.requester, &format!("/api/v1/teams/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["members"].as_array().unwrap().len(), 2);
    let (status, _) = api.get(&cast.researcher, "/api/v1/teams").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "researchers do not search the directory");

    let (status, _) = api.post(&cast.other_coordinator, "/api/v1/teams", team_body(&server, &lead).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not for another centre");
    let before = team_count(&server).await;
    for (patch, field) in [
        (json!({"kind": "club"}), "kind"),
        (json!({"counties": ["atlantis"]}), "counties[0]"),
        (json!({"topics": ["eating_disorders", "nope"]}), "topics[1]"),
        (json!({"methods": ["eating_disorders"]}), "methods[0]"),
        (json!({"members": []}), "members"),
        (json!({"members": [{"expert": "00000000-0000-0000-0000-000000000000"}]}), "members[0].expert"),
        (json!({"members": [{"expert": lead, "lead": true}, {"expert": lead}]}), "members[1].expert"),
        (json!({"name": {"fi": "Tiimi 131052-308T"}}), "name.fi"),
    ] {
        let mut body = team_body(&server, &lead).await;
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, problem) = api.post(&cast.coordinator, "/api/v1/teams", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {problem}");
        assert_eq!(problem["field"], field, "{problem}");
    }
    assert_eq!(team_count(&server).await, before, "nothing refused is stored");

    let (browser, _) = server.signed_in_browser("pyytaja@example.fi").await;
    let page = browser.get(server.url(&format!("/teams/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Syömishäiriötiimi"));
    server.stop().await;
}

async fn a_team_assigned_to_a_case_joins_the_panel(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    // The demo honour-violence team of Tampere: the demo expert leads, the experience expert is a member.
    let (_, teams) = api.get(&cast.coordinator, "/api/v1/teams?q=kunniav%C3%A4kivalta&centre=tampere").await;
    let team = teams["items"][0].clone();
    assert_eq!(team["lead"], cast.expert_profile.as_str(), "{teams}");
    let team_id = team["id"].as_str().unwrap().to_string();
    let members: Vec<String> =
        team["members"].as_array().unwrap().iter().map(|m| m["expert"].as_str().unwrap().into()).collect();

    let id = submitted_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}");
    let (status, problem) =
        api.post(&cast.coordinator, &format!("{path}/assignment"), json!({"teams": ["nope"]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "teams");
    let (status, problem) =
        api.post(&cast.coordinator, &format!("{path}/assignment"), json!({"experts": [cast.expert_profile]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no lead and no team");
    assert_eq!(problem["field"], "lead");

    let (status, assigned) =
        api.post(&cast.coordinator, &format!("{path}/assignment"), json!({"teams": [team_id]})).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["status"], "assigned");
    assert_eq!(assigned["teams"][0]["id"], team_id.as_str());
    assert_eq!(assigned["teams"][0]["name"]["fi"], "Kunniaan liittyvän väkivallan osaamistiimi");

    let (_, case) = api.get(&cast.coordinator, &path).await;
    let panel: Vec<&str> = case["experts"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(panel.len(), members.len(), "every member joins: {case}");
    assert!(members.iter().all(|m| panel.contains(&m.as_str())));
    let lead = case["experts"].as_array().unwrap().iter().find(|e| e["lead"] == true).unwrap();
    assert_eq!(lead["id"], cast.expert_profile.as_str(), "the team's lead leads");
    assert_eq!(case["teams"][0]["id"], team_id.as_str());

    let (status, declined) =
        api.post(&cast.experience_expert, &format!("{path}/decline"), json!({"reason": "Esteellinen"})).await;
    assert_eq!(status, StatusCode::OK, "{declined}");
    let (_, case) = api.get(&cast.coordinator, &path).await;
    assert_eq!(case["status"], "assigned", "a member declining leaves the case with the lead");
    let states: Vec<(&str, &str)> = case["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e["state"].as_str().unwrap()))
        .collect();
    assert!(states.contains(&(cast.experience_profile.as_str(), "declined")), "{states:?}");
    server.stop().await;
}
