//! The consultation service end to end over the API, on both backends:
//! the whole flow, the identity-code guard, who can see a case, and
//! wrong-state answers.

use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_domain::{CentreCode, Role, calendar};
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::audit::{self, Verification};
use tukiverkko_store::{experts, on_db};

backends!(
    requester_coordinator_panel_and_feedback_complete_a_case,
    identity_codes_are_refused_in_every_free_text_field,
    only_participants_see_a_case_and_admins_need_a_reason,
    wrong_state_is_a_conflict_that_says_why,
    rerouting_moves_the_case_and_keeps_the_reason,
    lead_declining_returns_the_case_to_the_queue,
    a_read_is_refused_when_its_audit_entry_cannot_be_written,
);

pub(crate) struct Api<'a> {
    pub server: &'a TestServer,
    pub client: reqwest::Client,
}

impl<'a> Api<'a> {
    pub fn new(server: &'a TestServer) -> Self {
        Self { server, client: reqwest::Client::new() }
    }

    pub async fn call(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.server.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(token, reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(token, reqwest::Method::POST, path, Some(body)).await
    }
}

pub(crate) struct Cast {
    pub requester: String,
    pub coordinator: String,
    pub expert: String,
    pub experience_expert: String,
    pub admin: String,
    pub researcher: String,
    pub other_requester: String,
    pub other_coordinator: String,
    pub expert_profile: String,
    pub experience_profile: String,
}

pub(crate) async fn cast(server: &TestServer) -> Cast {
    for (email, roles, centre) in [
        ("toinen.pyytaja@example.fi", vec![Role::Requester], None),
        ("oulu.koordinaattori@example.fi", vec![Role::Coordinator], Some(CentreCode::Oulu)),
    ] {
        let user = NewUser {
            email: email.parse().unwrap(),
            name: "Muu Käyttäjä".into(),
            roles,
            centre,
            organization_id: None,
            password: None,
        };
        accounts::create(&server.db, &user, &tukiverkko_store::audit::AuditActor::system()).await.unwrap();
    }
    let profile = |email: &'static str| async move {
        let a = accounts::find_by_email(&server.db, &email.parse().unwrap()).await.unwrap();
        experts::id_for_user(&server.db, &a.id).await.unwrap().unwrap()
    };
    Cast {
        requester: server.token_for("pyytaja@example.fi").await,
        coordinator: server.token_for("koordinaattori@example.fi").await,
        expert: server.token_for("asiantuntija@example.fi").await,
        experience_expert: server.token_for("kokemus@example.fi").await,
        admin: server.token_for("yllapito@example.fi").await,
        researcher: server.token_for("tutkija@example.fi").await,
        other_requester: server.token_for("toinen.pyytaja@example.fi").await,
        other_coordinator: server.token_for("oulu.koordinaattori@example.fi").await,
        expert_profile: profile("asiantuntija@example.fi").await,
        experience_profile: profile("kokemus@example.fi").await,
    }
}

/// A meeting time two days ahead at a whole hour, in UTC.
pub(crate) fn meeting_start() -> chrono::DateTime<chrono::Utc> {
    use chrono::{DurationRound, TimeDelta};
    (chrono::Utc::now() + TimeDelta::days(2)).duration_trunc(TimeDelta::hours(1)).unwrap()
}

pub(crate) fn request_body() -> Value {
    json!({
        "question": "Miten tukea 14-vuotiasta, jonka perheessä on kunniaan liittyvän väkivallan uhka?",
        "background": "Nuori on sijoitettuna, psykiatrinen hoitokontakti on alkanut.",
        "tried": "Verkostopalaveri koulun kanssa.",
        "topics": ["honour_violence", "foster_care"],
        "urgency": "normal",
        "format": "meeting",
        "legal_basis": "child_consent",
        "client": {"age": 14, "county": "pirkanmaa", "services": ["child_welfare", "adolescent_psychiatry"]}
    })
}

pub(crate) async fn submitted_case(api: &Api<'_>, cast: &Cast) -> String {
    let (status, case) = api.post(&cast.requester, "/api/v1/consultations", request_body()).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap().to_string();
    let (status, _) = api.post(&cast.requester, &format!("/api/v1/consultations/{id}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    id
}

/// A submitted case assigned to the demo expert as its lead.
pub(crate) async fn assigned_case(api: &Api<'_>, cast: &Cast) -> String {
    let id = submitted_case(api, cast).await;
    let panel = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
    let (status, _) = api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/assignment"), panel).await;
    assert_eq!(status, StatusCode::OK);
    id
}

async fn actions_on(server: &TestServer, id: &str) -> Vec<(String, String)> {
    let filter = audit::AuditFilter { object_id: Some(id.to_string()), limit: 1000, ..Default::default() };
    audit::list(&server.db, &filter).await.unwrap().into_iter().rev().map(|e| (e.action, e.outcome)).collect()
}

async fn requester_coordinator_panel_and_feedback_complete_a_case(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;

    let (status, draft) = api.post(&cast.requester, "/api/v1/consultations", request_body()).await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["centre"], "tampere", "Pirkanmaa belongs to the Tampere centre's area");
    assert!(draft["reference"].as_str().unwrap().starts_with("TV-"));
    let id = draft["id"].as_str().unwrap().to_string();
    let case = |suffix: &str| format!("/api/v1/consultations/{id}{suffix}");

    let (_, queue) = api.get(&cast.coordinator, "/api/v1/consultations").await;
    assert!(queue["items"].as_array().unwrap().is_empty(), "drafts stay with the requester");

    let (status, submitted) = api.post(&cast.requester, &case("/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(submitted["status"], "submitted");
    let today = calendar::to_helsinki(tukiverkko_store::now()).date();
    assert_eq!(submitted["due_date"], calendar::add_working_days(today, 5).to_string(), "normal: five working days");

    let (_, queue) = api.get(&cast.coordinator, "/api/v1/consultations").await;
    assert_eq!(queue["items"][0]["id"], id.as_str());
    assert_eq!(queue["items"][0]["overdue"], false);
    assert!(queue["items"][0].get("question").is_none(), "the list carries no case content");

    let (status, suggestions) = api.get(&cast.coordinator, &case("/suggested-experts")).await;
    assert_eq!(status, StatusCode::OK, "{suggestions}");
    let items = suggestions["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items.iter().all(|s| s["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "topic" || r["code"] == "service"))
    );
    let first = &items[0];
    assert!(first["reasons"].as_array().unwrap().iter().any(|r| r["code"] == "topic"), "{first}");

    let panel = json!({"experts": [cast.expert_profile, cast.experience_profile], "lead": cast.expert_profile});
    let (status, assigned) = api.post(&cast.coordinator, &case("/assignment"), panel).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["status"], "assigned");
    let (_, notes) = api.get(&cast.expert, "/api/v1/notifications").await;
    let note =
        notes.as_array().unwrap().iter().find(|n| n["kind"] == "consultation_assigned").expect("expert notified");
    assert_eq!(note["link"], format!("/consultations/{id}"));
    assert!(!note.to_string().contains("kunnia"), "notifications carry no case content");

    let (status, _) = api.post(&cast.experience_expert, &case("/accept"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) =
        api.post(&cast.experience_expert, &case("/messages"), json!({"body": "Voin osallistua palaveriin."})).await;
    assert_eq!(status, StatusCode::CREATED);
    let starts = meeting_start();
    let meeting = json!({"starts_at": starts.to_rfc3339(), "minutes": 60, "link": "https://meet.example.fi/abc"});
    let (status, created) = api.post(&cast.expert, &case("/meetings"), meeting).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let ics = reqwest::Client::new()
        .get(server.url(created["ics"].as_str().unwrap()))
        .bearer_auth(&cast.requester)
        .send()
        .await
        .unwrap();
    assert_eq!(ics.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = ics.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"), "{ics}");
    let (start, end) =
        (starts.format("%Y%m%dT%H%M%SZ"), (starts + chrono::Duration::hours(1)).format("%Y%m%dT%H%M%SZ"));
    assert!(ics.contains(&format!("DTSTART:{start}")) && ics.contains(&format!("DTEND:{end}")), "{ics}");
    assert!(!ics.contains("kunnia"), "the invitation names no case content");

    let (status, _) = api
        .post(&cast.experience_expert, &case("/statement"), json!({"assessment": "x", "recommendations": "y"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the lead writes the statement");
    let statement = json!({
        "assessment": "Uhka on todellinen; turvallisuussuunnitelma tarvitaan.",
        "recommendations": "MARAK-arvio ja turvakotiyhteistyö.",
        "suggested_methods": ["systemic_model"],
        "follow_up": "Seurantapalaveri kuukauden kuluttua."
    });
    let (status, answered) = api.post(&cast.expert, &case("/statement"), statement).await;
    assert_eq!((status, answered["status"].as_str()), (StatusCode::OK, Some("answered")), "{answered}");

    let feedback =
        json!({"usefulness": 5, "referral_avoided": true, "would_ask_again": true, "comment": "Selkeä lausunto."});
    let (status, closed) = api.post(&cast.requester, &case("/feedback"), feedback).await;
    assert_eq!((status, closed["status"].as_str()), (StatusCode::OK, Some("closed")), "{closed}");

    let (status, full) = api.get(&cast.requester, &case("")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(full["statement"]["suggested_methods"], json!(["systemic_model"]));
    assert_eq!(full["feedback"]["usefulness"], 5);
    assert_eq!(full["messages"][0]["body"], "Voin osallistua palaveriin.");
    let moves: Vec<&str> = full["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        moves,
        ["submit", "assign", "accept", "meeting", "statement", "feedback"],
        "the meeting is in the history"
    );
    assert!(
        full["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor_id"].as_str().is_some_and(|a| !a.is_empty()) && e["at"].as_i64() > Some(0))
    );

    let audited = actions_on(&server, &id).await;
    for step in [
        "consultation.create",
        "consultation.submit",
        "consultation.suggest",
        "consultation.assign",
        "consultation.accept",
        "consultation.message",
        "consultation.meeting",
        "consultation.meeting_read",
        "consultation.statement",
        "consultation.feedback",
        "consultation.read",
    ] {
        assert!(audited.iter().any(|(a, o)| a == step && o == "ok"), "{step} missing from {audited:?}");
    }
    assert!(matches!(audit::verify(&server.db).await.unwrap(), Verification::Intact { .. }));
    server.stop().await;
}

async fn count_cases(server: &TestServer) -> i64 {
    on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations").fetch_one(pool).await.unwrap())
}

async fn identity_codes_are_refused_in_every_free_text_field(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let vectors =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/tests/vectors/hetu_vectors.csv"))
            .unwrap();
    for line in vectors.lines().skip(1) {
        let mut cols = line.split(',');
        let (code, valid) = (cols.next().unwrap(), cols.next().unwrap() == "true");
        for field in ["question", "background", "tried"] {
            let mut body = request_body();
            body[field] = json!(format!("Lapsen henkilötunnus {} mainittu", code.to_lowercase()));
            let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
            if valid {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{code} in {field}");
                assert_eq!(problem["field"], field);
                assert_eq!(problem["code"], "identity_code");
                assert!(problem["detail"].as_str().unwrap().contains(field));
            } else {
                assert_eq!(status, StatusCode::CREATED, "{code} is not a valid identity code");
            }
        }
    }
    let invalid_count = vectors.lines().skip(1).filter(|l| l.contains(",false,")).count() as i64;
    assert_eq!(count_cases(&server).await, invalid_count * 3, "refused requests stored nothing");

    let id = submitted_case(&api, &cast).await;
    let code = "131052-308T";
    let panel = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
    api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/assignment"), panel).await;
    let attempts = [
        (&cast.requester, "/messages", json!({"body": format!("tunnus {code}")}), "body"),
        (&cast.expert, "/statement", json!({"assessment": format!("{code}"), "recommendations": "r"}), "assessment"),
        (
            &cast.expert,
            "/statement",
            json!({"assessment": "a", "recommendations": "r", "follow_up": code}),
            "follow_up",
        ),
        (&cast.expert, "/decline", json!({"reason": format!("en voi ({code})")}), "reason"),
        (&cast.requester, "/cancel", json!({"reason": code}), "reason"),
    ];
    for (token, suffix, body, field) in attempts {
        let (status, problem) = api.post(token, &format!("/api/v1/consultations/{id}{suffix}"), body).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{suffix}");
    }
    let (_, case) = api.get(&cast.requester, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(case["status"], "assigned", "nothing changed");
    assert!(case["messages"].as_array().unwrap().is_empty());
    assert!(case["statement"].is_null());
    server.stop().await;
}

async fn only_participants_see_a_case_and_admins_need_a_reason(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = submitted_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}");
    let missing = "/api/v1/consultations/00000000-0000-0000-0000-000000000000";

    for (who, token) in [("requester", &cast.requester), ("coordinator of the centre", &cast.coordinator)] {
        assert_eq!(api.get(token, &path).await.0, StatusCode::OK, "{who}");
    }
    for (who, token) in [
        ("another requester", &cast.other_requester),
        ("another centre's coordinator", &cast.other_coordinator),
        ("an expert not on the case", &cast.expert),
        ("a researcher", &cast.researcher),
        ("an admin without a reason", &cast.admin),
    ] {
        let (status, body) = api.get(token, &path).await;
        let (missing_status, missing_body) = api.get(token, missing).await;
        assert_eq!((status, missing_status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{who}");
        assert_eq!(body, missing_body, "{who}: a hidden case looks exactly like a missing one");
        let (_, list) = api.get(token, "/api/v1/consultations").await;
        assert!(list["items"].as_array().unwrap().iter().all(|c| c["id"] != id.as_str()), "{who} does not list it");
    }

    let resp = reqwest::Client::new()
        .get(server.url(&path))
        .bearer_auth(&cast.admin)
        .header("X-Access-Reason", "Tietopyyntö 12/2026, valvova viranomainen")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "break-glass with a written reason");
    let panel = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
    let (status, _) = api.post(&cast.expert, &format!("{path}/assignment"), panel.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "experts do not triage");
    let entries =
        audit::list(&server.db, &audit::AuditFilter { object_id: Some(id.clone()), limit: 100, ..Default::default() })
            .await
            .unwrap();
    let glass = entries.iter().find(|e| e.action == "consultation.read.break_glass").expect("break-glass recorded");
    assert_eq!(glass.purpose.as_deref(), Some("Tietopyyntö 12/2026, valvova viranomainen"));
    assert_eq!(entries.iter().filter(|e| e.outcome == "denied").count(), 5, "each refused attempt is recorded");
    server.stop().await;
}

async fn wrong_state_is_a_conflict_that_says_why(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let (_, draft) = api.post(&cast.requester, "/api/v1/consultations", request_body()).await;
    let id = draft["id"].as_str().unwrap();
    let feedback = json!({"usefulness": 4, "referral_avoided": false});
    let (status, problem) = api.post(&cast.requester, &format!("/api/v1/consultations/{id}/feedback"), feedback).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(problem["detail"].as_str().unwrap().contains("draft"), "{problem}");
    api.post(&cast.requester, &format!("/api/v1/consultations/{id}/submit"), json!({})).await;
    let (status, problem) = api.post(&cast.requester, &format!("/api/v1/consultations/{id}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    for (minutes, link, field) in
        [(60, "http://meet.example.fi/x", "link"), (1, "https://meet.example.fi/x", "minutes")]
    {
        let meeting = json!({"starts_at": meeting_start().to_rfc3339(), "minutes": minutes, "link": link});
        let (status, problem) =
            api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/meetings"), meeting).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{problem}");
    }

    let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", json!({"question": "q"})).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, None), "{problem}");
    let mut body = request_body();
    body["client"]["age"] = json!(30);
    let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("client.age")));
    let mut body = request_body();
    body["client"]["county"] = json!("lapland");
    let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("client.county")));
    let mut body = request_body();
    body["urgency"] = json!("yesterday");
    let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("urgency")));
    let mut body = request_body();
    body["topics"] = json!(["honour_violence", "ipc"]);
    let (status, problem) = api.post(&cast.requester, "/api/v1/consultations", body).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("topics[1]")),
        "a method is not a topic"
    );
    assert_eq!(count_cases(&server).await, 1);
    server.stop().await;
}

async fn rerouting_moves_the_case_and_keeps_the_reason(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = submitted_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}");
    let body = json!({"centre": "oulu", "reason": "Pohjois-Suomen OT-keskuksen valtakunnallinen erityisosaaminen"});
    let (status, moved) = api.post(&cast.coordinator, &format!("{path}/reroute"), body).await;
    assert_eq!((status, moved["centre"].as_str()), (StatusCode::OK, Some("oulu")), "{moved}");
    assert_eq!(api.get(&cast.coordinator, &path).await.0, StatusCode::NOT_FOUND, "no longer Tampere's case");
    let (status, case) = api.get(&cast.other_coordinator, &path).await;
    assert_eq!(status, StatusCode::OK);
    let event = &case["events"].as_array().unwrap()[1];
    assert_eq!(event["action"], "reroute");
    assert!(event["note"].as_str().unwrap().contains("erityisosaaminen"));
    let (status, problem) =
        api.post(&cast.other_coordinator, &format!("{path}/reroute"), json!({"centre": "mars", "reason": "x"})).await;
    assert_eq!((status, problem["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("centre")));
    server.stop().await;
}

async fn lead_declining_returns_the_case_to_the_queue(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = submitted_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}");
    let panel = json!({"experts": [cast.expert_profile, cast.experience_profile], "lead": cast.expert_profile});
    api.post(&cast.coordinator, &format!("{path}/assignment"), panel).await;
    let (status, case) =
        api.post(&cast.experience_expert, &format!("{path}/decline"), json!({"reason": "Esteellisyys"})).await;
    assert_eq!(
        (status, case["status"].as_str()),
        (StatusCode::OK, Some("assigned")),
        "a panel member leaving keeps the case assigned"
    );
    assert_eq!(
        api.get(&cast.experience_expert, &path).await.0,
        StatusCode::NOT_FOUND,
        "who declined no longer sees it"
    );
    let (status, case) = api.post(&cast.expert, &format!("{path}/decline"), json!({"reason": "Lomalla"})).await;
    assert_eq!((status, case["status"].as_str()), (StatusCode::OK, Some("submitted")), "{case}");
    let (_, notes) = api.get(&cast.coordinator, "/api/v1/notifications").await;
    assert!(notes.as_array().unwrap().iter().any(|n| n["kind"] == "assignment_declined"));
    let (status, case) =
        api.post(&cast.coordinator, &format!("{path}/decline"), json!({"reason": "Ei OT-keskuksen tehtävä"})).await;
    assert_eq!((status, case["status"].as_str()), (StatusCode::OK, Some("declined")), "{case}");
    server.stop().await;
}

/// The audit entry of a read is written before the content is sent, in the
/// same transaction: when the log cannot be written, nobody reads.
async fn a_read_is_refused_when_its_audit_entry_cannot_be_written(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = submitted_case(&api, &cast).await;
    let path = format!("/api/v1/consultations/{id}");
    let reads = |server: &TestServer| {
        let filter = audit::AuditFilter { object_id: Some(id.clone()), limit: 1000, ..Default::default() };
        let db = server.db.clone();
        async move { audit::list(&db, &filter).await.unwrap().iter().filter(|e| e.action == "consultation.read").count() }
    };
    let before = reads(&server).await;

    let break_log = match kind {
        Kind::Sqlite => vec![
            "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END",
        ],
        Kind::Postgres => vec![
            "CREATE FUNCTION audit_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_down()",
        ],
    };
    for sql in break_log {
        on_db!(&server.db, pool => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await.unwrap().rows_affected());
    }
    let resp = reqwest::Client::new().get(server.url(&path)).bearer_auth(&cast.requester).send().await.unwrap();
    assert!(resp.status().is_server_error(), "{}", resp.status());
    let body = resp.text().await.unwrap();
    assert!(!body.contains("kunniaan liittyvän") && !body.contains("psykiatrinen"), "no case content: {body}");
    assert_eq!(reads(&server).await, before);

    let repair = match kind {
        Kind::Sqlite => "DROP TRIGGER audit_down",
        Kind::Postgres => "DROP TRIGGER audit_down ON audit_log",
    };
    on_db!(&server.db, pool => sqlx::query(repair).execute(pool).await.unwrap().rows_affected());
    let (status, case) = api.get(&cast.requester, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(case["question"].as_str().unwrap().contains("kunniaan liittyvän"));
    assert_eq!(reads(&server).await, before + 1);
    server.stop().await;
}
