//! PostgreSQL full-text search as the baseline: the same text per profile,
//! the 'finnish' configuration, ts_rank_cd, query words OR-ed so PostgreSQL
//! is not held back by requiring every word.
#![allow(dead_code)]

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::corpus::{BenchQuery, Profile, fts_text};

pub struct PgBaseline {
    pub pool: PgPool,
    admin: String,
    name: String,
}

pub async fn connect() -> Option<PgBaseline> {
    let admin = std::env::var("TUKIVERKKO_BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("TUKIVERKKO_TEST_DATABASE_URL"))
        .ok()?;
    let name = format!("tv_bench_{}", std::process::id());
    let admin_pool = PgPoolOptions::new().max_connections(1).connect(&admin).await.expect("PostgreSQL answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin_pool).await.unwrap();
    admin_pool.close().await;
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    let pool = PgPoolOptions::new().max_connections(4).connect(&format!("{base}/{name}")).await.unwrap();
    sqlx::query("CREATE TABLE profiles (id TEXT PRIMARY KEY, county TEXT NOT NULL, languages TEXT NOT NULL, doc tsvector NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    Some(PgBaseline { pool, admin, name })
}

impl PgBaseline {
    pub async fn load(&self, profiles: &[Profile]) {
        for chunk in profiles.chunks(1000) {
            let mut tx = self.pool.begin().await.unwrap();
            for p in chunk {
                sqlx::query(
                    "INSERT INTO profiles (id, county, languages, doc) VALUES ($1, $2, $3, to_tsvector('finnish', $4))",
                )
                .bind(p.new.external_id.as_deref().unwrap())
                .bind(&p.new.county)
                .bind(p.new.languages.join(";"))
                .bind(fts_text(&p.new))
                .execute(&mut *tx)
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
        }
        sqlx::query("CREATE INDEX profiles_doc ON profiles USING GIN (doc)").execute(&self.pool).await.unwrap();
        sqlx::query("ANALYZE profiles").execute(&self.pool).await.unwrap();
    }

    /// The ten best ids for a query.
    pub async fn search(&self, q: &BenchQuery) -> Vec<String> {
        sqlx::query_scalar(
            "WITH q AS (SELECT NULLIF(replace(plainto_tsquery('finnish', $1)::text, '&', '|'), '')::tsquery AS query)
             SELECT id FROM profiles, q
             WHERE doc @@ q.query AND ($2::text IS NULL OR county = $2) AND ($3::text IS NULL OR (';' || languages || ';') LIKE '%;' || $3 || ';%')
             ORDER BY ts_rank_cd(doc, q.query) DESC, id LIMIT 10",
        )
        .bind(q.text)
        .bind(q.county)
        .bind(q.language)
        .fetch_all(&self.pool)
        .await
        .unwrap()
    }

    pub async fn drop(self) {
        self.pool.close().await;
        let admin_pool = PgPoolOptions::new().max_connections(1).connect(&self.admin).await.unwrap();
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)))
            .execute(&admin_pool)
            .await;
    }
}
