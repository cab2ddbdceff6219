#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]
#![deny(rust_2018_idioms)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod mode;

/// Compiles its items only when a mode is on, so that a build with neither mode fails with the
/// one `compile_error!` of `mode.rs` and nothing else.
macro_rules! with_a_mode {
    ($($item:item)*) => { $( #[cfg(any(feature = "async", feature = "blocking"))] $item )* };
}

with_a_mode! {
mod auth;
mod call;
mod client;
mod context;
mod descriptor;
mod error;
pub mod error_codes;
mod filters;
mod id;
mod multipart;
pub mod model;
mod options;
mod pagination;
mod query;
mod raw;
mod request_id;
mod retry;
mod service;
pub mod services;
mod transport;

/// Wire notes.
///
#[doc = include_str!("wire_notes/index.md")]
#[doc = include_str!("wire_notes/common.md")]
#[doc = include_str!("wire_notes/events.md")]
#[doc = include_str!("wire_notes/faces.md")]
#[doc = include_str!("wire_notes/handlers.md")]
#[doc = include_str!("wire_notes/image_store.md")]
#[doc = include_str!("wire_notes/matcher.md")]
#[doc = include_str!("wire_notes/remote_sdk.md")]
#[doc = include_str!("wire_notes/sender.md")]
pub mod wire_notes {}

pub use auth::{Auth, Secret};
pub use client::{
    LunaClient, LunaClientBuilder, ACCOUNT_ID_VARIABLE, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, USER_AGENT,
};
pub use context::{ACCOUNT_ID_HEADER, REQUEST_ID_HEADER};
pub use descriptor::{
    payload_len, Descriptor, DescriptorError, RawDescriptor, SdkDescriptor, SDK_HEADER_LEN,
    SDK_MAGIC,
};
pub use error::{ApiError, BoxError, Error, Result, TransportErrorKind, BODY_SNIPPET_LIMIT};
pub use id::Id;
pub use options::RequestOptions;
pub use pagination::Pages;
pub use query::{format_time, Query};
pub use raw::{RawRequest, RawResponse};
pub use request_id::{generate as generate_request_id, validate as validate_request_id};
pub use retry::RetryPolicy;
pub use service::{Service, ServiceEndpoint};
pub use services::events::Events;
pub use services::faces::Faces;
pub use services::handlers::Handlers;
pub use services::image_store::ImageStore;
pub use services::matcher::Matcher;
pub use services::remote_sdk::RemoteSdk;
pub use transport::{ByteStream, UploadBody};
pub use services::sender::Sender;

/// Re-exports used in public signatures.
pub use bytes::Bytes;
pub use http::{HeaderMap, Method, StatusCode};
pub use time::OffsetDateTime;
pub use uuid::Uuid;

/// The mode this build of the crate is in: `"async"` or `"blocking"`.
#[cfg(feature = "blocking")]
pub const MODE: &str = "blocking";
/// The mode this build of the crate is in: `"async"` or `"blocking"`.
#[cfg(all(feature = "async", not(feature = "blocking")))]
pub const MODE: &str = "async";
}
