//! Statistics over HTTP, on both backends: who sees which centres, that no
//! count of 1–4 leaves the server and none can be worked out from the rest
//! of the response, that exports carry the same figures, and that service
//! figures need five cases behind them.

use std::collections::BTreeMap;

use crate::consultations::{Api, cast, request_body};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};

backends!(
    small_groups_never_show_and_cannot_be_worked_out,
    coordinators_see_their_centre_and_researchers_all,
    exports_carry_exactly_the_shown_figures,
    service_figures_need_five_cases_behind_them,
    counters_kept_on_every_write_match_a_recount,
);

/// Sends a case about `topics` for a child in `county`.
async fn send(api: &Api<'_>, token: &str, county: &str, urgency: &str, topics: &[&str]) -> String {
    let mut body = request_body();
    body["client"]["county"] = json!(county);
    body["urgency"] = json!(urgency);
    body["topics"] = json!(topics);
    let (status, case) = api.post(token, "/api/v1/consultations", body).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap().to_string();
    assert_eq!(api.post(token, &format!("/api/v1/consultations/{id}/submit"), json!({})).await.0, StatusCode::OK);
    id
}

/// Nine cases: six to Tampere (Pirkanmaa), three to Oulu (two from
/// Pohjois-Pohjanmaa, one from Lappi), with a mix of urgencies and topics.
async fn nine_cases(api: &Api<'_>, token: &str) {
    for i in 0..6 {
        let urgency = if i < 4 { "normal" } else { "urgent" };
        send(api, token, "pirkanmaa", urgency, &["honour_violence"]).await;
    }
    send(api, token, "pohjois-pohjanmaa", "normal", &["honour_violence", "foster_care"]).await;
    send(api, token, "pohjois-pohjanmaa", "planned", &["foster_care"]).await;
    send(api, token, "lappi", "normal", &["foster_care"]).await;
}

fn is_suppressed(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with('<'))
}

/// Every count is a number of 0 or at least 5, or "<5"; and no line of the
/// table (cells of one value with their total, totals with the grand total)
/// has exactly one hidden member whose value the others give away.
fn assert_protected(report: &Value) {
    assert_eq!(report["threshold"], 5);
    let mut figures: Vec<&Value> = report["cells"].as_array().unwrap().iter().map(|c| &c["count"]).collect();
    figures.push(&report["total"]);
    for dim in report["totals"].as_object().unwrap().values() {
        figures.extend(dim.as_object().unwrap().values());
    }
    for f in figures {
        match f.as_u64() {
            Some(n) => assert!(n == 0 || n >= 5, "a count of {n} is shown: {report}"),
            None => assert_eq!(f, "<5", "{report}"),
        }
    }
    let by: Vec<String> = report["by"].as_array().unwrap().iter().map(|b| b.as_str().unwrap().to_string()).collect();
    let mut lines: Vec<(Vec<Value>, Value)> = Vec::new();
    for (d, name) in by.iter().enumerate() {
        let totals = report["totals"][name].as_object().unwrap();
        lines.push((totals.values().cloned().collect(), report["total"].clone()));
        for (value, total) in totals {
            let parts = report["cells"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c[name] == *value)
                .map(|c| c["count"].clone())
                .collect::<Vec<_>>();
            if by.len() > 1 || d == 0 {
                lines.push((parts, total.clone()));
            }
        }
    }
    for (parts, total) in lines {
        let hidden = parts.iter().chain([&total]).filter(|v| is_suppressed(v)).count();
        assert_ne!(hidden, 1, "one hidden figure in a line can be worked out: {parts:?} = {total}");
    }
}

async fn small_groups_never_show_and_cannot_be_worked_out(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    nine_cases(&api, &cast.requester).await;
    for by in ["centre", "county", "urgency", "topic", "centre,urgency", "county,topic", "status", "month,centre"] {
        let (status, report) = api.get(&cast.researcher, &format!("/api/v1/statistics/consultations?by={by}")).await;
        assert_eq!(status, StatusCode::OK, "{by}: {report}");
        assert_protected(&report);
    }
    // Six to Tampere, three to Oulu: Oulu is hidden, and so is Tampere or the total.
    let (_, report) = api.get(&cast.researcher, "/api/v1/statistics/consultations?by=centre").await;
    assert_eq!(report["totals"]["centre"]["oulu"], "<5");
    assert!(is_suppressed(&report["totals"]["centre"]["tampere"]) || is_suppressed(&report["total"]), "{report}");
    // Nine cases by status: all submitted.
    let (_, report) = api.get(&cast.researcher, "/api/v1/statistics/consultations?by=status").await;
    assert_eq!(report["totals"]["status"]["submitted"], 9);
    assert_eq!(report["total"], 9);

    for (query, field) in [
        ("by=colour", "by"),
        ("by=centre,centre", "by"),
        ("by=centre&from=2026-13", "from"),
        ("by=centre&from=2026-10&to=2026-01", "to"),
        ("by=centre&format=pdf", "format"),
    ] {
        let (status, problem) = api.get(&cast.researcher, &format!("/api/v1/statistics/consultations?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(problem["field"], field, "{query}");
    }
    server.stop().await;
}

async fn coordinators_see_their_centre_and_researchers_all(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    nine_cases(&api, &cast.requester).await;
    let (status, tampere) = api.get(&cast.coordinator, "/api/v1/statistics/consultations?by=centre").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tampere["totals"]["centre"], json!({"tampere": 6}));
    assert_eq!(tampere["total"], 6);
    let (_, oulu) = api.get(&cast.other_coordinator, "/api/v1/statistics/consultations?by=county").await;
    assert_eq!(oulu["total"], "<5");
    assert!(oulu["totals"]["county"].get("pirkanmaa").is_none(), "{oulu}");
    let (_, admin) = api.get(&cast.admin, "/api/v1/statistics/consultations?by=urgency").await;
    assert_eq!(admin["total"], 9);
    // This month's cases fall inside a period that includes it, and none in one before.
    let (_, before) = api.get(&cast.researcher, "/api/v1/statistics/consultations?by=centre&to=2020-12").await;
    assert_eq!(before["total"], 0);
    for token in [&cast.requester, &cast.expert, &cast.experience_expert] {
        let (status, _) = api.get(token, "/api/v1/statistics/consultations?by=centre").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    // The page says whose figures they are, in the reader's language.
    let (browser, _) = server.signed_in_browser("koordinaattori@example.fi").await;
    let html = browser.get(server.url("/statistics?by=urgency")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Tilastot") && html.contains("Sisä-Suomen OT-keskus"), "{html}");
    assert!(html.contains("<svg"), "the counts have a chart");
    assert!(html.contains("<caption>"), "and a table with a caption");
    server.stop().await;
}

async fn exports_carry_exactly_the_shown_figures(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    nine_cases(&api, &cast.requester).await;
    let (_, report) = api.get(&cast.researcher, "/api/v1/statistics/consultations?by=centre,urgency").await;
    let resp = reqwest::Client::new()
        .get(server.url("/api/v1/statistics/consultations?by=centre,urgency&format=csv"))
        .bearer_auth(&cast.researcher)
        .send()
        .await
        .unwrap();
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = resp.text().await.unwrap();
    let mut rows = csv.lines();
    assert_eq!(rows.next(), Some("centre,urgency,count"));
    let from_csv: BTreeMap<String, String> = rows
        .map(|r| {
            let cells: Vec<&str> = r.split(',').collect();
            (format!("{}/{}", cells[0], cells[1]), cells[2].to_string())
        })
        .collect();
    let number = |v: &Value| v.as_u64().map(|n| n.to_string()).unwrap_or_else(|| v.as_str().unwrap().to_string());
    for cell in report["cells"].as_array().unwrap() {
        let key = format!("{}/{}", cell["centre"].as_str().unwrap(), cell["urgency"].as_str().unwrap());
        assert_eq!(from_csv.get(&key), Some(&number(&cell["count"])), "{key}");
    }
    assert_eq!(from_csv.get("total/total"), Some(&number(&report["total"])));
    let resp = reqwest::Client::new()
        .get(server.url("/api/v1/statistics/consultations?by=centre,urgency&format=xlsx"))
        .bearer_auth(&cast.researcher)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");
    server.stop().await;
}

async fn service_figures_need_five_cases_behind_them(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    // Five answered Tampere cases with feedback, two referrals avoided; one Oulu case.
    for i in 0..5 {
        let id = send(&api, &cast.requester, "pirkanmaa", "normal", &["honour_violence"]).await;
        let panel = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
        assert_eq!(
            api.post(&cast.coordinator, &format!("/api/v1/consultations/{id}/assignment"), panel).await.0,
            StatusCode::OK
        );
        let statement = json!({"assessment": "Arvio.", "recommendations": "Suositus."});
        assert_eq!(
            api.post(&cast.expert, &format!("/api/v1/consultations/{id}/statement"), statement).await.0,
            StatusCode::OK
        );
        let feedback = json!({"usefulness": 3 + (i % 3), "referral": if i < 2 { "avoided" } else { "not_needed" }});
        assert_eq!(
            api.post(&cast.requester, &format!("/api/v1/consultations/{id}/feedback"), feedback).await.0,
            StatusCode::OK
        );
    }
    send(&api, &cast.requester, "lappi", "normal", &["foster_care"]).await;
    let (status, report) = api.get(&cast.researcher, "/api/v1/statistics/service?by=centre").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let items = report["items"].as_array().unwrap();
    let tampere = items.iter().find(|i| i["centre"] == "tampere").unwrap();
    assert_eq!(tampere["cases"], 5);
    assert_eq!(tampere["median_days_to_answer"], 0.0, "answered on the day of sending");
    assert_eq!(tampere["on_time_share"], 1.0);
    assert_eq!(tampere["usefulness_mean"], 3.8, "(3 + 4 + 5 + 3 + 4) / 5");
    assert_eq!(tampere["referral_avoided_share"], 0.4);
    assert_eq!(tampere["suppressed"], false);
    let oulu = items.iter().find(|i| i["centre"] == "oulu").unwrap();
    assert_eq!(oulu["cases"], "<5");
    assert_eq!(oulu["median_days_to_answer"], Value::Null);
    assert_eq!(oulu["suppressed"], true);
    server.stop().await;
}

/// The counters as stored, without the ones that came back to zero.
async fn counters(
    db: &tukiverkko_store::Db,
) -> Vec<(String, String, String, String, String, String, String, i64, f64)> {
    tukiverkko_store::on_db!(db, pool => sqlx::query_as(
        "SELECT kind, dim_a, dim_b, month, centre, val_a, val_b, n, total FROM statistics_cells
         WHERE n <> 0 ORDER BY kind, dim_a, dim_b, month, centre, val_a, val_b")
        .fetch_all(pool).await.unwrap())
}

/// Sending, assigning, answering, feedback, rerouting, cancelling and
/// outcome measurements each update the pre-aggregated counters as they
/// commit; counting every case again from scratch (`tukiverkko statistics
/// rebuild`) finds exactly the same counters and the same figures.
async fn counters_kept_on_every_write_match_a_recount(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    nine_cases(&api, &cast.requester).await;
    let answered = send(&api, &cast.requester, "pirkanmaa", "normal", &["honour_violence", "foster_care"]).await;
    let path = format!("/api/v1/consultations/{answered}");
    let panel = json!({"experts": [cast.expert_profile], "lead": cast.expert_profile});
    assert_eq!(api.post(&cast.coordinator, &format!("{path}/assignment"), panel).await.0, StatusCode::OK);
    let statement = json!({"assessment": "Arvio.", "recommendations": "Suositus."});
    assert_eq!(api.post(&cast.expert, &format!("{path}/statement"), statement).await.0, StatusCode::OK);
    for (on, score) in [("2026-09-01", 40), ("2026-11-01", 55)] {
        let cgas = json!({"instrument": "cgas", "measured_on": on, "score": score});
        assert_eq!(api.post(&cast.expert, &format!("{path}/outcomes"), cgas).await.0, StatusCode::CREATED);
    }
    let feedback = json!({"usefulness": 4, "referral": "avoided"});
    assert_eq!(api.post(&cast.requester, &format!("{path}/feedback"), feedback).await.0, StatusCode::OK);
    let moved = send(&api, &cast.requester, "pirkanmaa", "urgent", &["foster_care"]).await;
    let reroute = json!({"centre": "oulu", "reason": "Valtakunnallinen erityisosaaminen"});
    let (status, body) = api.post(&cast.coordinator, &format!("/api/v1/consultations/{moved}/reroute"), reroute).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cancelled = send(&api, &cast.requester, "lappi", "planned", &["foster_care"]).await;
    let cancel = json!({"reason": "Asia ratkesi muuten"});
    let (status, body) = api.post(&cast.requester, &format!("/api/v1/consultations/{cancelled}/cancel"), cancel).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let reports = [
        "/api/v1/statistics/consultations?by=county,topic",
        "/api/v1/statistics/consultations?by=centre,status",
        "/api/v1/statistics/consultations?by=month",
        "/api/v1/statistics/service",
    ];
    let mut before = Vec::new();
    for r in reports {
        let (status, body) = api.get(&cast.researcher, r).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        before.push(body);
    }
    assert_eq!(before[2]["total"], 12, "every sent case counts once");
    let kept = counters(&server.db).await;
    let outcome = kept.iter().find(|c| c.0 == "outcome").expect("the measured client is counted");
    assert_eq!((outcome.5.as_str(), outcome.7, outcome.8), ("cgas", 1, 15.0));
    let oulu_urgent = kept
        .iter()
        .filter(|c| c.0 == "count" && c.1 == "urgency" && c.2.is_empty() && c.5 == "urgent" && c.4 == "oulu");
    assert_eq!(oulu_urgent.map(|c| c.7).sum::<i64>(), 1, "the rerouted case counts for Oulu now");

    let out = crate::cli::run(crate::cli::tukiverkko(&server.database.url).args(["statistics", "rebuild"]), "");
    assert!(out.status.success(), "{}", crate::cli::text(&out.stderr));
    assert!(crate::cli::text(&out.stdout).contains("12 sent consultations"), "{}", crate::cli::text(&out.stdout));
    assert_eq!(counters(&server.db).await, kept, "a recount finds the counters the writes kept");
    for (r, was) in reports.iter().zip(&before) {
        assert_eq!(&api.get(&cast.researcher, r).await.1, was, "{r} after the recount");
    }
    server.stop().await;
}
