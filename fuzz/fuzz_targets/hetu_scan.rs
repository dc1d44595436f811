//! The identity-code scanner on any text: it never panics, and whatever it
//! finds the guard refuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tukiverkko_domain::hetu;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let found = hetu::find_in_text(&text);
    let guarded = hetu::guard("field", &text);
    if found.is_some() {
        assert!(guarded.is_err(), "a code the scanner finds is refused by the guard");
    }
    // The position counts characters of the text as a reader sees it.
    if let Some(at) = found {
        assert!(at + 11 <= tukiverkko_domain::text::as_read(&text).chars().count(), "the code lies inside the text");
    }
    let _ = hetu::is_valid(&text);
});
