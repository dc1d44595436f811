//! Compiles the PostgreSQL half of the test suite only when a test database
//! URL is set, so a plain `cargo test` reports it as skipped by name and a
//! CI run with the URL fails when PostgreSQL does not answer.

fn main() {
    println!("cargo::rerun-if-env-changed=TUKIVERKKO_TEST_DATABASE_URL");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var_os("TUKIVERKKO_TEST_DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
