//! Research needs over HTTP, on both backends: raised from a case without
//! leaking it, merged, moved through the pipeline (wrong moves are 409),
//! prioritised with every group weighing the same, and the people who
//! raised a need told when its results are published.

use crate::consultations::{Api, assigned_case, cast};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_domain::Role;
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::on_db;

backends!(
    a_case_leads_to_a_need_without_leaking_the_case,
    needs_merge_and_move_through_the_pipeline_with_notifications,
    three_groups_rank_a_round_and_each_weighs_the_same,
    a_round_is_opened_and_ranked_from_the_pages,
);

fn need(title: &str) -> Value {
    json!({"title": title, "description": "Mikä auttaa sijoitettua nuorta, joka karkailee toistuvasti?",
           "population": "12–17-vuotiaat sijoitetut", "topics": ["foster_care"]})
}

async fn a_case_leads_to_a_need_without_leaking_the_case(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let case = assigned_case(&api, &cast).await;
    let mut body = need("Karkailun ehkäisy sijaishuollossa");
    body["consultation"] = json!(case);
    let (status, created) = api.post(&cast.expert, "/api/v1/research-needs", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "submitted");
    let id = created["id"].as_str().unwrap();
    let (_, read) = api.get(&cast.researcher, &format!("/api/v1/research-needs/{id}")).await;
    assert_eq!(read["sources"], 1);
    let text = read.to_string();
    assert!(!text.contains(&case), "the need never names its case: {text}");
    assert!(!text.contains("kunniaan liittyvän"), "nor copies its text");
    let html = server.signed_in_browser("tutkija@example.fi").await.0;
    let page = html.get(server.url(&format!("/research-needs/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&case) && !page.contains("/consultations/"), "the page gives no way to the case");

    // The case page offers the step to its requester and experts, not to others.
    let (expert_browser, _) = server.signed_in_browser("asiantuntija@example.fi").await;
    let case_page =
        expert_browser.get(server.url(&format!("/consultations/{case}"))).send().await.unwrap().text().await.unwrap();
    let start = format!("/research-needs?consultation={case}&amp;prefill_topics=");
    assert!(case_page.contains(&start), "a one-step link from the case");
    let form = expert_browser
        .get(server.url(&format!("/research-needs?consultation={case}&prefill_topics=honour_violence")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("value=\"honour_violence\" checked"), "the form starts with the case's topics");
    assert!(form.contains("id=\"title\" name=\"title\" maxlength=\"200\" required value=\"\""), "and no text");
    let (coordinator_browser, _) = server.signed_in_browser("koordinaattori@example.fi").await;
    let seen_by_coordinator = coordinator_browser
        .get(server.url(&format!("/consultations/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!seen_by_coordinator.contains("/research-needs?consultation="), "only its requester and experts");

    // Only the case's requester and experts may raise a need from it.
    for outsider in [&cast.other_requester, &cast.researcher, &cast.coordinator] {
        assert_eq!(api.post(outsider, "/api/v1/research-needs", body.clone()).await.0, StatusCode::NOT_FOUND);
    }
    for (change, field) in [
        (json!({"description": "Nuori 131052-308T karkailee"}), "description"),
        (json!({"title": ""}), "title"),
        (json!({"topics": ["weather"]}), "topics[0]"),
    ] {
        let mut bad = need("Huono");
        for (k, v) in change.as_object().unwrap() {
            bad[k] = v.clone();
        }
        let (status, problem) = api.post(&cast.requester, "/api/v1/research-needs", bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["field"], field);
    }
    let stored: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM research_needs")
        .fetch_one(pool).await.unwrap());
    assert_eq!(stored, 1, "refused needs leave nothing behind");
    server.stop().await;
}

async fn status(api: &Api<'_>, token: &str, id: &str, body: Value) -> (StatusCode, Value) {
    api.post(token, &format!("/api/v1/research-needs/{id}/status"), body).await
}

async fn unread(server: &TestServer, email: &str) -> Vec<String> {
    let account = accounts::find_by_email(&server.db, &email.parse().unwrap()).await.unwrap();
    tukiverkko_store::notifications::unread(&server.db, &account.id)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.kind)
        .collect()
}

async fn needs_merge_and_move_through_the_pipeline_with_notifications(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let (_, a) = api.post(&cast.requester, "/api/v1/research-needs", need("Karkailu sijaishuollosta")).await;
    let (_, b) = api.post(&cast.expert, "/api/v1/research-needs", need("Sijoitettujen nuorten karkailu")).await;
    let (a, b) = (a["id"].as_str().unwrap().to_string(), b["id"].as_str().unwrap().to_string());

    assert_eq!(status(&api, &cast.requester, &a, json!({"status": "in_review"})).await.0, StatusCode::FORBIDDEN);
    let (code, problem) =
        status(&api, &cast.coordinator, &a, json!({"status": "published", "result_url": "https://a.fi"})).await;
    assert_eq!(code, StatusCode::CONFLICT, "{problem}");

    let (code, merged) =
        api.post(&cast.researcher, &format!("/api/v1/research-needs/{b}/merge"), json!({"into": a})).await;
    assert_eq!(code, StatusCode::OK, "{merged}");
    assert_eq!(merged["status"], "merged");
    let (_, target) = api.get(&cast.researcher, &format!("/api/v1/research-needs/{a}")).await;
    assert_eq!(target["sources"], 2);
    assert_eq!(target["merged"][0]["id"], b);
    assert_eq!(status(&api, &cast.coordinator, &b, json!({"status": "in_review"})).await.0, StatusCode::CONFLICT);

    for step in ["in_review", "uncertainty_confirmed", "prioritised"] {
        let (code, moved) = status(&api, &cast.coordinator, &a, json!({"status": step, "note": "Käsitelty"})).await;
        assert_eq!((code, moved["status"].as_str()), (StatusCode::OK, Some(step)), "{moved}");
    }
    // Proposed only to a recorded partner organisation, named by id or name.
    let (code, problem) = status(&api, &cast.researcher, &a, json!({"status": "proposed"})).await;
    assert_eq!((code, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("partner")), "{problem}");
    let unknown = json!({"status": "proposed", "partner": "Tylypahkan yliopisto"});
    let (code, problem) = status(&api, &cast.researcher, &a, unknown).await;
    assert_eq!((code, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("partner")), "{problem}");
    let (_, partners) = api.get(&cast.requester, "/api/v1/research-partners").await;
    assert!(partners["items"].as_array().unwrap().iter().any(|p| p["name"] == "Tampereen yliopisto"), "{partners}");
    let new_partner = json!({"name": "Lapin yliopisto", "kind": "university", "contact": "tutkimus@example.fi"});
    assert_eq!(
        api.post(&cast.requester, "/api/v1/research-partners", new_partner.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (code, added) = api.post(&cast.researcher, "/api/v1/research-partners", new_partner.clone()).await;
    assert_eq!(code, StatusCode::CREATED, "{added}");
    assert_eq!(api.post(&cast.coordinator, "/api/v1/research-partners", new_partner).await.0, StatusCode::CONFLICT);
    let bad_kind = json!({"name": "Kurssikeskus", "kind": "company"});
    let (code, problem) = api.post(&cast.coordinator, "/api/v1/research-partners", bad_kind).await;
    assert_eq!((code, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")));
    // Length counts the text as sent: padding does not squeeze a long name
    // under the limit (found by schemathesis).
    let padded = json!({"name": format!("     {}", "y".repeat(198)), "kind": "university"});
    let (code, problem) = api.post(&cast.coordinator, "/api/v1/research-partners", padded).await;
    assert_eq!((code, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")), "{problem}");
    let (_, again) = api.get(&cast.researcher, &format!("/api/v1/research-needs/{a}")).await;
    assert_eq!(again["status"], "prioritised", "a refused proposal changes nothing");
    let proposal = json!({"status": "proposed", "partner": "tampereen YLIOPISTO", "contact": "Prof. Esimerkki"});
    let (_, proposed) = status(&api, &cast.researcher, &a, proposal).await;
    assert_eq!(proposed["partner"], "Tampereen yliopisto", "the partner's recorded name");
    let linked: Option<String> = on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT p.name FROM research_needs n JOIN research_partners p ON p.id = n.partner_id WHERE n.id = $1")
        .bind(&a).fetch_optional(pool).await.unwrap());
    assert_eq!(linked.as_deref(), Some("Tampereen yliopisto"), "the need records which partner");
    assert!(proposed["proposed_at"].as_i64().is_some());
    status(&api, &cast.researcher, &a, json!({"status": "in_study"})).await;
    let (code, problem) = status(&api, &cast.researcher, &a, json!({"status": "published"})).await;
    assert_eq!((code, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("result_url")));
    let (code, published) =
        status(&api, &cast.researcher, &a, json!({"status": "published", "result_url": "https://example.fi/tulokset"}))
            .await;
    assert_eq!(code, StatusCode::OK, "{published}");

    // Both who raised the question, the merged duplicate's author too, are told of each move and of the results.
    for email in ["pyytaja@example.fi", "asiantuntija@example.fi"] {
        let kinds = unread(&server, email).await;
        assert!(kinds.iter().filter(|k| *k == "research_need_status").count() >= 4, "{email}: {kinds:?}");
        assert!(kinds.contains(&"research_need_published".to_string()), "{email}: {kinds:?}");
    }
    let (_, list) = api.get(&cast.requester, "/api/v1/research-needs?status=published").await;
    assert_eq!(list["total"], 1);
    let csv = reqwest::Client::new()
        .get(server.url("/api/v1/research-needs?format=csv"))
        .bearer_auth(&cast.researcher)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("id,question,population,intervention,comparison,outcome,topics,sources,evidence,score,status")
    );
    assert!(csv.contains("Karkailu sijaishuollosta") && csv.contains(",2,"), "{csv}");
    server.stop().await;
}

/// A signed-in user of `role` and their token.
async fn voter(server: &TestServer, n: usize, role: Role) -> String {
    let email = format!("vastaaja{n}@example.fi");
    let user = NewUser {
        email: email.parse().unwrap(),
        name: format!("Vastaaja {n}"),
        roles: vec![role],
        centre: None,
        organization_id: None,
        password: None,
    };
    accounts::create(&server.db, &user, &tukiverkko_store::audit::AuditActor::system()).await.unwrap();
    server.token_for(&email).await
}

async fn three_groups_rank_a_round_and_each_weighs_the_same(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let mut needs = Vec::new();
    for title in ["Karkailu", "Koulupudokkuus", "Itsetuhoisuus"] {
        let (_, n) = api.post(&cast.requester, "/api/v1/research-needs", need(title)).await;
        let id = n["id"].as_str().unwrap().to_string();
        for step in ["in_review", "uncertainty_confirmed"] {
            status(&api, &cast.coordinator, &id, json!({"status": step})).await;
        }
        needs.push(id);
    }
    let (_, unconfirmed) = api.post(&cast.requester, "/api/v1/research-needs", need("Vahvistamaton")).await;
    let closes = (chrono::Utc::now() + chrono::TimeDelta::days(7)).to_rfc3339();
    let round = |list: Vec<&String>| json!({"title": "Kevät 2027", "needs": list, "groups": ["ammattilaiset", "tutkijat", "kokemusasiantuntijat"], "closes_at": closes});
    let (code, problem) = api
        .post(
            &cast.researcher,
            "/api/v1/prioritisations",
            round(vec![&needs[0], &unconfirmed["id"].as_str().unwrap().to_string()]),
        )
        .await;
    assert_eq!((code, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("needs")), "{problem}");
    assert_eq!(
        api.post(&cast.requester, "/api/v1/prioritisations", round(needs.iter().collect())).await.0,
        StatusCode::FORBIDDEN
    );
    let (code, created) = api.post(&cast.researcher, "/api/v1/prioritisations", round(needs.iter().collect())).await;
    assert_eq!(code, StatusCode::CREATED, "{created}");
    let ballots = format!("/api/v1/prioritisations/{}/ballots", created["id"].as_str().unwrap());
    let (n0, n1, n2) = (&needs[0], &needs[1], &needs[2]);

    // Six professionals rank n0 > n1; five researchers rank n1 > n2 > n0; two experience experts rank n2 first.
    let mut voters = 0;
    for (group, ranking, count) in
        [("ammattilaiset", vec![n0, n1], 6), ("tutkijat", vec![n1, n2, n0], 5), ("kokemusasiantuntijat", vec![n2], 2)]
    {
        for _ in 0..count {
            voters += 1;
            let token = voter(&server, voters, Role::Requester).await;
            let (code, body) = api.post(&token, &ballots, json!({"group": group, "ranking": ranking})).await;
            assert_eq!(code, StatusCode::CREATED, "{body}");
            if voters == 1 {
                let again = api.post(&token, &ballots, json!({"group": group, "ranking": [n2]})).await;
                assert_eq!(again.0, StatusCode::CONFLICT, "one ballot per person");
            }
        }
    }
    let token = voter(&server, 99, Role::Requester).await;
    for (body, field) in [
        (json!({"group": "poliitikot", "ranking": [n0]}), "group"),
        (json!({"group": "tutkijat", "ranking": [n0, n0]}), "ranking"),
        (json!({"group": "tutkijat", "ranking": ["tuntematon"]}), "ranking"),
    ] {
        let (code, problem) = api.post(&token, &ballots, body).await;
        assert_eq!((code, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{problem}");
    }

    let (code, results) = api.get(&cast.requester, &ballots.replace("/ballots", "/results")).await;
    assert_eq!(code, StatusCode::OK, "{results}");
    // Professionals: n0 6·10 = 60 points over 6 ballots = 10; n1 6·9 = 54 → 9.
    // Researchers: n1 5·10 = 50 over 5 = 10; n2 5·9 = 45 → 9; n0 5·8 = 40 → 8.
    // Experience experts have 2 ballots (< 5): suppressed, not counted.
    let items = results["items"].as_array().unwrap();
    let score = |id: &str| items.iter().find(|i| i["need"] == id).unwrap()["score"].as_f64().unwrap();
    assert_eq!((score(n0), score(n1), score(n2)), (18.0, 19.0, 9.0));
    assert_eq!(items[0]["need"], *n1, "best first");
    assert_eq!(items[0]["by_group"]["ammattilaiset"], 54.0);
    assert_eq!(items[0]["by_group"]["kokemusasiantuntijat"], Value::Null);
    assert_eq!(results["suppressed_groups"], json!(["kokemusasiantuntijat"]));
    server.stop().await;
}

async fn a_round_is_opened_and_ranked_from_the_pages(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let mut needs = Vec::new();
    for title in ["Karkailu", "Koulupudokkuus"] {
        let (_, n) = api.post(&cast.requester, "/api/v1/research-needs", need(title)).await;
        let id = n["id"].as_str().unwrap().to_string();
        for step in ["in_review", "uncertainty_confirmed"] {
            status(&api, &cast.coordinator, &id, json!({"status": step})).await;
        }
        needs.push(id);
    }
    let (reviewer, csrf) = server.signed_in_browser("tutkija@example.fi").await;
    let list = reviewer.get(server.url("/research-needs")).send().await.unwrap().text().await.unwrap();
    assert!(
        list.contains(&format!("name=\"round_needs\" value=\"{}\"", needs[0])),
        "confirmed needs can be put in a round"
    );
    let filtered = reviewer
        .get(server.url("/research-needs?centre=oulu&topic=foster_care"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("value=\"oulu\" selected") && filtered.contains("value=\"foster_care\" selected"));
    assert!(
        list.contains(">Karkailu<") && !filtered.contains(">Karkailu<"),
        "filtered by centre: the needs are not Oulu's"
    );
    let closes = (chrono::Utc::now() + chrono::TimeDelta::days(7)).format("%Y-%m-%d").to_string();
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("round_title", "Syksy 2027".to_string()),
        ("round_groups", "ammattilaiset\nkokemusasiantuntijat\n".to_string()),
        ("closes_on", "2001-01-01".to_string()),
        ("round_needs", needs[0].clone()),
        ("round_needs", needs[1].clone()),
    ];
    let refused = reviewer.post(server.url("/prioritisations")).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("href=\"#closes_on\""), "the error points at the field");
    form[3].1 = closes;
    let opened = reviewer.post(server.url("/prioritisations")).form(&form).send().await.unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let path = opened.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
    let (_, rounds) = api.get(&cast.researcher, "/api/v1/prioritisations").await;
    assert_eq!(rounds["items"][0]["groups"], json!(["ammattilaiset", "kokemusasiantuntijat"]), "{rounds}");

    let (voter, csrf) = server.signed_in_browser("kokemus@example.fi").await;
    let page = voter.get(server.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("name=\"rank_{}\"", needs[1])), "the ballot lists the needs");
    let ballot = format!("{path}/ballot");
    let rank = |first: &str, second: &str| -> Vec<(String, String)> {
        vec![
            ("csrf".into(), csrf.clone()),
            ("group".into(), "kokemusasiantuntijat".into()),
            (format!("rank_{}", needs[0]), first.into()),
            (format!("rank_{}", needs[1]), second.into()),
        ]
    };
    let gap = voter.post(server.url(&ballot)).form(&rank("1", "3")).send().await.unwrap();
    assert_eq!(gap.status(), StatusCode::UNPROCESSABLE_ENTITY, "ranks run 1, 2, … without gaps");
    let twice = voter.post(server.url(&ballot)).form(&rank("1", "1")).send().await.unwrap();
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ballots: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM prioritisation_ballots")
        .fetch_one(pool).await.unwrap());
    assert_eq!(ballots, 0, "a refused ballot stores nothing");
    let sent = voter.post(server.url(&ballot)).form(&rank("2", "1")).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let stored: String = on_db!(&server.db, pool => sqlx::query_scalar("SELECT ranking FROM prioritisation_ballots")
        .fetch_one(pool).await.unwrap());
    assert_eq!(stored, format!("{};{}", needs[1], needs[0]), "best first, as ranked");
    let again = voter.post(server.url(&ballot)).form(&rank("1", "2")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT, "one ballot per person");
    let page = voter.get(server.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("name=\"rank_") && page.contains("kokemusasiantuntijat"), "no second ballot form");
    server.stop().await;
}
