//! Methods and training over HTTP, on both backends: the catalogue and its
//! versions, a webinar series filled under concurrency with a FIFO waiting
//! list, promotion on cancel, attendance, certificates that anyone can
//! verify, calendars, and coverage by county.

use crate::consultations::{Api, cast};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_domain::Role;
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::on_db;

backends!(
    the_methods_catalogue_is_edited_by_coordinators_and_versioned,
    thirty_at_once_for_ten_places_gives_ten_and_a_queue_in_order,
    a_cancellation_gives_the_place_to_the_first_in_line,
    attendance_yields_certificates_anyone_can_verify,
    bad_trainings_are_refused_naming_the_field_and_nothing_is_stored,
);

pub(crate) fn at(days: i64, hour: u32) -> String {
    use chrono::{DurationRound, TimeDelta};
    let day = (chrono::Utc::now() + TimeDelta::days(days)).duration_trunc(TimeDelta::days(1)).unwrap();
    (day + TimeDelta::hours(hour as i64)).to_rfc3339()
}

pub(crate) fn series(capacity: i64, required: Option<i64>) -> Value {
    let mut body = json!({
        "title": "IPC-webinaarisarja", "description": "Tapauskonsultaatioihin perustuva sarja.", "method": "ipc",
        "format": "remote", "link": "https://meet.example.fi/ipc", "capacity": capacity,
        "sessions": [{"starts_at": at(10, 9), "minutes": 90}, {"starts_at": at(17, 9), "minutes": 90}, {"starts_at": at(24, 9), "minutes": 90}],
    });
    if let Some(r) = required {
        body["required_sessions"] = json!(r);
    }
    body
}

pub(crate) async fn person(server: &TestServer, n: usize) -> (String, String) {
    let email = format!("osallistuja{n}@example.fi");
    let user = NewUser {
        email: email.parse().unwrap(),
        name: format!("Osallistuja {n}"),
        roles: vec![Role::Requester],
        centre: None,
        organization_id: None,
        password: None,
    };
    accounts::create(&server.db, &user, &tukiverkko_store::audit::AuditActor::system()).await.unwrap();
    (email.clone(), server.token_for(&email).await)
}

pub(crate) async fn publish(api: &Api<'_>, coordinator: &str, body: Value) -> String {
    let (status, created) = api.post(coordinator, "/api/v1/trainings", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_str().unwrap().to_string()
}

async fn the_methods_catalogue_is_edited_by_coordinators_and_versioned(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let (status, list) = api.get(&cast.requester, "/api/v1/methods").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 14, "every method code of the taxonomy");
    let ipc = list["items"].as_array().unwrap().iter().find(|m| m["code"] == "ipc").unwrap();
    assert_eq!(ipc["evidence"]["level"], "not_rated");
    assert_eq!(ipc["name"]["sv"], "IPC – interpersonell rådgivning");

    let entry = json!({"description": {"fi": "Lyhyt ohjanta masennusoireisiin.", "sv": "Kort rådgivning.", "en": "Brief counselling."},
                       "evidence": {"level": "moderate_evidence", "rated_on": "2025-05-20", "source": "Kasvun tuki"},
                       "target_group": "12–17-vuotiaat", "age_min": 12, "age_max": 17, "trainers": [cast.expert_profile]});
    let path = "/api/v1/methods/ipc";
    assert_eq!(
        api.call(&cast.requester, reqwest::Method::PUT, path, Some(entry.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, saved) = api.call(&cast.coordinator, reqwest::Method::PUT, path, Some(entry.clone())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((saved["evidence"]["level"].clone(), saved["version"].clone()), (json!("moderate_evidence"), json!(1)));
    let (_, read) = api.get(&cast.requester, path).await;
    assert_eq!((read["age_min"].clone(), read["evidence"]["source"].clone()), (json!(12), json!("Kasvun tuki")));
    let mut stale = entry.clone();
    stale["version"] = json!(0);
    stale["evidence"]["level"] = json!("strong_evidence");
    assert_eq!(api.call(&cast.coordinator, reqwest::Method::PUT, path, Some(stale)).await.0, StatusCode::CONFLICT);
    let mut next = entry.clone();
    next["version"] = json!(1);
    next["evidence"]["level"] = json!("strong_evidence");
    assert_eq!(api.call(&cast.coordinator, reqwest::Method::PUT, path, Some(next)).await.0, StatusCode::OK);
    let versions: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM method_versions WHERE code = 'ipc'")
        .fetch_one(pool).await.unwrap());
    assert_eq!(versions, 2, "every change is kept with who and when");

    for (body, field) in [
        (json!({"evidence": {"level": "great"}}), "evidence.level"),
        (json!({"evidence": {"level": "no_effect", "rated_on": "eilen"}}), "evidence.rated_on"),
        (json!({"age_min": 15, "age_max": 12}), "age_max"),
        (json!({"description": "Nuori 131052-308T"}), "description.fi"),
    ] {
        let (status, problem) = api.call(&cast.coordinator, reqwest::Method::PUT, path, Some(body)).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{problem}");
    }
    assert_eq!(api.get(&cast.requester, "/api/v1/methods/astrology").await.0, StatusCode::NOT_FOUND);
    server.stop().await;
}

async fn thirty_at_once_for_ten_places_gives_ten_and_a_queue_in_order(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = publish(&api, &cast.coordinator, series(10, None)).await;
    let mut people = Vec::new();
    for n in 0..30 {
        people.push(person(&server, n).await);
    }
    let path = format!("/api/v1/trainings/{id}/registrations");
    let calls = people.iter().map(|(_, token)| api.post(token, &path, json!({})));
    let answers = futures_util::future::join_all(calls).await;
    let mut registered = 0;
    let mut positions = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
        match body["status"].as_str().unwrap() {
            "registered" => registered += 1,
            "waitlisted" => positions.push(body["position"].as_i64().unwrap()),
            other => panic!("{other}"),
        }
    }
    positions.sort();
    assert_eq!(registered, 10);
    assert_eq!(positions, (1..=20).collect::<Vec<_>>(), "each in the queue has a place of their own");
    assert_eq!(api.post(&people[0].1, &path, json!({})).await.0, StatusCode::CONFLICT, "registering twice");

    let (status, list) = api.get(&cast.coordinator, &path).await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<&str> = list["items"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "registered").count(), 10);
    assert!(statuses[..10].iter().all(|s| *s == "registered"), "registered first, then the queue");
    let queue: Vec<i64> =
        list["items"].as_array().unwrap()[10..].iter().map(|i| i["position"].as_i64().unwrap()).collect();
    assert_eq!(queue, (1..=20).collect::<Vec<_>>());
    assert_eq!(api.get(&cast.requester, &path).await.0, StatusCode::FORBIDDEN);
    server.stop().await;
}

async fn a_cancellation_gives_the_place_to_the_first_in_line(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = publish(&api, &cast.coordinator, series(1, None)).await;
    let path = format!("/api/v1/trainings/{id}/registrations");
    let (a, b, c) = (person(&server, 1).await, person(&server, 2).await, person(&server, 3).await);
    for (_, token) in [&a, &b, &c] {
        api.post(token, &path, json!({})).await;
    }
    let mine = format!("{path}/me");
    assert_eq!(api.call(&cast.requester, reqwest::Method::DELETE, &mine, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.call(&a.1, reqwest::Method::DELETE, &mine, None).await.0, StatusCode::NO_CONTENT);
    let (_, list) = api.get(&cast.coordinator, &path).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!((items[0]["email"].as_str(), items[0]["status"].as_str()), (Some(b.0.as_str()), Some("registered")));
    assert_eq!((items[1]["email"].as_str(), items[1]["position"].as_i64()), (Some(c.0.as_str()), Some(1)));
    let account = accounts::find_by_email(&server.db, &b.0.parse().unwrap()).await.unwrap();
    let kinds: Vec<String> = tukiverkko_store::notifications::unread(&server.db, &account.id)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(kinds, ["training_place"], "the promoted person is told");

    // Calendars: the training's own invitation, and the sessions in the personal feed of a registered person.
    let ics = reqwest::Client::new()
        .get(server.url(&format!("/api/v1/trainings/{id}/ics")))
        .bearer_auth(&b.1)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
    let feed = reqwest::Client::new()
        .get(server.url("/api/v1/calendar.ics"))
        .bearer_auth(&b.1)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(feed.matches("IPC-webinaarisarja").count(), 3, "{feed}");
    let waiting = reqwest::Client::new()
        .get(server.url("/api/v1/calendar.ics"))
        .bearer_auth(&c.1)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!waiting.contains("IPC-webinaarisarja"), "the queue has no sessions yet");
    server.stop().await;
}

async fn attendance_yields_certificates_anyone_can_verify(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = publish(&api, &cast.coordinator, series(5, Some(2))).await;
    let path = format!("/api/v1/trainings/{id}/registrations");
    // The demo requester works for a Pirkanmaa organisation: the coverage counts them there.
    api.post(&cast.requester, &path, json!({})).await;
    let other = person(&server, 7).await;
    api.post(&other.1, &path, json!({})).await;
    let attendance = format!("/api/v1/trainings/{id}/attendance");
    let (status, problem) = api
        .post(
            &cast.coordinator,
            &attendance,
            json!({"session": 0, "present": ["pyytaja@example.fi", "vieras@example.fi"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "present");
    assert!(problem["detail"].as_str().unwrap().contains("vieras@example.fi"), "{problem}");
    let stored: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM training_attendance")
        .fetch_one(pool).await.unwrap());
    assert_eq!(stored, 0, "nothing stored");

    let (_, first) = api
        .post(&cast.coordinator, &attendance, json!({"session": 0, "present": ["pyytaja@example.fi", other.0]}))
        .await;
    assert_eq!(first["certificates_issued"], 0);
    let (_, second) =
        api.post(&cast.coordinator, &attendance, json!({"session": 1, "present": ["pyytaja@example.fi"]})).await;
    assert_eq!(second["certificates_issued"], 1, "two of three sessions were required");
    let (_, mine) = api.get(&cast.requester, "/api/v1/me/certificates").await;
    assert_eq!(mine["total"], 1);
    let code = mine["items"][0]["code"].as_str().unwrap().to_string();
    assert_eq!(mine["items"][0]["training"], "IPC-webinaarisarja");
    let (_, none) = api.get(&other.1, "/api/v1/me/certificates").await;
    assert_eq!(none["total"], 0);

    // Public verification, without signing in.
    let page = reqwest::get(server.url(&format!("/certificates/{code}"))).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Pia Pyytäjä") && html.contains("IPC-webinaarisarja") && html.contains(&code));
    assert_eq!(reqwest::get(server.url("/certificates/EIOLEOLEMASSA")).await.unwrap().status(), StatusCode::NOT_FOUND);

    let (_, coverage) = api.get(&cast.researcher, "/api/v1/methods/coverage?method=ipc").await;
    assert_eq!(coverage["counties"].as_object().unwrap().len(), 22);
    assert_eq!(coverage["counties"]["pirkanmaa"], json!({"trained": 1, "in_use": false}));
    let (status, _) = api
        .post(
            &cast.coordinator,
            "/api/v1/methods/ipc/use",
            json!({"county": "lappi", "since": "2025-01-01", "unit": "Nuorisopsykiatria"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, coverage) = api.get(&cast.researcher, "/api/v1/methods/coverage?method=ipc").await;
    assert_eq!(coverage["counties"]["lappi"]["in_use"], true);
    let (status, problem) = api.get(&cast.researcher, "/api/v1/methods/coverage?method=tarot").await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("method")));

    // The method's page shows the map with the same figures as a table.
    let (browser, _) = server.signed_in_browser("tutkija@example.fi").await;
    let html = browser.get(server.url("/methods/ipc")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("<caption>"), "a map and its table");
    server.stop().await;
}

async fn bad_trainings_are_refused_naming_the_field_and_nothing_is_stored(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let with = |change: Value| {
        let mut body = series(10, None);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for (body, field) in [
        (with(json!({"capacity": 0})), "capacity"),
        (with(json!({"sessions": [{"starts_at": at(-2, 9), "minutes": 60}]})), "sessions.0.starts_at"),
        (
            with(
                json!({"sessions": [{"starts_at": at(3, 9), "minutes": 120}, {"starts_at": at(3, 10), "minutes": 60}]}),
            ),
            "sessions.1.starts_at",
        ),
        (with(json!({"sessions": []})), "sessions"),
        (with(json!({"method": "astrology"})), "method"),
        (with(json!({"format": "telepathy"})), "format"),
        (with(json!({"link": ""})), "link"),
        (with(json!({"format": "onsite", "link": ""})), "location"),
        (with(json!({"required_sessions": 4})), "required_sessions"),
        (with(json!({"title": "Nuori 131052-308T"})), "title"),
    ] {
        let (status, problem) = api.post(&cast.coordinator, "/api/v1/trainings", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {problem}");
        assert_eq!(problem["field"], field, "{problem}");
    }
    assert_eq!(api.post(&cast.requester, "/api/v1/trainings", series(10, None)).await.0, StatusCode::FORBIDDEN);
    let stored: i64 =
        on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM trainings").fetch_one(pool).await.unwrap());
    assert_eq!(stored, 0);
    server.stop().await;
}
