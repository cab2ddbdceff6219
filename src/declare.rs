//! One way to declare request parameters: [`params!`] takes one list of
//! `field: convention => "wire_name"` and generates the struct, its `#[must_use]` setters and
//! the writer that puts every field on its wire name through a [`FilterSink`] — query pairs or
//! a JSON filter object. LUNA's conventions (comma lists, RFC 3339 times, `null` sentinels,
//! checked ids and similarities, paging) are applied by the convention, never by hand.
//!
//! Conventions (the field type and setter follow from them):
//!
//! | convention | field | setter takes | written as |
//! |---|---|---|---|
//! | `time` | `Option<OffsetDateTime>` | `OffsetDateTime` | RFC 3339 UTC |
//! | `id` | `Option<Id>` | `impl Into<Id>` | checked UUID |
//! | `ids` | `Vec<Id>` | ids | checked UUIDs, comma list / array |
//! | `text` | `Option<String>` | `impl Into<String>` | value |
//! | `texts` | `Vec<String>` | strings | comma list (no comma inside) / array |
//! | `value(T)` | `Option<T>` | `T` | value |
//! | `into(T)` | `Option<T>` | `impl Into<T>` | value |
//! | `list(T)` | `Vec<T>` | `T`s | comma list / array |
//! | `nullable_list(T)` | `Vec<OrNull<T>>` | `Into<OrNull<T>>`s | comma list with `null` / array with `null` |
//! | `unit` | `Option<f64>` | `f64` | checked in 0…1 |
//! | `flag` | `Option<bool>` | `bool` | `0`/`1` / JSON boolean |
//! | `plain(T)` | `Option<T>` | no setter (a hand-written one sets it) | value |
//! | `other(T)` | `T` | no setter | not written here (headers, body members: the wire name documents where it goes) |
//! | `meta` | `Vec<MetaFilter>` | one filter (adds) | `meta.<path>__<op>:<type>` / `"meta": {…}` |
//! | `page` | `Option<u32>` | `u32` | paging: checked ≥ 1 |
//! | `page_size(MAX)` | `Option<u32>` | `u32` | paging: checked in 1…MAX |
//! | `paging(T)` | `Option<T>` | `T` | paging: [`QueryValue`] |
//! | `targets(T)` | `Vec<T>` | `T`s | paging: comma list |
//!
//! Optional clauses after the struct, in this order: `new("doc");` generates `new()` (the
//! defaults), `limit(field);` the crate's `limit()` (the page size iterators step by), and
//! `/// doc flag_names(pub const NAME);` a constant listing the wire names of the `flag` fields,
//! and `check(method, …);` (below).
//!
//! Paging conventions are query-only: left out when the writer is asked for filters alone
//! (counts), refused when set in a JSON filter set. A `check(method, …)` clause names methods
//! run before anything is written (rules that bind several fields, such as the geo box).
//!
//! [`FilterSink`]: crate::filters::FilterSink

use crate::error::Result;

/// A query-only value with its own wire text and checks (`paging(T)` convention).
pub(crate) trait QueryValue {
    /// The wire text; `name` names the argument in errors.
    fn query_value(&self, name: &'static str) -> Result<String>;
}

/// Declares a parameter struct once; see the [module documentation](self).
macro_rules! params {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$doc:meta])*
                $field:ident : $kind:ident $( ( $($arg:tt)* ) )? => $wire:literal
            ),* $(,)?
        }
        $( new($new_doc:literal); )?
        $( limit($limit:ident); )?
        $( $(#[$flags_doc:meta])* flag_names($flags_vis:vis const $flags_name:ident); )?
        $( check( $($check:ident),+ $(,)? ); )?
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $field: $crate::declare::param_ty!($kind $( ( $($arg)* ) )?), )*
        }

        $crate::declare::flag_const! {
            [$( $(#[$flags_doc])* $flags_vis $flags_name )?]
            $( $kind $( ( $($arg)* ) )? $wire, )*
        }

        impl $name {
            $(
                #[doc = $new_doc]
                pub fn new() -> Self {
                    Self::default()
                }
            )?

            $(
                /// The page size set, if any (the page length of iterators).
                pub(crate) fn limit(&self) -> Option<u32> {
                    self.$limit
                }
            )?

            $(
                $crate::declare::param_setter! {
                    [$(#[$doc])*] $field $kind $( ( $($arg)* ) )?
                }
            )*

            /// Writes every declared field on its wire name through `s`, in declaration order;
            /// paging fields only when `paging` is set.
            #[allow(unused_variables, dead_code)]
            pub(crate) fn write_params<S: $crate::filters::FilterSink>(
                &self,
                s: &mut S,
                paging: bool,
            ) -> $crate::error::Result<()> {
                $( $( self.$check()?; )+ )?
                $(
                    $crate::declare::param_write!(
                        self, s, paging, $field, $wire, $kind $( ( $($arg)* ) )?
                    );
                )*
                Ok(())
            }
        }
    };
}

/// The `flag_names` constant, when asked for.
macro_rules! flag_const {
    ([] $($fields:tt)*) => {};
    ([$(#[$doc:meta])* $vis:vis $name:ident] $($fields:tt)*) => {
        $(#[$doc])*
        $vis const $name: &[&str] = $crate::declare::flag_names!([] $($fields)*);
    };
}

/// The wire names of the `flag` fields, in declaration order (`&[&str]`).
macro_rules! flag_names {
    ([$($acc:literal),*]) => { &[$($acc),*] };
    ([$($acc:literal),*] flag $wire:literal, $($rest:tt)*) => {
        $crate::declare::flag_names!([$($acc,)* $wire] $($rest)*)
    };
    ([$($acc:literal),*] $kind:ident ( $($arg:tt)* ) $wire:literal, $($rest:tt)*) => {
        $crate::declare::flag_names!([$($acc),*] $($rest)*)
    };
    ([$($acc:literal),*] $kind:ident $wire:literal, $($rest:tt)*) => {
        $crate::declare::flag_names!([$($acc),*] $($rest)*)
    };
}

/// The field type of a convention.
macro_rules! param_ty {
    (time) => { ::std::option::Option<::time::OffsetDateTime> };
    (id) => { ::std::option::Option<$crate::id::Id> };
    (ids) => { ::std::vec::Vec<$crate::id::Id> };
    (text) => { ::std::option::Option<::std::string::String> };
    (texts) => { ::std::vec::Vec<::std::string::String> };
    (value($t:ty)) => { ::std::option::Option<$t> };
    (into($t:ty)) => { ::std::option::Option<$t> };
    (list($t:ty)) => { ::std::vec::Vec<$t> };
    (nullable_list($t:ty)) => { ::std::vec::Vec<$crate::model::events::OrNull<$t>> };
    (unit) => { ::std::option::Option<f64> };
    (plain($t:ty)) => { ::std::option::Option<$t> };
    (other($t:ty)) => { $t };
    (flag) => { ::std::option::Option<bool> };
    (meta) => { ::std::vec::Vec<$crate::model::events::MetaFilter> };
    (page) => { ::std::option::Option<u32> };
    (page_size($max:expr)) => { ::std::option::Option<u32> };
    (paging($t:ty)) => { ::std::option::Option<$t> };
    (targets($t:ty)) => { ::std::vec::Vec<$t> };
}

/// The `#[must_use]` setter of a convention.
macro_rules! param_setter {
    ([$(#[$doc:meta])*] $field:ident time) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, time: ::time::OffsetDateTime) -> Self {
            self.$field = Some(time);
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident id) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, id: impl Into<$crate::id::Id>) -> Self {
            self.$field = Some(id.into());
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident ids) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field<I>(mut self, ids: I) -> Self
        where
            I: IntoIterator,
            I::Item: Into<$crate::id::Id>,
        {
            self.$field = $crate::id::collect_ids(ids);
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident text) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, text: impl Into<String>) -> Self {
            self.$field = Some(text.into());
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident texts) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field<S: Into<String>>(mut self, texts: impl IntoIterator<Item = S>) -> Self {
            self.$field = texts.into_iter().map(Into::into).collect();
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident value($t:ty)) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, value: $t) -> Self {
            self.$field = Some(value);
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident into($t:ty)) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, value: impl Into<$t>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident list($t:ty)) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, values: impl IntoIterator<Item = $t>) -> Self {
            self.$field = values.into_iter().collect();
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident nullable_list($t:ty)) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field<I>(mut self, values: I) -> Self
        where
            I: IntoIterator,
            I::Item: Into<$crate::model::events::OrNull<$t>>,
        {
            self.$field = values.into_iter().map(Into::into).collect();
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident plain($t:ty)) => {};
    ([$(#[$doc:meta])*] $field:ident other($t:ty)) => {};
    ([$(#[$doc:meta])*] $field:ident unit) => {
        $crate::declare::param_setter! { [$(#[$doc])*] $field value(f64) }
    };
    ([$(#[$doc:meta])*] $field:ident flag) => {
        $crate::declare::param_setter! { [$(#[$doc])*] $field value(bool) }
    };
    ([$(#[$doc:meta])*] $field:ident meta) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, filter: $crate::model::events::MetaFilter) -> Self {
            self.$field.push(filter);
            self
        }
    };
    ([$(#[$doc:meta])*] $field:ident page) => {
        $crate::declare::param_setter! { [$(#[$doc])*] $field value(u32) }
    };
    ([$(#[$doc:meta])*] $field:ident page_size($max:expr)) => {
        $crate::declare::param_setter! { [$(#[$doc])*] $field value(u32) }
    };
    ([$(#[$doc:meta])*] $field:ident paging($t:ty)) => {
        $crate::declare::param_setter! { [$(#[$doc])*] $field value($t) }
    };
    ([$(#[$doc:meta])*] $field:ident targets($t:ty)) => {
        $crate::declare::param_setter! { [$(#[$doc])*] $field list($t) }
    };
}

/// The writer of a convention.
macro_rules! param_write {
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, time) => {
        $s.time($wire, $self.$field);
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, id) => {
        $s.value(
            $wire,
            $crate::id::Id::resolve_opt(&$self.$field, stringify!($field))?,
        );
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, ids) => {
        $s.list(
            $wire,
            &$crate::id::Id::resolve_all(&$self.$field, stringify!($field))?,
        )?;
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, text) => {
        $s.value($wire, $self.$field.as_deref());
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, unit) => {
        $crate::query::check_unit(stringify!($field), $self.$field)?;
        $s.value($wire, $self.$field);
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, flag) => {
        $s.flag($wire, $self.$field);
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, value($t:ty)) => {
        $s.value($wire, $self.$field.as_ref());
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, plain($t:ty)) => {
        $s.value($wire, $self.$field.as_ref());
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, other($t:ty)) => {};
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, into($t:ty)) => {
        $s.value($wire, $self.$field.as_ref());
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, page_size($max:expr)) => {
        if $paging {
            if let Some(page_size) = $self.$field {
                $crate::query::check_page_size(page_size, $max)?;
            }
            $s.query_only($wire, $self.$field.map(|p| p.to_string()))?;
        }
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, $list:ident($t:ty)) => {
        // `list`, `nullable_list`, `paging`, `targets` (the only other conventions with an
        // argument but `page_size`, matched above).
        $crate::declare::param_write!(@list $self, $s, $paging, $field, $wire, $list);
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, texts) => {
        $s.list($wire, &$self.$field)?;
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, meta) => {
        for filter in &$self.$field {
            $s.meta(filter.key()?, filter.value()?, filter.json_value()?);
        }
    };
    ($self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, page) => {
        if $paging {
            if let Some(page) = $self.$field {
                $crate::query::check_page(page)?;
            }
            $s.query_only($wire, $self.$field.map(|p| p.to_string()))?;
        }
    };
    (@list $self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, list) => {
        $s.list($wire, &$self.$field)?;
    };
    (@list $self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, nullable_list) => {
        $s.list($wire, &$self.$field)?;
    };
    (@list $self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, paging) => {
        if $paging {
            let text = match &$self.$field {
                Some(value) => Some($crate::declare::QueryValue::query_value(value, $wire)?),
                None => None,
            };
            $s.query_only($wire, text)?;
        }
    };
    (@list $self:ident, $s:ident, $paging:ident, $field:ident, $wire:literal, targets) => {
        if $paging {
            $s.query_only($wire, $crate::filters::joined(&$self.$field))?;
        }
    };
}

pub(crate) use {flag_const, flag_names, param_setter, param_ty, param_write, params};

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};
    use time::macros::datetime;

    use super::QueryValue;
    use crate::error::Result;
    use crate::filters::JsonFilters;
    use crate::model::events::{Emotion, OrNull};
    use crate::query::Query;
    use crate::model::events::MetaFilter;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct Sort;

    impl QueryValue for Sort {
        fn query_value(&self, _name: &'static str) -> Result<String> {
            Ok("asc".to_owned())
        }
    }

    params! {
        /// Every convention once.
        #[derive(Clone, Debug, Default)]
        struct Every {
            /// `t`.
            time_gte: time => "time__gte",
            /// `one`.
            one: id => "one_id",
            /// `many`.
            many: ids => "many_ids",
            /// `label`.
            label: text => "label",
            /// `labels`.
            labels: texts => "labels",
            /// `n`.
            n: value(u32) => "n",
            /// `gender`.
            gender: into(OrNull<u8>) => "gender",
            /// `codes`.
            codes: list(u8) => "codes",
            /// `emotions`.
            emotions: nullable_list(Emotion) => "emotions",
            /// `similarity`.
            similarity: unit => "similarity__gte",
            /// `ignore`.
            ignore: flag => "ignore",
            /// `meta`.
            meta: meta => "meta",
            /// `page`.
            page: page => "page",
            /// `page_size`.
            page_size: page_size(50) => "page_size",
            /// `order`.
            order: paging(Sort) => "order",
            /// `targets`.
            targets: targets(&'static str) => "targets",
        }
        /// The flags.
        flag_names(const EVERY_FLAGS);
        check(no_thirteen);
    }

    impl Every {
        fn no_thirteen(&self) -> Result<()> {
            match self.n {
                Some(13) => Err(crate::error::Error::invalid("n", "13")),
                _ => Ok(()),
            }
        }
    }

    const ID: &str = "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77";

    fn filled() -> Every {
        Every::default()
            .time_gte(datetime!(2024-01-31 15:00 +03:00))
            .one(ID)
            .many([ID, ID])
            .label("ann")
            .labels(["a", "b"])
            .n(7)
            .gender(OrNull::Null)
            .codes([1, 2])
            .emotions([OrNull::Value(Emotion::Fear), OrNull::Null])
            .similarity(0.5)
            .ignore(true)
            .meta(MetaFilter::eq("zone", "north"))
    }

    #[test]
    fn one_declaration_writes_queries_and_json() {
        let paged = filled().page(2).page_size(20).order(Sort).targets(["x", "y"]);
        let mut q = Query::new();
        paged.write_params(&mut q, true).unwrap();
        let pairs: Vec<_> = q.pairs().collect();
        let ids = format!("{ID},{ID}");
        assert_eq!(
            pairs,
            vec![
                ("time__gte", "2024-01-31T12:00:00Z"),
                ("one_id", ID),
                ("many_ids", ids.as_str()),
                ("label", "ann"),
                ("labels", "a,b"),
                ("n", "7"),
                ("gender", "null"),
                ("codes", "1,2"),
                ("emotions", "3,null"),
                ("similarity__gte", "0.5"),
                ("ignore", "1"),
                ("meta.zone__eq:string", "north"),
                ("page", "2"),
                ("page_size", "20"),
                ("order", "asc"),
                ("targets", "x,y"),
            ]
        );
        let mut counted = Query::new();
        paged.write_params(&mut counted, false).unwrap();
        assert_eq!(counted.get("page"), None);
        assert_eq!(counted.get("targets"), None);
        assert_eq!(counted.get("label"), Some("ann"));

        let mut j = JsonFilters::new();
        filled().write_params(&mut j, true).unwrap();
        assert_eq!(
            Value::Object(j.map),
            json!({
                "time__gte": "2024-01-31T12:00:00Z",
                "one_id": ID,
                "many_ids": [ID, ID],
                "label": "ann",
                "labels": ["a", "b"],
                "n": 7,
                "gender": null,
                "codes": [1, 2],
                "emotions": [3, null],
                "similarity__gte": 0.5,
                "ignore": true,
                "meta": {"zone__eq:string": "north"},
            })
        );
        assert!(paged.write_params(&mut JsonFilters::new(), true).is_err());
        assert_eq!(EVERY_FLAGS, &["ignore"]);
    }

    #[test]
    fn conventions_check_their_values() {
        for bad in [
            Every::default().one("x"),
            Every::default().many(["x"]),
            Every::default().labels(["a,b"]),
            Every::default().similarity(1.5),
            Every::default().page(0),
            Every::default().page_size(51),
            Every::default().n(13),
        ] {
            assert!(bad.write_params(&mut Query::new(), true).is_err(), "{bad:?}");
        }
    }
}
