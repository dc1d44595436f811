//! Names of codes in the user's language: centres, counties, taxonomy.

use tukiverkko_domain::{Language, reference};

pub fn taxonomy(lang: Language, code: &str) -> String {
    match reference::taxonomy_entry(code) {
        Some(e) => match lang {
            Language::Fi => e.label_fi.clone(),
            Language::Sv => e.label_sv.clone(),
            Language::En => e.label_en.clone(),
        },
        None => code.to_string(),
    }
}

/// Counties have Finnish and Swedish names; English uses the Finnish one.
pub fn county(lang: Language, code: &str) -> String {
    match reference::county(code) {
        Some(c) if lang == Language::Sv => c.name_sv.clone(),
        Some(c) => c.name_fi.clone(),
        None => code.to_string(),
    }
}

pub fn centre(lang: Language, code: &str) -> String {
    match reference::centres().iter().find(|c| c.code.as_str() == code) {
        Some(c) => match lang {
            Language::Fi => c.name_fi.clone(),
            Language::Sv => c.name_sv.clone(),
            Language::En => c.name_en.clone(),
        },
        None => code.to_string(),
    }
}

pub fn language_name(lang: Language, code: &str) -> String {
    let names: &[(&str, [&str; 3])] = &[
        ("fi", ["suomi", "finska", "Finnish"]),
        ("sv", ["ruotsi", "svenska", "Swedish"]),
        ("en", ["englanti", "engelska", "English"]),
        ("se", ["saame", "samiska", "Sami"]),
        ("ru", ["venäjä", "ryska", "Russian"]),
        ("ar", ["arabia", "arabiska", "Arabic"]),
        ("so", ["somali", "somaliska", "Somali"]),
        ("et", ["viro", "estniska", "Estonian"]),
    ];
    let i = match lang {
        Language::Fi => 0,
        Language::Sv => 1,
        Language::En => 2,
    };
    names.iter().find(|(c, _)| *c == code).map(|(_, n)| n[i].to_string()).unwrap_or_else(|| code.to_string())
}
