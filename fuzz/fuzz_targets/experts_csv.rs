//! The expert import parser on any bytes: a list of line errors or
//! profiles, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tukiverkko_store::experts_csv;

fuzz_target!(|data: &[u8]| {
    match experts_csv::parse_lines(data, |_| {}) {
        Ok(rows) => {
            for (line, _) in &rows {
                assert!(*line >= 1);
            }
        }
        Err(errors) => assert!(!errors.is_empty(), "a refusal says why"),
    }
});
