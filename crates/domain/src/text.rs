//! Free text that users write: one set of rules for every text field of
//! every entity, on every path that writes it (API, pages, CLI, import).
//! A field is refused when it holds an identity code (also one disguised
//! with invisible characters, look-alike dashes or other digits), a control
//! character, or more characters than the field allows. Text that passes
//! is kept as typed, only trimmed.

use unicode_normalization::UnicodeNormalization;

use crate::codes::ValueError;
use crate::hetu;

/// Whether a field may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Names, titles, phone numbers, links: no tab or line break.
    One,
    /// Descriptions, questions, statements: tab and line breaks allowed.
    Many,
}

/// Limits shared by the entities, so a field of the same kind has the
/// same bound everywhere.
pub mod limits {
    pub const NAME: usize = 100;
    pub const SHORT: usize = 200;
    pub const PHONE: usize = 40;
    pub const LINK: usize = 2000;
    pub const REASON: usize = 2000;
    pub const LONG: usize = 20_000;
    pub const BIO: usize = 8000;
    /// A search query: long enough for a described situation.
    pub const QUERY: usize = 1000;
}

/// Checks `text` for the field and returns it trimmed.
pub fn check(field: &str, text: &str, max_chars: usize, lines: Lines) -> Result<String, ValueError> {
    if let Some(c) = text.chars().find(|&c| !allowed_char(c, lines)) {
        let what =
            if c == '\0' { "a NUL byte".to_string() } else { format!("the control character U+{:04X}", c as u32) };
        return Err(ValueError::new("control_character", format!("{field} contains {what}")));
    }
    if lone_carriage_return(text) {
        return Err(ValueError::new("control_character", format!("{field} contains a carriage return")));
    }
    let count = text.chars().count();
    if count > max_chars {
        return Err(ValueError::new(
            "too_long",
            format!("{field} is {count} characters long; at most {max_chars} are allowed"),
        ));
    }
    hetu::guard(field, text)?;
    Ok(text.trim().to_string())
}

/// [`check`], and the trimmed text must not be empty.
pub fn required(field: &str, text: &str, max_chars: usize, lines: Lines) -> Result<String, ValueError> {
    let text = check(field, text, max_chars, lines)?;
    if text.is_empty() {
        return Err(ValueError::new("required", format!("{field} must not be empty")));
    }
    Ok(text)
}

fn allowed_char(c: char, lines: Lines) -> bool {
    match c {
        '\t' | '\n' | '\r' => lines == Lines::Many,
        c => !c.is_control(),
    }
}

/// A carriage return is allowed only as part of CR LF (browsers send line
/// breaks so); alone it can split lines in calendars and CSV readers.
fn lone_carriage_return(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// Unicode's Default_Ignorable_Code_Point property: characters that render
/// as nothing (soft hyphen, zero-width space and joiners, bidi controls,
/// variation selectors, tag characters …).
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Characters drawn like a hyphen or minus, read as the century sign `-`.
fn is_dash_like(c: char) -> bool {
    matches!(
        c as u32,
        0x002D | 0x02D7 | 0x058A | 0x05BE | 0x1400 | 0x1806 | 0x2010
            ..=0x2015
                | 0x2043
                | 0x2212
                | 0x2796
                | 0x2E17
                | 0x2E1A
                | 0x2E3A
                | 0x2E3B
                | 0x2E40
                | 0x301C
                | 0x3030
                | 0x30A0
                | 0x30FC
                | 0xFE31
                | 0xFE32
                | 0xFE58
                | 0xFE63
                | 0xFF0D
                | 0xFF70
                | 0x10EAD
    )
}

/// Characters drawn like a plus sign, read as the century sign `+`.
fn is_plus_like(c: char) -> bool {
    matches!(c as u32, 0x002B | 0x02D6 | 0x2795 | 0x16ED | 0xFB29 | 0xFE62 | 0xFF0B)
}

/// First code points of Unicode's runs of decimal digits 0–9 that NFKC
/// leaves alone (Arabic-Indic, Devanagari, Thai …).
const DIGIT_ZEROS: [u32; 37] = [
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50,
    0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50,
    0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0x104A0, 0x1E950,
];

fn digit_value(c: char) -> Option<u32> {
    let cp = c as u32;
    DIGIT_ZEROS.iter().find(|&&zero| (zero..zero + 10).contains(&cp)).map(|zero| cp - zero)
}

/// Cyrillic and Greek capitals and small letters drawn like the Latin
/// letters an identity code uses.
fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'А' | 'а' | 'Α' => 'A',
        'В' | 'в' | 'Β' => 'B',
        'С' | 'с' | 'Ϲ' => 'C',
        'Е' | 'е' | 'Ε' => 'E',
        'Н' | 'н' | 'Η' => 'H',
        'Ј' | 'ј' => 'J',
        'К' | 'к' | 'Κ' => 'K',
        'М' | 'м' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'о' | 'Ο' | 'ο' => 'O',
        'Р' | 'р' | 'Ρ' => 'P',
        'Ѕ' | 'ѕ' => 'S',
        'Т' | 'т' | 'Τ' => 'T',
        'Х' | 'х' | 'Χ' => 'X',
        'У' | 'у' | 'Υ' | 'Ү' => 'Y',
        _ => return None,
    })
}

/// The text as a reader sees it, for scanning only: compatibility forms
/// folded (NFKC: full-width and mathematical digits, ligatures), invisible
/// characters dropped, dashes, plus signs, digits of other scripts and
/// Cyrillic or Greek look-alike letters mapped to what they resemble.
pub fn as_read(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_default_ignorable(c))
        .nfkc()
        .filter(|&c| !is_default_ignorable(c))
        .map(|c| {
            if c.is_ascii() {
                c
            } else if is_dash_like(c) {
                '-'
            } else if is_plus_like(c) {
                '+'
            } else if let Some(d) = digit_value(c) {
                char::from_digit(d, 10).expect("0–9")
            } else {
                latin_look_alike(c).unwrap_or(c)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_by_kind() {
        assert_eq!(check("bio", "a\0b", 10, Lines::Many).unwrap_err().code, "control_character");
        assert_eq!(check("bio", "a\u{7}b", 10, Lines::Many).unwrap_err().code, "control_character");
        assert_eq!(check("bio", "a\rb", 10, Lines::Many).unwrap_err().code, "control_character");
        assert_eq!(check("bio", "a\r\nb\tc\n", 10, Lines::Many).unwrap(), "a\r\nb\tc");
        assert_eq!(check("name", "a\nb", 10, Lines::One).unwrap_err().code, "control_character");
        assert_eq!(check("name", "a\u{85}b", 10, Lines::One).unwrap_err().code, "control_character");
        assert_eq!(check("name", " Äijä ", 10, Lines::One).unwrap(), "Äijä");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(check("n", "ääääå", 5, Lines::One).is_ok());
        assert_eq!(check("n", "ääääåö", 5, Lines::One).unwrap_err().code, "too_long");
        assert_eq!(required("n", "  ", 5, Lines::One).unwrap_err().code, "required");
    }

    #[test]
    fn the_text_as_read_undoes_disguises() {
        assert_eq!(as_read("13\u{AD}10\u{200B}52\u{2013}308\u{200D}T"), "131052-308T");
        assert_eq!(as_read("１３１０５２－３０８Ｔ"), "131052-308T");
        assert_eq!(as_read("١٣١٠٥٢-٣٠٨T"), "131052-308T");
        assert_eq!(as_read("010594У9032"), "010594Y9032");
        assert_eq!(as_read("Äiti ja lapsi"), "Äiti ja lapsi");
    }
}
