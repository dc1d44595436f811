//! Each role's home page shows the work waiting for them, in the order it
//! needs doing, and an expert switches their availability there.

use reqwest::StatusCode;
use serde_json::json;
use tukiverkko_store::experts;

use crate::consultations::{Api, cast, request_body, submitted_case};
use crate::pages::Browser;
use crate::support::{Kind, TestServer};

backends!(homes_show_each_roles_work_and_what_it_waits_for, experts_switch_their_availability_on_the_home_page);

fn position(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle} not on the page:\n{html}"))
}

async fn homes_show_each_roles_work_and_what_it_waits_for(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let (_, draft) = api.post(&cast.requester, "/api/v1/consultations", request_body()).await;
    let draft_ref = draft["reference"].as_str().unwrap().to_string();
    let older = submitted_case(&api, &cast).await;
    let newer = submitted_case(&api, &cast).await;
    let (_, other) = api.post(&cast.other_requester, "/api/v1/consultations", request_body()).await;
    let reference = |id: &str| {
        let api = &api;
        let token = cast.requester.clone();
        let id = id.to_string();
        async move {
            api.get(&token, &format!("/api/v1/consultations/{id}")).await.1["reference"].as_str().unwrap().to_string()
        }
    };
    let (older_ref, newer_ref) = (reference(&older).await, reference(&newer).await);
    let panel = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
    let (status, _) = api.post(&cast.coordinator, &format!("/api/v1/consultations/{older}/assignment"), panel).await;
    assert_eq!(status, StatusCode::OK);

    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let (status, html) = requester.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Omat pyyntöni"), "{html}");
    assert!(html.contains("Roolisi: pyytäjä"), "one role, in the singular: {html}");
    let card = &html[position(&html, &draft_ref)..];
    assert!(card[..card.find("</li>").unwrap()].contains("Lähetä pyyntö"), "a draft waits for sending");
    let card = &html[position(&html, &newer_ref)..];
    assert!(card[..card.find("</li>").unwrap()].contains("Odottaa keskuksen käsittelyä"));
    let card = &html[position(&html, &older_ref)..];
    assert!(card[..card.find("</li>").unwrap()].contains("Asiantuntijat työstävät vastausta"));
    assert!(!html.contains(other["reference"].as_str().unwrap()), "another requester's draft is not listed");

    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, html) = coordinator.get("/").await;
    assert!(html.contains("Keskuksen jono"));
    assert!(!html.contains(&draft_ref), "drafts are the requester's own");
    assert!(
        position(&html, &newer_ref) < position(&html, &older_ref),
        "the unassigned case comes before the older assigned one"
    );
    let card = &html[position(&html, &newer_ref)..];
    assert!(card[..card.find("</li>").unwrap()].contains("Osoita asiantuntija tai ohjaa eteenpäin"));
    let expert = experts::find(&server.db, &cast.expert_profile).await.unwrap();
    let load = &html[position(&html, &format!(">{} {}</a>", expert.given_name, expert.family_name))..];
    assert!(load[..load.find("</li>").unwrap()].contains("1 työn alla"), "{load}");

    let expert_page = Browser::login(&server, "asiantuntija@example.fi").await;
    let (_, html) = expert_page.get("/").await;
    assert!(html.contains("Minulle osoitetut"));
    let card = &html[position(&html, &older_ref)..];
    let card = &card[..card.find("</li>").unwrap()];
    assert!(card.contains("Hyväksy tai kieltäydy") && card.contains("vastuuasiantuntija"), "{card}");
    assert!(!html.contains(&newer_ref), "an expert sees only their own assignments");
    let (status, _) = api.post(&cast.expert, &format!("/api/v1/consultations/{older}/accept"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, html) = expert_page.get("/").await;
    assert!(html.contains("Kirjoita lausunto"), "once accepted, the lead writes the statement");

    let (_, html) = Browser::login(&server, "yllapito@example.fi").await.get("/").await;
    assert!(html.contains(r#"href="/admin/users""#) && html.contains(r#"href="/admin/audit""#), "{html}");
    let researcher = Browser::login(&server, "tutkija@example.fi").await;
    let (_, html) = researcher.get("/").await;
    assert!(html.contains("Tutkimus ja tilastot"), "{html}");
    assert!(html.contains("Uudet tutkimustarpeet: 0") && html.contains(r#"href="/statistics""#), "{html}");
    // A need raised by a requester waits on the researcher's home, one click from its list.
    let (status, _) = api
        .post(
            &cast.requester,
            "/api/v1/research-needs",
            json!({"title": "Toimiiko perheterapia sijoitetuilla nuorilla?",
            "description": "Mikä tieto on perheterapian vaikuttavuudesta sijaishuollossa olevilla nuorilla?",
            "topics": ["foster_care"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, html) = researcher.get("/").await;
    assert!(html.contains("Uudet tutkimustarpeet: 1"), "{html}");
    let (status, list) = researcher.get("/research-needs?status=submitted").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Toimiiko perheterapia sijoitetuilla nuorilla?"), "{list}");
    assert!(!html.contains("Keskuksen jono") && !html.contains("Omat pyyntöni"));
    server.stop().await;
}

async fn experts_switch_their_availability_on_the_home_page(kind: Kind) {
    let server = TestServer::start(kind).await;
    let cast = cast(&server).await;
    let expert = Browser::login(&server, "asiantuntija@example.fi").await;
    let before = experts::find(&server.db, &cast.expert_profile).await.unwrap();
    assert!(before.accepts_consultations);
    let version = before.version.to_string();
    let saved = expert
        .post("/me/availability", &[("version", &version), ("accepts_consultations", "false"), ("capacity", "5")])
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()["location"], "/?done=availability");
    let (_, html) = expert.get("/?done=availability").await;
    assert!(html.contains(r#"<p class="notice" role="status">Saatavuutesi on tallennettu."#), "{html}");
    assert!(html.contains("Et ota nyt vastaan konsultaatiopyyntöjä"));
    let after = experts::find(&server.db, &cast.expert_profile).await.unwrap();
    assert!(!after.accepts_consultations);
    assert_eq!(after.capacity, 5);
    assert_eq!((after.bio, after.topics), (before.bio, before.topics), "nothing else changed");

    let version = after.version.to_string();
    let refused = expert
        .post("/me/availability", &[("version", &version), ("accepts_consultations", "true"), ("capacity", "0")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let stale = expert
        .post("/me/availability", &[("version", "1"), ("accepts_consultations", "true"), ("capacity", "3")])
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let unchanged = experts::find(&server.db, &cast.expert_profile).await.unwrap();
    assert_eq!((unchanged.accepts_consultations, unchanged.capacity, unchanged.version), (false, 5, after.version));
    server.stop().await;
}
