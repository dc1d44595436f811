//! Sign-in through an OpenID Connect provider, against a small provider
//! this test runs itself: discovery, signing keys, an authorization
//! endpoint that signs in whoever the test says, and a token endpoint that
//! checks the client secret and PKCE like a real one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::support::{Kind, TestServer};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreIdTokenFields, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType, CoreTokenResponse,
    CoreTokenType,
};
use openidconnect::{
    AccessToken, Audience, AuthUrl, EmptyAdditionalClaims, EmptyAdditionalProviderMetadata, EmptyExtraTokenFields,
    EndUserEmail, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PrivateSigningKey, ResponseTypes, StandardClaims, SubjectIdentifier, TokenUrl,
};
use reqwest::StatusCode;
use serde::Deserialize;
use tukiverkko_store::demo::DEMO_USERS;
use tukiverkko_store::{accounts, audit, identities};
use tukiverkko_web::{OidcConfig, ServerConfig};

backends!(
    first_sign_in_links_a_verified_address_and_later_ones_use_the_subject,
    unknown_unverified_and_disabled_identities_get_no_session,
    forged_replayed_and_cancelled_callbacks_are_refused,
    an_unreachable_provider_and_a_missing_configuration_say_so,
);

const CLIENT_ID: &str = "tukiverkko-test";
const CLIENT_SECRET: &str = "test-client-secret";
const KEY_PEM: &str = include_str!("fixtures/oidc-provider-test-key.pem");

/// Who the provider signs in next, and how it misbehaves.
#[derive(Clone)]
struct Person {
    subject: String,
    email: String,
    email_verified: bool,
    /// The user cancels at the provider.
    cancels: bool,
    /// The ID token carries another nonce than the one asked for.
    wrong_nonce: bool,
}

impl Person {
    fn new(subject: &str, email: &str) -> Self {
        Person {
            subject: subject.into(),
            email: email.into(),
            email_verified: true,
            cancels: false,
            wrong_nonce: false,
        }
    }
}

struct Grant {
    person: Person,
    nonce: String,
    challenge: String,
    redirect_uri: String,
}

struct Provider {
    issuer: String,
    person: Mutex<Person>,
    grants: Mutex<HashMap<String, Grant>>,
    /// Token requests that passed every check.
    redeemed: Mutex<u32>,
}

type Shared = Arc<Provider>;

fn signing_key() -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(KEY_PEM, Some(JsonWebKeyId::new("test-key".into()))).unwrap()
}

async fn discovery(State(p): State<Shared>) -> Json<CoreProviderMetadata> {
    let metadata = CoreProviderMetadata::new(
        IssuerUrl::new(p.issuer.clone()).unwrap(),
        AuthUrl::new(format!("{}/authorize", p.issuer)).unwrap(),
        JsonWebKeySetUrl::new(format!("{}/jwks", p.issuer)).unwrap(),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(TokenUrl::new(format!("{}/token", p.issuer)).unwrap()));
    Json(metadata)
}

async fn jwks() -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![signing_key().as_verification_key()]))
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
    response_mode: Option<String>,
    response_type: String,
}

/// Stands for the provider's own sign-in page: the person the test chose
/// signs in (or cancels) and the browser is sent back.
async fn authorize(State(p): State<Shared>, Query(q): Query<AuthorizeQuery>) -> Response {
    assert_eq!(q.client_id, CLIENT_ID);
    assert_eq!(q.response_type, "code");
    assert_eq!(q.response_mode.as_deref(), Some("query"), "the callback must be a GET");
    assert_eq!(q.code_challenge_method, "S256");
    let person = p.person.lock().unwrap().clone();
    let mut back = reqwest::Url::parse(&q.redirect_uri).unwrap();
    if person.cancels {
        back.query_pairs_mut().append_pair("error", "access_denied").append_pair("state", &q.state);
        return Redirect::to(back.as_str()).into_response();
    }
    let code = format!("code-{}", uuid::Uuid::new_v4());
    back.query_pairs_mut().append_pair("code", &code).append_pair("state", &q.state);
    let grant = Grant { person, nonce: q.nonce, challenge: q.code_challenge, redirect_uri: q.redirect_uri };
    p.grants.lock().unwrap().insert(code, grant);
    Redirect::to(back.as_str()).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

async fn token(State(p): State<Shared>, headers: HeaderMap, Form(form): Form<TokenForm>) -> Response {
    let refuse = |why: &str| {
        (AxumStatus::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_grant", "error_description": why})))
            .into_response()
    };
    let expected_auth =
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")));
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected_auth.as_str()) {
        return (AxumStatus::UNAUTHORIZED, Json(serde_json::json!({"error": "invalid_client"}))).into_response();
    }
    if form.grant_type != "authorization_code" {
        return refuse("grant type");
    }
    // A code works once.
    let Some(grant) = p.grants.lock().unwrap().remove(&form.code) else { return refuse("unknown code") };
    if grant.redirect_uri != form.redirect_uri {
        return refuse("redirect_uri differs");
    }
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(form.code_verifier));
    if challenge.as_str() != grant.challenge {
        return refuse("PKCE verifier does not match");
    }
    let person = grant.person;
    let nonce = if person.wrong_nonce { "someone-elses-nonce".to_string() } else { grant.nonce };
    let now = chrono::Utc::now();
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(p.issuer.clone()).unwrap(),
        vec![Audience::new(CLIENT_ID.into())],
        now + chrono::Duration::minutes(5),
        now,
        StandardClaims::new(SubjectIdentifier::new(person.subject.clone()))
            .set_email(Some(EndUserEmail::new(person.email.clone())))
            .set_email_verified(Some(person.email_verified)),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let access = AccessToken::new(format!("access-{}", uuid::Uuid::new_v4()));
    let id_token =
        CoreIdToken::new(claims, &signing_key(), CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, Some(&access), None)
            .unwrap();
    *p.redeemed.lock().unwrap() += 1;
    let fields = CoreIdTokenFields::new(Some(id_token), EmptyExtraTokenFields {});
    Json(CoreTokenResponse::new(access, CoreTokenType::Bearer, fields)).into_response()
}

async fn start_provider() -> Shared {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let provider = Arc::new(Provider {
        issuer,
        person: Mutex::new(Person::new("nobody", "nobody@example.fi")),
        grants: Default::default(),
        redeemed: Default::default(),
    });
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .with_state(provider.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    provider
}

fn oidc_config(issuer: &str) -> OidcConfig {
    OidcConfig {
        issuer: issuer.into(),
        client_id: CLIENT_ID.into(),
        client_secret: Some(CLIENT_SECRET.into()),
        display_name: "Testi-IdP".into(),
    }
}

async fn start_server(kind: Kind, issuer: &str) -> TestServer {
    let oidc = oidc_config(issuer);
    TestServer::start_configured(
        kind,
        |base| ServerConfig { public_url: Some(base.into()), oidc: Some(oidc), ..ServerConfig::default() },
        true,
    )
    .await
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers().get("location").expect("a redirect").to_str().unwrap().to_string()
}

/// The browser's way through: the button, the provider, back to the
/// callback. Returns the callback's answer and its URL.
async fn sign_in(server: &TestServer, browser: &reqwest::Client, next: &str) -> (reqwest::Response, String) {
    let start = browser.get(server.url(&format!("/login/oidc?next={next}"))).send().await.unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let at_provider = browser.get(location(&start)).send().await.unwrap();
    assert_eq!(at_provider.status(), StatusCode::SEE_OTHER, "the provider sends the browser back");
    let callback = location(&at_provider);
    assert!(callback.starts_with(&server.url("/login/oidc/callback?")), "{callback}");
    (browser.get(&callback).send().await.unwrap(), callback)
}

async fn signed_in_as(server: &TestServer, browser: &reqwest::Client) -> Option<String> {
    let me = browser.get(server.url("/api/v1/me")).send().await.unwrap();
    if me.status() != StatusCode::OK {
        return None;
    }
    let me: serde_json::Value = me.json().await.unwrap();
    me["email"].as_str().map(String::from)
}

async fn account(server: &TestServer, email: &str) -> accounts::Account {
    accounts::find_by_email(&server.db, &email.parse().unwrap()).await.unwrap()
}

async fn actions_for(server: &TestServer, user_id: &str) -> Vec<String> {
    let filter = audit::AuditFilter { actor_id: Some(user_id.into()), ..Default::default() };
    audit::list(&server.db, &filter).await.unwrap().into_iter().map(|e| e.action).collect()
}

async fn failures(server: &TestServer) -> Vec<Option<String>> {
    let entries = audit::list(&server.db, &Default::default()).await.unwrap();
    entries.into_iter().filter(|e| e.action == "auth.login_external_failed").map(|e| Some(e.outcome)).collect()
}

async fn first_sign_in_links_a_verified_address_and_later_ones_use_the_subject(kind: Kind) {
    let provider = start_provider().await;
    let server = start_server(kind, &provider.issuer).await;
    let coordinator = DEMO_USERS.iter().find(|u| u.0.starts_with("koordinaattori")).unwrap().0;

    let page = reqwest::get(server.url("/login")).await.unwrap().text().await.unwrap();
    assert!(page.contains("Kirjaudu palvelulla Testi-IdP"), "the sign-in page offers the provider");
    assert!(page.contains(r#"href="/login/oidc?next=%2F""#));

    *provider.person.lock().unwrap() = Person::new("entra-0001", coordinator);
    let browser = server.browser();
    let (done, _) = sign_in(&server, &browser, "/consultations").await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/consultations", "on to where the user was going");
    assert_eq!(signed_in_as(&server, &browser).await.as_deref(), Some(coordinator));
    let queue = browser.get(server.url("/consultations")).send().await.unwrap();
    assert_eq!(queue.status(), StatusCode::OK);

    let id = account(&server, coordinator).await.id;
    let linked = identities::linked_to(&server.db, &id).await.unwrap();
    assert_eq!(linked, vec![(provider.issuer.clone(), "entra-0001".to_string())]);
    let actions = actions_for(&server, &id).await;
    assert!(actions.contains(&"auth.identity_linked".to_string()), "{actions:?}");
    assert!(actions.contains(&"auth.login_external".to_string()), "{actions:?}");

    // Once linked, the subject decides: a changed, unverified address at the
    // provider still signs in the same account.
    *provider.person.lock().unwrap() =
        Person { email_verified: false, ..Person::new("entra-0001", "renamed@example.org") };
    let other_browser = server.browser();
    let (done, _) = sign_in(&server, &other_browser, "/").await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in_as(&server, &other_browser).await.as_deref(), Some(coordinator));

    // Another identity claiming the linked account's address is not let in.
    *provider.person.lock().unwrap() = Person::new("entra-9999", coordinator);
    let intruder = server.browser();
    let (refused, _) = sign_in(&server, &intruder, "/").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(signed_in_as(&server, &intruder).await, None);
    assert_eq!(failures(&server).await, vec![Some("linked_elsewhere".to_string())]);
    assert_eq!(identities::linked_to(&server.db, &id).await.unwrap().len(), 1);
    assert!(matches!(audit::verify(&server.db).await.unwrap(), audit::Verification::Intact { .. }));
    server.stop().await;
}

async fn unknown_unverified_and_disabled_identities_get_no_session(kind: Kind) {
    let provider = start_provider().await;
    let server = start_server(kind, &provider.issuer).await;
    let requester = DEMO_USERS.iter().find(|u| u.0.starts_with("pyytaja")).unwrap().0;

    *provider.person.lock().unwrap() = Person::new("entra-0002", "stranger@example.org");
    let browser = server.browser();
    let (refused, _) = sign_in(&server, &browser, "/").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = refused.text().await.unwrap();
    assert!(page.contains("ei ole liitetty tukiverkon käyttäjätunnukseen"), "{page}");
    assert!(page.contains(r#"role="alert""#));
    assert_eq!(signed_in_as(&server, &browser).await, None);

    // An address the provider does not vouch for links nothing.
    *provider.person.lock().unwrap() = Person { email_verified: false, ..Person::new("entra-0003", requester) };
    let (refused, _) = sign_in(&server, &browser, "/").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(signed_in_as(&server, &browser).await, None);
    let id = account(&server, requester).await.id;
    assert!(identities::linked_to(&server.db, &id).await.unwrap().is_empty());

    // A disabled account stays out, linked or not.
    *provider.person.lock().unwrap() = Person::new("entra-0004", requester);
    sign_in(&server, &browser, "/").await;
    assert_eq!(signed_in_as(&server, &browser).await.as_deref(), Some(requester));
    let admin = account(&server, "yllapito@example.fi").await;
    accounts::disable(
        &server.db,
        accounts::AdminProof::check(&admin).unwrap(),
        &id,
        &tukiverkko_store::audit::AuditActor::account(&admin, None, None),
    )
    .await
    .unwrap();
    let later = server.browser();
    let (refused, _) = sign_in(&server, &later, "/").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(signed_in_as(&server, &later).await, None);

    let outcomes = failures(&server).await;
    assert_eq!(outcomes, vec![Some("disabled".into()), Some("no_account".into()), Some("no_account".into())]);
    server.stop().await;
}

async fn forged_replayed_and_cancelled_callbacks_are_refused(kind: Kind) {
    let provider = start_provider().await;
    let server = start_server(kind, &provider.issuer).await;
    let expert = DEMO_USERS.iter().find(|u| u.0.starts_with("asiantuntija")).unwrap().0;
    *provider.person.lock().unwrap() = Person::new("entra-0005", expert);

    // A callback opened in another browser (an attacker's link) is refused
    // before the code is spent.
    let victim = server.browser();
    let start = victim.get(server.url("/login/oidc")).send().await.unwrap();
    let at_provider = victim.get(location(&start)).send().await.unwrap();
    let callback = location(&at_provider);
    let elsewhere = server.browser();
    let refused = elsewhere.get(&callback).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.text().await.unwrap().contains("Kirjautuminen palvelun Testi-IdP kautta ei onnistunut"));
    assert_eq!(*provider.redeemed.lock().unwrap(), 0);
    assert_eq!(signed_in_as(&server, &elsewhere).await, None);

    // The same callback replayed after it worked once.
    let done = victim.get(&callback).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in_as(&server, &victim).await.as_deref(), Some(expert));
    let cookie_cleared =
        done.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("tv_oidc=;"));
    assert!(cookie_cleared, "the flow cookie is cleared once used");
    // Replayed with the right flow cookie too: the flow was used up.
    let state = callback.split("state=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let replayed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&callback)
        .header("cookie", format!("tv_oidc={state}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
    assert!(replayed.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("tv_session=")));

    // An ID token minted for another sign-in (wrong nonce).
    *provider.person.lock().unwrap() = Person { wrong_nonce: true, ..Person::new("entra-0005", expert) };
    let browser = server.browser();
    let (refused, _) = sign_in(&server, &browser, "/").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(signed_in_as(&server, &browser).await, None);

    // The user cancels at the provider.
    *provider.person.lock().unwrap() = Person { cancels: true, ..Person::new("entra-0005", expert) };
    let (cancelled, _) = sign_in(&server, &browser, "/").await;
    assert_eq!(cancelled.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(signed_in_as(&server, &browser).await, None);

    assert_eq!(failures(&server).await.len(), 4);
    assert!(failures(&server).await.iter().all(|o| o.as_deref() == Some("rejected")));
    server.stop().await;
}

async fn an_unreachable_provider_and_a_missing_configuration_say_so(kind: Kind) {
    // A port nothing listens on: bound, then closed.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let server = start_server(kind, &issuer).await;
    let resp = server.browser().get(server.url("/login/oidc")).header("accept-language", "sv").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert!(resp.text().await.unwrap().contains("Testi-IdP kan inte nås just nu"));
    server.stop().await;

    let plain = TestServer::start(kind).await;
    let page = reqwest::get(plain.url("/login")).await.unwrap().text().await.unwrap();
    assert!(!page.contains("/login/oidc"), "no provider, no button");
    let resp = plain.browser().get(plain.url("/login/oidc")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    plain.stop().await;
}
