//! What the recognition services answer about one image, shared by luna-remote-sdk (`/sdk`) and
//! luna-handlers (`/detector`, the policies of handlers and verifiers): the face and body
//! detections of [`crate::recognition`] and every estimation, as JSON.
//!
//! Every value is derived from the image's subject ([`crate::recognition::Subject`]) so that a
//! test can know it ahead; the rules of the estimations made only here (each from its own stream
//! `derive(identity seed, "<name>", 0)`):
//!
//! | estimation | answer |
//! |---|---|
//! | `landmarks5` | 5 points `[x, y]` in image pixels: eyes at 30 %/70 % of the box width and 40 % of its height, nose 50 %/60 %, mouth corners 35 %/65 % and 80 % |
//! | `landmarks68` | 68 points on the ellipse inscribed in the box, every 360/68 degrees from the top |
//! | `gaze` | `{"pitch", "yaw"}`, uniform in [-15, 15) degrees |
//! | `eyes_attributes` | `{"left_eye", "right_eye"}`, each `{"state": "open"/"closed"/"occluded", "iris_landmarks": []}`; open 90 % |
//! | `mouth_attributes` | `{"opened", "occluded", "smile"}` scores in [0, 1) |
//! | `glasses` | an estimation of `no_glasses` (80 %), `eyeglasses`, `sunglasses` |
//! | `face_occlusion` | an estimation of `not_occluded` (85 %), `partially_occluded`, `full_occluded` |
//! | `deepfake` | `{"prediction": 1 (real)/0 (fake), "score"}`: fake exactly when liveness says spoof |
//! | `warp` | the face sample: a 250×250 PNG of the subject, base64 ([`crate::recognition::Subject::warp`]) |
//! | body box | centred, 80 % of the image width and 95 % of its height |
//! | body `descriptor` | the subject's descriptor of version [`BODY_DESCRIPTOR_VERSION`] |
//! | body `basic_attributes` | `{"apparent_age", "apparent_gender"}`: the face's age and gender |
//! | `upper_body` | `{"headwear": {"state"}, "sleeve": {"length"}, "upper_clothing": {"colors"}}` |
//! | `lower_body` | `{"lower_garment": {"type", "colors"}, "shoes": {"apparent_color"}}` |
//! | `accessories` | `{"backpack": {"state"}, "bag": {"state"}}` |
//! | body `warp` | a 128×256 PNG of the subject, base64 |
//! | `people` (image) | `{"count": 1, "coordinates": [[x, y]]}` (the centre of the face box) |
//! | `image_modification` (image) | `{"score": 0.0..0.2, "status": 1}` (not modified) |
//! | `exif` (image) | `{}` (the emulator reads no EXIF) |

use crate::descriptors::{Descriptor, DEFAULT_FACE_VERSION};
use crate::recognition::attributes::{Estimation, FaceAttributes};
use crate::recognition::seeds::{derive, SplitMix64};
use crate::recognition::{FaceDetection, Rect};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The body descriptor version of the emulator (LUNA's default since 5.34, `common.md` §5.5).
pub const BODY_DESCRIPTOR_VERSION: u32 = 107;
/// Side of a face warp (`common.md` §5.6).
pub const FACE_WARP_SIDE: u32 = 250;
/// Width and height of a body warp (`common.md` §5.6).
pub const BODY_WARP_SIZE: (u32, u32) = (128, 256);

/// A face estimation: query flag of `/sdk`, answer key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaceEstimator {
    /// `estimate_face_descriptor` → `descriptor`.
    Descriptor,
    /// `estimate_basic_attributes` → `basic_attributes`.
    BasicAttributes,
    /// `estimate_emotions` → `emotions`.
    Emotions,
    /// `estimate_mask` → `mask`.
    Mask,
    /// `estimate_head_pose` → `head_pose`.
    HeadPose,
    /// `estimate_quality` → `quality`.
    Quality,
    /// `estimate_liveness` → `liveness`.
    Liveness,
    /// `estimate_landmarks5` → `landmarks5`.
    Landmarks5,
    /// `estimate_landmarks68` → `landmarks68`.
    Landmarks68,
    /// `estimate_gaze` → `gaze`.
    Gaze,
    /// `estimate_eyes_attributes` → `eyes_attributes`.
    EyesAttributes,
    /// `estimate_mouth_attributes` → `mouth_attributes`.
    MouthAttributes,
    /// `estimate_glasses` → `glasses`.
    Glasses,
    /// `estimate_face_occlusion` → `face_occlusion`.
    Occlusion,
    /// `estimate_deepfake` → `deepfake`.
    Deepfake,
    /// `estimate_face_warp` → `warp`.
    Warp,
}

impl FaceEstimator {
    /// Every face estimation, in answer order.
    pub const ALL: [FaceEstimator; 16] = [
        Self::Descriptor,
        Self::BasicAttributes,
        Self::Emotions,
        Self::Mask,
        Self::HeadPose,
        Self::Quality,
        Self::Liveness,
        Self::Landmarks5,
        Self::Landmarks68,
        Self::Gaze,
        Self::EyesAttributes,
        Self::MouthAttributes,
        Self::Glasses,
        Self::Occlusion,
        Self::Deepfake,
        Self::Warp,
    ];

    /// The `/sdk` query flag.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Descriptor => "estimate_face_descriptor",
            Self::BasicAttributes => "estimate_basic_attributes",
            Self::Emotions => "estimate_emotions",
            Self::Mask => "estimate_mask",
            Self::HeadPose => "estimate_head_pose",
            Self::Quality => "estimate_quality",
            Self::Liveness => "estimate_liveness",
            Self::Landmarks5 => "estimate_landmarks5",
            Self::Landmarks68 => "estimate_landmarks68",
            Self::Gaze => "estimate_gaze",
            Self::EyesAttributes => "estimate_eyes_attributes",
            Self::MouthAttributes => "estimate_mouth_attributes",
            Self::Glasses => "estimate_glasses",
            Self::Occlusion => "estimate_face_occlusion",
            Self::Deepfake => "estimate_deepfake",
            Self::Warp => "estimate_face_warp",
        }
    }

    /// The key of the answer.
    pub fn key(self) -> &'static str {
        match self {
            Self::Descriptor => "descriptor",
            Self::BasicAttributes => "basic_attributes",
            Self::Emotions => "emotions",
            Self::Mask => "mask",
            Self::HeadPose => "head_pose",
            Self::Quality => "quality",
            Self::Liveness => "liveness",
            Self::Landmarks5 => "landmarks5",
            Self::Landmarks68 => "landmarks68",
            Self::Gaze => "gaze",
            Self::EyesAttributes => "eyes_attributes",
            Self::MouthAttributes => "mouth_attributes",
            Self::Glasses => "glasses",
            Self::Occlusion => "face_occlusion",
            Self::Deepfake => "deepfake",
            Self::Warp => "warp",
        }
    }
}

/// A body estimation: query flag of `/sdk`, answer key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEstimator {
    /// `estimate_body_descriptor` → `descriptor`.
    Descriptor,
    /// `estimate_body_basic_attributes` → `basic_attributes`.
    BasicAttributes,
    /// `estimate_upper_body` → `upper_body`.
    UpperBody,
    /// `estimate_lower_body` → `lower_body`.
    LowerBody,
    /// `estimate_accessories` → `accessories`.
    Accessories,
    /// `estimate_body_warp` → `warp`.
    Warp,
}

impl BodyEstimator {
    /// Every body estimation, in answer order.
    pub const ALL: [BodyEstimator; 6] = [
        Self::Descriptor,
        Self::BasicAttributes,
        Self::UpperBody,
        Self::LowerBody,
        Self::Accessories,
        Self::Warp,
    ];

    /// The `/sdk` query flag.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Descriptor => "estimate_body_descriptor",
            Self::BasicAttributes => "estimate_body_basic_attributes",
            Self::UpperBody => "estimate_upper_body",
            Self::LowerBody => "estimate_lower_body",
            Self::Accessories => "estimate_accessories",
            Self::Warp => "estimate_body_warp",
        }
    }

    /// The key of the answer.
    pub fn key(self) -> &'static str {
        match self {
            Self::Descriptor => "descriptor",
            Self::BasicAttributes => "basic_attributes",
            Self::UpperBody => "upper_body",
            Self::LowerBody => "lower_body",
            Self::Accessories => "accessories",
            Self::Warp => "warp",
        }
    }
}

/// `{<predominant_key>: name, "estimations": {...}}`.
pub fn estimation_json(estimation: &Estimation, predominant_key: &str) -> Value {
    json!({predominant_key: estimation.predominant, "estimations": estimation.estimations})
}

/// A stream of randomness for one estimation of a detection's subject.
fn stream(detection: &FaceDetection, name: &str) -> SplitMix64 {
    SplitMix64::new(derive(detection.subject.identity_seed(), name, 0))
}

/// An estimation over `names` with the first class drawn `first_percent` % of the time.
fn classes(random: &mut SplitMix64, names: &[&'static str], first_percent: usize) -> Value {
    let index = if random.below(100) < first_percent {
        0
    } else {
        1 + random.below(names.len() - 1)
    };
    let top = random.between(0.6, 0.9);
    let share = (1.0 - top) / (names.len() - 1) as f64;
    let estimations: BTreeMap<&str, f64> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, if i == index { top } else { share }))
        .collect();
    json!({"predominant": names[index], "estimations": estimations})
}

/// Renames the `predominant` member of [`classes`].
fn renamed(mut value: Value, key: &str) -> Value {
    if let Some(map) = value.as_object_mut() {
        if let Some(top) = map.remove("predominant") {
            map.insert(key.to_owned(), top);
        }
    }
    value
}

/// `[x, y]` at fractions of `rect`.
fn point(rect: &Rect, fx: f64, fy: f64) -> Value {
    json!([
        (f64::from(rect.x) + fx * f64::from(rect.width)).round(),
        (f64::from(rect.y) + fy * f64::from(rect.height)).round()
    ])
}

/// The face descriptor of `detection` of `version` (the default when `None`).
pub fn face_descriptor(detection: &FaceDetection, version: Option<u32>) -> Descriptor {
    detection
        .subject
        .descriptor(version.unwrap_or(DEFAULT_FACE_VERSION))
}

/// The value of one face estimation (`rect` is the face box of the answer).
pub fn face_estimation(
    estimator: FaceEstimator,
    detection: &FaceDetection,
    rect: &Rect,
    attributes: &FaceAttributes,
    descriptor_version: Option<u32>,
) -> Value {
    match estimator {
        FaceEstimator::Descriptor => {
            let descriptor = face_descriptor(detection, descriptor_version);
            json!({
                "sdk_descriptor": STANDARD.encode(descriptor.sdk_bytes()),
                "version": descriptor.version,
                "garbage_score": attributes.quality,
            })
        }
        FaceEstimator::BasicAttributes => json!({
            "age": attributes.age,
            "gender": attributes.gender,
            "ethnicity": estimation_json(&attributes.ethnicity, "predominant_ethnicity"),
        }),
        FaceEstimator::Emotions => estimation_json(&attributes.emotions, "predominant_emotion"),
        FaceEstimator::Mask => estimation_json(&attributes.mask, "predominant_mask"),
        FaceEstimator::HeadPose => json!(attributes.head_pose),
        FaceEstimator::Quality => json!({"score": attributes.quality}),
        FaceEstimator::Liveness => json!({
            "prediction": attributes.liveness.prediction,
            "estimations": {"probability": attributes.liveness.value},
        }),
        FaceEstimator::Landmarks5 => json!([
            point(rect, 0.3, 0.4),
            point(rect, 0.7, 0.4),
            point(rect, 0.5, 0.6),
            point(rect, 0.35, 0.8),
            point(rect, 0.65, 0.8)
        ]),
        FaceEstimator::Landmarks68 => Value::Array(
            (0..68)
                .map(|i| {
                    let angle = f64::from(i) * std::f64::consts::TAU / 68.0;
                    point(rect, 0.5 + 0.5 * angle.sin(), 0.5 - 0.5 * angle.cos())
                })
                .collect(),
        ),
        FaceEstimator::Gaze => {
            let mut random = stream(detection, "gaze");
            json!({"pitch": random.between(-15.0, 15.0), "yaw": random.between(-15.0, 15.0)})
        }
        FaceEstimator::EyesAttributes => {
            let mut random = stream(detection, "eyes_attributes");
            let mut eye = || {
                let state = match random.below(100) {
                    0..=89 => "open",
                    90..=94 => "closed",
                    _ => "occluded",
                };
                json!({"state": state, "iris_landmarks": []})
            };
            json!({"left_eye": eye(), "right_eye": eye()})
        }
        FaceEstimator::MouthAttributes => {
            let mut random = stream(detection, "mouth_attributes");
            json!({"opened": random.unit(), "occluded": random.unit(), "smile": random.unit()})
        }
        FaceEstimator::Glasses => renamed(
            classes(
                &mut stream(detection, "glasses"),
                &["no_glasses", "eyeglasses", "sunglasses"],
                80,
            ),
            "predominant_glasses",
        ),
        FaceEstimator::Occlusion => renamed(
            classes(
                &mut stream(detection, "face_occlusion"),
                &["not_occluded", "partially_occluded", "full_occluded"],
                85,
            ),
            "predominant_occlusion",
        ),
        FaceEstimator::Deepfake => {
            let real = attributes.liveness.prediction == 1;
            let mut random = stream(detection, "deepfake");
            let score = if real {
                random.between(0.6, 1.0)
            } else {
                random.between(0.0, 0.4)
            };
            json!({"prediction": u8::from(real), "score": score})
        }
        FaceEstimator::Warp => {
            json!(STANDARD.encode(detection.subject.warp(FACE_WARP_SIDE, FACE_WARP_SIDE)))
        }
    }
}

/// The body box of an image of `width` × `height`: centred, 80 % of the width, 95 % of the
/// height (at least one pixel).
pub fn body_rect(width: u32, height: u32) -> Rect {
    let part = |whole: u32, percent: u64| (u64::from(whole) * percent / 100).max(1) as u32;
    let (w, h) = (part(width, 80), part(height, 95));
    Rect {
        x: (width - w.min(width)) / 2,
        y: (height - h.min(height)) / 2,
        width: w,
        height: h,
    }
}

/// The value of one body estimation.
pub fn body_estimation(
    estimator: BodyEstimator,
    detection: &FaceDetection,
    attributes: &FaceAttributes,
) -> Value {
    let colours = ["black", "white", "red", "green", "blue", "yellow", "grey"];
    let colour = |name: &str| {
        let mut random = stream(detection, name);
        colours[random.below(colours.len())]
    };
    match estimator {
        BodyEstimator::Descriptor => {
            let descriptor = detection.subject.descriptor(BODY_DESCRIPTOR_VERSION);
            json!({
                "sdk_descriptor": STANDARD.encode(descriptor.sdk_bytes()),
                "version": descriptor.version,
                "garbage_score": attributes.quality,
            })
        }
        BodyEstimator::BasicAttributes => json!({
            "apparent_age": attributes.age,
            "apparent_gender": attributes.gender,
        }),
        BodyEstimator::UpperBody => {
            let mut random = stream(detection, "upper_body");
            json!({
                "headwear": {"state": if random.below(4) == 0 { "yes" } else { "no" }},
                "sleeve": {"length": if random.below(2) == 0 { "short" } else { "long" }},
                "upper_clothing": {"colors": [colour("upper_clothing")]},
            })
        }
        BodyEstimator::LowerBody => {
            let mut random = stream(detection, "lower_body");
            let garment = ["trousers", "shorts", "skirt"][random.below(3)];
            json!({
                "lower_garment": {"type": garment, "colors": [colour("lower_garment")]},
                "shoes": {"apparent_color": colour("shoes")},
            })
        }
        BodyEstimator::Accessories => {
            let mut random = stream(detection, "accessories");
            let mut state = || if random.below(3) == 0 { "yes" } else { "no" };
            json!({"backpack": {"state": state()}, "bag": {"state": state()}})
        }
        BodyEstimator::Warp => {
            let (w, h) = BODY_WARP_SIZE;
            json!(STANDARD.encode(detection.subject.warp(w, h)))
        }
    }
}

/// The image-level estimations: `people` (when `people`, with `coordinates` when
/// `coordinates`), `image_modification` (when `modification`).
pub fn image_estimations(
    detection: &FaceDetection,
    people: bool,
    coordinates: bool,
    modification: bool,
) -> Map<String, Value> {
    let mut out = Map::new();
    if people {
        let centre = point(&detection.rect, 0.5, 0.5);
        let mut value = json!({"count": 1});
        if coordinates {
            value["coordinates"] = json!([centre]);
        }
        out.insert("people".into(), value);
    }
    if modification {
        let mut random = stream(detection, "image_modification");
        out.insert(
            "image_modification".into(),
            json!({"score": random.between(0.0, 0.2), "status": 1}),
        );
    }
    out
}
