//! The body of `emit_stream_events` (Python `StreamEventsSource`): stream sources (frames or
//! detections of a track) and their detections.

use super::*;

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
