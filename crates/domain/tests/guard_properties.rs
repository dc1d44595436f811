//! Property tests of the identity-code guard: a well-formed code is found
//! however it is disguised for the eye (invisible characters, look-alike
//! dashes and plus signs, full-width or other scripts' digits, Cyrillic
//! look-alike letters, lower case), and a code with a wrong check
//! character is never found, disguised or not.

use proptest::prelude::*;
use tukiverkko_domain::hetu;
use tukiverkko_domain::text::{self, Lines};

const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
const INVISIBLE: [char; 8] =
    ['\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{034F}', '\u{E0041}'];
const DASHES: [char; 9] =
    ['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}', '\u{FE63}', '\u{FF0D}'];

/// A well-formed code: (day, month, year, individual number).
fn code_parts() -> impl Strategy<Value = (u32, u32, u32, u32)> {
    (1800u32..2100, 1u32..=12, 1u32..=28, 2u32..=999).prop_map(|(y, m, d, n)| (d, m, y, n))
}

fn code(day: u32, month: u32, year: u32, n: u32, sign_pick: usize) -> String {
    let sign = match year / 100 {
        18 => "+",
        19 => ["-", "Y", "X", "W", "V", "U"][sign_pick % 6],
        _ => ["A", "B", "C", "D", "E", "F"][sign_pick % 6],
    };
    let number = (day * 10_000 + month * 100 + year % 100) as u64 * 1000 + n as u64;
    format!("{day:02}{month:02}{:02}{sign}{n:03}{}", year % 100, CHECK[(number % 31) as usize] as char)
}

/// The code as someone might type or paste it to slip past a filter.
fn disguise(code: &str, picks: &[u8]) -> String {
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        let pick = picks.get(i).copied().unwrap_or(0);
        let shown = match c {
            '-' => DASHES[pick as usize % DASHES.len()],
            '+' if pick % 2 == 1 => '\u{FF0B}',
            d if d.is_ascii_digit() => match pick % 4 {
                1 => char::from_u32(0xFF10 + d.to_digit(10).unwrap()).unwrap(),
                2 => char::from_u32(0x0660 + d.to_digit(10).unwrap()).unwrap(),
                _ => d,
            },
            'A' if pick % 3 == 1 => 'А',
            'C' if pick % 3 == 1 => 'С',
            'E' if pick % 3 == 1 => 'Е',
            l if pick % 3 == 2 => l.to_ascii_lowercase(),
            l => l,
        };
        out.push(shown);
        if pick % 5 == 0 && i + 1 < code.len() {
            out.push(INVISIBLE[(pick as usize / 5) % INVISIBLE.len()]);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_disguised_code_is_still_found(
        (day, month, year, n) in code_parts(),
        sign_pick in 0usize..6,
        picks in proptest::collection::vec(any::<u8>(), 11),
        before in "[a-zäö ]{0,12}",
        after in "[ .,;:!?]{1}[a-zäö ]{0,12}",
    ) {
        let code = code(day, month, year, n, sign_pick);
        prop_assert!(hetu::is_valid(&code), "{code} is made well-formed");
        let text = format!("{before} {} {after}", disguise(&code, &picks));
        prop_assert!(hetu::find_in_text(&text).is_some(), "{text:?} hides {code}");
        prop_assert_eq!(text::check("bio", &text, 1000, Lines::Many).unwrap_err().code, "identity_code");
    }

    #[test]
    fn a_wrong_check_character_passes_however_written(
        (day, month, year, n) in code_parts(),
        sign_pick in 0usize..6,
        shift in 1usize..31,
        picks in proptest::collection::vec(any::<u8>(), 11),
    ) {
        let good = code(day, month, year, n, sign_pick);
        let right = CHECK.iter().position(|&c| c as char == good.chars().last().unwrap()).unwrap();
        let wrong = format!("{}{}", &good[..10], CHECK[(right + shift) % 31] as char);
        prop_assert!(!hetu::is_valid(&wrong));
        let text = format!("viite {} tässä", disguise(&wrong, &picks));
        prop_assert!(hetu::find_in_text(&text).is_none(), "{text:?}");
        prop_assert!(text::check("bio", &text, 1000, Lines::Many).is_ok());
    }

    #[test]
    fn text_that_passes_is_kept_as_typed(s in "\\PC{0,200}") {
        if let Ok(kept) = text::check("bio", &s, 1000, Lines::Many) {
            prop_assert_eq!(kept, s.trim());
        }
    }
}
