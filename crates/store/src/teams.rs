//! Teams: directory entries for groups (competence teams, Barnahus teams,
//! consultation and expert groups) with members from the expert directory
//! and a lead. A team assigned to a case puts its members on the panel and
//! is named on the case.

use tukiverkko_domain::catalogue::Names;

use crate::accounts::Account;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::catalogue::check_coordinator_of;
use crate::{Db, Result, StoreError, Tx, now, on_db, on_tx, secrets};

/// A checked team; the web layer parses every code and guards every text.
#[derive(Debug, Clone, Default)]
pub struct NewTeam {
    pub name: Names,
    pub kind: String,
    pub centre: String,
    pub counties: Vec<String>,
    pub topics: Vec<String>,
    pub methods: Vec<String>,
    /// Expert ids, each with whether they lead; exactly one leads.
    pub members: Vec<(String, bool)>,
    pub contact: String,
    pub accepts_consultations: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeamRow {
    pub id: String,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    pub kind: String,
    pub centre: String,
    pub counties: String,
    pub topics: String,
    pub methods: String,
    pub contact: String,
    pub accepts_consultations: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TeamRow {
    pub fn name(&self) -> Names {
        Names { fi: self.name_fi.clone(), sv: self.name_sv.clone(), en: self.name_en.clone() }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub team_id: String,
    pub expert_id: String,
    pub name: String,
    pub title: String,
    pub sector: String,
    pub is_lead: bool,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub team: TeamRow,
    pub members: Vec<MemberRow>,
}

const SELECT_TEAMS: &str = "SELECT id, name_fi, name_sv, name_en, kind, centre, counties, topics, methods, contact,
    accepts_consultations, created_at, updated_at FROM teams ORDER BY centre, name_fi, id";

const SELECT_MEMBERS: &str =
    "SELECT m.team_id, m.expert_id, TRIM(e.given_name || ' ' || e.family_name) AS name, e.title, e.sector, m.is_lead
     FROM team_members m JOIN experts e ON e.id = m.expert_id ORDER BY m.team_id, m.is_lead DESC, m.position";

/// Creates a team of the coordinator's centre; an unknown member is refused
/// with the member's position so the caller can name the field.
pub async fn create(db: &Db, account: &Account, by: &AuditActor, new: &NewTeam) -> Result<Team> {
    check_coordinator_of(account, &new.centre)?;
    let id = secrets::new_id();
    let mut tx = db.begin().await?;
    insert(&mut tx, &id, new, Some(&account.id)).await?;
    audit::append(&mut tx, AuditEvent::named("team.create").by(by).object("team", &id)).await?;
    tx.commit().await?;
    get(db, &id).await
}

/// Writes a team and its members (the demo data uses fixed ids).
pub(crate) async fn insert(tx: &mut Tx, id: &str, new: &NewTeam, created_by: Option<&str>) -> Result<()> {
    for (i, (expert, _)) in new.members.iter().enumerate() {
        let found: Option<String> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM experts WHERE id = $1")
            .bind(expert).fetch_optional(conn).await?);
        if found.is_none() {
            return Err(StoreError::Invalid(tukiverkko_domain::ValueError::new(
                "unknown_expert",
                format!("members[{i}]: no expert with id {expert}"),
            )));
        }
    }
    let t = now();
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO teams (id, name_fi, name_sv, name_en, kind, centre, counties, topics, methods, contact,
             accepts_consultations, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)")
        .bind(id).bind(&new.name.fi).bind(&new.name.sv).bind(&new.name.en).bind(&new.kind).bind(&new.centre)
        .bind(new.counties.join(";")).bind(new.topics.join(";")).bind(new.methods.join(";")).bind(&new.contact)
        .bind(new.accepts_consultations).bind(created_by).bind(t)
        .execute(conn).await?.rows_affected());
    for (i, (expert, lead)) in new.members.iter().enumerate() {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO team_members (team_id, expert_id, is_lead, position) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(expert).bind(*lead).bind(i as i64).execute(conn).await?.rows_affected());
    }
    Ok(())
}

/// Every team with its members. Teams are few (tens per centre), so the
/// finder reads them all and ranks in memory.
pub async fn all(db: &Db) -> Result<Vec<Team>> {
    let teams: Vec<TeamRow> = on_db!(db, pool => sqlx::query_as(SELECT_TEAMS).fetch_all(pool).await?);
    let members: Vec<MemberRow> = on_db!(db, pool => sqlx::query_as(SELECT_MEMBERS).fetch_all(pool).await?);
    Ok(teams
        .into_iter()
        .map(|team| {
            let members = members.iter().filter(|m| m.team_id == team.id).cloned().collect();
            Team { team, members }
        })
        .collect())
}

pub async fn get(db: &Db, id: &str) -> Result<Team> {
    all(db).await?.into_iter().find(|t| t.team.id == id).ok_or(StoreError::NotFound)
}

/// The members of the teams being assigned to a case, in team order, each
/// with whether they lead their team. An unknown team, or one that takes
/// no consultations, is refused.
pub(crate) async fn members_for_case(tx: &mut Tx, teams: &[String]) -> Result<Vec<(String, bool)>> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for team in teams {
        let accepts: Option<bool> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT accepts_consultations FROM teams WHERE id = $1").bind(team).fetch_optional(conn).await?);
        if accepts != Some(true) {
            return Err(StoreError::Invalid(tukiverkko_domain::ValueError::new(
                "unknown_team",
                format!("no team taking consultations has the id {team}"),
            )));
        }
        let members: Vec<(String, bool)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT expert_id, is_lead FROM team_members WHERE team_id = $1 ORDER BY is_lead DESC, position")
            .bind(team).fetch_all(conn).await?);
        for (expert, lead) in members {
            if !out.iter().any(|(e, _)| *e == expert) {
                out.push((expert, lead));
            }
        }
    }
    Ok(out)
}

/// Names the assigned teams on the case, replacing those of an earlier assignment.
pub(crate) async fn set_case_teams(tx: &mut Tx, case: &str, teams: &[String]) -> Result<()> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM consultation_teams WHERE consultation_id = $1")
        .bind(case).execute(conn).await?.rows_affected());
    for team in teams {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO consultation_teams (consultation_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(case).bind(team).execute(conn).await?.rows_affected());
    }
    Ok(())
}

/// The teams named on a case: id and names. Called only after the case was
/// opened for the caller, so it reveals nothing the caller may not see.
pub(crate) async fn case_teams_in(tx: &mut Tx, case: &str) -> Result<Vec<(String, Names)>> {
    let rows: Vec<(String, String, String, String)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT t.id, t.name_fi, t.name_sv, t.name_en FROM consultation_teams c JOIN teams t ON t.id = c.team_id
         WHERE c.consultation_id = $1 ORDER BY t.name_fi, t.id")
        .bind(case).fetch_all(conn).await?);
    Ok(rows.into_iter().map(|(id, fi, sv, en)| (id, Names { fi, sv, en })).collect())
}
