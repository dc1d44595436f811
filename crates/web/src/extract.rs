//! Request body extractors whose failures are problem+json with the dotted
//! path of the field at fault.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// JSON body: malformed JSON is 400, a wrong type or missing member 422
/// naming the field, an oversized body 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json") || ct.contains("+json"));
        if !is_json {
            return Err(AppError::BadRequest { detail: "expected Content-Type: application/json".into(), field: None });
        }
        let bytes = body_bytes(req, state).await?;
        let mut value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::BadRequest { detail: format!("malformed JSON: {e}"), field: None })?;
        integral_numbers(&mut value);
        serde_path_to_error::deserialize(value).map(ApiJson).map_err(|err| {
            let path = err.path().to_string();
            let field = (path != ".").then_some(path);
            AppError::Invalid { code: "invalid_value".into(), detail: err.into_inner().to_string(), field }
        })
    }
}

/// JSON has one number type: `3.0` is the integer 3 (as JSON Schema's
/// `integer` says, and as generators of the document send it), while serde
/// refuses a float where the field is an integer. Whole floats within i64
/// become integers before the typed read; float fields still read them.
fn integral_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15) {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(members) => members.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

pub async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest { detail: rejection.body_text(), field: None }
        }
    })
}

/// URL-encoded form body, with the same error mapping as [`ApiJson`].
pub struct FormBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for FormBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(&bytes));
        serde_path_to_error::deserialize(de).map(FormBody).map_err(|err| {
            let field = err.path().to_string();
            AppError::Invalid { code: "invalid_value".into(), detail: err.into_inner().to_string(), field: Some(field) }
        })
    }
}

fn form_urlencoded_parse(bytes: &[u8]) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(bytes)
}

/// A URL-encoded form read as name → values, for forms with repeated
/// fields (checkbox groups, multi-selects).
#[derive(Default)]
pub struct FormFields(pub std::collections::HashMap<String, Vec<String>>);

impl FormFields {
    pub fn one(&self, name: &str) -> String {
        self.0.get(name).and_then(|v| v.first()).cloned().unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default().into_iter().filter(|v| !v.is_empty()).collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        let mut map: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for (k, v) in form_urlencoded::parse(&bytes) {
            map.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        Ok(FormFields(map))
    }
}

/// Query string: a wrong type or out-of-range number is 422 naming the
/// parameter (problem+json, or the error page on page routes), and a
/// control character in any value is refused before it reaches a query.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for QueryParams<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        if let Some((name, _)) = form_urlencoded::parse(raw.as_bytes())
            .find(|(k, v)| k.chars().chain(v.chars()).any(|c| c.is_control() && c != '\t' && c != '\n'))
        {
            return Err(AppError::Invalid {
                code: "control_character".into(),
                detail: format!("the parameter {name} contains a control character"),
                field: Some(name.into_owned()),
            });
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de).map(QueryParams).map_err(|err| {
            let path = err.path().to_string();
            let field = (path != ".").then_some(path);
            AppError::Invalid { code: "invalid_value".into(), detail: err.into_inner().to_string(), field }
        })
    }
}

/// A JSON body that may be left out: no body (or an empty one) is
/// `T::default()`, anything else is read like [`ApiJson`].
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = body_bytes(Request::from_parts(parts.clone(), body), state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        ApiJson::<T>::from_request(req, state).await.map(|ApiJson(v)| OptionalJson(v))
    }
}
