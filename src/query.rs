//! Query-string building shared by every service: LUNA conventions (comma-separated lists, `0`/`1`
//! flags, RFC 3339 UTC times) written once.

use std::borrow::Cow;
use std::fmt::Display;

use time::OffsetDateTime;

use crate::error::{Error, Result};

/// Ordered query pairs of one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(Cow<'static, str>, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name=value`.
    pub fn push(&mut self, name: &'static str, value: impl Display) -> &mut Self {
        self.pairs.push((Cow::Borrowed(name), value.to_string()));
        self
    }

    /// Adds `name=value` (a value already written).
    pub fn push_str(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.pairs.push((Cow::Borrowed(name), value.to_owned()));
        self
    }

    /// Adds `name=value` when `value` is set.
    pub fn push_opt(&mut self, name: &'static str, value: Option<impl Display>) -> &mut Self {
        if let Some(value) = value {
            self.push(name, value);
        }
        self
    }

    /// Adds `name=a,b,c` when the list is not empty.
    pub fn push_list<T: Display>(
        &mut self,
        name: &'static str,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        let joined = join_comma(values);
        if !joined.is_empty() {
            self.pairs.push((Cow::Borrowed(name), joined));
        }
        self
    }

    /// Adds `name=1` or `name=0`.
    pub fn push_flag(&mut self, name: &'static str, value: bool) -> &mut Self {
        self.push(name, u8::from(value))
    }

    /// Adds `name=0|1` when set.
    pub fn push_flag_opt(&mut self, name: &'static str, value: Option<bool>) -> &mut Self {
        if let Some(value) = value {
            self.push_flag(name, value);
        }
        self
    }

    /// Adds a time bound as RFC 3339 in UTC (`2024-01-31T12:00:00Z`) when set.
    pub fn push_time(&mut self, name: &'static str, value: Option<OffsetDateTime>) -> &mut Self {
        if let Some(value) = value {
            self.pairs.push((Cow::Borrowed(name), format_time(value)));
        }
        self
    }

    /// Adds a pair with an owned name (raw requests, extra pairs).
    pub fn push_owned(&mut self, name: String, value: String) -> &mut Self {
        self.pairs.push((Cow::Owned(name), value));
        self
    }

    /// Removes every pair named `name`.
    pub(crate) fn remove(&mut self, name: &str) {
        self.pairs.retain(|(n, _)| n != name);
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_ref(), v.as_str()))
    }

    /// The value of the first pair named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Joins values with commas (LUNA's multi-value query form).
pub(crate) fn join_comma<T: Display>(values: impl IntoIterator<Item = T>) -> String {
    let mut out = String::new();
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&v.to_string());
    }
    out
}

/// Formats a time as RFC 3339 in UTC with the `Z` suffix, the form LUNA documents as accepted.
/// A time whose UTC year RFC 3339 cannot write (outside 0000–9999) goes as its Unix
/// timestamp in seconds.
pub fn format_time(value: OffsetDateTime) -> String {
    crate::model::time_format::format(value).unwrap_or_else(|| value.unix_timestamp().to_string())
}

/// Checks that a number lies in `min..=max` (and is finite); `argument` names it in the error.
pub(crate) fn check_range(argument: &'static str, value: Option<f64>, min: f64, max: f64) -> Result<()> {
    match value {
        Some(v) if !(v.is_finite() && (min..=max).contains(&v)) => Err(Error::invalid(
            argument,
            format!("{v} is not in {min}…{max}"),
        )),
        _ => Ok(()),
    }
}

/// Checks a similarity, threshold or score (`0..=1`).
pub(crate) fn check_unit(argument: &'static str, value: Option<f64>) -> Result<()> {
    check_range(argument, value, 0.0, 1.0)
}

/// Checks a latitude (`-90..=90`) and a longitude (`-180..=180`).
pub(crate) fn check_coordinates(
    latitude: (&'static str, Option<f64>),
    longitude: (&'static str, Option<f64>),
) -> Result<()> {
    check_range(latitude.0, latitude.1, -90.0, 90.0)?;
    check_range(longitude.0, longitude.1, -180.0, 180.0)
}

/// Checks a page number (≥ 1).
pub(crate) fn check_page(page: u32) -> Result<()> {
    if page == 0 {
        return Err(Error::invalid("page", "pages are numbered from 1"));
    }
    Ok(())
}

/// Checks a page size against `1..=max`.
pub(crate) fn check_page_size(page_size: u32, max: u32) -> Result<()> {
    if page_size == 0 || page_size > max {
        return Err(Error::invalid(
            "page_size",
            format!("must be between 1 and {max}, got {page_size}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn lists_flags_and_times_follow_luna_conventions() {
        let mut q = Query::new();
        q.push_list("face_ids", ["a", "b"])
            .push_list("empty", Vec::<String>::new())
            .push_flag("with_faces", true)
            .push_flag_opt("ignore", Some(false))
            .push_time("create_time__gte", Some(datetime!(2024-01-31 15:00:00 +03:00)))
            .push_opt("user_data", None::<&str>);
        let pairs: Vec<_> = q.pairs().collect();
        assert_eq!(
            pairs,
            vec![
                ("face_ids", "a,b"),
                ("with_faces", "1"),
                ("ignore", "0"),
                ("create_time__gte", "2024-01-31T12:00:00Z"),
            ]
        );
    }

    #[test]
    fn subsecond_times_keep_their_precision() {
        assert_eq!(
            format_time(datetime!(2018-08-11 09:11:41.674 UTC)),
            "2018-08-11T09:11:41.674Z"
        );
    }
}
