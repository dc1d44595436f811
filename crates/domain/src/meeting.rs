//! A network meeting of a case: when, how long, and where to join. The
//! time must lie in a sane window so that every page, invitation and feed
//! can show it, and the link must be an https address with nothing that
//! could break out of a calendar line.

use crate::codes::ValueError;
use crate::text::{self, Lines, limits};

/// How far in the past a start may be (a form filled in a minute ago).
pub const PAST_GRACE_SECONDS: i64 = 5 * 60;
/// How far ahead a meeting may be planned.
pub const MAX_YEARS_AHEAD: i64 = 3;
pub const MINUTES: std::ops::RangeInclusive<i64> = 5..=480;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub starts_at: i64,
    pub minutes: i64,
    pub link: String,
}

/// Checks a meeting against `now` (Unix seconds); the error names its field.
pub fn check(
    starts_at: i64,
    minutes: Option<i64>,
    link: &str,
    now: i64,
) -> Result<Meeting, (&'static str, ValueError)> {
    if starts_at < now - PAST_GRACE_SECONDS {
        return Err(("starts_at", ValueError::new("in_the_past", "the meeting cannot start in the past")));
    }
    if starts_at > now + MAX_YEARS_AHEAD * 366 * 86_400 {
        return Err((
            "starts_at",
            ValueError::new("too_far_ahead", format!("a meeting can be planned at most {MAX_YEARS_AHEAD} years ahead")),
        ));
    }
    let minutes = minutes
        .filter(|m| MINUTES.contains(m))
        .ok_or(("minutes", ValueError::new("out_of_range", "minutes must be 5–480")))?;
    let link = https_link("link", link).map_err(|e| ("link", e))?;
    Ok(Meeting { starts_at, minutes, link })
}

/// An absolute https URL with a host, no white space and no control
/// characters, kept as typed (trimmed).
pub fn https_link(field: &str, link: &str) -> Result<String, ValueError> {
    let link = text::required(field, link, limits::LINK, Lines::One)?;
    let bad = || ValueError::new("bad_link", format!("{field} must be an https:// address"));
    if link.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let url = url::Url::parse(&link).map_err(|_| bad())?;
    if url.scheme() != "https" || url.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn window_length_and_link() {
        let ok = check(NOW + 3600, Some(60), "https://meet.example.fi/r/1?x=ä", NOW).unwrap();
        assert_eq!(ok.minutes, 60);
        assert_eq!(check(NOW - 3600, Some(60), "https://a.fi", NOW).unwrap_err().0, "starts_at");
        assert_eq!(check(253_402_300_799, Some(60), "https://a.fi", NOW).unwrap_err().1.code, "too_far_ahead");
        assert_eq!(check(NOW + 60, Some(4), "https://a.fi", NOW).unwrap_err().0, "minutes");
        for bad in [
            "http://a.fi",
            "https://",
            "javascript:alert(1)",
            "https://a.fi/\r\nATTENDEE:mailto:x@y.fi",
            "https://a.fi/\nx",
            "https://a.fi/ x",
            "https://a.fi/\u{0}",
            "https://a.fi/\u{2028}x",
            "",
        ] {
            assert!(check(NOW + 60, Some(30), bad, NOW).is_err(), "{bad:?}");
        }
    }
}
