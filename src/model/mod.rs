//! The data types of the SDK, mode-free: every request and parameter type (queries, params,
//! options, inputs, filters, references, policies), with the constants of the calls that use
//! them (page size maxima, default page sizes, header names, content types), and every answer.
//! Unknown response fields are kept in each answer's `extra` map: LUNA adds fields every release.
//!
//! # Layout
//!
//! * One submodule per service ([`events`], [`faces`], [`handlers`], [`image_store`],
//!   [`remote_sdk`], [`sender`]) holding both its requests and its answers, plus [`common`]
//!   (types of more than one service), [`images`] (image inputs) and [`matching`] (matcher
//!   requests and answers, also used by handler match policies). A large service module is a
//!   directory of small modules with one job each (`events/query.rs`, `faces/query.rs`,
//!   `handlers/params.rs`, `sender/filters.rs`), whose items are exported at the service module:
//!   a type has one canonical path, `luna_clients::model::<service>::<Type>`.
//! * This tree depends on nothing above it: no file under `src/model/` names
//!   `luna_clients::services`, a mode tree (`blocking`, the async client at the root) or the
//!   client, so no module cycle can form (`tests/layers.rs` checks it).
//! * `luna_clients::services::<service>` documents each service (the Python → Rust method maps)
//!   and re-exports its request types and constants under their old paths
//!   (`services::faces::FacesQuery` is `model::faces::FacesQuery`); it defines no type. The
//!   service clients (`Faces`, ... of either mode) use these types and are not part of this tree.

pub mod common;
pub mod events;
pub mod faces;
pub mod image_store;
pub mod handlers;
pub mod images;
pub mod matching;
pub mod remote_sdk;
pub mod sender;
pub(crate) mod time_format;

/// Declares an integer-coded LUNA enumeration with an `Unknown(i64)` catch-all, serialized as
/// its wire number, so a value added by a newer server never fails decoding.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know.
            Unknown(i64),
        }

        impl $name {
            /// The wire number.
            pub fn code(self) -> i64 {
                match self {
                    $( $name::$variant => $value, )+
                    $name::Unknown(v) => v,
                }
            }

            /// The variant of a wire number.
            pub fn from_code(code: i64) -> Self {
                match code {
                    $( $value => $name::$variant, )+
                    other => $name::Unknown(other),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                i64::deserialize(d).map($name::from_code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.code())
            }
        }
    };
}

/// Declares a string-valued LUNA enumeration (targets, field names) with an `Other(String)`
/// pass-through for values this crate does not know.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// Any other value, sent as given.
            Other(String),
        }

        impl $name {
            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )+
                    $name::Other(v) => v,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(|s| $name::from(s.as_str()))
            }
        }
    };
}

pub(crate) use string_enum;
pub(crate) use wire_enum;
