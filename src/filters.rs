//! One definition of a filter set, two wire forms: a filter type writes each of its fields once
//! through a [`FilterSink`], and the sink decides the form — query pairs (`GET /events`,
//! `GET /faces`: comma-joined lists, `null` as text) or a JSON object (matching candidates and
//! cross-match filters: arrays, JSON `null`).

use std::fmt::Display;

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::query::{format_time, join_comma, Query};

/// Where a filter type writes its fields.
pub(crate) trait FilterSink {
    /// A single value (`name=value` / `"name": value`) when set.
    fn value<T: Display + Serialize>(&mut self, name: &'static str, value: Option<T>);

    /// A flag when set: `0`/`1` in queries, a JSON boolean in filter objects.
    fn flag(&mut self, name: &'static str, value: Option<bool>);

    /// A time bound, RFC 3339 in UTC, when set.
    fn time(&mut self, name: &'static str, value: Option<OffsetDateTime>);

    /// A list of values when not empty. In the query form string values must not contain the
    /// comma separator (`Error::InvalidArgument` naming `name`); JSON arrays take any text.
    fn list<T: Display + Serialize>(&mut self, name: &'static str, values: &[T]) -> Result<()>;

    /// A user-defined-data filter: the query pair `key=text`, or `"meta": {<key without the
    /// "meta." prefix>: json}` in the JSON form.
    fn meta(&mut self, key: String, text: String, json: Value);

    /// Paging, ordering and field selection: written to queries; in a JSON filter set (which
    /// has none of these) a set value is refused.
    fn query_only(&mut self, name: &'static str, value: Option<String>) -> Result<()>;
}

impl FilterSink for Query {
    fn value<T: Display + Serialize>(&mut self, name: &'static str, value: Option<T>) {
        self.push_opt(name, value);
    }

    fn flag(&mut self, name: &'static str, value: Option<bool>) {
        self.push_flag_opt(name, value);
    }

    fn time(&mut self, name: &'static str, value: Option<OffsetDateTime>) {
        self.push_time(name, value);
    }

    fn list<T: Display + Serialize>(&mut self, name: &'static str, values: &[T]) -> Result<()> {
        let texts: Vec<String> = values.iter().map(ToString::to_string).collect();
        if let Some(bad) = texts.iter().find(|t| t.contains(',')) {
            return Err(Error::invalid(
                name,
                format!("{bad:?} contains a comma, the list separator"),
            ));
        }
        self.push_list(name, texts);
        Ok(())
    }

    fn meta(&mut self, key: String, text: String, _json: Value) {
        self.push_owned(key, text);
    }

    fn query_only(&mut self, name: &'static str, value: Option<String>) -> Result<()> {
        self.push_opt(name, value);
        Ok(())
    }
}

/// The JSON form of a filter set: one object, members in the order written.
#[derive(Debug, Default)]
pub(crate) struct JsonFilters {
    pub map: Map<String, Value>,
}

impl JsonFilters {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn insert<T: Serialize>(&mut self, name: &'static str, value: T) {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.map.insert(name.to_owned(), value);
    }
}

impl FilterSink for JsonFilters {
    fn value<T: Display + Serialize>(&mut self, name: &'static str, value: Option<T>) {
        if let Some(value) = value {
            self.insert(name, value);
        }
    }

    fn flag(&mut self, name: &'static str, value: Option<bool>) {
        if let Some(value) = value {
            self.insert(name, value);
        }
    }

    fn time(&mut self, name: &'static str, value: Option<OffsetDateTime>) {
        if let Some(value) = value {
            self.insert(name, format_time(value));
        }
    }

    fn list<T: Display + Serialize>(&mut self, name: &'static str, values: &[T]) -> Result<()> {
        if !values.is_empty() {
            self.insert(name, values);
        }
        Ok(())
    }

    fn meta(&mut self, key: String, _text: String, json: Value) {
        let key = key.strip_prefix("meta.").map(str::to_owned).unwrap_or(key);
        let meta = self
            .map
            .entry("meta")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            meta.insert(key, json);
        }
    }

    fn query_only(&mut self, name: &'static str, value: Option<String>) -> Result<()> {
        match value {
            None => Ok(()),
            Some(_) => Err(Error::invalid(
                name,
                "paging, order and targets are not filters: not allowed in matching filters",
            )),
        }
    }
}

/// `a,b,c` for a query-only list (targets), `None` when empty.
pub(crate) fn joined<T: Display>(values: &[T]) -> Option<String> {
    (!values.is_empty()).then(|| join_comma(values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn write_all<S: FilterSink>(s: &mut S) -> Result<()> {
        s.value("user_data", Some("ann"));
        s.value("age__gte", None::<u32>);
        s.time("create_time__gte", Some(datetime!(2024-01-31 15:00 +03:00)));
        s.list("sources", &["a", "b"])?;
        s.list("tags", &Vec::<String>::new())?;
        s.meta("meta.badge.n__gte:integer".into(), "17".into(), json!(17));
        Ok(())
    }

    #[test]
    fn one_writer_two_forms() {
        let mut q = Query::new();
        write_all(&mut q).unwrap();
        let pairs: Vec<_> = q.pairs().collect();
        assert_eq!(
            pairs,
            vec![
                ("user_data", "ann"),
                ("create_time__gte", "2024-01-31T12:00:00Z"),
                ("sources", "a,b"),
                ("meta.badge.n__gte:integer", "17"),
            ]
        );
        let mut j = JsonFilters::new();
        write_all(&mut j).unwrap();
        assert_eq!(
            Value::Object(j.map),
            json!({
                "user_data": "ann",
                "create_time__gte": "2024-01-31T12:00:00Z",
                "sources": ["a", "b"],
                "meta": {"badge.n__gte:integer": 17},
            })
        );
    }

    #[test]
    fn commas_are_refused_only_in_queries() {
        assert!(Query::new().list("sources", &["a,b"]).is_err());
        let mut j = JsonFilters::new();
        j.list("sources", &["a,b"]).unwrap();
        assert_eq!(j.map["sources"], json!(["a,b"]));
        assert!(j.query_only("page", Some("2".into())).is_err());
        assert!(j.query_only("page", None).is_ok());
    }
}
