//! The answers of emitting events, detecting, extracting and verifying.

use super::*;

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
    pub face: Option<crate::model::events::MatchedObject>,
    /// The event verified against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<crate::model::events::MatchedObject>,
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
