use proptest::prelude::*;

use super::*;

/// A one-dimensional table whose totals equal its cells.
fn one(values: &[(&str, u64)]) -> CountTable {
    let cells = values.iter().filter(|(_, v)| *v > 0).map(|(k, v)| (vec![k.to_string()], *v)).collect();
    let totals = vec![values.iter().map(|(k, v)| (k.to_string(), *v)).collect()];
    CountTable { dims: 1, cells, totals, total: values.iter().map(|(_, v)| v).sum() }
}

/// A two-dimensional table with exact row, column and grand totals.
fn two(values: &[(&str, &str, u64)]) -> CountTable {
    let mut totals = vec![BTreeMap::new(), BTreeMap::new()];
    for (a, b, v) in values {
        *totals[0].entry(a.to_string()).or_insert(0) += v;
        *totals[1].entry(b.to_string()).or_insert(0) += v;
    }
    let cells =
        values.iter().filter(|(_, _, v)| *v > 0).map(|(a, b, v)| (vec![a.to_string(), b.to_string()], *v)).collect();
    CountTable { dims: 2, cells, totals, total: values.iter().map(|(_, _, v)| v).sum() }
}

/// The keys of suppressed cells, and those of suppressed totals of `dim`.
fn hidden_cells(p: &Protected) -> Vec<String> {
    p.cells.iter().filter(|(_, f)| *f == Figure::Suppressed).map(|(k, _)| k.join("/")).collect()
}

fn hidden_totals(p: &Protected, dim: usize) -> Vec<&str> {
    p.totals[dim].iter().filter(|(_, f)| **f == Figure::Suppressed).map(|(k, _)| k.as_str()).collect()
}

#[test]
fn a_table_without_small_counts_is_shown_as_it_is() {
    let p = protect(&one(&[("a", 5), ("b", 7)]), DEFAULT_THRESHOLD);
    assert!(hidden_cells(&p).is_empty());
    assert_eq!(p.total, Figure::Shown(12));
    assert_eq!(p.totals[0]["b"], Figure::Shown(7));
}

#[test]
fn one_small_cell_takes_the_next_smallest_with_it() {
    let p = protect(&one(&[("a", 3), ("b", 10), ("c", 12), ("d", 10)]), 5);
    // b and d tie at 10; b comes first in key order.
    assert_eq!(hidden_cells(&p), ["a", "b"]);
    assert_eq!(hidden_totals(&p, 0), ["a", "b"]);
    assert_eq!(p.cells[2].1, Figure::Shown(12));
    assert_eq!(p.total, Figure::Shown(35));
}

#[test]
fn two_small_cells_that_add_up_to_their_count_are_not_enough() {
    // a + b = 12 − 10 = 2 would pin both to 1.
    let p = protect(&one(&[("a", 1), ("b", 1), ("c", 10)]), 5);
    assert_eq!(hidden_cells(&p), ["a", "b", "c"]);
    assert_eq!(p.total, Figure::Shown(12));
    // Two small cells summing to 2·(threshold − 1) would pin both to 4.
    let p = protect(&one(&[("a", 4), ("b", 4), ("c", 20), ("d", 30)]), 5);
    assert_eq!(hidden_cells(&p), ["a", "b", "c"]);
    // With a known sum that leaves room the pair protects itself.
    let p = protect(&one(&[("a", 2), ("b", 3), ("c", 20)]), 5);
    assert_eq!(hidden_cells(&p), ["a", "b"]);
}

#[test]
fn a_small_grand_total_hides_everything() {
    let p = protect(&one(&[("a", 1), ("b", 2)]), 5);
    assert_eq!(hidden_cells(&p), ["a", "b"]);
    assert_eq!(hidden_totals(&p, 0), ["a", "b"]);
    assert_eq!(p.total, Figure::Suppressed);
}

#[test]
fn a_small_cell_in_a_grid_hides_a_rectangle() {
    let table = two(&[("x", "p", 2), ("x", "q", 10), ("y", "p", 10), ("y", "q", 10)]);
    let p = protect(&table, 5);
    // Row x needs a second cell (x/q), column p too (y/p), and then column
    // q holds one hidden cell (x/q), so y/q goes as well.
    assert_eq!(hidden_cells(&p), ["x/p", "x/q", "y/p", "y/q"]);
    assert!(hidden_totals(&p, 0).is_empty() && hidden_totals(&p, 1).is_empty());
    assert_eq!(p.total, Figure::Shown(32));
}

#[test]
fn a_small_row_total_is_protected_among_the_row_totals() {
    let table = two(&[("x", "p", 1), ("x", "q", 2), ("y", "p", 10), ("y", "q", 10), ("z", "p", 7), ("z", "q", 9)]);
    let p = protect(&table, 5);
    assert_eq!(p.totals[0]["x"], Figure::Suppressed);
    // The row totals add up to the grand total, so a second one goes: z (16) before y (20).
    assert_eq!(hidden_totals(&p, 0), ["x", "z"]);
    assert!(p.cells.iter().all(|(k, f)| k[0] == "y" || *f == Figure::Suppressed));
    assert_eq!(p.total, Figure::Shown(39));
}

#[test]
fn a_multi_valued_dimension_is_reasoned_about_as_if_exact() {
    // Cases with two topics: the topics add up to more than the total.
    let table = CountTable {
        dims: 1,
        cells: vec![(vec!["a".into()], 6), (vec!["b".into()], 7)],
        totals: vec![BTreeMap::from([("a".into(), 6), ("b".into(), 7)])],
        total: 10,
    };
    assert!(hidden_cells(&protect(&table, 5)).is_empty());
    let table = CountTable {
        dims: 1,
        cells: vec![(vec!["a".into()], 3), (vec!["b".into()], 8)],
        totals: vec![BTreeMap::from([("a".into(), 3), ("b".into(), 8)])],
        total: 9,
    };
    let p = protect(&table, 5);
    assert_eq!(hidden_cells(&p), ["a", "b"]);
    assert_eq!(p.total, Figure::Shown(9));
}

#[test]
fn the_threshold_decides_what_is_small() {
    let table = one(&[("a", 1), ("b", 4), ("c", 9)]);
    assert!(hidden_cells(&protect(&table, 0)).is_empty());
    assert!(hidden_cells(&protect(&table, 1)).is_empty());
    assert_eq!(hidden_cells(&protect(&table, 2)), ["a", "b"]);
    assert_eq!(hidden_cells(&protect(&table, 10)), ["a", "b", "c"]);
}

#[test]
fn cell_order_does_not_change_the_outcome() {
    let table = two(&[("x", "p", 2), ("x", "q", 6), ("y", "p", 7), ("y", "q", 3), ("z", "q", 8)]);
    let mut reversed = table.clone();
    reversed.cells.reverse();
    let mut a = hidden_cells(&protect(&table, 5));
    let mut b = hidden_cells(&protect(&reversed, 5));
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(protect(&table, 5), protect(&table, 5));
}

#[test]
fn means_need_enough_cases() {
    assert!(!enough(0, 5));
    assert!(!enough(4, 5));
    assert!(enough(5, 5));
    assert!(!enough(0, 0));
    assert!(enough(1, 0));
}

/// An attacker who knows every relation of an exact table and the shown
/// figures, and that every hidden figure is at least 1, reasons with
/// intervals over each line alone, over each pair of lines that share a
/// hidden figure and over all lines together. It must never pin a hidden
/// figure to one value.
mod attacker {
    use super::*;

    /// `Σ parts − sum = 0` over named figures.
    pub struct Relation {
        pub parts: Vec<usize>,
        pub sum: usize,
    }

    /// Figures of the protected table, in the order cells, totals, grand total.
    pub fn figures(p: &Protected) -> Vec<Figure> {
        p.cells
            .iter()
            .map(|(_, f)| *f)
            .chain(p.totals.iter().flat_map(|m| m.values().copied()))
            .chain([p.total])
            .collect()
    }

    pub fn relations(t: &CountTable) -> Vec<Relation> {
        let mut relations = Vec::new();
        let grand = t.cells.len() + t.totals.iter().map(BTreeMap::len).sum::<usize>();
        let mut offset = t.cells.len();
        for (d, map) in t.totals.iter().enumerate() {
            for (j, key) in map.keys().enumerate() {
                let parts = (0..t.cells.len()).filter(|&c| &t.cells[c].0[d] == key).collect();
                relations.push(Relation { parts, sum: offset + j });
            }
            relations.push(Relation { parts: (offset..offset + map.len()).collect(), sum: grand });
            offset += map.len();
        }
        relations.push(Relation { parts: (0..t.cells.len()).collect(), sum: grand });
        relations
    }

    /// Bounds `[low, high]` (high `None` = unbounded) of the hidden figures.
    pub fn solve(figures: &[Figure], relations: &[&Relation]) -> Vec<(u64, Option<u64>)> {
        let mut bounds: Vec<(u64, Option<u64>)> = vec![(1, None); figures.len()];
        for _ in 0..200 {
            let before = bounds.clone();
            for r in relations {
                let members: Vec<(usize, i128)> = r.parts.iter().map(|&p| (p, 1)).chain([(r.sum, -1)]).collect();
                for &(x, sx) in &members {
                    if figures[x] != Figure::Suppressed {
                        continue;
                    }
                    // sx·x = −Σ others (signed); bound the others' signed sum.
                    let (mut low, mut high) = (Some(0i128), Some(0i128));
                    for &(y, sy) in members.iter().filter(|(y, _)| *y != x) {
                        let (yl, yh) = match figures[y] {
                            Figure::Shown(v) => (Some(v as i128), Some(v as i128)),
                            Figure::Suppressed => (Some(bounds[y].0 as i128), bounds[y].1.map(|h| h as i128)),
                        };
                        let (tl, th) = if sy > 0 { (yl, yh) } else { (yh.map(|h| -h), yl.map(|l| -l)) };
                        low = low.zip(tl).map(|(a, b)| a + b);
                        high = high.zip(th).map(|(a, b)| a + b);
                    }
                    let (xl, xh) = if sx > 0 { (high.map(|h| -h), low.map(|l| -l)) } else { (low, high) };
                    if let Some(l) = xl.filter(|&l| l > bounds[x].0 as i128) {
                        bounds[x].0 = l as u64;
                    }
                    if let Some(h) = xh.filter(|&h| h >= 0) {
                        let h = h as u64;
                        bounds[x].1 = Some(bounds[x].1.map_or(h, |old| old.min(h)));
                    }
                }
            }
            if bounds == before {
                break;
            }
        }
        bounds
    }
}

fn exact_table() -> impl Strategy<Value = CountTable> {
    let count = prop_oneof![3 => 0u64..3, 3 => 0u64..8, 2 => 0u64..40];
    (1usize..=2, 1usize..=5, 1usize..=4, prop::collection::vec(count, 20)).prop_map(|(dims, rows, columns, counts)| {
        let columns = if dims == 1 { 1 } else { columns };
        let mut values = Vec::new();
        for r in 0..rows {
            for c in 0..columns {
                values.push((format!("r{r}"), format!("c{c}"), counts[r * columns + c]));
            }
        }
        let refs: Vec<(&str, &str, u64)> = values.iter().map(|(a, b, v)| (a.as_str(), b.as_str(), *v)).collect();
        if dims == 1 {
            let ones: Vec<(&str, u64)> = refs.iter().map(|(a, _, v)| (*a, *v)).collect();
            return one(&ones);
        }
        let mut table = two(&refs);
        // Values whose count is zero are left out of the totals as well.
        for map in &mut table.totals {
            map.retain(|_, v| *v > 0);
        }
        table
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_small_figure_is_shown_and_none_hidden_can_be_worked_out(table in exact_table(), threshold in 2u32..=6) {
        let p = protect(&table, threshold);
        let figures = attacker::figures(&p);
        let truth: Vec<u64> = table.cells.iter().map(|(_, v)| *v)
            .chain(table.totals.iter().flat_map(|m| m.values().copied())).chain([table.total]).collect();
        for (figure, value) in figures.iter().zip(&truth) {
            if let Figure::Shown(shown) = figure {
                prop_assert_eq!(shown, value);
                prop_assert!(*shown == 0 || *shown >= u64::from(threshold), "{} shown", shown);
            }
        }
        let relations = attacker::relations(&table);
        let mut groups: Vec<Vec<&attacker::Relation>> = relations.iter().map(|r| vec![r]).collect();
        for (i, a) in relations.iter().enumerate() {
            for b in &relations[i + 1..] {
                let shares = |x: &usize| *x == b.sum || b.parts.contains(x);
                if a.parts.iter().chain([&a.sum]).any(|x| shares(x) && figures[*x] == Figure::Suppressed) {
                    groups.push(vec![a, b]);
                }
            }
        }
        // And, stronger still, all relations at once.
        groups.push(relations.iter().collect());
        for group in groups {
            let bounds = attacker::solve(&figures, &group);
            for (i, figure) in figures.iter().enumerate() {
                if *figure == Figure::Suppressed {
                    let (low, high) = bounds[i];
                    prop_assert!(low <= truth[i] && high.is_none_or(|h| truth[i] <= h));
                    prop_assert!(high != Some(low), "figure {} pinned to {} in {:?}", i, low, p);
                }
            }
        }
    }
}
