//! Shows how the finder reads queries into concepts, for reviewing the
//! thesaurus: `cargo run -p tukiverkko-search --example interpret -- "query" …`

use tukiverkko_search::analyze::words;
use tukiverkko_search::thesaurus::THESAURUS;

fn main() {
    for query in std::env::args().skip(1) {
        let query_words: Vec<String> = words(&query).into_iter().map(|(_, _, w)| w).collect();
        println!("{query}");
        for i in THESAURUS.interpret(&query_words) {
            println!("  {:<22} {}", i.concept, i.matched.join(", "));
        }
    }
}
