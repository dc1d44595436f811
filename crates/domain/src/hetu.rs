//! The Finnish personal identity code (henkilötunnus) and the guard that
//! keeps it out of free text: consultations are pseudonymous by law and
//! design, so a well-formed code anywhere in a free-text field is refused.

pub(crate) const CHECK_CHARS: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
const CODE_LEN: usize = 11;

/// Century of birth encoded by the sign between date and individual number.
fn century(sign: char) -> Option<u32> {
    match sign.to_ascii_uppercase() {
        '+' => Some(1800),
        '-' | 'Y' | 'X' | 'W' | 'V' | 'U' => Some(1900),
        'A' | 'B' | 'C' | 'D' | 'E' | 'F' => Some(2000),
        _ => None,
    }
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(chars: &[char]) -> Option<u32> {
    chars.iter().try_fold(0u32, |acc, c| c.to_digit(10).map(|d| acc * 10 + d))
}

/// True when `code` is a well-formed identity code: a real date, a known
/// century sign, individual number 002–999 (900–999 are temporary codes,
/// still well-formed) and the right check character. Case-insensitive.
pub fn is_valid(code: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    chars.len() == CODE_LEN && is_valid_chars(&chars)
}

fn is_valid_chars(c: &[char]) -> bool {
    let (Some(day), Some(month), Some(yy)) = (digits(&c[0..2]), digits(&c[2..4]), digits(&c[4..6])) else {
        return false;
    };
    let Some(century) = century(c[6]) else {
        return false;
    };
    let Some(individual) = digits(&c[7..10]) else {
        return false;
    };
    let year = century + yy;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return false;
    }
    if individual < 2 {
        return false;
    }
    let number = (day * 10_000 + month * 100 + yy) as u64 * 1000 + individual as u64;
    let expected = CHECK_CHARS[(number % 31) as usize] as char;
    c[10].to_ascii_uppercase() == expected
}

/// Finds the first well-formed identity code in free text that is not part
/// of a longer run of letters and digits, in the text as a reader sees it
/// ([`crate::text::as_read`]: invisible characters, look-alike dashes and
/// other digits do not hide a code). Returns its character offset there.
pub fn find_in_text(text: &str) -> Option<usize> {
    let chars: Vec<char> = crate::text::as_read(text).chars().collect();
    if chars.len() < CODE_LEN {
        return None;
    }
    (0..=chars.len() - CODE_LEN).find(|&start| {
        let end = start + CODE_LEN;
        let bounded_before = start == 0 || !chars[start - 1].is_alphanumeric();
        let bounded_after = end == chars.len() || !chars[end].is_alphanumeric();
        bounded_before && bounded_after && is_valid_chars(&chars[start..end])
    })
}

/// Refuses free text that holds an identity code, naming the field.
pub fn guard(field: &str, text: &str) -> Result<(), crate::ValueError> {
    match find_in_text(text) {
        Some(_) => Err(crate::ValueError::new(
            "identity_code",
            format!("{field} contains a personal identity code; describe the child without it"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_code_only_on_word_boundaries() {
        assert_eq!(find_in_text("lapsi 131052-308T asuu"), Some(6));
        assert_eq!(find_in_text("hetu:131052-308t."), Some(5));
        assert_eq!(find_in_text("x131052-308T"), None);
        assert_eq!(find_in_text("131052-308T5"), None);
        assert_eq!(find_in_text("131052-308U"), None);
        assert_eq!(find_in_text("äiti ja 010594Y9032"), Some(8));
        assert_eq!(find_in_text(""), None);
        assert_eq!(find_in_text("131052\u{2212}308T"), Some(0), "minus sign as the century sign");
        assert_eq!(find_in_text("1310\u{FEFF}52-308T"), Some(0), "zero-width no-break space inside");
        assert_eq!(find_in_text("131052\u{2010}308U"), None, "a look-alike with a wrong check character passes");
    }
}
