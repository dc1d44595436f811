//! The finder on a small corpus: inflected queries, cross-language terms,
//! typos, filters, facets, availability and consistency after changes.

use std::collections::HashMap;

use tukiverkko_search::{Document, Index, Query};

fn doc(id: &str, bio: &str, topics: &[&str], county: &str) -> Document {
    Document {
        id: id.into(),
        external_id: format!("x-{id}"),
        name: format!("Expert {id}"),
        title: "sosiaalityöntekijä".into(),
        organization: "Demo".into(),
        sector: "social".into(),
        county: county.into(),
        centre: "tampere".into(),
        languages: vec!["fi".into()],
        topics: topics.iter().map(|s| s.to_string()).collect(),
        methods: vec![],
        remote: true,
        accepts_consultations: true,
        capacity: 2,
        bio: bio.into(),
    }
}

fn corpus() -> Index {
    Index::build([
        doc("a", "Työskentelen kunniaväkivaltaan liittyvien uhkien parissa.", &[], "pirkanmaa"),
        doc("b", "Pitkittyneet huoltoriidat ja vieraannuttaminen.", &[], "pirkanmaa"),
        doc("c", "Syömishäiriöt nuorilla ja perheterapia.", &[], "lappi"),
        doc("d", "Koulupoissaolot ja oppimisen tuki.", &["school_absence"], "lappi"),
        doc("e", "Lastensuojelun avohuolto.", &["honour_violence"], "kainuu"),
    ])
}

fn ids(index: &Index, text: &str) -> Vec<String> {
    index
        .search(&Query { text: text.into(), ..Query::default() }, &HashMap::new())
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn inflected_finnish_finds_base_forms() {
    let index = corpus();
    // The profile coded for the concept comes first; the one whose bio says it
    // in another inflection right after it.
    assert_eq!(ids(&index, "kunniaväkivallan uhka")[..2], ["e", "a"]);
    assert_eq!(ids(&index, "huoltoriidoissa").first().map(String::as_str), Some("b"));
    assert_eq!(ids(&index, "syömishäiriöisten nuorten").first().map(String::as_str), Some("c"));
}

#[test]
fn taxonomy_labels_cross_languages() {
    let index = corpus();
    assert!(ids(&index, "hedersrelaterat våld").contains(&"e".to_string()), "Swedish label of honour_violence");
    assert!(ids(&index, "honour-based violence").contains(&"e".to_string()), "English synonym");
}

#[test]
fn one_typo_on_a_longer_word_is_forgiven() {
    let index = corpus();
    assert_eq!(ids(&index, "koulupoissaolto").first().map(String::as_str), Some("d"));
}

#[test]
fn filters_and_facets_combine_with_text() {
    let index = corpus();
    let q = Query { text: "".into(), county: Some("lappi".into()), ..Query::default() };
    let r = index.search(&q, &HashMap::new());
    assert_eq!(r.total, 2);
    assert_eq!(r.facets["county"].get("lappi"), Some(&2));
    assert_eq!(r.facets["county"].get("pirkanmaa"), None, "facets count the filtered result");
    let all = index.search(&Query::default(), &HashMap::new());
    assert_eq!(all.facets["county"]["pirkanmaa"], 2);
    assert_eq!(all.facets["remote"]["true"], 5);
}

#[test]
fn available_experts_rank_above_those_at_capacity() {
    let index = Index::build([doc("busy", "Barnahus", &[], "lappi"), doc("free", "Barnahus", &[], "lappi")]);
    let q = Query { text: "barnahus".into(), ..Query::default() };
    let mut load = HashMap::new();
    load.insert("free".to_string(), 2);
    assert_eq!(index.search(&q, &load).hits[0].id, "busy");
    load.clear();
    load.insert("busy".to_string(), 2);
    assert_eq!(index.search(&q, &load).hits[0].id, "free");
}

#[test]
fn updates_and_removals_show_at_once() {
    let mut index = corpus();
    index.remove("a");
    assert!(!ids(&index, "kunniaväkivalta").contains(&"a".to_string()), "a removed profile is never served");
    index.upsert(doc("b", "Radikalisoituminen", &[], "pirkanmaa"));
    assert!(ids(&index, "huoltoriita").is_empty());
    assert_eq!(ids(&index, "radikalisoitumisen"), ["b"]);
    assert_eq!(index.len(), 4);
}

#[test]
fn equal_scores_are_ordered_by_name_through_edits_and_removals() {
    let named = |id: &str, name: &str| Document { name: name.into(), ..doc(id, "Perheterapia.", &["trauma"], "lappi") };
    let mut index = Index::build([named("1", "Cecilia Ceder"), named("2", "Aino Aalto"), named("3", "Bertta Berg")]);
    let names = |index: &Index| -> Vec<String> {
        let hits = index.search(&Query { text: "trauma".into(), ..Query::default() }, &HashMap::new()).hits;
        hits.iter().map(|h| index.get(&h.id).unwrap().name.clone()).collect()
    };
    assert_eq!(names(&index), ["Aino Aalto", "Bertta Berg", "Cecilia Ceder"]);
    index.upsert(named("1", "Aada Aho"));
    assert_eq!(names(&index), ["Aada Aho", "Aino Aalto", "Bertta Berg"]);
    index.remove("2");
    index.upsert(named("4", "Ahti Aro"));
    index.upsert(named("3", "Öljy Öhman"));
    assert_eq!(names(&index), ["Aada Aho", "Ahti Aro", "Öljy Öhman"]);
}

#[test]
fn filters_and_facets_hold_past_sixty_four_codes_of_a_facet() {
    let code = |i: usize| format!("{}{}", (b'a' + (i / 26) as u8) as char, (b'a' + (i % 26) as u8) as char);
    let docs =
        (0..70).map(|i| Document { languages: vec![code(i)], ..doc(&i.to_string(), "Perheterapia.", &[], "lappi") });
    let index = Index::build(docs);
    for i in [0, 63, 64, 69] {
        let q = Query { text: "perheterapia".into(), language: Some(code(i)), ..Query::default() };
        let found = index.search(&q, &HashMap::new());
        assert_eq!(
            found.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>(),
            [i.to_string()],
            "language {}",
            code(i)
        );
        assert_eq!(found.facets["language"].get(&code(i)), Some(&1));
    }
    let all = index.search(&Query { text: "perheterapia".into(), ..Query::default() }, &HashMap::new());
    assert_eq!(all.facets["language"].len(), 70);
    assert!(all.facets["language"].values().all(|&n| n == 1));
}

#[test]
fn a_word_the_index_does_not_know_leaves_the_others_their_weight() {
    let index = corpus();
    let found = ids(&index, "huoltoriidat zqxjkw");
    assert_eq!(found.first().map(String::as_str), Some("b"), "{found:?}");
}

#[test]
fn dropping_every_concept_of_a_query_finds_nothing_rather_than_everyone() {
    let index = corpus();
    let q =
        Query { text: "kunniaväkivalta".into(), exclude_concepts: vec!["honour_violence".into()], ..Query::default() };
    let r = index.search(&q, &HashMap::new());
    assert_eq!(r.total, 0, "{:?}", r.hits.iter().map(|h| &h.id).collect::<Vec<_>>());
    assert!(r.interpretation.is_empty());
}

#[test]
fn the_relevance_floor_is_taken_among_the_filtered_profiles() {
    // A strong match outside the county must not push the local weak one out.
    let strong = "Huoltoriidat, huoltoriidat ja pitkittyneet huoltoriidat, vieraannuttaminen ja huoltoriidat.";
    let index = Index::build([
        doc("far", strong, &["custody_disputes"], "pirkanmaa"),
        doc("near", "Perhetyö, jossa joskus myös huoltoriita.", &[], "lappi"),
    ]);
    let q = Query { text: "huoltoriidat".into(), county: Some("lappi".into()), ..Query::default() };
    let r = index.search(&q, &HashMap::new());
    assert_eq!(r.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["near"]);
}
