//! The consultation story through the HTML pages, as a browser without
//! JavaScript drives it: forms, redirects, errors next to fields.

use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use tukiverkko_store::{accounts, experts, on_db};

backends!(
    whole_story_in_the_pages,
    identity_code_in_the_form_is_refused_next_to_the_field,
    overdue_cases_stand_out_in_the_queue,
    the_case_page_offers_exactly_the_moves_the_state_machine_allows,
    accessibility_statement_and_privacy_notice_are_public_and_linked_from_every_page,
    experts_edit_their_own_profile_in_the_browser,
    settings_save_language_notifications_and_the_second_factor,
    administrators_manage_accounts_in_the_browser,
    case_actions_end_on_a_page_that_says_what_happened,
    names_and_dateless_codes_are_shown_back_before_anything_is_saved,
    drafts_are_checked_and_edited_before_they_are_sent,
    every_problem_of_the_request_form_is_listed_at_once,
    a_statement_is_previewed_before_it_is_published,
    the_organiser_chooses_who_is_invited_to_a_meeting,
);

pub(crate) struct Browser<'a> {
    server: &'a TestServer,
    client: reqwest::Client,
    csrf: String,
}

impl<'a> Browser<'a> {
    pub(crate) async fn login(server: &'a TestServer, email: &str) -> Browser<'a> {
        let (client, csrf) = server.signed_in_browser(email).await;
        Browser { server, client, csrf }
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, String) {
        let resp = self.client.get(self.server.url(path)).send().await.unwrap();
        (resp.status(), resp.text().await.unwrap())
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &self.csrf));
        self.client.post(self.server.url(path)).form(&all).send().await.unwrap()
    }
}

pub(crate) const REQUEST: &[(&str, &str)] = &[
    ("question", "Miten tukea nuorta, jonka vanhemmilla on pitkittynyt huoltoriita?"),
    ("background", "Vanhemmat ovat riidelleet kolme vuotta."),
    ("tried", ""),
    ("topics", "custody_disputes"),
    ("topics", "parental_alienation"),
    ("urgency", "normal"),
    ("format", "statement"),
    ("legal_basis", "guardian_consent"),
    ("age", "12"),
    ("county", "pirkanmaa"),
    ("services", "child_welfare"),
];

async fn profile_id(server: &TestServer, email: &str) -> String {
    let account = accounts::find_by_email(&server.db, &email.parse().unwrap()).await.unwrap();
    experts::id_for_user(&server.db, &account.id).await.unwrap().unwrap()
}

async fn whole_story_in_the_pages(kind: Kind) {
    let server = TestServer::start(kind).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let (status, form) = requester.get("/consultations/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"<option value="pirkanmaa" selected>"#), "the requester's own county is pre-filled");
    let mut fields = REQUEST.to_vec();
    fields.push(("action", "submit"));
    let created = requester.post("/consultations", &fields).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let case_path = created.headers()["location"].to_str().unwrap().to_string();
    let (_, case) = requester.get(&case_path).await;
    assert!(case.contains("jätetty") && case.contains("huoltoriita"), "submitted and readable by its requester");

    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, queue) = coordinator.get("/consultations").await;
    assert!(queue.contains(&case_path), "in the Tampere queue");
    let (_, triage) = coordinator.get(&case_path).await;
    assert!(triage.contains("Ehdotetut asiantuntijat"));
    let asker = accounts::find_by_email(&server.db, &"pyytaja@example.fi".parse().unwrap()).await.unwrap();
    let who = &triage[triage.find(r#"<h2 id="rq-h">Pyytäjä</h2>"#).expect("the coordinator sees who asks")..];
    assert!(who.contains(&asker.name) && who.contains("pyytaja@example.fi"), "{who}");
    assert!(!case.contains(r#"id="rq-h""#), "the requester is not shown themself");
    coordinator.get("/lang/sv?next=/").await;
    let (_, swedish) = coordinator.get(&case_path).await;
    assert!(
        swedish.contains(r#"<html lang="sv">"#)
            && swedish.contains(r#"<p class="prewrap" lang="fi">Miten tukea nuorta"#),
        "Finnish text is marked Finnish on a Swedish page: {swedish}"
    );
    coordinator.get("/lang/fi?next=/").await;
    let lead = profile_id(&server, "asiantuntija@example.fi").await;
    let member = profile_id(&server, "kokemus@example.fi").await;
    let wrong_lead = coordinator
        .post(&format!("{case_path}/act"), &[("action", "assign"), ("experts", &member), ("lead", &lead)])
        .await;
    assert_eq!(wrong_lead.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_lead.text().await.unwrap().contains("Valitse vastuuasiantuntija paneelin jäsenistä."));
    let assigned = coordinator
        .post(
            &format!("{case_path}/act"),
            &[("action", "assign"), ("experts", &lead), ("experts", &member), ("lead", &lead)],
        )
        .await;
    assert_eq!(assigned.status(), StatusCode::SEE_OTHER);

    let expert = Browser::login(&server, "asiantuntija@example.fi").await;
    assert_eq!(expert.post(&format!("{case_path}/act"), &[("action", "accept")]).await.status(), StatusCode::SEE_OTHER);
    let day = chrono::Utc::now().date_naive() + chrono::Days::new(3);
    let date = day.format("%Y-%m-%d").to_string();
    let meeting = expert
        .post(
            &format!("{case_path}/act"),
            &[
                ("action", "meeting"),
                ("date", &date),
                ("time", "10:00"),
                ("minutes", "60"),
                ("link", "https://meet.example.fi/x"),
            ],
        )
        .await;
    assert_eq!(meeting.status(), StatusCode::SEE_OTHER);
    let (_, with_meeting) = expert.get(&case_path).await;
    let shown = format!("{}.{}.{} klo 10.00", day.format("%-d"), day.format("%-m"), day.format("%Y"));
    assert!(with_meeting.contains(&shown), "the meeting shows in Helsinki time: {shown}");
    let statement = expert
        .post(
            &format!("{case_path}/act"),
            &[
                ("action", "statement"),
                ("assessment", "Lapsi on lojaliteettiristiriidassa."),
                ("recommendations", "Erotyöskentely ja lapsen oma tukihenkilö."),
                ("suggested_methods", "systemic_model"),
                ("follow_up", ""),
            ],
        )
        .await;
    assert_eq!(statement.status(), StatusCode::SEE_OTHER);

    let (_, answered) = requester.get(&case_path).await;
    assert!(answered.contains("lojaliteettiristiriidassa") && answered.contains("Tulostettava lausunto"));
    let (status, print) = requester.get(&format!("{case_path}/print")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("Erotyöskentely") && print.contains("systeeminen lastensuojelun toimintamalli"), "{print}");
    assert!(
        print.contains("SALASSA PIDETTÄVÄ") && print.contains("pitkittynyt huoltoriita"),
        "marked, with the question"
    );
    let author = accounts::find_by_email(&server.db, &"asiantuntija@example.fi".parse().unwrap()).await.unwrap();
    assert!(answered.contains(&format!("Lausunnon antoi {}", author.name)), "the statement names its author");
    assert!(print.contains(&format!("Lausunnon antoi {}", author.name)));
    let incomplete = requester.post(&format!("{case_path}/act"), &[("action", "feedback"), ("usefulness", "5")]).await;
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.text().await.unwrap().contains(r#"id="referral_avoided-error""#),
        "the error stands next to its field"
    );
    let closed = requester
        .post(
            &format!("{case_path}/act"),
            &[("action", "feedback"), ("usefulness", "5"), ("referral_avoided", "yes"), ("comment", "Kiitos")],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let (_, done) = requester.get(&case_path).await;
    assert!(done.contains("suljettu") && done.contains("Palaute annettiin ja tapaus suljettiin"));

    let outsider = Browser::login(&server, "tutkija@example.fi").await;
    assert_eq!(outsider.get(&case_path).await.0, StatusCode::NOT_FOUND);
    server.stop().await;
}

async fn identity_code_in_the_form_is_refused_next_to_the_field(kind: Kind) {
    let server = TestServer::start(kind).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let mut fields = REQUEST.to_vec();
    fields[1] = ("background", "Lapsen tunnus 010594Y9032 on liitteessä.");
    fields.push(("action", "submit"));
    let resp = requester.post("/consultations", &fields).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(r#"<p class="field-error" id="background-error">Kentässä ”Tausta” on henkilötunnus."#),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="true" aria-describedby="background-error""#));
    assert!(html.contains("pitkittynyt huoltoriita"), "what was typed is kept");
    let count: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations").fetch_one(pool).await.unwrap());
    assert_eq!(count, 0, "nothing stored");
    server.stop().await;
}

async fn overdue_cases_stand_out_in_the_queue(kind: Kind) {
    let server = TestServer::start(kind).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let mut fields = REQUEST.to_vec();
    fields.push(("action", "submit"));
    requester.post("/consultations", &fields).await;
    on_db!(&server.db, pool => sqlx::query("UPDATE consultations SET due_date = '2026-01-02'").execute(pool).await.unwrap().rows_affected());
    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, queue) = coordinator.get("/consultations").await;
    assert!(
        queue.contains(r#"<tr class="overdue">"#) && queue.contains("Myöhässä"),
        "overdue by text, not colour alone"
    );
    assert!(queue.contains("2.1.2026"));
    server.stop().await;
}

/// The forms on a case page follow the domain's state machine: a
/// coordinator can reroute a submitted case but not an assigned one (the
/// page used to offer it and the move then failed with 409).
async fn the_case_page_offers_exactly_the_moves_the_state_machine_allows(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = crate::consultations::Api::new(&server);
    let cast = crate::consultations::cast(&server).await;
    let id = crate::consultations::submitted_case(&api, &cast).await;
    let path = format!("/consultations/{id}");
    let forms = |html: &str| {
        ["submit", "cancel", "assign", "reroute", "accept", "decline", "statement", "feedback", "message", "meeting"]
            .into_iter()
            .filter(|a| html.contains(&format!(r#"name="action" value="{a}""#)))
            .collect::<Vec<_>>()
    };
    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, html) = coordinator.get(&path).await;
    assert_eq!(forms(&html), ["cancel", "assign", "reroute", "message"]);
    let panel = serde_json::json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
    let (status, _) = api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/assignment"), panel).await;
    assert_eq!(status, StatusCode::OK);
    let (_, html) = coordinator.get(&path).await;
    assert_eq!(forms(&html), ["cancel", "assign", "message", "meeting"], "no reroute once assigned");
    let expert = Browser::login(&server, "asiantuntija@example.fi").await;
    let (_, html) = expert.get(&path).await;
    assert_eq!(forms(&html), ["accept", "decline", "statement", "message", "meeting"]);
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let (_, html) = requester.get(&path).await;
    assert_eq!(forms(&html), ["cancel", "message"]);
    server.stop().await;
}

/// The accessibility statement (law 306/2019) and the privacy notice are
/// public in three languages, and every page's footer links to both.
async fn accessibility_statement_and_privacy_notice_are_public_and_linked_from_every_page(kind: Kind) {
    let server = TestServer::start(kind).await;
    let anonymous = server.browser();
    for (lang, a11y, privacy) in [
        ("fi", "Saavutettavuusseloste", "Tietosuojaseloste"),
        ("sv", "Tillgänglighetsutlåtande", "Dataskyddsbeskrivning"),
        ("en", "Accessibility statement", "Privacy notice"),
    ] {
        for (path, heading) in [("/accessibility", a11y), ("/privacy", privacy)] {
            let resp = anonymous.get(server.url(path)).header("accept-language", lang).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK, "{path} {lang}");
            let html = resp.text().await.unwrap();
            assert!(html.contains(&format!("<h1>{heading}</h1>")), "{path} in {lang}");
            assert!(html.contains(&format!(r#"<html lang="{lang}""#)), "{path} in {lang}");
        }
    }
    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    for path in ["/", "/login", "/experts", "/consultations", "/accessibility", "/nothing-here"] {
        let html = if path == "/login" || path == "/nothing-here" {
            anonymous.get(server.url(path)).send().await.unwrap().text().await.unwrap()
        } else {
            coordinator.get(path).await.1
        };
        let footer = &html[html.find("<footer").unwrap_or_else(|| panic!("{path} has a footer"))..];
        assert!(footer.contains(r#"href="/accessibility""#) && footer.contains(r#"href="/privacy""#), "{path}");
    }
    server.stop().await;
}

/// An expert edits their own profile in the browser with the API's rules:
/// a saved edit shows in the search at once, an identity code or a bad
/// language code is refused next to its field and nothing changes.
async fn experts_edit_their_own_profile_in_the_browser(kind: Kind) {
    let server = TestServer::start(kind).await;
    let expert = Browser::login(&server, "asiantuntija@example.fi").await;
    let (status, html) = expert.get("/me/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<textarea id="bio" name="bio""#), "the form has the bio field");
    let id = profile_id(&server, "asiantuntija@example.fi").await;
    let before = tukiverkko_store::experts::find(&server.db, &id).await.unwrap();
    let version = before.version.to_string();
    let form = |bio: &str, languages: &str| {
        vec![
            ("version", version.clone()),
            ("given_name", before.given_name.clone()),
            ("family_name", before.family_name.clone()),
            ("title", "psykologi".to_string()),
            ("organization", "Tays".to_string()),
            ("sector", before.sector.clone()),
            ("county", before.county.clone()),
            ("languages", languages.to_string()),
            ("topics", "honour_violence".to_string()),
            ("remote", "true".to_string()),
            ("accepts_consultations", "true".to_string()),
            ("capacity", "4".to_string()),
            ("bio", bio.to_string()),
        ]
    };
    let expert = &expert;
    let post = |fields: Vec<(&'static str, String)>| async move {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        expert.post("/me/profile", &refs).await
    };
    let refused = post(form("Asiakkaan hetu 131052\u{2013}308T", "fi")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains(r#"id="bio-error""#) && html.contains("131052"), "the typed text stays in the form");
    let refused = post(form("Kunniaan liittyvä väkivalta.", "fi, xx")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains(r#"id="languages-error""#));
    assert_eq!(tukiverkko_store::experts::find(&server.db, &id).await.unwrap(), before, "nothing stored");

    let saved = post(form("Pakkoavioliittojen ehkäisy ja kunniaan liittyvä väkivalta.", "fi, SV")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()["location"], "/me/profile?saved");
    let (_, html) = expert.get("/me/profile?saved").await;
    assert!(html.contains(r#"role="status""#));
    let after = tukiverkko_store::experts::find(&server.db, &id).await.unwrap();
    assert_eq!(
        (after.languages.as_str(), after.centre.as_str(), after.version),
        ("fi;sv", before.centre.as_str(), before.version + 1)
    );
    let (_, found) = expert.get("/experts?q=pakkoavioliitto").await;
    assert!(found.contains(&format!("/experts/{id}")), "the edit is searchable at once");
    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (status, html) = coordinator.get("/me/profile").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a coordinator without a profile is told so");
    assert!(html.contains("<h1>"));
    server.stop().await;
}

/// `/settings`: the language choice is saved and used at once, e-mail
/// notifications can be turned off (and then nothing is queued for mail),
/// and the second factor is set up and removed in the browser.
async fn settings_save_language_notifications_and_the_second_factor(kind: Kind) {
    let server = TestServer::start(kind).await;
    let user = Browser::login(&server, "pyytaja@example.fi").await;
    let (status, html) = user.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<select id="lang" name="lang">"#), "the language select");
    let refused = user.post("/settings", &[("lang", "de")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved = user.post("/settings", &[("lang", "sv")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()["location"], "/settings?saved=preferences");
    let (_, html) = user.get("/settings?saved=preferences").await;
    assert!(html.contains("Inställningarna sparades."), "the page is now in Swedish and says what happened");
    let account =
        tukiverkko_store::accounts::find_by_email(&server.db, &"pyytaja@example.fi".parse().unwrap()).await.unwrap();
    assert_eq!(account.language, tukiverkko_domain::Language::Sv);
    assert!(!account.email_notifications, "the unticked box turned e-mail off");

    // Second factor: begin, a wrong code keeps the set-up on the page, the right one turns it on.
    let begun = user.post("/settings/totp", &[]).await;
    assert_eq!(begun.status(), StatusCode::OK);
    let html = begun.text().await.unwrap();
    let start = html.find("otpauth://").expect("the set-up link");
    let url = html[start..].split('"').next().unwrap().replace("&amp;", "&");
    let secret = html.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_string();
    let wrong = user.post("/settings/totp/confirm", &[("code", "000000"), ("secret", &secret), ("url", &url)]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains(&secret), "the set-up stays on the page");
    let code = totp_rs::Totp::from_url(&url).unwrap().generate_current().to_string();
    let on = user.post("/settings/totp/confirm", &[("code", &code)]).await;
    assert_eq!(on.headers()["location"], "/settings?saved=totp_on");
    let account = tukiverkko_store::accounts::find_by_id(&server.db, &account.id).await.unwrap();
    assert!(account.totp_enabled);
    let wrong = user.post("/settings/totp/remove", &[("password", "väärä-salasana")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let off = user.post("/settings/totp/remove", &[("password", tukiverkko_store::demo::DEMO_PASSWORD)]).await;
    assert_eq!(off.headers()["location"], "/settings?saved=totp_off");
    assert!(!tukiverkko_store::accounts::find_by_id(&server.db, &account.id).await.unwrap().totp_enabled);
    let trail = tukiverkko_store::audit::list(&server.db, &Default::default()).await.unwrap();
    assert!(
        trail.iter().any(|e| e.action == "auth.totp_disabled" && e.actor_id.as_deref() == Some(account.id.as_str()))
    );
    server.stop().await;
}

/// `/admin/users`: an administrator creates an expert (who gets a profile),
/// changes roles, disables (only after confirming) and enables an account;
/// bad input is named and nothing is created; each change is audited.
async fn administrators_manage_accounts_in_the_browser(kind: Kind) {
    let server = TestServer::start(kind).await;
    let admin = Browser::login(&server, "yllapito@example.fi").await;
    let (status, html) = admin.get("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("pyytaja@example.fi"), "the list shows the accounts");
    let new = |email: &'static str, name: &'static str, centre: &'static str| {
        vec![("email", email), ("name", name), ("roles", "expert"), ("centre", centre)]
    };
    let refused = admin.post("/admin/users", &new("uusi@example.fi", "Uusi 131052-308T", "oulu")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "an identity code in the name");
    let refused = admin.post("/admin/users", &new("uusi@example.fi", "Uusi Asiantuntija", "")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "an expert needs a centre");
    assert!(refused.text().await.unwrap().contains("Uusi Asiantuntija"), "the typed values stay");
    let email: tukiverkko_domain::Email = "uusi@example.fi".parse().unwrap();
    assert!(tukiverkko_store::accounts::find_by_email(&server.db, &email).await.is_err(), "nothing created");
    let created = admin.post("/admin/users", &new("uusi@example.fi", "Uusi Asiantuntija", "oulu")).await;
    assert_eq!(created.headers()["location"], "/admin/users?done=created");
    let account = tukiverkko_store::accounts::find_by_email(&server.db, &email).await.unwrap();
    assert!(tukiverkko_store::experts::id_for_user(&server.db, &account.id).await.unwrap().is_some(), "a profile");

    let path = format!("/admin/users/{}", account.id);
    let roles = admin
        .post(&format!("{path}/roles"), &[("roles", "coordinator"), ("roles", "expert"), ("centre", "oulu")])
        .await;
    assert_eq!(roles.headers()["location"], "/admin/users?done=roles");
    let account = tukiverkko_store::accounts::find_by_id(&server.db, &account.id).await.unwrap();
    assert!(account.has_role(tukiverkko_domain::Role::Coordinator));
    let unconfirmed = admin.post(&format!("{path}/disable"), &[]).await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let disabled = admin.post(&format!("{path}/disable"), &[("confirm", "yes")]).await;
    assert_eq!(disabled.headers()["location"], "/admin/users?done=disabled");
    assert!(tukiverkko_store::accounts::find_by_id(&server.db, &account.id).await.unwrap().disabled);
    let enabled = admin.post(&format!("{path}/enable"), &[]).await;
    assert_eq!(enabled.headers()["location"], "/admin/users?done=enabled");
    assert!(!tukiverkko_store::accounts::find_by_id(&server.db, &account.id).await.unwrap().disabled);
    let trail = tukiverkko_store::audit::list(&server.db, &Default::default()).await.unwrap();
    for action in ["user.create", "user.roles", "user.disable", "user.enable"] {
        let entry = trail.iter().find(|e| e.action == action).unwrap_or_else(|| panic!("{action} is audited"));
        assert_eq!(entry.actor_role.as_deref(), Some("admin"), "{action}");
    }
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    assert_eq!(requester.get("/admin/users").await.0, StatusCode::FORBIDDEN);
    server.stop().await;
}

/// Every case action ends on a page that says what happened; a move that
/// ends the caller's part (a reroute, a declined part) lands on the list,
/// never on "page not found".
async fn case_actions_end_on_a_page_that_says_what_happened(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = crate::consultations::Api::new(&server);
    let cast = crate::consultations::cast(&server).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let created = requester.post("/consultations", REQUEST).await;
    let case_path = created.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
    let submitted = requester.post(&format!("{case_path}/act"), &[("action", "submit")]).await;
    assert_eq!(submitted.headers()["location"].to_str().unwrap(), format!("{case_path}?done=submit"));
    let (_, html) = requester.get(&format!("{case_path}?done=submit")).await;
    assert!(html.contains(r#"<div class="notice" role="status"><p>Pyyntö lähetettiin keskukselle."#), "{html}");

    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let rerouted = coordinator
        .post(
            &format!("{case_path}/act"),
            &[("action", "reroute"), ("centre", "oulu"), ("reason", "Kansallinen erityisosaaminen")],
        )
        .await;
    assert_eq!(rerouted.headers()["location"], "/consultations?done=reroute", "the case left the centre");
    let (status, html) = coordinator.get("/consultations?done=reroute").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Pyyntö ohjattiin toiseen keskukseen"));

    // A lead who declines their part no longer takes part either.
    let id = crate::consultations::assigned_case(&api, &cast).await;
    let expert = Browser::login(&server, "asiantuntija@example.fi").await;
    let declined = expert
        .post(
            &format!("/consultations/{id}/act"),
            &[("action", "decline"), ("reason", "Esteellinen"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(declined.headers()["location"], "/consultations?done=decline");
    server.stop().await;
}

async fn names_and_dateless_codes_are_shown_back_before_anything_is_saved(kind: Kind) {
    let server = TestServer::start(kind).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let stored = || async {
        let n: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations").fetch_one(pool).await.unwrap());
        n
    };
    for (text, expected) in [
        ("Äiti Maija Meikäläinen soitti koululle.", "”Äiti Maija Meikäläinen” näyttää nimeltä."),
        ("Tunnus 131052308T on paperissa.", "”131052308T” näyttää henkilötunnukselta."),
        ("Tunnus 131052 - 308T on paperissa.", "”131052 - 308T” näyttää henkilötunnukselta."),
    ] {
        let mut fields = REQUEST.to_vec();
        fields[1] = ("background", text);
        let shown = requester.post("/consultations", &fields).await;
        assert_eq!(shown.status(), StatusCode::OK);
        let html = shown.text().await.unwrap();
        assert!(html.contains(expected), "{html}");
        assert!(html.contains(r#"name="confirm_warnings" value="yes""#) && html.contains(text), "kept for editing");
        assert_eq!(stored().await, 0, "nothing saved before the requester decides");
    }
    let mut fields = REQUEST.to_vec();
    fields[1] = ("background", "Äiti Maija Meikäläinen soitti koululle.");
    fields.push(("confirm_warnings", "yes"));
    let saved = requester.post("/consultations", &fields).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "confirmed, it is saved");
    assert_eq!(stored().await, 1);
    // A well-formed code stays refused, confirmed or not.
    fields[1] = ("background", "Tunnus 131052-308T on paperissa.");
    assert_eq!(requester.post("/consultations", &fields).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored().await, 1);
    server.stop().await;
}

async fn drafts_are_checked_and_edited_before_they_are_sent(kind: Kind) {
    let server = TestServer::start(kind).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let mut fields = REQUEST.to_vec();
    fields.push(("action", "draft"));
    let created = requester.post("/consultations", &fields).await;
    let case_path = created.headers()["location"].to_str().unwrap().to_string();
    let (_, check) = requester.get(&case_path).await;
    assert!(
        check.contains("Tarkista pyyntö ennen lähettämistä") && check.contains(&format!(r#"href="{case_path}/edit""#))
    );

    let (status, form) = requester.get(&format!("{case_path}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(&format!(r#"action="{case_path}/edit""#)) && form.contains("pitkittynyt huoltoriita"),
        "{form}"
    );
    assert!(form.contains(r#"value="custody_disputes" checked"#), "the stored topics are ticked");
    let mut edited = REQUEST.to_vec();
    edited[0] = ("question", "Miten tukea nuorta, jonka vanhemmat riitelevät huoltajuudesta?");
    edited[10] = ("services", "foster_care");
    let saved = requester.post(&format!("{case_path}/edit"), &edited).await;
    assert_eq!(saved.headers()["location"].to_str().unwrap(), format!("{case_path}?done=edit"));
    let (_, page) = requester.get(&format!("{case_path}?done=edit")).await;
    assert!(
        page.contains("Muutokset tallennettiin luonnokseen.") && page.contains("riitelevät huoltajuudesta"),
        "{page}"
    );
    let id = case_path.rsplit('/').next().unwrap();
    let stored: (String, String) = on_db!(&server.db, pool => sqlx::query_as("SELECT question, client_services FROM consultations WHERE id = $1")
        .bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(stored, ("Miten tukea nuorta, jonka vanhemmat riitelevät huoltajuudesta?".into(), "foster_care".into()));

    // A bad edit changes nothing; another requester cannot edit it.
    edited[0] = ("question", "");
    assert_eq!(requester.post(&format!("{case_path}/edit"), &edited).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let other = tukiverkko_store::accounts::NewUser {
        email: "toinen@example.fi".parse().unwrap(),
        name: "Toinen Pyytäjä".into(),
        roles: vec![tukiverkko_domain::Role::Requester],
        centre: None,
        organization_id: None,
        password: Some(tukiverkko_store::demo::DEMO_PASSWORD.into()),
    };
    accounts::create(&server.db, &other, &tukiverkko_store::audit::AuditActor::system()).await.unwrap();
    let stranger = Browser::login(&server, "toinen@example.fi").await;
    assert_eq!(stranger.get(&format!("{case_path}/edit")).await.0, StatusCode::NOT_FOUND);
    let question: String = on_db!(&server.db, pool => sqlx::query_scalar("SELECT question FROM consultations WHERE id = $1")
        .bind(id).fetch_one(pool).await.unwrap());
    assert!(question.contains("huoltajuudesta"));

    // Once sent, the form is gone and the page says what happens next.
    let sent = requester.post(&format!("{case_path}/act"), &[("action", "submit")]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let (_, page) = requester.get(&format!("{case_path}?done=submit")).await;
    assert!(page.contains("Vastaus on tulossa viimeistään"), "{page}");
    let again = requester.post(&format!("{case_path}/edit"), REQUEST).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "a sent request is no longer a draft");
    server.stop().await;
}

async fn every_problem_of_the_request_form_is_listed_at_once(kind: Kind) {
    let server = TestServer::start(kind).await;
    let requester = Browser::login(&server, "pyytaja@example.fi").await;
    let fields: Vec<(&str, &str)> = REQUEST
        .iter()
        .filter(|(k, _)| *k != "topics")
        .map(|&(k, v)| match k {
            "question" => (k, ""),
            "age" => (k, "vanha"),
            _ => (k, v),
        })
        .collect();
    let resp = requester.post("/consultations", &fields).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    let summary = &html[html.find(r#"id="error-summary""#).expect("a summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    for anchor in ["#question", "#topics", "#client-age"] {
        assert!(summary.contains(&format!(r#"href="{anchor}""#)), "{anchor} in the summary: {summary}");
    }
    assert!(summary.contains("Valitse vähintään yksi kohdasta ”Aiheet”."), "a choice group says choose: {summary}");
    assert!(html.contains(r#"id="question-error""#) && html.contains(r#"id="topics-error""#), "each next to its field");
    assert!(html.contains("pitkittynyt") || html.contains("Vanhemmat ovat riidelleet"), "what was typed is kept");
    let count: i64 = on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM consultations").fetch_one(pool).await.unwrap());
    assert_eq!(count, 0);
    server.stop().await;
}

async fn a_statement_is_previewed_before_it_is_published(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = crate::consultations::Api::new(&server);
    let cast = crate::consultations::cast(&server).await;
    let id = crate::consultations::assigned_case(&api, &cast).await;
    let expert = Browser::login(&server, "asiantuntija@example.fi").await;
    let statement = [
        ("action", "statement"),
        ("assessment", "Uhka on todellinen."),
        ("recommendations", "Turvallisuussuunnitelma ja riskinarvio."),
        ("suggested_methods", "systemic_model"),
        ("follow_up", ""),
    ];
    let mut preview = statement.to_vec();
    preview.push(("step", "preview"));
    let shown = expert.post(&format!("/consultations/{id}/act"), &preview).await;
    assert_eq!(shown.status(), StatusCode::OK);
    let html = shown.text().await.unwrap();
    assert!(html.contains("Esikatselu: näin pyytäjä näkee lausunnon"), "{html}");
    assert!(html.contains(">Uhka on todellinen.</textarea>"), "the form keeps the text");
    assert!(html.contains(r#"value="systemic_model" checked"#));
    let (_, case) = api.get(&cast.expert, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(case["status"], "assigned", "a preview publishes nothing");

    let mut bad = preview.clone();
    bad[1] = ("assessment", "");
    let refused = expert.post(&format!("/consultations/{id}/act"), &bad).await;
    assert!(refused.text().await.unwrap().contains(r#"id="assessment-error""#), "checked by the same rule");

    let mut publish = statement.to_vec();
    publish.push(("step", "publish"));
    assert_eq!(expert.post(&format!("/consultations/{id}/act"), &publish).await.status(), StatusCode::SEE_OTHER);
    let (_, case) = api.get(&cast.expert, &format!("/api/v1/consultations/{id}")).await;
    assert_eq!(case["status"], "answered");
    server.stop().await;
}

async fn the_organiser_chooses_who_is_invited_to_a_meeting(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = crate::consultations::Api::new(&server);
    let cast = crate::consultations::cast(&server).await;
    let id = crate::consultations::assigned_case(&api, &cast).await;
    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let (_, html) = coordinator.get(&format!("/consultations/{id}")).await;
    let expert_user =
        accounts::find_by_email(&server.db, &"asiantuntija@example.fi".parse().unwrap()).await.unwrap().id;
    let requester_user = accounts::find_by_email(&server.db, &"pyytaja@example.fi".parse().unwrap()).await.unwrap().id;
    assert!(html.contains(&format!(r#"name="invite" value="{requester_user}" checked"#)), "everyone ticked at first");
    let date = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).format("%Y-%m-%d").to_string();
    let meeting = |invite: Vec<&'static str>| {
        let mut f: Vec<(&str, String)> = vec![
            ("action", "meeting".into()),
            ("date", date.clone()),
            ("time", "10:00".into()),
            ("minutes", "60".into()),
            ("link", "https://meet.example.fi/x".into()),
            ("invite_offered", "yes".into()),
        ];
        f.extend(invite.into_iter().map(|i| ("invite", i.to_string())));
        f
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let coordinator = &coordinator;
        let id = id.clone();
        async move {
            let owned: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            coordinator.post(&format!("/consultations/{id}/act"), &owned).await
        }
    };
    let nobody = post(meeting(vec![])).await;
    assert_eq!(nobody.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nobody.text().await.unwrap().contains("Valitse vähintään yksi kohdasta ”Kutsuttavat”."));
    let mut stranger = meeting(vec![]);
    stranger.push(("invite", "someone-else".into()));
    assert_eq!(post(stranger).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut only_expert = meeting(vec![]);
    only_expert.push(("invite", expert_user.clone()));
    assert_eq!(post(only_expert).await.status(), StatusCode::SEE_OTHER);
    let participants: Vec<String> = on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT participants FROM consultation_meetings WHERE consultation_id = $1").bind(&id).fetch_all(pool).await.unwrap());
    assert_eq!(participants.len(), 1, "one meeting");
    assert_eq!(participants[0], expert_user, "one meeting, the requester left out");
    assert!(!participants[0].contains(&requester_user));
    server.stop().await;
}
