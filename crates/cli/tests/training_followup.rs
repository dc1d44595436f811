//! What follows registration, on both backends: certificates as A4 PDF in
//! the holder's language, reminders before each session (once, from the
//! `remind` command as cron runs it), feedback only from those who
//! attended and shown only over enough answers, and the coordinator's
//! browser forms: publishing a series, attendance from a file, method use.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tukiverkko_store::on_db;

use crate::cli::{run, text, tukiverkko};
use crate::consultations::{Api, cast};
use crate::support::{Kind, TestServer, csrf_field};
use crate::training::{at, person, publish, series};

backends!(
    a_certificate_prints_as_an_a4_pdf_in_the_holders_language,
    reminders_go_out_once_per_session_to_those_holding_a_place,
    feedback_comes_only_from_those_who_attended_and_shows_only_over_enough_answers,
    a_coordinator_publishes_a_series_and_takes_attendance_from_a_file_in_the_browser,
);

async fn count(server: &TestServer, sql: &'static str) -> i64 {
    on_db!(&server.db, pool => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap())
}

/// What a poppler tool (pdftotext, pdfinfo) reads from the PDF; None when
/// poppler-utils is not installed (CI installs it and sets
/// TUKIVERKKO_REQUIRE_PDFTOTEXT, so there the checks always run).
fn poppler(tool: &str, bytes: &[u8]) -> Option<String> {
    let file = std::env::temp_dir().join(format!("tv-cert-{}.pdf", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new(tool)
        .arg(&file)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output();
    let _ = std::fs::remove_file(&file);
    match out {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).to_string()),
        _ => {
            assert!(std::env::var("TUKIVERKKO_REQUIRE_PDFTOTEXT").is_err(), "{tool} (poppler-utils) is required");
            None
        }
    }
}

async fn a_certificate_prints_as_an_a4_pdf_in_the_holders_language(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = publish(&api, &cast.coordinator, series(5, Some(1))).await;
    let (email, token) = person(&server, 3).await;
    on_db!(&server.db, pool => sqlx::query("UPDATE users SET language = 'sv', name = 'Åsa Öberg' WHERE email = $1")
        .bind(&email).execute(pool).await.unwrap().rows_affected());
    api.post(&token, &format!("/api/v1/trainings/{id}/registrations"), json!({})).await;
    let (status, issued) = api
        .post(
            &cast.coordinator,
            &format!("/api/v1/trainings/{id}/attendance"),
            json!({"session": 0, "present": [email]}),
        )
        .await;
    assert_eq!((status, issued["certificates_issued"].clone()), (StatusCode::OK, json!(1)));
    let (_, mine) = api.get(&token, "/api/v1/me/certificates").await;
    let code = mine["items"][0]["code"].as_str().unwrap().to_string();
    assert_eq!(mine["items"][0]["pdf"], format!("/certificates/{code}/pdf"));

    // Anyone holding the code gets the PDF, without signing in.
    let resp = reqwest::get(server.url(&format!("/certificates/{code}/pdf"))).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    if let Some(text) = poppler("pdftotext", &bytes) {
        assert!(text.contains("Utbildningsintyg"), "in the holder's language (Swedish): {text}");
        assert!(text.contains("Åsa Öberg") && text.contains("IPC-webinaarisarja") && text.contains(&code), "{text}");
        assert!(text.contains(&format!("/certificates/{code}")), "says where to verify it: {text}");
    }
    if let Some(info) = poppler("pdfinfo", &bytes) {
        assert!(info.contains("Pages:           1"), "one page: {info}");
        assert!(info.contains("595.") && info.contains("841."), "A4: {info}");
    }
    let page = reqwest::get(server.url(&format!("/certificates/{code}"))).await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("/certificates/{code}/pdf")), "the verification page links the PDF");
    assert_eq!(
        reqwest::get(server.url("/certificates/EIOLEOLEMASSA/pdf")).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

fn soon_and_later() -> Value {
    let mut body = series(1, None);
    body["sessions"] = json!([{"starts_at": at(1, 9), "minutes": 60}, {"starts_at": at(12, 9), "minutes": 60}]);
    body["title"] = json!("Lapset puheeksi -perusteet");
    body
}

async fn reminders_go_out_once_per_session_to_those_holding_a_place(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = publish(&api, &cast.coordinator, soon_and_later()).await;
    let (_, first) = person(&server, 1).await;
    let (_, queued) = person(&server, 2).await;
    let path = format!("/api/v1/trainings/{id}/registrations");
    assert_eq!(api.post(&first, &path, json!({})).await.1["status"], "registered");
    assert_eq!(api.post(&queued, &path, json!({})).await.1["status"], "waitlisted");

    let remind = |days: &str| {
        let mut cmd = tukiverkko(&server.database.url);
        cmd.env("TUKIVERKKO_TRAINING_REMINDER_DAYS", days).arg("remind");
        run(&mut cmd, "")
    };
    let out = remind("2");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("1 training reminders sent"), "{}", text(&out.stdout));
    // Only the session within two days, only the person with a place.
    let reminded = count(
        &server,
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.kind = 'training_reminder' AND u.email = 'osallistuja1@example.fi'",
    )
    .await;
    assert_eq!(reminded, 1);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM notifications WHERE kind = 'training_reminder'").await, 1);
    let again = remind("2");
    assert!(text(&again.stdout).starts_with("0 training reminders sent"), "a second run sends nothing again");
    let wide = remind("20");
    assert!(text(&wide.stdout).starts_with("1 training reminders sent"), "the later session, once in range");

    let bad = remind("400");
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("TUKIVERKKO_TRAINING_REMINDER_DAYS"), "{}", text(&bad.stderr));
    server.stop().await;
}

async fn feedback_comes_only_from_those_who_attended_and_shows_only_over_enough_answers(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = publish(&api, &cast.coordinator, series(10, Some(1))).await;
    let mut people = Vec::new();
    for n in 0..7 {
        let p = person(&server, n).await;
        api.post(&p.1, &format!("/api/v1/trainings/{id}/registrations"), json!({})).await;
        people.push(p);
    }
    let present: Vec<&String> = people[..6].iter().map(|(e, _)| e).collect();
    let (status, _) = api
        .post(
            &cast.coordinator,
            &format!("/api/v1/trainings/{id}/attendance"),
            json!({"session": 0, "present": present}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let told = count(&server, "SELECT COUNT(*) FROM notifications WHERE kind = 'training_certificate'").await;
    assert_eq!(told, 6, "each new certificate holder is told and asked for feedback");

    let path = format!("/api/v1/trainings/{id}/feedback");
    let absent = &people[6].1;
    let (status, _) = api.post(absent, &path, json!({"rating": 5, "applicable": 5})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "asked only of those who attended");
    for (body, field) in [
        (json!({"rating": 0, "applicable": 3}), "rating"),
        (json!({"rating": 4, "applicable": 6}), "applicable"),
        (json!({"rating": 4, "applicable": 4, "comment": "Asiakas 131052-308T hyötyisi"}), "comment"),
    ] {
        let (status, problem) = api.post(&people[0].1, &path, body).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{problem}");
    }
    assert_eq!(count(&server, "SELECT COUNT(*) FROM training_feedback").await, 0, "nothing stored");

    for (n, (_, token)) in people[..4].iter().enumerate() {
        let body = json!({"rating": 3 + (n as i64 % 3), "applicable": 4, "comment": if n == 0 { "Hyviä esimerkkejä" } else { "" }});
        assert_eq!(api.post(token, &path, body).await.0, StatusCode::CREATED);
    }
    assert_eq!(api.post(&people[0].1, &path, json!({"rating": 1, "applicable": 1})).await.0, StatusCode::CONFLICT);
    assert_eq!(api.get(&people[0].1, &path).await.0, StatusCode::FORBIDDEN, "results are for coordinators");
    let (_, few) = api.get(&cast.coordinator, &path).await;
    assert_eq!(few, json!({"responses": "<5", "suppressed": true, "rating": null, "applicable": null, "comments": []}));

    api.post(&people[4].1, &path, json!({"rating": 5, "applicable": 2})).await;
    let (_, enough) = api.get(&cast.coordinator, &path).await;
    assert_eq!(enough["responses"], 5);
    assert_eq!(enough["suppressed"], false);
    // Ratings 3, 4, 5, 3, 5 and applicability 4, 4, 4, 4, 2.
    assert_eq!((enough["rating"].clone(), enough["applicable"].clone()), (json!(4.0), json!(3.6)));
    assert_eq!(enough["comments"], json!(["Hyviä esimerkkejä"]));

    // The page asks the one who attended and has not answered, and no one else.
    let (browser, _) = signed_in_as(&server, &people[5].0).await;
    let html = browser.get(server.url(&format!("/trainings/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("name=\"rating\""), "the feedback form");
    let csrf = csrf_field(&html);
    let resp = browser
        .post(server.url(&format!("/trainings/{id}/act")))
        .form(&[("csrf", csrf.as_str()), ("action", "feedback"), ("rating", "4"), ("applicable", "5"), ("comment", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM training_feedback").await, 6);
    let html = browser.get(server.url(&format!("/trainings/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("name=\"rating\""), "answered once, not asked again");
    server.stop().await;
}

/// A browser session for a person made by `person`, who has no password:
/// one is set here as an administrator would.
async fn signed_in_as(server: &TestServer, email: &str) -> (reqwest::Client, String) {
    let hash = tukiverkko_store::accounts::hash_password(tukiverkko_store::demo::DEMO_PASSWORD);
    on_db!(&server.db, pool => sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
        .bind(&hash).bind(email).execute(pool).await.unwrap().rows_affected());
    server.signed_in_browser(email).await
}

async fn a_coordinator_publishes_a_series_and_takes_attendance_from_a_file_in_the_browser(kind: Kind) {
    let server = TestServer::start(kind).await;
    let cast = cast(&server).await;
    let api = Api::new(&server);
    let (browser, csrf) = server.signed_in_browser("koordinaattori@example.fi").await;
    let form = browser.get(server.url("/trainings/new")).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let day = |d: i64| at(d, 0)[..10].to_string();
    let (d1, d2) = (day(8), day(15));
    let mut fields = vec![
        ("csrf", csrf.clone()),
        ("title", "MDFT-webinaarisarja".to_string()),
        ("method", "mdft".into()),
        ("format", "remote".into()),
        ("link", "https://meet.example.fi/mdft".into()),
        ("capacity", "0".into()),
        ("date_0", d1.clone()),
        ("time_0", "13:00".into()),
        ("minutes_0", "90".into()),
        ("date_2", d2.clone()),
        ("time_2", "13:00".into()),
        ("minutes_2", "90".into()),
    ];
    let refused = browser.post(server.url("/trainings")).form(&fields).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("href=\"#capacity\"") && html.contains("MDFT-webinaarisarja"),
        "the error, and what was typed"
    );
    assert_eq!(count(&server, "SELECT COUNT(*) FROM trainings").await, 0);
    fields[5].1 = "20".into();
    let published = browser.post(server.url("/trainings")).form(&fields).send().await.unwrap();
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let location = published.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("?done=published"), "{location}");
    let id = location.trim_start_matches("/trainings/").split('?').next().unwrap().to_string();
    let (_, training) = api.get(&cast.requester, &format!("/api/v1/trainings/{id}")).await;
    assert_eq!(training["sessions"].as_array().unwrap().len(), 2, "the empty middle row is left out");
    assert_eq!(training["method"], "mdft");
    // 13:00 in Helsinki is 11:00 UTC in winter and 10:00 in summer.
    let starts = training["sessions"][0]["starts_at"].as_str().unwrap();
    assert!(starts.contains("T11:00:00") || starts.contains("T10:00:00"), "{starts}");
    let (browser_requester, _) = server.signed_in_browser("pyytaja@example.fi").await;
    let forbidden = browser_requester.get(server.url("/trainings/new")).send().await.unwrap();
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);

    for n in 0..2 {
        let (_, token) = person(&server, n).await;
        api.post(&token, &format!("/api/v1/trainings/{id}/registrations"), json!({})).await;
    }
    let upload = |file: &'static str| {
        Form::new()
            .text("csrf", csrf.clone())
            .text("session", "0")
            .part("file", Part::bytes(file.as_bytes().to_vec()).file_name("osallistujat.csv"))
    };
    let path = server.url(&format!("/trainings/{id}/attendance-file"));
    let bad = browser
        .post(&path)
        .multipart(upload("Nimi,Sähköposti\nYksi,osallistuja0@example.fi\nKaksi,ei osoite\nKolme,vieras@example.fi\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Rivi 3"), "the line that is not an address: {html}");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM training_attendance").await, 0, "all or nothing");
    let unregistered =
        browser.post(&path).multipart(upload("osallistuja0@example.fi\nvieras@example.fi\n")).send().await.unwrap();
    assert_eq!(unregistered.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unregistered.text().await.unwrap().contains("Rivi 2: vieras@example.fi"));
    let good = browser
        .post(&path)
        .multipart(upload("Nimi,Sähköposti\nYksi,osallistuja0@example.fi\nKaksi,OSALLISTUJA1@example.fi\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM training_attendance").await, 2);

    // Where the method is in use, recorded from its page.
    let use_path = server.url("/methods/mdft/use");
    let bad = browser
        .post(&use_path)
        .form(&[("csrf", csrf.as_str()), ("county", "atlantis"), ("unit", "Nuorisoasema"), ("since", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM method_use").await, 0);
    let ok = browser
        .post(&use_path)
        .form(&[("csrf", csrf.as_str()), ("county", "kainuu"), ("unit", "Nuorisoasema"), ("since", "2024-09-01")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let (_, coverage) = api.get(&cast.researcher, "/api/v1/methods/coverage?method=mdft").await;
    assert_eq!(coverage["counties"]["kainuu"]["in_use"], true);
    // The directory's method facet leads to the method's entry.
    let search = browser.get(server.url("/experts?method=mdft")).send().await.unwrap().text().await.unwrap();
    assert!(search.contains("href=\"/methods/mdft\""), "the method filter links its catalogue entry");
    server.stop().await;
}
