//! Types of the luna-remote-sdk client (mode-free): the parameters of `sdk` and its answer.
//!
//! The answer is typed down to images → estimations → face / body with their attributes;
//! every attribute's content, and anything this crate does not model, is kept as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::wire_enum;
use crate::error::{Error, Result};
use crate::model::images::ImageType;
use crate::query::Query;

pub use super::common::{FaceSelection, MultifacePolicy};

wire_enum! {
    /// Mask state filter values (`mask_states`).
    pub enum MaskState {
        /// 1: no mask.
        Missing = 1,
        /// 2: a medical mask.
        MedicalMask = 2,
        /// 3: the face is occluded by something else.
        Occluded = 3,
    }
}

wire_enum! {
    /// Liveness state filter values (`liveness_states`).
    pub enum LivenessState {
        /// 0: spoof.
        Spoof = 0,
        /// 1: real.
        Real = 1,
        /// 2: could not be determined.
        Undetermined = 2,
    }
}

pub use super::common::ANGLE_THRESHOLD_MAX;

macro_rules! sdk_flags {
    ($( $(#[$doc:meta])* $setter:ident => $wire:literal, )*) => {
        /// Every 0/1 flag of `sdk`, in the order they are sent.
        pub const SDK_FLAGS: &[&str] = &[$($wire),*];

        impl SdkParams {
            $(
                $(#[$doc])*
                #[doc = concat!("\n\nWire: `", $wire, "=0|1`.")]
                #[must_use]
                pub fn $setter(self, on: bool) -> Self {
                    self.flag($wire, on)
                }
            )*
        }
    };
}

/// Parameters of `sdk` (Python `LRS.sdk` keyword arguments). Only what is set is sent; the
/// server's defaults apply to the rest.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct SdkParams {
    selection: FaceSelection,
    flags: BTreeMap<&'static str, bool>,
    score_threshold: Option<f64>,
    mask_states: Vec<MaskState>,
    liveness_states: Vec<LivenessState>,
    image_type: Option<ImageType>,
}

sdk_flags! {
    /// Detect faces (Python `detectFace`).
    detect_face => "detect_face",
    /// Detect bodies (Python `detectBody`).
    detect_body => "detect_body",
    /// Estimate the head pose (Python `estimateHeadPose`).
    estimate_head_pose => "estimate_head_pose",
    /// Estimate 68 landmarks (Python `estimateLandmarks68`).
    estimate_landmarks68 => "estimate_landmarks68",
    /// Estimate 5 landmarks (Python `estimateLandmarks5`).
    estimate_landmarks5 => "estimate_landmarks5",
    /// Estimate the image quality (Python `estimateQuality`).
    estimate_quality => "estimate_quality",
    /// Estimate the gaze (Python `estimateGaze`).
    estimate_gaze => "estimate_gaze",
    /// Estimate eye attributes (Python `estimateEyesAttributes`).
    estimate_eyes_attributes => "estimate_eyes_attributes",
    /// Estimate emotions (Python `estimateEmotions`).
    estimate_emotions => "estimate_emotions",
    /// Estimate mouth attributes (Python `estimateMouthAttributes`).
    estimate_mouth_attributes => "estimate_mouth_attributes",
    /// Estimate the mask (Python `estimateMask`).
    estimate_mask => "estimate_mask",
    /// Estimate glasses (Python `estimateGlasses`).
    estimate_glasses => "estimate_glasses",
    /// Estimate liveness (Python `estimateLiveness`).
    estimate_liveness => "estimate_liveness",
    /// Return the face warp (sample) (Python `estimateFaceWarp`).
    estimate_face_warp => "estimate_face_warp",
    /// Return the body warp (sample) (Python `estimateBodyWarp`).
    estimate_body_warp => "estimate_body_warp",
    /// Aggregate the attributes of every image into `aggregate_estimations` (Python
    /// `aggregateAttributes`).
    aggregate_attributes => "aggregate_attributes",
    /// Estimate face basic attributes: age, gender (Python `estimateBasicAttributes`).
    estimate_basic_attributes => "estimate_basic_attributes",
    /// Extract the body descriptor (Python `estimateBodyDescriptor`).
    estimate_body_descriptor => "estimate_body_descriptor",
    /// Extract the face descriptor (Python `estimateFaceDescriptor`).
    estimate_face_descriptor => "estimate_face_descriptor",
    /// Estimate upper-body attributes (Python `estimateUpperBody`).
    estimate_upper_body => "estimate_upper_body",
    /// Estimate lower-body attributes (Python `estimateLowerBody`).
    estimate_lower_body => "estimate_lower_body",
    /// Estimate body basic attributes (Python `estimateBodyBasicAttributes`).
    estimate_body_basic_attributes => "estimate_body_basic_attributes",
    /// Estimate accessories (Python `estimateAccessories`).
    estimate_accessories => "estimate_accessories",
    /// Auto-orient images by their EXIF data (Python `useExifInfo`).
    use_exif_info => "use_exif_info",
    /// Return the EXIF data of the images (Python `extractExif`).
    extract_exif => "extract_exif",
}

impl SdkParams {
    super::common::face_selection_setters!(selection);

    /// No parameter: the server defaults.
    pub fn new() -> Self {
        Self::default()
    }

    fn flag(mut self, wire: &'static str, on: bool) -> Self {
        self.flags.insert(wire, on);
        self
    }





    /// Descriptor garbage-score threshold, 0..=1 (Python `scoreThreshold`).
    #[must_use]
    pub fn score_threshold(mut self, score: f64) -> Self {
        self.score_threshold = Some(score);
        self
    }

    /// Keep only faces in these mask states (Python `maskStates`).
    #[must_use]
    pub fn mask_states(mut self, states: impl IntoIterator<Item = MaskState>) -> Self {
        self.mask_states = states.into_iter().collect();
        self
    }

    /// Keep only faces in these liveness states (Python `livenessStates`).
    #[must_use]
    pub fn liveness_states(mut self, states: impl IntoIterator<Item = LivenessState>) -> Self {
        self.liveness_states = states.into_iter().collect();
        self
    }

    /// What the input images are: raw images or warps (Python `imageType`).
    #[must_use]
    pub fn image_type(mut self, image_type: ImageType) -> Self {
        self.image_type = Some(image_type);
        self
    }

    /// Writes the query (wire names in one place; pinned by unit tests); checks the ranges.
    pub(crate) fn write(&self, q: &mut Query) -> Result<()> {
        self.selection.check(Some("threshold"))?;
        crate::query::check_unit("score_threshold", self.score_threshold)?;
        self.selection.write_policy(q);
        for wire in SDK_FLAGS {
            q.push_flag_opt(wire, self.flags.get(wire).copied());
        }
        self.selection.write_angles(q);
        q.push_opt("score_threshold", self.score_threshold)
            .push_list("mask_states", &self.mask_states)
            .push_list("liveness_states", &self.liveness_states)
            .push_opt("image_type", self.image_type);
        Ok(())
    }
}

/// The answer of `sdk`: one entry per input image, in input order, and the aggregate when
/// asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SdkResponse {
    /// Per-image results, in input order (also read from `images`).
    #[serde(default, alias = "images")]
    pub images_estimations: Vec<ImageEstimations>,
    /// Attributes aggregated over every image (`aggregate_attributes=1`): `face` / `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_estimations: Option<AggregateEstimations>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result for one input image: its estimations, or its error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageEstimations {
    /// One entry per detected person (face and/or body).
    #[serde(default)]
    pub estimations: Vec<Estimation>,
    /// Image-level estimations (people count, image modification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_estimations: Option<ImageLevelEstimations>,
    /// File name of the image (multipart part file name, or a placeholder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// `1` processed, `0` failed (when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Why this image failed (the other images are still processed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ImageError>,
    /// EXIF data (`extract_exif=1`), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exif: Option<Value>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ImageEstimations {
    /// Whether this image failed: an error with a non-zero code, or `status` 0.
    pub fn is_error(&self) -> bool {
        self.status == Some(0) || self.error.as_ref().is_some_and(|e| e.error_code != Some(0))
    }
}

/// A per-image error (the LUNA error shape, shared with other per-item errors).
pub type ImageError = super::common::ItemError;

/// One detected person: a face, a body, or both (paired).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Estimation {
    /// The face, when one was detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<FaceEstimation>,
    /// The body, when one was detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyEstimation>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A bounding box in pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rect {
    /// Left.
    #[serde(default)]
    pub x: f64,
    /// Top.
    #[serde(default)]
    pub y: f64,
    /// Width.
    #[serde(default)]
    pub width: f64,
    /// Height.
    #[serde(default)]
    pub height: f64,
}

/// A face: its detection and attributes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaceEstimation {
    /// Where the face is, and (in some versions) its attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<Detection<FaceAttributes>>,
    /// Attributes, when sent beside the detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<FaceAttributes>,
    /// Members this crate does not model (warps, sample ids...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FaceEstimation {
    /// The attributes, wherever the service put them (`face.attributes` or
    /// `face.detection.attributes`).
    pub fn attributes(&self) -> Option<&FaceAttributes> {
        self.attributes
            .as_ref()
            .or_else(|| self.detection.as_ref()?.attributes.as_ref())
    }
}

/// A body: its detection and attributes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BodyEstimation {
    /// Where the body is, and (in some versions) its attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<Detection<BodyAttributes>>,
    /// Attributes, when sent beside the detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BodyAttributes>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BodyEstimation {
    /// The attributes, wherever the service put them.
    pub fn attributes(&self) -> Option<&BodyAttributes> {
        self.attributes
            .as_ref()
            .or_else(|| self.detection.as_ref()?.attributes.as_ref())
    }
}

/// A detection: bounding box, landmarks, and possibly the attributes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Detection<A> {
    /// Bounding box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rect: Option<Rect>,
    /// Attributes, when the service nests them in the detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<A>,
    /// Members this crate does not model (landmarks, scores...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Face attributes; each one kept as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaceAttributes {
    /// Face descriptor (`sdk_descriptor` base64...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<Value>,
    /// Age and gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_attributes: Option<Value>,
    /// Liveness prediction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<Value>,
    /// Deepfake prediction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deepfake: Option<Value>,
    /// Image quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Value>,
    /// Head pose (pitch, roll, yaw).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_pose: Option<Value>,
    /// Gaze.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gaze: Option<Value>,
    /// Eye attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eyes_attributes: Option<Value>,
    /// Mouth attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mouth_attributes: Option<Value>,
    /// Emotions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotions: Option<Value>,
    /// Mask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<Value>,
    /// Glasses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glasses: Option<Value>,
    /// Face occlusion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_occlusion: Option<Value>,
    /// Landmarks and anything else, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FaceAttributes {
    /// The face descriptor decoded from `descriptor.sdk_descriptor` (base64), when present.
    pub fn sdk_descriptor(&self) -> Option<Result<crate::SdkDescriptor>> {
        let text = self.descriptor.as_ref()?.get("sdk_descriptor")?.as_str()?;
        Some(crate::SdkDescriptor::from_base64(text).map_err(|e| {
            Error::invalid("sdk_descriptor", format!("undecodable descriptor: {e}"))
        }))
    }
}

/// Body attributes; each one kept as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BodyAttributes {
    /// Body descriptor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<Value>,
    /// Apparent age and gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_attributes: Option<Value>,
    /// Upper body (headwear, sleeve, clothing colours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_body: Option<Value>,
    /// Lower body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_body: Option<Value>,
    /// Accessories (backpack...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessories: Option<Value>,
    /// Anything else, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Image-level estimations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageLevelEstimations {
    /// People count (`{count, coordinates}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<Value>,
    /// Image modification (`{score, status}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_modification: Option<Value>,
    /// Anything else, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Attributes aggregated over every input image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AggregateEstimations {
    /// Aggregated face attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<FaceEstimation>,
    /// Aggregated body attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyEstimation>,
    /// Anything else, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(params: &SdkParams) -> Vec<(String, String)> {
        let mut q = Query::new();
        params.write(&mut q).unwrap();
        q.pairs()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn every_seed_parameter_has_its_wire_name() {
        let params = SdkParams::new()
            .multiface_policy(MultifacePolicy::Best)
            .detect_face(true)
            .detect_body(false)
            .estimate_head_pose(true)
            .estimate_landmarks68(true)
            .estimate_landmarks5(true)
            .estimate_quality(true)
            .estimate_gaze(true)
            .estimate_eyes_attributes(true)
            .estimate_emotions(true)
            .estimate_mouth_attributes(true)
            .estimate_mask(true)
            .estimate_glasses(true)
            .estimate_liveness(true)
            .estimate_face_warp(true)
            .estimate_body_warp(true)
            .aggregate_attributes(true)
            .estimate_basic_attributes(true)
            .estimate_body_descriptor(true)
            .estimate_face_descriptor(true)
            .estimate_upper_body(true)
            .estimate_lower_body(true)
            .estimate_body_basic_attributes(true)
            .estimate_accessories(true)
            .pitch_threshold(10)
            .roll_threshold(20)
            .yaw_threshold(180)
            .score_threshold(0.5)
            .mask_states([MaskState::Missing, MaskState::Occluded])
            .liveness_states([LivenessState::Real, LivenessState::Undetermined])
            .image_type(ImageType::FaceWarp)
            .use_exif_info(true)
            .extract_exif(false);
        let got = pairs(&params);
        let mut expected: Vec<(String, String)> = vec![("multiface_policy".into(), "2".into())];
        for wire in SDK_FLAGS {
            let on = !matches!(*wire, "detect_body" | "extract_exif");
            expected.push((wire.to_string(), if on { "1" } else { "0" }.into()));
        }
        for (n, v) in [
            ("pitch_threshold", "10"),
            ("roll_threshold", "20"),
            ("yaw_threshold", "180"),
            ("score_threshold", "0.5"),
            ("mask_states", "1,3"),
            ("liveness_states", "1,2"),
            ("image_type", "1"),
        ] {
            expected.push((n.into(), v.into()));
        }
        assert_eq!(got, expected);
        for (name, _) in &got {
            assert!(crate::catalogue::remote_sdk::SDK.accepts_query(name), "{name}");
        }
        assert_eq!(SDK_FLAGS.len(), 25);
        assert!(SDK_FLAGS.contains(&"estimate_landmarks68"));
        assert!(SDK_FLAGS.contains(&"use_exif_info"));
    }

    #[test]
    fn nothing_set_sends_nothing_and_ranges_are_checked() {
        assert!(pairs(&SdkParams::new()).is_empty());
        let mut q = Query::new();
        assert!(SdkParams::new().yaw_threshold(181).write(&mut q).is_err());
        assert!(SdkParams::new().score_threshold(1.5).write(&mut q).is_err());
        assert!(SdkParams::new().score_threshold(f64::NAN).write(&mut q).is_err());
        assert!(q.is_empty());
    }

    #[test]
    fn decodes_the_documented_answer_with_a_failed_image() {
        let answer = json!({
            "images_estimations": [
                {
                    "filename": "front.jpg",
                    "status": 1,
                    "estimations": [
                        {
                            "face": {
                                "detection": {"rect": {"x": 10, "y": 20, "width": 100, "height": 120}, "score": 0.99},
                                "attributes": {
                                    "descriptor": {"sdk_descriptor": crate::SdkDescriptor::new(59, &[5u8; 512]).unwrap().to_base64(), "garbage_score": 0.9},
                                    "liveness": {"prediction": 1, "estimations": {"probability": 0.97}},
                                    "deepfake": {"prediction": 0, "score": 0.02},
                                    "mask": {"predominant_mask": "missing"},
                                    "head_pose": {"pitch": 1.0, "roll": 2.0, "yaw": 3.0},
                                    "landmarks5": [[1, 2], [3, 4]]
                                }
                            },
                            "body": {
                                "detection": {
                                    "rect": {"x": 5, "y": 6, "width": 50, "height": 200},
                                    "attributes": {
                                        "descriptor": {"score": 0.8},
                                        "basic_attributes": {"apparent_age": 30, "apparent_gender": 1},
                                        "upper_body": {"headwear": {"state": 0}, "sleeve": {"length": "short"}, "upper_clothing": {"colors": ["red"]}},
                                        "lower_body": {"lower_garment": {"type": "trousers"}},
                                        "accessories": {"backpack": {"state": 1}}
                                    }
                                }
                            }
                        }
                    ],
                    "image_estimations": {
                        "people": {"count": 2, "coordinates": [[1, 2], [3, 4]]},
                        "image_modification": {"score": 0.1, "status": 0}
                    },
                    "exif": {"Make": "Canon"}
                },
                {
                    "filename": "broken.png",
                    "status": 0,
                    "error": {"error_code": 100010, "desc": "SDK error", "detail": "Invalid image", "link": "https://docs.visionlabs.ai/x"}
                }
            ],
            "aggregate_estimations": {
                "face": {"attributes": {"liveness": {"prediction": 1}, "emotions": {"predominant_emotion": "happiness"}}},
                "body": {"attributes": {"basic_attributes": {"apparent_age": 31}}}
            },
            "future_member": true
        });
        let response: SdkResponse = serde_json::from_value(answer).unwrap();
        assert_eq!(response.images_estimations.len(), 2);
        let first = &response.images_estimations[0];
        assert!(!first.is_error());
        assert_eq!(first.filename.as_deref(), Some("front.jpg"));
        let face = first.estimations[0].face.as_ref().unwrap();
        assert_eq!(face.detection.as_ref().unwrap().rect.unwrap().width, 100.0);
        assert_eq!(face.detection.as_ref().unwrap().extra["score"], 0.99);
        let attributes = face.attributes().unwrap();
        assert_eq!(attributes.liveness.as_ref().unwrap()["prediction"], 1);
        assert_eq!(attributes.extra["landmarks5"][1][0], 3);
        let descriptor = attributes.sdk_descriptor().unwrap().unwrap();
        assert_eq!((descriptor.version(), descriptor.payload()), (59, &[5u8; 512][..]));
        let body = first.estimations[0].body.as_ref().unwrap().attributes().unwrap();
        assert_eq!(body.upper_body.as_ref().unwrap()["sleeve"]["length"], "short");
        assert_eq!(body.accessories.as_ref().unwrap()["backpack"]["state"], 1);
        let image_level = first.image_estimations.as_ref().unwrap();
        assert_eq!(image_level.people.as_ref().unwrap()["count"], 2);
        assert_eq!(first.exif.as_ref().unwrap()["Make"], "Canon");

        let failed = &response.images_estimations[1];
        assert!(failed.is_error());
        assert!(failed.estimations.is_empty());
        let error = failed.error.as_ref().unwrap();
        assert_eq!(error.error_code, Some(100010));
        assert_eq!(error.detail.as_deref(), Some("Invalid image"));

        let aggregate = response.aggregate_estimations.as_ref().unwrap();
        let face = aggregate.face.as_ref().unwrap().attributes().unwrap();
        assert_eq!(face.emotions.as_ref().unwrap()["predominant_emotion"], "happiness");
        assert_eq!(response.extra["future_member"], true);
    }

    #[test]
    fn decodes_the_handlers_era_layout_leniently() {
        let answer = json!({"images": [{
            "filename": "0", "status": 1,
            "error": {"error_code": 0, "desc": "Success", "detail": "Success"},
            "estimations": [{"face": {"detection": {"rect": {"x": 1, "y": 2, "width": 3, "height": 4},
                "attributes": {"quality": {"blurriness": 0.1}}}, "sample_id": "x"}}]
        }]});
        let response: SdkResponse = serde_json::from_value(answer).unwrap();
        let image = &response.images_estimations[0];
        assert!(!image.is_error());
        let face = image.estimations[0].face.as_ref().unwrap();
        assert_eq!(face.attributes().unwrap().quality.as_ref().unwrap()["blurriness"], 0.1);
        assert_eq!(face.extra["sample_id"], "x");
        let empty: SdkResponse = serde_json::from_str("{}").unwrap();
        assert!(empty.images_estimations.is_empty());
    }
}
