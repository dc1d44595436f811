//! CSV cells that spreadsheets open safely. A cell beginning with `=`, `+`,
//! `-`, `@`, tab or carriage return is read as a formula by Excel and
//! LibreOffice (OWASP: CSV injection), so exports prefix it with `'`. A
//! cell already beginning with `'` gets one more, so [`restore`] undoes
//! [`neutralise`] exactly and the expert import reads its own export back.

use std::borrow::Cow;

fn starts_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The cell as written to a CSV meant for spreadsheets.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_formula(cell) || cell.starts_with('\'') { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The cell as it was before [`neutralise`]: one leading `'` is dropped
/// where neutralising would have added it; any other text is kept.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_formula(rest) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_neutral_cells() {
        for cell in ["=HYPERLINK(\"x\")", "+358 40 1", "-1", "@SUM(A1)", "\tx", "'quoted'", "''=1", "plain", "", "'a"] {
            let out = neutralise(cell);
            assert!(!starts_formula(&out), "{out}");
            assert_eq!(restore(&out), cell);
        }
        assert_eq!(restore("'plain start"), "'plain start", "a leading quote of someone else's file stays");
    }
}
