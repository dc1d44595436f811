//! What users write: every text through the same rule, on every path.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use tukiverkko_store::{experts, on_db};

use super::{DISGUISED, HEAD, edit, own_profile, put};
use crate::consultations::{Api, cast, request_body, submitted_case};
use crate::support::{Kind, TestServer};

backends!(
    identity_codes_are_refused_in_profiles_on_every_path,
    disguised_identity_codes_are_refused_and_look_alikes_pass,
    long_input_gets_a_clear_error,
    control_characters_and_impossible_ids_are_refused,
    profiles_stay_in_their_centre_and_languages_are_iso,
    spreadsheet_cells_are_neutralised_and_read_back,
);

async fn identity_codes_are_refused_in_profiles_on_every_path(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let expert = server.token_for("asiantuntija@example.fi").await;
    let id = own_profile(&server, "asiantuntija@example.fi").await;
    let path = format!("/api/v1/experts/{id}");
    let before = experts::find(&server.db, &id).await.unwrap();
    for field in ["given_name", "family_name", "title", "organization", "bio", "phone"] {
        for code in DISGUISED {
            let mut body = edit(before.version);
            body[field] = json!(format!("x {code}"));
            let (status, problem) = put(&api, &expert, &path, body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field} {code:?}: {problem}");
            assert_eq!((problem["field"].as_str(), problem["code"].as_str()), (Some(field), Some("identity_code")));
        }
    }
    assert_eq!(experts::find(&server.db, &id).await.unwrap(), before, "nothing stored");

    // The CLI import names line and column, for every disguise.
    let dir = std::env::temp_dir().join(format!("tv-hetu-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv = HEAD.to_string();
    for (i, code) in DISGUISED.iter().enumerate() {
        csv.push_str(&format!("h{i},Hanna,Heino,,,social,pirkanmaa,,fi,,,true,true,Asiakas {code},,\n"));
    }
    csv.push_str(&format!("t1,Tiina,{},,,social,pirkanmaa,,fi,,,true,true,,,\n", DISGUISED[5]));
    let file = dir.join("experts.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = crate::cli::run(
        crate::cli::tukiverkko(&server.database.url).args(["import", "experts", file.to_str().unwrap()]),
        "",
    );
    let stderr = crate::cli::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for line in 2..2 + DISGUISED.len() {
        assert!(stderr.contains(&format!("{line}:14: bio contains a personal identity code")), "{line}: {stderr}");
    }
    assert!(stderr.contains(&format!("{}:3: family_name contains", 2 + DISGUISED.len())), "{stderr}");
    assert!(experts::list_all(&server.db).await.unwrap().iter().all(|p| !p.external_id.starts_with('h')));

    // The web import refuses the same file and changes nothing.
    let (browser, csrf) = server.signed_in_browser("koordinaattori@example.fi").await;
    let part = Part::bytes(csv.into_bytes()).file_name("a.csv").mime_str("text/csv").unwrap();
    let form = Form::new().text("csrf", csrf).part("file", part);
    let resp = browser.post(server.url("/experts/import")).multipart(form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // An account name is free text too.
    let out = crate::cli::run(
        crate::cli::tukiverkko(&server.database.url).args([
            "user",
            "add",
            "--email",
            "uusi@example.fi",
            "--name",
            &format!("Uusi {}", DISGUISED[6]),
            "--role",
            "requester",
        ]),
        "",
    );
    assert_ne!(out.status.code(), Some(0), "{}", crate::cli::text(&out.stderr));
    std::fs::remove_dir_all(dir).unwrap();
    server.stop().await;
}

async fn disguised_identity_codes_are_refused_and_look_alikes_pass(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let more = [
        "١٣١٠٥٢-٣٠٨T",          // Arabic-Indic digits
        "131052\u{FE63}308T",   // small hyphen-minus
        "010594У9032",          // Cyrillic У as the century sign Y
        "131052-308\u{FEFF}T",  // zero-width no-break space before the check character
        "131052\u{00AD}-308T",  // soft hyphen before the sign
        "13 10 52\u{2011}308T", // non-breaking hyphen, but spaces make it no code
    ];
    for (i, text) in DISGUISED.iter().chain(&more).enumerate() {
        for field in ["question", "background", "tried"] {
            let mut body = request_body();
            body[field] = json!(format!("Lapsen tunnus on {text}."));
            let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
            if i == DISGUISED.len() + more.len() - 1 {
                assert_eq!(status, StatusCode::CREATED, "spaces inside are not a code: {problem}");
            } else {
                assert_eq!(
                    (status, problem["field"].as_str()),
                    (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
                    "{text:?}"
                );
            }
        }
    }
    // Look-alikes with a wrong check character pass, and are stored as typed.
    for text in ["131052-308U", "131052\u{2013}308U", "１３１０５２－３０８Ｕ"] {
        let mut body = request_body();
        body["question"] = json!(format!("Viite {text}"));
        let (status, case) = api.post(&cast.requester, "/api/v1/consultations", body).await;
        assert_eq!(status, StatusCode::CREATED, "{text:?}: {case}");
        assert_eq!(case["question"], format!("Viite {text}"));
    }
    // A message, a decline reason and the break-glass reason pass the same guard.
    let id = submitted_case(&api, &cast).await;
    let (status, _) =
        api.post(&cast.requester, &format!("/api/v1/consultations/{id}/messages"), json!({"body": DISGUISED[4]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .post(&cast.coordinator, &format!("/api/v1/consultations/{id}/decline"), json!({"reason": DISGUISED[7]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let resp = api
        .client
        .get(server.url(&format!("/api/v1/consultations/{id}")))
        .bearer_auth(&cast.admin)
        .header("x-access-reason", format!("Tarkistus {}", DISGUISED[3]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.stop().await;
}

async fn long_input_gets_a_clear_error(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let expert = server.token_for("asiantuntija@example.fi").await;
    let id = own_profile(&server, "asiantuntija@example.fi").await;
    let path = format!("/api/v1/experts/{id}");
    let version = experts::find(&server.db, &id).await.unwrap().version;
    let mut body = edit(version);
    body["bio"] = json!("a".repeat(100_000));
    let (status, problem) = put(&api, &expert, &path, body).await;
    assert_eq!(
        (status, problem["field"].as_str(), problem["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("bio"), Some("too_long"))
    );
    let mut body = edit(version);
    body["given_name"] = json!("n".repeat(101));
    let (status, problem) = put(&api, &expert, &path, body).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("given_name")));
    // One very long word within the limit is indexed and found.
    let mut body = edit(version);
    body["bio"] = json!(format!("kunniaväkivalta {}", "x".repeat(7_000)));
    let (status, saved) = put(&api, &expert, &path, body).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, found) = api.get(&expert, "/api/v1/experts?q=kunnia%C3%A4v%C3%A4kivalta&limit=100").await;
    assert_eq!(status, StatusCode::OK);
    assert!(found["items"].as_array().unwrap().iter().any(|i| i["id"] == id.as_str()));
    let (status, problem) = api.get(&expert, &format!("/api/v1/experts?q={}", "x".repeat(32_000))).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("q")), "{problem}");
    let (status, _) = api.get(&expert, &format!("/api/v1/experts?q={}", "sijaishuolto".repeat(80))).await;
    assert_eq!(status, StatusCode::OK, "a 960-character query is answered");
    let (status, problem) = api
        .post(&server.token_for("pyytaja@example.fi").await, "/api/v1/consultations", {
            let mut b = request_body();
            b["question"] = json!("k".repeat(20_001));
            b
        })
        .await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("question")));
    server.stop().await;
}

async fn control_characters_and_impossible_ids_are_refused(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let before: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations").fetch_one(pool).await.unwrap());
    for bad in ["a\u{0}b", "a\u{7}b", "a\u{1b}[31mb", "a\rb", "a\u{85}b"] {
        let mut body = request_body();
        body["background"] = json!(bad);
        let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("control_character")),
            "{bad:?}"
        );
    }
    let after: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations").fetch_one(pool).await.unwrap());
    assert_eq!(before, after);
    let mut body = request_body();
    body["background"] = json!("rivi\r\ntoinen\tsarake");
    assert_eq!(api.post(&cast.requester, "/api/v1/consultations", body).await.0, StatusCode::CREATED);

    let id = submitted_case(&api, &cast).await;
    for path in [
        "/api/v1/consultations/%00",
        "/api/v1/consultations/a%00b/submit",
        "/api/v1/experts/%00",
        "/consultations/%00",
        "/api/v1/consultations/%0A",
    ] {
        let resp = api.client.get(server.url(path)).bearer_auth(&cast.coordinator).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for body in [json!({"experts": ["\u{0}"], "lead": "\u{0}"}), json!({"experts": ["x\u{0}y"], "lead": "x\u{0}y"})] {
        let (status, problem) =
            api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/assignment"), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    }
    let (status, problem) = api.get(&cast.admin, "/api/v1/audit?actor=%00").await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("actor")));
    let (status, _) = api.get(&cast.requester, "/api/v1/experts?q=a%00b").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // An access reason in bytes that are not UTF-8 (Latin-1, as some HTTP
    // libraries send header text) is refused, not read as no reason: found
    // by schemathesis.
    let latin1 = reqwest::header::HeaderValue::from_bytes(b"Tarkastus \x84").unwrap();
    let resp = api
        .client
        .get(server.url(&format!("/api/v1/consultations/{id}")))
        .bearer_auth(&cast.requester)
        .header("X-Access-Reason", latin1)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(problem["field"], "X-Access-Reason", "{problem}");
    server.stop().await;
}

async fn profiles_stay_in_their_centre_and_languages_are_iso(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let id = own_profile(&server, "asiantuntija@example.fi").await;
    let path = format!("/api/v1/experts/{id}");
    let before = experts::find(&server.db, &id).await.unwrap();
    let coordinator = server.token_for("koordinaattori@example.fi").await;
    let expert = server.token_for("asiantuntija@example.fi").await;
    for (token, county, centre) in [
        (&coordinator, "pirkanmaa", "oulu"),
        (&coordinator, "lappi", ""),
        (&coordinator, "lappi", "oulu"),
        (&expert, "helsinki", ""),
        (&expert, "pirkanmaa", "helsinki"),
    ] {
        let mut body = edit(before.version);
        body["county"] = json!(county);
        body["centre"] = json!(centre);
        let (status, problem) = put(&api, token, &path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{county}/{centre}: {problem}");
    }
    assert_eq!(experts::find(&server.db, &id).await.unwrap(), before);
    let admin = server.token_for("yllapito@example.fi").await;
    let mut body = edit(before.version);
    body["centre"] = json!("oulu");
    assert_eq!(put(&api, &admin, &path, body).await.0, StatusCode::OK, "an admin may move a profile");

    let version = experts::find(&server.db, &id).await.unwrap().version;
    for (langs, field) in [
        (json!(["xx"]), "languages[0]"),
        (json!(["fi", "fin"]), "languages[1]"),
        (json!(["f"]), "languages[0]"),
        (json!(["f;i"]), "languages[0]"),
    ] {
        let mut body = edit(version);
        body["centre"] = json!("oulu");
        body["languages"] = langs;
        let (status, problem) = put(&api, &admin, &path, body).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)));
    }
    let mut body = edit(version);
    body["centre"] = json!("oulu");
    body["languages"] = json!(["FI", "Se", "fi"]);
    let (status, saved) = put(&api, &admin, &path, body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(saved["languages"], json!(["fi", "se"]));
    // Whatever the API stored, the directory still round-trips through the CSV.
    let mut exported = Vec::new();
    tukiverkko_store::experts_csv::write(&mut exported, &experts::list_all(&server.db).await.unwrap()).unwrap();
    let parsed = tukiverkko_store::experts_csv::parse(&exported[..], |_| {}).expect("the export imports");
    let plan = experts::plan_import(&server.db, &parsed).await.unwrap();
    assert!(plan.iter().all(|(c, _)| *c == experts::Change::Unchanged));
    server.stop().await;
}

async fn spreadsheet_cells_are_neutralised_and_read_back(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let expert = server.token_for("asiantuntija@example.fi").await;
    let id = own_profile(&server, "asiantuntija@example.fi").await;
    let version = experts::find(&server.db, &id).await.unwrap().version;
    let mut body = edit(version);
    body["title"] = json!("=HYPERLINK(\"https://evil.example\",\"x\")");
    body["organization"] = json!("@SUM(A1:A9)");
    body["bio"] = json!("-2+3");
    body["phone"] = json!("+358 40 1");
    assert_eq!(put(&api, &expert, &format!("/api/v1/experts/{id}"), body).await.0, StatusCode::OK);

    let dir = std::env::temp_dir().join(format!("tv-cells-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("out.csv");
    let out = crate::cli::run(
        crate::cli::tukiverkko(&server.database.url).args(["export", "experts", file.to_str().unwrap()]),
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", crate::cli::text(&out.stderr));
    let exported = std::fs::read_to_string(&file).unwrap();
    let mut reader = csv::Reader::from_reader(exported.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "live formula cell {cell:?}");
        }
    }
    assert!(exported.contains("'=HYPERLINK") && exported.contains("'+358 40 1"), "{exported}");
    let out = crate::cli::run(
        crate::cli::tukiverkko(&server.database.url).args(["import", "experts", file.to_str().unwrap()]),
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", crate::cli::text(&out.stderr));
    let after = experts::find(&server.db, &id).await.unwrap();
    assert_eq!(
        (after.title.as_str(), after.phone.as_str(), after.bio.as_str()),
        ("=HYPERLINK(\"https://evil.example\",\"x\")", "+358 40 1", "-2+3")
    );
    let again = dir.join("again.csv");
    crate::cli::run(
        crate::cli::tukiverkko(&server.database.url).args(["export", "experts", again.to_str().unwrap()]),
        "",
    );
    assert_eq!(std::fs::read_to_string(&again).unwrap(), exported, "export → import → export is exact");

    // The audit CSV: a break-glass reason is a cell an admin opens in a spreadsheet.
    let cast = cast(&server).await;
    let case = submitted_case(&api, &cast).await;
    let resp = api
        .client
        .get(server.url(&format!("/api/v1/consultations/{case}")))
        .bearer_auth(&cast.admin)
        .header("x-access-reason", "=cmd|' /C calc'!A0")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let csv = api
        .client
        .get(server.url("/api/v1/audit?format=csv&limit=10000"))
        .bearer_auth(&cast.admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("'=cmd"), "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert!(reader.records().all(|r| r.unwrap().iter().all(|c| !c.starts_with(['=', '+', '-', '@']))));
    std::fs::remove_dir_all(dir).unwrap();
    server.stop().await;
}
