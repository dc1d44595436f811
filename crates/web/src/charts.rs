//! Charts drawn on the server as SVG (plotters). Each stands beside a
//! table with the same numbers: the chart is for sighted readers at a
//! glance, the table carries the figures for everyone (screen readers too).
//! Statistics bars come from the figures after disclosure control: a
//! suppressed bar is left out and labelled "<5", as in the table.

use plotters::prelude::*;

/// One bar: its label and the shown count, `None` when suppressed.
pub struct Bar {
    pub label: String,
    pub value: Option<u64>,
}

/// Draws with plotters, or gives no chart: a chart is decoration beside
/// its table, so a drawing fault must never fail the page.
fn guarded(draw: impl FnOnce() -> String + std::panic::UnwindSafe) -> String {
    std::panic::catch_unwind(draw).unwrap_or_else(|_| {
        tracing::warn!("a chart could not be drawn; the table beside it still shows the figures");
        String::new()
    })
}

/// A horizontal bar chart, one row per bar, as an SVG document string.
pub fn bars(title: &str, bars: &[Bar], threshold: u32) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let title = title.to_string();
    let bars: Vec<(String, Option<u64>)> = bars.iter().map(|b| (b.label.clone(), b.value)).collect();
    guarded(move || draw_bars(&title, &bars, threshold))
}

fn draw_bars(title: &str, bars: &[(String, Option<u64>)], threshold: u32) -> String {
    let height = 40 + 26 * bars.len().max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let max = bars.iter().filter_map(|b| b.1).max().unwrap_or(1).max(1);
        let rows = bars.len().max(1) as u32;
        let chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(180)
            .build_cartesian_2d(0u64..max + max / 10 + 1, (0u32..rows).into_segmented());
        let Ok(mut chart) = chart else { return String::new() };
        let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let _ = chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(bars.len())
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw();
        let _ = chart.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
            let v = b.1?;
            let i = i as u32;
            Some(Rectangle::new(
                [(0, SegmentValue::Exact(i)), (v, SegmentValue::Exact(i + 1))],
                RGBColor(0, 83, 159).filled(),
            ))
        }));
        let _ = chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let text = b.1.map_or_else(|| format!("<{threshold}"), |v| v.to_string());
            Text::new(text, (b.1.unwrap_or(0), SegmentValue::CenterOf(i as u32)), ("sans-serif", 13))
        }));
        let _ = root.present();
    }
    svg
}

/// A line over dated values (an instrument's course over time), as SVG.
pub fn course(title: &str, points: &[(String, f64)]) -> String {
    if points.is_empty() {
        return String::new();
    }
    let (title, points) = (title.to_string(), points.to_vec());
    guarded(move || draw_course(&title, &points))
}

fn draw_course(title: &str, points: &[(String, f64)]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 220)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (low, high) = points.iter().fold((f64::MAX, f64::MIN), |(l, h), (_, v)| (l.min(*v), h.max(*v)));
        let pad = ((high - low) * 0.15).max(1.0);
        let n = points.len() as u32;
        let chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 14))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(40)
            .build_cartesian_2d((0u32..n.max(1)).into_segmented(), (low - pad)..(high + pad));
        let Ok(mut chart) = chart else { return String::new() };
        let dates: Vec<String> = points.iter().map(|(d, _)| d.clone()).collect();
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(points.len())
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => dates.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw();
        let line = points.iter().enumerate().map(|(i, (_, v))| (SegmentValue::CenterOf(i as u32), *v));
        let colour = RGBColor(0, 83, 159);
        let _ = chart.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)));
        let _ = chart.draw_series(line.map(|p| Circle::new(p, 4, colour.filled())));
        let _ = root.present();
    }
    svg
}
