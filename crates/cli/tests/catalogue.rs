//! Centres, specialisations, the public service catalogue and its HSDS 3.0
//! export over HTTP on both backends. The HSDS output is validated against
//! the published schemas copied into `fixtures/hsds-3.0` (CC BY-SA 4.0,
//! see the LICENSE there); they are self-contained, so nothing is fetched.

use crate::consultations::{Api, cast};
use crate::support::{Kind, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tukiverkko_store::on_db;

backends!(
    centres_list_specialisations_and_only_their_coordinator_edits_them,
    the_catalogue_is_public_and_only_the_centre_edits_its_services,
    hsds_export_validates_against_the_published_schemas,
);

async fn centres_list_specialisations_and_only_their_coordinator_edits_them(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let resp = reqwest::Client::new().get(server.url("/api/v1/centres")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "public");
    let centres: Value = resp.json().await.unwrap();
    assert_eq!(centres["total"], 5);
    let tampere = centres["items"].as_array().unwrap().iter().find(|c| c["code"] == "tampere").unwrap().clone();
    assert_eq!(tampere["name"]["fi"], "Sisä-Suomen OT-keskus");
    assert!(!tampere["name"]["sv"].as_str().unwrap().is_empty());

    let path = "/api/v1/centres/tampere/specialisations";
    let body = json!({"items": [{"topic": "honour_violence", "description": "Kunniaväkivalta"}, {"topic": "eating_disorders"}]});
    let (status, view) = api.call(&cast.coordinator, reqwest::Method::PUT, path, Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(
        view["specialisations"],
        json!([{"topic": "honour_violence", "description": "Kunniaväkivalta"}, {"topic": "eating_disorders"}])
    );
    let (status, _) = api.call(&cast.other_coordinator, reqwest::Method::PUT, path, Some(body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "Oulu's coordinator does not edit Tampere");
    let (status, _) = api.call(&cast.requester, reqwest::Method::PUT, path, Some(json!({"items": []}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let bad = json!({"items": [{"topic": "eating_disorders"}, {"topic": "no_such_topic"}]});
    let (status, problem) = api.call(&cast.coordinator, reqwest::Method::PUT, path, Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "items[1].topic");
    let (_, centres) = api.get(&cast.requester, "/api/v1/centres").await;
    let tampere = centres["items"].as_array().unwrap().iter().find(|c| c["code"] == "tampere").unwrap().clone();
    assert_eq!(tampere["specialisations"].as_array().unwrap().len(), 2, "a refused list changes nothing");
    server.stop().await;
}

fn service_body() -> Value {
    json!({
        "name": {"fi": "Syömishäiriöiden konsultaatio", "sv": "Konsultation om ätstörningar", "en": "Eating disorder consultation"},
        "description": {"fi": "Nuorisopsykiatri ja ravitsemusterapeutti neuvovat.", "sv": "Ungdomspsykiater och näringsterapeut ger råd."},
        "topics": ["eating_disorders", "adolescent_psychiatry"],
        "formats": ["statement", "meeting"],
        "response_days": {"urgent": 2, "normal": 7, "planned": 20},
        "contact_email": "syomishairiot@example.fi",
        "age_min": 10, "age_max": 18
    })
}

async fn service_count(server: &TestServer) -> i64 {
    on_db!(&server.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM services").fetch_one(pool).await.unwrap())
}

async fn the_catalogue_is_public_and_only_the_centre_edits_its_services(kind: Kind) {
    let server = TestServer::start(kind).await;
    let api = Api::new(&server);
    let cast = cast(&server).await;
    let anonymous = reqwest::Client::new();

    let (status, created) = api.post(&cast.coordinator, "/api/v1/services", service_body()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["centre"], "tampere", "the coordinator's own centre");
    assert_eq!(created["response_days"], json!({"urgent": 2, "normal": 7, "planned": 20}));
    assert_eq!(created["description"]["en"], created["description"]["fi"], "a missing language shows the Finnish");
    let id = created["id"].as_str().unwrap().to_string();

    let resp = anonymous.get(server.url("/api/v1/services?centre=tampere")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "the catalogue needs no sign-in");
    let list: Value = resp.json().await.unwrap();
    assert!(list["items"].as_array().unwrap().iter().any(|s| s["id"] == id.as_str()));
    assert!(list["items"].as_array().unwrap().iter().all(|s| s["centre"] == "tampere"));
    let one: Value =
        anonymous.get(server.url(&format!("/api/v1/services/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(one["name"]["sv"], "Konsultation om ätstörningar");

    let mut changed = service_body();
    changed["response_days"] = json!({"urgent": 1, "normal": 5, "planned": 15});
    let path = format!("/api/v1/services/{id}");
    let (status, updated) = api.call(&cast.coordinator, reqwest::Method::PUT, &path, Some(changed.clone())).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["response_days"]["normal"], 5);
    let (status, _) = api.call(&cast.other_coordinator, reqwest::Method::PUT, &path, Some(changed)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another centre's coordinator");
    let mut elsewhere = service_body();
    elsewhere["centre"] = json!("oulu");
    let (status, _) = api.post(&cast.coordinator, "/api/v1/services", elsewhere).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not into another centre's catalogue");
    let (status, _) = api.post(&cast.expert, "/api/v1/services", service_body()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let before = service_count(&server).await;
    for (patch, field) in [
        (json!({"name": {"sv": "bara svenska"}}), "name"),
        (json!({"name": {"fi": ""}}), "name.fi"),
        (json!({"topics": ["nope"]}), "topics[0]"),
        (json!({"formats": []}), "formats"),
        (json!({"formats": ["letter"]}), "formats[0]"),
        (json!({"response_days": {"urgent": 0, "normal": 5, "planned": 15}}), "response_days.urgent"),
        (json!({"response_days": {"urgent": 1, "normal": 30, "planned": 15}}), "response_days.normal"),
        (json!({"description": {"fi": "Lapsi 131052-308T tarvitsee apua"}}), "description.fi"),
        (json!({"team": "00000000-0000-0000-0000-000000000000"}), "team"),
        (json!({"contact_email": "not an address"}), "contact_email"),
    ] {
        let mut body = service_body();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, problem) = api.post(&cast.coordinator, "/api/v1/services", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {problem}");
        assert_eq!(problem["field"], field, "{problem}");
    }
    assert_eq!(service_count(&server).await, before, "nothing refused is stored");

    for lang in ["fi", "sv", "en"] {
        let page = anonymous
            .get(server.url("/services?centre=tampere"))
            .header("cookie", format!("tv_lang={lang}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\"")));
        assert!(html.contains(&format!("/consultations/new?service={id}")), "the ask link");
        let name = ["Syömishäiriöiden konsultaatio", "Konsultation om ätstörningar", "Eating disorder consultation"];
        assert!(html.contains(name[["fi", "sv", "en"].iter().position(|l| *l == lang).unwrap()]), "{lang}");
        assert!(!html.contains("Barnahus-konsultaatio"), "the filter keeps to Tampere");
    }
    let page = anonymous.get(server.url(&format!("/services/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("syomishairiot@example.fi"));
    let missing = anonymous.get(server.url("/services/00000000-0000-0000-0000-000000000000")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-3.0").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The API's page object (openapi.json `Page`) around items of one compiled schema.
fn paged(item: Value) -> Value {
    let int = json!({"type": "integer"});
    let boolean = json!({"type": "boolean"});
    json!({
        "type": "object",
        "required": ["contents", "total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"],
        "properties": {
            "contents": {"type": "array", "items": item},
            "total_items": int, "total_pages": int, "page_number": int, "size": int,
            "first_page": boolean, "last_page": boolean, "empty": boolean
        }
    })
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::options().should_validate_formats(true).build(schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} is not valid HSDS 3.0: {errors:?}");
}

async fn hsds_export_validates_against_the_published_schemas(kind: Kind) {
    let server = TestServer::start(kind).await;
    let client = reqwest::Client::new();
    let get = |path: &str| {
        let req = client.get(server.url(path));
        async move {
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK, "public");
            resp.json::<Value>().await.unwrap()
        }
    };
    let organizations = get("/hsds/organizations").await;
    assert_valid(&paged(fixture("compiled_organization_list.json")), &organizations, "/hsds/organizations");
    assert_eq!(organizations["total_items"], 5);
    assert_eq!(organizations["contents"][0]["name"], "Etelä-Suomen OT-keskus");

    let services = get("/hsds/services").await;
    assert_valid(&paged(fixture("compiled_service_list.json")), &services, "/hsds/services");
    assert!(services["total_items"].as_i64().unwrap() >= 5, "the demo catalogue");
    assert_eq!(services["first_page"], true);
    let second = get("/hsds/services?page=2&per_page=2").await;
    assert_valid(&paged(fixture("compiled_service_list.json")), &second, "a second page");
    assert_eq!(second["size"], 2);
    assert_eq!(second["page_number"], 2);

    let schema = fixture("compiled_service.json");
    let mut wrong = services.clone();
    wrong["contents"][0]["status"] = json!("open");
    let list_schema = paged(fixture("compiled_service_list.json"));
    assert!(!jsonschema::is_valid(&list_schema, &wrong), "the schema check bites");
    for item in services["contents"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let full = get(&format!("/hsds/services/{id}")).await;
        assert_valid(&schema, &full, &format!("/hsds/services/{id}"));
        let codes: Vec<&str> =
            full["languages"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["fi", "sv"]);
        assert!(!full["service_areas"].as_array().unwrap().is_empty(), "the centre's counties");
        assert!(!full["alternate_name"].as_str().unwrap().is_empty(), "the Swedish name");
        assert_eq!(full["contacts"].as_array().unwrap().len(), 1);
    }
    let tampere =
        services["contents"].as_array().unwrap().iter().find(|s| s["organization"]["name"] == "Sisä-Suomen OT-keskus");
    let full = get(&format!("/hsds/services/{}", tampere.unwrap()["id"].as_str().unwrap())).await;
    let areas: Vec<&str> =
        full["service_areas"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert!(areas.contains(&"Pirkanmaan hyvinvointialue"), "{areas:?}");
    let missing = client.get(server.url("/hsds/services/00000000-0000-0000-0000-000000000000")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}
