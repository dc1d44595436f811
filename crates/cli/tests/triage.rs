//! Triage in the browser: a coordinator assigns anyone from the directory,
//! not only the suggestions, replaces a declined part, and the history names
//! people instead of ids.

use reqwest::StatusCode;
use serde_json::json;
use tukiverkko_domain::{CentreCode, Role};
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::{audit::AuditActor, experts};

use crate::consultations::{Api, cast, submitted_case};
use crate::pages::Browser;
use crate::support::{Kind, TestServer};

/// An expert in another centre with no topics: never among the suggestions.
async fn outsider(server: &TestServer) -> String {
    let user = NewUser {
        email: "zacharias.ohman@example.fi".parse().unwrap(),
        name: "Zacharias Öhman".into(),
        roles: vec![Role::Expert],
        centre: Some(CentreCode::Oulu),
        organization_id: None,
        password: None,
    };
    let account = accounts::create(&server.db, &user, &AuditActor::system()).await.unwrap();
    experts::id_for_user(&server.db, &account.id).await.unwrap().unwrap()
}

backends!(
    coordinators_assign_anyone_from_the_directory_and_replace_a_declined_part,
    a_request_started_from_a_profile_proposes_that_expert,
    a_new_assignment_keeps_the_parts_already_accepted,
);

async fn coordinators_assign_anyone_from_the_directory_and_replace_a_declined_part(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let outsider = outsider(&server).await;
    let id = submitted_case(&api, &cast).await;
    let (_, suggested) = api.get(&cast.coordinator, &format!("/api/v1/consultations/{id}/suggested-experts")).await;
    assert!(
        !suggested["items"].as_array().unwrap().iter().any(|s| s["id"] == outsider.as_str()),
        "a profile without topics in another centre is not suggested"
    );

    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (status, html) = coordinator.get(&format!("/consultations/{id}?find=%C3%96hman")).await;
    assert_eq!(status, StatusCode::OK);
    let row = &html[html.find(r#"<tr class="found">"#).expect("a directory match")..];
    assert!(row[..row.find("</tr>").unwrap()].contains(&format!(r#"value="{outsider}""#)), "{row}");
    let (_, html) = coordinator.get(&format!("/consultations/{id}?find=xyzzyqq")).await;
    assert!(html.contains("Haulla ei löytynyt asiantuntijoita."));

    let case_path = format!("/consultations/{id}/act");
    let assigned = coordinator
        .post(
            &case_path,
            &[
                ("action", "assign"),
                ("experts", &cast.expert_profile),
                ("experts", &outsider),
                ("lead", &cast.expert_profile),
            ],
        )
        .await;
    assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
    let (_, case) = api.get(&cast.coordinator, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(case["status"], "assigned");

    // The lead declines: the case goes back to the queue with the rest of the panel.
    let (status, _) =
        api.post(&cast.expert, &format!("/api/v1/consultations/{id}/decline"), json!({"reason": "Esteellinen"})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, html) = coordinator.get(&format!("/consultations/{id}")).await;
    let tag = &html[..html.find(&format!(r#"id="x-{outsider}""#)).expect("the panel member is offered")];
    let tag = &html[tag.rfind("<input").unwrap()..];
    assert!(tag[..tag.find('>').unwrap()].contains("checked"), "the remaining member is ticked: {tag}");
    let replaced =
        coordinator.post(&case_path, &[("action", "assign"), ("experts", &outsider), ("lead", &outsider)]).await;
    assert_eq!(replaced.status(), StatusCode::SEE_OTHER);
    let (_, case) = api.get(&cast.coordinator, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(case["status"], "assigned");

    let (_, html) = coordinator.get(&format!("/consultations/{id}")).await;
    let history = &html[html.find(r#"<ol class="timeline">"#).unwrap()..];
    let history = &history[..history.find("</ol>").unwrap()];
    let expert = experts::find(&server.db, &cast.expert_profile).await.unwrap();
    let expert_name = format!("{} {}", expert.given_name, expert.family_name);
    assert!(history.contains(&format!("vastuuasiantuntija {expert_name}, työryhmä: Zacharias Öhman")), "{history}");
    assert!(history.contains("vastuuasiantuntija Zacharias Öhman"), "{history}");
    assert!(!history.contains(&outsider) && !history.contains(&cast.expert_profile), "no raw ids: {history}");
    let coordinator_name =
        accounts::find_by_email(&server.db, &"koordinaattori@example.fi".parse().unwrap()).await.unwrap().name;
    assert!(history.contains(&format!("Asiantuntijat nimettiin, {coordinator_name}")), "who did it: {history}");
    server.stop().await;
}

async fn a_request_started_from_a_profile_proposes_that_expert(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let proposed = outsider(&server).await;

    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let (_, profile) = requester.get(&format!("/experts/{proposed}")).await;
    let ask = format!("/consultations/new?expert={proposed}");
    assert!(profile.contains(&format!(r#"href="{ask}""#)), "{profile}");
    let (_, form) = requester.get(&ask).await;
    assert!(form.contains("Ehdotat vastaajaksi asiantuntijaa Zacharias Öhman."), "{form}");
    let mut fields = crate::pages::REQUEST.to_vec();
    fields.push(("proposed_expert", &proposed));
    fields.push(("proposed_name", "Zacharias Öhman"));
    fields.push(("action", "submit"));
    let created = requester.post("/consultations", &fields).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let case_path = created.headers()["location"].to_str().unwrap().to_string();

    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, html) = coordinator.get(&case_path).await;
    let table = &html[html.find(r#"<table class="suggestions">"#).unwrap()..];
    let body = &table[table.find("<tbody>").unwrap()..];
    let first_row = &body[..body.find("</tr>").unwrap()];
    assert!(first_row.contains(&proposed) && first_row.contains("Pyytäjän ehdottama"), "{first_row}");

    // In the browser the form comes back with what was typed.
    let mut bogus = crate::pages::REQUEST.to_vec();
    bogus.push(("proposed_expert", "no-such-expert"));
    bogus.push(("proposed_name", "Ei Ketään"));
    let kept = requester.post("/consultations", &bogus).await;
    assert_eq!(kept.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = kept.text().await.unwrap();
    assert!(html.contains(r#"id="error-summary""#) && html.contains("pitkittynyt huoltoriita"), "{html}");

    let mut body = crate::consultations::request_body();
    body["proposed_expert"] = json!("no-such-expert");
    let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "proposed_expert");
    let count: i64 = tukiverkko_store::on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations").fetch_one(pool).await.unwrap());
    assert_eq!(count, 1, "the refused request stored nothing");
    server.stop().await;
}

async fn a_new_assignment_keeps_the_parts_already_accepted(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = crate::consultations::assigned_case(&api, &cast).await;
    let (status, _) = api.post(&cast.expert, &format!("/api/v1/consultations/{id}/accept"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let bigger = json!({"experts": [cast.expert_profile, cast.experience_profile], "lead": cast.expert_profile});
    let (status, case) = api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/assignment"), bigger).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let (_, case) = api.get(&cast.coordinator, &format!("/api/v1/consultations/{id}")).await;
    let state_of = |profile: &str| {
        case["experts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == profile || e["expert_id"] == profile)
            .map(|e| e["state"].clone())
    };
    assert_eq!(state_of(&cast.expert_profile), Some(json!("accepted")), "{case}");
    assert_eq!(state_of(&cast.experience_profile), Some(json!("assigned")));
    let assigned_notes: i64 = tukiverkko_store::on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications n JOIN experts x ON x.user_id = n.user_id WHERE x.id = $1 AND n.kind = 'consultation_assigned'")
        .bind(&cast.expert_profile).fetch_one(pool).await.unwrap());
    assert_eq!(assigned_notes, 1, "the expert who stays is not told again");
    server.stop().await;
}
