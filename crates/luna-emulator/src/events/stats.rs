//! `POST /events/stats`: `{"aggregator", "target", "group_by", "filters"}` → a count, or the
//! average / maximum / minimum of numeric columns, over the filtered events, grouped by columns,
//! creation-time intervals or frequencies. Answer: `{"result": [{"group": {...}, ...}]}`.

use super::filters::compare;
use super::model::{column_path, value_at, StoredEvent};
use crate::errors::{ApiError, ApiResult};
use crate::time_format::format_time;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use time::OffsetDateTime;

const AGGREGATORS: &[&str] = &["count", "avg", "max", "min"];
const OPERATORS: &[&str] = &[
    "eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "like", "nlike",
];
const FREQUENCIES: &[&str] = &[
    "hour_of_day",
    "day_of_week",
    "day_of_month",
    "month_of_year",
];

enum Group {
    Column(String, Vec<String>),
    Interval(i64),
    Frequency(String),
}

/// A checked statistics query.
pub struct StatQuery {
    aggregator: String,
    targets: Vec<(String, Vec<String>)>,
    groups: Vec<Group>,
    filters: Vec<(Vec<String>, String, Value)>,
}

fn column(name: &Value, at: &str) -> ApiResult<(String, Vec<String>)> {
    let name = name
        .as_str()
        .ok_or_else(|| ApiError::bad_json_at(at, "a column name"))?;
    let path = column_path(name)
        .ok_or_else(|| ApiError::bad_json_at(at, format!("unknown column '{name}'")))?;
    Ok((name.to_owned(), path))
}

/// Parses an interval such as `30m`, `1h`, `1d`, `1w` into seconds.
fn interval_seconds(text: &str) -> Option<i64> {
    let unit = match text.chars().last()? {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return None,
    };
    let n: i64 = text[..text.len() - 1].parse().ok().filter(|n| *n > 0)?;
    n.checked_mul(unit)
}

fn array<'a>(body: &'a Map<String, Value>, name: &str) -> ApiResult<&'a [Value]> {
    match body.get(name) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ApiError::bad_json_at(name, "expected an array")),
    }
}

impl StatQuery {
    /// Reads and checks the body.
    pub fn read(body: &Map<String, Value>) -> ApiResult<Self> {
        if let Some(bad) = body
            .keys()
            .find(|k| !["aggregator", "target", "group_by", "filters"].contains(&k.as_str()))
        {
            return Err(ApiError::bad_json_at(
                bad,
                "additional properties are not allowed",
            ));
        }
        let aggregator = body
            .get("aggregator")
            .and_then(Value::as_str)
            .filter(|a| AGGREGATORS.contains(a))
            .ok_or_else(|| ApiError::bad_json_at("aggregator", "one of count, avg, max, min"))?
            .to_owned();
        let targets = array(body, "target")?
            .iter()
            .enumerate()
            .map(|(i, t)| column(t, &format!("target.{i}")))
            .collect::<ApiResult<Vec<_>>>()?;
        if aggregator != "count" && targets.is_empty() {
            return Err(ApiError::bad_json_at(
                "target",
                "avg, max and min need a column",
            ));
        }
        let mut groups = Vec::new();
        for (i, g) in array(body, "group_by")?.iter().enumerate() {
            let at = format!("group_by.{i}");
            let kind = g.get("type").and_then(Value::as_str);
            groups.push(match kind {
                Some("column") => {
                    let (name, path) = column(g.get("column").unwrap_or(&Value::Null), &at)?;
                    Group::Column(name, path)
                }
                Some("interval") => Group::Interval(
                    g.get("interval")
                        .and_then(Value::as_str)
                        .and_then(interval_seconds)
                        .ok_or_else(|| {
                            ApiError::bad_json_at(&at, "interval like 30m, 1h, 1d, 1w")
                        })?,
                ),
                Some("frequency") => Group::Frequency(
                    g.get("frequency")
                        .and_then(Value::as_str)
                        .filter(|f| FREQUENCIES.contains(f))
                        .ok_or_else(|| {
                            ApiError::bad_json_at(
                                &at,
                                format!("frequency: one of {}", FREQUENCIES.join(", ")),
                            )
                        })?
                        .to_owned(),
                ),
                _ => {
                    return Err(ApiError::bad_json_at(
                        &at,
                        "type: column, interval or frequency",
                    ))
                }
            });
        }
        let mut filters = Vec::new();
        for (i, f) in array(body, "filters")?.iter().enumerate() {
            let at = format!("filters.{i}");
            let (_, path) = column(f.get("column").unwrap_or(&Value::Null), &at)?;
            let operator = f
                .get("operator")
                .and_then(Value::as_str)
                .filter(|o| OPERATORS.contains(o))
                .ok_or_else(|| {
                    ApiError::bad_json_at(&at, format!("operator: one of {}", OPERATORS.join(", ")))
                })?;
            let value = f.get("value").cloned().unwrap_or(Value::Null);
            filters.push((path, operator.to_owned(), value));
        }
        Ok(Self {
            aggregator,
            targets,
            groups,
            filters,
        })
    }

    fn keep(&self, event: &StoredEvent) -> bool {
        self.filters
            .iter()
            .all(|(path, op, value)| compare(value_at(&event.json, path), op, value))
    }

    fn group_key(&self, event: &StoredEvent) -> Vec<(String, Value)> {
        self.groups
            .iter()
            .map(|g| match g {
                Group::Column(name, path) => (
                    name.clone(),
                    value_at(&event.json, path).cloned().unwrap_or(Value::Null),
                ),
                Group::Interval(seconds) => {
                    let t = event.create_time.unix_timestamp();
                    let start = t - t.rem_euclid(*seconds);
                    let start = OffsetDateTime::from_unix_timestamp(start)
                        .map(format_time)
                        .unwrap_or_default();
                    ("interval_start".to_owned(), Value::String(start))
                }
                Group::Frequency(name) => {
                    let t = event.create_time;
                    let n = match name.as_str() {
                        "hour_of_day" => i64::from(t.hour()),
                        "day_of_week" => i64::from(t.weekday().number_from_monday()),
                        "day_of_month" => i64::from(t.day()),
                        _ => i64::from(u8::from(t.month())),
                    };
                    (name.clone(), Value::from(n))
                }
            })
            .collect()
    }

    /// Runs the query over the visible events.
    pub fn run<'a>(&self, events: impl Iterator<Item = &'a StoredEvent>) -> Value {
        let mut groups: BTreeMap<String, (Map<String, Value>, Vec<&StoredEvent>)> = BTreeMap::new();
        for event in events.filter(|e| self.keep(e)) {
            let key = self.group_key(event);
            let id = serde_json::to_string(&key).unwrap_or_default();
            groups
                .entry(id)
                .or_insert_with(|| (key.into_iter().collect(), Vec::new()))
                .1
                .push(event);
        }
        if groups.is_empty() && self.groups.is_empty() {
            groups.insert(String::new(), (Map::new(), Vec::new()));
        }
        let result: Vec<Value> = groups
            .into_values()
            .map(|(group, events)| {
                let mut row = Map::new();
                row.insert("group".into(), Value::Object(group));
                row.insert("count".into(), json!(events.len()));
                if self.aggregator != "count" {
                    for (name, path) in &self.targets {
                        let numbers: Vec<f64> = events
                            .iter()
                            .filter_map(|e| value_at(&e.json, path).and_then(Value::as_f64))
                            .collect();
                        row.insert(name.clone(), aggregate(&self.aggregator, &numbers));
                    }
                }
                Value::Object(row)
            })
            .collect();
        json!({ "aggregator": self.aggregator, "result": result })
    }
}

fn aggregate(aggregator: &str, numbers: &[f64]) -> Value {
    if numbers.is_empty() {
        return Value::Null;
    }
    let value = match aggregator {
        "avg" => numbers.iter().sum::<f64>() / numbers.len() as f64,
        "max" => numbers.iter().copied().fold(f64::MIN, f64::max),
        _ => numbers.iter().copied().fold(f64::MAX, f64::min),
    };
    json!(value)
}
