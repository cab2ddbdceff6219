//! The filters of `GET /events` (reference `events.md` §4): lists (comma-separated, `null`
//! for "not estimated"), ranges, time bounds, id bounds, the geo box and meta filters.

use super::model::{value_at, StoredEvent};
use crate::context::Scope;
use crate::errors::{ApiError, ApiResult};
use crate::query::{parse_int, parse_uuid, Params};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

/// How the items of a list filter are read.
#[derive(Clone, Copy)]
enum Item {
    /// Integers in a range.
    Int(i64, i64),
    /// Strings.
    Text,
    /// UUIDs.
    Id,
}

/// List filters: query name, event path, item kind, whether `null` is allowed.
const LIST_FILTERS: &[(&str, &[&str], Item, bool)] = &[
    ("event_ids", &["event_id"], Item::Id, false),
    ("handler_ids", &["handler_id"], Item::Text, false),
    ("external_ids", &["external_id"], Item::Text, false),
    (
        "top_matching_candidates_label",
        &["top_match", "label"],
        Item::Text,
        false,
    ),
    (
        "top_similar_external_ids",
        &["top_match", "external_id"],
        Item::Text,
        false,
    ),
    ("gender", &["gender"], Item::Int(0, 1), true),
    ("emotions", &["emotion"], Item::Int(1, 7), true),
    ("masks", &["mask"], Item::Int(1, 3), true),
    ("ethnic_groups", &["ethnic_group"], Item::Int(1, 4), true),
    ("liveness", &["liveness"], Item::Int(0, 2), true),
    (
        "apparent_gender",
        &["body_basic_attributes", "apparent_gender"],
        Item::Int(0, 2),
        true,
    ),
    (
        "headwear_states",
        &["upper_body", "headwear", "state"],
        Item::Int(0, 2),
        true,
    ),
    (
        "headwear_apparent_colors",
        &["upper_body", "headwear", "apparent_color"],
        Item::Text,
        true,
    ),
    (
        "sleeve_lengths",
        &["upper_body", "sleeve", "length"],
        Item::Text,
        true,
    ),
    (
        "upper_clothing_colors",
        &["upper_body", "upper_clothing", "colors"],
        Item::Text,
        true,
    ),
    (
        "lower_garment_types",
        &["lower_body", "lower_garment", "type"],
        Item::Text,
        true,
    ),
    (
        "lower_garment_colors",
        &["lower_body", "lower_garment", "colors"],
        Item::Text,
        true,
    ),
    (
        "shoes_apparent_colors",
        &["lower_body", "shoes", "apparent_color"],
        Item::Text,
        true,
    ),
    (
        "backpack_states",
        &["accessories", "backpack", "state"],
        Item::Int(0, 2),
        true,
    ),
    ("face_ids", &["face_id"], Item::Id, false),
    ("user_data", &["user_data"], Item::Text, false),
    ("sources", &["source"], Item::Text, true),
    ("tags", &["tags"], Item::Text, false),
    ("cities", &["location", "city"], Item::Text, true),
    ("areas", &["location", "area"], Item::Text, true),
    ("districts", &["location", "district"], Item::Text, true),
    ("streets", &["location", "street"], Item::Text, true),
    (
        "house_numbers",
        &["location", "house_number"],
        Item::Text,
        true,
    ),
    ("track_ids", &["track_id"], Item::Text, true),
];

/// Single-value filters whose value is one item, not a list (a comma is part of the value).
const SINGLE_VALUE: &[&str] = &["user_data", "top_matching_candidates_label", "gender"];

/// Numeric range filters: base name (with `__gte` / `__lt`), event path, bounds.
const RANGES: &[(&str, &[&str], f64, f64)] = &[
    ("age", &["age"], 0.0, 200.0),
    (
        "apparent_age",
        &["body_basic_attributes", "apparent_age"],
        0.0,
        200.0,
    ),
    (
        "top_similar_object_similarity",
        &["top_match", "similarity"],
        0.0,
        1.0,
    ),
];

/// Default half-width of the geo box when an origin is given without a delta (degrees).
pub const DEFAULT_GEO_DELTA: f64 = 0.1;

/// Meta filter operators and operand types.
const META_OPERATORS: &[&str] = &[
    "eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "like", "nlike",
];
const META_TYPES: &[&str] = &["string", "integer", "numeric"];

/// Every query name `GET /events` accepts.
pub fn accepted_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = LIST_FILTERS.iter().map(|f| f.0).collect();
    for (base, ..) in RANGES {
        names.push(range_name(base, "__gte"));
        names.push(range_name(base, "__lt"));
    }
    names.extend([
        "top_similar_object_ids",
        "create_time__gte",
        "create_time__lt",
        "end_time__gte",
        "end_time__lt",
        "event_id__gte",
        "event_id__lt",
        "origin_longitude",
        "origin_latitude",
        "longitude_delta",
        "latitude_delta",
        crate::query::META_FILTERS,
    ]);
    names
}

fn range_name(base: &str, suffix: &str) -> &'static str {
    match (base, suffix) {
        ("age", "__gte") => "age__gte",
        ("age", _) => "age__lt",
        ("apparent_age", "__gte") => "apparent_age__gte",
        ("apparent_age", _) => "apparent_age__lt",
        (_, "__gte") => "top_similar_object_similarity__gte",
        _ => "top_similar_object_similarity__lt",
    }
}

/// One condition on an event.
#[derive(Debug)]
enum Cond {
    /// The value at the path (or one element of an array value) is one of `values`; `null`
    /// in the list matches a missing value.
    In {
        path: &'static [&'static str],
        values: Vec<Value>,
        null: bool,
    },
    /// The top match's object (face or event) is one of the ids.
    TopObject(Vec<String>),
    /// A numeric range.
    Range {
        path: &'static [&'static str],
        gte: Option<f64>,
        lt: Option<f64>,
    },
    /// Time bounds on create or end time.
    Times {
        end: bool,
        gte: Option<OffsetDateTime>,
        lt: Option<OffsetDateTime>,
    },
    /// Event id bounds.
    Ids { gte: Option<Uuid>, lt: Option<Uuid> },
    /// Geo box; `None` origin: events without a geo position.
    Geo(Option<GeoBox>),
    /// A meta filter.
    Meta(MetaCond),
}

#[derive(Debug, Clone, Copy)]
struct GeoBox {
    longitude: f64,
    latitude: f64,
    longitude_delta: f64,
    latitude_delta: f64,
}

#[derive(Debug)]
struct MetaCond {
    path: Vec<String>,
    operator: String,
    operand: Value,
}

/// Every condition of one `GET /events`.
#[derive(Debug)]
pub struct EventFilter {
    scope: Scope,
    conds: Vec<Cond>,
}

fn parse_item(name: &str, text: &str, item: Item, null: bool) -> ApiResult<Value> {
    if text == "null" {
        return if null {
            Ok(Value::Null)
        } else {
            Err(ApiError::bad_query(name, "null is not allowed here"))
        };
    }
    Ok(match item {
        Item::Int(min, max) => Value::from(parse_int(name, text, min, max)?),
        Item::Text => Value::String(text.to_owned()),
        Item::Id => Value::String(parse_uuid(name, text)?.to_string()),
    })
}

fn parse_meta(name: &str, value: &str) -> ApiResult<MetaCond> {
    let bad = |why: &str| ApiError::bad_query(name, why);
    let rest = &name[crate::query::META_PREFIX.len()..];
    let (path, spec) = rest
        .rsplit_once("__")
        .ok_or_else(|| bad("expected meta.<path>__<operator>:<type>"))?;
    let (operator, kind) = spec
        .split_once(':')
        .ok_or_else(|| bad("expected meta.<path>__<operator>:<type>"))?;
    if path.is_empty() || path.split('.').any(str::is_empty) {
        return Err(bad("empty meta path"));
    }
    if !META_OPERATORS.contains(&operator) {
        return Err(bad(&format!(
            "operator must be one of {}",
            META_OPERATORS.join(", ")
        )));
    }
    if !META_TYPES.contains(&kind) {
        return Err(bad(&format!(
            "type must be one of {}",
            META_TYPES.join(", ")
        )));
    }
    let one = |text: &str| -> ApiResult<Value> {
        if text == "null" {
            return Ok(Value::Null);
        }
        match kind {
            "integer" => text
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| bad("not an integer")),
            "numeric" => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::from)
                .ok_or_else(|| bad("not a number")),
            _ => Ok(Value::String(text.to_owned())),
        }
    };
    let operand = if matches!(operator, "in" | "nin") {
        Value::Array(value.split(',').map(one).collect::<ApiResult<_>>()?)
    } else {
        one(value)?
    };
    let mut full = vec!["meta".to_owned()];
    full.extend(path.split('.').map(str::to_owned));
    Ok(MetaCond {
        path: full,
        operator: operator.to_owned(),
        operand,
    })
}

fn read_geo(params: &Params) -> ApiResult<Option<Cond>> {
    let lon = params.str("origin_longitude");
    let lat = params.str("origin_latitude");
    let dlon = params.number("longitude_delta", f64::MIN_POSITIVE, 180.0)?;
    let dlat = params.number("latitude_delta", f64::MIN_POSITIVE, 90.0)?;
    match (lon, lat) {
        (None, None) if dlon.is_none() && dlat.is_none() => Ok(None),
        (None, None) => Err(ApiError::bad_query(
            "longitude_delta",
            "deltas need origin_longitude and origin_latitude",
        )),
        (Some("null"), Some("null")) if dlon.is_none() && dlat.is_none() => {
            Ok(Some(Cond::Geo(None)))
        }
        (Some(_), Some(_)) => Ok(Some(Cond::Geo(Some(GeoBox {
            longitude: params
                .number("origin_longitude", -180.0, 180.0)?
                .unwrap_or(0.0),
            latitude: params
                .number("origin_latitude", -90.0, 90.0)?
                .unwrap_or(0.0),
            longitude_delta: dlon.unwrap_or(DEFAULT_GEO_DELTA),
            latitude_delta: dlat.unwrap_or(DEFAULT_GEO_DELTA),
        })))),
        _ => Err(ApiError::bad_query(
            "origin_longitude",
            "give both origin_longitude and origin_latitude, or none",
        )),
    }
}

impl EventFilter {
    /// Reads every filter of the query.
    pub fn read(params: &Params, scope: Scope) -> ApiResult<Self> {
        let mut conds = Vec::new();
        for (name, path, item, null) in LIST_FILTERS {
            let items = if SINGLE_VALUE.contains(name) {
                params.str(name).map(|v| vec![v])
            } else {
                params.list(name)?
            };
            if let Some(items) = items {
                let values = items
                    .iter()
                    .map(|t| parse_item(name, t, *item, *null))
                    .collect::<ApiResult<Vec<_>>>()?;
                let null = values.iter().any(Value::is_null);
                conds.push(Cond::In { path, values, null });
            }
        }
        if let Some(ids) = params.uuids("top_similar_object_ids")? {
            conds.push(Cond::TopObject(ids.iter().map(Uuid::to_string).collect()));
        }
        for (base, path, min, max) in RANGES {
            let gte = params.number(range_name(base, "__gte"), *min, *max)?;
            let lt = params.number(range_name(base, "__lt"), *min, *max)?;
            if gte.is_some() || lt.is_some() {
                conds.push(Cond::Range { path, gte, lt });
            }
        }
        for (end, prefix) in [(false, "create_time"), (true, "end_time")] {
            let gte = params.time(&format!("{prefix}__gte"))?;
            let lt = params.time(&format!("{prefix}__lt"))?;
            if gte.is_some() || lt.is_some() {
                conds.push(Cond::Times { end, gte, lt });
            }
        }
        let (gte, lt) = (params.uuid("event_id__gte")?, params.uuid("event_id__lt")?);
        if gte.is_some() || lt.is_some() {
            conds.push(Cond::Ids { gte, lt });
        }
        if let Some(geo) = read_geo(params)? {
            conds.push(geo);
        }
        for (name, value) in params.meta() {
            conds.push(Cond::Meta(parse_meta(name, value)?));
        }
        Ok(Self { scope, conds })
    }

    /// Whether the event passes every condition.
    pub fn matches(&self, event: &StoredEvent) -> bool {
        self.scope.sees(event.account_id) && self.conds.iter().all(|c| c.matches(event))
    }
}

fn number(value: Option<&Value>) -> Option<f64> {
    value.and_then(Value::as_f64)
}

impl Cond {
    fn matches(&self, event: &StoredEvent) -> bool {
        let json = &event.json;
        match self {
            Cond::In { path, values, null } => match value_at(json, path) {
                None | Some(Value::Null) => *null,
                Some(Value::Array(items)) => items.iter().any(|i| values.contains(i)),
                Some(v) => values.contains(v),
            },
            Cond::TopObject(ids) => ["face_id", "event_id"].iter().any(|member| {
                value_at(json, &["top_match", member])
                    .and_then(Value::as_str)
                    .is_some_and(|id| ids.iter().any(|i| i == id))
            }),
            Cond::Range { path, gte, lt } => match number(value_at(json, path)) {
                None => false,
                Some(n) => gte.is_none_or(|g| n >= g) && lt.is_none_or(|l| n < l),
            },
            Cond::Times { end, gte, lt } => {
                let t = if *end {
                    event.end_time
                } else {
                    event.create_time
                };
                gte.is_none_or(|g| t >= g) && lt.is_none_or(|l| t < l)
            }
            Cond::Ids { gte, lt } => {
                gte.is_none_or(|g| event.event_id >= g) && lt.is_none_or(|l| event.event_id < l)
            }
            Cond::Geo(area) => {
                let lon = number(value_at(json, &["location", "geo_position", "longitude"]));
                let lat = number(value_at(json, &["location", "geo_position", "latitude"]));
                match (area, lon, lat) {
                    (None, None, _) | (None, _, None) => true,
                    (None, _, _) => false,
                    (Some(b), Some(lon), Some(lat)) => {
                        (lon - b.longitude).abs() <= b.longitude_delta
                            && (lat - b.latitude).abs() <= b.latitude_delta
                    }
                    (Some(_), _, _) => false,
                }
            }
            Cond::Meta(m) => compare(value_at(json, &m.path), &m.operator, &m.operand),
        }
    }
}

/// Compares an event value with an operand (meta filters and statistics filters).
pub fn compare(value: Option<&Value>, operator: &str, operand: &Value) -> bool {
    let value = value.unwrap_or(&Value::Null);
    let ordering = || -> Option<std::cmp::Ordering> {
        match (value, operand) {
            (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            _ => None,
        }
    };
    let like = || match (value.as_str(), operand.as_str()) {
        (Some(v), Some(pattern)) => like_match(v, pattern),
        _ => false,
    };
    let equal = |a: &Value, b: &Value| match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    };
    match operator {
        "eq" => equal(value, operand),
        "neq" => !equal(value, operand),
        "gt" => ordering().is_some_and(|o| o.is_gt()),
        "gte" => ordering().is_some_and(|o| o.is_ge()),
        "lt" => ordering().is_some_and(|o| o.is_lt()),
        "lte" => ordering().is_some_and(|o| o.is_le()),
        "in" => operand
            .as_array()
            .is_some_and(|items| items.iter().any(|i| equal(value, i))),
        "nin" => operand
            .as_array()
            .is_some_and(|items| !items.iter().any(|i| equal(value, i))),
        "like" => like(),
        "nlike" => !like(),
        _ => false,
    }
}

/// SQL `LIKE` with `%` (any run) and `_` (one character), in O(text × pattern) time.
fn like_match(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('%') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '_' || *c == t[ti] => {
                ti += 1;
                pi += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '%')
}

#[cfg(test)]
mod tests {
    use super::like_match;

    #[test]
    fn like_patterns() {
        assert!(like_match("AB12", "AB%"));
        assert!(like_match("AB12", "%12"));
        assert!(like_match("AB12", "A_1_"));
        assert!(like_match("AB12", "%"));
        assert!(!like_match("AB12", "AB"));
        assert!(!like_match("AB12", "_B2%"));
        assert!(like_match("", "%%"));
        let long = "a".repeat(5000);
        assert!(!like_match(&long, &format!("{}b", "%".repeat(300))));
    }
}
