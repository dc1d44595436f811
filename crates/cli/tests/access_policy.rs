//! The access policy written out by hand, beside the test that enforces it.
//! The router is built from its own table (`tukiverkko_web::route_specs`);
//! the route × role test compares that table and the roles' grants with
//! this file, so changing who may call a route fails the suite until this
//! file says the same.

/// Every route: method, path template, the capability it needs.
pub const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/", "public"),
    ("GET", "/accessibility", "public"),
    ("GET", "/privacy", "public"),
    ("GET", "/login", "public"),
    ("POST", "/login", "public"),
    ("GET", "/login/oidc", "public"),
    ("GET", "/login/oidc/callback", "public"),
    ("POST", "/logout", "signed_in"),
    ("GET", "/lang/{code}", "public"),
    ("GET", "/static/app.css", "public"),
    ("GET", "/healthz", "public"),
    ("GET", "/readyz", "public"),
    ("GET", "/metrics", "public"),
    ("GET", "/openapi.json", "public"),
    ("GET", "/experts", "search_experts"),
    ("GET", "/me/profile", "edit_profiles"),
    ("GET", "/admin/users", "manage_users"),
    ("POST", "/admin/users", "manage_users"),
    ("POST", "/admin/users/{id}/disable", "manage_users"),
    ("POST", "/admin/users/{id}/enable", "manage_users"),
    ("POST", "/admin/users/{id}/roles", "manage_users"),
    ("GET", "/settings", "signed_in"),
    ("GET", "/notifications", "signed_in"),
    ("POST", "/notifications/read", "signed_in"),
    ("POST", "/notifications/{id}/open", "signed_in"),
    ("POST", "/settings", "signed_in"),
    ("POST", "/settings/totp", "signed_in"),
    ("POST", "/settings/totp/confirm", "signed_in"),
    ("POST", "/settings/totp/remove", "signed_in"),
    ("POST", "/me/profile", "edit_profiles"),
    ("POST", "/me/availability", "edit_profiles"),
    ("GET", "/experts/import", "manage_experts"),
    ("POST", "/experts/import", "manage_experts"),
    ("POST", "/experts/import/{id}", "manage_experts"),
    ("GET", "/experts/{id}", "search_experts"),
    ("GET", "/consultations", "signed_in"),
    ("GET", "/consultations/new", "request_consultation"),
    ("POST", "/consultations", "request_consultation"),
    ("GET", "/consultations/{id}", "signed_in"),
    ("GET", "/consultations/{id}/edit", "request_consultation"),
    ("POST", "/consultations/{id}/edit", "request_consultation"),
    ("POST", "/consultations/{id}/act", "signed_in"),
    ("GET", "/consultations/{id}/print", "signed_in"),
    ("GET", "/admin/audit", "read_audit_log"),
    ("GET", "/api/v1/experts", "search_experts"),
    ("GET", "/api/v1/experts/{id}", "search_experts"),
    ("PUT", "/api/v1/experts/{id}", "edit_profiles"),
    ("GET", "/api/v1/me", "signed_in"),
    ("POST", "/api/v1/me/password", "signed_in"),
    ("POST", "/api/v1/me/totp", "signed_in"),
    ("POST", "/api/v1/me/totp/confirm", "signed_in"),
    ("GET", "/api/v1/audit", "read_audit_log"),
    ("GET", "/api/v1/notifications", "signed_in"),
    ("GET", "/api/v1/calendar.ics", "signed_in"),
    ("POST", "/api/v1/consultations", "request_consultation"),
    ("GET", "/api/v1/consultations", "signed_in"),
    ("GET", "/api/v1/consultations/{id}", "signed_in"),
    ("POST", "/api/v1/consultations/{id}/submit", "request_consultation"),
    ("POST", "/api/v1/consultations/{id}/reroute", "triage_consultations"),
    ("GET", "/api/v1/consultations/{id}/suggested-experts", "triage_consultations"),
    ("POST", "/api/v1/consultations/{id}/assignment", "triage_consultations"),
    ("POST", "/api/v1/consultations/{id}/accept", "answer_consultations"),
    ("POST", "/api/v1/consultations/{id}/decline", "signed_in"),
    ("POST", "/api/v1/consultations/{id}/statement", "answer_consultations"),
    ("POST", "/api/v1/consultations/{id}/feedback", "request_consultation"),
    ("POST", "/api/v1/consultations/{id}/cancel", "signed_in"),
    ("POST", "/api/v1/consultations/{id}/messages", "signed_in"),
    ("POST", "/api/v1/consultations/{id}/meetings", "signed_in"),
    ("GET", "/api/v1/consultations/{id}/meetings/{file}", "signed_in"),
    ("GET", "/api/v1/users", "manage_users"),
    ("POST", "/api/v1/users/{id}/disable", "manage_users"),
];

/// What each role may do (`public` needs no role; anonymous callers get only that).
pub const ROLES: &[(&str, &[&str])] = &[
    ("requester", &["public", "signed_in", "search_experts", "request_consultation"]),
    ("expert", &["public", "signed_in", "search_experts", "edit_profiles", "answer_consultations"]),
    (
        "coordinator",
        &["public", "signed_in", "search_experts", "edit_profiles", "manage_experts", "triage_consultations"],
    ),
    ("researcher", &["public", "signed_in"]),
    ("experience_expert", &["public", "signed_in", "search_experts", "edit_profiles", "answer_consultations"]),
    (
        "admin",
        &["public", "signed_in", "search_experts", "edit_profiles", "manage_experts", "manage_users", "read_audit_log"],
    ),
];

/// Whether a caller with `roles` (none: anonymous) may pass `capability`, by this file.
pub fn allows(roles: &[&str], capability: &str) -> bool {
    capability == "public"
        || roles.iter().any(|r| ROLES.iter().any(|(role, caps)| role == r && caps.contains(&capability)))
}
