//! Refuses non-finite numbers before they reach a JSON body: `serde_json` writes NaN and ±inf
//! as `null`, which the service would read as "no value". [`to_vec`] writes the JSON text
//! through a thin serializer that forwards everything to serde_json and stops at the first
//! non-finite number; the text written so far ends where that number would go, so the
//! [`json_path`](crate::json_path) scanner names it by its path. A body type's `Serialize` is
//! thus compiled once, for the JSON writer, not a second time for a separate check.

use std::cell::Cell;
use std::fmt::Display;

use serde::ser::{self, Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// The JSON text of `value`; `InvalidArgument` for `argument` when a number in it is not
/// finite, naming the member (e.g. `events[1].location.geo_position.latitude is NaN`).
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T, argument: &'static str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    let refused = Cell::new(None);
    let mut json = serde_json::Serializer::new(&mut out);
    let written = value.serialize(Checked {
        inner: &mut json,
        refused: &refused,
    });
    match written {
        Ok(()) => Ok(out),
        Err(error) => Err(refusal(argument, &out, refused.get(), &error)),
    }
}

/// [`to_vec`], read back as a JSON value (numbers as the body would carry them).
pub(crate) fn to_value<T: Serialize + ?Sized>(value: &T, argument: &'static str) -> Result<Value> {
    let text = to_vec(value, argument)?;
    serde_json::from_slice(&text).map_err(|e| Error::invalid(argument, format!("cannot serialize: {e}")))
}

/// The error of a failed [`to_vec`]: the non-finite number `refused` at the end of `written`
/// (named by its path), or serde_json's `error`.
#[cold]
fn refusal(argument: &'static str, written: &[u8], refused: Option<f64>, error: &serde_json::Error) -> Error {
    let Some(value) = refused else {
        return Error::invalid(argument, format!("cannot serialize: {error}"));
    };
    let path = crate::json_path::path_at(written, written.len());
    let at = if path == "." { "the value" } else { path.as_str() };
    Error::invalid(
        argument,
        format!("{at} is {value}: only finite numbers can be sent (JSON would carry `null`)"),
    )
}

/// Forwards to the serializer `inner`, refusing non-finite numbers (the first one is kept in
/// `refused`).
struct Checked<'c, S> {
    inner: S,
    refused: &'c Cell<Option<f64>>,
}

/// `value`, serialized through [`Checked`] whatever the serializer.
struct Wrap<'c, 'v, T: ?Sized> {
    value: &'v T,
    refused: &'c Cell<Option<f64>>,
}

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, '_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.value.serialize(Checked {
            inner: serializer,
            refused: self.refused,
        })
    }
}

impl<'c, S> Checked<'c, S> {
    fn wrap<'v, T: ?Sized>(&self, value: &'v T) -> Wrap<'c, 'v, T> {
        Wrap {
            value,
            refused: self.refused,
        }
    }
}

/// The error of a non-finite `value` (kept in `refused` for the message).
fn refuse<E: ser::Error>(refused: &Cell<Option<f64>>, value: f64) -> E {
    refused.set(Some(value));
    E::custom("a number is not finite")
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method(self, $($arg: $ty),*) -> std::result::Result<S::Ok, S::Error> {
            self.inner.$method($($arg),*)
        })*
    };
}

impl<'c, S: Serializer> Serializer for Checked<'c, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Checked<'c, S::SerializeSeq>;
    type SerializeTuple = Checked<'c, S::SerializeTuple>;
    type SerializeTupleStruct = Checked<'c, S::SerializeTupleStruct>;
    type SerializeTupleVariant = Checked<'c, S::SerializeTupleVariant>;
    type SerializeMap = Checked<'c, S::SerializeMap>;
    type SerializeStruct = Checked<'c, S::SerializeStruct>;
    type SerializeStructVariant = Checked<'c, S::SerializeStructVariant>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_f32(self, v: f32) -> std::result::Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.inner.serialize_f32(v)
        } else {
            Err(refuse(self.refused, v.into()))
        }
    }

    fn serialize_f64(self, v: f64) -> std::result::Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.inner.serialize_f64(v)
        } else {
            Err(refuse(self.refused, v))
        }
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> std::result::Result<S::Ok, S::Error> {
        let value = self.wrap(value);
        self.inner.serialize_some(&value)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> std::result::Result<S::Ok, S::Error> {
        let value = self.wrap(value);
        self.inner.serialize_newtype_struct(name, &value)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> std::result::Result<S::Ok, S::Error> {
        let value = self.wrap(value);
        self.inner.serialize_newtype_variant(name, index, variant, &value)
    }

    fn serialize_seq(self, len: Option<usize>) -> std::result::Result<Self::SerializeSeq, S::Error> {
        let inner = self.inner.serialize_seq(len)?;
        Ok(Checked { inner, refused: self.refused })
    }

    fn serialize_tuple(self, len: usize) -> std::result::Result<Self::SerializeTuple, S::Error> {
        let inner = self.inner.serialize_tuple(len)?;
        Ok(Checked { inner, refused: self.refused })
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, S::Error> {
        let inner = self.inner.serialize_tuple_struct(name, len)?;
        Ok(Checked { inner, refused: self.refused })
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, S::Error> {
        let inner = self.inner.serialize_tuple_variant(name, index, variant, len)?;
        Ok(Checked { inner, refused: self.refused })
    }

    fn serialize_map(self, len: Option<usize>) -> std::result::Result<Self::SerializeMap, S::Error> {
        let inner = self.inner.serialize_map(len)?;
        Ok(Checked { inner, refused: self.refused })
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> std::result::Result<Self::SerializeStruct, S::Error> {
        let inner = self.inner.serialize_struct(name, len)?;
        Ok(Checked { inner, refused: self.refused })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, S::Error> {
        let inner = self.inner.serialize_struct_variant(name, index, variant, len)?;
        Ok(Checked { inner, refused: self.refused })
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> std::result::Result<S::Ok, S::Error> {
        self.inner.collect_str(value)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {
        $(impl<S: ser::$trait> ser::$trait for Checked<'_, S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> std::result::Result<(), S::Error> {
                let value = self.wrap(value);
                self.inner.$method(&value)
            }
            fn end(self) -> std::result::Result<S::Ok, S::Error> {
                self.inner.end()
            }
        })*
    };
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl<S: ser::$trait> ser::$trait for Checked<'_, S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> std::result::Result<(), S::Error> {
                let value = self.wrap(value);
                self.inner.serialize_field(key, &value)
            }
            fn skip_field(&mut self, key: &'static str) -> std::result::Result<(), S::Error> {
                self.inner.skip_field(key)
            }
            fn end(self) -> std::result::Result<S::Ok, S::Error> {
                self.inner.end()
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

impl<S: ser::SerializeMap> ser::SerializeMap for Checked<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> std::result::Result<(), S::Error> {
        let key = self.wrap(key);
        self.inner.serialize_key(&key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> std::result::Result<(), S::Error> {
        let value = self.wrap(value);
        self.inner.serialize_value(&value)
    }

    fn end(self) -> std::result::Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Point {
        x: f64,
        tags: Vec<Option<f32>>,
    }

    #[derive(serde::Serialize)]
    enum Shape {
        Circle { r: f64 },
        Pair(f32, f32),
        Named(Point),
        Empty,
    }

    #[derive(serde::Serialize)]
    struct Meters(f64);

    #[derive(serde::Serialize)]
    struct Body {
        shapes: Vec<Shape>,
        scale: Option<Meters>,
        by_id: BTreeMap<u32, f64>,
        pair: (u8, f64),
    }

    fn body(r: f64, b: f32, x: f64, scale: f64, mapped: f64, second: f64) -> Body {
        Body {
            shapes: vec![
                Shape::Empty,
                Shape::Circle { r },
                Shape::Pair(1.0, b),
                Shape::Named(Point { x, tags: vec![Some(0.1)] }),
            ],
            scale: Some(Meters(scale)),
            by_id: BTreeMap::from([(7, 1.0), (9, mapped)]),
            pair: (3, second),
        }
    }

    #[test]
    fn the_text_is_serde_json_s() {
        let fine = body(1.5, 2.0, -3.25, 1e300, 0.0, 4.0);
        assert_eq!(to_vec(&fine, "b").unwrap(), serde_json::to_vec(&fine).unwrap());
        let value = to_value(&fine, "b").unwrap();
        assert_eq!(value["shapes"][1], json!({"Circle": {"r": 1.5}}));
        assert_eq!(value["by_id"], json!({"7": 1.0, "9": 0.0}));
        assert_eq!(value["shapes"][3]["Named"]["tags"], json!([0.1]), "f32 written as serde_json writes it");
    }

    #[test]
    fn every_place_of_a_number_is_named() {
        let nan = f64::NAN;
        let cases = [
            (body(nan, 2.0, 0.0, 1.0, 0.0, 4.0), "shapes[1].Circle.r is NaN"),
            (body(1.0, f32::NEG_INFINITY, 0.0, 1.0, 0.0, 4.0), "shapes[2].Pair[1] is -inf"),
            (body(1.0, 2.0, f64::INFINITY, 1.0, 0.0, 4.0), "shapes[3].Named.x is inf"),
            (body(1.0, 2.0, 0.0, nan, 0.0, 4.0), "scale is NaN"),
            (body(1.0, 2.0, 0.0, 1.0, nan, 4.0), "by_id.9 is NaN"),
            (body(1.0, 2.0, 0.0, 1.0, 0.0, nan), "pair[1] is NaN"),
        ];
        for (body, expected) in cases {
            let error = to_vec(&body, "body").unwrap_err().to_string();
            assert!(error.contains("`body`") && error.contains(expected), "{expected}: {error}");
            let error = to_value(&body, "body").unwrap_err().to_string();
            assert!(error.contains(expected), "{expected}: {error}");
        }
        let keyed = BTreeMap::from([("a\"b", f64::NAN)]);
        assert!(to_vec(&keyed, "k").unwrap_err().to_string().contains("a\"b is NaN"));
    }

    #[test]
    fn non_finite_numbers_are_named_by_their_path() {
        assert_eq!(to_vec(&json!({"a": [1.5, {"b": 2}]}), "body").unwrap(), br#"{"a":[1.5,{"b":2}]}"#);
        let point = Point { x: 1.0, tags: vec![Some(2.5), None] };
        assert_eq!(to_vec(&point, "p").unwrap(), serde_json::to_vec(&point).unwrap());
        let error = to_vec(&vec![Point { x: 1.0, tags: vec![None, Some(f32::INFINITY)] }], "points")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`points`") && error.contains("[0].tags[1] is inf"), "{error}");
        let error = to_vec(&Point { x: f64::NAN, tags: vec![] }, "p").unwrap_err().to_string();
        assert!(error.contains("x is NaN"), "{error}");
        assert!(to_vec(&f64::NEG_INFINITY, "v").unwrap_err().to_string().contains("the value is -inf"));
        assert!(to_value(&Point { x: 2.0, tags: vec![] }, "p").unwrap() == json!({"x": 2.0, "tags": []}));
    }
}
