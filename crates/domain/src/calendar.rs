//! Working days and Finnish public holidays, for service-level due dates,
//! and Helsinki local time for display.

use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

/// Easter Sunday (anonymous Gregorian algorithm).
pub fn easter(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_calendar_date(year, Month::try_from(month as u8).expect("March or April"), day as u8)
        .expect("valid date")
}

/// Public holidays and the de facto days off (Midsummer Eve, Christmas Eve)
/// that fall on weekdays. Midsummer Day and All Saints' Day are always Saturdays.
pub fn is_holiday(date: Date) -> bool {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let fixed = matches!(
        (month, day),
        (Month::January, 1)
            | (Month::January, 6)
            | (Month::May, 1)
            | (Month::December, 6)
            | (Month::December, 24)
            | (Month::December, 25)
            | (Month::December, 26)
    );
    let easter = easter(year);
    let moving =
        date == easter - Duration::days(2) || date == easter + Duration::days(1) || date == easter + Duration::days(39);
    let midsummer_eve = month == Month::June && (19..=25).contains(&day) && date.weekday() == Weekday::Friday;
    fixed || moving || midsummer_eve
}

pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_holiday(date)
}

/// The date `days` working days after `start` (the start day itself does
/// not count, so a request on Friday with one day is due on Monday).
pub fn add_working_days(start: Date, days: u32) -> Date {
    let mut date = start;
    let mut left = days;
    while left > 0 {
        date = date.next_day().expect("dates stay in range");
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

/// Finland's offset: EET (+2), EEST (+3) from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC.
pub fn helsinki_offset(at: OffsetDateTime) -> UtcOffset {
    let utc = at.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let last_sunday = |month: Month| {
        let mut d = Date::from_calendar_date(year, month, 31).expect("March and October have 31 days");
        while d.weekday() != Weekday::Sunday {
            d = d.previous_day().expect("in range");
        }
        d.with_hms(1, 0, 0).expect("valid time").assume_utc()
    };
    let summer = utc >= last_sunday(Month::March) && utc < last_sunday(Month::October);
    UtcOffset::from_hms(if summer { 3 } else { 2 }, 0, 0).expect("valid offset")
}

/// A stored moment in Helsinki time. Whatever is stored renders: a moment
/// beyond what the calendar can show is clamped to its last day.
pub fn to_helsinki(unix: i64) -> OffsetDateTime {
    let last = OffsetDateTime::new_utc(Date::MAX.previous_day().expect("a day before the last"), time::Time::MIDNIGHT);
    let at = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH).min(last);
    let at =
        at.max(OffsetDateTime::new_utc(Date::MIN.next_day().expect("a day after the first"), time::Time::MIDNIGHT));
    at.checked_to_offset(helsinki_offset(at)).unwrap_or(at)
}

/// The moment a Helsinki wall-clock date (`YYYY-MM-DD`) and time (`HH:MM`)
/// name, as a form's date and time fields give them.
pub fn from_helsinki(date: &str, time_of_day: &str) -> Option<i64> {
    let local = format!("{}T{}:00", date.trim(), time_of_day.trim());
    let parsed =
        time::PrimitiveDateTime::parse(&local, &time::format_description::well_known::Iso8601::DEFAULT).ok()?;
    let guess = parsed.assume_utc();
    Some(parsed.assume_offset(helsinki_offset(guess)).unix_timestamp())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn helsinki_wall_clock_times_round_trip() {
        let winter = from_helsinki("2026-12-10", "13:00").unwrap();
        assert_eq!(winter, datetime!(2026-12-10 11:00 UTC).unix_timestamp());
        let summer = from_helsinki("2026-06-10", "13:00").unwrap();
        assert_eq!(summer, datetime!(2026-06-10 10:00 UTC).unix_timestamp());
        assert_eq!(to_helsinki(summer).hour(), 13);
        assert!(from_helsinki("2026-13-10", "13:00").is_none() && from_helsinki("2026-12-10", "").is_none());
    }

    #[test]
    fn any_stored_moment_renders() {
        for unix in [i64::MIN, -377_705_116_800, 0, 253_402_300_799, 253_402_300_799 + 86_400, i64::MAX] {
            let t = to_helsinki(unix);
            assert!(t.year() >= -9999 && t.year() <= 9999, "{unix}");
        }
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2026), date!(2026 - 04 - 05));
        assert_eq!(easter(2027), date!(2027 - 03 - 28));
        assert_eq!(easter(2025), date!(2025 - 04 - 20));
    }

    #[test]
    fn holidays_of_2026() {
        for d in [
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 06),
            date!(2026 - 04 - 03),
            date!(2026 - 04 - 06),
            date!(2026 - 05 - 01),
            date!(2026 - 05 - 14),
            date!(2026 - 06 - 19),
            date!(2026 - 12 - 24),
            date!(2026 - 12 - 25),
        ] {
            assert!(is_holiday(d), "{d}");
            assert!(!is_working_day(d), "{d}");
        }
        assert!(is_working_day(date!(2026 - 06 - 18)));
        assert!(!is_working_day(date!(2026 - 12 - 06)), "Independence Day 2026 is a Sunday anyway");
        assert!(is_holiday(date!(2027 - 12 - 06)) && date!(2027 - 12 - 06).weekday() == Weekday::Monday);
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Friday before Easter weekend 2026: Good Friday and Easter Monday are off.
        assert_eq!(add_working_days(date!(2026 - 04 - 02), 1), date!(2026 - 04 - 07));
        // Christmas 2026: Thu 24, Fri 25 off, weekend, Mon 28 is the first working day.
        assert_eq!(add_working_days(date!(2026 - 12 - 23), 1), date!(2026 - 12 - 28));
        assert_eq!(add_working_days(date!(2026 - 11 - 30), 5), date!(2026 - 12 - 07), "Independence Day on Sunday");
        assert_eq!(add_working_days(date!(2026 - 11 - 27), 1), date!(2026 - 11 - 30));
        assert_eq!(add_working_days(date!(2026 - 12 - 01), 15), date!(2026 - 12 - 22));
        assert_eq!(add_working_days(date!(2026 - 12 - 18), 5), date!(2026 - 12 - 29));
    }

    #[test]
    fn helsinki_time_follows_daylight_saving() {
        assert_eq!(helsinki_offset(datetime!(2026-01-15 12:00 UTC)).whole_hours(), 2);
        assert_eq!(helsinki_offset(datetime!(2026-07-15 12:00 UTC)).whole_hours(), 3);
        assert_eq!(helsinki_offset(datetime!(2026-03-29 00:59 UTC)).whole_hours(), 2);
        assert_eq!(helsinki_offset(datetime!(2026-03-29 01:00 UTC)).whole_hours(), 3);
        assert_eq!(helsinki_offset(datetime!(2026-10-25 01:00 UTC)).whole_hours(), 2);
    }
}
