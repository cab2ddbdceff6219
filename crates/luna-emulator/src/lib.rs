//! # luna-emulator
//!
//! An in-memory emulator of three LUNA PLATFORM 5 services — **luna-faces**, **luna-events** and
//! **luna-image-store** — for tests and trials without a LUNA deployment.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod context;
pub mod descriptors;
pub mod errors;
pub mod events;
pub mod faces;
pub mod image_store;
pub mod openapi;
pub mod paging;
pub mod query;
pub mod server;
pub mod store;
pub mod time_format;

pub use server::{Config, Emulator, Service};
