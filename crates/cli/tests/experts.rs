//! The expert directory: the finder over the API and in the page, edits
//! with history and conflict detection, and CSV import/export by the CLI
//! while the server runs.

use std::process::{Command, Stdio};

use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_store::experts;

backends!(
    inflected_and_cross_language_queries_find_the_right_experts,
    filters_facets_and_bad_codes,
    search_page_works_without_javascript,
    experts_edit_their_own_profile_and_history_is_kept,
    cli_import_while_serving_and_exact_round_trip,
    bad_csv_imports_nothing_and_says_where,
    described_situations_are_understood_and_a_concept_can_be_dropped,
);

async fn search(server: &TestServer, token: &str, query: &str) -> (StatusCode, Value) {
    let resp = reqwest::Client::new()
        .get(server.url(&format!("/api/v1/experts?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

fn first_topics(body: &Value) -> Vec<String> {
    body["items"][0]["topics"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect()
}

async fn inflected_and_cross_language_queries_find_the_right_experts(kind: Kind) {
    let server = TestServer::start(kind).await;
    let token = server.token_for("pyytaja@example.fi").await;
    let (status, body) = search(&server, &token, "q=kunniav%C3%A4kivallan%20uhka").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["total"].as_u64().unwrap() > 0);
    assert!(first_topics(&body).contains(&"honour_violence".to_string()), "{}", body["items"][0]);
    let hl = body["items"][0]["highlight"].as_str().unwrap();
    assert!(hl.contains("<mark>"), "{hl}");
    for key in [
        "id",
        "external_id",
        "name",
        "title",
        "organization",
        "sector",
        "county",
        "centre",
        "topics",
        "methods",
        "languages",
        "remote",
        "score",
        "highlight",
    ] {
        assert!(body["items"][0].get(key).is_some(), "item has {key}");
    }

    let (_, body) = search(&server, &token, "q=hedersrelaterat%20v%C3%A5ld").await;
    assert!(
        first_topics(&body).contains(&"honour_violence".to_string()),
        "Swedish label finds Finnish profiles: {}",
        body["items"][0]
    );
    let (_, body) = search(&server, &token, "q=huoltoriidoissa").await;
    assert!(first_topics(&body).contains(&"custody_disputes".to_string()), "{}", body["items"][0]);
    let (_, body) = search(&server, &token, "q=sy%C3%B6mish%C3%A4iri%C3%B6isten%20nuorten").await;
    assert!(first_topics(&body).contains(&"eating_disorders".to_string()), "{}", body["items"][0]);
    let (_, body) = search(&server, &token, "q=barnahsu").await;
    assert!(body["total"].as_u64().unwrap() > 0, "one typo forgiven");
    server.stop().await;
}

async fn filters_facets_and_bad_codes(kind: Kind) {
    let server = TestServer::start(kind).await;
    let token = server.token_for("koordinaattori@example.fi").await;
    let (_, all) = search(&server, &token, "limit=100").await;
    let total = all["total"].as_u64().unwrap();
    assert_eq!(total, 62);
    let county_sum: u64 = all["facets"]["county"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(county_sum, total, "every profile counted once per county");
    let (_, lappi) = search(&server, &token, "county=lappi&limit=100").await;
    let n = lappi["total"].as_u64().unwrap();
    assert_eq!(Some(n), all["facets"]["county"]["lappi"].as_u64());
    assert!(lappi["items"].as_array().unwrap().iter().all(|i| i["county"] == "lappi"));
    let (_, combined) = search(&server, &token, "q=lastensuojelu&remote=true&language=sv").await;
    assert!(
        combined["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["remote"] == true && i["languages"].as_array().unwrap().contains(&json!("sv")))
    );

    for (query, field) in
        [("county=lapland", "county"), ("topic=ipc", "topic"), ("remote=maybe", "remote"), ("limit=1000", "limit")]
    {
        let (status, problem) = search(&server, &token, query).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{query}");
    }
    server.stop().await;
}

async fn search_page_works_without_javascript(kind: Kind) {
    let server = TestServer::start(kind).await;
    let browser = server.browser();
    let page = browser.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
    let marker = r#"name="csrf" value=""#;
    let csrf = page[page.find(marker).unwrap() + marker.len()..].split('"').next().unwrap().to_string();
    browser
        .post(server.url("/login"))
        .form(&[("email", "pyytaja@example.fi"), ("password", tukiverkko_store::demo::DEMO_PASSWORD), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    let html =
        browser.get(server.url("/experts?q=kunniav%C3%A4kivalta&county=")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<mark>"), "highlighted matches");
    assert!(html.contains(r#"<select id="f-county" name="county">"#));
    assert!(html.contains("hyvinvointialue (") || html.contains("Helsingin kaupunki ("), "county options carry counts");
    assert!(html.contains(r#"role="search""#) && html.contains(r#"<label for="q">"#));
    assert!(!html.contains("<script"), "no script needed");
    let fi =
        browser.get(server.url("/experts")).header("accept-language", "sv").send().await.unwrap().text().await.unwrap();
    assert!(fi.contains("Asiantuntijahaku"), "the user's own setting beats the browser's");
    browser.get(server.url("/lang/sv?next=/experts")).send().await.unwrap();
    let sv = browser.get(server.url("/experts?q=hedersv%C3%A5ld")).send().await.unwrap().text().await.unwrap();
    assert!(
        sv.contains("Expertsökning") && !sv.contains(">0 experter<"),
        "the switcher's choice wins, Swedish synonyms find"
    );
    let id_start = html.find(r#"<a href="/experts/"#).unwrap() + r#"<a href="/experts/"#.len();
    let id = &html[id_start..id_start + 36];
    let profile = browser.get(server.url(&format!("/experts/{id}"))).send().await.unwrap();
    assert_eq!(profile.status(), StatusCode::OK);
    assert!(profile.text().await.unwrap().contains("Kontaktuppgifter"));
    server.stop().await;
}

async fn experts_edit_their_own_profile_and_history_is_kept(kind: Kind) {
    let server = TestServer::start(kind).await;
    let client = reqwest::Client::new();
    let expert = server.token_for("asiantuntija@example.fi").await;
    let me: Value =
        client.get(server.url("/api/v1/me")).bearer_auth(&expert).send().await.unwrap().json().await.unwrap();
    let id = experts::id_for_user(&server.db, me["id"].as_str().unwrap()).await.unwrap().unwrap();
    let url = server.url(&format!("/api/v1/experts/{id}"));
    let edit = |version: i64, bio: &str| {
        json!({"version": version, "given_name": "Aino", "family_name": "Asiantuntija", "title": "psykologi", "sector": "health",
               "county": "pirkanmaa", "languages": ["fi", "sv"], "topics": ["radicalisation"], "methods": [], "remote": true,
               "accepts_consultations": true, "capacity": 4, "bio": bio})
    };
    let resp = client
        .put(&url)
        .bearer_auth(&expert)
        .json(&edit(1, "Väkivaltaisen radikalisoitumisen ehkäisy."))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let saved: Value = resp.json().await.unwrap();
    assert_eq!((saved["version"].as_i64(), saved["centre"].as_str()), (Some(2), Some("tampere")));
    let (_, found) = search(&server, &expert, "q=radikalisoitumista&limit=100").await;
    assert!(
        found["items"].as_array().unwrap().iter().any(|i| i["id"] == id.as_str()),
        "the edit is searchable at once"
    );

    let stale = client.put(&url).bearer_auth(&expert).json(&edit(1, "Vanha versio")).send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let bad = client.put(&url).bearer_auth(&expert).json(&json!({"version": 2})).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut wrong_code = edit(2, "x");
    wrong_code["topics"] = json!(["nonsense"]);
    let resp = client.put(&url).bearer_auth(&expert).json(&wrong_code).send().await.unwrap();
    let problem: Value = resp.json().await.unwrap();
    assert_eq!(problem["field"], "topics[0]");
    let other = server.token_for("kokemus@example.fi").await;
    assert_eq!(
        client.put(&url).bearer_auth(&other).json(&edit(2, "x")).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let coordinator = server.token_for("koordinaattori@example.fi").await;
    assert_eq!(
        client
            .put(&url)
            .bearer_auth(&coordinator)
            .json(&edit(2, "Koordinaattorin korjaus."))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let row = experts::find(&server.db, &id).await.unwrap();
    assert_eq!((row.version, row.bio.as_str()), (3, "Koordinaattorin korjaus."));
    assert_eq!(experts::history(&server.db, &id).await.unwrap().len(), 2, "both earlier versions kept");
    server.stop().await;
}

fn cli(db_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tukiverkko"))
        .args(args)
        .env("TUKIVERKKO_DATABASE_URL", db_url)
        .env("TUKIVERKKO_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn tmp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tv-{}-{name}", uuid::Uuid::new_v4().simple()))
}

const HEAD: &str = "external_id,given_name,family_name,title,organization,sector,county,centre,languages,topics,methods,remote,accepts_consultations,bio,email,phone\n";

async fn cli_import_while_serving_and_exact_round_trip(kind: Kind) {
    let server = TestServer::start(kind).await;
    let token = server.token_for("pyytaja@example.fi").await;
    let (_, before) = search(&server, &token, "q=vankeinhoito").await;
    assert_eq!(before["total"], 0);

    let file = tmp("import.csv");
    std::fs::write(&file, format!("{HEAD}imp-1,Veera,Vanki,rikosseuraamustyöntekijä,Rikosseuraamuslaitos,social,kainuu,,fi,criminal_sanctions,,true,true,\"Vankeinhoito ja nuoret rikoksentekijät\",veera@example.fi,\n")).unwrap();
    let out = cli(&server.database.url, &["import", "experts", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 created"));
    let (_, after) = search(&server, &token, "q=vankeinhoidon").await;
    assert_eq!(after["items"][0]["external_id"], "imp-1", "the running server saw the other process's import");
    assert_eq!(after["items"][0]["centre"], "oulu", "empty centre: the county's centre");

    let first = tmp("first.csv");
    let second = tmp("second.csv");
    assert!(cli(&server.database.url, &["export", "experts", first.to_str().unwrap()]).status.success());
    let again = cli(&server.database.url, &["import", "experts", first.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 created, 0 updated, 63 unchanged"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert!(cli(&server.database.url, &["export", "experts", second.to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap(), "export → import → export is exact");
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.starts_with(HEAD));
    assert!(text.lines().any(|l| l.starts_with("tv-")), "profiles made in the app get a generated external_id");
    for f in [file, first, second] {
        let _ = std::fs::remove_file(f);
    }
    server.stop().await;
}

async fn bad_csv_imports_nothing_and_says_where(kind: Kind) {
    let server = TestServer::start(kind).await;
    let before = experts::count(&server.db).await.unwrap();
    let file = tmp("bad.csv");
    std::fs::write(
        &file,
        format!("{HEAD}ok-1,Olli,Ok,,,social,pirkanmaa,,fi,,,true,true,,,\nbad-1,Bea,Bad,,,social,pirkanmaa,,fi,nonsense,,true,true,,,\nok-1,Olli,Ok,,,social,pirkanmaa,,fi,,,true,true,,,\n"),
    )
    .unwrap();
    let out = cli(&server.database.url, &["import", "experts", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3:10: unknown topic code 'nonsense'"), "{stderr}");
    assert!(stderr.contains("4:1: duplicate external_id 'ok-1' (also on line 2)"), "{stderr}");
    assert!(stderr.contains("nothing was imported"));
    assert_eq!(experts::count(&server.db).await.unwrap(), before, "all or nothing");
    let _ = std::fs::remove_file(file);
    server.stop().await;
}

fn concepts(body: &Value) -> Vec<String> {
    body["interpretation"].as_array().unwrap().iter().map(|i| i["concept"].as_str().unwrap().to_string()).collect()
}

async fn described_situations_are_understood_and_a_concept_can_be_dropped(kind: Kind) {
    let server = TestServer::start(kind).await;
    let token = server.token_for("pyytaja@example.fi").await;
    let situation = "q=14-vuotias%20karkailee%20sijaisperheest%C3%A4%20ja%20k%C3%A4ytt%C3%A4%C3%A4%20huumeita";
    let (status, body) = search(&server, &token, situation).await;
    assert_eq!(status, StatusCode::OK);
    let found = concepts(&body);
    assert!(found.contains(&"substance_abuse".into()) && found.contains(&"family_foster_care".into()), "{found:?}");
    let drugs = body["interpretation"].as_array().unwrap().iter().find(|i| i["concept"] == "substance_abuse").unwrap();
    assert_eq!(drugs["matched"], json!(["käyttää", "huumeita"]), "the phrase that led there");
    assert_eq!(drugs["label"], "päihdepalvelut", "the label in the caller's language");
    let top: Vec<Value> = body["items"].as_array().unwrap().iter().take(3).cloned().collect();
    assert!(
        top.iter().all(|i| {
            let codes: Vec<&str> = i["topics"].as_array().unwrap().iter().filter_map(|t| t.as_str()).collect();
            codes.contains(&"substance_abuse") || codes.iter().any(|c| c.contains("foster"))
        }),
        "the best matches are coded for what was described: {top:?}"
    );

    let (_, dropped) = search(&server, &token, &format!("{situation}&exclude_concept=substance_abuse")).await;
    assert!(!concepts(&dropped).contains(&"substance_abuse".into()), "{:?}", concepts(&dropped));
    assert!(concepts(&dropped).contains(&"family_foster_care".into()));
    let first: Vec<&str> =
        dropped["items"][0]["topics"].as_array().unwrap().iter().filter_map(|t| t.as_str()).collect();
    assert!(first.iter().any(|c| c.contains("foster")), "{first:?}");

    let (status, body) = search(&server, &token, "q=huumeet&exclude_concept=no_such_code").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "exclude_concept");
    let (_, sv) = search(&server, &token, "q=flickan%20hotas%20med%20tv%C3%A5ngs%C3%A4ktenskap").await;
    assert_eq!(concepts(&sv), ["honour_violence"], "Swedish situations too");
    let (_, en) = search(&server, &token, "q=boy%20stopped%20eating%20and%20cuts%20himself").await;
    let en = concepts(&en);
    assert!(en.contains(&"eating_disorders".into()) && en.contains(&"self_harm".into()), "{en:?}");

    // The page shows the reading and drops a concept with one link, without JavaScript.
    let (client, _) = server.signed_in_browser("pyytaja@example.fi").await;
    let html = client.get(server.url(&format!("/experts?{situation}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Haku ymmärrettiin näin:"), "{html}");
    let link = html.split("href=\"").find(|p| p.contains("exclude_concept=substance_abuse")).expect("a drop link");
    let link = link.split('"').next().unwrap().replace("&#38;", "&");
    let after = client.get(server.url(&link)).send().await.unwrap().text().await.unwrap();
    assert!(after.contains("Poistettu haustasi:") && after.contains("<s>päihdepalvelut</s>"), "{after}");
    assert!(after.contains(r#"<input type="hidden" name="exclude_concept" value="substance_abuse">"#));
    server.stop().await;
}
