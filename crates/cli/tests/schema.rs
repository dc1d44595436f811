//! The two backends must end up with the same schema: tables, columns with
//! their types (mapped per backend) and NOT NULL, primary keys, unique
//! constraints and named indexes. A migration written for one backend only,
//! or one that the other reads differently, fails here.
// The comparison runs only with PostgreSQL; without it only the types remain.
#![cfg_attr(not(postgres_tests), allow(dead_code))]

use std::collections::{BTreeMap, BTreeSet};

/// One table as both backends can describe it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// (name, type, not null), in column order.
    columns: Vec<(String, String, bool)>,
    primary_key: BTreeSet<String>,
    /// Column lists of unique constraints.
    unique: BTreeSet<String>,
    /// (name, unique, columns) of indexes made with CREATE INDEX.
    indexes: BTreeSet<(String, bool, String)>,
}

type Schema = BTreeMap<String, Table>;

#[cfg(postgres_tests)]
async fn sqlite_schema(pool: &sqlx::SqlitePool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (column, kind, not_null, pk) in columns {
            // A primary key column is NOT NULL in PostgreSQL whatever it declares.
            table.columns.push((column.clone(), kind.to_lowercase(), not_null == 1 || pk > 0));
            if pk > 0 {
                table.primary_key.insert(column);
            }
        }
        let indexes: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, origin) in indexes {
            let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                .bind(&index)
                .fetch_all(pool)
                .await
                .unwrap();
            match origin.as_str() {
                "u" => {
                    table.unique.insert(columns.join(","));
                }
                "c" => {
                    table.indexes.insert((index, unique == 1, columns.join(",")));
                }
                _ => {}
            }
        }
        schema.insert(name, table);
    }
    schema
}

#[cfg(postgres_tests)]
async fn postgres_schema(pool: &sqlx::PgPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        table.columns = columns.into_iter().map(|(c, kind, nullable)| (c, kind, nullable == "NO")).collect();
        let indexes: Vec<(String, bool, bool, Option<String>, String)> = sqlx::query_as(
            "SELECT c.relname::text, i.indisunique, i.indisprimary,
                    (SELECT k.contype::text FROM pg_constraint k WHERE k.conindid = i.indexrelid LIMIT 1),
                    array_to_string(ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY AS u(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum ORDER BY u.ord), ',')
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for (index, unique, primary, constraint, columns) in indexes {
            if primary {
                table.primary_key.extend(columns.split(',').map(String::from));
            } else if constraint.as_deref() == Some("u") {
                table.unique.insert(columns);
            } else if constraint.is_none() {
                table.indexes.insert((index, unique, columns));
            }
        }
        schema.insert(name, table);
    }
    schema
}

#[cfg(postgres_tests)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_migrate_to_the_same_schema() {
    use crate::support::{Kind, TestDatabase};
    use tukiverkko_store::Db;
    let (sqlite, postgres) = (TestDatabase::new(Kind::Sqlite).await, TestDatabase::new(Kind::Postgres).await);
    let (Db::Sqlite(lite), Db::Postgres(pg)) = (sqlite.open().await, postgres.open().await) else {
        panic!("one database of each kind");
    };
    let (lite, pg) = (sqlite_schema(&lite).await, postgres_schema(&pg).await);
    assert!(lite.len() >= 15, "{:?}", lite.keys());
    assert_eq!(lite.keys().collect::<Vec<_>>(), pg.keys().collect::<Vec<_>>(), "the same tables");
    for (name, table) in &lite {
        assert_eq!(Some(table), pg.get(name), "table {name}: SQLite left, PostgreSQL right");
    }
}

#[cfg(not(postgres_tests))]
#[test]
#[allow(non_snake_case)]
fn schema_drift_check_skipped_set_TUKIVERKKO_TEST_DATABASE_URL() {
    eprintln!("the schema-drift check needs PostgreSQL: set TUKIVERKKO_TEST_DATABASE_URL");
}
