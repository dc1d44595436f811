//! Outcome measurements and the eConsult close-out over HTTP, on both
//! backends: recorded twice and read back in time order with the change,
//! held to the case's access rule and audit, and refused whole when bad.

use crate::consultations::{Api, assigned_case, cast, submitted_case};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_store::on_db;

backends!(
    an_expert_records_gas_and_honosca_twice_and_sees_the_change,
    outcomes_follow_the_case_access_rule_and_are_audited,
    bad_measurements_are_refused_naming_the_field_and_nothing_is_stored,
    feedback_records_what_the_answer_did_and_its_effect_on_referral,
);

fn gas(on: &str, levels: &[i64]) -> Value {
    json!({"instrument": "gas", "measured_on": on,
           "goals": levels.iter().map(|l| json!({"weight": 1, "level": l, "description": "Koulunkäynti sujuu"})).collect::<Vec<_>>()})
}

async fn an_expert_records_gas_and_honosca_twice_and_sees_the_change(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = assigned_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}/outcomes");

    // Two goals at −1 each, then +1 and 0: T = 50 + 10·Σwx / √(0.7·Σw² + 0.3·(Σw)²) with Σw² = 2, (Σw)² = 4.
    let (status, first) = api.post(&cast.expert, &path, gas("2026-09-01", &[-1, -1])).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["t_score"], json!(37.597));
    let (status, second) = api.post(&cast.requester, &path, gas("2026-11-01", &[1, 0])).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["t_score"], json!(56.202));

    // HoNOSCA: items 1–13 summed without the not-known (9) ones; items 14–15 do not count.
    let mut items = vec![2, 3, 1, 0, 9, 2, 2, 1, 0, 4, 1, 9, 1, 3, 3];
    let (status, h1) = api
        .post(&cast.expert, &path, json!({"instrument": "honosca", "measured_on": "2026-09-02", "items": items}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{h1}");
    assert_eq!((h1["total"].clone(), h1["rated"].clone()), (json!(17), json!(11)));
    items[1] = 1;
    items[9] = 2;
    let (_, h2) = api
        .post(&cast.expert, &path, json!({"instrument": "honosca", "measured_on": "2026-11-02", "items": items}))
        .await;
    assert_eq!(h2["total"], json!(13));

    let (status, list) = api.get(&cast.expert, &path).await;
    assert_eq!(status, StatusCode::OK);
    let order: Vec<(&str, &str)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["instrument"].as_str().unwrap(), o["measured_on"].as_str().unwrap()))
        .collect();
    assert_eq!(
        order,
        [("gas", "2026-09-01"), ("honosca", "2026-09-02"), ("gas", "2026-11-01"), ("honosca", "2026-11-02")]
    );
    assert_eq!(list["items"][0]["goals"][0]["description"], "Koulunkäynti sujuu");

    // The case page shows each instrument's course: a chart and a table with the change.
    let (browser, _) = server.signed_in_browser("asiantuntija@example.fi").await;
    let html = browser.get(server.url(&format!("/consultations/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<svg"), "a chart is drawn");
    for figure in ["37,597", "56,202", "+18,605", "17", "13", "−4"] {
        assert!(html.contains(figure), "the page shows {figure}");
    }
    server.stop().await;
}

async fn outcomes_follow_the_case_access_rule_and_are_audited(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = assigned_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}/outcomes");
    let cgas = json!({"instrument": "cgas", "measured_on": "2026-10-01", "score": 55});

    for outsider in [&cast.other_requester, &cast.researcher, &cast.other_coordinator] {
        assert_eq!(api.post(outsider, &path, cgas.clone()).await.0, StatusCode::NOT_FOUND);
        assert_eq!(api.get(outsider, &path).await.0, StatusCode::NOT_FOUND);
    }
    // The coordinator may read the case, but measuring is the requester's and the experts' work.
    assert_eq!(api.post(&cast.coordinator, &path, cgas.clone()).await.0, StatusCode::FORBIDDEN);
    let (status, created) = api.post(&cast.expert, &path, cgas.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!((created["score"].clone(), created["band"].clone()), (json!(55), json!("51-60")));
    let (status, list) = api.get(&cast.coordinator, &path).await;
    assert_eq!((status, list["total"].clone()), (StatusCode::OK, json!(1)));

    // A draft takes no measurements.
    let (_, draft) = api.post(&cast.requester, "/api/v1/consultations", crate::consultations::request_body()).await;
    let draft_path = format!("/api/v1/consultations/{}/outcomes", draft["id"].as_str().unwrap());
    assert_eq!(api.post(&cast.requester, &draft_path, cgas).await.0, StatusCode::CONFLICT);

    let actions: Vec<String> = on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE object_id = $1 AND outcome = 'ok' AND action LIKE 'consultation.outcome%' ORDER BY seq")
        .bind(&id).fetch_all(pool).await.unwrap());
    assert_eq!(actions, ["consultation.outcome", "consultation.outcomes_read"]);
    let refused: i64 = on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND outcome <> 'ok' AND action LIKE 'consultation.outcome%'")
        .bind(&id).fetch_one(pool).await.unwrap());
    assert!(refused >= 6, "refused attempts are recorded too: {refused}");
    server.stop().await;
}

async fn bad_measurements_are_refused_naming_the_field_and_nothing_is_stored(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = submitted_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}/outcomes");
    let cases = [
        (
            json!({"instrument": "gas", "measured_on": "2026-10-01", "goals": [{"weight": 1, "level": 3}]}),
            "goals.0.level",
        ),
        (
            json!({"instrument": "gas", "measured_on": "2026-10-01", "goals": [{"weight": -1, "level": 0}]}),
            "goals.0.weight",
        ),
        (json!({"instrument": "gas", "measured_on": "2026-10-01", "goals": []}), "goals"),
        (
            json!({"instrument": "gas", "measured_on": "2026-10-01", "goals": [{"weight": 1, "level": 0, "description": "Liisa 131052-308T"}]}),
            "goals.0.description",
        ),
        (json!({"instrument": "cgas", "measured_on": "2026-10-01", "score": 0}), "score"),
        (json!({"instrument": "cgas", "measured_on": "2026-10-01"}), "score"),
        (json!({"instrument": "honosca", "measured_on": "2026-10-01", "items": [0, 1, 2]}), "items"),
        (json!({"instrument": "honosca", "measured_on": "2026-10-01", "items": vec![5; 15]}), "items"),
        (json!({"instrument": "sdq", "measured_on": "2026-10-01", "informant": "parent", "total": 41}), "total"),
        (json!({"instrument": "sdq", "measured_on": "2026-10-01", "informant": "uncle", "total": 10}), "informant"),
        (json!({"instrument": "sdq", "measured_on": "2099-01-01", "informant": "self", "total": 10}), "measured_on"),
        (json!({"instrument": "sdq", "measured_on": "1.10.2026", "informant": "self", "total": 10}), "measured_on"),
        (json!({"instrument": "mood", "measured_on": "2026-10-01"}), "instrument"),
    ];
    for (body, field) in cases {
        let (status, problem) = api.post(&cast.requester, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {problem}");
        assert_eq!(problem["field"], field, "{body}");
    }
    let stored: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultation_outcomes")
        .fetch_one(pool).await.unwrap());
    assert_eq!(stored, 0);
    // SDQ keeps scores only, with the informant.
    let sdq = json!({"instrument": "sdq", "measured_on": "2026-10-01", "informant": "teacher", "total": 18,
                     "emotional": 5, "conduct": 4, "hyperactivity": 6, "peer": 3, "prosocial": 7, "impact": 2});
    let (status, created) = api.post(&cast.requester, &path, sdq).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!((created["total"].clone(), created["sdq"]["informant"].clone()), (json!(18), json!("teacher")));
    server.stop().await;
}

async fn feedback_records_what_the_answer_did_and_its_effect_on_referral(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = assigned_case(&api, &cast).await;
    let statement = json!({"assessment": "Arvio.", "recommendations": "Suositus."});
    let (status, _) = api.post(&cast.expert, &format!("/api/v1/consultations/{id}/statement"), statement).await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/api/v1/consultations/{id}/feedback");
    for (body, field) in [
        (json!({"usefulness": 4, "outcome": "great"}), "outcome"),
        (json!({"usefulness": 4, "referral": "maybe"}), "referral"),
        (json!({"usefulness": 4, "referral_avoided": true, "referral": "still_needed"}), "referral"),
        (json!({"usefulness": 4}), "referral_avoided"),
    ] {
        let (status, problem) = api.post(&cast.requester, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {problem}");
        assert_eq!(problem["field"], field);
    }
    let (status, case) = api
        .post(&cast.requester, &path, json!({"usefulness": 5, "outcome": "new_advice", "referral": "avoided"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "closed");
    let (_, read) = api.get(&cast.requester, &format!("/api/v1/consultations/{id}")).await;
    let f = &read["feedback"];
    assert_eq!(
        (f["outcome"].clone(), f["referral"].clone(), f["referral_avoided"].clone()),
        (json!("new_advice"), json!("avoided"), json!(true))
    );
    // Measuring goes on after the case closed: follow-ups come months later.
    let follow_up = json!({"instrument": "cgas", "measured_on": "2026-11-20", "score": 70});
    let (status, _) = api.post(&cast.requester, &format!("/api/v1/consultations/{id}/outcomes"), follow_up).await;
    assert_eq!(status, StatusCode::CREATED);
    server.stop().await;
}
