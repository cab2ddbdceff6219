//! Refuses non-finite numbers before they reach a JSON body: `serde_json` writes NaN and ±inf
//! as `null`, which the service would read as "no value". [`check`] walks any `Serialize`
//! value (without building anything) and names the first non-finite number by its path.

use std::fmt::{self, Display};

use serde::ser::{self, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// `Ok` when every number in `value` is finite; otherwise `InvalidArgument` for `argument`,
/// naming the member (e.g. `events[1].location.geo_position.latitude is NaN`).
pub(crate) fn check<T: Serialize + ?Sized>(value: &T, argument: &'static str) -> Result<()> {
    let mut walker = Walker { path: String::new() };
    value.serialize(&mut walker).map_err(|e| Error::invalid(argument, e.0))
}

/// [`check`], then the JSON value.
pub(crate) fn to_value<T: Serialize + ?Sized>(value: &T, argument: &'static str) -> Result<Value> {
    check(value, argument)?;
    serde_json::to_value(value).map_err(|e| Error::invalid(argument, format!("cannot serialize: {e}")))
}

#[derive(Debug)]
struct NotFinite(String);

impl Display for NotFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotFinite {}

impl ser::Error for NotFinite {
    fn custom<T: Display>(msg: T) -> Self {
        NotFinite(msg.to_string())
    }
}

/// The serializer that only looks at numbers; `path` is where it stands.
struct Walker {
    path: String,
}

impl Walker {
    fn float(&self, value: f64) -> std::result::Result<(), NotFinite> {
        if value.is_finite() {
            return Ok(());
        }
        let at = if self.path.is_empty() { "the value" } else { self.path.as_str() };
        Err(NotFinite(format!(
            "{at} is {value}: only finite numbers can be sent (JSON would carry `null`)"
        )))
    }

    /// Serializes `value` with `segment` appended to the path.
    fn nested<T: Serialize + ?Sized>(
        &mut self,
        segment: fmt::Arguments<'_>,
        value: &T,
    ) -> std::result::Result<(), NotFinite> {
        let len = self.path.len();
        fmt::Write::write_fmt(&mut self.path, segment).expect("writing to a String");
        let result = value.serialize(&mut *self);
        self.path.truncate(len);
        result
    }
}

type Done = std::result::Result<(), NotFinite>;

macro_rules! accept {
    ($($method:ident($($ty:ty),*);)*) => {
        $(fn $method(self, $(_: $ty),*) -> Done { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = NotFinite;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Map<'a>;
    type SerializeStructVariant = Map<'a>;

    accept! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_f32(self, v: f32) -> Done {
        self.float(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.float(v)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.nested(format_args!(".{variant}"), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> std::result::Result<Seq<'a>, NotFinite> {
        Ok(Seq { walker: self, index: 0 })
    }
    fn serialize_tuple(self, _: usize) -> std::result::Result<Seq<'a>, NotFinite> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> std::result::Result<Seq<'a>, NotFinite> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Seq<'a>, NotFinite> {
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> std::result::Result<Map<'a>, NotFinite> {
        Ok(Map { walker: self, key: String::new() })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> std::result::Result<Map<'a>, NotFinite> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Map<'a>, NotFinite> {
        self.serialize_map(None)
    }
}

struct Seq<'a> {
    walker: &'a mut Walker,
    index: usize,
}

impl Seq<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        let index = self.index;
        self.index += 1;
        self.walker.nested(format_args!("[{index}]"), value)
    }
}

macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = NotFinite;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                self.item(value)
            }
            fn end(self) -> Done {
                Ok(())
            }
        })*
    };
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

struct Map<'a> {
    walker: &'a mut Walker,
    key: String,
}

impl Map<'_> {
    fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Done {
        if self.walker.path.is_empty() {
            self.walker.nested(format_args!("{key}"), value)
        } else {
            self.walker.nested(format_args!(".{key}"), value)
        }
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = NotFinite;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        // Keys are names; a non-string key is shown as JSON would write it.
        self.key = match serde_json::to_value(key) {
            Ok(Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(_) => "?".to_owned(),
        };
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        let key = std::mem::take(&mut self.key);
        self.member(&key, value)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

macro_rules! struct_impl {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Map<'_> {
            type Ok = ();
            type Error = NotFinite;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
                self.member(key, value)
            }
            fn end(self) -> Done {
                Ok(())
            }
        })*
    };
}

struct_impl!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(serde::Serialize)]
    struct Point {
        x: f64,
        tags: Vec<Option<f32>>,
    }

    #[test]
    fn non_finite_numbers_are_named_by_their_path() {
        assert!(check(&json!({"a": [1.5, {"b": 2}]}), "body").is_ok());
        assert!(check(&Point { x: 1.0, tags: vec![Some(2.0), None] }, "p").is_ok());
        let error = check(&vec![Point { x: 1.0, tags: vec![None, Some(f32::INFINITY)] }], "points")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`points`") && error.contains("[0].tags[1] is inf"), "{error}");
        let error = check(&Point { x: f64::NAN, tags: vec![] }, "p").unwrap_err().to_string();
        assert!(error.contains("x is NaN"), "{error}");
        assert!(check(&f64::NEG_INFINITY, "v").unwrap_err().to_string().contains("the value is -inf"));
        assert!(to_value(&Point { x: 2.0, tags: vec![] }, "p").unwrap() == json!({"x": 2.0, "tags": []}));
    }
}
