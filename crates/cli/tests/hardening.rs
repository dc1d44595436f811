//! The defect classes an outside probe found (issue 11), each tried with
//! more variants than the probe named, over HTTP and the CLI, on both
//! backends: identity codes in every text and their disguises, control
//! characters, long input, meeting times and links, redirects, centre
//! moves, spreadsheet cells, error shapes, concurrent moves, the CSRF
//! origin behind a proxy, refused attempts in the trail, request ids.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tukiverkko_store::audit::{self, AuditFilter, Verification};
use tukiverkko_store::{experts, on_db};
use tukiverkko_web::ServerConfig;

use crate::consultations::{Api, cast, request_body, submitted_case};
use crate::support::{Kind, TestServer};

backends!(
    identity_codes_are_refused_in_profiles_on_every_path,
    disguised_identity_codes_are_refused_and_look_alikes_pass,
    long_input_gets_a_clear_error,
    meetings_stay_in_a_sane_window_and_links_cannot_inject,
    redirects_go_only_to_local_paths,
    control_characters_and_impossible_ids_are_refused,
    profiles_stay_in_their_centre_and_languages_are_iso,
    spreadsheet_cells_are_neutralised_and_read_back,
    every_error_is_problem_json,
    concurrent_assignments_with_the_version_read_never_both_succeed,
    csrf_origin_matches_the_public_url,
    refused_attempts_are_in_the_audit_trail,
    client_request_ids_are_bounded,
);

/// Ways to write 131052-308T that a reader still reads as that code.
const DISGUISED: [&str; 9] = [
    "131052-308T",
    "131052-308t",
    "13\u{AD}1052-308T",
    "1310\u{200B}52-308T",
    "131052\u{200D}-308T",
    "131052\u{2013}308T",
    "131052\u{2212}308T",
    "１３１０５２－３０８Ｔ",
    "1310\u{2060}52\u{2010}308T",
];

const HEAD: &str = "external_id,given_name,family_name,title,organization,sector,county,centre,languages,topics,methods,remote,accepts_consultations,bio,email,phone\n";

async fn own_profile(server: &TestServer, email: &str) -> String {
    let account = tukiverkko_store::accounts::find_by_email(&server.db, &email.parse().unwrap()).await.unwrap();
    experts::id_for_user(&server.db, &account.id).await.unwrap().unwrap()
}

fn edit(version: i64) -> Value {
    json!({"version": version, "given_name": "Aino", "family_name": "Asiantuntija", "title": "psykologi",
           "organization": "Tays", "sector": "health", "county": "pirkanmaa", "languages": ["fi"],
           "topics": ["radicalisation"], "methods": [], "remote": true, "accepts_consultations": true,
           "capacity": 4, "bio": "Radikalisoitumisen ehkäisy.", "phone": "+358 40 123 4567"})
}

async fn put(api: &Api<'_>, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    api.call(token, reqwest::Method::PUT, path, Some(body)).await
}

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
    // Probing cannot flood the trail: refusals are recorded at a bounded rate.
    for n in 0..(audit::REFUSALS_PER_MINUTE + 10) {
        api.get(&cast.other_requester, &format!("/api/v1/consultations/probe-{n}")).await;
    }
    let probes = entries("consultation.read")
        .await
        .into_iter()
        .filter(|e| e.object_id.as_deref().is_some_and(|o| o.starts_with("probe-")))
        .count();
    assert!(probes <= audit::REFUSALS_PER_MINUTE as usize && probes > 0, "{probes}");
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
