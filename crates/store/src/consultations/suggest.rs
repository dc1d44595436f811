//! Suggested experts for a case: topic and method overlap, language,
//! remote work, free capacity, own centre first, each with its reasons.

use super::Opened;
use crate::experts::{self, ProfileRow};
use crate::{Db, Result, on_db};

#[derive(Debug, Clone)]
pub struct Suggestion {
    pub expert_id: String,
    pub name: String,
    pub centre: String,
    pub score: i64,
    /// Stable reason codes with their values, e.g. `("topic", "honour_violence")`.
    pub reasons: Vec<(&'static str, String)>,
}

pub async fn suggest_experts(db: &Db, id: &str, actor: &super::Actor, limit: usize) -> Result<Vec<Suggestion>> {
    let opened = Opened::open(db, id, actor, "consultation.suggest").await?;
    opened.check(tukiverkko_domain::consultation::Action::Assign)?;
    let case = opened.case.clone();
    opened.tx.commit().await?;
    let language: String = on_db!(db, pool => sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
        .bind(&case.requester_id).fetch_one(pool).await?);
    let load = experts::open_load(db).await?;
    let topics = experts::split(&case.topics);
    let services = experts::split(&case.client_services);
    let mut out: Vec<Suggestion> = experts::list_all(db)
        .await?
        .into_iter()
        .filter(|p| p.accepts_consultations)
        .filter_map(|p| score(&p, &topics, &services, &case.centre, &language, &load))
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    out.truncate(limit);
    Ok(out)
}

fn score(
    p: &ProfileRow,
    topics: &[String],
    services: &[String],
    centre: &str,
    language: &str,
    load: &std::collections::HashMap<String, i64>,
) -> Option<Suggestion> {
    let mut reasons = Vec::new();
    let mut score = 0;
    let own_topics = experts::split(&p.topics);
    for t in topics.iter().filter(|t| own_topics.contains(t)) {
        score += 10;
        reasons.push(("topic", t.clone()));
    }
    for s in services.iter().filter(|s| own_topics.contains(s) && !topics.contains(s)) {
        score += 3;
        reasons.push(("service", s.clone()));
    }
    if score == 0 {
        return None;
    }
    if p.centre == centre {
        score += 5;
        reasons.push(("own_centre", p.centre.clone()));
    }
    if experts::split(&p.languages).iter().any(|l| l == language) {
        score += 2;
        reasons.push(("language", language.to_string()));
    }
    if p.remote {
        score += 1;
        reasons.push(("remote", String::new()));
    }
    let open = load.get(&p.id).copied().unwrap_or(0);
    if open >= p.capacity {
        score -= 20;
        reasons.push(("at_capacity", format!("{open}/{}", p.capacity)));
    } else {
        reasons.push(("capacity", format!("{open}/{}", p.capacity)));
    }
    Some(Suggestion { expert_id: p.id.clone(), name: p.name(), centre: p.centre.clone(), score, reasons })
}
