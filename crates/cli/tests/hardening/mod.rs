//! The defect classes an outside probe found (issue 11), each tried with
//! more variants than the probe named, over HTTP and the CLI, on both
//! backends. `input`: what users write (identity codes and their
//! disguises, control characters, long input, profile placement,
//! spreadsheet cells); `http`: how the server answers (meeting times and
//! links, redirects, error shapes, concurrent moves, the CSRF origin behind
//! a proxy, refused attempts in the trail, request ids).

mod http;
mod input;
mod malformed;

use reqwest::StatusCode;
use serde_json::{Value, json};

use tukiverkko_store::experts;

use crate::consultations::Api;
use crate::support::TestServer;

pub(crate) const DISGUISED: [&str; 9] = [
    "131052-308T",
    "131052-308t",
    "13\u{AD}1052-308T",
    "1310\u{200B}52-308T",
    "131052\u{200D}-308T",
    "131052\u{2013}308T",
    "131052\u{2212}308T",
    "１３１０５２－３０８Ｔ",
    "1310\u{2060}52\u{2010}308T",
];

pub(crate) const HEAD: &str = "external_id,given_name,family_name,title,organization,sector,county,centre,languages,topics,methods,remote,accepts_consultations,bio,email,phone\n";

pub(crate) async fn own_profile(server: &TestServer, email: &str) -> String {
    let account = tukiverkko_store::accounts::find_by_email(&server.db, &email.parse().unwrap()).await.unwrap();
    experts::id_for_user(&server.db, &account.id).await.unwrap().unwrap()
}

pub(crate) fn edit(version: i64) -> Value {
    json!({"version": version, "given_name": "Aino", "family_name": "Asiantuntija", "title": "psykologi",
           "organization": "Tays", "sector": "health", "county": "pirkanmaa", "languages": ["fi"],
           "topics": ["radicalisation"], "methods": [], "remote": true, "accepts_consultations": true,
           "capacity": 4, "bio": "Radikalisoitumisen ehkäisy.", "phone": "+358 40 123 4567"})
}

pub(crate) async fn put(api: &Api<'_>, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    api.call(token, reqwest::Method::PUT, path, Some(body)).await
}
