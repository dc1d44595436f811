//! The integration suite as one test binary (one link instead of nine):
//! the real server on port 0 with a fresh database per test, on SQLite and
//! on PostgreSQL when `TUKIVERKKO_TEST_DATABASE_URL` is set.

#[macro_use]
mod support;

mod access_policy;
mod barnahus;
mod catalogue;
mod catalogue_flow;
mod cli;
mod consultations;
mod crash;
mod distributed_sql;
mod expert_import;
mod experts;
mod fhir;
mod hardening;
mod homes;
mod http;
mod nodes;
mod notifications;
mod oidc;
mod operations;
mod outcomes;
mod pages;
mod research;
mod retention;
mod schema;
// A standby needs PostgreSQL; SQLite has none.
#[cfg(postgres_tests)]
mod standby;
mod statistics;
mod store;
mod teams;
mod training;
mod training_followup;
mod transport;
mod triage;
