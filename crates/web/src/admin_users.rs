//! `/admin/users`: administrators list accounts, create them, disable and
//! enable them, and set roles and centre. Every change goes through the
//! store functions that take the administrator's proof and audit it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tukiverkko_domain::{CentreCode, Language, Role};
use tukiverkko_store::accounts::{self, AdminProof, NewUser};
use tukiverkko_store::admin_accounts;

use crate::auth::{Require, cap};
use crate::error::AppError;
use crate::extract::FormFields;
use crate::i18n::{Lang, error_message, t};
use crate::labels;
use crate::ops::ClientInfo;
use crate::state::AppState;
use crate::templates::{PageContext, render};

type Caller = Require<cap::ManageUsers>;

pub struct Pick {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub roles: String,
    pub centre: String,
    pub disabled: bool,
    pub is_self: bool,
    pub role_picks: Vec<Pick>,
    pub centre_picks: Vec<Pick>,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    page: PageContext,
    users: Vec<UserRow>,
    new_roles: Vec<Pick>,
    new_centres: Vec<Pick>,
    email: String,
    name: String,
    notice: Option<String>,
    error_field: String,
    error_anchor: String,
    error: Option<String>,
}

fn role_picks(lang: Language, chosen: &[Role]) -> Vec<Pick> {
    Role::ALL
        .iter()
        .map(|r| Pick {
            value: r.as_str().into(),
            label: t(lang, &format!("role-{}", r.as_str())),
            checked: chosen.contains(r),
        })
        .collect()
}

fn centre_picks(lang: Language, chosen: Option<CentreCode>) -> Vec<Pick> {
    CentreCode::ALL
        .iter()
        .map(|c| Pick {
            value: c.as_str().into(),
            label: labels::centre(lang, c.as_str()),
            checked: chosen == Some(*c),
        })
        .collect()
}

async fn page(
    state: &AppState,
    granted: &Caller,
    lang: Language,
    typed: Option<&FormFields>,
    notice: Option<String>,
    error: Option<(Option<String>, String)>,
) -> Result<UsersPage, AppError> {
    let admin = AdminProof::check(granted.account())?;
    let users = accounts::list(&state.db, admin)
        .await?
        .into_iter()
        .map(|a| UserRow {
            roles: a.roles.iter().map(|r| t(lang, &format!("role-{}", r.as_str()))).collect::<Vec<_>>().join(", "),
            centre: a.centre.map(|c| labels::centre(lang, c.as_str())).unwrap_or_else(|| "–".into()),
            is_self: a.id == granted.account().id,
            role_picks: role_picks(lang, &a.roles),
            centre_picks: centre_picks(lang, a.centre),
            id: a.id,
            name: a.name,
            email: a.email,
            disabled: a.disabled,
        })
        .collect();
    let typed_roles: Vec<Role> =
        typed.map(|f| f.all("roles").iter().filter_map(|r| r.parse().ok()).collect()).unwrap_or_default();
    let typed_centre = typed.and_then(|f| f.one("centre").parse().ok());
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    Ok(UsersPage {
        page: PageContext::new(lang, Some(&granted.principal), "/admin/users", "users-heading"),
        users,
        new_roles: role_picks(lang, &typed_roles),
        new_centres: centre_picks(lang, typed_centre),
        email: typed.map(|f| f.one("email")).unwrap_or_default(),
        name: typed.map(|f| f.one("name")).unwrap_or_default(),
        notice,
        error_anchor: match error_field.as_str() {
            "" => String::new(),
            "confirm" => "users-list-h".into(),
            field => format!("new-{field}"),
        },
        error_field,
        error,
    })
}

/// Notices after a change to an account.
pub const DONE: [&str; 4] = ["created", "disabled", "enabled", "roles"];

/// The accounts and the form for a new one; `?done=WHAT` says what happened.
pub async fn list(
    State(state): State<AppState>,
    granted: Caller,
    Lang(lang): Lang,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let notice = crate::templates::done_notice(lang, &uri, "users-done", &DONE);
    Ok(render(StatusCode::OK, &page(&state, &granted, lang, None, notice, None).await?))
}

fn parse_roles(fields: &FormFields) -> Result<(Vec<Role>, Option<CentreCode>), AppError> {
    let roles = fields
        .all("roles")
        .iter()
        .map(|r| r.parse::<Role>().map_err(|e| AppError::invalid("roles", e)))
        .collect::<Result<Vec<_>, _>>()?;
    let centre = match fields.one("centre").as_str() {
        "" => None,
        c => Some(c.parse().map_err(|e| AppError::invalid("centre", e))?),
    };
    Ok((roles, centre))
}

async fn or_page(
    state: &AppState,
    granted: &Caller,
    lang: Language,
    fields: &FormFields,
    result: Result<&'static str, AppError>,
) -> Result<Response, AppError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/admin/users?done={done}")).into_response()),
        Err(err) => {
            let status = err.status();
            let view = page(state, granted, lang, Some(fields), None, Some(error_message(lang, &err))).await?;
            Ok(render(status, &view))
        }
    }
}

/// Creates an account; experts and experience experts get a directory profile.
pub async fn create(
    State(state): State<AppState>,
    granted: Caller,
    client: ClientInfo,
    Lang(lang): Lang,
    fields: FormFields,
) -> Result<Response, AppError> {
    let result = async {
        let email = fields.one("email").parse().map_err(|e| AppError::invalid("email", e))?;
        let (roles, centre) = parse_roles(&fields)?;
        let password = Some(fields.one("password")).filter(|p| !p.is_empty());
        let user = NewUser { email, name: fields.one("name"), roles, centre, organization_id: None, password };
        user.validate().map_err(|e| {
            let field = match e.code {
                "role_required" => "roles",
                "centre_required" => "centre",
                "password_too_short" => "password",
                _ => "name",
            };
            AppError::invalid(field, e)
        })?;
        let by = client.actor(granted.account()).acting_as(Role::Admin);
        accounts::create(&state.db, &user, &by).await?;
        Ok("created")
    }
    .await;
    or_page(&state, &granted, lang, &fields, result).await
}

/// Disables an account after the confirmation box is ticked.
pub async fn disable(
    State(state): State<AppState>,
    granted: Caller,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let result = async {
        if fields.one("confirm") != "yes" {
            return Err(AppError::Invalid {
                code: "confirm".into(),
                detail: "confirm first".into(),
                field: Some("confirm".into()),
            });
        }
        let admin = AdminProof::check(granted.account())?;
        let by = client.actor(granted.account()).acting_as(Role::Admin);
        accounts::disable(&state.db, admin, &id, &by).await?;
        Ok("disabled")
    }
    .await;
    or_page(&state, &granted, lang, &fields, result).await
}

pub async fn enable(
    State(state): State<AppState>,
    granted: Caller,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let result = async {
        let admin = AdminProof::check(granted.account())?;
        let by = client.actor(granted.account()).acting_as(Role::Admin);
        admin_accounts::enable(&state.db, admin, &id, &by).await?;
        Ok("enabled")
    }
    .await;
    or_page(&state, &granted, lang, &fields, result).await
}

pub async fn set_roles(
    State(state): State<AppState>,
    granted: Caller,
    client: ClientInfo,
    Lang(lang): Lang,
    Path(id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let result = async {
        let (roles, centre) = parse_roles(&fields)?;
        let admin = AdminProof::check(granted.account())?;
        let by = client.actor(granted.account()).acting_as(Role::Admin);
        admin_accounts::set_roles(&state.db, admin, &id, &roles, centre, &by).await?;
        Ok("roles")
    }
    .await;
    or_page(&state, &granted, lang, &fields, result).await
}

/// This feature's routes, each with the capability it needs.
pub fn routes() -> Vec<crate::routes::Route> {
    use axum::http::Method;
    use axum::routing::{get, post};
    use tukiverkko_domain::Capability::*;

    use crate::routes::route;
    vec![
        route(Method::GET, "/admin/users", ManageUsers, get(list)),
        route(Method::POST, "/admin/users", ManageUsers, post(create)),
        route(Method::POST, "/admin/users/{id}/disable", ManageUsers, post(disable)),
        route(Method::POST, "/admin/users/{id}/enable", ManageUsers, post(enable)),
        route(Method::POST, "/admin/users/{id}/roles", ManageUsers, post(set_roles)),
    ]
}
