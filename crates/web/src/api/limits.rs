//! The limits of the request bodies, stated in `/openapi.json`. Handlers
//! check free text with the domain's one rule (`text::check`: no control
//! character, a lone carriage return only in CR LF, at most N characters;
//! `required` also wants something besides white space) and codes against
//! the domain's lists; this table says the same in JSON Schema, taking the
//! numbers and lists from the constants the handlers use, so the document
//! cannot drift from the checks. A table entry that names no property of
//! the document is a test failure (see the test below), so a renamed field
//! is noticed.

use serde_json::{Value, json};
use tukiverkko_domain::consultation::{AnswerEffect, Format, LegalBasis, MAX_CLIENT_AGE, ReferralEffect, Urgency};
use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::text::limits;
use tukiverkko_domain::{catalogue::TeamKind, codes::CentreCode, meeting, outcome, research, training};

use crate::consultations::api::MAX_TEXT;

/// One property's rule.
enum Rule {
    /// Free text, may be empty; `multi` allows tab and line breaks.
    Text {
        max: usize,
        multi: bool,
    },
    /// Free text that must hold more than white space.
    Required {
        max: usize,
        multi: bool,
    },
    Codes(Vec<&'static str>),
    /// Each item of an array is one of these codes.
    CodeList(Vec<&'static str>),
    Int {
        min: i64,
        max: Option<i64>,
    },
    /// A JSON Schema `format` (date, date-time).
    Format(&'static str),
    Pattern(String),
    /// How many items an array takes.
    Items {
        min: usize,
        max: Option<usize>,
    },
}

use Rule::*;

fn multi(max: usize) -> Rule {
    Text { max, multi: true }
}
fn required_multi(max: usize) -> Rule {
    Required { max, multi: true }
}
fn line(max: usize) -> Rule {
    Text { max, multi: false }
}

fn centres() -> Vec<&'static str> {
    CentreCode::ALL.iter().map(|c| c.as_str()).collect()
}
fn counties() -> Vec<&'static str> {
    reference::counties().iter().map(|c| c.code).collect()
}
fn taxonomy(kind: TaxonomyKind) -> Vec<&'static str> {
    reference::taxonomy_of(kind).map(|e| e.code).collect()
}

/// (schema component, property, rule).
fn table() -> Vec<(&'static str, &'static str, Rule)> {
    let reason = || required_multi(2000);
    vec![
        ("CreateConsultation", "question", required_multi(MAX_TEXT)),
        ("CreateConsultation", "background", multi(MAX_TEXT)),
        ("CreateConsultation", "tried", multi(MAX_TEXT)),
        ("CreateConsultation", "topics", CodeList(taxonomy(TaxonomyKind::Topic))),
        ("CreateConsultation", "urgency", Codes(Urgency::ALL.iter().map(|u| u.as_str()).collect())),
        ("CreateConsultation", "format", Codes(Format::ALL.iter().map(|f| f.as_str()).collect())),
        ("CreateConsultation", "legal_basis", Codes(LegalBasis::ALL.iter().map(|l| l.as_str()).collect())),
        ("ClientInput", "age", Int { min: 0, max: Some(MAX_CLIENT_AGE.into()) }),
        ("ClientInput", "county", Codes(counties())),
        ("ClientInput", "services", CodeList(taxonomy(TaxonomyKind::Topic))),
        ("Reason", "reason", reason()),
        ("Reroute", "reason", reason()),
        ("Reroute", "centre", Codes(centres())),
        ("Message", "body", required_multi(MAX_TEXT)),
        ("Statement", "assessment", required_multi(MAX_TEXT)),
        ("Statement", "recommendations", required_multi(MAX_TEXT)),
        ("Statement", "follow_up", multi(MAX_TEXT)),
        ("Statement", "suggested_methods", CodeList(taxonomy(TaxonomyKind::Method))),
        ("Feedback", "usefulness", Int { min: 1, max: Some(5) }),
        ("Feedback", "comment", multi(MAX_TEXT)),
        ("Feedback", "outcome", Codes(AnswerEffect::ALL.iter().map(|a| a.as_str()).collect())),
        ("Feedback", "referral", Codes(ReferralEffect::ALL.iter().map(|r| r.as_str()).collect())),
        ("Meeting", "minutes", Int { min: *meeting::MINUTES.start(), max: Some(*meeting::MINUTES.end()) }),
        ("Meeting", "starts_at", Format("date-time")),
        ("Meeting", "link", line(limits::LINK)),
        ("NewOutcome", "instrument", Codes(outcome::Instrument::ALL.iter().map(|i| i.as_str()).collect())),
        ("NewOutcome", "informant", Codes(outcome::Informant::ALL.iter().map(|i| i.as_str()).collect())),
        ("NewOutcome", "measured_on", Format("date")),
        ("NewOutcome", "score", Int { min: 1, max: Some(100) }),
        ("NewOutcome", "total", Int { min: 0, max: Some(40) }),
        ("GoalInput", "description", multi(500)),
        ("UseInput", "unit", line(limits::SHORT)),
        ("UseInput", "county", Codes(counties())),
        ("UseInput", "since", Format("date")),
        ("MethodInput", "target_group", multi(limits::REASON)),
        ("MethodInput", "delivery", multi(limits::REASON)),
        ("EvidenceInput", "source", multi(limits::REASON)),
        ("EvidenceInput", "rated_on", Format("date")),
        ("EvidenceInput", "level", Codes(training::EvidenceLevel::ALL.iter().map(|l| l.as_str()).collect())),
        ("RoundInput", "title", required_multi(limits::SHORT)),
        ("RoundInput", "closes_at", Format("date-time")),
        ("NeedInput", "title", required_multi(limits::SHORT)),
        ("NeedInput", "description", required_multi(limits::LONG)),
        ("NeedInput", "population", multi(limits::REASON)),
        ("NeedInput", "intervention", multi(limits::REASON)),
        ("NeedInput", "comparison", multi(limits::REASON)),
        ("NeedInput", "outcome", multi(limits::REASON)),
        ("NeedInput", "topics", CodeList(taxonomy(TaxonomyKind::Topic))),
        ("StatusInput", "status", Codes(research::NeedStatus::ALL.iter().map(|s| s.as_str()).collect())),
        ("StatusInput", "note", multi(limits::REASON)),
        ("PartnerInput", "name", Required { max: limits::SHORT, multi: false }),
        ("PartnerInput", "contact", multi(limits::SHORT)),
        ("PartnerInput", "kind", Codes(vec!["university", "research_unit"])),
        ("TeamInput", "kind", Codes(TeamKind::ALL.iter().map(|k| k.as_str()).collect())),
        ("TeamInput", "centre", Codes(centres())),
        ("TeamInput", "counties", CodeList(counties())),
        ("TeamInput", "topics", CodeList(taxonomy(TaxonomyKind::Topic))),
        ("TeamInput", "methods", CodeList(taxonomy(TaxonomyKind::Method))),
        ("ServiceInput", "centre", Codes(centres())),
        ("ServiceInput", "topics", CodeList(taxonomy(TaxonomyKind::Topic))),
        ("ServiceInput", "formats", CodeList(Format::ALL.iter().map(|f| f.as_str()).collect())),
        ("ServiceInput", "how_to_ask", multi(crate::catalogue::DESCRIPTION_MAX)),
        ("TrainingInput", "title", required_multi(limits::SHORT)),
        ("TrainingInput", "description", multi(limits::LONG)),
        ("TrainingInput", "location", multi(limits::SHORT)),
        ("TrainingInput", "format", Codes(training::TrainingFormat::ALL.iter().map(|f| f.as_str()).collect())),
        ("TrainingInput", "capacity", Int { min: 1, max: None }),
        ("TrainingInput", "registration_closes", Format("date-time")),
        ("TrainingInput", "target_sectors", CodeList(taxonomy(TaxonomyKind::Sector))),
        ("TrainingInput", "method", Codes(taxonomy(TaxonomyKind::Method))),
        ("AttendanceInput", "session", Int { min: 0, max: None }),
        ("FeedbackInput", "rating", Int { min: 1, max: Some(5) }),
        ("FeedbackInput", "applicable", Int { min: 1, max: Some(5) }),
        ("FeedbackInput", "comment", multi(limits::LONG)),
        ("MoveInput", "reason", required_multi(limits::REASON)),
        // The counts `research::check_round`, `catalogue::teams::check_team`,
        // `catalogue::api` and `training::schedule` check.
        ("RoundInput", "needs", Items { min: 1, max: Some(100) }),
        ("TeamInput", "members", Items { min: 1, max: Some(50) }),
        ("ServiceInput", "formats", Items { min: 1, max: None }),
        ("TrainingInput", "sessions", Items { min: 1, max: Some(training::MAX_SESSIONS) }),
    ]
}

/// (path, query parameter, rule): the parameters the handlers check against
/// a list or a shape. Others are free text, which `QueryParams` refuses
/// only a control character in (see [`query_text`]).
fn parameters() -> Vec<(&'static str, &'static str, Rule)> {
    use tukiverkko_domain::consultation::Status;
    use tukiverkko_domain::statistics::Dimension;
    let dimension = Dimension::ALL.iter().map(|d| d.as_str()).collect::<Vec<_>>().join("|");
    // Empty is the same as left out.
    let month = r"^([0-9]{4}-(0[1-9]|1[0-2]))?$";
    let exports = || Codes(vec!["json", "csv", "xlsx"]);
    vec![
        ("/api/v1/consultations", "status", Codes(Status::ALL.iter().map(|s| s.as_str()).collect())),
        ("/api/v1/teams", "centre", Codes(centres())),
        ("/api/v1/teams", "topic", with_empty(taxonomy(TaxonomyKind::Topic))),
        ("/api/v1/services", "centre", Codes(centres())),
        // The finder reads an empty filter as no filter.
        ("/api/v1/experts", "centre", with_empty(centres())),
        ("/api/v1/experts", "county", with_empty(counties())),
        ("/api/v1/experts", "sector", with_empty(taxonomy(TaxonomyKind::Sector))),
        ("/api/v1/experts", "topic", with_empty(taxonomy(TaxonomyKind::Topic))),
        ("/api/v1/experts", "method", with_empty(taxonomy(TaxonomyKind::Method))),
        ("/api/v1/experts", "language", Pattern("^([a-z]{2})?$".into())),
        ("/api/v1/experts", "remote", Codes(vec!["", "true", "false"])),
        ("/api/v1/methods/coverage", "method", Codes(taxonomy(TaxonomyKind::Method))),
        ("/api/v1/research-needs", "status", Codes(research::NeedStatus::ALL.iter().map(|s| s.as_str()).collect())),
        ("/api/v1/research-needs", "format", Codes(vec!["json", "csv"])),
        ("/api/v1/statistics/consultations", "by", Pattern(format!("^({dimension})(,({dimension}))?$"))),
        ("/api/v1/statistics/consultations", "from", Pattern(month.into())),
        ("/api/v1/statistics/consultations", "to", Pattern(month.into())),
        ("/api/v1/statistics/consultations", "format", exports()),
        ("/api/v1/statistics/service", "by", Codes(vec!["centre"])),
        ("/api/v1/statistics/service", "from", Pattern(month.into())),
        ("/api/v1/statistics/service", "to", Pattern(month.into())),
        ("/api/v1/statistics/service", "format", exports()),
    ]
}

fn with_empty(mut codes: Vec<&'static str>) -> Rule {
    codes.insert(0, "");
    Codes(codes)
}

/// What `QueryParams` lets through in any value: no control character but
/// tab and line feed. `X-Access-Reason` is one line of text.
fn query_text(location: &str) -> String {
    if location == "header" {
        text_pattern(false, false)
    } else {
        r"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$".into()
    }
}

/// Characters `text::check` refuses: C0 and C1 controls, DEL; tab, line
/// feed and CR LF are let through only in multi-line fields.
fn text_pattern(multi: bool, required: bool) -> String {
    let any =
        if multi { r"(?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]|\r\n)*" } else { r"[^\u0000-\u001F\u007F-\u009F]*" };
    let lead = if multi { r"[\t\n ]*" } else { " *" };
    if required { format!(r"^{lead}[^\s\u0000-\u001F\u007F-\u009F]{any}$") } else { format!("^{any}$") }
}

fn apply(rule: &Rule, property: &mut Value) {
    // `Option<T>` fields are `type: [T, "null"]`; the rule is about T.
    let target = property.as_object_mut().expect("a property schema");
    match rule {
        Text { max, multi } | Required { max, multi } => {
            let required = matches!(rule, Required { .. });
            target.insert("maxLength".into(), json!(max));
            if required {
                target.insert("minLength".into(), json!(1));
            }
            target.insert("pattern".into(), json!(text_pattern(*multi, required)));
        }
        Codes(codes) => {
            let mut codes: Vec<Value> = codes.iter().map(|c| json!(c)).collect();
            if target.get("type").and_then(Value::as_array).is_some_and(|t| t.contains(&json!("null"))) {
                codes.push(Value::Null);
            }
            target.insert("enum".into(), Value::Array(codes));
        }
        CodeList(codes) => {
            target.insert("items".into(), json!({"type": "string", "enum": codes}));
        }
        Int { min, max } => {
            target.insert("minimum".into(), json!(min));
            if let Some(max) = max {
                target.insert("maximum".into(), json!(max));
            }
        }
        Format(format) => {
            target.insert("format".into(), json!(format));
        }
        Pattern(pattern) => {
            target.insert("pattern".into(), json!(pattern));
        }
        Items { min, max } => {
            target.insert("minItems".into(), json!(min));
            if let Some(max) = max {
                target.insert("maxItems".into(), json!(max));
            }
        }
    }
}

/// Writes the table into the document's component schemas; returns the
/// entries that named no property.
pub fn state_limits(doc: &mut Value) -> Vec<String> {
    let mut missing = Vec::new();
    for (schema, name, rule) in table() {
        match doc.pointer_mut(&format!("/components/schemas/{schema}/properties/{name}")) {
            Some(property) => apply(&rule, property),
            None => missing.push(format!("{schema}.{name}")),
        }
    }
    let rules = parameters();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return missing };
    for (path, item) in paths.iter_mut().filter(|(p, _)| p.starts_with("/api/v1/")) {
        let operations = item.as_object_mut().into_iter().flat_map(|ops| ops.values_mut());
        for p in operations.filter_map(|op| op.get_mut("parameters")?.as_array_mut()).flatten() {
            let (location, name) = (p["in"].as_str().unwrap_or("").to_string(), p["name"].as_str().unwrap_or(""));
            let rule = rules.iter().find(|(rp, rn, _)| rp == path && *rn == name).map(|(_, _, r)| r);
            let Some(schema) = p.get_mut("schema") else { continue };
            match rule {
                Some(rule) => apply(rule, schema),
                None if location != "path" && schema_is_string(schema) => {
                    apply(&Pattern(query_text(&location)), schema)
                }
                None => {}
            }
        }
    }
    missing
}

fn schema_is_string(schema: &Value) -> bool {
    let t = &schema["type"];
    t == "string" || t.as_array().is_some_and(|t| t.contains(&json!("string")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_limit_names_a_property_of_the_document() {
        let mut doc = serde_json::to_value(<super::super::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        assert_eq!(super::state_limits(&mut doc), Vec::<String>::new());
    }
}
