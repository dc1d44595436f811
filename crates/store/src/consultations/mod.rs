//! Consultation cases: creation, scoped reads and the moves of the state
//! machine. Access follows need (requester, assigned experts, coordinators
//! of the holding centre; an admin only with a recorded reason), and every
//! read and write of case content is audited in the same transaction.

mod access;
mod barnahus;
mod flow;
pub mod home;
pub mod index;
pub(crate) mod outcomes;
mod suggest;

pub use access::{Actor, BreakGlass, Opened, takes_part};
pub use barnahus::mark_barnahus;
pub use flow::*;
pub use outcomes::{Outcome, instruments, outcomes, record_outcome};
pub use suggest::{Suggestion, suggest_experts};

use tukiverkko_domain::calendar;
use tukiverkko_domain::consultation::{Format, LegalBasis, Status, Urgency};
use tukiverkko_domain::{CentreCode, CountyCode};

use tukiverkko_domain::notification::NotificationKind;

use crate::audit::{self, AuditEvent};
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

/// A validated request; the web layer parses and guards every field first.
#[derive(Debug, Clone)]
pub struct NewConsultation {
    pub question: String,
    pub background: String,
    pub tried: String,
    pub topics: Vec<String>,
    pub urgency: Urgency,
    pub format: Format,
    pub legal_basis: LegalBasis,
    pub client_age: u8,
    pub client_county: CountyCode,
    pub client_services: Vec<String>,
    /// The expert proposed by the requester (a directory id that accepts
    /// consultations); checked when the case is created.
    pub proposed_expert: Option<String>,
    /// The catalogue service asked through: the case goes to its centre and
    /// its response times set the due date. Checked when the case is created.
    pub service: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: String,
    pub reference: String,
    pub requester_id: String,
    pub organization_id: Option<String>,
    pub centre: String,
    pub status: String,
    pub question: String,
    pub background: String,
    pub tried: String,
    pub topics: String,
    pub urgency: String,
    pub format: String,
    pub legal_basis: String,
    pub client_age: i64,
    pub client_county: String,
    pub client_services: String,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    pub due_date: Option<String>,
    pub version: i64,
    pub updated_at: i64,
    pub proposed_expert_id: Option<String>,
    /// When the coordinator marked the case for Barnahus co-operation.
    pub barnahus_at: Option<i64>,
    pub barnahus_by: Option<String>,
    /// The catalogue service the request was made through.
    pub service_id: Option<String>,
}

impl CaseRow {
    pub fn status(&self) -> Status {
        self.status.parse().unwrap_or(Status::Draft)
    }

    pub fn centre_code(&self) -> Option<CentreCode> {
        self.centre.parse().ok()
    }
}

/// A line of the case list: no free text, so listing is not a read of
/// case content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseSummary {
    pub id: String,
    pub reference: String,
    pub centre: String,
    pub status: String,
    pub topics: String,
    pub urgency: String,
    pub format: String,
    pub created_at: i64,
    pub due_date: Option<String>,
}

async fn next_reference(tx: &mut Tx) -> Result<String> {
    let year = calendar::to_helsinki(now()).year() as i64;
    on_tx!(tx, conn => sqlx::query("INSERT INTO reference_counters (year, last) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING")
        .bind(year).execute(conn).await?.rows_affected());
    let last: i64 = on_tx!(tx, conn => sqlx::query_scalar("UPDATE reference_counters SET last = last + 1 WHERE year = $1 RETURNING last")
        .bind(year).fetch_one(conn).await?);
    Ok(format!("TV-{year}-{last:05}"))
}

/// Creates a draft held by the centre of the child's county.
pub async fn create(db: &Db, actor: &Actor, new: &NewConsultation) -> Result<CaseRow> {
    let id = secrets::new_id();
    let t = now();
    let mut tx = db.begin().await?;
    if let Some(expert) = &new.proposed_expert {
        let accepts: Option<bool> = on_tx!(&mut tx, conn => sqlx::query_scalar(
            "SELECT accepts_consultations FROM experts WHERE id = $1").bind(expert).fetch_optional(conn).await?);
        if accepts != Some(true) {
            return Err(StoreError::Invalid(tukiverkko_domain::ValueError::new(
                "unknown_expert",
                "no expert taking consultations has this id",
            )));
        }
    }
    // Asked through a service, the case goes to the centre offering it
    // (which may be another centre's national specialty); otherwise to the
    // centre of the child's county.
    let mut centre = new.client_county.centre().as_str().to_string();
    if let Some(service) = &new.service {
        let offered_by: Option<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
            "SELECT centre FROM services WHERE id = $1").bind(service).fetch_optional(conn).await?);
        centre = offered_by.ok_or_else(|| {
            StoreError::Invalid(tukiverkko_domain::ValueError::new("unknown_service", "no service has this id"))
        })?;
    }
    let reference = next_reference(&mut tx).await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO consultations (id, reference, requester_id, organization_id, centre, status, question, background, tried, topics,
             urgency, format, legal_basis, client_age, client_county, client_services, created_at, updated_at, proposed_expert_id, service_id)
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18)")
        .bind(&id).bind(&reference).bind(&actor.account.id).bind(&actor.account.organization_id)
        .bind(&centre).bind(&new.question).bind(&new.background).bind(&new.tried)
        .bind(new.topics.join(";")).bind(new.urgency.as_str()).bind(new.format.as_str()).bind(new.legal_basis.as_str())
        .bind(new.client_age as i64).bind(new.client_county.as_str()).bind(new.client_services.join(";")).bind(t)
        .bind(&new.proposed_expert).bind(&new.service)
        .execute(conn).await?.rows_affected());
    audit::append(&mut tx, actor.event("consultation.create", &id)).await?;
    let case = fetch(&mut tx, &id).await?.ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(case)
}

pub(crate) async fn fetch(tx: &mut Tx, id: &str) -> Result<Option<CaseRow>> {
    Ok(
        on_tx!(tx, conn => sqlx::query_as("SELECT * FROM consultations WHERE id = $1").bind(id).fetch_optional(conn).await?),
    )
}

/// [`fetch`], holding the row's lock on PostgreSQL until the transaction ends.
pub(crate) async fn fetch_for_update(tx: &mut Tx, id: &str) -> Result<Option<CaseRow>> {
    let sql = match tx {
        Tx::Sqlite(_) => "SELECT * FROM consultations WHERE id = $1",
        Tx::Postgres(_) => "SELECT * FROM consultations WHERE id = $1 FOR UPDATE",
    };
    Ok(on_tx!(tx, conn => sqlx::query_as(sql).bind(id).fetch_optional(conn).await?))
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
}

/// The caller's cases: own requests, assigned cases, and for coordinators
/// their centre's queue (due first). Other cases are not listed at all.
pub async fn list(db: &Db, actor: &Actor, filter: &ListFilter) -> Result<Vec<CaseSummary>> {
    let coordinator_centre = actor.coordinator_centre().map(|c| c.as_str());
    let status = filter.status.map(|s| s.as_str());
    let rows = on_db!(db, pool => sqlx::query_as(
        "SELECT c.id, c.reference, c.centre, c.status, c.topics, c.urgency, c.format, c.created_at, c.due_date
         FROM consultations c
         WHERE ($4 IS NULL OR c.status = $4) AND (
               c.requester_id = $1
            OR (c.centre = $2 AND c.status <> 'draft')
            OR EXISTS (SELECT 1 FROM consultation_experts e WHERE e.consultation_id = c.id AND e.expert_id = $3 AND e.state <> 'declined'))
         ORDER BY CASE WHEN c.due_date IS NULL THEN 1 ELSE 0 END, c.due_date, c.created_at")
        .bind(&actor.account.id).bind(coordinator_centre).bind(&actor.expert_id).bind(status)
        .fetch_all(pool).await?);
    Ok(rows)
}

/// Everything about one case that its participants see.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: CaseRow,
    /// How the reader takes part in the case (none for a break-glass read).
    pub parties: Vec<tukiverkko_domain::consultation::Party>,
    pub experts: Vec<AssignedExpert>,
    pub events: Vec<EventRow>,
    pub messages: Vec<MessageRow>,
    pub meetings: Vec<MeetingRow>,
    pub statement: Option<StatementRow>,
    pub feedback: Option<FeedbackRow>,
    /// The client's outcome measurements, in time order.
    pub outcomes: Vec<Outcome>,
    /// Who asks: a professional, never the client.
    pub requester: RequesterRow,
    /// The teams assigned to the case: id and names.
    pub teams: Vec<(String, tukiverkko_domain::catalogue::Names)>,
}

/// The professional who made the request, for the centre and the panel.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct RequesterRow {
    pub name: String,
    pub email: String,
    /// The requester's interface language: the best guess of the language
    /// their text is written in.
    pub language: String,
    pub organization: Option<String>,
    pub sector: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignedExpert {
    pub expert_id: String,
    pub name: String,
    pub user_id: Option<String>,
    pub is_lead: bool,
    #[sqlx(try_from = "String")]
    pub state: tukiverkko_domain::consultation::AssignmentState,
    pub reason: Option<String>,
    /// The expert's sector in the directory (police and prosecution wait
    /// for the Barnahus decision).
    pub sector: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub at: i64,
    pub actor_id: String,
    /// The actor's name, when the account still exists.
    pub actor_name: Option<String>,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    /// The author's interface language, for marking the text's language.
    pub author_language: String,
    pub body: String,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: String,
    pub starts_at: i64,
    pub minutes: i64,
    pub link: String,
    pub participants: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementRow {
    pub author_id: String,
    /// The author as the directory names them (title and centre when they
    /// have a profile).
    pub author_name: Option<String>,
    pub author_title: Option<String>,
    pub author_centre: Option<String>,
    pub author_language: Option<String>,
    pub assessment: String,
    pub recommendations: String,
    pub suggested_methods: String,
    pub follow_up: String,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedbackRow {
    pub usefulness: i64,
    pub referral_avoided: bool,
    pub would_ask_again: Option<bool>,
    pub comment: String,
    pub at: i64,
    pub outcome: Option<String>,
    pub referral: Option<String>,
}

/// The ids of the cases `user_id` asked, oldest first (for their own data export).
pub async fn requested_by(db: &Db, user_id: &str) -> Result<Vec<String>> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM consultations WHERE requester_id = $1 ORDER BY created_at, id")
        .bind(user_id).fetch_all(pool).await?))
}

/// Reads a case for a participant (or an admin with a reason); the read is
/// audited before the content is returned, and fails if the audit does.
pub async fn read(db: &Db, id: &str, actor: &Actor) -> Result<CaseDetail> {
    let opened = Opened::open(db, id, actor, "consultation.read").await?;
    let Opened { mut tx, case, parties, .. } = opened;
    let detail = detail_in(&mut tx, case, parties).await?;
    tx.commit().await?;
    Ok(detail)
}

async fn detail_in(
    tx: &mut Tx,
    case: CaseRow,
    parties: Vec<tukiverkko_domain::consultation::Party>,
) -> Result<CaseDetail> {
    let id = case.id.clone();
    let experts = on_tx!(tx, conn => sqlx::query_as(
        "SELECT ce.expert_id, TRIM(e.given_name || ' ' || e.family_name) AS name, e.user_id, ce.is_lead, ce.state, ce.reason, e.sector
         FROM consultation_experts ce JOIN experts e ON e.id = ce.expert_id
         WHERE ce.consultation_id = $1 ORDER BY ce.is_lead DESC, name")
        .bind(&id).fetch_all(conn).await?);
    let events = on_tx!(tx, conn => sqlx::query_as(
        "SELECT e.at, e.actor_id, u.name AS actor_name, e.action, e.from_status, e.to_status, e.note
         FROM consultation_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.consultation_id = $1 ORDER BY e.position")
        .bind(&id).fetch_all(conn).await?);
    let messages = on_tx!(tx, conn => sqlx::query_as(
        "SELECT m.id, m.author_id, u.name AS author_name, u.language AS author_language, m.body, m.at FROM consultation_messages m JOIN users u ON u.id = m.author_id
         WHERE m.consultation_id = $1 ORDER BY m.at, m.id")
        .bind(&id).fetch_all(conn).await?);
    let meetings = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, starts_at, minutes, link, participants, created_at FROM consultation_meetings WHERE consultation_id = $1 ORDER BY starts_at")
        .bind(&id).fetch_all(conn).await?);
    let statement = on_tx!(tx, conn => sqlx::query_as(
        "SELECT s.author_id, u.name AS author_name, x.title AS author_title, x.centre AS author_centre, u.language AS author_language,
                s.assessment, s.recommendations, s.suggested_methods, s.follow_up, s.at
         FROM consultation_statements s LEFT JOIN users u ON u.id = s.author_id LEFT JOIN experts x ON x.user_id = s.author_id
         WHERE s.consultation_id = $1")
        .bind(&id).fetch_optional(conn).await?);
    let feedback = on_tx!(tx, conn => sqlx::query_as(
        "SELECT usefulness, referral_avoided, would_ask_again, comment, at, outcome, referral FROM consultation_feedback WHERE consultation_id = $1")
        .bind(&id).fetch_optional(conn).await?);
    let requester = on_tx!(tx, conn => sqlx::query_as(
        "SELECT u.name, u.email, u.language, o.name AS organization, o.sector FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
         WHERE u.id = $1")
        .bind(&case.requester_id).fetch_optional(conn).await?).unwrap_or_default();
    let outcomes = outcomes::outcomes_of_open_case(tx, &id).await?;
    let teams = crate::teams::case_teams_in(tx, &id).await?;
    Ok(CaseDetail {
        case,
        parties,
        experts,
        events,
        messages,
        meetings,
        statement,
        feedback,
        outcomes,
        requester,
        teams,
    })
}

/// Notifies `user_id` of `kind` on a case: a link to it, no content.
pub(crate) async fn notify(tx: &mut Tx, user_id: &str, kind: NotificationKind, case_id: &str) -> Result<()> {
    crate::notifications::notify(tx, user_id, kind, &format!("/consultations/{case_id}")).await
}

impl Actor {
    pub(crate) fn event(&self, action: &str, case_id: &str) -> AuditEvent {
        AuditEvent::named(action)
            .by(&self.by)
            .object("consultation", case_id)
            .purpose(self.break_glass.as_ref().map(BreakGlass::reason))
    }
}

/// The meetings the user is invited to or organised, on cases they still
/// take part in, for the calendar feed.
pub async fn meetings_for(db: &Db, actor: &Actor) -> Result<Vec<(String, MeetingRow)>> {
    use tukiverkko_domain::consultation::{Party, awaits_barnahus};
    let coordinator_centre = actor.coordinator_centre().map(|c| c.as_str());
    type Row = (String, String, i64, i64, String, String, i64, bool, bool, Option<bool>, Option<String>, bool, bool);
    // Each row says how the actor takes part, so the Barnahus rule applies
    // here as in `Opened::open`: a police or prosecution panel member sees
    // no meeting of a case not yet marked for Barnahus co-operation.
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "SELECT c.reference, m.id, m.starts_at, m.minutes, m.link, m.participants, m.created_at,
                c.requester_id = $1, COALESCE(c.centre = $2 AND c.status <> 'draft', FALSE), ce.is_lead, e.sector,
                c.barnahus_at IS NOT NULL, m.created_by = $1
         FROM consultation_meetings m JOIN consultations c ON c.id = m.consultation_id
         LEFT JOIN consultation_experts ce ON ce.consultation_id = c.id AND ce.expert_id = $3 AND ce.state <> 'declined'
         LEFT JOIN experts e ON e.id = ce.expert_id
         WHERE c.requester_id = $1 OR (c.centre = $2 AND c.status <> 'draft') OR ce.expert_id IS NOT NULL
         ORDER BY m.starts_at")
        .bind(&actor.account.id).bind(coordinator_centre).bind(&actor.expert_id)
        .fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        // A personal calendar holds the meetings one is invited to or organised.
        .filter(|(_, _, _, _, _, participants, .., organiser)| {
            *organiser || participants.split(';').any(|p| p == actor.account.id)
        })
        .filter(|(.., requester, coordinating, lead, sector, marked, _)| {
            let mut parties = Vec::new();
            if *requester {
                parties.push(Party::Requester);
            }
            if *coordinating {
                parties.push(Party::Coordinator);
            }
            match lead {
                Some(true) => parties.push(Party::LeadExpert),
                Some(false) => parties.push(Party::PanelExpert),
                None => {}
            }
            !awaits_barnahus(&parties, sector.as_deref(), *marked)
        })
        .map(|(reference, id, starts_at, minutes, link, participants, created_at, ..)| {
            (reference, MeetingRow { id, starts_at, minutes, link, participants, created_at })
        })
        .collect())
}
