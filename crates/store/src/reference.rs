//! Seeds the reference data (centres, counties, taxonomy) compiled into the
//! domain crate. Runs after every migration; labels are refreshed in place.

use tukiverkko_domain::reference;

use crate::{Db, Result, on_tx};

pub async fn seed(db: &Db) -> Result<()> {
    let mut tx = db.begin().await?;
    for c in reference::centres() {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO centres (code, name_fi, name_sv, name_en, host) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO UPDATE SET name_fi = excluded.name_fi, name_sv = excluded.name_sv,
                 name_en = excluded.name_en, host = excluded.host")
            .bind(c.code.as_str()).bind(&c.name_fi).bind(&c.name_sv).bind(&c.name_en).bind(&c.host)
            .execute(conn).await?.rows_affected());
    }
    for c in reference::counties() {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO counties (code, name_fi, name_sv, centre) VALUES ($1, $2, $3, $4)
             ON CONFLICT (code) DO UPDATE SET name_fi = excluded.name_fi, name_sv = excluded.name_sv, centre = excluded.centre")
            .bind(c.code).bind(&c.name_fi).bind(&c.name_sv).bind(c.centre.as_str())
            .execute(conn).await?.rows_affected());
    }
    for t in reference::taxonomy() {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO taxonomy (code, kind, label_fi, label_sv, label_en, synonyms_fi, synonyms_sv, synonyms_en)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, label_fi = excluded.label_fi, label_sv = excluded.label_sv,
                 label_en = excluded.label_en, synonyms_fi = excluded.synonyms_fi, synonyms_sv = excluded.synonyms_sv,
                 synonyms_en = excluded.synonyms_en")
            .bind(t.code).bind(t.kind.as_str()).bind(&t.label_fi).bind(&t.label_sv).bind(&t.label_en)
            .bind(t.synonyms_fi.join(";")).bind(t.synonyms_sv.join(";")).bind(t.synonyms_en.join(";"))
            .execute(conn).await?.rows_affected());
    }
    tx.commit().await
}

/// Counts of seeded reference rows: centres, counties, taxonomy entries.
pub async fn counts(db: &Db) -> Result<(i64, i64, i64)> {
    let q = "SELECT (SELECT COUNT(*) FROM centres), (SELECT COUNT(*) FROM counties), (SELECT COUNT(*) FROM taxonomy)";
    Ok(crate::on_db!(db, pool => sqlx::query_as(q).fetch_one(pool).await?))
}
