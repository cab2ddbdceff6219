//! Query strings: parsed once, checked against the parameters a route accepts (an unknown or
//! repeated parameter is a 12012 error), and read with typed getters that answer LUNA errors.

use crate::errors::{ApiError, ApiResult};
use crate::time_format::parse_time;
use time::OffsetDateTime;
use uuid::Uuid;

/// The name prefix of meta filters (`meta.<path>__<operator>:<type>`); a route accepts them
/// when its list of names holds [`META_FILTERS`].
pub const META_PREFIX: &str = "meta.";
/// Marker in a route's list of accepted names: meta filters are accepted.
pub const META_FILTERS: &str = "meta.*";

/// The parsed query of one request.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `raw` and refuses names not in `allowed` and names given twice.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> ApiResult<Self> {
        Self::from_pairs(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(name, value)| (name.into_owned(), value.into_owned())),
            allowed,
        )
    }

    /// Takes name / value pairs already split (e.g. the members of a JSON filters object),
    /// checked like [`Params::parse`].
    pub fn from_pairs(
        input: impl IntoIterator<Item = (String, String)>,
        allowed: &[&str],
    ) -> ApiResult<Self> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in input {
            let known = allowed.contains(&name.as_str())
                || (name.starts_with(META_PREFIX) && allowed.contains(&META_FILTERS));
            if !known {
                return Err(ApiError::bad_query(&name, "unknown parameter"));
            }
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(ApiError::bad_query(&name, "given more than once"));
            }
            pairs.push((name, value));
        }
        Ok(Self { pairs })
    }

    /// The raw value of `name`.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every meta filter (`meta.` names) with its value.
    pub fn meta(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs
            .iter()
            .filter(|(n, _)| n.starts_with(META_PREFIX))
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// A comma-separated value split into its items (`None` when absent).
    pub fn list(&self, name: &str) -> ApiResult<Option<Vec<&str>>> {
        match self.str(name) {
            None => Ok(None),
            Some(value) => {
                let items: Vec<&str> = value.split(',').collect();
                if items.iter().any(|i| i.is_empty()) {
                    return Err(ApiError::bad_query(name, "an empty item in the list"));
                }
                Ok(Some(items))
            }
        }
    }

    /// A UUID value.
    pub fn uuid(&self, name: &str) -> ApiResult<Option<Uuid>> {
        self.str(name).map(|v| parse_uuid(name, v)).transpose()
    }

    /// A comma-separated list of UUIDs.
    pub fn uuids(&self, name: &str) -> ApiResult<Option<Vec<Uuid>>> {
        self.list(name)?
            .map(|items| items.iter().map(|v| parse_uuid(name, v)).collect())
            .transpose()
    }

    /// An integer in `min..=max`.
    pub fn int(&self, name: &str, min: i64, max: i64) -> ApiResult<Option<i64>> {
        self.str(name)
            .map(|v| parse_int(name, v, min, max))
            .transpose()
    }

    /// A finite number in `min..=max`.
    pub fn number(&self, name: &str, min: f64, max: f64) -> ApiResult<Option<f64>> {
        self.str(name)
            .map(|v| parse_number(name, v, min, max))
            .transpose()
    }

    /// A `0` / `1` flag.
    pub fn flag(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.str(name) {
            None => Ok(None),
            Some("0") => Ok(Some(false)),
            Some("1") => Ok(Some(true)),
            Some(_) => Err(ApiError::bad_query(name, "expected 0 or 1")),
        }
    }

    /// An ISO-8601 / RFC 3339 time.
    pub fn time(&self, name: &str) -> ApiResult<Option<OffsetDateTime>> {
        self.str(name)
            .map(|v| parse_time(v).ok_or_else(|| ApiError::bad_query(name, "not an RFC 3339 time")))
            .transpose()
    }

    /// One value of an enumeration.
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> ApiResult<Option<String>> {
        match self.str(name) {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_owned())),
            Some(_) => Err(ApiError::bad_query(
                name,
                format!("expected one of {}", allowed.join(", ")),
            )),
        }
    }
}

/// Parses a UUID given under `name` (lowercase or uppercase hex with dashes).
pub fn parse_uuid(name: &str, value: &str) -> ApiResult<Uuid> {
    if value.len() != 36 {
        return Err(ApiError::bad_query(
            name,
            format!("'{value}' is not a valid uuid"),
        ));
    }
    Uuid::try_parse(value)
        .map_err(|_| ApiError::bad_query(name, format!("'{value}' is not a valid uuid")))
}

/// Parses an integer in `min..=max`.
pub fn parse_int(name: &str, value: &str, min: i64, max: i64) -> ApiResult<i64> {
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(ApiError::bad_query(
            name,
            format!("must be in {min}..={max}"),
        )),
        Err(_) => Err(ApiError::bad_query(name, "not an integer")),
    }
}

/// Parses a finite number in `min..=max`.
pub fn parse_number(name: &str, value: &str, min: f64, max: f64) -> ApiResult<f64> {
    match value.parse::<f64>() {
        Ok(n) if n.is_finite() && (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(ApiError::bad_query(
            name,
            format!("must be in {min}..={max}"),
        )),
        Err(_) => Err(ApiError::bad_query(name, "not a number")),
    }
}
