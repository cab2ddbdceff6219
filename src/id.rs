//! Object ids given by callers: a [`uuid::Uuid`] or any string, validated before sending.

use std::fmt;

use uuid::Uuid;

use crate::error::{Error, Result};

/// An object id argument (face, list, attribute, event, handler... ids are UUIDs in LUNA).
///
/// Built from a [`Uuid`] or a string; a string that is not a UUID fails the call with
/// [`Error::InvalidArgument`] before anything is sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Id(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Uuid(Uuid),
    Text(String),
}

impl Id {
    /// Validates the id; `argument` names it in the error.
    pub(crate) fn resolve(&self, argument: &'static str) -> Result<Uuid> {
        match &self.0 {
            Repr::Uuid(u) => Ok(*u),
            Repr::Text(s) => Uuid::try_parse(s)
                .map_err(|_| Error::invalid(argument, format!("{s:?} is not a UUID"))),
        }
    }

    /// Validates an optional id; `argument` names it in the error.
    pub(crate) fn resolve_opt(id: &Option<Id>, argument: &'static str) -> Result<Option<Uuid>> {
        id.as_ref().map(|id| id.resolve(argument)).transpose()
    }

    /// Validates a list of ids; `argument` names it in the error.
    pub(crate) fn resolve_all<'a>(
        ids: impl IntoIterator<Item = &'a Id>,
        argument: &'static str,
    ) -> Result<Vec<Uuid>> {
        ids.into_iter().map(|id| id.resolve(argument)).collect()
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Uuid(u) => write!(f, "Id({u})"),
            Repr::Text(s) => write!(f, "Id({s:?})"),
        }
    }
}

impl From<Uuid> for Id {
    fn from(value: Uuid) -> Self {
        Id(Repr::Uuid(value))
    }
}

impl From<&Uuid> for Id {
    fn from(value: &Uuid) -> Self {
        Id(Repr::Uuid(*value))
    }
}

impl From<&str> for Id {
    fn from(value: &str) -> Self {
        Id(Repr::Text(value.to_owned()))
    }
}

impl From<String> for Id {
    fn from(value: String) -> Self {
        Id(Repr::Text(value))
    }
}

impl From<&String> for Id {
    fn from(value: &String) -> Self {
        Id(Repr::Text(value.clone()))
    }
}

/// Collects ids from anything iterable (`&[Uuid]`, `Vec<&str>`, ...).
pub(crate) fn collect_ids<I>(ids: I) -> Vec<Id>
where
    I: IntoIterator,
    I::Item: Into<Id>,
{
    ids.into_iter().map(Into::into).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_uuids_and_refuses_other_strings() {
        let u = Uuid::new_v4();
        assert_eq!(Id::from(u).resolve("id").unwrap(), u);
        assert_eq!(Id::from(u.to_string()).resolve("id").unwrap(), u);
        let err = Id::from("../faces").resolve("face_id").unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidArgument {
                argument: "face_id",
                ..
            }
        ));
    }
}
