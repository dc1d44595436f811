//! Held-out relevance: NDCG@10 of the finder, of PostgreSQL full-text
//! search and of a plain BM25 on the held-out set in `benches/heldout/`
//! (500 profiles, 150 graded queries, made independently of the tuning
//! corpus), in one run, every system on the same filtered candidates.
//!
//! `cargo bench -p tukiverkko --bench heldout` (PostgreSQL from
//! TUKIVERKKO_BENCH_DATABASE_URL or TUKIVERKKO_TEST_DATABASE_URL;
//! TUKIVERKKO_VOIKKO=off runs the finder without Voikko; BENCH_VERBOSE=1
//! prints every query's scores).
//!
//! The set is for measuring only (see `heldout/README.md`): report the
//! aggregate, never tune on its queries.

mod corpus;
mod pg;

use std::collections::HashMap;

use corpus::{Profile, document, fts_text, ndcg10};
use tukiverkko_domain::reference;
use tukiverkko_search::{Index, Query, voikko};
use tukiverkko_store::experts::NewProfile;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/heldout");
const QUERY_HEADER: [&str; 7] = ["id", "kinds", "lang", "query", "filters", "primary", "secondary"];
const KINDS: [&str; 9] =
    ["situation", "inflection", "compound", "typo", "swedish", "english", "finnish", "filtered", "single_topic"];

/// `;`-separated codes, empty parts dropped (check.py's `split`).
fn split(field: &str) -> Vec<String> {
    field.split(';').filter(|x| !x.is_empty()).map(String::from).collect()
}

fn flag(value: &str, what: &str) -> bool {
    match value {
        "true" => true,
        "false" => false,
        other => panic!("{what}: {other:?} is not true/false"),
    }
}

/// The held-out profiles as the product imports them: the same CSV parser
/// and profile rules as `tukiverkko import experts`.
fn load_profiles() -> Vec<Profile> {
    let file = std::fs::File::open(format!("{DIR}/experts.csv")).expect("experts.csv");
    let parsed = tukiverkko_store::experts_csv::parse(file, |_| {})
        .unwrap_or_else(|errors| panic!("experts.csv does not import: {errors:?}"));
    parsed
        .into_iter()
        .map(|new| {
            assert!(!new.topics.is_empty(), "{:?}: no topics", new.external_id);
            // `primary`/`secondary`/`method` are the tuning corpus's truth;
            // the grade here is the held-out rule over the codes instead.
            Profile {
                primary: new.topics[0].clone(),
                secondary: new.topics.get(1).cloned().unwrap_or_default(),
                method: new.methods.first().cloned().unwrap_or_default(),
                new,
            }
        })
        .collect()
}

struct HeldQuery {
    id: String,
    kinds: Vec<String>,
    text: String,
    filters: Vec<(String, String)>,
    primary: Vec<String>,
    secondary: Vec<String>,
}

fn load_queries() -> Vec<HeldQuery> {
    let mut reader = csv::Reader::from_path(format!("{DIR}/queries.csv")).expect("queries.csv");
    assert_eq!(reader.headers().unwrap(), &csv::StringRecord::from(QUERY_HEADER.to_vec()), "queries.csv header");
    reader
        .records()
        .map(|r| {
            let r = r.expect("queries.csv record");
            let filters = split(&r[4])
                .iter()
                .map(|pair| {
                    let (facet, value) = pair.split_once('=').unwrap_or_else(|| panic!("{}: filter {pair:?}", &r[0]));
                    (facet.to_string(), value.to_string())
                })
                .collect();
            HeldQuery {
                id: r[0].to_string(),
                kinds: split(&r[1]),
                text: r[3].trim().to_string(),
                filters,
                primary: split(&r[5]),
                secondary: split(&r[6]),
            }
        })
        .collect()
}

// --------------------------------------------------------------------------
// The grading rule: `passes` and `grade` of check.py, line for line.
// --------------------------------------------------------------------------

fn passes(q: &HeldQuery, p: &NewProfile) -> bool {
    let mut by_facet: Vec<(&str, Vec<&str>)> = Vec::new();
    for (facet, value) in &q.filters {
        match by_facet.iter_mut().find(|(f, _)| f == facet) {
            Some((_, values)) => values.push(value),
            None => by_facet.push((facet, vec![value])),
        }
    }
    let has = |list: &[String], v: &str| list.iter().any(|x| x == v);
    by_facet.iter().all(|(facet, values)| match *facet {
        "county" => values.contains(&p.county.as_str()),
        "centre" => values.contains(&p.centre.as_str()),
        "sector" => values.contains(&p.sector.as_str()),
        "language" => values.iter().any(|v| has(&p.languages, v)),
        "topic" => values.iter().any(|v| has(&p.topics, v)),
        "method" => values.iter().any(|v| has(&p.methods, v)),
        "remote" => values.contains(&if p.remote { "true" } else { "false" }),
        other => panic!("{}: unknown facet {other:?}", q.id),
    })
}

fn grade(q: &HeldQuery, p: &NewProfile) -> u32 {
    if !passes(q, p) {
        return 0;
    }
    let (main, rest) = p.topics.split_first().expect("a profile has a topic");
    let primary = |code: &String| q.primary.contains(code);
    let secondary = |code: &String| q.secondary.contains(code);
    if primary(main) || p.methods.iter().any(primary) {
        return 3;
    }
    if rest.iter().any(primary) || secondary(main) {
        return 2;
    }
    if rest.iter().any(secondary) {
        return 1;
    }
    0
}

// --------------------------------------------------------------------------
// The filters as one value per facet, for the finder and PostgreSQL.
// --------------------------------------------------------------------------

#[derive(Default)]
struct Filters {
    county: Option<String>,
    centre: Option<String>,
    sector: Option<String>,
    language: Option<String>,
    topic: Option<String>,
    method: Option<String>,
    remote: Option<bool>,
}

impl Filters {
    fn of(q: &HeldQuery) -> Filters {
        let mut f = Filters::default();
        for (facet, value) in &q.filters {
            let slot = match facet.as_str() {
                "county" => &mut f.county,
                "centre" => &mut f.centre,
                "sector" => &mut f.sector,
                "language" => &mut f.language,
                "topic" => &mut f.topic,
                "method" => &mut f.method,
                "remote" => {
                    assert!(f.remote.is_none(), "{}: remote given twice", q.id);
                    f.remote = Some(flag(value, "remote filter"));
                    continue;
                }
                other => panic!("{}: unknown facet {other:?}", q.id),
            };
            // The finder takes one value per facet; the rule's "either value"
            // for a repeated facet is not used by the set.
            assert!(slot.is_none(), "{}: facet {facet} given twice, the finder cannot express it", q.id);
            *slot = Some(value.clone());
        }
        f
    }
}

fn finder_query(q: &HeldQuery, limit: usize) -> Query {
    let f = Filters::of(q);
    Query {
        text: q.text.clone(),
        county: f.county,
        centre: f.centre,
        sector: f.sector,
        topic: f.topic,
        method: f.method,
        language: f.language,
        remote: f.remote,
        limit,
        offset: 0,
        // Anything else the finder's query learns keeps its default.
        ..Query::default()
    }
}

// --------------------------------------------------------------------------
// PostgreSQL: pg.rs's scratch database, 'finnish' configuration over the
// same text as the tuning bench (fts_text), ts_rank_cd, words OR-ed; a table
// of its own here so that every facet can be filtered on.
// --------------------------------------------------------------------------

async fn pg_load(pg: &pg::PgBaseline, profiles: &[Profile]) {
    sqlx::query(
        "CREATE TABLE heldout (id TEXT PRIMARY KEY, county TEXT NOT NULL, centre TEXT NOT NULL, sector TEXT NOT NULL,
         languages TEXT[] NOT NULL, topics TEXT[] NOT NULL, methods TEXT[] NOT NULL, remote BOOLEAN NOT NULL,
         doc tsvector NOT NULL)",
    )
    .execute(&pg.pool)
    .await
    .unwrap();
    let mut tx = pg.pool.begin().await.unwrap();
    for p in profiles {
        let n = &p.new;
        sqlx::query(
            "INSERT INTO heldout (id, county, centre, sector, languages, topics, methods, remote, doc)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_tsvector('finnish', $9))",
        )
        .bind(n.external_id.as_deref().unwrap())
        .bind(&n.county)
        .bind(&n.centre)
        .bind(&n.sector)
        .bind(&n.languages)
        .bind(&n.topics)
        .bind(&n.methods)
        .bind(n.remote)
        .bind(fts_text(n))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("CREATE INDEX heldout_doc ON heldout USING GIN (doc)").execute(&pg.pool).await.unwrap();
    sqlx::query("ANALYZE heldout").execute(&pg.pool).await.unwrap();
}

async fn pg_search(pg: &pg::PgBaseline, q: &HeldQuery) -> Vec<String> {
    let f = Filters::of(q);
    sqlx::query_scalar(
        "WITH q AS (SELECT NULLIF(replace(plainto_tsquery('finnish', $1)::text, '&', '|'), '')::tsquery AS query)
         SELECT id FROM heldout, q
         WHERE doc @@ q.query
           AND ($2::text IS NULL OR county = $2)
           AND ($3::text IS NULL OR centre = $3)
           AND ($4::text IS NULL OR sector = $4)
           AND ($5::text IS NULL OR $5 = ANY(languages))
           AND ($6::text IS NULL OR $6 = ANY(topics))
           AND ($7::text IS NULL OR $7 = ANY(methods))
           AND ($8::boolean IS NULL OR remote = $8)
         ORDER BY ts_rank_cd(doc, q.query) DESC, id LIMIT 10",
    )
    .bind(&q.text)
    .bind(f.county)
    .bind(f.centre)
    .bind(f.sector)
    .bind(f.language)
    .bind(f.topic)
    .bind(f.method)
    .bind(f.remote)
    .fetch_all(&pg.pool)
    .await
    .unwrap()
}

// --------------------------------------------------------------------------
// Plain BM25: k1 = 1.2, b = 0.75, idf ln(1 + (N − df + 0.5) / (df + 0.5));
// tokens are lower-cased alphanumeric words cut to their first five
// characters; one field: name, title, organisation, bio and the fi/sv/en
// labels of the profile's topics and methods. Each distinct query token
// counts once; statistics over the whole corpus, filters applied after.
// --------------------------------------------------------------------------

const K1: f64 = 1.2;
const B: f64 = 0.75;

fn bm25_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().take(5).collect())
        .collect()
}

fn bm25_text(p: &NewProfile) -> String {
    let mut parts =
        vec![format!("{} {}", p.given_name, p.family_name), p.title.clone(), p.organization.clone(), p.bio.clone()];
    for code in p.topics.iter().chain(&p.methods) {
        let e = reference::taxonomy_entry(code).unwrap_or_else(|| panic!("unknown code {code}"));
        parts.extend([e.label_fi.clone(), e.label_sv.clone(), e.label_en.clone()]);
    }
    parts.join(" ")
}

struct Bm25 {
    /// Per document: term frequencies and length in tokens.
    docs: Vec<(HashMap<String, u32>, usize)>,
    df: HashMap<String, u32>,
    avgdl: f64,
}

impl Bm25 {
    fn build(profiles: &[Profile]) -> Bm25 {
        let mut df: HashMap<String, u32> = HashMap::new();
        let docs: Vec<(HashMap<String, u32>, usize)> = profiles
            .iter()
            .map(|p| {
                let tokens = bm25_tokens(&bm25_text(&p.new));
                let mut tf: HashMap<String, u32> = HashMap::new();
                for t in &tokens {
                    *tf.entry(t.clone()).or_default() += 1;
                }
                for t in tf.keys() {
                    *df.entry(t.clone()).or_default() += 1;
                }
                (tf, tokens.len())
            })
            .collect();
        let avgdl = docs.iter().map(|(_, len)| *len as f64).sum::<f64>() / docs.len() as f64;
        Bm25 { docs, df, avgdl }
    }

    /// Indices of the ten best profiles among those `allowed`, ties by index
    /// (the profiles are in id order); profiles sharing no token are left out.
    fn search(&self, text: &str, allowed: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut terms = bm25_tokens(text);
        terms.sort();
        terms.dedup();
        let n = self.docs.len() as f64;
        let idf: Vec<(&String, f64)> = terms
            .iter()
            .filter_map(|t| self.df.get(t).map(|&df| (t, (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln())))
            .collect();
        let mut scored: Vec<(usize, f64)> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(i, _)| allowed(*i))
            .filter_map(|(i, (tf, len))| {
                let norm = K1 * (1.0 - B + B * *len as f64 / self.avgdl);
                let s: f64 = idf
                    .iter()
                    .filter_map(|(t, w)| tf.get(*t).map(|&f| w * f as f64 * (K1 + 1.0) / (f as f64 + norm)))
                    .sum();
                (s > 0.0).then_some((i, s))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.into_iter().take(10).map(|(i, _)| i).collect()
    }
}

// --------------------------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct Sums {
    n: usize,
    ours: f64,
    pg: f64,
    bm25: f64,
}

impl Sums {
    fn add(&mut self, ours: f64, pg: f64, bm25: f64) {
        self.n += 1;
        self.ours += ours;
        self.pg += pg;
        self.bm25 += bm25;
    }
    fn means(&self) -> (f64, f64, f64) {
        let n = self.n as f64;
        (self.ours / n, self.pg / n, self.bm25 / n)
    }
}

fn cell(v: f64) -> String {
    if v.is_nan() { "–".into() } else { format!("{v:.3}") }
}

#[tokio::main]
async fn main() {
    let mut corpus = load_profiles();
    corpus.sort_by(|a, b| a.new.external_id.cmp(&b.new.external_id));
    let queries = load_queries();
    let by_id: HashMap<String, usize> =
        corpus.iter().enumerate().map(|(i, p)| (p.new.external_id.clone().unwrap(), i)).collect();
    assert_eq!(by_id.len(), corpus.len(), "external ids are unique");

    let voikko_mode = if voikko::available() {
        "on (libvoikko loaded)"
    } else if std::env::var("TUKIVERKKO_VOIKKO").is_ok_and(|v| v == "off") {
        "off (TUKIVERKKO_VOIKKO=off)"
    } else {
        "off (libvoikko not found)"
    };
    let index = Index::build(corpus.iter().map(document));
    let bm25 = Bm25::build(&corpus);
    let baseline = pg::connect().await;
    if let Some(pg) = &baseline {
        pg_load(pg, &corpus).await;
    } else {
        println!("PostgreSQL baseline skipped: set TUKIVERKKO_BENCH_DATABASE_URL or TUKIVERKKO_TEST_DATABASE_URL");
    }

    let verbose = std::env::var("BENCH_VERBOSE").is_ok_and(|v| v == "1");
    let empty = HashMap::new();
    let mut overall = Sums::default();
    let mut per_kind: Vec<Sums> = vec![Sums::default(); KINDS.len()];
    let mut outside_filters = 0usize;
    let mut short = [0usize; 3];
    let mut judged = [0usize; 4];
    if verbose {
        println!("{:<7} {:<40} {:>10} {:>10} {:>10}", "id", "kinds", "tukiverkko", "postgres", "bm25");
    }
    for q in &queries {
        let all: Vec<u32> = corpus.iter().map(|p| grade(q, &p.new)).collect();
        let allowed: Vec<bool> = corpus.iter().map(|p| passes(q, &p.new)).collect();
        for g in &all {
            judged[*g as usize] += 1;
        }

        let hits = index.search(&finder_query(q, 10), &empty).hits;
        outside_filters += hits.iter().filter(|h| !allowed[by_id[&h.id]]).count();
        short[0] += (hits.len() < 10) as usize;
        let ranked: Vec<u32> = hits.iter().map(|h| all[by_id[&h.id]]).collect();
        let ours = ndcg10(&ranked, &all);

        let theirs = match &baseline {
            Some(pg) => {
                let ids = pg_search(pg, q).await;
                outside_filters += ids.iter().filter(|id| !allowed[by_id[*id]]).count();
                short[1] += (ids.len() < 10) as usize;
                let ranked: Vec<u32> = ids.iter().map(|id| all[by_id[id]]).collect();
                ndcg10(&ranked, &all)
            }
            None => f64::NAN,
        };

        let top = bm25.search(&q.text, |i| allowed[i]);
        short[2] += (top.len() < 10) as usize;
        let ranked: Vec<u32> = top.iter().map(|&i| all[i]).collect();
        let plain = ndcg10(&ranked, &all);

        overall.add(ours, theirs, plain);
        for (k, sums) in KINDS.iter().zip(per_kind.iter_mut()) {
            if q.kinds.iter().any(|x| x == k) {
                sums.add(ours, theirs, plain);
            }
        }
        if verbose {
            println!("{:<7} {:<40} {:>10.3} {:>10} {:>10.3}", q.id, q.kinds.join(";"), ours, cell(theirs), plain);
        }
    }
    if verbose {
        println!();
    }

    println!("held-out set: {} queries, {} profiles; Voikko {voikko_mode}", queries.len(), corpus.len());
    // The same line as check.py prints: a check that the rule is ported.
    println!("judgments over all queries: grade 3 {}, grade 2 {}, grade 1 {}", judged[3], judged[2], judged[1]);
    println!("mean NDCG@10 (gain 2^grade - 1, ideal over all profiles that pass the filters)");
    println!("{:<14} {:>7} {:>10} {:>10} {:>10}", "kind", "queries", "tukiverkko", "postgres", "bm25");
    let rows: Vec<(&str, Sums)> =
        KINDS.iter().copied().zip(per_kind.iter().copied()).chain(std::iter::once(("all", overall))).collect();
    for (kind, sums) in &rows {
        let (o, p, b) = sums.means();
        println!("{:<14} {:>7} {:>10.3} {:>10} {:>10.3}", kind, sums.n, o, cell(p), b);
    }
    println!(
        "fewer than 10 results: tukiverkko {}, postgres {}, bm25 {} queries",
        short[0],
        if baseline.is_some() { short[1].to_string() } else { "–".into() },
        short[2]
    );
    if outside_filters > 0 {
        println!("WARNING: {outside_filters} results outside the query's filters (the systems disagree with the rule)");
    }

    println!();
    println!("Markdown (Voikko {voikko_mode}):");
    println!();
    println!("| kind | queries | tukiverkko | PostgreSQL FTS | BM25 |");
    println!("|---|---:|---:|---:|---:|");
    for (kind, sums) in &rows {
        let (o, p, b) = sums.means();
        let kind = if *kind == "all" { "**all**".to_string() } else { kind.to_string() };
        println!("| {kind} | {} | {o:.3} | {} | {b:.3} |", sums.n, cell(p));
    }

    if let Some(pg) = baseline {
        pg.drop().await;
    }
}
