//! Cost of analysis against input length: a profile and a query made of
//! one ever longer word, and of ever more ordinary words. Each size is
//! timed and compared with the smallest size scaled linearly (ratio 1.0 =
//! linear; the defect was quadratic, 78 s for one profile).
//!
//! `cargo bench -p tukiverkko-search --bench long_input`

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tukiverkko_search::{Document, Index, Query};

const SIZES: [usize; 6] = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

fn corpus() -> Index {
    let bios = [
        "Kunniaan liittyvän väkivallan ja pakkoavioliittojen asiantuntija, lastensuojelu ja sijaishuolto.",
        "Barnahus-yhteistyö, lasten seksuaalisen hyväksikäytön epäilyjen selvittäminen.",
        "Vårdnadstvister och umgängessabotage, stöd för socialarbetare.",
    ];
    Index::build((0..300).map(|i| Document {
        id: format!("e{i}"),
        name: format!("Asiantuntija {i}"),
        bio: bios[i % bios.len()].to_string(),
        sector: "social".into(),
        county: "pirkanmaa".into(),
        centre: "tampere".into(),
        topics: vec!["honour_violence".into()],
        ..Default::default()
    }))
}

fn timed(mut f: impl FnMut()) -> Duration {
    // The best of a few runs: the machine is shared.
    (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn long_word(n: usize) -> String {
    "kunniaväkivalta".chars().cycle().take(n).collect()
}

fn many_words(n: usize) -> String {
    "lapsi karkailee sijaisperheestä ja käyttää huumeita ".chars().cycle().take(n).collect()
}

fn report(what: &str, mut cost: impl FnMut(usize) -> Duration) {
    println!("\n{what}");
    println!("{:>8} {:>12} {:>16}", "chars", "time", "vs linear");
    let base = cost(SIZES[0]);
    for n in SIZES {
        let t = cost(n);
        let linear = base.as_secs_f64() * (n as f64 / SIZES[0] as f64);
        println!("{n:>8} {:>10.3}ms {:>15.2}x", t.as_secs_f64() * 1e3, t.as_secs_f64() / linear);
    }
}

fn main() {
    let mut index = corpus();
    let load = HashMap::new();
    for (name, text) in [("one word", long_word as fn(usize) -> String), ("ordinary words", many_words)] {
        report(&format!("profile bio of {name}: upsert"), |n| {
            let doc = Document { id: "long".into(), bio: text(n), ..Default::default() };
            timed(|| index.upsert(doc.clone()))
        });
        report(&format!("query of {name}: search over 300 profiles"), |n| {
            let q = Query { text: text(n), limit: 20, ..Default::default() };
            timed(|| {
                index.search(&q, &load);
            })
        });
    }
}
