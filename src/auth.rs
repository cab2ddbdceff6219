//! Optional authentication (Basic login/password or Bearer token). Secrets never appear in
//! `Debug` output, errors or logs.

use std::fmt;

use base64::Engine as _;
use http::HeaderValue;

use crate::error::{Error, Result};

/// A string that must not be shown: `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself; use only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// How requests authenticate. LUNA inner services usually need none (the account id travels in
/// `Luna-Account-Id`); the API service and gateways in front of the services may ask for one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// `Authorization: Basic base64(login:password)`.
    Basic {
        /// Account login (e-mail).
        login: String,
        /// Account password.
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
}

impl Auth {
    /// The `Authorization` header value (marked sensitive), if any.
    pub(crate) fn header_value(&self) -> Result<Option<HeaderValue>> {
        let raw = match self {
            Auth::None => return Ok(None),
            Auth::Basic { login, password } => {
                let pair = format!("{login}:{}", password.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
            Auth::Bearer(token) => format!("Bearer {}", token.expose()),
        };
        let mut value = HeaderValue::from_str(&raw).map_err(|_| {
            Error::Config("credentials contain characters not allowed in a header".into())
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let basic = Auth::Basic {
            login: "root@visionlabs.ai".into(),
            password: Secret::new("hunter2"),
        };
        let bearer = Auth::Bearer(Secret::new("eyJtoken"));
        assert!(!format!("{basic:?}").contains("hunter2"));
        assert!(!format!("{bearer:?}").contains("eyJtoken"));
        let header = basic.header_value().unwrap().unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("cm9vd"));
        assert_eq!(
            header.to_str().unwrap(),
            "Basic cm9vdEB2aXNpb25sYWJzLmFpOmh1bnRlcjI="
        );
    }
}
