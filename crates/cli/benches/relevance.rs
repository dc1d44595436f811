//! Relevance: NDCG@10 of the finder and of PostgreSQL full-text search on
//! the same generated corpus and the same graded queries, in one run.
//!
//! `cargo bench -p tukiverkko --bench relevance` (PostgreSQL from
//! TUKIVERKKO_BENCH_DATABASE_URL or TUKIVERKKO_TEST_DATABASE_URL).

mod corpus;
mod pg;

use std::collections::HashMap;

use corpus::{Profile, QUERIES, document, finder_query, grade, ndcg10, profiles};
use tukiverkko_search::Index;

const CORPUS: usize = 600;

#[tokio::main]
async fn main() {
    let corpus = profiles(CORPUS, 2026);
    let by_id: HashMap<String, &Profile> = corpus.iter().map(|p| (p.new.external_id.clone().unwrap(), p)).collect();
    let index = Index::build(corpus.iter().map(document));
    let baseline = pg::connect().await;
    if let Some(pg) = &baseline {
        pg.load(&corpus).await;
    } else {
        println!("PostgreSQL baseline skipped: set TUKIVERKKO_BENCH_DATABASE_URL or TUKIVERKKO_TEST_DATABASE_URL");
    }
    let empty = HashMap::new();
    let (mut ours_sum, mut theirs_sum) = (0.0, 0.0);
    println!("{:<34} {:>10} {:>10}", "query", "tukiverkko", "postgres");
    for q in QUERIES {
        let all: Vec<u32> = corpus.iter().map(|p| grade(q, p)).collect();
        let ranked: Vec<u32> =
            index.search(&finder_query(q, 10), &empty).hits.iter().map(|h| grade(q, by_id[&h.id])).collect();
        let ours = ndcg10(&ranked, &all);
        if std::env::var("BENCH_DEBUG").is_ok_and(|d| d == q.text) {
            for h in index.search(&finder_query(q, 10), &empty).hits {
                let p = by_id[&h.id];
                println!("  {:.2} {} {} / {} · {}", h.score, h.id, p.primary, p.secondary, p.new.bio);
            }
        }
        ours_sum += ours;
        let theirs = match &baseline {
            Some(pg) => {
                let ids = pg.search(q).await;
                let ranked: Vec<u32> = ids.iter().map(|id| grade(q, by_id[id])).collect();
                ndcg10(&ranked, &all)
            }
            None => f64::NAN,
        };
        theirs_sum += theirs;
        println!("{:<34} {:>10.3} {:>10.3}", q.text, ours, theirs);
    }
    let n = QUERIES.len() as f64;
    let (ours, theirs) = (ours_sum / n, theirs_sum / n);
    println!();
    println!("queries: {}, profiles: {CORPUS}", QUERIES.len());
    println!("mean NDCG@10 tukiverkko: {ours:.3}");
    println!("mean NDCG@10 PostgreSQL FTS ('finnish', ts_rank_cd): {theirs:.3}");
    println!("difference: {:+.3} (target: at least +0.15)", ours - theirs);
    if let Some(pg) = baseline {
        pg.drop().await;
    }
}
