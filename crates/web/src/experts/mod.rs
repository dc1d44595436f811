//! The expert directory over HTTP: search (API and page), profiles, edits.

pub mod api;
pub mod directory;
pub mod import;
pub mod pages;
