//! Storage behaviour on both backends: the audit chain and its tamper
//! detection, accounts, tokens and sessions.

use crate::support::{Kind, TestDatabase};
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_domain::{CentreCode, Role};
use tukiverkko_store::accounts::{self, NewUser};
use tukiverkko_store::audit::{self, AuditEvent, Verification};
use tukiverkko_store::sessions::{self, SessionLimits};
use tukiverkko_store::{Db, StoreError, on_db, tokens};

backends!(
    audit_chain_is_intact_after_appends,
    audit_detects_a_changed_entry,
    audit_detects_a_removed_entry,
    audit_detects_removal_of_the_newest_entries,
    audit_detects_an_appended_forgery,
    concurrent_appends_keep_the_chain,
    user_with_expert_role_gets_a_directory_profile,
    duplicate_email_is_a_conflict_and_changes_nothing,
    login_costs_one_verification_whether_or_not_the_account_exists,
    tokens_expire_and_can_be_revoked,
    sessions_end_when_idle_or_user_disabled,
    migrations_run_twice_without_harm,
    pruning_old_entries_keeps_the_rest_verifiable,
    a_mail_claim_that_ran_out_is_not_sent_by_its_first_node,
);

async fn db_with_entries(kind: Kind, n: usize) -> (TestDatabase, Db) {
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    for i in 0..n {
        let event = AuditEvent::new(AuditAction::ExpertUpdated)
            .object("expert", &format!("e{i}"))
            .actor("u1", Some("coordinator"));
        audit::record(&db, event).await.unwrap();
    }
    (database, db)
}

async fn execute(db: &Db, sql: &'static str) {
    on_db!(db, pool => sqlx::query(sql).execute(pool).await.unwrap().rows_affected());
}

async fn audit_chain_is_intact_after_appends(kind: Kind) {
    let (_database, db) = db_with_entries(kind, 5).await;
    assert_eq!(audit::verify(&db).await.unwrap(), Verification::Intact { entries: 5 });
}

async fn audit_detects_a_changed_entry(kind: Kind) {
    let (_database, db) = db_with_entries(kind, 5).await;
    execute(&db, "UPDATE audit_log SET object_id = 'someone-else' WHERE seq = 3").await;
    match audit::verify(&db).await.unwrap() {
        Verification::Broken { seq, .. } => assert_eq!(seq, 3),
        other => panic!("tampering not detected: {other:?}"),
    }
}

async fn audit_detects_a_removed_entry(kind: Kind) {
    let (_database, db) = db_with_entries(kind, 5).await;
    execute(&db, "DELETE FROM audit_log WHERE seq = 2").await;
    match audit::verify(&db).await.unwrap() {
        Verification::Broken { seq, reason } => {
            assert_eq!(seq, 2);
            assert!(reason.contains("missing"), "{reason}");
        }
        other => panic!("removal not detected: {other:?}"),
    }
}

async fn audit_detects_removal_of_the_newest_entries(kind: Kind) {
    let (_database, db) = db_with_entries(kind, 5).await;
    execute(&db, "DELETE FROM audit_log WHERE seq >= 4").await;
    match audit::verify(&db).await.unwrap() {
        Verification::Broken { seq, reason } => {
            assert_eq!(seq, 5);
            assert!(reason.contains("head"), "{reason}");
        }
        other => panic!("truncation not detected: {other:?}"),
    }
}

async fn audit_detects_an_appended_forgery(kind: Kind) {
    let (_database, db) = db_with_entries(kind, 3).await;
    // A forged entry that links correctly to the last one but bypasses the head.
    let last: (String,) =
        on_db!(&db, pool => sqlx::query_as("SELECT hash FROM audit_log WHERE seq = 3").fetch_one(pool).await.unwrap());
    let forged = tukiverkko_domain::audit::AuditRecord {
        seq: 4,
        at: 1,
        actor_id: Some("intruder".into()),
        actor_role: None,
        action: "consultation.read".into(),
        object_type: None,
        object_id: None,
        purpose: None,
        outcome: "ok".into(),
        client_ip: None,
        request_id: None,
    };
    let hash = forged.hash(&last.0);
    on_db!(&db, pool => sqlx::query("INSERT INTO audit_log (seq, at, actor_id, action, outcome, prev_hash, hash) VALUES (4, 1, 'intruder', 'consultation.read', 'ok', $1, $2)")
        .bind(&last.0).bind(&hash).execute(pool).await.unwrap().rows_affected());
    assert!(matches!(audit::verify(&db).await.unwrap(), Verification::Broken { seq: 4, .. }));
}

async fn concurrent_appends_keep_the_chain(kind: Kind) {
    let (_database, db) = db_with_entries(kind, 0).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                audit::record(&db, AuditEvent::new(AuditAction::ExpertCreated).object("expert", &i.to_string())).await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(audit::verify(&db).await.unwrap(), Verification::Intact { entries: 20 });
}

fn new_user(email: &str, roles: Vec<Role>, centre: Option<CentreCode>) -> NewUser {
    NewUser {
        email: email.parse().unwrap(),
        name: "Testi Käyttäjä".into(),
        roles,
        centre,
        organization_id: None,
        password: Some("correct horse battery".into()),
    }
}

async fn user_with_expert_role_gets_a_directory_profile(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    let account = accounts::create(
        &db,
        &new_user("e@example.fi", vec![Role::Expert], Some(CentreCode::Kuopio)),
        &tukiverkko_store::audit::AuditActor::system(),
    )
    .await
    .unwrap();
    let profiles = tukiverkko_store::experts::list_all(&db).await.unwrap();
    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0].user_id.as_deref(), Some(account.id.as_str()));
    assert_eq!(profiles[0].name(), "Testi Käyttäjä");
    assert_eq!(profiles[0].centre, "kuopio");
    assert_eq!(profiles[0].county, "pohjois-savo");
    assert_eq!(account.roles, vec![Role::Expert]);
    let entries = audit::list(&db, &Default::default()).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "user.create" && e.object_id.as_deref() == Some(account.id.as_str())));
}

async fn duplicate_email_is_a_conflict_and_changes_nothing(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    accounts::create(
        &db,
        &new_user("dup@example.fi", vec![Role::Requester], None),
        &tukiverkko_store::audit::AuditActor::system(),
    )
    .await
    .unwrap();
    let err = accounts::create(
        &db,
        &new_user("DUP@example.fi", vec![Role::Expert], Some(CentreCode::Oulu)),
        &tukiverkko_store::audit::AuditActor::system(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(ref m) if m.contains("dup@example.fi")), "{err}");
    assert_eq!(accounts::count(&db).await.unwrap(), 1);
    assert_eq!(tukiverkko_store::experts::count(&db).await.unwrap(), 0, "the failed user left no profile behind");
    let missing_centre = accounts::create(
        &db,
        &new_user("c@example.fi", vec![Role::Coordinator], None),
        &tukiverkko_store::audit::AuditActor::system(),
    )
    .await;
    assert!(matches!(missing_centre, Err(StoreError::Invalid(ref v)) if v.code == "centre_required"));
}

static LOGIN_COUNTER_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn login_costs_one_verification_whether_or_not_the_account_exists(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    accounts::create(
        &db,
        &new_user("known@example.fi", vec![Role::Requester], None),
        &tukiverkko_store::audit::AuditActor::system(),
    )
    .await
    .unwrap();
    let _serial = LOGIN_COUNTER_LOCK.lock().await;
    let work = |email: &str, before: u64| accounts::password_verifications(email) - before;

    let before = accounts::password_verifications("nobody@example.fi");
    assert!(accounts::authenticate(&db, "nobody@example.fi", "whatever-password").await.unwrap().is_none());
    let unknown = work("nobody@example.fi", before);

    let before = accounts::password_verifications("known@example.fi");
    assert!(accounts::authenticate(&db, "known@example.fi", "wrong password!!").await.unwrap().is_none());
    let wrong = work("known@example.fi", before);

    let before = accounts::password_verifications("not an email");
    assert!(accounts::authenticate(&db, "not an email", "x").await.unwrap().is_none());
    let malformed = work("not an email", before);

    let before = accounts::password_verifications("Known@Example.fi");
    let ok = accounts::authenticate(&db, "Known@Example.fi", "correct horse battery").await.unwrap();
    assert_eq!(ok.unwrap().email, "known@example.fi");
    assert_eq!((unknown, wrong, malformed, work("Known@Example.fi", before)), (1, 1, 1, 1));
}

async fn tokens_expire_and_can_be_revoked(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    let account = accounts::create(
        &db,
        &new_user("t@example.fi", vec![Role::Researcher], None),
        &tukiverkko_store::audit::AuditActor::system(),
    )
    .await
    .unwrap();
    let token = tokens::issue(&db, &account.id, 7).await.unwrap();
    assert_eq!(tokens::authenticate(&db, &token).await.unwrap().unwrap().id, account.id);
    let stored: i64 = on_db!(&db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1")
        .bind(&token).fetch_one(pool).await.unwrap());
    assert_eq!(stored, 0, "the plaintext token is never stored");
    tokens::revoke(&db, &token).await.unwrap();
    assert!(tokens::authenticate(&db, &token).await.unwrap().is_none());

    let expiring = tokens::issue(&db, &account.id, 1).await.unwrap();
    execute(&db, "UPDATE api_tokens SET expires_at = 0").await;
    assert!(tokens::authenticate(&db, &expiring).await.unwrap().is_none());
    assert!(tokens::issue(&db, &account.id, 0).await.is_err());
    assert!(tokens::issue(&db, &account.id, 366).await.is_err());
}

async fn sessions_end_when_idle_or_user_disabled(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    let account = accounts::create(
        &db,
        &new_user("s@example.fi", vec![Role::Requester], None),
        &tukiverkko_store::audit::AuditActor::system(),
    )
    .await
    .unwrap();
    let limits = SessionLimits::default();
    let (cookie, csrf) = sessions::create(&db, &account.id, limits).await.unwrap();
    let live = sessions::resume(&db, &cookie, limits).await.unwrap().unwrap();
    assert_eq!((live.account.id.as_str(), live.csrf_token.as_str()), (account.id.as_str(), csrf.as_str()));

    execute(&db, "UPDATE sessions SET last_seen_at = last_seen_at - 3600").await;
    assert!(sessions::resume(&db, &cookie, limits).await.unwrap().is_none(), "idle session ended");

    let (cookie, _) = sessions::create(&db, &account.id, limits).await.unwrap();
    execute(&db, "UPDATE users SET disabled = TRUE").await;
    assert!(sessions::resume(&db, &cookie, limits).await.unwrap().is_none(), "disabled user's session ended");
}

async fn migrations_run_twice_without_harm(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    db.migrate().await.unwrap();
    tukiverkko_store::reference::seed(&db).await.unwrap();
    assert_eq!(tukiverkko_store::reference::counts(&db).await.unwrap(), (5, 22, 50));
}

async fn pruning_old_entries_keeps_the_rest_verifiable(kind: Kind) {
    let (_database, db) = db_with_entries(kind, 6).await;
    execute(&db, "UPDATE audit_log SET at = 1000 WHERE seq <= 4").await;
    // Changing `at` broke those entries' hashes; pruning removes exactly them.
    assert_eq!(audit::prune(&db, 2000).await.unwrap(), 4);
    assert_eq!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { entries: 3 },
        "entries 5–7, the last the prune itself"
    );
    assert_eq!(audit::prune(&db, 2000).await.unwrap(), 0, "nothing older left");
    execute(&db, "DELETE FROM audit_log WHERE seq = 5").await;
    match audit::verify(&db).await.unwrap() {
        Verification::Broken { seq, .. } => assert_eq!(seq, 5, "a gap after the base still shows"),
        other => panic!("not detected: {other:?}"),
    }
}

/// Two nodes' mailers: the first claims, its claim runs out (a slow relay),
/// the second claims the same notification; the first must then skip it.
async fn a_mail_claim_that_ran_out_is_not_sent_by_its_first_node(kind: Kind) {
    use tukiverkko_store::notifications;
    let database = TestDatabase::new(kind).await;
    let db = database.open().await;
    let account =
        accounts::create(&db, &new_user("m@example.fi", vec![Role::Requester], None), &audit::AuditActor::system())
            .await
            .unwrap();
    let mut tx = db.begin().await.unwrap();
    let kind_ = tukiverkko_domain::notification::NotificationKind::ConsultationSubmitted;
    notifications::notify(&mut tx, &account.id, kind_, "/consultations/x").await.unwrap();
    tx.commit().await.unwrap();

    let first = notifications::claim_mail(&db).await.unwrap();
    assert_eq!(first.mails.len(), 1);
    assert!(notifications::claim_mail(&db).await.unwrap().mails.is_empty(), "taken: no other node gets it");
    execute(&db, "UPDATE notifications SET mail_claimed_until = 0").await;
    let second = notifications::claim_mail(&db).await.unwrap();
    assert_eq!(second.mails.len(), 1, "a claim that ran out is taken by another node");
    let id = &first.mails[0].id;
    assert!(!notifications::renew_claim(&db, id, &first.token).await.unwrap(), "the first node skips it");
    assert!(notifications::renew_claim(&db, id, &second.token).await.unwrap(), "the second sends it");
    notifications::mark_mailed(&db, id).await.unwrap();
    assert!(!notifications::renew_claim(&db, id, &second.token).await.unwrap(), "mailed: never again");
    assert!(notifications::claim_mail(&db).await.unwrap().mails.is_empty());
}
