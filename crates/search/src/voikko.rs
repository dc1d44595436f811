//! Finnish lemmas from Voikko, when the library is installed (Debian:
//! `libvoikko1 voikko-fi`). It is loaded at run time, so tukiverkko builds
//! and runs without it; with it, "huoltoriidoissa" and "huoltoriita" meet on
//! the lemma instead of only on a shared prefix.
//!
//! `TUKIVERKKO_VOIKKO=off` turns it off (to measure the difference).

use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::{LazyLock, Mutex};

use libloading::{Library, Symbol};

type Init = unsafe extern "C" fn(*mut *const c_char, *const c_char, *const c_char) -> *mut c_void;
type Analyze = unsafe extern "C" fn(*mut c_void, *const c_char) -> *mut *mut c_void;
type FreeAnalysis = unsafe extern "C" fn(*mut *mut c_void);
type Value = unsafe extern "C" fn(*const c_void, *const c_char) -> *mut c_char;
type FreeValue = unsafe extern "C" fn(*mut c_char);

struct Voikko {
    // Kept alive for the function pointers below.
    _library: Library,
    handle: *mut c_void,
    analyze: Analyze,
    free_analysis: FreeAnalysis,
    value: Value,
    free_value: FreeValue,
}

// The handle is used under the mutex only; Voikko handles are not shared
// between threads at once.
unsafe impl Send for Voikko {}

static VOIKKO: LazyLock<Option<Mutex<Voikko>>> = LazyLock::new(|| {
    if std::env::var("TUKIVERKKO_VOIKKO").is_ok_and(|v| v == "off") {
        return None;
    }
    match load() {
        Ok(v) => Some(Mutex::new(v)),
        Err(e) => {
            tracing::info!("Voikko not in use ({e}); Finnish words are matched by stems and prefixes");
            None
        }
    }
});

fn load() -> Result<Voikko, String> {
    // SAFETY: loading a system library by its soname; its initialisers are
    // Voikko's own.
    let library = unsafe { Library::new("libvoikko.so.1") }.map_err(|e| e.to_string())?;
    // SAFETY: the signatures are those of voikko.h (libvoikko 4).
    unsafe {
        let init: Symbol<Init> = library.get(b"voikkoInit\0").map_err(|e| e.to_string())?;
        let analyze: Symbol<Analyze> = library.get(b"voikkoAnalyzeWordCstr\0").map_err(|e| e.to_string())?;
        let free_analysis: Symbol<FreeAnalysis> =
            library.get(b"voikko_free_mor_analysis\0").map_err(|e| e.to_string())?;
        let value: Symbol<Value> = library.get(b"voikko_mor_analysis_value_cstr\0").map_err(|e| e.to_string())?;
        let free_value: Symbol<FreeValue> =
            library.get(b"voikko_free_mor_analysis_value_cstr\0").map_err(|e| e.to_string())?;
        let mut error: *const c_char = std::ptr::null();
        let handle = init(&mut error, c"fi".as_ptr(), std::ptr::null());
        if handle.is_null() {
            let message =
                if error.is_null() { "unknown error".into() } else { CStr::from_ptr(error).to_string_lossy() };
            return Err(format!("no Finnish dictionary: {message}"));
        }
        let (analyze, free_analysis, value, free_value) = (*analyze, *free_analysis, *value, *free_value);
        Ok(Voikko { _library: library, handle, analyze, free_analysis, value, free_value })
    }
}

/// Whether lemmas are in use.
pub fn available() -> bool {
    VOIKKO.is_some()
}

/// The base forms Voikko gives for a word (several when it is ambiguous),
/// lower-cased and without repeats; empty for unknown words or without Voikko.
pub fn lemmas(word: &str) -> Vec<String> {
    let Some(voikko) = VOIKKO.as_ref() else { return Vec::new() };
    let Ok(word) = CString::new(word) else { return Vec::new() };
    let v = voikko.lock().unwrap_or_else(|e| e.into_inner());
    let mut out: Vec<String> = Vec::new();
    // SAFETY: the analysis array is NULL-terminated and freed once below;
    // each value string is freed after it is copied.
    unsafe {
        let analyses = (v.analyze)(v.handle, word.as_ptr());
        if analyses.is_null() {
            return out;
        }
        let mut i = 0;
        while !(*analyses.add(i)).is_null() {
            let raw = (v.value)(*analyses.add(i), c"BASEFORM".as_ptr());
            if !raw.is_null() {
                let lemma = CStr::from_ptr(raw).to_string_lossy().to_lowercase();
                (v.free_value)(raw);
                if !out.contains(&lemma) {
                    out.push(lemma);
                }
            }
            i += 1;
        }
        (v.free_analysis)(analyses);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs where the library is installed; CI installs it and sets
    /// TUKIVERKKO_REQUIRE_VOIKKO so that a missing library fails there.
    #[test]
    fn lemmas_undo_inflection_and_gradation() {
        if !available() {
            assert!(std::env::var("TUKIVERKKO_REQUIRE_VOIKKO").is_err(), "Voikko is required here but did not load");
            eprintln!("Voikko not installed: lemma test skipped (apt-get install libvoikko1 voikko-fi)");
            return;
        }
        assert_eq!(lemmas("huoltoriidoissa"), ["huoltoriita"]);
        assert!(lemmas("kunniaväkivaltaan").contains(&"kunniaväkivalta".to_string()));
        assert!(lemmas("syömishäiriöisten").iter().any(|l| l.starts_with("syömishäiriö")));
        assert!(lemmas("xqzzy").is_empty());
    }
}
