//! Notifications: in the app and by e-mail through an SMTP relay the test
//! runs itself; the per-user calendar feed.

use crate::support::{Kind, TestServer};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tukiverkko_web::{ServerConfig, SmtpConfig};

backends!(
    submitting_mails_the_coordinators_a_link_without_case_content,
    calendar_feed_lists_the_callers_meetings,
    the_header_counts_unread_notifications_and_opening_one_reads_it,
);

/// A minimal SMTP relay: accepts every message and hands over its text.
pub(crate) async fn smtp_relay() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test relay\r\n").await.unwrap();
                let mut message = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            tx.send(std::mem::take(&mut message)).unwrap();
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test relay\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

fn request() -> Value {
    json!({"question": "Salainen kysymys kunniaväkivallasta", "topics": ["honour_violence"], "urgency": "urgent", "format": "statement",
           "legal_basis": "statutory", "client": {"age": 15, "county": "pirkanmaa", "services": []}})
}

async fn submitting_mails_the_coordinators_a_link_without_case_content(kind: Kind) {
    let (port, mut mails) = smtp_relay().await;
    let config = ServerConfig {
        smtp: Some(SmtpConfig::parse(&format!("smtp://127.0.0.1:{port}"), "tukiverkko <noreply@example.fi>").unwrap()),
        public_url: Some("https://tukiverkko.example.fi".into()),
        ..ServerConfig::default()
    };
    let server = TestServer::start_with(kind, config, true).await;
    let client = reqwest::Client::new();
    let requester = server.token_for("pyytaja@example.fi").await;
    let case: Value = client
        .post(server.url("/api/v1/consultations"))
        .bearer_auth(&requester)
        .json(&request())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = case["id"].as_str().unwrap();
    let submitted = client
        .post(server.url(&format!("/api/v1/consultations/{id}/submit")))
        .bearer_auth(&requester)
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 200);

    let raw = tokio::time::timeout(std::time::Duration::from_secs(20), mails.recv())
        .await
        .expect("a mail within 20 s")
        .unwrap();
    // Quoted-printable soft line breaks.
    let mail = raw.replace("=\n", "");
    assert!(mail.contains("To: koordinaattori@example.fi"), "{mail}");
    assert!(mail.contains(&format!("https://tukiverkko.example.fi/consultations/{id}")), "{mail}");
    assert!(mail.contains("Subject: tukiverkko: uusi ilmoitus") || mail.contains("Subject: =?utf-8?"), "{mail}");
    assert!(!mail.contains("Salainen") && !mail.contains("kunnia"), "no case content in mail: {mail}");

    let coordinator = server.token_for("koordinaattori@example.fi").await;
    let notes = server.get_json("/api/v1/notifications", &coordinator).await;
    assert_eq!(notes[0]["kind"], "consultation_submitted");
    server.stop().await;
}

async fn calendar_feed_lists_the_callers_meetings(kind: Kind) {
    let server = TestServer::start(kind).await;
    let client = reqwest::Client::new();
    let requester = server.token_for("pyytaja@example.fi").await;
    let coordinator = server.token_for("koordinaattori@example.fi").await;
    let researcher = server.token_for("tutkija@example.fi").await;
    let case: Value = client
        .post(server.url("/api/v1/consultations"))
        .bearer_auth(&requester)
        .json(&request())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = case["id"].as_str().unwrap();
    client
        .post(server.url(&format!("/api/v1/consultations/{id}/submit")))
        .bearer_auth(&requester)
        .send()
        .await
        .unwrap();
    let account = tukiverkko_store::accounts::find_by_email(&server.db, &"asiantuntija@example.fi".parse().unwrap())
        .await
        .unwrap();
    let expert = tukiverkko_store::experts::id_for_user(&server.db, &account.id).await.unwrap().unwrap();
    client
        .post(server.url(&format!("/api/v1/consultations/{id}/assignment")))
        .bearer_auth(&coordinator)
        .json(&json!({"experts": [expert], "lead": expert}))
        .send()
        .await
        .unwrap();
    // Two days ahead at a whole hour: meetings in the past are refused, so no fixed date.
    let starts = crate::consultations::meeting_start();
    let meeting = json!({"starts_at": starts.to_rfc3339(), "minutes": 45, "link": "https://meet.example.fi/room"});
    let resp = client
        .post(server.url(&format!("/api/v1/consultations/{id}/meetings")))
        .bearer_auth(&coordinator)
        .json(&meeting)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);

    let feed = client
        .get(server.url("/api/v1/calendar.ics"))
        .bearer_auth(&requester)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        feed.contains("BEGIN:VEVENT")
            && feed.contains(&format!("DTSTART:{}", starts.format("%Y%m%dT%H%M%SZ")))
            && feed.contains(case["reference"].as_str().unwrap()),
        "{feed}"
    );
    let other = client
        .get(server.url("/api/v1/calendar.ics"))
        .bearer_auth(&researcher)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(other.contains("BEGIN:VCALENDAR") && !other.contains("BEGIN:VEVENT"), "no meetings of others' cases");

    // The organiser may invite only some of the case's people, named by the
    // account ids the case JSON gives; someone not on the case is refused.
    let case: Value = server.get_json(&format!("/api/v1/consultations/{id}"), &coordinator).await;
    let requester_account = case["requester_account_id"].as_str().unwrap();
    assert_eq!(case["experts"][0]["account_id"], json!(account.id), "{case}");
    let only_requester = json!({"starts_at": (starts + chrono::TimeDelta::hours(3)).to_rfc3339(), "minutes": 30,
        "link": "https://meet.example.fi/second", "invitees": [requester_account]});
    let path = format!("/api/v1/consultations/{id}/meetings");
    let resp = client.post(server.url(&path)).bearer_auth(&coordinator).json(&only_requester).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    let expert_token = server.token_for("asiantuntija@example.fi").await;
    let calendar = |token: String| {
        let client = client.clone();
        let url = server.url("/api/v1/calendar.ics");
        async move { client.get(url).bearer_auth(token).send().await.unwrap().text().await.unwrap() }
    };
    assert!(calendar(requester.clone()).await.contains("meet.example.fi/second"), "the invited requester has it");
    assert!(!calendar(expert_token).await.contains("meet.example.fi/second"), "the expert left out has not");
    let stranger = json!({"starts_at": (starts + chrono::TimeDelta::hours(5)).to_rfc3339(), "minutes": 30,
        "link": "https://meet.example.fi/third", "invitees": [requester_account, "not-on-the-case"]});
    let resp = client.post(server.url(&path)).bearer_auth(&coordinator).json(&stranger).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let problem: Value = resp.json().await.unwrap();
    assert_eq!(problem["field"], "invitees", "{problem}");
    let meetings: i64 = tukiverkko_store::on_db!(&server.db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM consultation_meetings WHERE consultation_id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(meetings, 2, "the refused meeting was not stored");
    server.stop().await;
}

async fn the_header_counts_unread_notifications_and_opening_one_reads_it(kind: Kind) {
    use crate::pages::Browser;
    let server = TestServer::start(kind).await;
    let api = crate::consultations::Api::new(&server);
    let cast = crate::consultations::cast(&server).await;
    let expert = Browser::login(&server, "asiantuntija@example.fi").await;
    let (_, html) = expert.get("/").await;
    assert!(html.contains(r#"<a href="/notifications" class="unread">Ilmoitukset</a>"#), "none unread yet: {html}");
    let id = crate::consultations::assigned_case(&api, &cast).await;

    let (_, html) = expert.get("/").await;
    assert!(
        html.contains(r#"<span class="count">1</span><span class="visually-hidden"> 1 lukematonta</span>"#),
        "{html}"
    );
    let (_, list) = expert.get("/notifications").await;
    assert!(list.contains("Sinut on nimetty konsultaatioon"), "{list}");
    let marker = r#"action="/notifications/"#;
    let note_id = list[list.find(marker).unwrap() + marker.len()..].split('/').next().unwrap().to_string();

    // Another user cannot open it, and it stays unread.
    let other = Browser::login(&server, "pyytaja@example.fi").await;
    assert_eq!(other.post(&format!("/notifications/{note_id}/open"), &[]).await.status(), 404);
    let opened = expert.post(&format!("/notifications/{note_id}/open"), &[]).await;
    assert_eq!(opened.headers()["location"].to_str().unwrap(), format!("/consultations/{id}"));
    let (_, html) = expert.get("/").await;
    assert!(!html.contains(r#"class="count""#), "read now");
    let (_, list) = expert.get("/notifications").await;
    assert!(list.contains("Sinulla ei ole lukemattomia ilmoituksia."));

    let (_, html) = Browser::login(&server, "koordinaattori@example.fi").await.get("/notifications").await;
    assert!(html.contains("Keskukselle on tullut uusi konsultaatiopyyntö"), "the submission reached the coordinator");
    let coordinator = Browser::login(&server, "koordinaattori@example.fi").await;
    let read = coordinator.post("/notifications/read", &[]).await;
    assert_eq!(read.headers()["location"], "/notifications?done=read");
    let (_, html) = coordinator.get("/notifications?done=read").await;
    assert!(html.contains("Kaikki ilmoitukset on merkitty luetuiksi.") && html.contains("Sinulla ei ole lukemattomia"));
    server.stop().await;
}
