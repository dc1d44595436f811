//! The `tukiverkko` command as an operator uses it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

use crate::support::{Kind, TestDatabase};
use tukiverkko_store::{accounts, on_db, tokens};

backends!(
    serve_prints_its_address_and_stops_cleanly_on_sigterm,
    user_add_and_token_issue,
    bad_user_input_exits_with_usage_errors_and_creates_nothing,
    audit_verify_reports_the_first_broken_entry,
    backup_then_restore_brings_back_the_copy,
    seed_demo_once,
    logs_in_a_pipe_have_no_colour_codes,
);

pub(crate) fn tukiverkko(db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tukiverkko"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TUKIVERKKO_DATABASE_URL", db_url)
        .env("TUKIVERKKO_LOG", "warn");
    cmd
}

pub(crate) fn run(cmd: &mut Command, stdin: &str) -> Output {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // A command that fails on its arguments may exit before reading its input.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Starts `serve` on port 0 and returns the child and the base URL from its
/// first line of output: the documented readiness signal.
pub(crate) fn serve(mut cmd: Command) -> (Child, String, BufReader<std::process::ChildStdout>) {
    let dir = std::env::temp_dir().join(format!("tv-data-{}", uuid::Uuid::new_v4().simple()));
    let mut child = cmd
        .env("TUKIVERKKO_BIND", "127.0.0.1:0")
        .env("TUKIVERKKO_DATA_DIR", &dir)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let base =
        first.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line was {first:?}")).to_string();
    assert!(!base.ends_with(":0"), "the real port is printed: {base}");
    (child, base, out)
}

pub(crate) fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let status = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(status.success());
    child.wait().unwrap()
}

async fn serve_prints_its_address_and_stops_cleanly_on_sigterm(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    if kind == Kind::Postgres {
        // PostgreSQL gets demo data only from `seed --demo`.
        let out = run(tukiverkko(&database.url).arg("migrate"), "");
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let (mut child, base, mut out) = serve(tukiverkko(&database.url));
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    let home = reqwest::get(format!("{base}/")).await.unwrap().text().await.unwrap();
    let mut rest = String::new();
    let status = terminate(&mut child);
    assert!(status.success(), "graceful stop exits 0: {status:?}");
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    match kind {
        Kind::Sqlite => {
            assert!(
                home.contains("Verkostossa on 62 asiantuntijaa."),
                "demo data (60 experts and 2 expert logins) seeded into the new SQLite file"
            );
            assert!(
                rest.contains("pyytaja@example.fi") && rest.contains("demo-salasana-2026"),
                "demo logins printed: {rest}"
            );
            // A second start reuses the same data and seeds nothing twice.
            let (mut again, base, _) = serve(tukiverkko(&database.url));
            let home = reqwest::get(format!("{base}/")).await.unwrap().text().await.unwrap();
            assert!(home.contains("Verkostossa on 62 asiantuntijaa."));
            terminate(&mut again);
            let db = database.open().await;
            assert_eq!(
                accounts::count(&db).await.unwrap(),
                7,
                "six logins and the requester of the finished demo cases"
            );
        }
        Kind::Postgres => {
            assert!(home.contains("Verkostossa on 0 asiantuntijaa."), "no demo data on PostgreSQL without seed");
            assert!(!rest.contains("demo-salasana"));
        }
    }
}

async fn user_add_and_token_issue(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let out = run(
        tukiverkko(&database.url).args([
            "user",
            "add",
            "--email",
            "Sanna.S@Example.fi",
            "--name",
            "Sanna Sosiaalityöntekijä",
            "--role",
            "expert",
            "--role",
            "coordinator",
            "--centre",
            "turku",
            "--password-stdin",
        ]),
        "a long enough password\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out =
        run(tukiverkko(&database.url).args(["token", "issue", "--email", "sanna.s@example.fi", "--days", "3"]), "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "the token alone: {stdout:?}");
    let token = stdout.trim();
    assert!(token.starts_with("tvk_") && token.len() > 60);

    let db = database.open().await;
    let account = tokens::authenticate(&db, token).await.unwrap().expect("the printed token works");
    assert_eq!(account.email, "sanna.s@example.fi");
    assert_eq!(account.centre.unwrap().as_str(), "turku");
    assert!(accounts::authenticate(&db, "sanna.s@example.fi", "a long enough password").await.unwrap().is_some());
    let profiles = tukiverkko_store::experts::list_all(&db).await.unwrap();
    assert_eq!(profiles.len(), 1, "the expert got a directory profile");

    let unknown = run(tukiverkko(&database.url).args(["token", "issue", "--email", "nobody@example.fi"]), "");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).starts_with("error: no user with e-mail nobody@example.fi"));
    assert!(unknown.stdout.is_empty());
}

async fn bad_user_input_exits_with_usage_errors_and_creates_nothing(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let cases: &[(&[&str], i32, &str)] = &[
        (&["user", "add", "--email", "k@example.fi", "--name", "K", "--role", "coordinator"], 2, "needs --centre"),
        (&["user", "add", "--email", "k@example.fi", "--name", "K", "--role", "wizard"], 2, "unknown role"),
        (&["user", "add", "--email", "not-an-email", "--name", "K", "--role", "requester"], 2, "not an e-mail"),
        (
            &["user", "add", "--email", "k@example.fi", "--name", "K", "--role", "expert", "--centre", "rovaniemi"],
            2,
            "unknown centre",
        ),
        (
            &["user", "add", "--email", "k@example.fi", "--name", "K", "--role", "requester", "--password-stdin"],
            2,
            "at least 12",
        ),
        (&["seed"], 2, "seed --demo"),
        (&["audit", "prune"], 2, "give --days"),
        (&["audit", "prune", "--days", "0"], 2, "at least 1"),
    ];
    for (args, code, message) in cases {
        let out = run(tukiverkko(&database.url).args(*args), "short\n");
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(message), "{args:?}: {}", text(&out.stderr));
    }
    let db = database.open().await;
    assert_eq!(accounts::count(&db).await.unwrap(), 0);
}

async fn audit_verify_reports_the_first_broken_entry(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    for i in 0..3 {
        let email = format!("u{i}@example.fi");
        let out = run(
            tukiverkko(&database.url).args(["user", "add", "--email", &email, "--name", "U", "--role", "researcher"]),
            "",
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let ok = run(tukiverkko(&database.url).args(["audit", "verify"]), "");
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("intact: 3 entries"));

    let db = database.open().await;
    on_db!(&db, pool => sqlx::query("UPDATE audit_log SET actor_id = 'someone' WHERE seq = 2").execute(pool).await.unwrap().rows_affected());
    db.close().await;
    let broken = run(tukiverkko(&database.url).args(["audit", "verify"]), "");
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken.stderr).contains("entry 2"), "{}", text(&broken.stderr));
}

/// Backup, more writes, restore: the restored database holds exactly what
/// the backup held, and its audit chain verifies. A restore is refused
/// while a server uses the database and for a file that is not a backup;
/// neither refusal changes anything. On SQLite the replaced file is kept.
async fn backup_then_restore_brings_back_the_copy(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let add = |email: &str| {
        run(tukiverkko(&database.url).args(["user", "add", "--email", email, "--name", "B", "--role", "admin"]), "")
    };
    assert!(add("kept@example.fi").status.success());
    let target = std::env::temp_dir().join(format!("tv-backup-{}.db", uuid::Uuid::new_v4().simple()));
    let out = run(tukiverkko(&database.url).arg("backup").arg(&target), "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let again = run(tukiverkko(&database.url).arg("backup").arg(&target), "");
    assert_eq!(again.status.code(), Some(1), "an existing file is not overwritten");
    assert!(add("later@example.fi").status.success());
    let db = database.open().await;
    assert_eq!(accounts::count(&db).await.unwrap(), 2);
    db.close().await;

    let (mut server, _, _) = serve(tukiverkko(&database.url));
    let in_use = run(tukiverkko(&database.url).args(["restore"]).arg(&target), "");
    assert_eq!(in_use.status.code(), Some(1), "{}", text(&in_use.stdout));
    let reason = text(&in_use.stderr);
    assert!(reason.contains("in use") || reason.contains("connected"), "{reason}");
    assert!(terminate(&mut server).success());
    let not_a_backup = std::env::temp_dir().join(format!("tv-not-{}.db", uuid::Uuid::new_v4().simple()));
    std::fs::write(&not_a_backup, "this is not a database").unwrap();
    let refused = run(tukiverkko(&database.url).args(["restore"]).arg(&not_a_backup), "");
    assert_eq!(refused.status.code(), Some(1));
    let db = database.open().await;
    assert_eq!(accounts::count(&db).await.unwrap(), 2, "no refusal changed the database");
    db.close().await;

    let restored = run(tukiverkko(&database.url).args(["restore"]).arg(&target), "");
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(text(&restored.stdout).contains("audit trail intact"), "{}", text(&restored.stdout));
    let db = database.open().await;
    assert_eq!(accounts::count(&db).await.unwrap(), 1, "what came after the backup is gone");
    assert!(accounts::find_by_email(&db, &"kept@example.fi".parse().unwrap()).await.is_ok());
    assert!(accounts::find_by_email(&db, &"later@example.fi".parse().unwrap()).await.is_err());
    db.close().await;
    let verify = run(tukiverkko(&database.url).args(["audit", "verify"]), "");
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    if let Some(path) = tukiverkko_store::db_path(&database.url) {
        let dir = path.parent().unwrap();
        let kept = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().contains(".before-restore-"));
        assert!(kept, "the replaced SQLite file is kept");
    }
    assert!(add("after@example.fi").status.success(), "the restored database takes writes");
    for f in [&target, &not_a_backup] {
        let _ = std::fs::remove_file(f);
    }
}

async fn seed_demo_once(kind: Kind) {
    let database = TestDatabase::new(kind).await;
    let out = run(tukiverkko(&database.url).args(["seed", "--demo"]), "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let db = database.open().await;
    assert_eq!(tukiverkko_store::experts::count(&db).await.unwrap(), 60 + 2, "60 demo experts and the 2 expert logins");
    let again = run(tukiverkko(&database.url).args(["seed", "--demo"]), "");
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(tukiverkko_store::experts::count(&db).await.unwrap(), 62, "nothing seeded twice");
}

#[test]
fn bad_configuration_is_one_clear_line_and_a_nonzero_exit() {
    let dir = std::env::temp_dir().join(format!("tv-cfg-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}", dir.join("t.db").display());

    let unknown = run(tukiverkko("mysql://root@localhost/tv").arg("migrate"), "");
    assert_eq!(unknown.status.code(), Some(2));
    let err = text(&unknown.stderr);
    assert!(err.starts_with("error: unsupported database URL 'mysql'") && err.lines().count() == 1, "{err}");

    let unreachable = run(tukiverkko("postgres://tv:secret-pw@127.0.0.1:1/tv").arg("migrate"), "");
    assert_eq!(unreachable.status.code(), Some(1));
    let err = text(&unreachable.stderr);
    assert!(err.starts_with("error: cannot open database postgres://tv:***@127.0.0.1:1/tv"), "{err}");
    assert!(!err.contains("secret-pw"), "the password is never printed");
    assert_eq!(err.lines().count(), 1, "{err}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let busy = run(tukiverkko(&sqlite).env("TUKIVERKKO_BIND", format!("127.0.0.1:{port}")).arg("serve"), "");
    assert_eq!(busy.status.code(), Some(1));
    assert!(
        text(&busy.stderr).contains(&format!("error: cannot listen on 127.0.0.1:{port}")),
        "{}",
        text(&busy.stderr)
    );

    let file = dir.join("tukiverkko.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:0\"\ncolour = \"blue\"\n").unwrap();
    let bad_file = run(tukiverkko(&sqlite).arg("--config").arg(&file).arg("migrate"), "");
    assert_eq!(bad_file.status.code(), Some(2));
    assert!(text(&bad_file.stderr).contains("unknown field `colour`"), "{}", text(&bad_file.stderr));

    let bad_bool = run(tukiverkko(&sqlite).env("TUKIVERKKO_DEMO", "maybe").arg("migrate"), "");
    assert_eq!(bad_bool.status.code(), Some(2));
    assert!(text(&bad_bool.stderr).contains("TUKIVERKKO_DEMO"));

    let oidc = |cmd: &mut Command| {
        cmd.env("TUKIVERKKO_OIDC_ISSUER", "https://login.example.fi/tenant")
            .env("TUKIVERKKO_OIDC_CLIENT_SECRET", "oidc-very-secret")
            .arg("migrate");
    };
    let mut no_client = tukiverkko(&sqlite);
    oidc(&mut no_client);
    let no_client = run(no_client.env("TUKIVERKKO_PUBLIC_URL", "https://tukiverkko.example.fi"), "");
    assert_eq!(no_client.status.code(), Some(2));
    assert!(text(&no_client.stderr).contains("TUKIVERKKO_OIDC_CLIENT_ID is needed"), "{}", text(&no_client.stderr));
    let mut no_public_url = tukiverkko(&sqlite);
    oidc(&mut no_public_url);
    let no_public_url = run(no_public_url.env("TUKIVERKKO_OIDC_CLIENT_ID", "tv"), "");
    assert_eq!(no_public_url.status.code(), Some(2));
    let err = text(&no_public_url.stderr);
    assert!(err.contains("needs the public URL (TUKIVERKKO_PUBLIC_URL)") && !err.contains("oidc-very-secret"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn flags_override_environment_which_overrides_the_file() {
    let dir = std::env::temp_dir().join(format!("tv-prec-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tukiverkko.toml");
    let from_file = format!("sqlite://{}", dir.join("file.db").display());
    let from_env = format!("sqlite://{}", dir.join("env.db").display());
    let from_flag = format!("sqlite://{}", dir.join("flag.db").display());
    std::fs::write(&file, format!("database_url = \"{from_file}\"\ndemo = false\n")).unwrap();

    let mut cmd = tukiverkko(&from_env);
    cmd.env_remove("TUKIVERKKO_DATABASE_URL").env("TUKIVERKKO_CONFIG", &file).arg("migrate");
    assert!(run(&mut cmd, "").status.success());
    assert!(dir.join("file.db").exists(), "the file is used when nothing else says");

    let mut cmd = tukiverkko(&from_env);
    cmd.env("TUKIVERKKO_CONFIG", &file).arg("migrate");
    assert!(run(&mut cmd, "").status.success());
    assert!(dir.join("env.db").exists(), "environment beats the file");

    let mut cmd = tukiverkko(&from_env);
    cmd.env("TUKIVERKKO_CONFIG", &file).args(["--database-url", &from_flag, "migrate"]);
    assert!(run(&mut cmd, "").status.success());
    assert!(dir.join("flag.db").exists(), "the flag beats the environment");

    // demo = false in the file: a new SQLite database starts empty.
    let mut cmd = tukiverkko(&format!("sqlite://{}", dir.join("nodemo.db").display()));
    cmd.env("TUKIVERKKO_CONFIG", &file);
    let (mut child, base, _) = serve(cmd);
    let home = reqwest::get(format!("{base}/")).await.unwrap().text().await.unwrap();
    terminate(&mut child);
    assert!(home.contains("Verkostossa on 0 asiantuntijaa."));
    let _ = std::fs::remove_dir_all(&dir);
}

async fn logs_in_a_pipe_have_no_colour_codes(kind: Kind) {
    let db = TestDatabase::new(kind).await;
    assert!(run(tukiverkko(&db.url).arg("migrate"), "").status.success());
    let mut cmd = tukiverkko(&db.url);
    cmd.env("TUKIVERKKO_LOG", "info").env("TUKIVERKKO_DEMO", "false");
    // Keep stdout open: the server prints to it once more when it stops.
    let (mut child, _, _stdout) = serve(cmd);
    let status = terminate(&mut child);
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).unwrap();
    assert!(status.success(), "{status:?}: {log}");
    assert!(log.contains("serving"), "serve logs at info: {log}");
    assert!(!log.contains('\u{1b}'), "no terminal escape codes in a pipe: {log:?}");
}
