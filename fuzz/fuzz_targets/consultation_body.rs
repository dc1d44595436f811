//! A consultation request body as the API receives it: JSON of any shape
//! is refused with field errors or checked into a request, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tukiverkko_web::fuzzing::consultation_body(data);
});
