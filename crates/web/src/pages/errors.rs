//! Page routes answer errors as HTML in the user's language; the API keeps
//! problem+json. Both come from the same `AppError`.

use askama::Template;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::error::ErrorMarker;
use crate::i18n::{self, t};
use crate::templates::{PageContext, render};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageContext,
    message: String,
}

pub async fn html_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // The API keeps problem+json; the FHIR facade turns it into an OperationOutcome.
    if path.starts_with("/api/") || path == "/openapi.json" || path == "/fhir" || path.starts_with("/fhir/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let lang = i18n::resolve(&parts);
    let principal = parts.extensions.get::<CurrentUser>().and_then(|c| c.0.clone());
    let path = parts.uri.path().to_string();
    let response = next.run(Request::from_parts(parts, body)).await;
    let Some(marker) = response.extensions().get::<ErrorMarker>().copied() else {
        return response;
    };
    let code = marker.status.as_u16();
    let key = match code {
        400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 429 | 503 => format!("error-{code}"),
        _ => "error-500".to_string(),
    };
    let page = PageContext::new(lang, principal.as_ref(), &path, "error-heading");
    let mut html = render(marker.status, &ErrorPage { page, message: t(lang, &key) });
    let carried = [
        axum::http::header::RETRY_AFTER,
        axum::http::header::SET_COOKIE,
        axum::http::HeaderName::from_static(crate::auth::REQUIRED_CAPABILITY_HEADER),
    ];
    for name in carried {
        for v in response.headers().get_all(&name) {
            html.headers_mut().append(name.clone(), v.clone());
        }
    }
    html
}
