//! The finder's query analysis and ranking on any query text, over a small
//! fixed index: never a panic, never more hits than asked for.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tukiverkko_search::{Document, Index, Query, analyze};

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let doc = |id: &str, bio: &str, topics: &[&str]| Document {
            id: id.into(),
            external_id: id.into(),
            name: format!("Asiantuntija {id}"),
            title: "psykologi".into(),
            organization: "Tampereen OT-keskus".into(),
            sector: "health".into(),
            county: "pirkanmaa".into(),
            centre: "tampere".into(),
            languages: vec!["fi".into(), "sv".into()],
            topics: topics.iter().map(|t| t.to_string()).collect(),
            methods: vec![],
            remote: true,
            accepts_consultations: true,
            capacity: 3,
            bio: bio.into(),
            ..Default::default()
        };
        Index::build([
            doc("a", "Kunniaan liittyvä väkivalta ja pakkoavioliitot.", &["honour_violence"]),
            doc("b", "Sijaishuollossa olevat nuoret, karkailu ja päihteet.", &["foster_care"]),
            doc("c", "Vårdnadstvister och umgängessabotage.", &["custody_disputes"]),
        ])
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (start, end, word) in analyze::words(&text) {
        assert!(start <= end && end <= text.len());
        let _ = analyze::keys(&word);
    }
    let query = Query { text: text.to_string(), limit: 5, ..Default::default() };
    let result = index().search(&query, &HashMap::new());
    assert!(result.hits.len() <= 5);
});
