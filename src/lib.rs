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

/// A `tracing` debug event (feature `tracing`); without the feature, nothing (its arguments are
/// not evaluated).
#[cfg(feature = "tracing")]
macro_rules! debug_event {
    ($($event:tt)*) => { tracing::debug!($($event)*) };
}
#[cfg(not(feature = "tracing"))]
macro_rules! debug_event {
    ($($event:tt)*) => {};
}

with_a_mode! {
// Mode-free code, compiled once and shared by both clients.
mod auth;
mod call;
pub mod catalogue;
#[cfg(feature = "conformance")]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub mod conformance;
mod declare;
mod descriptor;
mod encoding;
mod error;
pub mod error_codes;
mod filters;
mod finite;
mod id;
mod json_path;
mod multipart;
pub mod model;
#[cfg(feature = "conformance")]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub mod openapi;
mod options;
mod query;
mod raw;
mod repeat_guard;
mod request_id;
mod retry;
mod service;
pub mod services;
mod settings;
mod transport;
mod url_len;

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

/// The mode-free public items, exported at the crate root and again under
/// [`blocking`](crate::blocking) (when that mode is on).
mod shared {
    pub use crate::auth::{Auth, Secret};
    pub use crate::descriptor::{
        payload_len, Descriptor, DescriptorError, RawDescriptor, SdkDescriptor, SDK_HEADER_LEN,
        SDK_MAGIC,
    };
    pub use crate::error::{ApiError, BoxError, Error, Result, TransportErrorKind, BODY_SNIPPET_LIMIT};
    pub use crate::id::Id;
    pub use crate::options::RequestOptions;
    pub use crate::query::{format_time, Query};
    pub use crate::raw::{RawRequest, RawResponse};
    pub use crate::request_id::{generate as generate_request_id, validate as validate_request_id};
    pub use crate::retry::RetryPolicy;
    pub use crate::service::{Service, ServiceEndpoint};
    pub use crate::settings::{
        ACCOUNT_ID_HEADER, ACCOUNT_ID_VARIABLE, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
        MAX_URL_LEN, REQUEST_ID_HEADER,
    };
    pub use crate::transport::UploadBody;

    /// Re-exports used in public signatures.
    pub use bytes::Bytes;
    pub use http::{HeaderMap, Method, StatusCode};
    pub use time::OffsetDateTime;
    pub use uuid::Uuid;
}
pub use shared::*;
}

/// Declares the client of one mode from the mode-dependent source files, shared by both modes.
/// Invoked once by `src/nonblocking/mod.rs` and once by `src/blocking/mod.rs`, each of which
/// first brings its own `maybe_async` (`must_be_async` or `must_be_sync`) and its own
/// `transport`, `pages`, `byte_stream` and `socket` modules into scope. The shared files name
/// their siblings with `super::`, never with a mode-specific `crate::` path.
///
/// Every function of the service files (`services/`: the service methods, their page sources and
/// the helpers that build a request or read an answer) is `#[inline]`, as the generic ones
/// already are in effect: a program compiles the methods it calls, with the (de)serializers of
/// their bodies and answers, and luna-clients compiles none of them (about 40 % of its code).
/// `.ci/inline_services.py` checks it.
#[cfg(any(feature = "async", feature = "blocking"))]
macro_rules! mode_tree {
    () => {
        #[path = "../client.rs"]
        mod client;
        #[path = "../context.rs"]
        mod context;
        #[path = "../services/events/cursor.rs"]
        mod event_cursor;
        #[path = "../services/events/mod.rs"]
        mod events;
        #[path = "../services/faces/mod.rs"]
        mod faces;
        #[path = "../services/handle.rs"]
        mod handle;
        #[path = "../services/handlers/mod.rs"]
        mod handlers;
        #[path = "../services/image_store.rs"]
        mod image_store;
        #[path = "../services/matcher.rs"]
        mod matcher;
        #[path = "../pagination.rs"]
        mod pagination;
        #[path = "../services/remote_sdk.rs"]
        mod remote_sdk;
        #[path = "../services/sender/mod.rs"]
        mod sender;

        pub use byte_stream::ByteStream;
        pub use client::{LunaClient, LunaClientBuilder};
        pub use events::{Events, EventsApi};
        pub use faces::{Faces, FacesApi};
        pub use handlers::{Handlers, HandlersApi};
        pub use image_store::{DownloadStream, ImageStore, ImageStoreApi};
        pub use matcher::{Matcher, MatcherApi};
        pub use pages::Pages;
        pub use remote_sdk::{RemoteSdk, RemoteSdkApi};
        #[cfg(feature = "sender")]
        #[cfg_attr(docsrs, doc(cfg(feature = "sender")))]
        pub use sender::Subscription;
        pub use sender::{Sender, SenderApi};

        /// The service traits (`FacesApi`, `EventsApi`, ...), whose methods are the service
        /// handles' API: `use luna_clients::prelude::*;` (async) or
        /// `use luna_clients::blocking::prelude::*;` (blocking) brings them into scope.
        pub mod prelude {
            pub use super::{
                EventsApi, FacesApi, HandlersApi, ImageStoreApi, LunaClient, MatcherApi,
                RemoteSdkApi, SenderApi,
            };
        }
    };
}

// The async client (feature `async`, default) at the crate root.
#[cfg(feature = "async")]
#[allow(clippy::duplicate_mod)] // the mode tree is loaded once per mode, on purpose
mod nonblocking;
#[cfg(all(feature = "async", feature = "sender"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "async", feature = "sender"))))]
pub use nonblocking::Subscription;
#[cfg(feature = "async")]
#[cfg_attr(docsrs, doc(cfg(feature = "async")))]
pub use nonblocking::{
    prelude, ByteStream, DownloadStream, Events, EventsApi, Faces, FacesApi, Handlers, HandlersApi,
    ImageStore, ImageStoreApi, LunaClient, LunaClientBuilder, Matcher, MatcherApi, Pages,
    RemoteSdk, RemoteSdkApi, Sender, SenderApi, MODE, USER_AGENT,
};

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
#[allow(clippy::duplicate_mod)] // the mode tree is loaded once per mode, on purpose
pub mod blocking;
