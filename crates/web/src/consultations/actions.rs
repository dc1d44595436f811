//! The case page's forms: one endpoint, the `action` field says which
//! move. Errors re-render the case page with the message by its field.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::CentreCode;
use tukiverkko_domain::calendar;
use tukiverkko_store::consultations::{self, Actor};

use super::api::MAX_TEXT;
use super::pages::{Shown, StatementDraft, case_page};
use super::{actor, new_feedback, new_meeting, new_statement, required_text};
use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{Lang, error_message};
use crate::ops::ClientInfo;
use crate::state::AppState;

/// The case page's actions, each with a `case-done-ACTION` message shown after it.
pub const DONE: [&str; 13] = [
    "submit",
    "cancel",
    "assign",
    "reroute",
    "decline",
    "accept",
    "statement",
    "feedback",
    "message",
    "meeting",
    "edit",
    "outcome",
    "barnahus",
];

/// The message for `?done=ACTION`, when it names one.
pub fn done_notice(lang: tukiverkko_domain::Language, uri: &axum::http::Uri) -> Option<String> {
    crate::templates::done_notice(lang, uri, "case-done", &DONE)
}

/// One endpoint for the case page's forms; the `action` field says which.
pub async fn act(
    State(state): State<AppState>,
    granted: Require<cap::SignedIn>,
    client: ClientInfo,
    headers: HeaderMap,
    Lang(lang): Lang,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let actor = actor(&state, &granted, &client, &headers).await?.expecting(fields.one("version").parse().ok());
    if fields.one("action") == "statement" && fields.one("step") == "preview" {
        return preview_statement(&state, &granted, lang, &actor, &id, &fields).await;
    }
    match perform(&state, &actor, &id, &fields).await {
        Ok(()) => {
            // A move can end the caller's part (a reroute to another centre,
            // a declined part): then the list says what happened, not a 404.
            let done = DONE.iter().find(|a| **a == fields.one("action")).copied().unwrap_or("saved");
            let target = if consultations::takes_part(&state.db, &id, &actor).await? {
                format!("/consultations/{id}?done={done}")
            } else {
                format!("/consultations?done={done}")
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(AppError::NotFound) => Err(AppError::NotFound),
        Err(err) => {
            let message = error_message(lang, &err);
            // A refused statement keeps what the lead wrote.
            let draft = (fields.one("action") == "statement").then(|| statement_draft(&fields));
            case_page(&state, &granted, lang, &actor, &id, Shown { error: Some(message), draft, ..Default::default() })
                .await
        }
    }
}

fn statement_draft(f: &FormFields) -> StatementDraft {
    StatementDraft {
        assessment: f.one("assessment"),
        recommendations: f.one("recommendations"),
        methods: f.all("suggested_methods"),
        follow_up: f.one("follow_up"),
    }
}

/// The statement as the requester will see it, checked by the same rule as
/// publishing, with the form kept for changes; nothing is saved.
async fn preview_statement(
    state: &AppState,
    granted: &Require<cap::SignedIn>,
    lang: tukiverkko_domain::Language,
    actor: &Actor,
    id: &str,
    f: &FormFields,
) -> Result<Response, AppError> {
    let draft = statement_draft(f);
    let shown = match new_statement(&draft.assessment, &draft.recommendations, &draft.methods, &draft.follow_up) {
        Ok(_) => Shown { draft: Some(draft), ..Default::default() },
        Err(err) => Shown { error: Some(error_message(lang, &err)), draft: Some(draft), ..Default::default() },
    };
    case_page(state, granted, lang, actor, id, shown).await
}

fn confirmed(fields: &FormFields) -> Result<(), AppError> {
    if fields.one("confirm") == "yes" {
        Ok(())
    } else {
        Err(AppError::Invalid { code: "confirm".into(), detail: "confirm first".into(), field: Some("confirm".into()) })
    }
}

async fn perform(state: &AppState, actor: &Actor, id: &str, f: &FormFields) -> Result<(), AppError> {
    let db = &state.db;
    match f.one("action").as_str() {
        "submit" => {
            consultations::submit(db, id, actor, &state.config.service_levels).await?;
        }
        "cancel" => {
            let reason = required_text("reason", &f.one("reason"), 2000)?;
            confirmed(f)?;
            consultations::cancel(db, id, actor, &reason).await?;
        }
        "assign" => {
            let experts = f.all("experts");
            let lead = f.one("lead");
            if experts.is_empty() {
                return Err(AppError::Invalid {
                    code: "required".into(),
                    detail: "experts".into(),
                    field: Some("experts".into()),
                });
            }
            consultations::assign(db, id, actor, &experts, &lead).await.map_err(|e| match e {
                tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("lead", v),
                other => other.into(),
            })?;
        }
        "reroute" => {
            let centre: CentreCode = f.one("centre").parse().map_err(|e| AppError::invalid("centre", e))?;
            let reason = required_text("reason", &f.one("reason"), 2000)?;
            consultations::reroute(db, id, actor, centre, &reason).await?;
        }
        "barnahus" => {
            // Opening the case to police and prosecution cannot be undone.
            confirmed(f).map_err(|_| AppError::Invalid {
                code: "confirm".into(),
                detail: "confirm first".into(),
                field: Some("confirm_barnahus".into()),
            })?;
            consultations::mark_barnahus(db, id, actor).await?;
        }
        "decline" => {
            let reason = required_text("reason", &f.one("reason"), 2000)?;
            confirmed(f)?;
            consultations::decline(db, id, actor, &reason).await?;
        }
        "accept" => {
            consultations::accept(db, id, actor).await?;
        }
        "statement" => {
            let s = new_statement(
                &f.one("assessment"),
                &f.one("recommendations"),
                &f.all("suggested_methods"),
                &f.one("follow_up"),
            )?;
            consultations::statement(db, id, actor, &s).await?;
        }
        "feedback" => {
            let yes_no = |name: &str| match f.one(name).as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
            let (outcome, referral, comment) = (f.one("outcome"), f.one("referral"), f.one("comment"));
            let fb = new_feedback(super::FeedbackInput {
                usefulness: f.one("usefulness").parse().ok(),
                referral_avoided: yes_no("referral_avoided"),
                would_ask_again: yes_no("would_ask_again"),
                comment: &comment,
                outcome: Some(outcome.as_str()).filter(|o| !o.is_empty()),
                referral: Some(referral.as_str()).filter(|r| !r.is_empty()),
            })?;
            consultations::feedback(db, id, actor, &fb).await?;
        }
        "outcome" => {
            let input = super::outcome_view::from_form(f);
            let (measured_on, measurement) = super::outcomes::check(&input, super::outcomes::today())?;
            consultations::record_outcome(db, id, actor, &measured_on, &measurement).await?;
        }
        "message" => {
            let body = required_text("body", &f.one("body"), MAX_TEXT)?;
            consultations::message(db, id, actor, &body).await?;
        }
        "meeting" => {
            // The form gives Helsinki local date and time.
            let starts = calendar::from_helsinki(&f.one("date"), &f.one("time")).ok_or_else(|| AppError::Invalid {
                code: "bad_time".into(),
                detail: "date".into(),
                field: Some("date".into()),
            })?;
            let mut meeting = new_meeting(starts, f.one("minutes").parse().ok(), &f.one("link"))?;
            // The form lists the case's people, all ticked; the organiser may
            // untick. Unticking everyone sends no `invite` at all, so the form
            // says it offered the choice.
            if f.one("invite_offered") == "yes" {
                meeting.invitees = Some(f.all("invite"));
            }
            consultations::schedule_meeting(db, id, actor, &meeting).await.map_err(|e| match e {
                tukiverkko_store::StoreError::Invalid(v) => AppError::invalid("invite", v),
                other => other.into(),
            })?;
        }
        _ => return Err(AppError::BadRequest { detail: "unknown action".into(), field: Some("action".into()) }),
    }
    Ok(())
}
