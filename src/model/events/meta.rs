//! Meta filters of luna-events reads (`meta.<path>__<operator>:<type>=<value>`): the operator,
//! the operand type, the operand and the filter, with its checks.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::string_enum;

string_enum! {
    /// Operator of a meta filter (`meta.<path>__<operator>:<type>`).
    pub enum MetaOperator {
        /// `eq`.
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
        /// `in` (value: a list).
        In = "in",
        /// `nin` (value: a list).
        Nin = "nin",
        /// `like` (string pattern).
        Like = "like",
        /// `nlike` (negated pattern).
        Nlike = "nlike",
    }
}

string_enum! {
    /// Type of the operand of a meta filter (`meta.<path>__<operator>:<type>`).
    pub enum MetaType {
        /// `string`.
        String = "string",
        /// `integer`.
        Integer = "integer",
        /// `numeric` (floating point).
        Numeric = "numeric",
    }
}

/// Operand of a meta filter.
#[derive(Clone, Debug, PartialEq)]
pub enum MetaValue {
    /// Text (type `string`).
    Text(String),
    /// Integer (type `integer`).
    Integer(i64),
    /// Number (type `numeric`).
    Number(f64),
    /// Several operands for `in` / `nin`, comma-separated on the wire.
    List(Vec<MetaValue>),
    /// `null`: the meta member is missing.
    Null,
}

impl From<&str> for MetaValue {
    fn from(value: &str) -> Self {
        MetaValue::Text(value.to_owned())
    }
}

impl From<String> for MetaValue {
    fn from(value: String) -> Self {
        MetaValue::Text(value)
    }
}

impl From<i64> for MetaValue {
    fn from(value: i64) -> Self {
        MetaValue::Integer(value)
    }
}

impl From<i32> for MetaValue {
    fn from(value: i32) -> Self {
        MetaValue::Integer(value.into())
    }
}

impl From<f64> for MetaValue {
    fn from(value: f64) -> Self {
        MetaValue::Number(value)
    }
}

impl<T: Into<MetaValue>> From<Vec<T>> for MetaValue {
    fn from(values: Vec<T>) -> Self {
        MetaValue::List(values.into_iter().map(Into::into).collect())
    }
}

impl MetaValue {
    fn natural_type(&self) -> MetaType {
        match self {
            MetaValue::Text(_) | MetaValue::Null => MetaType::String,
            MetaValue::Integer(_) => MetaType::Integer,
            MetaValue::Number(_) => MetaType::Numeric,
            MetaValue::List(items) => items
                .first()
                .map(MetaValue::natural_type)
                .unwrap_or(MetaType::String),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            MetaValue::Text(s) => Value::String(s.clone()),
            MetaValue::Integer(i) => Value::from(*i),
            MetaValue::Number(n) => Value::from(*n),
            MetaValue::List(items) => Value::Array(items.iter().map(MetaValue::to_json).collect()),
            MetaValue::Null => Value::Null,
        }
    }

    fn render(&self) -> Result<String> {
        Ok(match self {
            MetaValue::Text(s) => s.clone(),
            MetaValue::Integer(i) => i.to_string(),
            MetaValue::Number(n) => {
                if !n.is_finite() {
                    return Err(Error::invalid("meta", format!("{n} is not a finite number")));
                }
                n.to_string()
            }
            MetaValue::Null => "null".to_owned(),
            MetaValue::List(items) => {
                if items.is_empty() {
                    return Err(Error::invalid("meta", "an empty list of operands"));
                }
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    if matches!(item, MetaValue::List(_)) {
                        return Err(Error::invalid("meta", "nested operand lists"));
                    }
                    let text = item.render()?;
                    if text.contains(',') {
                        return Err(Error::invalid(
                            "meta",
                            format!("{text:?} contains a comma, the list separator"),
                        ));
                    }
                    parts.push(text);
                }
                parts.join(",")
            }
        })
    }
}

/// One user-defined-data filter of `get_events`: the query pair
/// `meta.<path>__<operator>:<type>=<value>`, built from its parts so that callers never
/// concatenate wire syntax.
///
/// ```
/// # use luna_clients::model::events::{MetaFilter, MetaOperator, MetaType};
/// let f = MetaFilter::new("badge.number", MetaOperator::Gte, 17);
/// assert_eq!(f.key().unwrap(), "meta.badge.number__gte:integer");
/// let g = MetaFilter::eq("car.plate", "A123BC").value_type(MetaType::String);
/// assert_eq!(g.key().unwrap(), "meta.car.plate__eq:string");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MetaFilter {
    path: String,
    operator: MetaOperator,
    value_type: Option<MetaType>,
    value: MetaValue,
}

impl MetaFilter {
    /// A filter on the meta member at `path` (dot-separated, e.g. `"badge.number"`); the type
    /// follows the operand (`string`, `integer`, `numeric`) unless set with
    /// [`MetaFilter::value_type`].
    pub fn new(path: impl Into<String>, operator: MetaOperator, value: impl Into<MetaValue>) -> Self {
        MetaFilter {
            path: path.into(),
            operator,
            value_type: None,
            value: value.into(),
        }
    }

    /// `path == value`.
    pub fn eq(path: impl Into<String>, value: impl Into<MetaValue>) -> Self {
        Self::new(path, MetaOperator::Eq, value)
    }

    /// The meta member at `path` is missing (`__eq:<type>=null`).
    pub fn is_null(path: impl Into<String>) -> Self {
        Self::new(path, MetaOperator::Eq, MetaValue::Null)
    }

    /// Sets the operand type explicitly.
    #[must_use]
    pub fn value_type(mut self, value_type: MetaType) -> Self {
        self.value_type = Some(value_type);
        self
    }

    /// The query name, `meta.<path>__<operator>:<type>` (checked).
    pub fn key(&self) -> Result<String> {
        let path = self.path.as_str();
        let valid_segment = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        };
        if path.is_empty() || !path.split('.').all(valid_segment) || path.contains("__") {
            return Err(Error::invalid(
                "meta",
                format!(
                    "{path:?} is not a meta path (dot-separated names of letters, digits, `_`, `-`; no `__`)"
                ),
            ));
        }
        let value_type = self
            .value_type
            .clone()
            .unwrap_or_else(|| self.value.natural_type());
        Ok(format!("meta.{path}__{}:{}", self.operator, value_type))
    }

    /// The query value (checked).
    pub fn value(&self) -> Result<String> {
        let list_operator = matches!(self.operator, MetaOperator::In | MetaOperator::Nin);
        if list_operator != matches!(self.value, MetaValue::List(_)) {
            return Err(Error::invalid(
                "meta",
                format!("operator `{}` and operand {:?} do not fit", self.operator, self.value),
            ));
        }
        self.value.render()
    }

    /// The operand in the JSON form of matching filters (checked like [`MetaFilter::value`]):
    /// a string, a number, an array for `in` / `nin`, or `null`.
    pub fn json_value(&self) -> Result<Value> {
        self.value()?;
        Ok(self.value.to_json())
    }
}
