//! User accounts, their roles and password login.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tukiverkko_domain::audit::AuditAction;
use tukiverkko_domain::text;
use tukiverkko_domain::{CentreCode, Email, Language, Role, ValueError};

use crate::audit::{self, AuditActor, AuditEvent};
use crate::experts::{self, NewProfile};
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub centre: Option<CentreCode>,
    pub organization_id: Option<String>,
    pub language: Language,
    pub disabled: bool,
    /// Sign-in also needs a TOTP code.
    pub totp_enabled: bool,
    /// Notifications are also sent by e-mail (when the server mails at all).
    pub email_notifications: bool,
}

impl Account {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: String,
    email: String,
    name: String,
    password_hash: Option<String>,
    centre: Option<String>,
    organization_id: Option<String>,
    language: String,
    disabled: bool,
    totp_secret: Option<String>,
    email_notifications: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub roles: Vec<Role>,
    pub centre: Option<CentreCode>,
    pub organization_id: Option<String>,
    pub password: Option<String>,
}

impl NewUser {
    /// Checks the rules that span fields: at least one role, a centre for
    /// the roles that work for one, a non-empty name.
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.name.trim().is_empty() {
            return Err(ValueError::new("name_required", "name must not be empty"));
        }
        text::check("name", &self.name, text::limits::NAME, text::Lines::One)?;
        if let Some(org) = &self.organization_id {
            text::check("organization", org, text::limits::SHORT, text::Lines::One)?;
        }
        if self.roles.is_empty() {
            return Err(ValueError::new("role_required", "at least one role is required"));
        }
        if let Some(role) = self.roles.iter().find(|r| r.needs_centre())
            && self.centre.is_none()
        {
            return Err(ValueError::new("centre_required", format!("role {role} needs --centre")));
        }
        if let Some(pw) = &self.password {
            check_password_strength(pw)?;
        }
        Ok(())
    }
}

pub const MIN_PASSWORD_LEN: usize = 12;

pub fn check_password_strength(password: &str) -> Result<(), ValueError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ValueError::new(
            "password_too_short",
            format!("password must be at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    Ok(())
}

pub fn hash_password(password: &str) -> String {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes).expect("the operating system provides randomness");
    let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes fit a salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 accepts any password").to_string()
}

/// Verified against when the account is unknown or has no password, so a
/// login costs one Argon2 verification whether or not the account exists.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("no account has this password"));

/// Password verifications run by sign-ins, per e-mail address as typed.
static VERIFICATIONS: LazyLock<std::sync::Mutex<std::collections::HashMap<String, u64>>> =
    LazyLock::new(Default::default);

/// How many password verifications sign-ins naming `email` (as typed) have
/// run in this process: tests use it to show that unknown accounts, wrong
/// passwords and malformed addresses cost the same work. Counted per
/// address so that sign-ins of other tests in the same process do not count.
pub fn password_verifications(email: &str) -> u64 {
    VERIFICATIONS.lock().unwrap_or_else(|e| e.into_inner()).get(email).copied().unwrap_or(0)
}

fn verify_password(email: &str, password: &str, hash: &str) -> bool {
    *VERIFICATIONS.lock().unwrap_or_else(|e| e.into_inner()).entry(email.to_string()).or_default() += 1;
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

const SELECT_ACCOUNT: &str = "SELECT id, email, name, password_hash, centre, organization_id, language, disabled, totp_secret, email_notifications FROM users";

async fn roles_of(db: &Db, user_id: &str) -> Result<Vec<Role>> {
    let names: Vec<String> = on_db!(db, pool => sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
        .bind(user_id).fetch_all(pool).await?);
    Ok(names.iter().filter_map(|n| n.parse().ok()).collect())
}

async fn into_account(db: &Db, row: AccountRow) -> Result<Account> {
    let roles = roles_of(db, &row.id).await?;
    Ok(Account {
        roles,
        centre: row.centre.as_deref().and_then(|c| c.parse().ok()),
        language: row.language.parse().unwrap_or_default(),
        id: row.id,
        email: row.email,
        name: row.name,
        organization_id: row.organization_id,
        disabled: row.disabled,
        totp_enabled: row.totp_secret.is_some(),
        email_notifications: row.email_notifications,
    })
}

pub async fn find_by_id(db: &Db, id: &str) -> Result<Account> {
    let sql = format!("{SELECT_ACCOUNT} WHERE id = $1");
    let row: AccountRow =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?)
            .ok_or(StoreError::NotFound)?;
    into_account(db, row).await
}

pub async fn find_by_email(db: &Db, email: &Email) -> Result<Account> {
    let sql = format!("{SELECT_ACCOUNT} WHERE email = $1");
    let row: AccountRow =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email.as_str()).fetch_optional(pool).await?)
            .ok_or(StoreError::NotFound)?;
    into_account(db, row).await
}

/// Checks a login. `None` for an unknown account, a disabled one or a
/// wrong password alike; each costs exactly one password verification.
pub async fn authenticate(db: &Db, email: &str, password: &str) -> Result<Option<Account>> {
    let row: Option<AccountRow> = match email.parse::<Email>() {
        Ok(email) => {
            let sql = format!("{SELECT_ACCOUNT} WHERE email = $1");
            on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email.as_str()).fetch_optional(pool).await?)
        }
        Err(_) => None,
    };
    let hash = row.as_ref().and_then(|r| r.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.clone());
    let (typed, password) = (email.to_string(), password.to_string());
    let matches = tokio::task::spawn_blocking(move || verify_password(&typed, &password, &hash)).await.unwrap_or(false);
    match row {
        Some(row) if matches && row.password_hash.is_some() && !row.disabled => Ok(Some(into_account(db, row).await?)),
        _ => Ok(None),
    }
}

/// Creates a user with its roles; an expert or experience expert also gets
/// a linked directory profile under the same name.
pub async fn create(db: &Db, user: &NewUser, by: &AuditActor) -> Result<Account> {
    user.validate()?;
    let id = secrets::new_id();
    let hash = match &user.password {
        Some(pw) => {
            let pw = pw.clone();
            Some(tokio::task::spawn_blocking(move || hash_password(&pw)).await.expect("hashing does not panic"))
        }
        None => None,
    };
    let mut tx = db.begin().await?;
    insert_user(&mut tx, &id, user, hash.as_deref()).await?;
    if user.roles.iter().any(|r| r.has_directory_profile()) {
        let centre = user.centre.expect("validated: expert roles have a centre");
        insert_directory_profile(&mut tx, &id, &user.name, user.email.as_str(), &user.roles, centre).await?;
    }
    audit::append(&mut tx, AuditEvent::new(AuditAction::UserCreated).by(by).object("user", &id)).await?;
    tx.commit().await?;
    find_by_id(db, &id).await
}

/// The directory profile an expert or experience expert gets with their account.
pub(crate) async fn insert_directory_profile(
    tx: &mut Tx,
    user_id: &str,
    name: &str,
    email: &str,
    roles: &[Role],
    centre: CentreCode,
) -> Result<()> {
    let sector = if roles.contains(&Role::ExperienceExpert) && !roles.contains(&Role::Expert) {
        "experience_expert"
    } else {
        "other"
    };
    let (given, family) = split_name(name);
    let profile = NewProfile {
        external_id: None,
        user_id: Some(user_id.to_string()),
        given_name: given,
        family_name: family,
        sector: sector.into(),
        county: centre.host_county().into(),
        centre: centre.as_str().into(),
        languages: vec!["fi".into()],
        email: email.to_string(),
        // A new expert is available for consultations until they say otherwise.
        remote: true,
        accepts_consultations: true,
        capacity: 3,
        ..NewProfile::default()
    };
    experts::insert(tx, &profile).await?;
    Ok(())
}

async fn insert_user(tx: &mut Tx, id: &str, user: &NewUser, hash: Option<&str>) -> Result<()> {
    let centre = user.centre.map(|c| c.as_str());
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, centre, organization_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id).bind(user.email.as_str()).bind(user.name.trim()).bind(hash).bind(centre)
        .bind(&user.organization_id).bind(now()).execute(conn).await.map(|r| r.rows_affected()))
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!("a user with e-mail {} already exists", user.email)),
            other => other,
        })?;
    for role in &user.roles {
        on_tx!(tx, conn => sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id).bind(role.as_str()).execute(conn).await?.rows_affected());
    }
    Ok(())
}

fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((given, family)) => (given.trim().to_string(), family.to_string()),
        None => (name.to_string(), String::new()),
    }
}

pub async fn set_password(db: &Db, user_id: &str, password: &str, by: &AuditActor) -> Result<()> {
    check_password_strength(password)?;
    let pw = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw)).await.expect("hashing does not panic");
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash).bind(user_id).execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::new(AuditAction::PasswordChanged).by(by).object("user", user_id)).await?;
    tx.commit().await
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?))
}

/// Proof that an account is an administrator: the store functions that
/// manage other people's accounts take it, so no caller can forget the check.
#[derive(Debug, Clone, Copy)]
pub struct AdminProof<'a> {
    account: &'a Account,
}

impl<'a> AdminProof<'a> {
    pub fn check(account: &'a Account) -> Result<Self> {
        if account.has_role(Role::Admin) { Ok(Self { account }) } else { Err(StoreError::Forbidden) }
    }

    pub fn account(&self) -> &'a Account {
        self.account
    }
}

/// Every account, for an administrator.
pub async fn list(db: &Db, _admin: AdminProof<'_>) -> Result<Vec<Account>> {
    let sql = format!("{SELECT_ACCOUNT} ORDER BY email");
    let rows: Vec<AccountRow> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?);
    let mut accounts = Vec::with_capacity(rows.len());
    for row in rows {
        accounts.push(into_account(db, row).await?);
    }
    Ok(accounts)
}

/// Disables an account: its sessions end at once and its tokens stop
/// working (token checks read the flag).
pub async fn disable(db: &Db, admin: AdminProof<'_>, user_id: &str, by: &AuditActor) -> Result<()> {
    if admin.account().id == user_id {
        return Err(StoreError::Conflict("an administrator cannot disable their own account".into()));
    }
    let mut tx = db.begin().await?;
    let changed = on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET disabled = TRUE WHERE id = $1")
        .bind(user_id).execute(conn).await?.rows_affected());
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::new(AuditAction::UserDisabled).by(by).object("user", user_id)).await?;
    tx.commit().await
}

/// Changes a password after checking the current one; other sessions of
/// the user end, the one given in `keep_session` stays.
pub async fn change_password(
    db: &Db,
    account: &Account,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
    by: &AuditActor,
) -> Result<()> {
    if authenticate(db, &account.email, current).await?.is_none() {
        return Err(ValueError::new("wrong_password", "the current password is wrong").into());
    }
    set_password(db, &account.id, new, by).await?;
    let keep = keep_session.map(secrets::hash_token).unwrap_or_default();
    on_db!(db, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(&account.id).bind(&keep).execute(pool).await?.rows_affected());
    Ok(())
}

/// The county of an organisation, to pre-fill a requester's forms.
pub async fn organization_county(db: &Db, organization_id: &str) -> Result<Option<String>> {
    Ok(on_db!(db, pool => sqlx::query_scalar("SELECT county FROM organizations WHERE id = $1")
        .bind(organization_id).fetch_optional(pool).await?))
}

fn totp(secret_base32: &str, email: &str) -> Option<totp_rs::Totp> {
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret_base32).ok()?)
        .with_account_name(email)
        .with_issuer(Some("tukiverkko"))
        .build()
        .ok()
}

/// Starts setting up a second factor: a new secret waits for the first
/// code from the authenticator app. Returns the secret and its otpauth URL.
pub async fn begin_totp(db: &Db, account: &Account) -> Result<(String, String)> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    let secret = totp_rs::Secret::from(bytes.to_vec()).to_base32();
    let url = totp(&secret, &account.email).and_then(|t| t.to_url().ok()).unwrap_or_default();
    on_db!(db, pool => sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
        .bind(&secret).bind(&account.id).execute(pool).await?.rows_affected());
    Ok((secret, url))
}

/// Turns the second factor on once a code from the new secret checks out.
pub async fn confirm_totp(db: &Db, account: &Account, code: &str, by: &AuditActor) -> Result<()> {
    let pending: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT totp_pending FROM users WHERE id = $1")
        .bind(&account.id).fetch_one(pool).await?);
    let pending = pending.ok_or_else(|| StoreError::Conflict("start the set-up first".into()))?;
    let matches = totp(&pending, &account.email).is_some_and(|t| t.check_current(code.trim()).is_some());
    if !matches {
        return Err(ValueError::new("wrong_code", "the code does not match; check the app's clock").into());
    }
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET totp_secret = totp_pending, totp_pending = NULL WHERE id = $1")
        .bind(&account.id).execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::named("auth.totp_enabled").by(by).object("user", &account.id)).await?;
    tx.commit().await
}

/// Turns the second factor off, after checking the account's password.
pub async fn remove_totp(db: &Db, account: &Account, password: &str, by: &AuditActor) -> Result<()> {
    if authenticate(db, &account.email, password).await?.is_none() {
        return Err(ValueError::new("wrong_password", "the password is wrong").into());
    }
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = $1")
        .bind(&account.id).execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::named("auth.totp_disabled").by(by).object("user", &account.id)).await?;
    tx.commit().await
}

/// The account's own choices: interface language and e-mail notifications.
pub async fn set_preferences(db: &Db, account: &Account, language: Language, email_notifications: bool) -> Result<()> {
    on_db!(db, pool => sqlx::query("UPDATE users SET language = $1, email_notifications = $2 WHERE id = $3")
        .bind(language.as_str()).bind(email_notifications).bind(&account.id).execute(pool).await?.rows_affected());
    Ok(())
}

/// Whether `code` is the account's current TOTP code (true when it has none).
pub async fn second_factor_ok(db: &Db, account: &Account, code: &str) -> Result<bool> {
    if !account.totp_enabled {
        return Ok(true);
    }
    let secret: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
        .bind(&account.id).fetch_one(pool).await?);
    Ok(secret.and_then(|s| totp(&s, &account.email)).is_some_and(|t| t.check_current(code.trim()).is_some()))
}

/// Display names of accounts by id, for lists that show who acted.
pub async fn names(db: &Db, ids: &[String]) -> Result<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    for id in ids {
        if out.contains_key(id) {
            continue;
        }
        let name: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
            .bind(id).fetch_optional(pool).await?);
        if let Some(name) = name {
            out.insert(id.clone(), name);
        }
    }
    Ok(out)
}
