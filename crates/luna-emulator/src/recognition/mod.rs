//! Synthetic recognition: the emulator does no real face recognition, but answers like a
//! platform that does, so that thresholds, matches and attributes in a user's code can be tested.
//! The scheme is fixed and documented so that a test can know the answers ahead.
//!
//! * **Photos** — [`synthetic_face`]`(identity, variant)` makes a 250×250 PNG that carries its
//!   identity in an `iTXt` chunk (authoritative; [`synthetic`]). Any other bytes are "another
//!   image".
//! * **Subject** — [`Subject::of_image`]: a synthetic photo shows its identity; another image shows
//!   a subject of its own, named by the FNV-1a 64 digest of its bytes (same bytes, same subject).
//!   A warp (sample) cut by the emulator ([`Subject::warp`]) shows the subject of its image: a
//!   synthetic face's warp carries the identity chunk, another image's warp its digest.
//!   The *identity seed* is FNV-1a 64 of `"identity:" + identity` for a synthetic face, the digest
//!   otherwise ([`seeds`]).
//! * **Detection** — one face per PNG or JPEG image, its box centred and three fifths of each
//!   side of the image ([`image::face_rect`]); bytes that are neither give no detection.
//! * **Descriptors** — a unit vector per identity and model version plus a small variant noise,
//!   as signed bytes; [`similarity`] is their cosine clamped to `[0, 1]`: photos of one identity
//!   score ≥ 0.9 (about 0.94), different identities and other images < 0.5 (about 0 ± 0.05)
//!   ([`vectors`]). They are real descriptors ([`Descriptor`]): SDK bytes `"dp\0\0"` + version
//!   (u32 little-endian) + payload (512 bytes for face versions), or the raw payload.
//! * **Attributes** — age, gender, ethnicity, emotions, mask, head pose, quality and liveness
//!   depend on the identity only ([`attributes`]).

pub mod attributes;
pub mod image;
pub mod seeds;
pub mod synthetic;
pub mod vectors;

pub use attributes::FaceAttributes;
pub use image::{face_rect, image_size, ImageFormat, Rect};
pub use synthetic::{read_digest, read_synthetic, synthetic_face, warp_png, SyntheticFace};
pub use vectors::{descriptor_of, similarity};

use crate::descriptors::Descriptor;
use seeds::fnv1a;

/// Who an image shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A photo made by [`synthetic_face`].
    Synthetic(SyntheticFace),
    /// Any other image, named by the FNV-1a 64 digest of its bytes.
    Other {
        /// FNV-1a 64 of the image bytes.
        digest: u64,
    },
}

impl Subject {
    /// The subject of `identity`'s `variant`-th synthetic photo (without making the photo).
    pub fn synthetic(identity: &str, variant: u32) -> Self {
        Self::Synthetic(SyntheticFace {
            identity: identity.to_owned(),
            variant,
        })
    }

    /// The subject an image shows (see the module docs).
    pub fn of_image(bytes: &[u8]) -> Self {
        match read_synthetic(bytes) {
            Some(face) => Self::Synthetic(face),
            None => Self::Other {
                digest: read_digest(bytes).unwrap_or_else(|| fnv1a(bytes)),
            },
        }
    }

    /// A warp (sample) of `width` × `height` pixels showing this subject ([`warp_png`]): its
    /// subject is this one.
    pub fn warp(&self, width: u32, height: u32) -> Vec<u8> {
        match self {
            Self::Synthetic(face) => warp_png(Some(face), 0, width, height),
            Self::Other { digest } => warp_png(None, *digest, width, height),
        }
    }

    /// The seed of everything derived from the subject's identity.
    pub fn identity_seed(&self) -> u64 {
        match self {
            Self::Synthetic(face) => fnv1a(format!("identity:{}", face.identity).as_bytes()),
            Self::Other { digest } => *digest,
        }
    }

    /// The subject's descriptor of model `version`.
    pub fn descriptor(&self, version: u32) -> Descriptor {
        descriptor_of(self, version)
    }

    /// The subject's attributes.
    pub fn attributes(&self) -> FaceAttributes {
        FaceAttributes::from_seed(self.identity_seed())
    }
}

/// The one face found on an image.
#[derive(Clone, Debug, PartialEq)]
pub struct FaceDetection {
    /// Who it is.
    pub subject: Subject,
    /// Image format.
    pub format: ImageFormat,
    /// Image width in pixels.
    pub image_width: u32,
    /// Image height in pixels.
    pub image_height: u32,
    /// The face box.
    pub rect: Rect,
}

/// Detects the face of a PNG or JPEG image; `None` when the bytes are neither (an invalid
/// image).
pub fn detect(bytes: &[u8]) -> Option<FaceDetection> {
    let (format, image_width, image_height) = image_size(bytes)?;
    Some(FaceDetection {
        subject: Subject::of_image(bytes),
        format,
        image_width,
        image_height,
        rect: face_rect(image_width, image_height),
    })
}
