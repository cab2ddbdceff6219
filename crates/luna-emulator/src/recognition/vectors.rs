//! Descriptors derived from a [`Subject`] and the one similarity rule.
//!
//! A payload is read as signed bytes, one vector component each (512 components for the 512-byte
//! versions). A subject's descriptor of version `v`:
//!
//! 1. the *identity vector*: components [`SplitMix64::bell`] from the seed
//!    `derive(identity seed, "descriptor", v)`, scaled to length 1;
//! 2. for a synthetic face, plus [`VARIANT_NOISE`] times a unit *variant vector* drawn the same
//!    way from `derive(identity seed, "variant:<v>", variant)`; other images get no noise;
//! 3. scaled so that the largest component is ±127 and rounded to signed bytes.
//!
//! [`similarity`] is the cosine of the two payloads' vectors, clamped to `[0, 1]`; descriptors of
//! different versions or lengths do not compare. Two photos of one identity score about
//! `1 / (1 + 0.25²) ≈ 0.94` (a photo against the bare identity vector `≈ 0.97`); independent
//! 512-component vectors have a cosine of about `0 ± 0.045`, so other identities stay far below
//! 0.5.

use super::seeds::{derive, SplitMix64};
use super::Subject;
use crate::descriptors::{payload_len, Descriptor};

/// The length of a variant's noise relative to its identity vector.
pub const VARIANT_NOISE: f64 = 0.25;

/// A unit vector of `len` components from `seed`.
fn unit_vector(seed: u64, len: usize) -> Vec<f64> {
    let mut random = SplitMix64::new(seed);
    let vector: Vec<f64> = (0..len).map(|_| random.bell()).collect();
    let norm = vector.iter().map(|c| c * c).sum::<f64>().sqrt();
    vector.into_iter().map(|c| c / norm).collect()
}

/// The descriptor of `subject` for model `version` (see the module docs).
pub fn descriptor_of(subject: &Subject, version: u32) -> Descriptor {
    let len = payload_len(version);
    let seed = subject.identity_seed();
    let mut vector = unit_vector(derive(seed, "descriptor", u64::from(version)), len);
    if let Subject::Synthetic(face) = subject {
        let noise = unit_vector(
            derive(seed, &format!("variant:{version}"), u64::from(face.variant)),
            len,
        );
        for (c, n) in vector.iter_mut().zip(noise) {
            *c += VARIANT_NOISE * n;
        }
    }
    let largest = vector.iter().fold(0f64, |m, c| m.max(c.abs()));
    let payload = vector
        .iter()
        .map(|c| ((c / largest * 127.0).round() as i8).to_le_bytes()[0])
        .collect();
    Descriptor { version, payload }
}

/// The similarity of two descriptors in `[0, 1]` (see the module docs); `None` when their versions
/// or payload lengths differ.
pub fn similarity(a: &Descriptor, b: &Descriptor) -> Option<f64> {
    if a.version != b.version || a.payload.len() != b.payload.len() {
        return None;
    }
    // Integer sums are exact (at most 2048 × 127² < 2^31 each), and fast even unoptimised.
    let (mut dot, mut aa, mut bb) = (0i64, 0i64, 0i64);
    for (&x, &y) in a.payload.iter().zip(&b.payload) {
        let (x, y) = (i64::from(x as i8), i64::from(y as i8));
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0 || bb == 0 {
        return Some(0.0);
    }
    let (dot, aa, bb) = (dot as f64, aa as f64, bb as f64);
    Some((dot / (aa.sqrt() * bb.sqrt())).clamp(0.0, 1.0))
}
