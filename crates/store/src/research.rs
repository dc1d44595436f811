//! Research needs and prioritisation rounds. A need may come from a case:
//! then the case is opened through its access rule (audited) only to check
//! that the submitter takes part, and its id is kept for counting; nothing
//! of the case is copied or returned.

use tukiverkko_domain::consultation::Party;
use tukiverkko_domain::notification::NotificationKind;
use tukiverkko_domain::research::{self, Ballot, NeedStatus, RoundResult};

use crate::audit::{self, AuditEvent};
use crate::consultations::{Actor, Opened};
use crate::notifications::notify;
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

/// A checked need; the web layer guards every text first.
#[derive(Debug, Clone, Default)]
pub struct NewNeed {
    pub title: String,
    pub description: String,
    pub population: String,
    pub intervention: String,
    pub comparison: String,
    pub outcome: String,
    pub topics: Vec<String>,
    /// The case it came from, for counting only.
    pub consultation: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NeedRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub population: String,
    pub intervention: String,
    pub comparison: String,
    pub outcome: String,
    pub topics: String,
    pub status: String,
    pub merged_into: Option<String>,
    pub centre: Option<String>,
    pub result_url: Option<String>,
    pub partner: Option<String>,
    pub partner_contact: Option<String>,
    pub proposed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// The need itself and every need merged into it.
    pub sources: i64,
}

/// A query of needs with their source counts; the SQL stays a literal.
macro_rules! select_needs {
    ($rest:literal) => {
        concat!(
            "SELECT n.id, n.title, n.description, n.population, n.intervention, n.comparison, n.outcome, n.topics,
                n.status, n.merged_into, n.centre, n.result_url, n.partner, n.partner_contact, n.proposed_at, n.created_at,
                n.updated_at, n.version, 1 + (SELECT COUNT(*) FROM research_needs m WHERE m.merged_into = n.id) AS sources
             FROM research_needs n ",
            $rest
        )
    };
}

fn event(actor: &Actor, action: &str, id: &str) -> AuditEvent {
    AuditEvent::named(action).by(&actor.by).object("research_need", id)
}

async fn log(
    tx: &mut Tx,
    need: &str,
    actor: &Actor,
    action: &str,
    from: Option<&str>,
    to: &str,
    note: &str,
) -> Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO research_need_events (id, need_id, position, at, actor_id, action, from_status, to_status, note)
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3, $4, $5, $6, $7, $8 FROM research_need_events WHERE need_id = $2")
        .bind(secrets::new_id()).bind(need).bind(now()).bind(&actor.account.id).bind(action).bind(from).bind(to).bind(note)
        .execute(conn).await?.rows_affected());
    Ok(())
}

async fn follow(tx: &mut Tx, need: &str, user: &str) -> Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO research_need_followers (need_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(need).bind(user).execute(conn).await?.rows_affected());
    Ok(())
}

/// Records a new need. From a case, only its requester or an assigned
/// expert may raise one; anyone else gets `NotFound`, as for the case.
pub async fn submit(db: &Db, actor: &Actor, new: &NewNeed) -> Result<NeedRow> {
    let (mut tx, centre) = match &new.consultation {
        Some(case) => {
            let opened = Opened::open(db, case, actor, "consultation.research_need").await?;
            let takes_part =
                opened.parties.iter().any(|p| matches!(p, Party::Requester | Party::LeadExpert | Party::PanelExpert));
            if !takes_part {
                return Err(StoreError::NotFound);
            }
            let centre = opened.case.centre.clone();
            (opened.tx, Some(centre))
        }
        None => (db.begin().await?, actor.account.centre.map(|c| c.as_str().to_string())),
    };
    let id = secrets::new_id();
    let t = now();
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO research_needs (id, title, description, population, intervention, comparison, outcome, topics, status,
             consultation_id, centre, submitted_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $11, $12, $12)")
        .bind(&id).bind(&new.title).bind(&new.description).bind(&new.population).bind(&new.intervention)
        .bind(&new.comparison).bind(&new.outcome).bind(new.topics.join(";")).bind(&new.consultation).bind(&centre)
        .bind(&actor.account.id).bind(t)
        .execute(conn).await?.rows_affected());
    follow(&mut tx, &id, &actor.account.id).await?;
    log(&mut tx, &id, actor, "submit", None, NeedStatus::Submitted.as_str(), "").await?;
    audit::append(&mut tx, event(actor, "research_need.create", &id)).await?;
    let row = fetch(&mut tx, &id).await?.ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

async fn fetch(tx: &mut Tx, id: &str) -> Result<Option<NeedRow>> {
    Ok(on_tx!(tx, conn => sqlx::query_as(select_needs!("WHERE n.id = $1")).bind(id).fetch_optional(conn).await?))
}

pub async fn get(db: &Db, id: &str) -> Result<NeedRow> {
    let row: Option<NeedRow> =
        on_db!(db, pool => sqlx::query_as(select_needs!("WHERE n.id = $1")).bind(id).fetch_optional(pool).await?);
    row.ok_or(StoreError::NotFound)
}

/// Filters of the needs list; `None` leaves a filter out.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub status: Option<String>,
    pub topic: Option<String>,
    pub centre: Option<String>,
    pub min_sources: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Needs matching the filter, most sources first, then newest; with the total.
pub async fn list(db: &Db, f: &NeedFilter) -> Result<(Vec<NeedRow>, i64)> {
    // Needs are few (hundreds): filtered here, in one portable query.
    let rows: Vec<NeedRow> = on_db!(db, pool => sqlx::query_as(select_needs!("")).fetch_all(pool).await?);
    let mut rows: Vec<NeedRow> = rows
        .into_iter()
        .filter(|n| f.status.as_ref().is_none_or(|s| &n.status == s))
        .filter(|n| f.topic.as_ref().is_none_or(|t| n.topics.split(';').any(|x| x == t)))
        .filter(|n| f.centre.as_ref().is_none_or(|c| n.centre.as_ref() == Some(c)))
        .filter(|n| f.min_sources.is_none_or(|m| n.sources >= m))
        .collect();
    rows.sort_by(|a, b| b.sources.cmp(&a.sources).then(b.created_at.cmp(&a.created_at)).then(a.id.cmp(&b.id)));
    let total = rows.len() as i64;
    let page = rows.into_iter().skip(f.offset.max(0) as usize).take(f.limit.clamp(1, 100) as usize).collect();
    Ok((page, total))
}

/// The needs merged into `id` (its sources besides itself), oldest first.
pub async fn merged_sources(db: &Db, id: &str) -> Result<Vec<NeedRow>> {
    Ok(on_db!(db, pool => sqlx::query_as(select_needs!("WHERE n.merged_into = $1 ORDER BY n.created_at, n.id"))
        .bind(id).fetch_all(pool).await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NeedEvent {
    pub at: i64,
    pub actor_name: Option<String>,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: String,
}

pub async fn history(db: &Db, id: &str) -> Result<Vec<NeedEvent>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT e.at, u.name AS actor_name, e.action, e.from_status, e.to_status, e.note
         FROM research_need_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.need_id = $1 ORDER BY e.position")
        .bind(id).fetch_all(pool).await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: String,
    pub url: String,
    pub verdict: String,
    pub at: i64,
}

pub async fn evidence(db: &Db, id: &str) -> Result<Vec<EvidenceRow>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, url, verdict, at FROM research_evidence WHERE need_id = $1 ORDER BY at, id")
        .bind(id).fetch_all(pool).await?))
}

async fn lock(tx: &mut Tx, id: &str) -> Result<NeedRow> {
    if let Tx::Postgres(conn) = tx {
        sqlx::query("SELECT id FROM research_needs WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut **conn)
            .await?;
    }
    fetch(tx, id).await?.ok_or(StoreError::NotFound)
}

fn status_of(row: &NeedRow) -> Result<NeedStatus> {
    row.status.parse().map_err(|_| StoreError::Corrupt(format!("research need {} has status {}", row.id, row.status)))
}

/// What a status move carries besides the status.
#[derive(Debug, Clone, Default)]
pub struct Move {
    pub note: String,
    pub result_url: Option<String>,
    pub partner: Option<String>,
    pub partner_contact: Option<String>,
}

/// Moves a need along the pipeline; a move not in it is a conflict.
/// Everyone following the need is told, and told apart when results come.
pub async fn move_status(db: &Db, id: &str, actor: &Actor, to: NeedStatus, m: &Move) -> Result<NeedRow> {
    let mut tx = db.begin().await?;
    let need = lock(&mut tx, id).await?;
    let from = status_of(&need)?;
    if !research::can_move(from, to) {
        return Err(StoreError::Conflict(format!("a need that is {} cannot move to {}", from.as_str(), to.as_str())));
    }
    if to == NeedStatus::Published && m.result_url.is_none() {
        return Err(tukiverkko_domain::ValueError::new("required", "published results need result_url").into());
    }
    // A need is proposed to a recorded partner organisation, named by id or name.
    let partner = match (&m.partner, to) {
        (Some(p), _) => Some(crate::research_partners::find(&mut tx, p).await?),
        (None, NeedStatus::Proposed) => {
            return Err(
                tukiverkko_domain::ValueError::new("required", "a proposal names the partner organisation").into()
            );
        }
        (None, _) => None,
    };
    let (partner_id, partner_name) = partner.map(|p| (p.id, p.name)).unzip();
    let t = now();
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE research_needs SET status = $1, updated_at = $2, version = version + 1,
             result_url = COALESCE($3, result_url), partner = COALESCE($4, partner),
             partner_contact = COALESCE($5, partner_contact), partner_id = COALESCE($7, partner_id),
             proposed_at = CASE WHEN $1 = 'proposed' THEN $2 ELSE proposed_at END
         WHERE id = $6")
        .bind(to.as_str()).bind(t).bind(&m.result_url).bind(&partner_name).bind(&m.partner_contact).bind(id)
        .bind(&partner_id).execute(conn).await?.rows_affected());
    log(&mut tx, id, actor, "status", Some(from.as_str()), to.as_str(), &m.note).await?;
    audit::append(&mut tx, event(actor, "research_need.status", id)).await?;
    let kind = if to == NeedStatus::Published {
        NotificationKind::ResearchNeedPublished
    } else {
        NotificationKind::ResearchNeedStatus
    };
    let followers: Vec<String> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT user_id FROM research_need_followers WHERE need_id = $1 ORDER BY user_id").bind(id).fetch_all(conn).await?);
    for user in followers.iter().filter(|u| **u != actor.account.id) {
        notify(&mut tx, user, kind, &format!("/research-needs/{id}")).await?;
    }
    let row = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// Merges a duplicate into another need: it becomes `merged`, its sources
/// and followers count for the target from then on.
pub async fn merge(db: &Db, id: &str, into: &str, actor: &Actor) -> Result<NeedRow> {
    if id == into {
        return Err(tukiverkko_domain::ValueError::new("invalid_value", "a need cannot be merged into itself").into());
    }
    let mut tx = db.begin().await?;
    let need = lock(&mut tx, id).await?;
    let target = fetch(&mut tx, into).await?.ok_or_else(|| {
        StoreError::Invalid(tukiverkko_domain::ValueError::new("unknown_need", format!("no research need {into}")))
    })?;
    let (from, target_status) = (status_of(&need)?, status_of(&target)?);
    if !research::can_merge(from) {
        return Err(StoreError::Conflict(format!("a need that is {} cannot be merged", from.as_str())));
    }
    if !research::can_merge(target_status) {
        return Err(StoreError::Conflict(format!("cannot merge into a need that is {}", target_status.as_str())));
    }
    let t = now();
    // Needs merged into this one follow it into the target, so counts stay flat.
    on_tx!(&mut tx, conn => sqlx::query("UPDATE research_needs SET merged_into = $1 WHERE merged_into = $2")
        .bind(into).bind(id).execute(conn).await?.rows_affected());
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE research_needs SET status = 'merged', merged_into = $1, updated_at = $2, version = version + 1 WHERE id = $3")
        .bind(into).bind(t).bind(id).execute(conn).await?.rows_affected());
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO research_need_followers (need_id, user_id) SELECT $1, user_id FROM research_need_followers WHERE need_id = $2
         ON CONFLICT DO NOTHING")
        .bind(into).bind(id).execute(conn).await?.rows_affected());
    // The history names the other need by its title, which readers know it by.
    log(&mut tx, id, actor, "merge", Some(from.as_str()), NeedStatus::Merged.as_str(), &target.title).await?;
    log(&mut tx, into, actor, "merged_in", None, target_status.as_str(), &need.title).await?;
    audit::append(&mut tx, event(actor, "research_need.merge", id)).await?;
    let row = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// A reviewer's rewrite of a need as an indicative question, in PICO form.
pub async fn rewrite(db: &Db, id: &str, actor: &Actor, new: &NewNeed) -> Result<NeedRow> {
    let mut tx = db.begin().await?;
    lock(&mut tx, id).await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE research_needs SET title = $1, description = $2, population = $3, intervention = $4, comparison = $5,
             outcome = $6, topics = $7, updated_at = $8, version = version + 1 WHERE id = $9")
        .bind(&new.title).bind(&new.description).bind(&new.population).bind(&new.intervention).bind(&new.comparison)
        .bind(&new.outcome).bind(new.topics.join(";")).bind(now()).bind(id)
        .execute(conn).await?.rows_affected());
    log(&mut tx, id, actor, "rewrite", None, "", "").await?;
    audit::append(&mut tx, event(actor, "research_need.rewrite", id)).await?;
    let row = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// Attaches the evidence checked (a review or guideline and its verdict).
pub async fn add_evidence(db: &Db, id: &str, actor: &Actor, url: &str, verdict: &str) -> Result<EvidenceRow> {
    let mut tx = db.begin().await?;
    lock(&mut tx, id).await?;
    let row = EvidenceRow { id: secrets::new_id(), url: url.into(), verdict: verdict.into(), at: now() };
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO research_evidence (id, need_id, url, verdict, added_by, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&row.id).bind(id).bind(&row.url).bind(&row.verdict).bind(&actor.account.id).bind(row.at)
        .execute(conn).await?.rows_affected());
    log(&mut tx, id, actor, "evidence", None, "", url).await?;
    audit::append(&mut tx, event(actor, "research_need.evidence", id)).await?;
    tx.commit().await?;
    Ok(row)
}

/// Follows a need, to be told when it moves.
pub async fn follow_need(db: &Db, id: &str, user: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
    follow(&mut tx, id, user).await?;
    tx.commit().await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub id: String,
    pub title: String,
    pub needs: String,
    pub stakeholder_groups: String,
    pub closes_at: i64,
    pub created_at: i64,
}

impl RoundRow {
    pub fn needs(&self) -> Vec<String> {
        split(&self.needs)
    }
    pub fn groups(&self) -> Vec<String> {
        self.stakeholder_groups.split('\n').filter(|g| !g.is_empty()).map(String::from).collect()
    }
}

fn split(s: &str) -> Vec<String> {
    s.split(';').filter(|x| !x.is_empty()).map(String::from).collect()
}

/// Opens a round over confirmed needs. A need that is not confirmed is
/// refused by name; groups are kept as given (one per line).
pub async fn create_round(
    db: &Db,
    actor: &Actor,
    title: &str,
    needs: &[String],
    groups: &[String],
    closes_at: i64,
) -> Result<RoundRow> {
    let mut tx = db.begin().await?;
    for need in needs {
        let row = fetch(&mut tx, need).await?;
        let ok = row.as_ref().is_some_and(|r| {
            matches!(r.status.parse(), Ok(NeedStatus::UncertaintyConfirmed | NeedStatus::Prioritised))
        });
        if !ok {
            return Err(StoreError::Invalid(tukiverkko_domain::ValueError::new(
                "not_confirmed",
                format!("research need {need} is not a confirmed uncertainty"),
            )));
        }
    }
    let row = RoundRow {
        id: secrets::new_id(),
        title: title.into(),
        needs: needs.join(";"),
        stakeholder_groups: groups.join("\n"),
        closes_at,
        created_at: now(),
    };
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO prioritisations (id, title, needs, stakeholder_groups, closes_at, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&row.id).bind(&row.title).bind(&row.needs).bind(&row.stakeholder_groups).bind(row.closes_at)
        .bind(&actor.account.id).bind(row.created_at)
        .execute(conn).await?.rows_affected());
    audit::append(&mut tx, AuditEvent::named("prioritisation.create").by(&actor.by).object("prioritisation", &row.id))
        .await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn round(db: &Db, id: &str) -> Result<RoundRow> {
    let row: Option<RoundRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, title, needs, stakeholder_groups, closes_at, created_at FROM prioritisations WHERE id = $1")
        .bind(id).fetch_optional(pool).await?);
    row.ok_or(StoreError::NotFound)
}

pub async fn rounds(db: &Db) -> Result<Vec<RoundRow>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, title, needs, stakeholder_groups, closes_at, created_at FROM prioritisations ORDER BY created_at DESC, id")
        .fetch_all(pool).await?))
}

/// The group a person ranked in, once they have.
pub async fn ballot_group(db: &Db, id: &str, user_id: &str) -> Result<Option<String>> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT stakeholder_group FROM prioritisation_ballots WHERE prioritisation_id = $1 AND user_id = $2")
        .bind(id).bind(user_id).fetch_optional(pool).await?))
}

/// One person's ballot: once per round (a second is a conflict), before it closes.
pub async fn cast_ballot(db: &Db, id: &str, actor: &Actor, group: &str, ranking: &[String]) -> Result<()> {
    let round = round(db, id).await?;
    if now() >= round.closes_at {
        return Err(StoreError::Conflict("the round has closed".into()));
    }
    if !round.groups().iter().any(|g| g == group) {
        return Err(StoreError::Invalid(tukiverkko_domain::ValueError::new(
            "not_in_round",
            format!("'{group}' is not a group of this round"),
        )));
    }
    research::check_ranking(ranking, &round.needs()).map_err(StoreError::Invalid)?;
    let mut tx = db.begin().await?;
    let inserted = on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO prioritisation_ballots (prioritisation_id, user_id, stakeholder_group, ranking, at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (prioritisation_id, user_id) DO NOTHING")
        .bind(id).bind(&actor.account.id).bind(group).bind(ranking.join(";")).bind(now())
        .execute(conn).await?.rows_affected());
    if inserted == 0 {
        return Err(StoreError::Conflict("you have already ranked the needs of this round".into()));
    }
    audit::append(&mut tx, AuditEvent::named("prioritisation.ballot").by(&actor.by).object("prioritisation", id))
        .await?;
    tx.commit().await
}

/// The round's result: each group weighs the same; small groups are suppressed.
pub async fn results(db: &Db, id: &str, min_ballots: usize) -> Result<(RoundRow, RoundResult, usize)> {
    let round = round(db, id).await?;
    let rows: Vec<(String, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT stakeholder_group, ranking FROM prioritisation_ballots WHERE prioritisation_id = $1 ORDER BY at, user_id")
        .bind(id).fetch_all(pool).await?);
    let ballots: Vec<Ballot> =
        rows.into_iter().map(|(group, ranking)| Ballot { group, ranking: split(&ranking) }).collect();
    let result = research::tally(&round.needs(), &round.groups(), &ballots, min_ballots);
    Ok((round, result, ballots.len()))
}

/// Each need's best score over every round it was ranked in, for exports.
pub async fn best_scores(db: &Db, min_ballots: usize) -> Result<std::collections::HashMap<String, f64>> {
    let mut best = std::collections::HashMap::new();
    for round in rounds(db).await? {
        let (_, result, _) = results(db, &round.id, min_ballots).await?;
        for item in result.items {
            let entry = best.entry(item.need).or_insert(item.score);
            if item.score > *entry {
                *entry = item.score;
            }
        }
    }
    Ok(best)
}
