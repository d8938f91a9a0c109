//! # cimd-worker: the Cloudflare Worker
//!
//! Hosts CIMD documents (`worker/clients/*.json`, checked at build time by `build.rs`) and serves
//! the validation API (`POST /api/validate`, `GET /api/validate?url=`, `POST /api/match`,
//! `GET /api/codes`); the playground's static assets are served by the runtime in front of it.
//!
//! A host only: every verdict comes from the core (`cimd`). The routes are plain Rust over a
//! request/reply shape ([`http`]) and a [`app::Platform`] trait for the I/O, so they build and are
//! tested natively; `host` (wasm32 only) implements the platform with the Workers runtime.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![cfg_attr(
    not(any(test, target_arch = "wasm32")),
    allow(
        dead_code,
        reason = "natively only the tests call the routes; the wasm host calls them in workerd"
    )
)]

mod app;
mod fetching;
mod hosted;
mod http;

#[cfg(target_arch = "wasm32")]
mod host;

#[cfg(test)]
mod tests;
