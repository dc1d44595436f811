//! Soft warnings on free text that may identify a child or family: what
//! looks like a person's name, or an identity code written without its
//! century sign ("131052308T", "131052 - 308T"). A well-formed code is
//! refused outright by [`crate::text::check`]; these are only likely, so
//! the user removes them or confirms that the text is not identifying.

use crate::text::as_read;

/// Why a piece of text was flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suspicion {
    /// Two or more capitalised words in a row: Maija Meikäläinen.
    Name,
    /// A birth date and an individual number with a check character, but no
    /// century sign between them.
    IdentityCode,
}

impl Suspicion {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::IdentityCode => "identity_code",
        }
    }
}

/// One flagged piece of a text, as written there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub suspicion: Suspicion,
    pub excerpt: String,
}

/// Capitalised words that begin a name: an upper-case letter then lower-case ones.
fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && chars.clone().all(|c| c.is_lowercase() || c == '-' || c == '\'')
        && chars.any(char::is_lowercase)
}

/// Words that are capitalised without being names (sentence openers are
/// handled apart; these are common in the centres' texts).
const NOT_NAMES: &[&str] = &["Barnahus", "Kela", "Tays", "Hus", "Oys", "Kys", "Tyks", "Lapset", "Cool", "Kids"];

fn names(text: &str, out: &mut Vec<Warning>) {
    let tokens: Vec<&str> = text.split(|c: char| c.is_whitespace()).filter(|t| !t.is_empty()).collect();
    let mut i = 0;
    while i < tokens.len() {
        let word = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        let ends_sentence = |t: &str| t.ends_with(['.', '!', '?', ':']);
        let mut j = i;
        while j < tokens.len() && is_name_word(&word(tokens[j])) && !NOT_NAMES.contains(&word(tokens[j]).as_str()) {
            j += 1;
            if ends_sentence(tokens[j - 1]) {
                break;
            }
        }
        if j - i >= 2 {
            let excerpt = tokens[i..j].iter().map(|t| word(t)).collect::<Vec<_>>().join(" ");
            out.push(Warning { suspicion: Suspicion::Name, excerpt });
            i = j;
        } else {
            i += 1;
        }
    }
}

fn digits_at(chars: &[char], at: usize, n: usize) -> bool {
    at + n <= chars.len() && chars[at..at + n].iter().all(char::is_ascii_digit)
}

fn number(chars: &[char]) -> u32 {
    chars.iter().fold(0, |n, c| n * 10 + c.to_digit(10).unwrap_or(0))
}

/// The check character of a date and individual number (a phone number
/// of ten digits almost never has the right one).
fn expected_check(date: &[char], individual: &[char]) -> char {
    let n = number(date) as u64 * 1000 + number(individual) as u64;
    crate::hetu::CHECK_CHARS[(n % 31) as usize] as char
}

fn codes_without_century(text: &str, out: &mut Vec<Warning>) {
    let chars: Vec<char> = as_read(text).chars().collect();
    let mut i = 0;
    while i + 10 <= chars.len() {
        let starts_word = i == 0 || !chars[i - 1].is_alphanumeric();
        if !starts_word || !digits_at(&chars, i, 6) {
            i += 1;
            continue;
        }
        let (day, month) = (number(&chars[i..i + 2]), number(&chars[i + 2..i + 4]));
        // Spaces and at most one dash between the date and the number.
        let mut j = i + 6;
        let mut dashes = 0;
        while j < chars.len() && (chars[j] == ' ' || chars[j] == '-') {
            dashes += usize::from(chars[j] == '-');
            j += 1;
        }
        let gap = j - (i + 6);
        let check = chars.get(j + 3).copied().map(|c| c.to_ascii_uppercase());
        let plausible = (1..=31).contains(&day) && (1..=12).contains(&month);
        let ends_word = chars.get(j + 4).is_none_or(|c| !c.is_alphanumeric());
        // A lone dash with no spaces is a century sign: the hard rule's case.
        let century_sign = gap == 1 && dashes == 1;
        if plausible
            && dashes <= 1
            && !century_sign
            && digits_at(&chars, j, 3)
            && check.is_some_and(|c| c == expected_check(&chars[i..i + 6], &chars[j..j + 3]))
            && ends_word
        {
            out.push(Warning { suspicion: Suspicion::IdentityCode, excerpt: chars[i..j + 4].iter().collect() });
            i = j + 4;
        } else {
            i += 1;
        }
    }
}

/// What in `text` may identify someone.
pub fn warnings(text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    codes_without_century(text, &mut out);
    names(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Suspicion, String)> {
        warnings(text).into_iter().map(|w| (w.suspicion, w.excerpt)).collect()
    }

    #[test]
    fn codes_without_their_century_sign_are_flagged() {
        assert_eq!(kinds("tunnus 131052308T liitteessä"), [(Suspicion::IdentityCode, "131052308T".to_string())]);
        assert_eq!(kinds("131052 - 308T"), [(Suspicion::IdentityCode, "131052 - 308T".to_string())]);
        assert_eq!(kinds("131052 308T"), [(Suspicion::IdentityCode, "131052 308T".to_string())]);
        assert!(kinds("puhelin 0401234567").is_empty(), "not a date");
        assert!(kinds("vuonna 2024 kolme kertaa").is_empty());
    }

    #[test]
    fn names_are_capitalised_words_in_a_row() {
        assert_eq!(kinds("Äiti Maija Meikäläinen soitti."), [(Suspicion::Name, "Äiti Maija Meikäläinen".to_string())]);
        assert_eq!(kinds("Tapasimme Liisan kanssa"), [(Suspicion::Name, "Tapasimme Liisan".to_string())]);
        assert!(kinds("Nuori on sijoitettuna. Koulu on alkanut.").is_empty());
        assert!(kinds("Barnahus Tays kävi").is_empty(), "known capitalised words are not names");
        assert!(kinds("ADHD ja IPC").is_empty(), "acronyms are not names");
    }
}
