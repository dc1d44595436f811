//! Statistical disclosure control for count tables. A published count of
//! 1 … threshold − 1 consultations could point at one child, so such
//! figures are suppressed (primary suppression), and so is every further
//! figure that would let a reader work a suppressed one out from the rest
//! of the same response (complementary suppression).
//!
//! The published figures are tied by additive relations, here called
//! lines: the cells of a row add up to the row's total, the per-value
//! totals of a dimension add up to the grand total, and so on. The reader
//! is modelled as someone who knows every line, every shown figure, that a
//! suppressed figure is at least 1 (zeros are public) and, to be safe, that
//! a figure suppressed for being small lies in 1 … threshold − 1. A line is
//! safe when that reader cannot pin any of its suppressed members to one
//! value; further suppression is added until every line is safe, and then
//! until reasoning across all lines together pins nothing either.
//!
//! A dimension such as `topic` can be multi-valued (a case counts under
//! each of its topics), so a line's parts may add up to more than its sum.
//! The reasoning then assumes the worst: that the reader knows the exact
//! excess, as if the relation held with equality.

use std::collections::{BTreeMap, VecDeque};

pub const DEFAULT_THRESHOLD: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Shown(u64),
    Suppressed,
}

/// A count table over 1 or 2 dimensions. Keys are the dimension values as
/// strings, one per dimension. Zero cells are left out by the caller (their
/// zero is public); `totals[d]` holds the count per value of dimension `d`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CountTable {
    pub dims: usize,
    pub cells: Vec<(Vec<String>, u64)>,
    pub totals: Vec<BTreeMap<String, u64>>,
    pub total: u64,
}

/// The table as it may be published: the same cells (in the same order),
/// totals and grand total, each shown or suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    pub cells: Vec<(Vec<String>, Figure)>,
    pub totals: Vec<BTreeMap<String, Figure>>,
    pub total: Figure,
}

/// A mean/median/share is shown only when at least `threshold` cases stand
/// behind it (and never over no cases at all).
pub fn enough(cases: u64, threshold: u32) -> bool {
    cases >= u64::from(threshold.max(1))
}

pub fn protect(table: &CountTable, threshold: u32) -> Protected {
    let mut figures = Figures::of(table, threshold);
    let lines = lines_of(table, &figures);
    complete(&mut figures, &lines);

    let mut next = 0..;
    let mut shown = |value: u64| {
        let i = next.next().expect("an endless range");
        if figures.suppressed[i] { Figure::Suppressed } else { Figure::Shown(value) }
    };
    let cells = table.cells.iter().map(|(key, value)| (key.clone(), shown(*value))).collect();
    let totals = table.totals.iter().map(|map| map.iter().map(|(k, v)| (k.clone(), shown(*v))).collect()).collect();
    let total = shown(table.total);
    Protected { cells, totals, total }
}

/// Lower bound and (when finite) upper bound of a figure.
type Interval = (i128, Option<i128>);

/// Every figure of the table in one list, in the order cells, totals by
/// dimension and key, grand total, so that lines can refer to them by
/// index.
struct Figures {
    values: Vec<u64>,
    suppressed: Vec<bool>,
    primary: Vec<bool>,
    threshold: u32,
}

impl Figures {
    fn of(table: &CountTable, threshold: u32) -> Self {
        let values: Vec<u64> = table
            .cells
            .iter()
            .map(|(_, v)| *v)
            .chain(table.totals.iter().flat_map(|map| map.values().copied()))
            .chain([table.total])
            .collect();
        let primary: Vec<bool> = values.iter().map(|&v| v >= 1 && v < u64::from(threshold)).collect();
        Self { suppressed: primary.clone(), values, primary, threshold }
    }

    /// What the reader knows of a suppressed figure before reading any
    /// line. With a threshold of 2 a small figure is exactly 1, so knowing
    /// which figures are small would reveal them whatever else is hidden;
    /// the bound is then left open, as it is for figures hidden to protect
    /// others.
    fn prior(&self, i: usize) -> Interval {
        if self.primary[i] && self.threshold >= 3 { (1, Some(i128::from(self.threshold) - 1)) } else { (1, None) }
    }
}

/// `Σ parts = sum`, where the parts are cells or per-value totals and the
/// sum a total. Parts are kept in key order, which breaks ties.
struct Line {
    parts: Vec<usize>,
    sum: usize,
}

impl Line {
    /// Every member with its sign in `Σ parts − sum`.
    fn terms(&self) -> impl Iterator<Item = (usize, i128)> + '_ {
        self.parts.iter().map(|&p| (p, 1)).chain([(self.sum, -1)])
    }
}

fn lines_of(table: &CountTable, figures: &Figures) -> Vec<Line> {
    let cells = table.cells.len();
    let grand = figures.values.len() - 1;
    let mut by_key: Vec<usize> = (0..cells).collect();
    by_key.sort_by(|&a, &b| table.cells[a].0.cmp(&table.cells[b].0));

    let mut lines = Vec::new();
    let mut first_total = cells;
    let mut total_lines = Vec::new();
    for (d, map) in table.totals.iter().enumerate().take(table.dims) {
        let indices = first_total..first_total + map.len();
        for (key, sum) in map.keys().zip(indices.clone()) {
            let parts: Vec<usize> = by_key.iter().copied().filter(|&c| table.cells[c].0.get(d) == Some(key)).collect();
            if !parts.is_empty() {
                lines.push(Line { parts, sum });
            }
        }
        if !map.is_empty() {
            total_lines.push(Line { parts: indices.collect(), sum: grand });
        }
        first_total += map.len();
    }
    lines.extend(total_lines);
    // Implied by the others when every dimension has its totals, but it is
    // the only relation of the cells when the caller gave none.
    if !by_key.is_empty() {
        lines.push(Line { parts: by_key, sum: grand });
    }
    lines
}

/// Complementary suppression to a fixed point: first line by line, then
/// across lines, until the reader can pin nothing.
fn complete(figures: &mut Figures, lines: &[Line]) {
    let priors: Vec<Interval> = (0..figures.values.len()).map(|i| figures.prior(i)).collect();
    loop {
        let mut changed = false;
        for line in lines {
            let pinned = narrow(line, figures, &priors).iter().any(|&(_, interval)| is_point(interval));
            if pinned && let Some(f) = to_suppress(line, figures) {
                figures.suppressed[f] = true;
                changed = true;
            }
        }
        if changed {
            continue;
        }
        match across_lines(figures, lines) {
            Some(f) => figures.suppressed[f] = true,
            None => return,
        }
    }
}

fn is_point((low, high): Interval) -> bool {
    high == Some(low)
}

/// What a line alone tells of each of its suppressed members, given what
/// is already known of them: each is the line's constant less the others.
/// The constant is taken from the true figures, so every interval holds the
/// true value (and with multi-valued dimensions the reader is assumed to
/// know the excess).
fn narrow(line: &Line, figures: &Figures, known: &[Interval]) -> Vec<(usize, Interval)> {
    let hidden: Vec<(usize, i128)> = line.terms().filter(|&(i, _)| figures.suppressed[i]).collect();
    let constant: i128 = hidden.iter().map(|&(i, sign)| sign * i128::from(figures.values[i])).sum();
    // Range of each signed term, and of their sum with the infinite ends
    // counted apart so that one term can be taken out again.
    let term = |i: usize, sign: i128| -> (Option<i128>, Option<i128>) {
        let (low, high) = known[i];
        if sign > 0 { (Some(low), high) } else { (high.map(|h| -h), Some(-low)) }
    };
    let (mut low_sum, mut low_open, mut high_sum, mut high_open) = (0i128, 0usize, 0i128, 0usize);
    for &(i, sign) in &hidden {
        match term(i, sign) {
            (Some(l), _) => low_sum += l,
            (None, _) => low_open += 1,
        }
        match term(i, sign) {
            (_, Some(h)) => high_sum += h,
            (_, None) => high_open += 1,
        }
    }
    hidden
        .iter()
        .map(|&(i, sign)| {
            let (own_low, own_high) = term(i, sign);
            let others_low = match own_low {
                Some(l) => (low_open == 0).then_some(low_sum - l),
                None => (low_open == 1).then_some(low_sum),
            };
            let others_high = match own_high {
                Some(h) => (high_open == 0).then_some(high_sum - h),
                None => (high_open == 1).then_some(high_sum),
            };
            // sign · value = constant − others
            let (signed_low, signed_high) = (others_high.map(|h| constant - h), others_low.map(|l| constant - l));
            let (low, high) =
                if sign > 0 { (signed_low, signed_high) } else { (signed_high.map(|h| -h), signed_low.map(|l| -l)) };
            let (known_low, known_high) = known[i];
            let low = low.map_or(known_low, |l| l.max(known_low));
            let high = match (high, known_high) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            (i, (low, high))
        })
        .collect()
}

/// The smallest shown non-zero part of the line (the first in key order
/// among equals), or its sum when no part is left to hide.
fn to_suppress(line: &Line, figures: &Figures) -> Option<usize> {
    let open = |i: &usize| !figures.suppressed[*i] && figures.values[*i] > 0;
    let part = line.parts.iter().copied().filter(open).min_by_key(|&p| figures.values[p]);
    part.or(Some(line.sum).filter(open))
}

/// Reasoning over all lines at once (interval propagation to a fixed
/// point): a figure pinned only by combining lines, such as a cell hidden
/// in both its row and its column, is found here. Returns the figure to
/// hide next, taken from the nearest line that still has one.
fn across_lines(figures: &Figures, lines: &[Line]) -> Option<usize> {
    let count = figures.values.len();
    let mut known: Vec<Interval> = (0..count).map(|i| figures.prior(i)).collect();
    // Intervals only shrink and always hold the true values, so this ends;
    // the cap bounds the rare slow shrinking by one per round.
    for _ in 0..2 * count + 16 {
        let mut changed = false;
        for line in lines {
            for (i, interval) in narrow(line, figures, &known) {
                if interval != known[i] {
                    known[i] = interval;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut lines_of_figure = vec![Vec::new(); count];
    for (l, line) in lines.iter().enumerate() {
        for (i, _) in line.terms() {
            lines_of_figure[i].push(l);
        }
    }
    (0..count).filter(|&i| figures.suppressed[i] && is_point(known[i])).find_map(|pinned| {
        // Breadth first over lines linked by suppressed figures: a shown
        // figure is a constant and carries nothing further.
        let mut seen = vec![false; lines.len()];
        let mut queue: VecDeque<usize> = lines_of_figure[pinned].iter().copied().collect();
        while let Some(l) = queue.pop_front() {
            if std::mem::replace(&mut seen[l], true) {
                continue;
            }
            if let Some(f) = to_suppress(&lines[l], figures) {
                return Some(f);
            }
            for (i, _) in lines[l].terms().filter(|&(i, _)| figures.suppressed[i]) {
                queue.extend(lines_of_figure[i].iter().filter(|&&next| !seen[next]));
            }
        }
        None
    })
}

#[cfg(test)]
mod tests;
