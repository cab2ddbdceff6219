//! The policy tree of a handler (`Policies`): the filters shared by the sub-policies, and the
//! detect, extract, match, storage and conditional-tags policies.

use super::*;

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

    pub(super) fn check(&self) -> Result<()> {
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

    pub(super) fn check(&self) -> Result<()> {
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
    crate::model::common::face_selection_setters!(selection);

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

    pub(super) fn check(&self) -> Result<()> {
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

    pub(super) fn check(&self) -> Result<()> {
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

    pub(super) fn check(&self) -> Result<()> {
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

    pub(super) fn check(&self) -> Result<()> {
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
