//! How the catalogue meets the consultation service, over HTTP on both
//! backends: triage proposes routing by another centre's national
//! specialisation and the reroute records the reason; a request made
//! through a service goes to its centre with the due date its response
//! times promise; teams are found on the search page apart from people.

use crate::consultations::{Api, cast, request_body};
use crate::pages::{Browser, REQUEST};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::json;
use tukiverkko_domain::calendar;
use tukiverkko_store::on_db;

backends!(
    triage_proposes_routing_by_national_specialisation,
    a_request_through_a_service_follows_its_response_times,
    teams_are_listed_apart_from_people_on_the_search_page,
);

/// The demo Oulu Barnahus service (response 1, 3 and 10 working days) and
/// the Tampere honour-violence team and service.
const OULU_BARNAHUS_SERVICE: &str = "5e7c0000-0000-4000-8000-000000000003";
const TAMPERE_TEAM: &str = "7ea40000-0000-4000-8000-000000000001";
const TAMPERE_SERVICE: &str = "5e7c0000-0000-4000-8000-000000000001";

async fn triage_proposes_routing_by_national_specialisation(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    // Tampere holds the case (Pirkanmaa); Oulu specialises in child sexual
    // abuse, Tampere itself in honour-related violence.
    let mut body = request_body();
    body["topics"] = json!(["honour_violence", "child_sexual_abuse"]);
    let (_, case) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    let id = case["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/consultations/{id}");
    api.post(&cast.requester, &format!("{path}/submit"), json!({})).await;

    let (status, case) = api.get(&cast.coordinator, &path).await;
    assert_eq!(status, StatusCode::OK);
    let proposals = case["routing_proposals"].as_array().expect("proposals for the coordinator").clone();
    assert_eq!(proposals.len(), 1, "only another centre's specialty: {proposals:?}");
    assert_eq!(proposals[0]["centre"], "oulu");
    assert_eq!(proposals[0]["topic"], "child_sexual_abuse");
    let reason = proposals[0]["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("Barnahus-toiminnan valtakunnallinen kehittäminen"), "{reason}");
    let (_, as_requester) = api.get(&cast.requester, &path).await;
    assert!(as_requester.get("routing_proposals").is_none(), "only for who may reroute: {as_requester}");

    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, html) = coordinator.get(&format!("/consultations/{id}")).await;
    assert!(html.contains("Ehdotettu ohjaus valtakunnallisen erityisosaamisen mukaan"), "{html}");
    assert!(html.contains(r#"<input type="hidden" name="centre" value="oulu">"#));
    assert!(html.contains(&format!(r#"value="{reason}""#)), "the reason is pre-filled");
    assert!(html.contains("Ohjaa: Pohjois-Suomen OT-keskus"));

    let version = case["version"].to_string();
    let sent = coordinator
        .post(
            &format!("/consultations/{id}/act"),
            &[("action", "reroute"), ("centre", "oulu"), ("reason", &reason), ("version", &version)],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let (centre, note): (String, Option<String>) = on_db!(&server.db, pool => sqlx::query_as(
        "SELECT c.centre, e.note FROM consultations c JOIN consultation_events e ON e.consultation_id = c.id
         WHERE c.id = $1 AND e.action = 'reroute'").bind(&id).fetch_one(pool).await.unwrap());
    assert_eq!(centre, "oulu");
    assert_eq!(note.as_deref(), Some(format!("tampere → oulu: {reason}").as_str()), "the reroute keeps the reason");

    // At Oulu the proposal turns around: Tampere specialises in the other topic.
    let (_, at_oulu) = api.get(&cast.other_coordinator, &path).await;
    let back = at_oulu["routing_proposals"].as_array().unwrap();
    assert_eq!(back.len(), 1, "{at_oulu}");
    assert_eq!((back[0]["centre"].as_str(), back[0]["topic"].as_str()), (Some("tampere"), Some("honour_violence")));
    let (status, _) = api.get(&cast.coordinator, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no longer Tampere's case");
    server.stop().await;
}

fn working_days_from_today(days: u32) -> String {
    calendar::add_working_days(calendar::to_helsinki(tukiverkko_store::now()).date(), days).to_string()
}

async fn a_request_through_a_service_follows_its_response_times(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;

    let public = reqwest::Client::new().get(server.url(&format!("/services/{OULU_BARNAHUS_SERVICE}"))).send().await;
    let html = public.unwrap().text().await.unwrap();
    let ask = format!("/consultations/new?service={OULU_BARNAHUS_SERVICE}");
    assert!(html.contains(&format!(r#"href="{ask}""#)), "{html}");

    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let (status, form) = requester.get(&ask).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&format!(r#"name="service" value="{OULU_BARNAHUS_SERVICE}""#)), "{form}");
    assert!(form.contains(r#"value="child_sexual_abuse" checked"#), "the service's topics are ticked");
    assert!(form.contains("Barnahus-konsultaatio") && form.contains("Pohjois-Suomen OT-keskus"));

    let mut fields: Vec<(&str, &str)> = REQUEST.iter().filter(|(k, _)| *k != "topics").copied().collect();
    fields.extend([("topics", "child_sexual_abuse"), ("service", OULU_BARNAHUS_SERVICE), ("action", "submit")]);
    let sent = requester.post("/consultations", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", sent.text().await.unwrap());
    let (service, centre, due): (Option<String>, String, Option<String>) = on_db!(&server.db, pool => sqlx::query_as(
        "SELECT service_id, centre, due_date FROM consultations WHERE service_id IS NOT NULL")
        .fetch_one(pool).await.unwrap());
    assert_eq!(service.as_deref(), Some(OULU_BARNAHUS_SERVICE));
    assert_eq!(centre, "oulu", "the service's centre holds the case, not the county's");
    assert_eq!(due, Some(working_days_from_today(3)), "normal: the service's 3 working days");

    let mut body = request_body();
    body["urgency"] = json!("urgent");
    body["service"] = json!(OULU_BARNAHUS_SERVICE);
    let (status, case) = api.post(&cast.requester, "/api/v1/consultations", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["service"], OULU_BARNAHUS_SERVICE);
    assert_eq!(case["centre"], "oulu");
    let (_, submitted) = api
        .post(&cast.requester, &format!("/api/v1/consultations/{}/submit", case["id"].as_str().unwrap()), json!({}))
        .await;
    assert_eq!(submitted["due_date"], working_days_from_today(1).as_str(), "urgent: 1 working day");

    body["service"] = json!("no-such-service");
    let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "service");
    server.stop().await;
}

async fn teams_are_listed_apart_from_people_on_the_search_page(kind: Kind) {
    let server = TestServer::start(kind).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    // An inflected word the finder reads into the honour-violence concept.
    let (status, html) = requester.get("/experts?q=kunniav%C3%A4kivaltaan").await;
    assert_eq!(status, StatusCode::OK);
    let teams_at = html.find(r#"<h2 id="teams-heading">Tiimit</h2>"#).expect("a list of teams");
    let people_at = html.find(r#"id="results-heading""#).unwrap();
    assert!(people_at < teams_at, "people and teams apart");
    let teams = &html[teams_at..];
    assert!(teams.contains(&format!(r#"href="/teams/{TAMPERE_TEAM}""#)), "{teams}");
    assert!(!html[..teams_at].contains(&format!("/teams/{TAMPERE_TEAM}")), "not among the people");
    let (_, other) = requester.get("/experts?q=radikalisoituminen").await;
    assert!(!other.contains(&format!("/teams/{TAMPERE_TEAM}")), "a team that does not match is not listed");
    let (_, filtered) = requester.get("/experts?q=kunniav%C3%A4kivaltaan&centre=oulu").await;
    assert!(!filtered.contains(&format!("/teams/{TAMPERE_TEAM}")), "the centre filter applies to teams");

    // From the team's page a request starts through the service it answers.
    let (_, team) = requester.get(&format!("/teams/{TAMPERE_TEAM}")).await;
    assert!(team.contains(&format!(r#"href="/consultations/new?service={TAMPERE_SERVICE}""#)), "{team}");
    server.stop().await;
}
