//! luna-handlers data types (mode-free): the requests (handlers and their policy tree,
//! verifiers and their policies, the parameters and inputs of emitting events, detecting,
//! extracting and verifying, with the constants of those calls) and the answers of those calls.
//!
//! **Policies are data.** Every policy member is optional and only what is set is sent, so the
//! server's defaults apply to the rest; every policy object keeps members this crate does not
//! model in its `extra` map. A handler built in Rust therefore goes to JSON and back unchanged
//! (`policies_round_trip` test), and a handler read from a newer server loses nothing.
//!
//! Flags are `bool` in Rust and `0`/`1` on the wire (`true`/`false` are also read).
//! Candidates of match policies reuse the matching filter types
//! ([`crate::model::matching::MatchFilters`]: faces by [`crate::model::faces::FacesQuery`],
//! events by [`crate::model::events::EventsQuery`]); the `filters` of a sub-policy reuse the
//! events filters ([`PolicyFilters::events`]) in their JSON form.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::common::{BasicAttributes, ItemError};
use super::events::{Detection, DetectionInfo, Event, MatchResult, Rect};
use super::faces::{Face, ATTRIBUTE_TTL_MAX};
use super::common::FaceSelection;
use super::remote_sdk::{AggregateEstimations, LivenessState, MaskState};
use super::{string_enum, time_format, wire_enum};
use crate::error::{Error, Result};
use crate::filters::JsonFilters;
use crate::model::matching::{check_limit, check_threshold, MatchFilters};
use crate::model::events::EventsQuery;

pub use super::common::ANGLE_THRESHOLD_MAX;

mod params;
pub use params::*;

/// `0`/`1` flags: written as integers, read from integers or booleans.
mod flag {
    use super::*;

    pub(super) fn serialize<S: Serializer>(value: &Option<bool>, s: S) -> std::result::Result<S::Ok, S::Error> {
        match value {
            Some(on) => s.serialize_u8(u8::from(*on)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<bool>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(Value::Number(n)) => Some(n.as_f64().is_some_and(|v| v != 0.0)),
            Some(other) => {
                return Err(serde::de::Error::custom(format!("a 0/1 flag, got {other}")))
            }
        })
    }
}

/// Declares optional `0`/`1` flags with their setters (one definition per flag).
macro_rules! flags {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {
        $(
            $(#[$doc])*
            #[doc = concat!("\n\nWire: `", stringify!($name), "` (`0`/`1`).")]
            #[must_use]
            pub fn $name(mut self, on: bool) -> Self {
                self.$name = Some(on);
                self
            }
        )*
    };
}

use crate::query::check_unit;


// ---------------------------------------------------------------------------------------------
// Filters shared by the sub-policies

/// One `match` condition of policy filters: the result of the match policy `label` must have a
/// similarity in `[similarity__gte, similarity__lt)`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchCondition {
    /// Label of a match policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Lower bound, included (`similarity__gte`).
    #[serde(default, rename = "similarity__gte", skip_serializing_if = "Option::is_none")]
    pub similarity_gte: Option<f64>,
    /// Upper bound, excluded (`similarity__lt`).
    #[serde(default, rename = "similarity__lt", skip_serializing_if = "Option::is_none")]
    pub similarity_lt: Option<f64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MatchCondition {
    /// A condition on the match result `label`.
    pub fn new(label: impl Into<String>) -> Self {
        MatchCondition {
            label: Some(label.into()),
            ..Self::default()
        }
    }

    /// Lower bound, included, of the similarity (`similarity__gte`, 0…1).
    #[must_use]
    pub fn similarity_gte(mut self, similarity: f64) -> Self {
        self.similarity_gte = Some(similarity);
        self
    }

    /// Upper bound, excluded, of the similarity (`similarity__lt`, 0…1).
    #[must_use]
    pub fn similarity_lt(mut self, similarity: f64) -> Self {
        self.similarity_lt = Some(similarity);
        self
    }

    fn check(&self) -> Result<()> {
        check_unit("similarity_gte", self.similarity_gte)?;
        check_unit("similarity_lt", self.similarity_lt)
    }
}

/// The `filters` of a sub-policy (storage, conditional tags, match policy pre-conditions):
/// conditions on the processed object — the luna-events attribute filters (`age__gte`,
/// `gender`, `emotions`, `liveness`, `masks`...) in JSON form, plus `match` conditions on the
/// match policies' results.
///
/// Build the attribute part from an [`EventsQuery`] with [`PolicyFilters::events`] (one
/// definition and one setter per filter, shared with `get_events` and event candidates); add
/// anything else with [`PolicyFilters::field`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicyFilters {
    /// `match` conditions.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<MatchCondition>>,
    /// The other filter members, as sent.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl PolicyFilters {
    /// No condition.
    pub fn new() -> Self {
        Self::default()
    }

    /// The filters of `query` in JSON form (lists as arrays, `OrNull::Null` as `null`). Paging,
    /// order and targets are refused: they are not filters.
    pub fn events(query: &EventsQuery) -> Result<Self> {
        let mut out = JsonFilters::new();
        query.write_fields(&mut out)?;
        Ok(PolicyFilters {
            matches: None,
            fields: out.map,
        })
    }

    /// Adds a `match` condition.
    #[must_use]
    pub fn match_condition(mut self, condition: MatchCondition) -> Self {
        self.matches.get_or_insert_with(Vec::new).push(condition);
        self
    }

    /// Adds (or replaces) a member, sent as given.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }

    fn check(&self) -> Result<()> {
        self.matches
            .iter()
            .flatten()
            .try_for_each(MatchCondition::check)
    }
}

fn check_filters(filters: &Option<PolicyFilters>) -> Result<()> {
    filters.as_ref().map_or(Ok(()), PolicyFilters::check)
}

// ---------------------------------------------------------------------------------------------
// detect_policy

/// `detect_policy.estimate_liveness`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LivenessPolicy {
    /// Estimate liveness (`estimate`).
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate: Option<bool>,
    /// Liveness threshold, 0…1 (`liveness_threshold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_threshold: Option<f64>,
    /// Quality threshold, 0…1 (`quality_threshold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_threshold: Option<f64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl LivenessPolicy {
    /// Liveness estimated (`estimate: 1`), server thresholds.
    pub fn estimate() -> Self {
        LivenessPolicy {
            estimate: Some(true),
            ..Self::default()
        }
    }

    /// Sets `liveness_threshold` (0…1).
    #[must_use]
    pub fn liveness_threshold(mut self, threshold: f64) -> Self {
        self.liveness_threshold = Some(threshold);
        self
    }

    /// Sets `quality_threshold` (0…1).
    #[must_use]
    pub fn quality_threshold(mut self, threshold: f64) -> Self {
        self.quality_threshold = Some(threshold);
        self
    }
}

/// `detect_policy.body_attributes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BodyAttributesPolicy {
    /// Apparent age and gender of bodies.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_basic_attributes: Option<bool>,
    /// Upper-body attributes.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_upper_body: Option<bool>,
    /// Lower-body attributes.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_lower_body: Option<bool>,
    /// Accessories.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_accessories: Option<bool>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BodyAttributesPolicy {
    /// Nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    flags! {
        /// Estimate apparent age and gender of bodies.
        estimate_basic_attributes,
        /// Estimate upper-body attributes.
        estimate_upper_body,
        /// Estimate lower-body attributes.
        estimate_lower_body,
        /// Estimate accessories.
        estimate_accessories,
    }
}

/// Names of the face-quality checks (`detect_policy.face_quality.checks.<name>`) published so
/// far; any other name is accepted as well.
pub const FACE_QUALITY_CHECKS: &[&str] = &[
    "image_format",
    "illumination_quality",
    "specularity_quality",
    "blurriness_quality",
    "dark_quality",
    "light_quality",
    "head_yaw",
    "head_pitch",
    "head_roll",
    "gaze_yaw",
    "gaze_pitch",
    "mouth_smiling",
    "mouth_occluded",
    "mouth_open",
    "glasses",
    "left_eye",
    "right_eye",
    "head_horizontal_center",
    "head_vertical_center",
    "head_width",
    "head_height",
    "eye_distance",
    "image_width",
    "image_height",
    "aspect_ratio",
    "face_width",
    "face_height",
    "indent_left",
    "indent_right",
    "indent_upper",
    "indent_lower",
    "image_size",
    "eyebrows_state",
    "smile_properties",
    "face_color_type",
    "shoulders_position",
    "red_eyes",
    "radial_distortion",
    "illumination_uniformity",
    "natural_light",
    "background_lightness",
    "background_uniformity",
    "image_modification",
    "neck_occlusion",
    "photorealistic_face",
    "duty_uniform",
    "clothes_color_lightness",
];

/// One face-quality check: whether to run it and its threshold (its keys depend on the check,
/// e.g. `{"min": 0.5, "max": 1}`; kept as JSON).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QualityCheck {
    /// Run this check (`estimate`).
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate: Option<bool>,
    /// Threshold object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Value>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl QualityCheck {
    /// The check is run with the server's threshold.
    pub fn estimate() -> Self {
        QualityCheck {
            estimate: Some(true),
            ..Self::default()
        }
    }

    /// The check is run with this threshold object.
    pub fn with_threshold(threshold: Value) -> Self {
        QualityCheck {
            estimate: Some(true),
            threshold: Some(threshold),
            extra: Map::new(),
        }
    }
}

/// `detect_policy.face_quality`: ISO/IEC 19794-5-style checks under `checks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaceQualityPolicy {
    /// Run the face-quality estimation (`estimate`).
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate: Option<bool>,
    /// The checks by name (see [`FACE_QUALITY_CHECKS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks: Option<BTreeMap<String, QualityCheck>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FaceQualityPolicy {
    /// Face quality estimated (`estimate: 1`), no check configured yet.
    pub fn estimate() -> Self {
        FaceQualityPolicy {
            estimate: Some(true),
            ..Self::default()
        }
    }

    /// Adds (or replaces) the check `name`.
    #[must_use]
    pub fn check(mut self, name: impl Into<String>, check: QualityCheck) -> Self {
        self.checks
            .get_or_insert_with(BTreeMap::new)
            .insert(name.into(), check);
        self
    }
}

/// `detect_policy`: what to detect and estimate on each image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DetectPolicy {
    /// Several faces per image and head-pose limits (`multiface_policy`, `pitch_threshold`,
    /// `roll_threshold`, `yaw_threshold`), shared with `SdkParams` and `DetectParams`.
    #[serde(flatten)]
    pub selection: FaceSelection,
    /// Run the face detector.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub detect_face: Option<bool>,
    /// Run the body detector.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub detect_body: Option<bool>,
    /// 68 landmarks.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub detect_landmarks68: Option<bool>,
    /// Head pose.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_head_pose: Option<bool>,
    /// Emotions.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_emotions: Option<bool>,
    /// Medical mask.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_mask: Option<bool>,
    /// Glasses.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_glasses: Option<bool>,
    /// Eye state and iris.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_eyes_attributes: Option<bool>,
    /// Gaze.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_gaze: Option<bool>,
    /// Mouth state.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_mouth_attributes: Option<bool>,
    /// Image quality of the face.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub estimate_quality: Option<bool>,
    /// Return the EXIF data of the image.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub extract_exif: Option<bool>,
    /// Liveness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_liveness: Option<LivenessPolicy>,
    /// Keep only faces in these liveness states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_states: Option<Vec<LivenessState>>,
    /// Keep only faces in these mask states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask_states: Option<Vec<MaskState>>,
    /// Body attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_attributes: Option<BodyAttributesPolicy>,
    /// Face-quality checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_quality: Option<FaceQualityPolicy>,
    /// Members this crate does not model (people counter, newer estimators...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DetectPolicy {
    super::common::face_selection_setters!(selection);

    /// Nothing set: the server's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    flags! {
        /// Run the face detector.
        detect_face,
        /// Run the body detector.
        detect_body,
        /// Detect 68 landmarks.
        detect_landmarks68,
        /// Estimate the head pose.
        estimate_head_pose,
        /// Estimate emotions.
        estimate_emotions,
        /// Estimate the medical mask.
        estimate_mask,
        /// Estimate glasses.
        estimate_glasses,
        /// Estimate eye attributes.
        estimate_eyes_attributes,
        /// Estimate the gaze.
        estimate_gaze,
        /// Estimate mouth attributes.
        estimate_mouth_attributes,
        /// Estimate the image quality.
        estimate_quality,
        /// Return EXIF data.
        extract_exif,
    }


    /// Liveness settings.
    #[must_use]
    pub fn estimate_liveness(mut self, liveness: LivenessPolicy) -> Self {
        self.estimate_liveness = Some(liveness);
        self
    }

    /// Keep only faces in these liveness states.
    #[must_use]
    pub fn liveness_states(mut self, states: impl IntoIterator<Item = LivenessState>) -> Self {
        self.liveness_states = Some(states.into_iter().collect());
        self
    }

    /// Keep only faces in these mask states.
    #[must_use]
    pub fn mask_states(mut self, states: impl IntoIterator<Item = MaskState>) -> Self {
        self.mask_states = Some(states.into_iter().collect());
        self
    }




    /// Body attribute estimation.
    #[must_use]
    pub fn body_attributes(mut self, policy: BodyAttributesPolicy) -> Self {
        self.body_attributes = Some(policy);
        self
    }

    /// Face-quality checks.
    #[must_use]
    pub fn face_quality(mut self, policy: FaceQualityPolicy) -> Self {
        self.face_quality = Some(policy);
        self
    }

    fn check(&self) -> Result<()> {
        self.selection.check(None)?;
        if let Some(liveness) = &self.estimate_liveness {
            check_unit("liveness_threshold", liveness.liveness_threshold)?;
            check_unit("quality_threshold", liveness.quality_threshold)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// extract_policy

/// `extract_policy`: descriptors and basic attributes to extract.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExtractPolicy {
    /// Extract the face descriptor.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub extract_face_descriptor: Option<bool>,
    /// Extract the body descriptor.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub extract_body_descriptor: Option<bool>,
    /// Extract age, gender, ethnicity.
    #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
    pub extract_basic_attributes: Option<bool>,
    /// Descriptor quality (garbage score) threshold, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fd_score_threshold: Option<f64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ExtractPolicy {
    /// Nothing set: the server's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    flags! {
        /// Extract the face descriptor.
        extract_face_descriptor,
        /// Extract the body descriptor.
        extract_body_descriptor,
        /// Extract basic attributes.
        extract_basic_attributes,
    }

    /// Descriptor quality threshold (0…1).
    #[must_use]
    pub fn fd_score_threshold(mut self, threshold: f64) -> Self {
        self.fd_score_threshold = Some(threshold);
        self
    }

    fn check(&self) -> Result<()> {
        check_unit("fd_score_threshold", self.fd_score_threshold)
    }
}

// ---------------------------------------------------------------------------------------------
// match_policy

/// The `candidates` of a match policy: a matching filter object (`{"origin": "faces" |
/// "events" | "attributes", <filters>...}`), built from the matching filter types.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicyCandidates {
    /// `faces`, `events` or `attributes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The filters, as sent.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl PolicyCandidates {
    /// The JSON form of `filters` (ids and values are checked here). The account is the
    /// handler's: the service adds it.
    pub fn new(filters: impl Into<MatchFilters>) -> Result<Self> {
        match filters.into().to_json(None)? {
            Value::Object(mut map) => {
                let origin = map
                    .remove("origin")
                    .and_then(|o| o.as_str().map(str::to_owned));
                Ok(PolicyCandidates {
                    origin,
                    fields: map,
                })
            }
            _ => Err(Error::invalid("candidates", "filters are not a JSON object")),
        }
    }
}

/// One item of `match_policy`: match the extracted descriptor against candidates and keep the
/// result under `label`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchPolicy {
    /// Name of this match result (referenced by `match` filter conditions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whom to match against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<PolicyCandidates>,
    /// Pre-conditions on the processed object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<PolicyFilters>,
    /// Most candidates returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Lowest similarity kept, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Candidate fields to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MatchPolicy {
    /// A match policy `label` against the candidates selected by `candidates` (faces by
    /// [`crate::model::faces::FacesQuery`], events by [`EventsQuery`], attributes by
    /// [`crate::model::matching::AttributeFilters`]); checked now.
    pub fn new(label: impl Into<String>, candidates: impl Into<MatchFilters>) -> Result<Self> {
        Ok(MatchPolicy {
            label: Some(label.into()),
            candidates: Some(PolicyCandidates::new(candidates)?),
            ..Self::default()
        })
    }

    /// Pre-conditions on the processed object.
    #[must_use]
    pub fn filters(mut self, filters: PolicyFilters) -> Self {
        self.filters = Some(filters);
        self
    }

    /// Most candidates returned (1 to [`crate::model::matching::MATCH_LIMIT_MAX`]).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Lowest similarity kept (0…1).
    #[must_use]
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = Some(threshold);
        self
    }

    /// Candidate fields to return.
    #[must_use]
    pub fn targets<T: std::fmt::Display>(mut self, targets: impl IntoIterator<Item = T>) -> Self {
        self.targets = Some(targets.into_iter().map(|t| t.to_string()).collect());
        self
    }

    fn check(&self) -> Result<()> {
        check_limit(self.limit)?;
        check_threshold(self.threshold)?;
        check_filters(&self.filters)
    }
}

// ---------------------------------------------------------------------------------------------
// storage_policy

macro_rules! storage_policy {
    (
        $(#[$meta:meta])*
        $name:ident {
            $flag:ident: $flagdoc:literal
            $(; flags [$($bfield:ident => $bdoc:literal),*])?
            $(, $field:ident: $ty:ty => $doc:literal)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            #[doc = $flagdoc]
            #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
            pub $flag: Option<bool>,
            $($(
                #[doc = $bdoc]
                #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
                pub $bfield: Option<bool>,
            )*)?
            $(
                #[doc = $doc]
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Store only objects passing these filters.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub filters: Option<PolicyFilters>,
            /// Members this crate does not model.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }

        impl $name {
            #[doc = concat!("`", stringify!($flag), "` set to `on`.")]
            pub fn new(on: bool) -> Self {
                $name {
                    $flag: Some(on),
                    ..Self::default()
                }
            }

            /// Store only objects passing these filters.
            #[must_use]
            pub fn filters(mut self, filters: PolicyFilters) -> Self {
                self.filters = Some(filters);
                self
            }
        }
    };
}

storage_policy! {
    /// `storage_policy.face_sample_policy` / `body_sample_policy`: store the samples (warps).
    SamplePolicy { store_sample: "Store the samples." }
}

storage_policy! {
    /// `storage_policy.image_origin_policy`: store the source images (server default: no).
    ImageOriginPolicy {
        store_image: "Store the source images."; flags [use_external_references => "Keep URLs of the source images instead of copies."]
    }
}

storage_policy! {
    /// `storage_policy.attribute_policy`: store temporary attributes.
    AttributePolicy {
        store_attribute: "Store the attributes.",
        ttl: u32 => "Lifetime in seconds (1…86400)."
    }
}

storage_policy! {
    /// `storage_policy.face_policy`: create faces, link them to lists.
    FacePolicy {
        store_face: "Create a face."; flags [set_sample_as_avatar => "Use the sample as the face's avatar."],
        link_to_lists_policy: Vec<LinkToListPolicy> => "Lists to link the face to."
    }
}

storage_policy! {
    /// `storage_policy.event_policy`: save the event in luna-events.
    EventPolicy {
        store_event: "Save the event."; flags [wait_saving => "Answer only after the event is written."]
    }
}

storage_policy! {
    /// `storage_policy.notification_policy`: send the event to luna-sender subscribers.
    NotificationPolicy { send_notification: "Send a notification." }
}

impl AttributePolicy {
    /// Lifetime of the stored attributes in seconds (1…86400).
    #[must_use]
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = Some(seconds);
        self
    }
}

impl FacePolicy {
    /// Use the sample as the face's avatar.
    #[must_use]
    pub fn set_sample_as_avatar(mut self, on: bool) -> Self {
        self.set_sample_as_avatar = Some(on);
        self
    }

    /// Adds a list to link the created face to.
    #[must_use]
    pub fn link_to_list(mut self, link: LinkToListPolicy) -> Self {
        self.link_to_lists_policy
            .get_or_insert_with(Vec::new)
            .push(link);
        self
    }
}

impl ImageOriginPolicy {
    /// Keep URLs of external source images instead of copies.
    #[must_use]
    pub fn use_external_references(mut self, on: bool) -> Self {
        self.use_external_references = Some(on);
        self
    }
}

impl EventPolicy {
    /// Answer only after the event is written.
    #[must_use]
    pub fn wait_saving(mut self, on: bool) -> Self {
        self.wait_saving = Some(on);
        self
    }
}

/// One item of `face_policy.link_to_lists_policy`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LinkToListPolicy {
    /// The list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<Uuid>,
    /// Link only faces passing these filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<PolicyFilters>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl LinkToListPolicy {
    /// Link to `list_id`.
    pub fn new(list_id: Uuid) -> Self {
        LinkToListPolicy {
            list_id: Some(list_id),
            ..Self::default()
        }
    }

    /// Link only faces passing these filters.
    #[must_use]
    pub fn filters(mut self, filters: PolicyFilters) -> Self {
        self.filters = Some(filters);
        self
    }
}

/// `storage_policy`: what to store.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoragePolicy {
    /// Face samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_sample_policy: Option<SamplePolicy>,
    /// Body samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_sample_policy: Option<SamplePolicy>,
    /// Source images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_origin_policy: Option<ImageOriginPolicy>,
    /// Temporary attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_policy: Option<AttributePolicy>,
    /// Faces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_policy: Option<FacePolicy>,
    /// Events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_policy: Option<EventPolicy>,
    /// Notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_policy: Option<NotificationPolicy>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StoragePolicy {
    /// Nothing set: the server's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Face samples.
    #[must_use]
    pub fn face_sample_policy(mut self, policy: SamplePolicy) -> Self {
        self.face_sample_policy = Some(policy);
        self
    }

    /// Body samples.
    #[must_use]
    pub fn body_sample_policy(mut self, policy: SamplePolicy) -> Self {
        self.body_sample_policy = Some(policy);
        self
    }

    /// Source images.
    #[must_use]
    pub fn image_origin_policy(mut self, policy: ImageOriginPolicy) -> Self {
        self.image_origin_policy = Some(policy);
        self
    }

    /// Temporary attributes.
    #[must_use]
    pub fn attribute_policy(mut self, policy: AttributePolicy) -> Self {
        self.attribute_policy = Some(policy);
        self
    }

    /// Faces.
    #[must_use]
    pub fn face_policy(mut self, policy: FacePolicy) -> Self {
        self.face_policy = Some(policy);
        self
    }

    /// Events.
    #[must_use]
    pub fn event_policy(mut self, policy: EventPolicy) -> Self {
        self.event_policy = Some(policy);
        self
    }

    /// Notifications.
    #[must_use]
    pub fn notification_policy(mut self, policy: NotificationPolicy) -> Self {
        self.notification_policy = Some(policy);
        self
    }

    fn check(&self) -> Result<()> {
        if let Some(attribute) = &self.attribute_policy {
            if let Some(ttl) = attribute.ttl {
                if ttl == 0 || ttl > ATTRIBUTE_TTL_MAX {
                    return Err(Error::invalid(
                        "ttl",
                        format!("{ttl} is not in 1…{ATTRIBUTE_TTL_MAX} seconds"),
                    ));
                }
            }
            check_filters(&attribute.filters)?;
        }
        if let Some(face) = &self.face_policy {
            check_filters(&face.filters)?;
            for link in face.link_to_lists_policy.iter().flatten() {
                check_filters(&link.filters)?;
            }
        }
        check_filters(&self.face_sample_policy.as_ref().and_then(|p| p.filters.clone()))?;
        check_filters(&self.body_sample_policy.as_ref().and_then(|p| p.filters.clone()))?;
        check_filters(&self.image_origin_policy.as_ref().and_then(|p| p.filters.clone()))?;
        check_filters(&self.event_policy.as_ref().and_then(|p| p.filters.clone()))?;
        check_filters(&self.notification_policy.as_ref().and_then(|p| p.filters.clone()))
    }
}

// ---------------------------------------------------------------------------------------------
// conditional_tags_policy and the tree

/// One item of `conditional_tags_policy`: tag the event with `tag` when `filters` pass.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConditionalTag {
    /// The tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// When to tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<PolicyFilters>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ConditionalTag {
    /// Tag `tag` when `filters` pass.
    pub fn new(tag: impl Into<String>, filters: PolicyFilters) -> Self {
        ConditionalTag {
            tag: Some(tag.into()),
            filters: Some(filters),
            extra: Map::new(),
        }
    }
}

/// The policies of a handler (Python `Policies`): detect, extract, match, store, tag.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Policies {
    /// Detection and estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect_policy: Option<DetectPolicy>,
    /// Extraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extract_policy: Option<ExtractPolicy>,
    /// Matching, one item per label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_policy: Option<Vec<MatchPolicy>>,
    /// Storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_policy: Option<StoragePolicy>,
    /// Conditional tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional_tags_policy: Option<Vec<ConditionalTag>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Policies {
    /// No policy: the server's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Detection and estimation.
    #[must_use]
    pub fn detect_policy(mut self, policy: DetectPolicy) -> Self {
        self.detect_policy = Some(policy);
        self
    }

    /// Extraction.
    #[must_use]
    pub fn extract_policy(mut self, policy: ExtractPolicy) -> Self {
        self.extract_policy = Some(policy);
        self
    }

    /// Adds a match policy.
    #[must_use]
    pub fn match_policy(mut self, policy: MatchPolicy) -> Self {
        self.match_policy.get_or_insert_with(Vec::new).push(policy);
        self
    }

    /// Storage.
    #[must_use]
    pub fn storage_policy(mut self, policy: StoragePolicy) -> Self {
        self.storage_policy = Some(policy);
        self
    }

    /// Adds a conditional tag.
    #[must_use]
    pub fn conditional_tag(mut self, tag: ConditionalTag) -> Self {
        self.conditional_tags_policy
            .get_or_insert_with(Vec::new)
            .push(tag);
        self
    }

    /// Checks the ranges this crate knows (angles, thresholds, similarities, `ttl`, `limit`);
    /// called before anything is sent.
    pub fn check(&self) -> Result<()> {
        if let Some(p) = &self.detect_policy {
            p.check()?;
        }
        if let Some(p) = &self.extract_policy {
            p.check()?;
        }
        for p in self.match_policy.iter().flatten() {
            p.check()?;
        }
        if let Some(p) = &self.storage_policy {
            p.check()?;
        }
        for t in self.conditional_tags_policy.iter().flatten() {
            check_filters(&t.filters)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers

wire_enum! {
    /// Handler type (`handler_type`).
    pub enum HandlerType {
        /// 0: policies stored with the handler.
        Static = 0,
        /// 1: policies given with every emit request.
        Dynamic = 1,
        /// 2: a luna-lambda of type *handlers* does the processing.
        Lambda = 2,
    }
}

/// The body of `create_handler` / `update_handler` (Python `policies`, `handlerType`,
/// `lambdaId`, `description`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewHandler {
    /// Policies (required by static handlers; not stored for dynamic ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Policies>,
    /// Handler type (server default when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_type: Option<HandlerType>,
    /// The lambda of a lambda handler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_id: Option<Uuid>,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl NewHandler {
    /// A static handler with these policies.
    pub fn with_policies(policies: Policies) -> Self {
        NewHandler {
            policies: Some(policies),
            handler_type: Some(HandlerType::Static),
            ..Self::default()
        }
    }

    /// A dynamic handler (policies come with each emit request).
    pub fn dynamic() -> Self {
        NewHandler {
            handler_type: Some(HandlerType::Dynamic),
            ..Self::default()
        }
    }

    /// A lambda handler.
    pub fn lambda(lambda_id: Uuid) -> Self {
        NewHandler {
            handler_type: Some(HandlerType::Lambda),
            lambda_id: Some(lambda_id),
            ..Self::default()
        }
    }

    /// Sets the policies.
    #[must_use]
    pub fn policies(mut self, policies: Policies) -> Self {
        self.policies = Some(policies);
        self
    }

    /// Sets the handler type.
    #[must_use]
    pub fn handler_type(mut self, handler_type: HandlerType) -> Self {
        self.handler_type = Some(handler_type);
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Checks what this crate knows before sending: a static handler has policies, a lambda
    /// handler has a lambda id, the policies' ranges.
    pub(crate) fn check(&self) -> Result<()> {
        match self.handler_type {
            Some(HandlerType::Static) if self.policies.is_none() => {
                return Err(Error::invalid("policies", "a static handler needs policies"))
            }
            Some(HandlerType::Lambda) if self.lambda_id.is_none() => {
                return Err(Error::invalid("lambda_id", "a lambda handler needs a lambda id"))
            }
            _ => {}
        }
        self.policies.as_ref().map_or(Ok(()), Policies::check)
    }
}

/// A handler (`get_handler_by_id`, items of `get_handlers`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Handler {
    /// Handler id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_id: Option<Uuid>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<OffsetDateTime>,
    /// Time of the last change.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_update_time: Option<OffsetDateTime>,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Policies (absent for dynamic handlers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Policies>,
    /// Handler type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_type: Option<HandlerType>,
    /// Lambda of a lambda handler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_id: Option<Uuid>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A created handler or verifier: its id and location.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Created {
    /// The new id.
    pub id: Uuid,
    /// Its location (`url` of the answer, else the `Location` header).
    pub url: Option<String>,
}

/// The body of `create_verifier` / `put_verifier` (Python `policies`, `description`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewVerifier {
    /// The verifier's policies.
    pub policies: VerifierPolicies,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl NewVerifier {
    /// A verifier with these policies and no description.
    pub fn new(policies: VerifierPolicies) -> Self {
        NewVerifier {
            policies,
            description: None,
        }
    }

    /// User description (`description`).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A verifier's policies (Python `VerifierPolicies`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifierPolicies {
    /// Detection and estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect_policy: Option<DetectPolicy>,
    /// Extraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extract_policy: Option<ExtractPolicy>,
    /// Storage: only `attribute_policy` and `face_sample_policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_policy: Option<VerifierStoragePolicy>,
    /// Similarity from which a verification succeeds, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_threshold: Option<f64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl VerifierPolicies {
    /// Nothing set: the server's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Detection and estimation.
    #[must_use]
    pub fn detect_policy(mut self, policy: DetectPolicy) -> Self {
        self.detect_policy = Some(policy);
        self
    }

    /// Extraction.
    #[must_use]
    pub fn extract_policy(mut self, policy: ExtractPolicy) -> Self {
        self.extract_policy = Some(policy);
        self
    }

    /// Storage.
    #[must_use]
    pub fn storage_policy(mut self, policy: VerifierStoragePolicy) -> Self {
        self.storage_policy = Some(policy);
        self
    }

    /// Similarity from which a verification succeeds (0…1).
    #[must_use]
    pub fn verification_threshold(mut self, threshold: f64) -> Self {
        self.verification_threshold = Some(threshold);
        self
    }

    /// Checks the ranges this crate knows; called before anything is sent.
    pub fn check(&self) -> Result<()> {
        check_unit("verification_threshold", self.verification_threshold)?;
        if let Some(p) = &self.detect_policy {
            p.check()?;
        }
        if let Some(p) = &self.extract_policy {
            p.check()?;
        }
        if let Some(storage) = &self.storage_policy {
            StoragePolicy {
                attribute_policy: storage.attribute_policy.clone(),
                face_sample_policy: storage.face_sample_policy.clone(),
                ..StoragePolicy::default()
            }
            .check()?;
        }
        Ok(())
    }
}

/// `storage_policy` of a verifier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifierStoragePolicy {
    /// Temporary attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_policy: Option<AttributePolicy>,
    /// Face samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_sample_policy: Option<SamplePolicy>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl VerifierStoragePolicy {
    /// Nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Temporary attributes.
    #[must_use]
    pub fn attribute_policy(mut self, policy: AttributePolicy) -> Self {
        self.attribute_policy = Some(policy);
        self
    }

    /// Face samples.
    #[must_use]
    pub fn face_sample_policy(mut self, policy: SamplePolicy) -> Self {
        self.face_sample_policy = Some(policy);
        self
    }
}

/// A verifier (`get_verifier`, items of `get_verifiers`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verifier {
    /// Verifier id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifier_id: Option<Uuid>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<OffsetDateTime>,
    /// Time of the last change.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_update_time: Option<OffsetDateTime>,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<VerifierPolicies>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------------
// Answers

/// The status of one input image of a batch answer (`images` of emit events, detector and
/// verifications): its file name, `status` (`1` processed, `0` failed) and error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageStatus {
    /// File name (multipart part's, or a placeholder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// `1` processed, `0` failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Why this image failed (the other images are still processed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ImageStatus {
    /// Whether this image failed: `status` 0 or an error whose code is not 0.
    pub fn is_error(&self) -> bool {
        self.status == Some(0) || self.error.as_ref().is_some_and(|e| e.error_code != Some(0))
    }
}

/// The samples of one detection of an emitted event (`samples.face` / `samples.body`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DetectionSamples {
    /// The face sample and its detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<Detection>,
    /// The body sample and its detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Detection>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One item of `detections` of an emitted event. Both published layouts are read: samples
/// nested under `samples` (`face` / `body`), or the detection members directly.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmittedDetection {
    /// Face and body samples of this detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<DetectionSamples>,
    /// Sample id (flat layout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_id: Option<Uuid>,
    /// Box and estimations (flat layout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<DetectionInfo>,
    /// File name of the source image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Detection time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub detect_time: Option<OffsetDateTime>,
    /// User timestamp of the detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect_ts: Option<f64>,
    /// URL of the stored source image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_origin: Option<String>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An event produced by a handler: the luna-events [`Event`] (ids, times, location, tags,
/// attributes, `face_detections`, `match_result`, `top_match`...) plus the members of the
/// handlers' answer (`url`, created `face`, `detections`, `matches`, attributes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmittedEvent {
    /// Event location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The face created by the face storage policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<Face>,
    /// Detections with their samples, per image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detections: Option<Vec<EmittedDetection>>,
    /// Match results, one per match policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<MatchResult>>,
    /// Face attributes (descriptor info, basic attributes...), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_attributes: Option<Value>,
    /// Body attributes, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_attributes: Option<Value>,
    /// Attributes aggregated over the images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_estimations: Option<AggregateEstimations>,
    /// The event: every other member (unknown ones in `event.extra`).
    #[serde(flatten)]
    pub event: Event,
}

impl EmittedEvent {
    /// The event id.
    pub fn event_id(&self) -> Option<Uuid> {
        self.event.event_id
    }

    /// The match results, from `matches` or (events layout) `match_result`.
    pub fn match_results(&self) -> &[MatchResult] {
        self.matches
            .as_deref()
            .or(self.event.match_result.as_deref())
            .unwrap_or_default()
    }
}

/// The answer of `emit_events` / `emit_stream_events`: the events, and the status of each
/// input image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmitEventsResponse {
    /// The events.
    #[serde(default)]
    pub events: Vec<EmittedEvent>,
    /// Per-image status and errors, in input order (when sent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageStatus>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl EmitEventsResponse {
    /// The images that failed.
    pub fn failed_images(&self) -> impl Iterator<Item = &ImageStatus> {
        self.images.iter().filter(|i| i.is_error())
    }
}

/// One sample found by the detector (`face` / `body` with `sample_id`, `url`, `detection`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DetectedSample {
    /// The face sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<Detection>,
    /// The body sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Detection>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `detections` of one detector image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DetectorDetections {
    /// The samples kept.
    #[serde(default)]
    pub samples: Vec<DetectedSample>,
    /// Detections filtered out (thresholds, liveness/mask states), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filtered_detections: Option<Value>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One image of the detector answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DetectedImage {
    /// File name, status and error.
    #[serde(flatten)]
    pub status: ImageStatus,
    /// EXIF data (`extract_exif=1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exif: Option<Value>,
    /// Detections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detections: Option<DetectorDetections>,
}

/// The answer of `detect_faces`: one entry per input image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DetectorResponse {
    /// Per-image results, in input order.
    #[serde(default)]
    pub images: Vec<DetectedImage>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One temporary attribute created by `extract_attr_from_sample`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExtractedAttribute {
    /// Attribute id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_id: Option<Uuid>,
    /// Attribute location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Basic attributes (`extract_basic_attributes=1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_attributes: Option<BasicAttributes>,
    /// Descriptor information (`extract_descriptor=1`), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<Value>,
    /// Samples the attribute was extracted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_ids: Option<Vec<Uuid>>,
    /// Members this crate does not model (`filtered`, scores...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One verification result: an object verified against and its similarity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verification {
    /// The face verified against (face ids / external ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<super::events::MatchedObject>,
    /// The event verified against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<super::events::MatchedObject>,
    /// The attribute verified against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<Value>,
    /// Similarity, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Whether the similarity reached the verifier's threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<bool>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One face found on a verified image, with its verifications.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifiedFace {
    /// Sample id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_id: Option<Uuid>,
    /// Box and estimations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<DetectionInfo>,
    /// One result per object verified against.
    #[serde(default)]
    pub verifications: Vec<Verification>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `detections` of one verified image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationDetections {
    /// Faces with their verifications.
    #[serde(default)]
    pub face_detections: Vec<VerifiedFace>,
    /// Detections filtered out, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filtered_detections: Option<Value>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One input (image or descriptor) of `verify_data`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifiedImage {
    /// File name, status and error.
    #[serde(flatten)]
    pub status: ImageStatus,
    /// Faces with their verifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detections: Option<VerificationDetections>,
}

impl VerifiedImage {
    /// Every verification of every face of this image.
    pub fn verifications(&self) -> impl Iterator<Item = &Verification> {
        self.detections
            .iter()
            .flat_map(|d| &d.face_detections)
            .flat_map(|f| &f.verifications)
    }
}

/// The answer of `verify_data`: one entry per input, in input order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationResponse {
    /// Per-input results.
    #[serde(default)]
    pub images: Vec<VerifiedImage>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What `save_event` answers: the saved event's id and location.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedEvent {
    /// Event id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
    /// Event location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------------
// Stream events

string_enum! {
    /// Kind of a stream-event source (`source_type`).
    pub enum StreamSourceType {
        /// `raw_image`: a frame; the service detects on it.
        RawImage = "raw_image",
        /// `detections`: detections already made (FaceStream).
        Detections = "detections",
    }
}

/// One face or body detection of a stream source (`face_detection_data` /
/// `body_detection_data` items).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamDetection {
    /// Box in the sent image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounding_box: Option<Rect>,
    /// Box in the original frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_bounding_box: Option<Rect>,
    /// Head angles, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub angles: Option<Value>,
    /// Detection score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Members this crate does not model (the service accepts extra keys).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StreamDetection {
    /// A detection at `bounding_box`.
    pub fn new(bounding_box: Rect) -> Self {
        StreamDetection {
            bounding_box: Some(bounding_box),
            ..Self::default()
        }
    }
}

/// One source of a stream event (a frame or detections of a track).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamSource {
    /// Source kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<StreamSourceType>,
    /// The image, base64-encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_data: Option<String>,
    /// File name of the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Face detections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_detection_data: Option<Vec<StreamDetection>>,
    /// Body detections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_detection_data: Option<Vec<StreamDetection>>,
    /// Detection time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub detect_time: Option<OffsetDateTime>,
    /// User timestamp (seconds from the start of the video...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect_ts: Option<f64>,
    /// URL of the stored source image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_origin: Option<String>,
    /// Members this crate does not model (the service accepts extra keys).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StreamSource {
    /// A source of kind `source_type`.
    pub fn new(source_type: StreamSourceType) -> Self {
        StreamSource {
            source_type: Some(source_type),
            ..Self::default()
        }
    }

    /// The image bytes (sent base64-encoded as `source_data`).
    #[must_use]
    pub fn image(mut self, bytes: &[u8]) -> Self {
        use base64::Engine as _;
        self.source_data = Some(base64::engine::general_purpose::STANDARD.encode(bytes));
        self
    }

    /// Adds a face detection.
    #[must_use]
    pub fn face_detection(mut self, detection: StreamDetection) -> Self {
        self.face_detection_data
            .get_or_insert_with(Vec::new)
            .push(detection);
        self
    }

    /// Adds a body detection.
    #[must_use]
    pub fn body_detection(mut self, detection: StreamDetection) -> Self {
        self.body_detection_data
            .get_or_insert_with(Vec::new)
            .push(detection);
        self
    }

    /// Detection time.
    #[must_use]
    pub fn detect_time(mut self, time: OffsetDateTime) -> Self {
        self.detect_time = Some(time);
        self
    }

    /// User timestamp.
    #[must_use]
    pub fn detect_ts(mut self, ts: f64) -> Self {
        self.detect_ts = Some(ts);
        self
    }
}

/// The body of `emit_stream_events` (Python `StreamEventsSource`, beta in luna-handlers 3.1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamEvents {
    /// The sources of the track.
    #[serde(default)]
    pub sources: Vec<StreamSource>,
    /// Members this crate does not model (sent as given).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StreamEvents {
    /// These sources.
    pub fn new(sources: impl IntoIterator<Item = StreamSource>) -> Self {
        StreamEvents {
            sources: sources.into_iter().collect(),
            extra: Map::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Upgrade

/// The object `upgrade_object_from_sample` upgrades.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum UpgradeTarget {
    /// A face (Python `FaceAttributeUpgrade`): `face_id`.
    Face(crate::id::Id),
    /// An event (Python `EventAttributeUpgrade`): `event_id`.
    Event(crate::id::Id),
}

/// The body of `upgrade_object_from_sample`: which object, and what to re-extract from its
/// samples (descriptor and/or basic attributes).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ObjectUpgrade {
    target: UpgradeTarget,
    extract_descriptor: Option<bool>,
    extract_basic_attributes: Option<bool>,
    descriptor_version: Option<u32>,
    extra: Map<String, Value>,
}

impl ObjectUpgrade {
    /// Upgrade the face `face_id`.
    pub fn face(face_id: impl Into<crate::id::Id>) -> Self {
        Self::new(UpgradeTarget::Face(face_id.into()))
    }

    /// Upgrade the event `event_id`.
    pub fn event(event_id: impl Into<crate::id::Id>) -> Self {
        Self::new(UpgradeTarget::Event(event_id.into()))
    }

    fn new(target: UpgradeTarget) -> Self {
        ObjectUpgrade {
            target,
            extract_descriptor: None,
            extract_basic_attributes: None,
            descriptor_version: None,
            extra: Map::new(),
        }
    }

    /// Re-extract the descriptor.
    #[must_use]
    pub fn extract_descriptor(mut self, on: bool) -> Self {
        self.extract_descriptor = Some(on);
        self
    }

    /// Re-extract basic attributes.
    #[must_use]
    pub fn extract_basic_attributes(mut self, on: bool) -> Self {
        self.extract_basic_attributes = Some(on);
        self
    }

    /// Descriptor version to extract.
    #[must_use]
    pub fn descriptor_version(mut self, version: u32) -> Self {
        self.descriptor_version = Some(version);
        self
    }

    /// Adds (or replaces) a member, sent as given.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// The JSON body (ids checked; at least one thing to extract).
    pub(crate) fn to_body(&self) -> Result<Value> {
        if self.extract_descriptor == Some(false) && self.extract_basic_attributes != Some(true) {
            return Err(Error::invalid(
                "upgrade",
                "nothing to extract: enable the descriptor or the basic attributes",
            ));
        }
        let mut map = Map::new();
        match &self.target {
            UpgradeTarget::Face(id) => {
                map.insert("face_id".into(), Value::String(id.resolve("face_id")?.to_string()))
            }
            UpgradeTarget::Event(id) => map.insert(
                "event_id".into(),
                Value::String(id.resolve("event_id")?.to_string()),
            ),
        };
        if let Some(on) = self.extract_descriptor {
            map.insert("extract_descriptor".into(), u8::from(on).into());
        }
        if let Some(on) = self.extract_basic_attributes {
            map.insert("extract_basic_attributes".into(), u8::from(on).into());
        }
        if let Some(version) = self.descriptor_version {
            map.insert("descriptor_version".into(), version.into());
        }
        for (name, value) in &self.extra {
            map.insert(name.clone(), value.clone());
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::events::{Emotion, OrNull};
    use crate::model::matching::AttributeFilters;
    use crate::model::faces::FacesQuery;
    use serde_json::json;
    use time::macros::datetime;

    const LIST: &str = "5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33";
    const EVENT: &str = "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55";
    const FACE: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
    const SAMPLE: &str = "2c3d4e5f-6f0e-4a5c-9a55-8c1a0d1f1a88";

    fn adults() -> PolicyFilters {
        PolicyFilters::events(
            &EventsQuery::new()
                .age_gte(18)
                .emotions([OrNull::Value(Emotion::Happiness), OrNull::Null]),
        )
        .unwrap()
        .match_condition(MatchCondition::new("staff").similarity_gte(0.8).similarity_lt(1.0))
    }

    /// A handler with every sub-policy and every modelled member set.
    pub(crate) fn full_handler() -> NewHandler {
        let detect = DetectPolicy::new()
            .multiface_policy(crate::model::common::MultifacePolicy::Best)
            .detect_face(true)
            .detect_body(true)
            .detect_landmarks68(false)
            .estimate_head_pose(true)
            .estimate_emotions(true)
            .estimate_mask(true)
            .estimate_glasses(true)
            .estimate_eyes_attributes(true)
            .estimate_gaze(true)
            .estimate_mouth_attributes(true)
            .estimate_quality(true)
            .extract_exif(true)
            .estimate_liveness(LivenessPolicy::estimate().liveness_threshold(0.6).quality_threshold(0.5))
            .liveness_states([LivenessState::Real])
            .mask_states([MaskState::Missing, MaskState::MedicalMask])
            .pitch_threshold(20)
            .roll_threshold(30)
            .yaw_threshold(40)
            .body_attributes(
                BodyAttributesPolicy::new()
                    .estimate_basic_attributes(true)
                    .estimate_upper_body(true)
                    .estimate_lower_body(false)
                    .estimate_accessories(true),
            )
            .face_quality(
                FaceQualityPolicy::estimate()
                    .check("head_yaw", QualityCheck::with_threshold(json!({"min": -5, "max": 5})))
                    .check("image_modification", QualityCheck::estimate()),
            );
        let extract = ExtractPolicy::new()
            .extract_face_descriptor(true)
            .extract_body_descriptor(false)
            .extract_basic_attributes(true)
            .fd_score_threshold(0.5);
        let storage = StoragePolicy::new()
            .face_sample_policy(SamplePolicy::new(true).filters(adults()))
            .body_sample_policy(SamplePolicy::new(false))
            .image_origin_policy(ImageOriginPolicy::new(true).use_external_references(true))
            .attribute_policy(AttributePolicy::new(true).ttl(3600))
            .face_policy(
                FacePolicy::new(true)
                    .set_sample_as_avatar(true)
                    .link_to_list(LinkToListPolicy::new(LIST.parse().unwrap()).filters(adults()))
                    .filters(PolicyFilters::new().field("liveness", json!([1]))),
            )
            .event_policy(EventPolicy::new(true).wait_saving(true))
            .notification_policy(NotificationPolicy::new(true).filters(adults()));
        let policies = Policies::new()
            .detect_policy(detect)
            .extract_policy(extract)
            .match_policy(
                MatchPolicy::new("staff", FacesQuery::new().list_id(LIST))
                    .unwrap()
                    .filters(adults())
                    .limit(3)
                    .threshold(0.75)
                    .targets(["face_id", "similarity"]),
            )
            .match_policy(MatchPolicy::new("seen", EventsQuery::new().sources(["gate"])).unwrap())
            .match_policy(
                MatchPolicy::new("temp", AttributeFilters::new().attribute_ids([FACE])).unwrap(),
            )
            .storage_policy(storage)
            .conditional_tag(ConditionalTag::new("vip", adults()));
        let mut handler = NewHandler::with_policies(policies).description("entrance");
        handler.policies.as_mut().unwrap().extra.insert("future_policy".into(), json!({"x": 1}));
        handler
    }

    #[test]
    fn policies_round_trip() {
        let handler = full_handler();
        handler.check().unwrap();
        let json = serde_json::to_value(&handler).unwrap();
        let back: NewHandler = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, handler);
        assert_eq!(serde_json::to_value(&back).unwrap(), json);

        // Wire names and forms pinned.
        let p = &json["policies"];
        assert_eq!(json["handler_type"], 0);
        assert_eq!(json["description"], "entrance");
        assert_eq!(p["detect_policy"]["multiface_policy"], 2);
        assert_eq!(p["detect_policy"]["detect_face"], 1);
        assert_eq!(p["detect_policy"]["detect_landmarks68"], 0);
        assert_eq!(p["detect_policy"]["estimate_liveness"], json!({"estimate": 1, "liveness_threshold": 0.6, "quality_threshold": 0.5}));
        assert_eq!(p["detect_policy"]["liveness_states"], json!([1]));
        assert_eq!(p["detect_policy"]["mask_states"], json!([1, 2]));
        assert_eq!(p["detect_policy"]["yaw_threshold"], 40);
        assert_eq!(p["detect_policy"]["body_attributes"]["estimate_lower_body"], 0);
        assert_eq!(
            p["detect_policy"]["face_quality"],
            json!({"estimate": 1, "checks": {
                "head_yaw": {"estimate": 1, "threshold": {"min": -5, "max": 5}},
                "image_modification": {"estimate": 1}
            }})
        );
        assert_eq!(
            p["extract_policy"],
            json!({"extract_face_descriptor": 1, "extract_body_descriptor": 0, "extract_basic_attributes": 1, "fd_score_threshold": 0.5})
        );
        assert_eq!(
            p["match_policy"][0],
            json!({
                "label": "staff",
                "candidates": {"origin": "faces", "list_id": LIST},
                "filters": {"age__gte": 18, "emotions": [4, null], "match": [{"label": "staff", "similarity__gte": 0.8, "similarity__lt": 1.0}]},
                "limit": 3, "threshold": 0.75, "targets": ["face_id", "similarity"]
            })
        );
        assert_eq!(p["match_policy"][1]["candidates"], json!({"origin": "events", "sources": ["gate"]}));
        assert_eq!(p["match_policy"][2]["candidates"], json!({"origin": "attributes", "attribute_ids": [FACE]}));
        let s = &p["storage_policy"];
        assert_eq!(s["face_sample_policy"]["store_sample"], 1);
        assert_eq!(s["body_sample_policy"], json!({"store_sample": 0}));
        assert_eq!(s["image_origin_policy"], json!({"store_image": 1, "use_external_references": 1}));
        assert_eq!(s["attribute_policy"], json!({"store_attribute": 1, "ttl": 3600}));
        assert_eq!(s["face_policy"]["set_sample_as_avatar"], 1);
        assert_eq!(s["face_policy"]["link_to_lists_policy"][0]["list_id"], LIST);
        assert_eq!(s["face_policy"]["filters"], json!({"liveness": [1]}));
        assert_eq!(s["event_policy"], json!({"store_event": 1, "wait_saving": 1}));
        assert_eq!(s["notification_policy"]["send_notification"], 1);
        assert_eq!(p["conditional_tags_policy"][0]["tag"], "vip");
        assert_eq!(p["future_policy"], json!({"x": 1}));
    }

    #[test]
    fn unset_members_are_not_sent_and_flags_read_booleans() {
        assert_eq!(serde_json::to_string(&NewHandler::default()).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&Policies::new()).unwrap(), "{}");
        assert_eq!(
            serde_json::to_value(NewHandler::dynamic()).unwrap(),
            json!({"handler_type": 1})
        );
        let detect: DetectPolicy =
            serde_json::from_value(json!({"detect_face": true, "detect_body": 0, "estimate_mask": null, "people_count": {"estimate": 1}})).unwrap();
        assert_eq!(detect.detect_face, Some(true));
        assert_eq!(detect.detect_body, Some(false));
        assert_eq!(detect.estimate_mask, None);
        assert_eq!(detect.extra["people_count"], json!({"estimate": 1}));
        assert!(serde_json::from_value::<DetectPolicy>(json!({"detect_face": "yes"})).is_err());
    }

    #[test]
    fn a_handler_from_the_service_decodes() {
        let handler: Handler = serde_json::from_value(json!({
            "handler_id": FACE,
            "account_id": "8950722f-3fd4-4223-b48f-03f95f0e8dfb",
            "create_time": "2024-01-31T12:00:00.123+00:00",
            "last_update_time": "2024-02-01T08:00:00Z",
            "description": "entrance",
            "handler_type": 2,
            "lambda_id": LIST,
            "policies": {"detect_policy": {"detect_face": 1}, "storage_policy": {"event_policy": {"store_event": 1}}},
            "some_new_member": 1
        }))
        .unwrap();
        assert_eq!(handler.handler_type, Some(HandlerType::Lambda));
        assert_eq!(handler.create_time, Some(datetime!(2024-01-31 12:00:00.123 UTC)));
        let policies = handler.policies.as_ref().unwrap();
        assert_eq!(policies.detect_policy.as_ref().unwrap().detect_face, Some(true));
        assert_eq!(handler.extra["some_new_member"], 1);
        let unknown: Handler = serde_json::from_value(json!({"handler_type": 7})).unwrap();
        assert_eq!(unknown.handler_type, Some(HandlerType::Unknown(7)));
    }

    #[test]
    fn out_of_range_policies_are_refused() {
        let bad = [
            Policies::new().detect_policy(DetectPolicy::new().yaw_threshold(181)),
            Policies::new().detect_policy(
                DetectPolicy::new().estimate_liveness(LivenessPolicy::estimate().liveness_threshold(2.0)),
            ),
            Policies::new().extract_policy(ExtractPolicy::new().fd_score_threshold(-0.1)),
            Policies::new().match_policy(
                MatchPolicy::new("x", FacesQuery::new().list_id(LIST)).unwrap().threshold(1.5),
            ),
            Policies::new()
                .match_policy(MatchPolicy::new("x", FacesQuery::new().list_id(LIST)).unwrap().limit(0)),
            Policies::new().storage_policy(
                StoragePolicy::new().attribute_policy(AttributePolicy::new(true).ttl(86_401)),
            ),
            Policies::new().storage_policy(StoragePolicy::new().event_policy(
                EventPolicy::new(true).filters(
                    PolicyFilters::new().match_condition(MatchCondition::new("x").similarity_gte(7.0)),
                ),
            )),
        ];
        for policies in bad {
            assert!(matches!(policies.check(), Err(Error::InvalidArgument { .. })), "{policies:?}");
        }
        assert!(MatchPolicy::new("x", FacesQuery::new().list_id("nope")).is_err());
        assert!(PolicyFilters::events(&EventsQuery::new().page(2)).is_err());
        assert!(NewHandler::default().handler_type(HandlerType::Static).check().is_err());
        assert!(NewHandler::default().handler_type(HandlerType::Lambda).check().is_err());
        assert!(NewHandler::dynamic().check().is_ok());
        assert!(VerifierPolicies::new().verification_threshold(1.2).check().is_err());
    }

    /// An emit-events answer as the reference describes it (luna-id Event fields, per-image
    /// statuses with one failed image).
    #[test]
    fn decodes_an_emit_events_answer_with_a_failed_image() {
        let answer: EmitEventsResponse = serde_json::from_value(json!({
            "events": [{
                "event_id": EVENT,
                "url": format!("/6/events/{EVENT}"),
                "handler_id": FACE,
                "account_id": "8950722f-3fd4-4223-b48f-03f95f0e8dfb",
                "create_time": "2024-01-31T12:00:00Z",
                "end_time": "2024-01-31T12:00:00Z",
                "external_id": "ext-1",
                "user_data": "visitor",
                "source": "gate-3",
                "tags": ["vip"],
                "track_id": "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77",
                "stream_id": "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77",
                "location": {"city": "Moscow", "geo_position": {"latitude": 55.75, "longitude": 37.61}},
                "meta": {"badge": 17},
                "face": {"face_id": FACE, "external_id": "ext-1", "user_data": "visitor", "lists": [LIST]},
                "face_attributes": {"basic_attributes": {"age": 30, "gender": 1}, "attribute_id": SAMPLE},
                "body_attributes": null,
                "aggregate_estimations": {"face": {"attributes": {"liveness": {"prediction": 1}}}, "body": {}},
                "detections": [{
                    "filename": "front.jpg",
                    "detect_time": "2024-01-31T12:00:00Z",
                    "detect_ts": 1.5,
                    "image_origin": "/1/buckets/visionlabs-image-origin/images/x",
                    "samples": {
                        "face": {"sample_id": SAMPLE, "url": "/6/samples/faces/x", "detection": {"rect": {"x": 1, "y": 2, "width": 30, "height": 40}, "attributes": {"emotions": {"predominant_emotion": "happiness"}}}},
                        "body": null
                    }
                }, {
                    "sample_id": SAMPLE,
                    "detection": {"rect": {"x": 5, "y": 6, "width": 7, "height": 8}}
                }],
                "matches": [{"label": "staff", "candidates": [{"similarity": 0.93, "face": {"face_id": FACE, "user_data": "Ann"}}]}],
                "attach_result": [LIST],
                "new_event_member": true
            }],
            "images": [
                {"filename": "front.jpg", "status": 1, "error": {"error_code": 0, "desc": "Success", "detail": "Success", "link": "x"}},
                {"filename": "broken.png", "status": 0, "error": {"error_code": 100010, "desc": "SDK error", "detail": "Invalid image", "link": "https://docs.visionlabs.ai/x"}}
            ]
        }))
        .unwrap();
        let event = &answer.events[0];
        assert_eq!(event.event_id(), Some(EVENT.parse().unwrap()));
        assert_eq!(event.url.as_deref(), Some(&*format!("/6/events/{EVENT}")));
        assert_eq!(event.event.source.as_deref(), Some("gate-3"));
        assert_eq!(event.event.location.as_ref().unwrap().city.as_deref(), Some("Moscow"));
        assert_eq!(event.event.attach_result.as_deref(), Some(&[LIST.to_owned()][..]));
        assert_eq!(event.face.as_ref().unwrap().face_id, Some(FACE.parse().unwrap()));
        assert_eq!(event.face_attributes.as_ref().unwrap()["basic_attributes"]["age"], 30);
        let detections = event.detections.as_ref().unwrap();
        let face = detections[0].samples.as_ref().unwrap().face.as_ref().unwrap();
        assert_eq!(face.sample_id, Some(SAMPLE.parse().unwrap()));
        assert_eq!(face.detection.as_ref().unwrap().rect, Some(Rect::new(1, 2, 30, 40)));
        assert_eq!(detections[0].detect_ts, Some(1.5));
        assert_eq!(detections[1].sample_id, Some(SAMPLE.parse().unwrap()));
        let matches = event.match_results();
        assert_eq!(matches[0].label.as_deref(), Some("staff"));
        assert_eq!(matches[0].candidates.as_ref().unwrap()[0].similarity, Some(0.93));
        assert!(event.aggregate_estimations.as_ref().unwrap().face.is_some());
        assert_eq!(event.event.extra["new_event_member"], true);
        assert!(!event.event.extra.contains_key("url"));

        assert!(!answer.images[0].is_error());
        let failed: Vec<_> = answer.failed_images().collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].filename.as_deref(), Some("broken.png"));
        assert_eq!(failed[0].error.as_ref().unwrap().error_code, Some(100010));

        let empty: EmitEventsResponse = serde_json::from_str("{}").unwrap();
        assert!(empty.events.is_empty() && empty.images.is_empty());
        // The events-service layout (`match_result`) is read as well.
        let events_layout: EmittedEvent =
            serde_json::from_value(json!({"match_result": [{"label": "l"}]})).unwrap();
        assert_eq!(events_layout.match_results()[0].label.as_deref(), Some("l"));
    }

    #[test]
    fn decodes_detector_and_verification_answers() {
        let detector: DetectorResponse = serde_json::from_value(json!({"images": [
            {"filename": "a.jpg", "status": 1, "exif": {"Make": "Canon"}, "detections": {
                "samples": [{"face": {"sample_id": SAMPLE, "url": "/1/samples/faces/x", "detection": {"rect": {"x": 1, "y": 2, "width": 3, "height": 4}}}}],
                "filtered_detections": {"face_detections": []}
            }},
            {"filename": "b.jpg", "status": 0, "error": {"error_code": 100022, "detail": "Failed to load"}}
        ]}))
        .unwrap();
        assert_eq!(detector.images[0].exif.as_ref().unwrap()["Make"], "Canon");
        let sample = &detector.images[0].detections.as_ref().unwrap().samples[0];
        assert_eq!(sample.face.as_ref().unwrap().sample_id, Some(SAMPLE.parse().unwrap()));
        assert!(detector.images[1].status.is_error());

        let verification: VerificationResponse = serde_json::from_value(json!({"images": [
            {"filename": "a.jpg", "status": 1, "detections": {"face_detections": [{
                "sample_id": SAMPLE, "detection": {"rect": {"x": 1, "y": 2, "width": 3, "height": 4}},
                "verifications": [{"face": {"face_id": FACE}, "similarity": 0.97, "status": true}]
            }]}},
            {"filename": "descriptor_1", "status": 0, "error": {"error_code": 12012, "desc": "Bad input"}}
        ]}))
        .unwrap();
        let checks: Vec<_> = verification.images[0].verifications().collect();
        assert_eq!(checks[0].status, Some(true));
        assert_eq!(checks[0].face.as_ref().unwrap().face_id, Some(FACE.parse().unwrap()));
        assert!(verification.images[1].status.is_error());
        assert_eq!(verification.images[1].verifications().count(), 0);
    }

    #[test]
    fn stream_sources_and_upgrades_use_their_wire_names() {
        let sources = StreamEvents::new([StreamSource::new(StreamSourceType::Detections)
            .image(b"\xff\xd8")
            .face_detection(StreamDetection::new(Rect::new(1, 2, 3, 4)))
            .detect_time(datetime!(2024-01-31 12:00 UTC))
            .detect_ts(2.5)]);
        assert_eq!(
            serde_json::to_value(&sources).unwrap(),
            json!({"sources": [{
                "source_type": "detections", "source_data": "/9g=",
                "face_detection_data": [{"bounding_box": {"x": 1, "y": 2, "width": 3, "height": 4}}],
                "detect_time": "2024-01-31T12:00:00Z", "detect_ts": 2.5
            }]})
        );
        assert_eq!(
            ObjectUpgrade::face(FACE).extract_basic_attributes(true).descriptor_version(65).to_body().unwrap(),
            json!({"face_id": FACE, "extract_basic_attributes": 1, "descriptor_version": 65})
        );
        assert_eq!(
            ObjectUpgrade::event(EVENT).extract_descriptor(true).field("x", 1).to_body().unwrap(),
            json!({"event_id": EVENT, "extract_descriptor": 1, "x": 1})
        );
        assert!(ObjectUpgrade::event("nope").to_body().is_err());
        assert!(ObjectUpgrade::face(FACE).extract_descriptor(false).to_body().is_err());
    }
}
