//! The shared identity-code vectors: every valid code is refused in free
//! text (also in lower case), every invalid one passes.

use tukiverkko_domain::hetu;

#[test]
fn shared_vectors_decide_validity_and_the_text_guard() {
    let mut reader =
        csv::Reader::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/hetu_vectors.csv")).unwrap();
    let mut checked = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let (code, valid, note) = (&row[0], &row[1] == "true", &row[2]);
        assert_eq!(hetu::is_valid(code), valid, "{code} ({note})");
        assert_eq!(hetu::is_valid(&code.to_lowercase()), valid, "lower-case {code}");
        let sentence = format!("Lapsen tunnus on {code}, ks. liite");
        assert_eq!(hetu::find_in_text(&sentence).is_some(), valid, "{code} in text");
        checked += 1;
    }
    assert!(checked >= 20, "vector file read: {checked} rows");
}
