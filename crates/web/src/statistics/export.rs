//! CSV and XLSX of exactly the figures a report shows: the rows are made
//! from the report after disclosure control, so a suppressed figure is
//! "<5" in the file too.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use tukiverkko_domain::disclosure::Figure;

use super::{ConsultationReport, Guarded, ServiceReport};
use crate::error::AppError;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn figure(f: Figure, threshold: u32) -> Cell {
    match f {
        Figure::Shown(n) => Cell::Number(n as f64),
        Figure::Suppressed => Cell::Text(format!("<{threshold}")),
    }
}

fn guarded(g: Guarded) -> Cell {
    g.value.map_or(Cell::Empty, Cell::Number)
}

/// The cells, then each dimension's totals (the other dimension's column
/// says "total"), then the grand total.
pub fn consultation_rows(r: &ConsultationReport) -> Vec<Vec<Cell>> {
    let mut rows = vec![
        r.by.iter().map(|d| Cell::Text(d.as_str().into())).chain([Cell::Text("count".into())]).collect::<Vec<_>>(),
    ];
    for (key, f) in &r.table.cells {
        rows.push(key.iter().map(|k| Cell::Text(k.clone())).chain([figure(*f, r.threshold)]).collect());
    }
    if r.by.len() > 1 {
        for (i, totals) in r.table.totals.iter().enumerate() {
            for (value, f) in totals {
                let mut row: Vec<Cell> = (0..r.by.len()).map(|_| Cell::Text("total".into())).collect();
                row[i] = Cell::Text(value.clone());
                row.push(figure(*f, r.threshold));
                rows.push(row);
            }
        }
    }
    let mut grand: Vec<Cell> = (0..r.by.len()).map(|_| Cell::Text("total".into())).collect();
    grand.push(figure(r.table.total, r.threshold));
    rows.push(grand);
    rows
}

pub fn service_rows(r: &ServiceReport) -> Vec<Vec<Cell>> {
    let header = [
        "centre",
        "cases",
        "median_days_to_answer",
        "p90_days_to_answer",
        "on_time_share",
        "usefulness_mean",
        "referral_avoided_share",
        "referral_initiated_share",
        "suppressed",
    ];
    let mut rows = vec![header.iter().map(|h| Cell::Text(h.to_string())).collect::<Vec<_>>()];
    for row in &r.rows {
        rows.push(vec![
            Cell::Text(row.centre.clone()),
            figure(row.cases, r.threshold),
            guarded(row.median_days_to_answer),
            guarded(row.p90_days_to_answer),
            guarded(row.on_time_share),
            guarded(row.usefulness_mean),
            guarded(row.referral_avoided_share),
            guarded(row.referral_initiated_share),
            Cell::Text(row.suppressed().to_string()),
        ]);
    }
    rows
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => tukiverkko_store::spreadsheet::neutralise(t).into_owned(),
        Cell::Number(n) => n.to_string(),
        Cell::Empty => String::new(),
    }
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("export failed: {e}"))
}

pub fn csv_response(name: &str, rows: Vec<Vec<Cell>>) -> Result<Response, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        out.write_record(row.iter().map(text)).map_err(internal)?;
    }
    let body = out.into_inner().map_err(internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
        ],
        body,
    )
        .into_response())
}

pub fn xlsx_response(name: &str, rows: Vec<Vec<Cell>>) -> Result<Response, AppError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(internal)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                // Written as a string cell, so no text is ever read as a formula.
                Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                Cell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(internal)?;
        }
    }
    let body = book.save_to_buffer().map_err(internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.xlsx\"")),
        ],
        body,
    )
        .into_response())
}
