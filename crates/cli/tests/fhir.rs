//! The FHIR R4 facade over HTTP, on both backends: the CapabilityStatement,
//! every resource type read and searched, Bundle paging, the JSON API's
//! access rules (another requester's case is 404, the audit trail is for
//! administrators), the audit entry of every case read, OperationOutcome
//! for every error. With `TUKIVERKKO_FHIR_SAMPLES=DIR` the case test also
//! writes one sample of each resource type there for the CI validator
//! (`scripts/fhir-validate`).

use crate::consultations::{Api, Cast, assigned_case, cast};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_store::audit;

backends!(
    metadata_lists_every_type,
    the_directory_reads_searches_and_pages,
    a_case_is_a_service_request_with_its_task_and_feedback,
    errors_are_operation_outcomes_with_the_json_api_statuses,
    admins_read_the_audit_trail_as_audit_events,
    police_on_a_panel_wait_for_the_barnahus_decision_here_too,
);

const TYPES: [&str; 9] = [
    "Practitioner",
    "PractitionerRole",
    "Organization",
    "HealthcareService",
    "CareTeam",
    "ServiceRequest",
    "Task",
    "QuestionnaireResponse",
    "AuditEvent",
];

/// GET with an optional bearer token: status, content type and body.
async fn fhir(server: &TestServer, token: Option<&str>, path: &str) -> (StatusCode, String, Value) {
    let url = if path.starts_with("http") { path.to_string() } else { server.url(path) };
    let mut req = reqwest::Client::new().get(url).header("accept", "application/fhir+json");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let content_type = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let text = resp.text().await.unwrap();
    if content_type.starts_with("application/fhir+json") {
        assert!(text.starts_with(r#"{"resourceType":"#), "{path}: resourceType comes first: {text}");
    }
    (status, content_type, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn ok(server: &TestServer, token: Option<&str>, path: &str) -> Value {
    let (status, content_type, body) = fhir(server, token, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    assert!(content_type.starts_with("application/fhir+json"), "{path}: {content_type}");
    body
}

fn entries(bundle: &Value) -> Vec<Value> {
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "searchset");
    bundle["entry"].as_array().map(|e| e.iter().map(|x| x["resource"].clone()).collect()).unwrap_or_default()
}

fn link(bundle: &Value, relation: &str) -> Option<String> {
    bundle["link"].as_array()?.iter().find(|l| l["relation"] == relation).map(|l| l["url"].as_str().unwrap().into())
}

/// Keeps one sample per type for the validator, when asked to.
fn keep_sample(resource: &Value) {
    let Ok(dir) = std::env::var("TUKIVERKKO_FHIR_SAMPLES") else { return };
    std::fs::create_dir_all(&dir).unwrap();
    let kind = resource["resourceType"].as_str().unwrap();
    // By type and id, so two samples of a type (a centre and another organisation) both stay.
    let name = match resource["id"].as_str() {
        Some(id) => format!("{kind}-{id}"),
        None => kind.to_string(),
    };
    std::fs::write(format!("{dir}/{name}.json"), serde_json::to_string_pretty(resource).unwrap()).unwrap();
}

async fn metadata_lists_every_type(kind: Kind) {
    let server = TestServer::start(kind).await;
    let statement = ok(&server, None, "/fhir/metadata").await;
    assert_eq!(statement["resourceType"], "CapabilityStatement");
    assert_eq!(statement["fhirVersion"], "4.0.1");
    let served: Vec<&str> =
        statement["rest"][0]["resource"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(served, TYPES);
    let task = statement["rest"][0]["resource"].as_array().unwrap().iter().find(|r| r["type"] == "Task").unwrap();
    let params: Vec<&str> =
        task["searchParam"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for p in ["_id", "_lastUpdated", "_count", "focus", "status"] {
        assert!(params.contains(&p), "Task searches by {p}");
    }
    keep_sample(&statement);
    server.stop().await;
}

async fn the_directory_reads_searches_and_pages(kind: Kind) {
    let server = TestServer::start(kind).await;
    let cast = cast(&server).await;
    let token = Some(cast.coordinator.as_str());

    // Practitioner: read by the directory id, and found by name, topic and centre.
    let profile = tukiverkko_store::experts::find(&server.db, &cast.expert_profile).await.unwrap();
    let practitioner = ok(&server, token, &format!("/fhir/Practitioner/{}", profile.id)).await;
    assert_eq!(practitioner["resourceType"], "Practitioner");
    assert_eq!(practitioner["name"][0]["family"], profile.family_name.as_str());
    assert!(practitioner["communication"][0]["coding"][0]["system"] == "urn:ietf:bcp:47");
    assert!(practitioner.get("telecom").is_none(), "contacts belong to the role");
    keep_sample(&practitioner);
    let topic = profile.topics.split(';').next().unwrap().to_string();
    let query = format!(
        "/fhir/Practitioner?name={}&specialty={}&organization=Organization/centre-{}",
        profile.family_name.to_lowercase(),
        topic,
        profile.centre
    );
    let found = entries(&ok(&server, token, &query).await);
    assert!(found.iter().any(|p| p["id"] == profile.id.as_str()), "{query}");
    let none = ok(&server, token, "/fhir/Practitioner?name=zzzzyx").await;
    assert_eq!(none["total"], 0);

    let role = ok(&server, token, &format!("/fhir/PractitionerRole/{}", profile.id)).await;
    assert_eq!(role["practitioner"]["reference"], format!("Practitioner/{}", profile.id));
    assert_eq!(role["organization"]["reference"], format!("Organization/centre-{}", profile.centre));
    assert!(role["specialty"].as_array().unwrap().iter().any(|s| s["coding"][0]["code"] == topic.as_str()));
    assert!(role["availabilityExceptions"].is_string() || role["notAvailable"].is_array(), "{role}");
    keep_sample(&role);
    let roles = ok(&server, token, &format!("/fhir/PractitionerRole?practitioner=Practitioner/{}", profile.id)).await;
    assert_eq!(roles["total"], 1);

    // Paging: one per page, the links lead forward and back through the same total.
    let first = ok(&server, token, "/fhir/Practitioner?_count=1").await;
    let total = first["total"].as_u64().unwrap();
    assert!(total >= 2, "the demo directory has several experts");
    assert_eq!(entries(&first).len(), 1);
    assert!(link(&first, "previous").is_none());
    assert!(link(&first, "self").unwrap().contains("_count=1"));
    let second = ok(&server, token, &link(&first, "next").expect("a next page")).await;
    assert_eq!(second["total"], total);
    assert_ne!(entries(&second)[0]["id"], entries(&first)[0]["id"]);
    let back = ok(&server, token, &link(&second, "previous").expect("a previous page")).await;
    assert_eq!(entries(&back)[0]["id"], entries(&first)[0]["id"]);
    let last = ok(&server, token, &format!("/fhir/Practitioner?_count=1&_offset={}", total - 1)).await;
    assert!(link(&last, "next").is_none());
    let counted = ok(&server, token, "/fhir/Practitioner?_count=0").await;
    assert_eq!((counted["total"].as_u64(), counted.get("entry")), (Some(total), None));

    // _id and _lastUpdated.
    let by_id = ok(&server, token, &format!("/fhir/Practitioner?_id={}", profile.id)).await;
    assert_eq!(by_id["total"], 1);
    assert_eq!(ok(&server, token, "/fhir/Practitioner?_lastUpdated=lt2000-01-01").await["total"], 0);
    assert_eq!(ok(&server, token, "/fhir/Practitioner?_lastUpdated=ge2000-01").await["total"], total);

    // Organization: the five centres and the requesters' organisations.
    let orgs = entries(&ok(&server, token, "/fhir/Organization?_count=100").await);
    for centre in ["helsinki", "turku", "tampere", "kuopio", "oulu"] {
        assert!(orgs.iter().any(|o| o["id"] == format!("centre-{centre}")), "{centre}");
    }
    let tampere = ok(&server, token, "/fhir/Organization/centre-tampere").await;
    assert_eq!(tampere["identifier"][0]["value"], "tampere");
    keep_sample(&tampere);
    let other = orgs.iter().find(|o| !o["id"].as_str().unwrap().starts_with("centre-")).expect("a demo organisation");
    keep_sample(other);
    let named = ok(&server, token, "/fhir/Organization?type=prov").await;
    assert_eq!(named["total"], 5);

    // HealthcareService: public, like the catalogue.
    let services = ok(&server, None, "/fhir/HealthcareService").await;
    let service = entries(&services).into_iter().next().expect("demo services");
    assert!(service["providedBy"]["reference"].as_str().unwrap().starts_with("Organization/centre-"));
    let read = ok(&server, None, &format!("/fhir/HealthcareService/{}", service["id"].as_str().unwrap())).await;
    assert_eq!(read["id"], service["id"]);
    keep_sample(&read);
    let by_org = ok(
        &server,
        None,
        &format!("/fhir/HealthcareService?organization={}", service["providedBy"]["reference"].as_str().unwrap()),
    )
    .await;
    assert!(by_org["total"].as_u64().unwrap() >= 1);

    // CareTeam: teams with their members as Practitioners.
    let teams = ok(&server, token, "/fhir/CareTeam").await;
    let team = entries(&teams).into_iter().find(|t| t["participant"].is_array()).expect("a demo team with members");
    assert!(team["participant"][0]["member"]["reference"].as_str().unwrap().starts_with("Practitioner/"));
    let read = ok(&server, token, &format!("/fhir/CareTeam/{}", team["id"].as_str().unwrap())).await;
    assert_eq!(read["name"], team["name"]);
    keep_sample(&read);
    server.stop().await;
}

/// The case's audit entries with this action.
async fn audited(server: &TestServer, id: &str, action: &str) -> usize {
    let filter = audit::AuditFilter { object_id: Some(id.into()), limit: 1000, ..Default::default() };
    audit::list(&server.db, &filter).await.unwrap().iter().filter(|e| e.action == action && e.outcome == "ok").count()
}

async fn answered_and_closed(api: &Api<'_>, cast: &Cast) -> String {
    let id = assigned_case(api, cast).await;
    let case = |s: &str| format!("/api/v1/consultations/{id}{s}");
    let statement = json!({"assessment": "Uhka on todellinen.", "recommendations": "MARAK-arvio.",
                           "suggested_methods": ["systemic_model"], "follow_up": "Seuranta kuukauden päästä."});
    assert_eq!(api.post(&cast.expert, &case("/statement"), statement).await.0, StatusCode::OK);
    let feedback = json!({"usefulness": 4, "referral_avoided": true, "would_ask_again": true, "comment": "Hyvä."});
    assert_eq!(api.post(&cast.requester, &case("/feedback"), feedback).await.0, StatusCode::OK);
    id
}

async fn a_case_is_a_service_request_with_its_task_and_feedback(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let open = assigned_case(&api, &cast).await;
    let requester = Some(cast.requester.as_str());

    let reads = audited(&server, &open, "consultation.read").await;
    let request = ok(&server, requester, &format!("/fhir/ServiceRequest/{open}")).await;
    assert_eq!(
        audited(&server, &open, "consultation.read").await,
        reads + 1,
        "a FHIR read is audited like a JSON read"
    );
    assert_eq!((request["status"].as_str(), request["intent"].as_str()), (Some("active"), Some("order")));
    assert_eq!(request["priority"], "routine");
    let codes: Vec<&str> =
        request["code"]["coding"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["honour_violence", "foster_care"]);
    assert!(request["reasonCode"][0]["text"].as_str().unwrap().contains("14-vuotiasta"));
    assert_eq!(request["subject"]["reference"], "#client");
    let client = &request["contained"][0];
    assert_eq!(client["resourceType"], "Group");
    assert_eq!(client["characteristic"][0]["valueQuantity"]["value"], 14);
    assert_eq!(client["characteristic"][1]["valueCodeableConcept"]["coding"][0]["code"], "pirkanmaa");
    assert_eq!(request["performer"][0]["reference"], format!("Practitioner/{}", cast.expert_profile));
    let text = request.to_string();
    assert!(!text.contains("Patient"), "the client is never a Patient: {text}");

    // The task, found by its focus as integrators do.
    let reads = audited(&server, &open, "consultation.read").await;
    let tasks = ok(&server, requester, &format!("/fhir/Task?focus=ServiceRequest/{open}")).await;
    assert_eq!(tasks["total"], 1);
    assert_eq!(audited(&server, &open, "consultation.read").await, reads + 1, "the search opened the case once");
    let task = &entries(&tasks)[0];
    assert_eq!(task["id"], open.as_str());
    assert_eq!(task["status"], "accepted", "assigned, no expert has accepted yet");
    assert_eq!(task["owner"]["reference"], "Organization/centre-tampere");
    assert_eq!(task["focus"]["reference"], format!("ServiceRequest/{open}"));
    assert!(task.get("output").is_none());
    let accepted = ok(&server, requester, "/fhir/Task?status=accepted").await;
    assert_eq!(accepted["total"], 1);
    assert_eq!(ok(&server, requester, "/fhir/Task?status=completed").await["total"], 0);

    // Answered and closed: the statement is the task's output, the feedback a QuestionnaireResponse.
    let done = answered_and_closed(&api, &cast).await;
    let reads = audited(&server, &done, "consultation.read").await;
    let task = ok(&server, Some(&cast.coordinator), &format!("/fhir/Task/{done}")).await;
    assert_eq!(audited(&server, &done, "consultation.read").await, reads + 1);
    assert_eq!(task["status"], "completed");
    assert_eq!(task["businessStatus"]["coding"][0]["code"], "closed");
    let outputs = task["output"].as_array().unwrap();
    assert!(outputs.iter().any(|o| o["valueString"] == "Uhka on todellinen."), "{task}");
    assert!(outputs.iter().any(|o| o["valueCodeableConcept"]["coding"][0]["code"] == "systemic_model"));
    let completed = ok(&server, requester, "/fhir/ServiceRequest?status=completed").await;
    assert_eq!(entries(&completed).iter().map(|r| r["id"].clone()).collect::<Vec<_>>(), [json!(done)]);
    let feedback = ok(&server, requester, &format!("/fhir/QuestionnaireResponse/{done}")).await;
    assert_eq!(feedback["basedOn"][0]["reference"], format!("ServiceRequest/{done}"));
    let usefulness = feedback["item"].as_array().unwrap().iter().find(|i| i["linkId"] == "usefulness").unwrap();
    assert_eq!(usefulness["answer"][0]["valueInteger"], 4);
    let all_feedback = ok(&server, requester, "/fhir/QuestionnaireResponse").await;
    assert_eq!(all_feedback["total"], 1, "only the closed case has feedback");
    assert_eq!(fhir(&server, requester, &format!("/fhir/QuestionnaireResponse/{open}")).await.0, StatusCode::NOT_FOUND);
    keep_sample(&ok(&server, requester, &format!("/fhir/ServiceRequest/{done}")).await);
    keep_sample(&task);
    keep_sample(&feedback);
    let searched = ok(&server, requester, "/fhir/ServiceRequest?_count=1").await;
    assert_eq!(searched["total"], 2);
    keep_sample(&searched);

    // Someone taking no part sees nothing: 404 like the JSON API, and the attempt is recorded.
    for (token, path) in [
        (&cast.other_requester, format!("/fhir/ServiceRequest/{open}")),
        (&cast.other_requester, format!("/fhir/Task/{done}")),
        (&cast.other_coordinator, format!("/fhir/QuestionnaireResponse/{done}")),
    ] {
        let (status, content_type, body) = fhir(&server, Some(token), &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(content_type.starts_with("application/fhir+json"));
        assert_eq!(body["resourceType"], "OperationOutcome");
        assert_eq!(
            api.get(
                token,
                &path
                    .replace("/fhir/ServiceRequest/", "/api/v1/consultations/")
                    .replace("/fhir/Task/", "/api/v1/consultations/")
                    .replace("/fhir/QuestionnaireResponse/", "/api/v1/consultations/")
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
    }
    // An admin only with a written reason, recorded as break-glass, as in the JSON API.
    assert_eq!(
        fhir(&server, Some(&cast.admin), &format!("/fhir/ServiceRequest/{open}")).await.0,
        StatusCode::NOT_FOUND
    );
    let resp = reqwest::Client::new()
        .get(server.url(&format!("/fhir/ServiceRequest/{open}")))
        .bearer_auth(&cast.admin)
        .header("x-access-reason", "Valvontapyyntö 12/2026")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(audited(&server, &open, "consultation.read.break_glass").await, 1);
    for token in [&cast.other_requester, &cast.other_coordinator] {
        assert_eq!(ok(&server, Some(token), "/fhir/ServiceRequest").await["total"], 0);
        assert_eq!(ok(&server, Some(token), &format!("/fhir/Task?focus=ServiceRequest/{open}")).await["total"], 0);
    }
    server.stop().await;
}

async fn errors_are_operation_outcomes_with_the_json_api_statuses(kind: Kind) {
    let server = TestServer::start(kind).await;
    let cast = cast(&server).await;
    let cases = [
        (None, "/fhir/ServiceRequest", StatusCode::UNAUTHORIZED, "login"),
        (Some("not-a-token"), "/fhir/Practitioner", StatusCode::UNAUTHORIZED, "login"),
        (Some(cast.researcher.as_str()), "/fhir/Practitioner", StatusCode::FORBIDDEN, "forbidden"),
        (Some(cast.coordinator.as_str()), "/fhir/AuditEvent", StatusCode::FORBIDDEN, "forbidden"),
        (Some(cast.requester.as_str()), "/fhir/AuditEvent/1", StatusCode::FORBIDDEN, "forbidden"),
        (Some(cast.coordinator.as_str()), "/fhir/Practitioner/no-such-expert", StatusCode::NOT_FOUND, "not-found"),
        (Some(cast.coordinator.as_str()), "/fhir/Patient", StatusCode::NOT_FOUND, "not-found"),
        (Some(cast.coordinator.as_str()), "/fhir/Patient/1", StatusCode::NOT_FOUND, "not-found"),
        (Some(cast.coordinator.as_str()), "/fhir/Practitioner?_count=1000", StatusCode::BAD_REQUEST, "invalid"),
        (Some(cast.coordinator.as_str()), "/fhir/Task?_lastUpdated=eilen", StatusCode::BAD_REQUEST, "invalid"),
        (Some(cast.admin.as_str()), "/fhir/ServiceRequest/x", StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
    ];
    for (token, path, status, code) in cases {
        let mut req = reqwest::Client::new().get(server.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // An identity code in the break-glass reason is refused as in the JSON API.
            req = req.header("x-access-reason", "asiakas 131052-308T");
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), status, "{path}");
        let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(content_type.starts_with("application/fhir+json"), "{path}: {content_type}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["resourceType"], "OperationOutcome", "{path}");
        assert_eq!(body["issue"][0]["code"], code, "{path}: {body}");
        assert!(body["issue"][0]["diagnostics"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let (_, _, body) = fhir(&server, Some(&cast.coordinator), "/fhir/Practitioner?_count=x").await;
    assert_eq!(body["issue"][0]["expression"][0], "_count");
    server.stop().await;
}

async fn admins_read_the_audit_trail_as_audit_events(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let id = assigned_case(&api, &cast).await;
    ok(&server, Some(&cast.requester), &format!("/fhir/ServiceRequest/{id}")).await;

    let admin = Some(cast.admin.as_str());
    let exports = |server: &TestServer| {
        let db = server.db.clone();
        async move {
            let filter = audit::AuditFilter { action: Some("audit.export".into()), limit: 1000, ..Default::default() };
            audit::count(&db, &filter).await.unwrap()
        }
    };
    let before = exports(&server).await;
    let reads =
        ok(&server, admin, &format!("/fhir/AuditEvent?entity=ServiceRequest/{id}&subtype=consultation.read")).await;
    assert!(exports(&server).await > before, "reading the trail is recorded");
    let events = entries(&reads);
    assert!(!events.is_empty(), "{reads}");
    let event = &events[0];
    assert_eq!(event["entity"][0]["what"]["reference"], format!("ServiceRequest/{id}"));
    assert_eq!(event["subtype"][0]["code"], "consultation.read");
    assert_eq!(event["action"], "R");
    assert_eq!(event["outcome"], "0");
    let seq = event["id"].as_str().unwrap();
    let read = ok(&server, admin, &format!("/fhir/AuditEvent/{seq}")).await;
    assert_eq!(read["recorded"], event["recorded"]);
    keep_sample(&read);

    let page = ok(&server, admin, "/fhir/AuditEvent?_count=2").await;
    assert_eq!(entries(&page).len(), 2);
    let next = ok(&server, admin, &link(&page, "next").unwrap()).await;
    assert_ne!(entries(&next)[0]["id"], entries(&page)[0]["id"]);
    assert!(link(&next, "previous").is_some());
    assert_eq!(ok(&server, admin, "/fhir/AuditEvent?_lastUpdated=lt2000-01-01").await["total"], 0);
    assert_eq!(ok(&server, admin, "/fhir/AuditEvent?date=lt2000-01-01").await["total"], 0);
    assert_eq!(ok(&server, admin, &format!("/fhir/AuditEvent?_id={seq}")).await["total"], 1);
    assert_eq!(fhir(&server, admin, "/fhir/AuditEvent/999999999").await.0, StatusCode::NOT_FOUND);
    server.stop().await;
}

async fn police_on_a_panel_wait_for_the_barnahus_decision_here_too(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let (police, police_profile) = crate::barnahus::expert_in_sector(&server, "poliisi@example.fi", "police").await;
    let id = crate::consultations::submitted_case(&api, &cast).await;
    let panel = json!({"experts": [cast.expert_profile, police_profile], "lead": cast.expert_profile});
    let (status, _) = api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/assignment"), panel).await;
    assert_eq!(status, StatusCode::OK);

    let (status, _, body) = fhir(&server, Some(&police), &format!("/fhir/Task/{id}")).await;
    assert_eq!((status, body["issue"][0]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
    // Searches leave the case out of the page: listed, never opened.
    let tasks = ok(&server, Some(&police), &format!("/fhir/Task?focus=ServiceRequest/{id}")).await;
    assert!(entries(&tasks).is_empty(), "{tasks}");
    assert!(!tasks.to_string().contains("kunniaan"), "no content before the decision");
    let (status, _) = api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/barnahus"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let tasks = ok(&server, Some(&police), &format!("/fhir/Task?focus=ServiceRequest/{id}")).await;
    assert_eq!(entries(&tasks).len(), 1, "after the decision the panel member reads it");
    server.stop().await;
}
