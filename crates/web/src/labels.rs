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

/// `;`-separated taxonomy codes as their names, comma-separated.
pub fn taxonomy_list(lang: Language, codes: &str) -> String {
    codes.split(';').map(str::trim).filter(|c| !c.is_empty()).map(|c| taxonomy(lang, c)).collect::<Vec<_>>().join(", ")
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

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A calendar date (`YYYY-MM-DD`) as people write it in each language.
pub fn date(lang: Language, iso: &str) -> String {
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else { return iso.to_string() };
    match lang {
        Language::Fi | Language::Sv => format!("{d}.{m}.{y}"),
        Language::En => format!("{d} {} {y}", MONTHS_EN.get(m as usize - 1).unwrap_or(&"")),
    }
}

/// A moment (Unix seconds) in Helsinki time.
pub fn moment(lang: Language, unix: i64) -> String {
    let t = tukiverkko_domain::calendar::to_helsinki(unix);
    let day = date(lang, &t.date().to_string());
    match lang {
        Language::Fi => format!("{day} klo {}.{:02}", t.hour(), t.minute()),
        Language::Sv => format!("{day} kl. {}.{:02}", t.hour(), t.minute()),
        Language::En => format!("{day} {:02}:{:02}", t.hour(), t.minute()),
    }
}

/// A number as the reader writes it: decimal comma in Finnish and Swedish,
/// and a true minus sign.
pub fn decimal(lang: Language, v: f64) -> String {
    let rounded = (v * 1000.0).round() / 1000.0;
    let s = format!("{}", rounded.abs());
    let s = if lang == Language::En { s } else { s.replace('.', ",") };
    if rounded < 0.0 { format!("−{s}") } else { s }
}

/// A stored moment as RFC 3339 (UTC), as the API writes times; empty for
/// a moment the format cannot hold.
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_per_language_in_helsinki_time() {
        assert_eq!(date(Language::Fi, "2026-12-03"), "3.12.2026");
        assert_eq!(date(Language::En, "2026-12-03"), "3 Dec 2026");
        // 2026-12-03 08:00 UTC is 10.00 in Helsinki (EET), 2026-07-01 09:30 UTC 12.30 (EEST).
        assert_eq!(moment(Language::Fi, 1_796_284_800), "3.12.2026 klo 10.00");
        assert_eq!(moment(Language::Sv, 1_782_898_200), "1.7.2026 kl. 12.30");
        assert_eq!(moment(Language::En, 1_796_284_800), "3 Dec 2026 10:00");
    }
}
