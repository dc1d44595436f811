//! Every route that takes input, tried with input that is too large,
//! wrongly typed, malformed or mis-encoded. The JSON API's routes and
//! their body schemas come from the server's own `/openapi.json`, so a new
//! route is covered the day it is documented; the page forms come from the
//! access-policy table. Each refusal must be a 4xx (problem+json on the
//! API) and leave every table as it was.

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Map, Value, json};
use tukiverkko_store::{Db, accounts, on_db};

use super::own_profile;
use crate::access_policy::ROUTES;
use crate::consultations::{Api, cast, submitted_case};
use crate::support::{Kind, TestServer};

backends!(
    every_api_body_refuses_bad_input_and_stores_nothing,
    every_api_query_refuses_wrongly_typed_and_oversized_values,
    every_form_refuses_oversized_and_mis_encoded_bodies,
);

/// Tables whose rows a refused request may legitimately add or touch:
/// the trail records refused attempts, sessions record their last use.
/// `throttle` counts refused attempts (the limit on recording them).
const BOOKKEEPING: &[&str] = &["audit_log", "sessions", "api_tokens", "_sqlx_migrations", "throttle"];

/// The demo account holding each capability (see `Role::grants`).
fn holder(capability: &str) -> &'static str {
    match capability {
        "edit_profiles" | "answer_consultations" => "asiantuntija@example.fi",
        "manage_users" | "read_audit_log" => "yllapito@example.fi",
        "manage_experts"
        | "triage_consultations"
        | "view_statistics"
        | "review_research_needs"
        | "manage_training"
        | "manage_services" => "koordinaattori@example.fi",
        _ => "pyytaja@example.fi",
    }
}

fn capability_of(method: &str, path: &str) -> &'static str {
    ROUTES
        .iter()
        .find(|(m, p, _)| m.eq_ignore_ascii_case(method) && *p == path)
        .map(|(_, _, c)| *c)
        .unwrap_or_else(|| panic!("{method} {path} is documented but not in the access policy"))
}

/// Row counts of every table but the bookkeeping ones.
async fn table_counts(db: &Db) -> Vec<(String, i64)> {
    let tables: Vec<String> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(pool)
            .await
        }
        Db::Postgres(pool) => sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
        )
        .fetch_all(pool)
        .await,
    }
    .unwrap();
    let mut counts = Vec::new();
    for table in tables.into_iter().filter(|t| !BOOKKEEPING.contains(&t.as_str()) && !t.contains("_fts")) {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        // Table names from the catalogue itself, not from input.
        let n: i64 =
            on_db!(db, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_one(pool).await).unwrap();
        counts.push((table, n));
    }
    counts
}

fn changed(before: &[(String, i64)], after: &[(String, i64)]) -> Vec<String> {
    before.iter().zip(after).filter(|(b, a)| b != a).map(|(b, a)| format!("{}: {} → {}", b.0, b.1, a.1)).collect()
}

/// Real ids for the path parameters, so a refusal comes from the input and
/// not from a missing object; anything else gets an id that exists nowhere.
struct Ids {
    consultation: String,
    expert: String,
    user: String,
    method: String,
}

impl Ids {
    /// The path with its parameters filled, and whether one of them is an
    /// id of nothing (so "not found" is a right answer too).
    fn fill(&self, path: &str) -> (String, bool) {
        let mut unknown = false;
        let mut out = String::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').unwrap() + start;
            out.push_str(&rest[..start]);
            let name = &rest[start + 1..end];
            let value = match (out.as_str(), name) {
                (p, "id") if p.ends_with("/consultations/") => self.consultation.clone(),
                (p, "id") if p.ends_with("/experts/") => self.expert.clone(),
                (p, "id") if p.ends_with("/users/") => self.user.clone(),
                (p, "code") if p.ends_with("/methods/") => self.method.clone(),
                (p, "code") if p.ends_with("/centres/") => "tampere".into(),
                _ => {
                    unknown = true;
                    uuid::Uuid::new_v4().to_string()
                }
            };
            out.push_str(&value);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        (out, unknown)
    }
}

async fn ids(server: &TestServer) -> Ids {
    let api = Api::new(server);
    let cast = cast(server).await;
    let consultation = submitted_case(&api, &cast).await;
    // Not a demo login: a form that disables or changes a user must not end another test step's session.
    let user = accounts::find_by_email(&server.db, &"toinen.pyytaja@example.fi".parse().unwrap()).await.unwrap();
    let methods = server.get_json("/api/v1/methods", &cast.requester).await;
    let method = methods["items"][0]["code"].as_str().or_else(|| methods[0]["code"].as_str()).unwrap().to_string();
    Ids { consultation, expert: own_profile(server, "asiantuntija@example.fi").await, user: user.id, method }
}

/// A schema with its `$ref` followed.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("unresolved {r}"))),
        None => schema,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "string",
        Value::Number(n) if n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// A value of a type the schema does not allow, when the schema says
/// clearly what it allows.
fn wrongly_typed(doc: &Value, schema: &Value) -> Option<Value> {
    let schema = resolve(doc, schema);
    if let Some(members) = schema.get("enum").and_then(Value::as_array) {
        let outsider = json!("no-such-member-zz");
        return (!members.contains(&outsider)).then_some(outsider);
    }
    let allowed: Vec<&str> = match schema.get("type")? {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    let candidates = [json!({"x": 1}), json!("abc"), json!(true), json!([1]), json!(1.5)];
    candidates.into_iter().find(|c| {
        let t = json_type(c);
        // An integer is a number too.
        let fits = allowed.contains(&t) || (t == "integer" && allowed.contains(&"number"));
        !fits
    })
}

fn is_problem(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/problem+json"))
}

/// The bodies every JSON route must refuse: (what, content type, bytes).
fn bad_bodies(doc: &Value, schema: &Value, body_limit: usize) -> Vec<(String, &'static str, Vec<u8>)> {
    let json_ct = "application/json";
    let mut bodies = vec![
        ("malformed JSON".to_string(), json_ct, br#"{"a": "#.to_vec()),
        ("a JSON array for an object".into(), json_ct, b"[1, 2, 3]".to_vec()),
        ("a bare string".into(), json_ct, br#""text""#.to_vec()),
        ("not JSON at all".into(), "text/plain", b"question=hello".to_vec()),
        ("a form for JSON".into(), "application/x-www-form-urlencoded", b"question=hello".to_vec()),
        ("oversized".into(), json_ct, {
            let mut big = br#"{"question": ""#.to_vec();
            big.extend(std::iter::repeat_n(b'a', body_limit + 1));
            big.extend(br#""}"#);
            big
        }),
    ];
    let schema = resolve(doc, schema);
    let properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    for (name, property) in &properties {
        if let Some(wrong) = wrongly_typed(doc, property) {
            let body = Value::Object(Map::from_iter([(name.clone(), wrong.clone())]));
            bodies.push((format!("{name} as {wrong}"), json_ct, body.to_string().into_bytes()));
        }
        if matches!(resolve(doc, property).get("type"), Some(Value::String(t)) if t == "string") {
            // Not UTF-8, and UTF-16 (JSON must be UTF-8).
            let mut latin1 = format!(r#"{{"{name}": "caf"#).into_bytes();
            latin1.extend([0xE9, b'"', b'}']);
            bodies.push((format!("{name} in Latin-1"), json_ct, latin1));
            let utf16: Vec<u8> = format!(r#"{{"{name}": "x"}}"#).encode_utf16().flat_map(u16::to_le_bytes).collect();
            bodies.push((format!("{name} in UTF-16"), json_ct, [vec![0xFF, 0xFE], utf16].concat()));
        }
        if let Some(max) = resolve(doc, property).get("maxLength").and_then(Value::as_u64) {
            let body = json!({ name.as_str(): "a".repeat(max as usize + 1) });
            bodies.push((format!("{name} one over maxLength {max}"), json_ct, body.to_string().into_bytes()));
        }
    }
    bodies
}

async fn every_api_body_refuses_bad_input_and_stores_nothing(kind: Kind) {
    let server = TestServer::start(kind).await;
    let ids = ids(&server).await;
    let doc: Value = reqwest::get(server.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let body_limit = tukiverkko_web::ServerConfig::default().body_limit;
    let client = reqwest::Client::new();
    let mut tried = 0;
    let mut failures = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let Some(schema) = operation.pointer("/requestBody/content/application~1json/schema") else { continue };
            let token = server.token_for(holder(capability_of(method, path))).await;
            let url = server.url(&ids.fill(path).0);
            let before = table_counts(&server.db).await;
            for (what, content_type, body) in bad_bodies(&doc, schema, body_limit) {
                let mut request = client
                    .request(method.to_uppercase().parse().unwrap(), &url)
                    .bearer_auth(&token)
                    .header(CONTENT_TYPE, content_type);
                if what == "oversized" {
                    // The server closes the connection after refusing; keep it out of the pool.
                    request = request.header("connection", "close");
                }
                let resp = request.body(body).send().await.unwrap();
                tried += 1;
                let status = resp.status();
                let oversized = what == "oversized";
                let right_status = if oversized {
                    status == StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    matches!(status.as_u16(), 400 | 415 | 422)
                };
                if !right_status || !is_problem(&resp) {
                    failures.push(format!("{method} {path} with {what}: {status} {}", resp.text().await.unwrap()));
                }
            }
            let after = table_counts(&server.db).await;
            let stored = changed(&before, &after);
            if !stored.is_empty() {
                failures.push(format!("{method} {path} stored something: {stored:?}"));
            }
        }
    }
    assert!(tried > 300, "every JSON route was tried ({tried} requests)");
    assert!(failures.is_empty(), "{} refusals went wrong:\n{}", failures.len(), failures.join("\n"));
    server.stop().await;
}

async fn every_api_query_refuses_wrongly_typed_and_oversized_values(kind: Kind) {
    let server = TestServer::start(kind).await;
    let ids = ids(&server).await;
    let doc: Value = reqwest::get(server.url("/openapi.json")).await.unwrap().json().await.unwrap();
    let client = reqwest::Client::new();
    let mut tried = 0;
    let mut failures = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            if path.starts_with("/fhir") {
                continue;
            }
            let parameters = operation.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            let query: Vec<&Value> = parameters.iter().filter(|p| p["in"] == "query").collect();
            if query.is_empty() {
                continue;
            }
            let token = server.token_for(holder(capability_of(method, path))).await;
            let url = server.url(&ids.fill(path).0);
            for parameter in query {
                let name = parameter["name"].as_str().unwrap();
                let schema = resolve(&doc, &parameter["schema"]);
                let mut values = Vec::new();
                match schema.get("type").and_then(Value::as_str) {
                    Some("integer" | "number") => values.push(("a word".to_string(), "abc".to_string())),
                    Some("boolean") => values.push(("a word".into(), "maybe".into())),
                    Some("string") if schema.get("enum").is_some() => {
                        values.push(("an unknown choice".into(), "no-such-member-zz".into()))
                    }
                    _ => {}
                }
                if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                    values.push((format!("one over maxLength {max}"), "a".repeat(max as usize + 1)));
                }
                if let Some(max) = schema.get("maximum").and_then(Value::as_i64) {
                    values.push((format!("over maximum {max}"), (max + 1).to_string()));
                }
                for (what, value) in values {
                    let resp = client
                        .request(method.to_uppercase().parse().unwrap(), &url)
                        .bearer_auth(&token)
                        .query(&[(name, value.as_str())])
                        .send()
                        .await
                        .unwrap();
                    tried += 1;
                    let status = resp.status();
                    if !matches!(status.as_u16(), 400 | 422) || !is_problem(&resp) {
                        failures.push(format!("{method} {path} with {name} {what}: {status}"));
                    }
                }
                // A percent-encoded byte that is not UTF-8.
                let raw = format!("{url}?{name}=%FF%FE");
                let resp =
                    client.request(method.to_uppercase().parse().unwrap(), &raw).bearer_auth(&token).send().await;
                let resp = resp.unwrap();
                tried += 1;
                if resp.status().is_server_error() || (resp.status().is_client_error() && !is_problem(&resp)) {
                    failures.push(format!("{method} {path} with {name} not UTF-8: {}", resp.status()));
                }
            }
        }
    }
    assert!(tried > 50, "every documented query parameter was tried ({tried} requests)");
    assert!(failures.is_empty(), "{} refusals went wrong:\n{}", failures.len(), failures.join("\n"));
    server.stop().await;
}

/// Forms with no fields but the CSRF token (sent here as a header).
const TAKES_NO_FIELDS: &[&str] = &["/notifications/read", "/settings/totp", "/settings/totp/remove"];
/// Forms that take a file (multipart).
const UPLOADS: &[&str] = &["/experts/import", "/trainings/{id}/attendance-file"];

/// Page forms, as a signed-in browser sends them: an oversized body is
/// 413 with nothing stored, and a body that is not UTF-8 or not a form
/// is refused or ignored without storing anything.
async fn every_form_refuses_oversized_and_mis_encoded_bodies(kind: Kind) {
    let server = TestServer::start(kind).await;
    let ids = ids(&server).await;
    let body_limit = tukiverkko_web::ServerConfig::default().body_limit;
    let mut failures = Vec::new();
    let mut tried = 0;
    // Signing in and out is tried elsewhere (and signing out would end the session used here).
    let forms = ROUTES.iter().filter(|(m, p, _)| {
        *m == "POST" && !p.starts_with("/api/") && !p.starts_with("/fhir") && !["/login", "/logout"].contains(p)
    });
    let mut sessions = std::collections::HashMap::new();
    for (_, path, capability) in forms {
        let email = holder(capability);
        if !sessions.contains_key(email) {
            sessions.insert(email, server.signed_in_browser(email).await);
        }
        let (browser, csrf) = &sessions[email];
        let (path_filled, unknown_id) = ids.fill(path);
        let url = server.url(&path_filled);
        let before = table_counts(&server.db).await;
        let oversized = format!("csrf={csrf}&text={}", "a".repeat(body_limit + 1));
        let cases: [(&str, &str, Vec<u8>); 3] = [
            ("oversized", "application/x-www-form-urlencoded", oversized.into_bytes()),
            ("not UTF-8", "application/x-www-form-urlencoded", b"question=%FF%FE&name=\xff\xfe&email=%C3%28".to_vec()),
            ("JSON for a form", "application/json", br#"{"question": "x"}"#.to_vec()),
        ];
        for (what, content_type, body) in cases {
            let mut sent =
                browser.post(&url).header("x-csrf-token", csrf.as_str()).header(CONTENT_TYPE, content_type).body(body);
            if what == "oversized" {
                // The server closes the connection after refusing; keep it out of the pool.
                sent = sent.header("connection", "close");
            }
            tried += 1;
            let resp = match sent.send().await {
                Ok(resp) => resp,
                // The server may answer 413 and close the connection while the
                // client is still sending the rest: refused all the same.
                Err(e) if what == "oversized" && (e.is_request() || e.is_body()) => continue,
                Err(e) => panic!("POST {path} with {what}: {e}"),
            };
            let status = resp.status();
            let expected = match what {
                // A form that reads no fields never reads the body either; it must
                // act as with an empty one (and store nothing, checked below).
                "oversized" if TAKES_NO_FIELDS.contains(path) => !status.is_server_error(),
                // An upload form refuses a body that is not multipart before its size matters.
                "oversized" if UPLOADS.contains(path) => matches!(status.as_u16(), 400 | 413 | 415),
                "oversized" => {
                    status == StatusCode::PAYLOAD_TOO_LARGE || (unknown_id && status == StatusCode::NOT_FOUND)
                }
                // A form without the fields it needs may also answer the form again or go back with a message.
                _ => !status.is_server_error() && (unknown_id || status != StatusCode::NOT_FOUND),
            };
            if !expected {
                failures.push(format!("POST {path} with {what}: {status}"));
            }
        }
        let stored = changed(&before, &table_counts(&server.db).await);
        // Marking notifications read or choosing a language is harmless with any body; none of them adds rows.
        if !stored.is_empty() {
            failures.push(format!("POST {path} stored something: {stored:?}"));
        }
    }
    assert!(tried > 60, "every form was tried ({tried} requests)");
    assert!(failures.is_empty(), "{} refusals went wrong:\n{}", failures.len(), failures.join("\n"));
    server.stop().await;
}
