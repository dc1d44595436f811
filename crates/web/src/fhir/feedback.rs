//! The requester's close-out feedback as a QuestionnaireResponse to the
//! close-out questionnaire, `basedOn` the consultation's ServiceRequest.
//! The link ids are the JSON API's field names, so both read alike.

use serde_json::{Value, json};
use tukiverkko_store::consultations::CaseDetail;

use super::coding;
use super::systems::{FEEDBACK_ANSWER, FEEDBACK_QUESTIONNAIRE};

fn item(link_id: &str, text: &str, answer: Value) -> Value {
    json!({"linkId": link_id, "text": text, "answer": [answer]})
}

/// The response, when the case has feedback.
pub fn questionnaire_response(d: &CaseDetail) -> Option<Value> {
    let f = d.feedback.as_ref()?;
    let mut items = vec![
        item("usefulness", "Kuinka hyödyllinen vastaus oli (1–5)?", json!({"valueInteger": f.usefulness})),
        item("referral_avoided", "Vältettiinkö lähete?", json!({"valueBoolean": f.referral_avoided})),
    ];
    if let Some(again) = f.would_ask_again {
        items.push(item("would_ask_again", "Kysyisitkö uudelleen?", json!({"valueBoolean": again})));
    }
    if let Some(outcome) = &f.outcome {
        items.push(item(
            "outcome",
            "Mitä vastaus sai aikaan?",
            json!({"valueCoding": coding(FEEDBACK_ANSWER, outcome, None)}),
        ));
    }
    if let Some(referral) = &f.referral {
        items.push(item(
            "referral",
            "Vaikutus lähetteeseen",
            json!({"valueCoding": coding(FEEDBACK_ANSWER, referral, None)}),
        ));
    }
    if !f.comment.trim().is_empty() {
        items.push(item("comment", "Kommentti", json!({"valueString": f.comment})));
    }
    Some(json!({
        "resourceType": "QuestionnaireResponse",
        "id": d.case.id,
        "meta": super::meta(f.at, None),
        "questionnaire": FEEDBACK_QUESTIONNAIRE,
        "basedOn": [{"reference": format!("ServiceRequest/{}", d.case.id)}],
        "status": "completed",
        "authored": crate::labels::rfc3339(f.at),
        "author": {"type": "Practitioner", "display": d.requester.name},
        "item": items,
    }))
}
