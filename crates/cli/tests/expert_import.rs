//! The coordinators' CSV import in the browser: upload, preview, apply.
//! Each step is driven as a browser would (multipart upload, forms with the
//! session's CSRF token) and checked against the stored directory.

use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use tukiverkko_store::{audit, experts, experts_csv};

backends!(
    coordinator_previews_an_upload_then_applies_exactly_that,
    bad_uploads_change_nothing_and_name_every_line,
    a_preview_goes_stale_when_the_directory_changes_meanwhile,
    uploads_larger_than_the_api_limit_are_accepted_here,
);

const HEAD: &str = "external_id,given_name,family_name,title,organization,sector,county,centre,languages,topics,methods,remote,accepts_consultations,bio,email,phone\n";
const COORDINATOR: &str = "koordinaattori@example.fi";

fn row(id: &str, family: &str, title: &str, county: &str) -> String {
    format!(
        "{id},Tiina,{family},{title},Tays,health,{county},,fi;sv,child_psychiatry,,true,true,Nuorisopsykiatria ja perheterapia,{id}@example.fi,\n"
    )
}

/// A signed-in browser that can open the import page, and its CSRF token.
async fn signed_in(server: &TestServer, email: &str) -> (reqwest::Client, String) {
    let (browser, csrf) = server.signed_in_browser(email).await;
    assert_eq!(browser.get(server.url("/experts/import")).send().await.unwrap().status(), StatusCode::OK);
    (browser, csrf)
}

async fn upload(server: &TestServer, browser: &reqwest::Client, csrf: &str, csv: String) -> (StatusCode, String) {
    let file = Part::bytes(csv.into_bytes()).file_name("asiantuntijat.csv").mime_str("text/csv").unwrap();
    let form = Form::new().text("csrf", csrf.to_string()).part("file", file);
    let resp = browser.post(server.url("/experts/import")).multipart(form).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

/// The confirm form's target on a preview page.
fn apply_path(html: &str) -> String {
    let marker = r#"action="/experts/import/"#;
    let start = html.find(marker).expect("a confirm form") + r#"action=""#.len();
    html[start..].split('"').next().unwrap().to_string()
}

async fn directory_csv(server: &TestServer) -> Vec<u8> {
    let mut out = Vec::new();
    experts_csv::write(&mut out, &experts::list_all(&server.db).await.unwrap()).unwrap();
    out
}

async fn coordinator_previews_an_upload_then_applies_exactly_that(kind: Kind) {
    let server = TestServer::start(kind).await;
    let (browser, csrf) = signed_in(&server, COORDINATOR).await;
    let before = directory_csv(&server).await;

    let csv = format!(
        "{HEAD}{}{}",
        row("tre-1", "Tammela", "psykologi", "pirkanmaa"),
        row("tre-2", "Hervanta", "", "pirkanmaa")
    );
    let (status, page) = upload(&server, &browser, &csrf, csv).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Esikatselu: asiantuntijat.csv"));
    assert!(page.contains("Uusia 2, muuttuvia 0, ennallaan 0."), "{page}");
    assert!(page.contains("tre-1") && page.contains("uusi profiili"));
    assert_eq!(directory_csv(&server).await, before, "a preview stores nothing");

    let path = apply_path(&page);
    let done = browser.post(server.url(&path)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert!(
        done.text().await.unwrap().contains("Tiedosto asiantuntijat.csv tuotiin: uusia 2, muuttuneita 0, ennallaan 0.")
    );
    let again = browser.post(server.url(&path)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "a preview is applied once");

    // A second file changes one profile: the preview names the columns.
    let csv = format!(
        "{HEAD}{}{}",
        row("tre-1", "Tammela", "johtava psykologi", "pirkanmaa"),
        row("tre-2", "Hervanta", "", "pirkanmaa")
    );
    let (status, page) = upload(&server, &browser, &csrf, csv).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Uusia 0, muuttuvia 1, ennallaan 1."), "{page}");
    assert!(page.contains("muuttuu: title"), "{page}");
    let done = browser.post(server.url(&apply_path(&page))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);

    let rows = experts::list_all(&server.db).await.unwrap();
    let tre1 = rows.iter().find(|r| r.external_id == "tre-1").expect("imported");
    assert_eq!((tre1.title.as_str(), tre1.centre.as_str()), ("johtava psykologi", "tampere"));
    assert_eq!(experts::history(&server.db, &tre1.id).await.unwrap().len(), 1, "the earlier version is kept");
    let coordinator =
        tukiverkko_store::accounts::find_by_email(&server.db, &COORDINATOR.parse().unwrap()).await.unwrap();
    let filter = audit::AuditFilter { actor_id: Some(coordinator.id.clone()), ..Default::default() };
    let imports =
        audit::list(&server.db, &filter).await.unwrap().into_iter().filter(|e| e.action == "expert.import").count();
    assert_eq!(imports, 2);

    // The search sees the import at once.
    let token = server.token_for("pyytaja@example.fi").await;
    let found = server.get_json("/api/v1/experts?q=Tammela", &token).await;
    assert_eq!(found["items"][0]["external_id"], "tre-1");
    server.stop().await;
}

async fn bad_uploads_change_nothing_and_name_every_line(kind: Kind) {
    let server = TestServer::start(kind).await;
    let (browser, csrf) = signed_in(&server, COORDINATOR).await;
    let before = directory_csv(&server).await;

    let bad = format!(
        "{HEAD}{}bad-1,Bea,Bad,,,health,pirkanmaa,,fi,nonsense,,true,true,,bea@,\n{}",
        row("ok-1", "Ok", "", "pirkanmaa"),
        row("ok-1", "Ok", "", "pirkanmaa"),
    );
    let (status, page) = upload(&server, &browser, &csrf, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Mitään ei tuotu") && page.contains(r#"role="alert""#));
    assert!(page.contains("on 3 virhettä"), "{page}");
    assert!(
        page.contains(
            "<td>3</td><td>Sarake 10 (topics): tuntematon aihekoodi (unknown topic code &#39;nonsense&#39;)</td>"
        ),
        "{page}"
    );
    assert!(page.contains("Sarake 15 (email): sähköpostiosoite ei kelpaa"), "{page}");
    assert!(page.contains("<td>4</td><td>Sarake 1 (external_id): sama external_id on tiedostossa kahdesti"), "{page}");

    // In Swedish too; a row with too many columns names no field.
    browser.get(server.url("/lang/sv")).send().await.unwrap();
    let csv = format!("{HEAD}x,Y,Z,,,health,pirkanmaa,,fi,,,maybe,true,,,\n{}", row("y,extra", "Y", "", "pirkanmaa"));
    let (status, page) = upload(&server, &browser, &csrf, csv).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("<td>2</td><td>Kolumn 12 (remote): värdet måste vara true eller false (remote must be true or false, not &#39;maybe&#39;)</td>"), "{page}");
    assert!(page.contains("<td>3</td><td>fel antal kolumner (expected 16 columns, found 18)</td>"), "{page}");
    browser.get(server.url("/lang/fi")).send().await.unwrap();

    // Another centre's profiles are not a Tampere coordinator's to import.
    let (status, page) =
        upload(&server, &browser, &csrf, format!("{HEAD}{}", row("oulu-1", "Pohjola", "", "kainuu"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("voit tuoda vain oman OT-keskuksesi profiileja"), "{page}");

    let (status, page) = upload(&server, &browser, &csrf, String::new()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Valitse tuotava CSV-tiedosto."));

    let (status, page) = upload(&server, &browser, &csrf, "not,a,header\n1,2,3\n".into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("otsikkorivin pitää olla"), "{page}");

    // Without the session's token the upload is refused before it is read.
    let (status, _) = upload(&server, &browser, "forged", format!("{HEAD}{}", row("x-1", "X", "", "pirkanmaa"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (requester, _) = server.signed_in_browser("pyytaja@example.fi").await;
    assert_eq!(requester.get(server.url("/experts/import")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    assert_eq!(directory_csv(&server).await, before, "nothing changed");
    server.stop().await;
}

async fn a_preview_goes_stale_when_the_directory_changes_meanwhile(kind: Kind) {
    let server = TestServer::start(kind).await;
    let (browser, csrf) = signed_in(&server, COORDINATOR).await;
    let (status, page) =
        upload(&server, &browser, &csrf, format!("{HEAD}{}", row("late-1", "Myöhä", "", "pirkanmaa"))).await;
    assert_eq!(status, StatusCode::OK);

    // Someone edits a profile between the preview and the confirmation.
    let user = tukiverkko_store::accounts::find_by_email(&server.db, &"asiantuntija@example.fi".parse().unwrap())
        .await
        .unwrap();
    let profile_id = experts::id_for_user(&server.db, &user.id).await.unwrap().expect("the demo expert has a profile");
    let current = experts::find(&server.db, &profile_id).await.unwrap();
    let mut edited = current.to_new();
    edited.title = "ylilääkäri".into();
    experts::update(
        &server.db,
        &profile_id,
        current.version,
        &edited,
        &tukiverkko_store::audit::AuditActor::account(&user, None, None),
    )
    .await
    .unwrap();
    let before = directory_csv(&server).await;

    let resp = browser.post(server.url(&apply_path(&page))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert!(resp.text().await.unwrap().contains("muutettiin esikatselun jälkeen"));
    assert_eq!(directory_csv(&server).await, before, "the stale preview imported nothing");
    server.stop().await;
}

async fn uploads_larger_than_the_api_limit_are_accepted_here(kind: Kind) {
    let server = TestServer::start(kind).await;
    let (browser, csrf) = signed_in(&server, COORDINATOR).await;
    // About 1.5 MB: over the 1 MiB limit of other requests.
    let bio = "Lasten ja nuorten psykiatria, perheterapia ja verkostotyö. ".repeat(20);
    let mut csv = HEAD.to_string();
    for i in 0..1300 {
        csv.push_str(&format!("big-{i},Iso,Tiedosto{i},,,health,pirkanmaa,,fi,,,true,true,\"{bio}\",,\n"));
    }
    assert!(csv.len() > 1_400_000);
    let (status, page) = upload(&server, &browser, &csrf, csv).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        page.split("<tbody>").nth(1).unwrap_or(&page).chars().take(600).collect::<String>()
    );
    assert!(page.contains("Uusia 1300, muuttuvia 0, ennallaan 0."));
    assert!(page.contains("… ja 1100 muuta muutosta."), "the preview lists the first 200");
    server.stop().await;
}
