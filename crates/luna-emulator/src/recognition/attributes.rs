//! Face attributes derived from a subject's identity seed alone (every photo of an identity has
//! the same ones), each from its own stream `derive(identity seed, "<attribute>", 0)`.
//!
//! | attribute | rule |
//! |---|---|
//! | age | whole years, uniform in 18..=70 |
//! | gender | 0 (female) or 1 (male), one in two |
//! | ethnicity | one of the four codes of events' enumeration, one in four |
//! | emotions | one of the seven emotions, one in seven |
//! | mask | 1 missing 80 %, 2 medical mask 10 %, 3 occluded 10 % |
//! | head pose | pitch, roll, yaw in degrees, uniform in [-20, 20) |
//! | quality | a score uniform in [0.5, 1) |
//! | liveness | 1 real 90 %, 0 spoof 10 %; its score is above 0.5 for real, below for spoof |
//!
//! Estimation maps give the predominant class a probability in [0.6, 0.9) and share the rest
//! among the others; their values sum to 1.

use super::seeds::{derive, SplitMix64};
use serde::Serialize;
use std::collections::BTreeMap;

/// Ethnic groups by events' code (1…4; reference `events.md` §9).
pub const ETHNICITIES: [&str; 4] = ["african_american", "indian", "asian", "caucasian"];
/// Emotions by events' code (1…7).
pub const EMOTIONS: [&str; 7] = [
    "anger",
    "disgust",
    "fear",
    "happiness",
    "neutral",
    "sadness",
    "surprise",
];
/// Mask states by events' code (1…3).
pub const MASKS: [&str; 3] = ["missing", "medical_mask", "occluded"];

/// A class among several, with the probability of each.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimation {
    /// Events' code of the predominant class (1-based).
    pub code: u8,
    /// The predominant class's name.
    pub predominant: &'static str,
    /// Probability by class name; sums to 1.
    pub estimations: BTreeMap<&'static str, f64>,
}

/// Head rotation in degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct HeadPose {
    /// Up/down.
    pub pitch: f64,
    /// Tilt.
    pub roll: f64,
    /// Left/right.
    pub yaw: f64,
}

/// The liveness verdict.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Liveness {
    /// Events' code: 0 spoof, 1 real.
    pub prediction: u8,
    /// Probability of a live face.
    pub value: f64,
}

/// Everything estimated about a face besides its descriptor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FaceAttributes {
    /// Apparent age in whole years.
    pub age: u32,
    /// 0 female, 1 male.
    pub gender: u8,
    /// Ethnic group ([`ETHNICITIES`]).
    pub ethnicity: Estimation,
    /// Emotion ([`EMOTIONS`]).
    pub emotions: Estimation,
    /// Mask state ([`MASKS`]).
    pub mask: Estimation,
    /// Head rotation.
    pub head_pose: HeadPose,
    /// Image quality score in `[0.5, 1)`; also the descriptor's garbage score.
    pub quality: f64,
    /// Liveness.
    pub liveness: Liveness,
}

/// A stream of randomness for one attribute.
fn stream(seed: u64, attribute: &str) -> SplitMix64 {
    SplitMix64::new(derive(seed, attribute, 0))
}

/// An estimation whose predominant class is `names[index]`.
fn estimation(random: &mut SplitMix64, names: &[&'static str], index: usize) -> Estimation {
    let top = random.between(0.6, 0.9);
    let weights: Vec<f64> = names.iter().map(|_| random.between(0.1, 1.0)).collect();
    let rest: f64 = weights
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, w)| w)
        .sum();
    let estimations = names
        .iter()
        .zip(&weights)
        .enumerate()
        .map(|(i, (&name, w))| {
            let p = if i == index {
                top
            } else {
                (1.0 - top) * w / rest
            };
            (name, p)
        })
        .collect();
    Estimation {
        code: (index + 1) as u8,
        predominant: names[index],
        estimations,
    }
}

/// The index drawn by `random` with the given cumulative percentages (the last is 100).
fn weighted(random: &mut SplitMix64, cumulative_percent: &[usize]) -> usize {
    let roll = random.below(100);
    cumulative_percent
        .iter()
        .position(|&limit| roll < limit)
        .unwrap_or(0)
}

impl FaceAttributes {
    /// The attributes of the subject with `identity_seed` (see the module docs).
    pub fn from_seed(identity_seed: u64) -> Self {
        let mut age = stream(identity_seed, "age");
        let mut gender = stream(identity_seed, "gender");
        let mut ethnicity = stream(identity_seed, "ethnicity");
        let mut emotions = stream(identity_seed, "emotions");
        let mut mask = stream(identity_seed, "mask");
        let mut pose = stream(identity_seed, "head_pose");
        let mut quality = stream(identity_seed, "quality");
        let mut liveness = stream(identity_seed, "liveness");
        let ethnic_index = ethnicity.below(ETHNICITIES.len());
        let emotion_index = emotions.below(EMOTIONS.len());
        let mask_index = weighted(&mut mask, &[80, 90, 100]);
        let live = weighted(&mut liveness, &[90, 100]) == 0;
        Self {
            age: 18 + age.below(53) as u32,
            gender: gender.below(2) as u8,
            ethnicity: estimation(&mut ethnicity, &ETHNICITIES, ethnic_index),
            emotions: estimation(&mut emotions, &EMOTIONS, emotion_index),
            mask: estimation(&mut mask, &MASKS, mask_index),
            head_pose: HeadPose {
                pitch: pose.between(-20.0, 20.0),
                roll: pose.between(-20.0, 20.0),
                yaw: pose.between(-20.0, 20.0),
            },
            quality: quality.between(0.5, 1.0),
            liveness: if live {
                Liveness {
                    prediction: 1,
                    value: liveness.between(0.6, 1.0),
                }
            } else {
                Liveness {
                    prediction: 0,
                    value: liveness.between(0.0, 0.4),
                }
            },
        }
    }
}
