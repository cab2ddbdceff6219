//! Types used by more than one service.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::wire_enum;
use crate::query::Query;

wire_enum! {
    /// What to do with several faces on one image (`multiface_policy`).
    pub enum MultifacePolicy {
        /// 0: refuse images with several faces.
        Reject = 0,
        /// 1: keep every face (the server default).
        All = 1,
        /// 2: keep the best face only.
        Best = 2,
    }
}

/// The face-selection estimator settings shared by `SdkParams`, `DetectParams` and
/// `DetectPolicy`, declared once: which faces of an image count (`multiface_policy`) and the
/// head-pose limits (`pitch_threshold`, `roll_threshold`, `yaw_threshold`, 0…180 degrees). The
/// same wire names in the query (`sdk`, `detect_faces`) and in the JSON of a detect policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaceSelection {
    /// What to do with several faces on one image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiface_policy: Option<MultifacePolicy>,
    /// Largest absolute pitch, 0…180 degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch_threshold: Option<u32>,
    /// Largest absolute roll, 0…180 degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roll_threshold: Option<u32>,
    /// Largest absolute yaw, 0…180 degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yaw_threshold: Option<u32>,
}

impl FaceSelection {
    /// The head-pose limits with their wire names.
    fn angles(&self) -> [(&'static str, Option<u32>); 3] {
        [
            ("pitch_threshold", self.pitch_threshold),
            ("roll_threshold", self.roll_threshold),
            ("yaw_threshold", self.yaw_threshold),
        ]
    }

    /// Checks the angles; errors name `argument`, or the limit's own name when `None`.
    pub(crate) fn check(&self, argument: Option<&'static str>) -> crate::error::Result<()> {
        for (name, value) in self.angles() {
            check_angle(argument.unwrap_or(name), name, value)?;
        }
        Ok(())
    }

    /// Writes `multiface_policy` (first in the query of `sdk` and `detect_faces`).
    pub(crate) fn write_policy(&self, q: &mut Query) {
        q.push_opt("multiface_policy", self.multiface_policy);
    }

    /// Writes the head-pose limits.
    pub(crate) fn write_angles(&self, q: &mut Query) {
        for (name, value) in self.angles() {
            q.push_opt(name, value);
        }
    }
}

/// The setters of a [`FaceSelection`] held in the field `$field`, written once for every
/// parameter type that has one.
macro_rules! face_selection_setters {
    ($field:ident) => {
        /// What to do with several faces on one image (Python `multifacePolicy`; server
        /// default: every face) — `multiface_policy`.
        #[must_use]
        pub fn multiface_policy(mut self, policy: $crate::model::common::MultifacePolicy) -> Self {
            self.$field.multiface_policy = Some(policy);
            self
        }

        /// Largest absolute pitch, 0…180 degrees (Python `pitchThreshold`) — `pitch_threshold`.
        #[must_use]
        pub fn pitch_threshold(mut self, degrees: u32) -> Self {
            self.$field.pitch_threshold = Some(degrees);
            self
        }

        /// Largest absolute roll, 0…180 degrees (Python `rollThreshold`) — `roll_threshold`.
        #[must_use]
        pub fn roll_threshold(mut self, degrees: u32) -> Self {
            self.$field.roll_threshold = Some(degrees);
            self
        }

        /// Largest absolute yaw, 0…180 degrees (Python `yawThreshold`) — `yaw_threshold`.
        #[must_use]
        pub fn yaw_threshold(mut self, degrees: u32) -> Self {
            self.$field.yaw_threshold = Some(degrees);
            self
        }
    };
}
pub(crate) use face_selection_setters;

wire_enum! {
    /// Gender (LUNA: 0 female, 1 male).
    pub enum Gender {
        /// 0.
        Female = 0,
        /// 1.
        Male = 1,
    }
}

wire_enum! {
    /// Ethnic group, numbered as the LUNA service specification does (1 african american,
    /// 2 indian, 3 asian, 4 caucasian). The Python client docstrings number them differently
    /// (1 indian, 2 asian, 3 african american); the service specification is followed here.
    pub enum Ethnicity {
        /// 1.
        AfricanAmerican = 1,
        /// 2.
        Indian = 2,
        /// 3.
        Asian = 3,
        /// 4.
        Caucasian = 4,
    }
}

/// Largest head-pose (pitch, roll, yaw) threshold of detection parameters and policies, in
/// degrees.
pub const ANGLE_THRESHOLD_MAX: u32 = 180;

/// Checks a head-pose threshold against `0..=ANGLE_THRESHOLD_MAX`; `argument` names the
/// argument in the error, `name` the threshold.
pub(crate) fn check_angle(
    argument: &'static str,
    name: &str,
    value: Option<u32>,
) -> crate::error::Result<()> {
    match value {
        Some(v) if v > ANGLE_THRESHOLD_MAX => Err(crate::error::Error::invalid(
            argument,
            format!("{name} must be between 0 and {ANGLE_THRESHOLD_MAX} degrees, got {v}"),
        )),
        _ => Ok(()),
    }
}

/// Basic attributes of a face (Python `basicAttributes` dict: age, gender, ethnicity).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BasicAttributes {
    /// Age in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Ethnic group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<Ethnicity>,
    /// Members this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BasicAttributes {
    /// Empty basic attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the age.
    #[must_use]
    pub fn age(mut self, age: u32) -> Self {
        self.age = Some(age);
        self
    }

    /// Sets the gender.
    #[must_use]
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    /// Sets the ethnic group.
    #[must_use]
    pub fn ethnicity(mut self, ethnicity: Ethnicity) -> Self {
        self.ethnicity = Some(ethnicity);
        self
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.age.is_none() && self.gender.is_none() && self.ethnicity.is_none() && self.extra.is_empty()
    }
}

/// An error about one item of a batch answer (an image of `/sdk`, a reference of a matching
/// call): the LUNA error shape, while the other items succeed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemError {
    /// LUNA error code (0 = success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
    /// Short error class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// The specific message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// URL of the error code's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A service's version (`GET /version` → `{"Version": {...}}`); `api` is its URL prefix number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ServiceVersion {
    /// API version: the number of the URL prefix.
    #[serde(default)]
    pub api: Option<u32>,
    /// Major version.
    #[serde(default)]
    pub major: Option<u32>,
    /// Minor version.
    #[serde(default)]
    pub minor: Option<u32>,
    /// Patch version.
    #[serde(default)]
    pub patch: Option<u32>,
}

#[derive(Deserialize)]
pub(crate) struct VersionEnvelope {
    #[serde(rename = "Version")]
    pub version: ServiceVersion,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_keep_unknown_codes() {
        let g: Gender = serde_json::from_str("7").unwrap();
        assert_eq!(g, Gender::Unknown(7));
        assert_eq!(serde_json::to_string(&g).unwrap(), "7");
        assert_eq!(Ethnicity::from_code(3), Ethnicity::Asian);
    }

    #[test]
    fn basic_attributes_round_trip() {
        let json = r#"{"age":31,"gender":1,"ethnicity":4,"glasses":0}"#;
        let attrs: BasicAttributes = serde_json::from_str(json).unwrap();
        assert_eq!(attrs.age, Some(31));
        assert_eq!(attrs.gender, Some(Gender::Male));
        assert_eq!(attrs.ethnicity, Some(Ethnicity::Caucasian));
        assert_eq!(attrs.extra["glasses"], 0);
        let back: serde_json::Value = serde_json::to_value(&attrs).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(json).unwrap());
    }
}

/// Which fields of an object a read returns (`targets` / `target` in the query).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Targets<T> {
    /// Every field (nothing sent: the service default).
    #[default]
    All,
    /// These fields only.
    Only(Vec<T>),
}

impl<T> Targets<T> {
    /// These fields only (`Targets::only([FaceTarget::FaceId])`); an empty list means all.
    pub fn only(fields: impl IntoIterator<Item = T>) -> Self {
        let fields: Vec<T> = fields.into_iter().collect();
        if fields.is_empty() {
            Targets::All
        } else {
            Targets::Only(fields)
        }
    }

    /// The fields asked for (empty: all).
    pub fn fields(&self) -> &[T] {
        match self {
            Targets::All => &[],
            Targets::Only(fields) => fields,
        }
    }
}

/// Whether a create request waits until the service has stored what it sent (Python
/// `waitEventsSaving` / `waitSaving`: `wait_events_saving=0|1`, `wait_saving=0|1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Saving {
    /// Nothing sent: the service default (waiting, for luna-events since 4.27).
    #[default]
    ServiceDefault,
    /// Answer once stored (`1`).
    Wait,
    /// Answer once queued (`0`): a success does not guarantee the events are stored.
    Queue,
}

impl Saving {
    /// The `0|1` flag, `None` for the service default.
    pub(crate) fn flag(self) -> Option<bool> {
        match self {
            Saving::ServiceDefault => None,
            Saving::Wait => Some(true),
            Saving::Queue => Some(false),
        }
    }
}
