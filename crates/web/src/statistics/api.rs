//! Statistics over the API, as JSON or as CSV/XLSX of the same figures.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tukiverkko_domain::disclosure::Figure;
use tukiverkko_domain::statistics::parse_dimensions;
use utoipa::IntoParams;

use super::{
    ConsultationReport, Guarded, Period, ServiceReport, consultation_report, export, selection, service_report,
};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::state::AppState;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ConsultationQuery {
    /// One or two of centre, county, topic, urgency, format, month, status, comma-separated.
    pub by: Option<String>,
    /// First month, `YYYY-MM`.
    pub from: Option<String>,
    /// Last month, `YYYY-MM` (inclusive).
    pub to: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    /// `centre` (the only grouping).
    pub by: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

/// How a figure leaves the server: a number, or "<N" when it is suppressed.
pub fn figure_value(f: Figure, threshold: u32) -> Value {
    match f {
        Figure::Shown(n) => json!(n),
        Figure::Suppressed => json!(format!("<{threshold}")),
    }
}

pub fn consultation_json(r: &ConsultationReport) -> Value {
    let names: Vec<&str> = r.by.iter().map(|d| d.as_str()).collect();
    let cells: Vec<Value> = r
        .table
        .cells
        .iter()
        .map(|(key, f)| {
            let mut cell = Map::new();
            for (name, value) in names.iter().zip(key) {
                cell.insert(name.to_string(), json!(value));
            }
            cell.insert("count".into(), figure_value(*f, r.threshold));
            Value::Object(cell)
        })
        .collect();
    let mut totals = Map::new();
    for (name, dim) in names.iter().zip(&r.table.totals) {
        let by_value: Map<String, Value> =
            dim.iter().map(|(v, f)| (v.clone(), figure_value(*f, r.threshold))).collect();
        totals.insert(name.to_string(), Value::Object(by_value));
    }
    json!({
        "threshold": r.threshold,
        "by": names,
        "cells": cells,
        "totals": totals,
        "total": figure_value(r.table.total, r.threshold),
    })
}

fn guarded(g: Guarded) -> Value {
    g.value.map_or(Value::Null, |v| json!(v))
}

pub fn service_json(r: &ServiceReport) -> Value {
    let items: Vec<Value> = r
        .rows
        .iter()
        .map(|row| {
            json!({
                "centre": row.centre,
                "cases": figure_value(row.cases, r.threshold),
                "median_days_to_answer": guarded(row.median_days_to_answer),
                "p90_days_to_answer": guarded(row.p90_days_to_answer),
                "on_time_share": guarded(row.on_time_share),
                "usefulness_mean": guarded(row.usefulness_mean),
                "referral_avoided_share": guarded(row.referral_avoided_share),
                "referral_initiated_share": guarded(row.referral_initiated_share),
                "suppressed": row.suppressed(),
            })
        })
        .collect();
    let outcomes: Vec<Value> = r
        .outcomes
        .iter()
        .map(|o| {
            json!({
                "instrument": o.instrument,
                "clients": figure_value(o.clients, r.threshold),
                "mean_change": guarded(o.mean_change),
                "suppressed": o.mean_change.suppressed,
            })
        })
        .collect();
    json!({"threshold": r.threshold, "total": items.len(), "items": items, "outcomes": outcomes})
}

/// The export format asked for; anything else than json, csv or xlsx is a 422.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

pub fn format(asked: Option<&str>) -> Result<Format, AppError> {
    match asked.unwrap_or("json") {
        "json" | "" => Ok(Format::Json),
        "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        other => Err(AppError::Invalid {
            code: "invalid_value".into(),
            detail: format!("format '{other}' is not json, csv or xlsx"),
            field: Some("format".into()),
        }),
    }
}

/// Consultations counted by one or two dimensions; small counts are "<5" and
/// cells that would reveal them are suppressed too.
#[utoipa::path(get, path = "/api/v1/statistics/consultations", params(ConsultationQuery), security(("bearer" = [])),
    responses((status = 200, description = "counts after disclosure control", body = Object),
              (status = 422, description = "unknown dimension or month")))]
pub async fn consultations(
    State(state): State<AppState>,
    granted: Require<cap::ViewStatistics>,
    QueryParams(q): QueryParams<ConsultationQuery>,
) -> Result<Response, AppError> {
    let format = format(q.format.as_deref())?;
    let by = parse_dimensions(q.by.as_deref().unwrap_or("centre")).map_err(|e| AppError::invalid("by", e))?;
    let selection = selection(granted.account(), &Period { from: q.from, to: q.to })?;
    let report = consultation_report(&state, &selection, &by).await?;
    Ok(match format {
        Format::Json => Json(consultation_json(&report)).into_response(),
        Format::Csv => export::csv_response("consultations", export::consultation_rows(&report))?,
        Format::Xlsx => export::xlsx_response("consultations", export::consultation_rows(&report))?,
    })
}

/// Time to first answer, answers on time, usefulness and referral effects by
/// centre, and outcome change per instrument; a figure standing on fewer
/// cases than the threshold is null with "suppressed": true.
#[utoipa::path(get, path = "/api/v1/statistics/service", params(ServiceQuery), security(("bearer" = [])),
    responses((status = 200, description = "service figures after disclosure control", body = Object)))]
pub async fn service(
    State(state): State<AppState>,
    granted: Require<cap::ViewStatistics>,
    QueryParams(q): QueryParams<ServiceQuery>,
) -> Result<Response, AppError> {
    let format = format(q.format.as_deref())?;
    if let Some(by) = q.by.as_deref().filter(|b| *b != "centre") {
        return Err(AppError::Invalid {
            code: "invalid_value".into(),
            detail: format!("service figures are grouped by centre, not '{by}'"),
            field: Some("by".into()),
        });
    }
    let selection = selection(granted.account(), &Period { from: q.from, to: q.to })?;
    let report = service_report(&state, &selection).await?;
    Ok(match format {
        Format::Json => Json(service_json(&report)).into_response(),
        Format::Csv => export::csv_response("service", export::service_rows(&report))?,
        Format::Xlsx => export::xlsx_response("service", export::service_rows(&report))?,
    })
}
