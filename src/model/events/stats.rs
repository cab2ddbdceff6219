//! The statistics query of `get_events_stats`: aggregator, filters, grouping, and its body.

use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::model::string_enum;

string_enum! {
    /// Aggregation of `get_events_stats`: a count, or the average / maximum / minimum of a
    /// numeric column.
    pub enum Aggregator {
        /// `count`.
        Count = "count",
        /// `avg`.
        Avg = "avg",
        /// `max`.
        Max = "max",
        /// `min`.
        Min = "min",
    }
}

string_enum! {
    /// Operator of a statistics filter.
    pub enum StatOperator {
        /// `eq` (the one the service documents).
        Eq = "eq",
        /// `neq`.
        Neq = "neq",
        /// `gt`.
        Gt = "gt",
        /// `gte`.
        Gte = "gte",
        /// `lt`.
        Lt = "lt",
        /// `lte`.
        Lte = "lte",
        /// `in` (value: an array).
        In = "in",
        /// `nin` (value: an array).
        Nin = "nin",
        /// `like`.
        Like = "like",
    }
}

/// One statistics filter: `{"column", "operator", "value"}`. A `null` value selects events
/// where the column was not estimated.
#[derive(Clone, Debug, PartialEq)]
pub struct StatFilter {
    /// Event column (singular names: `emotion`, `lower_garment_type`, `meta.<path>`...).
    pub column: String,
    /// Operator.
    pub operator: StatOperator,
    /// Operand.
    pub value: Value,
    /// Why the operand given cannot be sent (a non-finite number, which JSON would carry as
    /// `null`); reported by [`StatQuery::to_body`].
    refused: Option<String>,
}

impl StatFilter {
    /// A filter. A non-finite number in `value` (NaN, ±inf) makes the query refused when it
    /// is sent ([`Error::InvalidArgument`]), never `null` on the wire.
    pub fn new(column: impl Into<String>, operator: StatOperator, value: impl Serialize) -> Self {
        let (value, refused) = match crate::finite::to_value(&value, "query") {
            Ok(value) => (value, None),
            Err(Error::InvalidArgument { reason, .. }) => (Value::Null, Some(reason)),
            Err(other) => (Value::Null, Some(other.to_string())),
        };
        StatFilter {
            column: column.into(),
            operator,
            value,
            refused,
        }
    }

    /// `column == value`.
    pub fn eq(column: impl Into<String>, value: impl Serialize) -> Self {
        Self::new(column, StatOperator::Eq, value)
    }

    fn to_json(&self) -> Value {
        json!({"column": self.column, "operator": self.operator, "value": self.value})
    }
}

/// How statistics are grouped.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum GroupBy {
    /// By an event column: `{"type": "column", "column": <name>}`.
    Column(String),
    /// By fixed creation-time intervals (`"1h"`, `"1d"`...): `{"type": "interval", "interval": <text>}`.
    Interval(String),
    /// By a recurring period of the creation time (`"day_of_month"`...):
    /// `{"type": "frequency", "frequency": <text>}`.
    Frequency(String),
    /// Any JSON object, sent as given.
    Raw(Value),
}

impl GroupBy {
    fn to_json(&self) -> Value {
        match self {
            GroupBy::Column(c) => json!({"type": "column", "column": c}),
            GroupBy::Interval(i) => json!({"type": "interval", "interval": i}),
            GroupBy::Frequency(f) => json!({"type": "frequency", "frequency": f}),
            GroupBy::Raw(v) => v.clone(),
        }
    }
}

/// The statistics query of `get_events_stats` (Python `StatQuery`): `<aggregator>` of
/// `<targets>` grouped by `<group_by>` over the events matching `<filters>`.
///
/// Serialised as `{"aggregator": "...", "target": [...], "group_by": [...], "filters": [...]}`
/// (see the wire notes); [`StatQuery::raw`] sends any JSON object instead. Either way the
/// client's account joins the filters as `{"column": "account_id", "operator": "eq", ...}`,
/// as luna-api does before forwarding statistics queries.
#[derive(Clone, Debug, PartialEq)]
pub struct StatQuery {
    body: StatBody,
}

#[derive(Clone, Debug, PartialEq)]
enum StatBody {
    Typed {
        aggregator: Aggregator,
        targets: Vec<String>,
        group_by: Vec<GroupBy>,
        filters: Vec<StatFilter>,
    },
    Raw(Value),
}

impl StatQuery {
    /// `aggregator` over no column yet (a count needs none).
    pub fn new(aggregator: Aggregator) -> Self {
        StatQuery {
            body: StatBody::Typed {
                aggregator,
                targets: Vec::new(),
                group_by: Vec::new(),
                filters: Vec::new(),
            },
        }
    }

    /// The number of matching events.
    pub fn count() -> Self {
        Self::new(Aggregator::Count)
    }

    /// A query body written by the caller (a JSON object), sent as given plus the account
    /// filter.
    pub fn raw(body: Value) -> Self {
        StatQuery {
            body: StatBody::Raw(body),
        }
    }

    /// Adds a column to aggregate (`target`).
    #[must_use]
    pub fn target(mut self, column: impl Into<String>) -> Self {
        if let StatBody::Typed { targets, .. } = &mut self.body {
            targets.push(column.into());
        }
        self
    }

    /// Adds a grouping (`group_by`).
    #[must_use]
    pub fn group_by(mut self, group: GroupBy) -> Self {
        if let StatBody::Typed { group_by, .. } = &mut self.body {
            group_by.push(group);
        }
        self
    }

    /// Adds a filter (`filters`).
    #[must_use]
    pub fn filter(mut self, filter: StatFilter) -> Self {
        if let StatBody::Typed { filters, .. } = &mut self.body {
            filters.push(filter);
        }
        self
    }

    /// The request body, with the account filter appended when `account_id` is set.
    pub fn to_body(&self, account_id: Option<Uuid>) -> Result<Value> {
        let mut body = match &self.body {
            StatBody::Typed {
                aggregator,
                targets,
                group_by,
                filters,
            } => {
                if let Some(reason) = filters.iter().find_map(|f| f.refused.as_ref()) {
                    return Err(Error::invalid("query", reason.clone()));
                }
                for column in targets.iter().chain(filters.iter().map(|f| &f.column)) {
                    if column.is_empty() {
                        return Err(Error::invalid("query", "an empty column name"));
                    }
                }
                json!({
                    "aggregator": aggregator,
                    "target": targets,
                    "group_by": group_by.iter().map(GroupBy::to_json).collect::<Vec<_>>(),
                    "filters": filters.iter().map(StatFilter::to_json).collect::<Vec<_>>(),
                })
            }
            StatBody::Raw(value) => {
                if !value.is_object() {
                    return Err(Error::invalid("query", "a statistics query is a JSON object"));
                }
                value.clone()
            }
        };
        if let Some(account) = account_id {
            let filters = body
                .as_object_mut()
                .expect("checked to be an object")
                .entry("filters")
                .or_insert_with(|| Value::Array(Vec::new()));
            let Some(filters) = filters.as_array_mut() else {
                return Err(Error::invalid("query", "`filters` must be a JSON array"));
            };
            filters.push(StatFilter::eq("account_id", account.to_string()).to_json());
        }
        Ok(body)
    }
}
