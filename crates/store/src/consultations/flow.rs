//! The moves of a case. Each opens the case (audited), checks the move
//! against the state machine, writes its own data and records the move.

use tukiverkko_domain::CentreCode;
use tukiverkko_domain::calendar;
use tukiverkko_domain::catalogue::Names;
use tukiverkko_domain::consultation::{
    Action, AnswerEffect, AssignmentState, ReferralEffect, ServiceLevels, Status, Urgency,
};
use tukiverkko_domain::notification::NotificationKind;

use super::{Actor, CaseRow, MeetingRow, Opened, notify};
use crate::{Db, Result, StoreError, now, on_tx, secrets};

/// Submits a draft; the due date counts working days from today in Helsinki,
/// by the response times of the service asked through, else by `levels`.
pub async fn submit(db: &Db, id: &str, actor: &Actor, levels: &ServiceLevels) -> Result<CaseRow> {
    let mut opened = Opened::open(db, id, actor, "consultation.submit").await?;
    let (_, to) = opened.check(Action::Submit)?;
    let t = now();
    let urgency = match opened.case.urgency.as_str() {
        "urgent" => Urgency::Urgent,
        "planned" => Urgency::Planned,
        _ => Urgency::Normal,
    };
    let promised: Option<(i64, i64, i64)> = match &opened.case.service_id {
        Some(service) => on_tx!(&mut opened.tx, conn => sqlx::query_as(
            "SELECT urgent_days, normal_days, planned_days FROM services WHERE id = $1")
            .bind(service).fetch_optional(conn).await?),
        None => None,
    };
    let levels = match promised {
        Some((urgent, normal, planned)) => {
            ServiceLevels { urgent: urgent as u32, normal: normal as u32, planned: planned as u32 }
        }
        None => *levels,
    };
    let due = calendar::add_working_days(calendar::to_helsinki(t).date(), levels.days(urgency));
    on_tx!(&mut opened.tx, conn => sqlx::query("UPDATE consultations SET submitted_at = $1, due_date = $2 WHERE id = $3")
        .bind(t).bind(due.to_string()).bind(id).execute(conn).await?.rows_affected());
    let centre = opened.case.centre.clone();
    notify_coordinators(&mut opened, &centre, NotificationKind::ConsultationSubmitted).await?;
    opened.finish(Action::Submit, to, None).await
}

async fn notify_coordinators(opened: &mut Opened, centre: &str, kind: NotificationKind) -> Result<()> {
    let coordinators: Vec<String> = on_tx!(&mut opened.tx, conn => sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'coordinator' AND u.centre = $1 AND NOT u.disabled")
        .bind(centre).fetch_all(conn).await?);
    let id = opened.case.id.clone();
    for user in coordinators {
        notify(&mut opened.tx, &user, kind, &id).await?;
    }
    Ok(())
}

/// Moves a submitted case to another centre, for its national specialty.
pub async fn reroute(db: &Db, id: &str, actor: &Actor, centre: CentreCode, reason: &str) -> Result<CaseRow> {
    let mut opened = Opened::open(db, id, actor, "consultation.reroute").await?;
    let (_, to) = opened.check(Action::Reroute)?;
    if opened.case.centre == centre.as_str() {
        return Err(StoreError::Conflict(format!("the consultation is already at the {centre} centre")));
    }
    on_tx!(&mut opened.tx, conn => sqlx::query("UPDATE consultations SET centre = $1 WHERE id = $2")
        .bind(centre.as_str()).bind(id).execute(conn).await?.rows_affected());
    notify_coordinators(&mut opened, centre.as_str(), NotificationKind::ConsultationRerouted).await?;
    let note = format!("{} → {}: {reason}", opened.case.centre, centre);
    opened.finish(Action::Reroute, to, Some(&note)).await
}

/// Assigns one expert or a panel with a lead; replaces an earlier assignment.
pub async fn assign(db: &Db, id: &str, actor: &Actor, experts: &[String], lead: &str) -> Result<CaseRow> {
    Ok(assign_panel(db, id, actor, experts, Some(lead), &[]).await?.0)
}

/// [`assign`] with teams: their members join the panel after the named
/// experts, and without a named lead the first team's lead leads. The
/// teams are named on the case (returned with it).
pub async fn assign_panel(
    db: &Db,
    id: &str,
    actor: &Actor,
    experts: &[String],
    lead: Option<&str>,
    teams: &[String],
) -> Result<(CaseRow, Vec<(String, Names)>)> {
    let mut opened = Opened::open(db, id, actor, "consultation.assign").await?;
    let (_, to) = opened.check(Action::Assign)?;
    let members = crate::teams::members_for_case(&mut opened.tx, teams).await?;
    let mut panel: Vec<String> = experts.to_vec();
    panel.extend(members.iter().map(|(e, _)| e.clone()).filter(|e| !experts.contains(e)));
    let experts = panel.as_slice();
    let team_lead = members.iter().find(|(_, lead)| *lead).or(members.first()).map(|(e, _)| e.as_str());
    let Some(lead) = lead.or(team_lead) else {
        return Err(tukiverkko_domain::ValueError::new("required", "name the lead, or assign a team with one").into());
    };
    if experts.is_empty() {
        return Err(tukiverkko_domain::ValueError::new("required", "assign at least one expert or team").into());
    }
    if !experts.iter().any(|e| e == lead) {
        return Err(
            tukiverkko_domain::ValueError::new("lead_not_in_panel", "the lead must be one of the experts").into()
        );
    }
    // Per expert of the new panel, their account (when they have one).
    let mut users: Vec<Option<String>> = Vec::new();
    // The history names the panel, lead first, as the directory had them.
    let mut names = Vec::new();
    for expert in experts {
        let row: Option<(Option<String>, String, String)> = on_tx!(&mut opened.tx, conn => sqlx::query_as(
            "SELECT user_id, given_name, family_name FROM experts WHERE id = $1").bind(expert).fetch_optional(conn).await?);
        match row {
            None => {
                return Err(tukiverkko_domain::ValueError::new(
                    "unknown_expert",
                    format!("no expert with id {expert}"),
                )
                .into());
            }
            Some((user, given, family)) => {
                users.push(user);
                let name = format!("{given} {family}");
                if expert == lead { names.insert(0, name) } else { names.push(name) }
            }
        }
    }
    let t = now();
    // Who is on the panel now (not declined) keeps their part and its state
    // (an accepted part stays accepted); only newcomers are told.
    let staying: Vec<String> = on_tx!(&mut opened.tx, conn => sqlx::query_scalar(
        "SELECT expert_id FROM consultation_experts WHERE consultation_id = $1 AND state <> 'declined'")
        .bind(id).fetch_all(conn).await?);
    for gone in staying.iter().filter(|e| !experts.contains(e)) {
        on_tx!(&mut opened.tx, conn => sqlx::query("DELETE FROM consultation_experts WHERE consultation_id = $1 AND expert_id = $2")
            .bind(id).bind(gone).execute(conn).await?.rows_affected());
    }
    for expert in experts {
        let stays = staying.contains(expert);
        on_tx!(&mut opened.tx, conn => sqlx::query(
            "INSERT INTO consultation_experts (consultation_id, expert_id, is_lead, state, assigned_at) VALUES ($1, $2, $3, 'assigned', $4)
             ON CONFLICT (consultation_id, expert_id) DO UPDATE SET is_lead = excluded.is_lead,
                 state = CASE WHEN $5 THEN consultation_experts.state ELSE 'assigned' END,
                 reason = CASE WHEN $5 THEN consultation_experts.reason ELSE NULL END,
                 assigned_at = CASE WHEN $5 THEN consultation_experts.assigned_at ELSE excluded.assigned_at END")
            .bind(id).bind(expert).bind(expert == lead).bind(t).bind(stays).execute(conn).await?.rows_affected());
    }
    for (expert, user) in experts.iter().zip(&users) {
        if let Some(user) = user
            && !staying.contains(expert)
        {
            notify(&mut opened.tx, user, NotificationKind::ConsultationAssigned, id).await?;
        }
    }
    crate::teams::set_case_teams(&mut opened.tx, id, teams).await?;
    let named = crate::teams::case_teams_in(&mut opened.tx, id).await?;
    let note = names.join("; ");
    Ok((opened.finish(Action::Assign, to, Some(&note)).await?, named))
}

/// An assigned expert accepts their part.
pub async fn accept(db: &Db, id: &str, actor: &Actor) -> Result<CaseRow> {
    let mut opened = Opened::open(db, id, actor, "consultation.accept").await?;
    let (_, to) = opened.check(Action::Accept)?;
    set_assignment_state(&mut opened, AssignmentState::Accepted, None).await?;
    opened.finish(Action::Accept, to, None).await
}

async fn set_assignment_state(opened: &mut Opened, state: AssignmentState, reason: Option<&str>) -> Result<()> {
    let expert = opened.actor.expert_id.clone().ok_or(StoreError::Forbidden)?;
    on_tx!(&mut opened.tx, conn => sqlx::query(
        "UPDATE consultation_experts SET state = $1, reason = $2 WHERE consultation_id = $3 AND expert_id = $4")
        .bind(state.as_str()).bind(reason).bind(&opened.case.id).bind(&expert).execute(conn).await?.rows_affected());
    Ok(())
}

/// Declines with a reason. An assigned expert declines their part (when
/// the lead declines, the case returns to the coordinator's queue); a
/// coordinator of the holding centre declines the whole request.
pub async fn decline(db: &Db, id: &str, actor: &Actor, reason: &str) -> Result<CaseRow> {
    use tukiverkko_domain::consultation::Party;
    let mut opened = Opened::open(db, id, actor, "consultation.decline").await?;
    let as_expert = opened.parties.iter().any(|p| matches!(p, Party::LeadExpert | Party::PanelExpert));
    if as_expert {
        let action = Action::DeclineAssignment { leaves_no_lead: opened.parties.contains(&Party::LeadExpert) };
        let (_, to) = opened.check(action)?;
        set_assignment_state(&mut opened, AssignmentState::Declined, Some(reason)).await?;
        let centre = opened.case.centre.clone();
        notify_coordinators(&mut opened, &centre, NotificationKind::AssignmentDeclined).await?;
        opened.finish(action, to, Some(reason)).await
    } else {
        let (_, to) = opened.check(Action::DeclineCase)?;
        let requester = opened.case.requester_id.clone();
        notify(&mut opened.tx, &requester, NotificationKind::ConsultationDeclined, id).await?;
        opened.finish(Action::DeclineCase, to, Some(reason)).await
    }
}

pub async fn cancel(db: &Db, id: &str, actor: &Actor, reason: &str) -> Result<CaseRow> {
    let opened = Opened::open(db, id, actor, "consultation.cancel").await?;
    let (_, to) = opened.check(Action::Cancel)?;
    opened.finish(Action::Cancel, to, Some(reason)).await
}

#[derive(Debug, Clone)]
pub struct NewStatement {
    pub assessment: String,
    pub recommendations: String,
    pub suggested_methods: Vec<String>,
    pub follow_up: String,
}

/// The lead's statement; it also counts as the lead accepting the case.
pub async fn statement(db: &Db, id: &str, actor: &Actor, s: &NewStatement) -> Result<CaseRow> {
    let mut opened = Opened::open(db, id, actor, "consultation.statement").await?;
    let (_, to) = opened.check(Action::Statement)?;
    on_tx!(&mut opened.tx, conn => sqlx::query(
        "INSERT INTO consultation_statements (consultation_id, author_id, assessment, recommendations, suggested_methods, follow_up, at, first_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (consultation_id) DO UPDATE SET author_id = excluded.author_id, assessment = excluded.assessment,
             recommendations = excluded.recommendations, suggested_methods = excluded.suggested_methods,
             follow_up = excluded.follow_up, at = excluded.at")
        .bind(id).bind(&actor.account.id).bind(&s.assessment).bind(&s.recommendations)
        .bind(s.suggested_methods.join(";")).bind(&s.follow_up).bind(now())
        .execute(conn).await?.rows_affected());
    set_assignment_state(&mut opened, AssignmentState::Accepted, None).await?;
    let requester = opened.case.requester_id.clone();
    notify(&mut opened.tx, &requester, NotificationKind::ConsultationAnswered, id).await?;
    opened.finish(Action::Statement, to, None).await
}

#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub usefulness: u8,
    pub referral_avoided: bool,
    pub would_ask_again: Option<bool>,
    pub comment: String,
    pub outcome: Option<AnswerEffect>,
    pub referral: Option<ReferralEffect>,
}

/// The requester closes the case with feedback.
pub async fn feedback(db: &Db, id: &str, actor: &Actor, f: &NewFeedback) -> Result<CaseRow> {
    let mut opened = Opened::open(db, id, actor, "consultation.feedback").await?;
    let (_, to) = opened.check(Action::Feedback)?;
    on_tx!(&mut opened.tx, conn => sqlx::query(
        "INSERT INTO consultation_feedback (consultation_id, usefulness, referral_avoided, would_ask_again, comment, at, outcome, referral)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(id).bind(f.usefulness as i64).bind(f.referral_avoided).bind(f.would_ask_again).bind(&f.comment).bind(now())
        .bind(f.outcome.map(AnswerEffect::as_str)).bind(f.referral.map(ReferralEffect::as_str))
        .execute(conn).await?.rows_affected());
    opened.finish(Action::Feedback, to, None).await
}

/// A message to the case thread; everyone else on the case is notified.
pub async fn message(db: &Db, id: &str, actor: &Actor, body: &str) -> Result<String> {
    let mut opened = Opened::open(db, id, actor, "consultation.message").await?;
    let (_, to) = opened.check(Action::Message)?;
    let message_id = secrets::new_id();
    on_tx!(&mut opened.tx, conn => sqlx::query(
        "INSERT INTO consultation_messages (id, consultation_id, author_id, body, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&message_id).bind(id).bind(&actor.account.id).bind(body).bind(now())
        .execute(conn).await?.rows_affected());
    for user in participants(&mut opened).await? {
        if user != actor.account.id {
            notify(&mut opened.tx, &user, NotificationKind::ConsultationMessage, id).await?;
        }
    }
    debug_assert_eq!(to, opened.case.status());
    opened.tx.commit().await?;
    Ok(message_id)
}

/// Users taking part: the requester and the assigned experts with accounts.
async fn participants(opened: &mut Opened) -> Result<Vec<String>> {
    let mut users: Vec<String> = on_tx!(&mut opened.tx, conn => sqlx::query_scalar(
        "SELECT e.user_id FROM consultation_experts ce JOIN experts e ON e.id = ce.expert_id
         WHERE ce.consultation_id = $1 AND ce.state <> 'declined' AND e.user_id IS NOT NULL")
        .bind(&opened.case.id).fetch_all(conn).await?);
    users.push(opened.case.requester_id.clone());
    users.sort();
    users.dedup();
    Ok(users)
}

#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub starts_at: i64,
    pub minutes: i64,
    pub link: String,
    /// Who is invited (user ids), when the organiser chose; each must take
    /// part in the case. `None` invites everyone on it.
    pub invitees: Option<Vec<String>>,
}

/// A remote network meeting; the participants are the case's people.
pub async fn schedule_meeting(db: &Db, id: &str, actor: &Actor, m: &NewMeeting) -> Result<MeetingRow> {
    let mut opened = Opened::open(db, id, actor, "consultation.meeting").await?;
    opened.check(Action::Meeting)?;
    let mut users = participants(&mut opened).await?;
    if let Some(chosen) = &m.invitees {
        if let Some(stranger) = chosen.iter().find(|u| !users.contains(u)) {
            return Err(tukiverkko_domain::ValueError::new(
                "not_a_participant",
                format!("{stranger} does not take part in the consultation"),
            )
            .into());
        }
        if chosen.is_empty() {
            return Err(tukiverkko_domain::ValueError::new("required", "invite at least one participant").into());
        }
        users.retain(|u| chosen.contains(u));
    }
    let meeting_id = secrets::new_id();
    let t = now();
    on_tx!(&mut opened.tx, conn => sqlx::query(
        "INSERT INTO consultation_meetings (id, consultation_id, starts_at, minutes, link, participants, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&meeting_id).bind(id).bind(m.starts_at).bind(m.minutes).bind(&m.link).bind(users.join(";"))
        .bind(&actor.account.id).bind(t).execute(conn).await?.rows_affected());
    for user in &users {
        if *user != actor.account.id {
            notify(&mut opened.tx, user, NotificationKind::MeetingScheduled, id).await?;
        }
    }
    // In the history as its start time; the page shows it in the reader's time zone.
    let status = opened.case.status();
    opened.finish(Action::Meeting, status, Some(&m.starts_at.to_string())).await?;
    Ok(MeetingRow {
        id: meeting_id,
        starts_at: m.starts_at,
        minutes: m.minutes,
        link: m.link.clone(),
        participants: users.join(";"),
        created_at: t,
    })
}

/// One meeting of a case, read by a participant (audited).
pub async fn meeting(db: &Db, id: &str, meeting_id: &str, actor: &Actor) -> Result<(CaseRow, MeetingRow)> {
    let mut opened = Opened::open(db, id, actor, "consultation.meeting_read").await?;
    let row: Option<MeetingRow> = on_tx!(&mut opened.tx, conn => sqlx::query_as(
        "SELECT id, starts_at, minutes, link, participants, created_at FROM consultation_meetings WHERE consultation_id = $1 AND id = $2")
        .bind(id).bind(meeting_id).fetch_optional(conn).await?);
    let row = row.ok_or(StoreError::NotFound)?;
    opened.tx.commit().await?;
    Ok((opened.case, row))
}

/// Whether a case is past its due date while still open (for the queue).
pub fn is_overdue(case_status: Status, due_date: Option<&str>, today: &str) -> bool {
    case_status.is_open() && due_date.is_some_and(|d| d < today)
}

/// The requester changes their draft; the holding centre follows the
/// child's county, as when the draft was made, or stays the centre of the
/// service asked through (which the edit keeps).
pub async fn edit_draft(db: &Db, id: &str, actor: &Actor, new: &super::NewConsultation) -> Result<CaseRow> {
    let mut opened = Opened::open(db, id, actor, "consultation.edit").await?;
    let (_, to) = opened.check(Action::EditDraft)?;
    let centre = match opened.case.service_id {
        Some(_) => opened.case.centre.clone(),
        None => new.client_county.centre().as_str().to_string(),
    };
    on_tx!(&mut opened.tx, conn => sqlx::query(
        "UPDATE consultations SET question = $1, background = $2, tried = $3, topics = $4, urgency = $5, format = $6,
             legal_basis = $7, client_age = $8, client_county = $9, client_services = $10, centre = $11
         WHERE id = $12")
        .bind(&new.question).bind(&new.background).bind(&new.tried).bind(new.topics.join(";"))
        .bind(new.urgency.as_str()).bind(new.format.as_str()).bind(new.legal_basis.as_str())
        .bind(new.client_age as i64).bind(new.client_county.as_str()).bind(new.client_services.join(";"))
        .bind(&centre).bind(id)
        .execute(conn).await?.rows_affected());
    opened.finish(Action::EditDraft, to, None).await
}
