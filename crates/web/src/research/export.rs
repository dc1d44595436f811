//! Research needs as CSV in a priority-setting template: the question, its
//! PICO fields, how many sources raised it, the evidence checked, its best
//! score in a prioritisation round and its status.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use tukiverkko_store::research::{self, NeedFilter};
use tukiverkko_store::spreadsheet::neutralise;

use crate::error::AppError;
use crate::state::AppState;

pub async fn csv(state: &AppState, filter: &NeedFilter) -> Result<Response, AppError> {
    let (needs, _) = research::list(&state.db, filter).await?;
    let scores = research::best_scores(&state.db, super::MIN_BALLOTS).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| AppError::Internal(format!("export failed: {e}"));
    out.write_record([
        "id",
        "question",
        "population",
        "intervention",
        "comparison",
        "outcome",
        "topics",
        "sources",
        "evidence",
        "score",
        "status",
        "result_url",
    ])
    .map_err(internal)?;
    for n in needs {
        let evidence = research::evidence(&state.db, &n.id)
            .await?
            .into_iter()
            .map(|e| format!("{} ({})", e.url, e.verdict))
            .collect::<Vec<_>>()
            .join(" | ");
        let score = scores.get(&n.id).map(|s| s.to_string()).unwrap_or_default();
        let sources = n.sources.to_string();
        let cells = [
            n.id.as_str(),
            n.title.as_str(),
            n.population.as_str(),
            n.intervention.as_str(),
            n.comparison.as_str(),
            n.outcome.as_str(),
            n.topics.as_str(),
            sources.as_str(),
            evidence.as_str(),
            score.as_str(),
            n.status.as_str(),
            n.result_url.as_deref().unwrap_or(""),
        ];
        out.write_record(cells.iter().map(|c| neutralise(c).into_owned())).map_err(internal)?;
    }
    let body = out.into_inner().map_err(|e| AppError::Internal(format!("export failed: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"research-needs.csv\""),
        ],
        body,
    )
        .into_response())
}
