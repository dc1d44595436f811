//! Access carried in types. A handler of a route that needs sign-in takes
//! `Require<C>`, where `C` is the zero-sized marker of the capability the
//! route declares in the table: the extractor exists only once the route's
//! check ran for that very capability, and it holds the signed-in caller,
//! not an `Option`. A handler whose marker disagrees with its table entry
//! answers 500 on every call, which the route × role test finds.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tukiverkko_store::accounts::Account;

use super::{Granted, Principal};
use crate::error::AppError;

pub use tukiverkko_domain::capability::{Marker as Cap, marker as cap};

/// Proof that the caller is signed in and holds capability `C`.
pub struct Require<C: Cap> {
    pub principal: Principal,
    _capability: PhantomData<C>,
}

impl<C: Cap> Require<C> {
    pub fn account(&self) -> &Account {
        &self.principal.account
    }

    /// Any capability proves sign-in, so a page shared by all signed-in
    /// users can be shown from a handler that needed more.
    pub fn signed_in(&self) -> Require<cap::SignedIn> {
        Require { principal: self.principal.clone(), _capability: PhantomData }
    }
}

impl<S: Send + Sync, C: Cap> FromRequestParts<S> for Require<C> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let granted = parts
            .extensions
            .get::<Granted>()
            .ok_or_else(|| AppError::Internal(format!("route {} declares no capability", parts.uri.path())))?;
        if granted.capability != C::CAPABILITY {
            return Err(AppError::Internal(format!(
                "route {} declares {} but its handler requires {}",
                parts.uri.path(),
                granted.capability.as_str(),
                C::CAPABILITY.as_str()
            )));
        }
        let principal = granted.principal.clone().ok_or(AppError::Unauthorized)?;
        Ok(Require { principal, _capability: PhantomData })
    }
}
