//! The generator of synthetic face photos and its reader.
//!
//! [`synthetic_face`] draws a 250×250 RGB PNG (the face-warp size of the reference,
//! `common.md` §5.6): a background, a face oval, eyes and a mouth whose colours and position come
//! from the identity and the variant. The identity travels in an `iTXt` chunk with keyword
//! [`FACE_CHUNK_KEYWORD`] and the text `{"identity": "<identity>", "variant": <n>}`. **The chunk
//! is authoritative**: [`read_synthetic`] reads only it; the pixels are for human eyes. An image
//! re-encoded without its text chunks (e.g. converted to JPEG) is therefore "another image".

use super::seeds::{fnv1a, SplitMix64};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// Keyword of the `iTXt` chunk that carries a synthetic face's identity.
pub const FACE_CHUNK_KEYWORD: &str = "luna-emulator:face";
/// Keyword of the `iTXt` chunk that carries, in the warp of an image that is not a synthetic
/// face, the digest of that image.
pub const DIGEST_CHUNK_KEYWORD: &str = "luna-emulator:digest";
/// Side of a synthetic face photo, in pixels (a face warp is 250×250).
pub const FACE_SIDE: u32 = 250;

/// What a synthetic face photo carries: who it shows and which photo of them it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyntheticFace {
    /// Any text naming a person; photos of one identity match.
    pub identity: String,
    /// Which photo of the person; photos of one identity differ a little by variant.
    pub variant: u32,
}

/// A real, decodable PNG photo of `identity` (its `variant`-th photo); see the module docs.
pub fn synthetic_face(identity: &str, variant: u32) -> Vec<u8> {
    let face = SyntheticFace {
        identity: identity.to_owned(),
        variant,
    };
    let text = serde_json::to_string(&face).expect("a string and a number serialise");
    let pixels = draw(identity, variant, FACE_SIDE, FACE_SIDE);
    encode(FACE_SIDE, FACE_SIDE, &pixels, FACE_CHUNK_KEYWORD, text)
}

/// An RGB PNG of `width` × `height` with one `iTXt` chunk.
fn encode(width: u32, height: u32, pixels: &[u8], keyword: &str, text: String) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .add_itxt_chunk(keyword.to_owned(), text)
        .expect("the keyword is valid Latin-1 of 1 to 79 bytes");
    let mut writer = encoder
        .write_header()
        .expect("writing into a Vec does not fail");
    writer
        .write_image_data(pixels)
        .expect("the pixel buffer has the size of the header");
    writer.finish().expect("writing into a Vec does not fail");
    out
}

/// A warp (sample) of `width` × `height` showing the same subject as the image it was cut from:
/// a synthetic face's warp is drawn like its photo and carries the same identity chunk; another
/// image's warp carries its digest in an `iTXt` chunk with keyword [`DIGEST_CHUNK_KEYWORD`]
/// (text: the digest in 16 lowercase hex digits), so that the warp is recognised as the same
/// subject ([`read_digest`]).
pub fn warp_png(face: Option<&SyntheticFace>, digest: u64, width: u32, height: u32) -> Vec<u8> {
    match face {
        Some(face) => {
            let text = serde_json::to_string(face).expect("a string and a number serialise");
            let pixels = draw(&face.identity, face.variant, width, height);
            encode(width, height, &pixels, FACE_CHUNK_KEYWORD, text)
        }
        None => {
            let name = format!("{digest:016x}");
            let pixels = draw(&name, 0, width, height);
            encode(width, height, &pixels, DIGEST_CHUNK_KEYWORD, name)
        }
    }
}

/// The digest carried by a warp of another image ([`warp_png`]), if `bytes` is one.
pub fn read_digest(bytes: &[u8]) -> Option<u64> {
    let reader = png::Decoder::new(Cursor::new(bytes)).read_info().ok()?;
    let info = reader.info();
    info.utf8_text
        .iter()
        .filter(|chunk| chunk.keyword == DIGEST_CHUNK_KEYWORD)
        .find_map(|chunk| u64::from_str_radix(&chunk.get_text().ok()?, 16).ok())
}

/// The identity and variant of a photo made by [`synthetic_face`], or `None` for any other bytes
/// (not a PNG, a broken PNG, or a PNG without a valid identity chunk).
pub fn read_synthetic(bytes: &[u8]) -> Option<SyntheticFace> {
    let reader = png::Decoder::new(Cursor::new(bytes)).read_info().ok()?;
    reader
        .info()
        .utf8_text
        .iter()
        .filter(|chunk| chunk.keyword == FACE_CHUNK_KEYWORD)
        .find_map(|chunk| serde_json::from_str(&chunk.get_text().ok()?).ok())
}

/// RGB pixels, row by row.
fn draw(identity: &str, variant: u32, width: u32, height: u32) -> Vec<u8> {
    let mut look = SplitMix64::new(fnv1a(identity.as_bytes()));
    let mut colour = |low: f64, high: f64| -> [f64; 3] { [0; 3].map(|_| look.between(low, high)) };
    let background = colour(40.0, 200.0);
    let skin = colour(120.0, 240.0);
    let features = colour(10.0, 90.0);
    let mut shot = SplitMix64::new(fnv1a(format!("{identity}\0{variant}").as_bytes()));
    let light = shot.between(0.85, 1.15);
    let (w, h) = (f64::from(width), f64::from(height));
    let side = w.min(h);
    let (cx, cy) = (
        w / 2.0 + shot.between(-8.0, 8.0),
        h / 2.0 + shot.between(-8.0, 8.0),
    );
    let (rx, ry) = (side * 0.3, side * 0.4);
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let (dx, dy) = ((f64::from(x) - cx) / rx, (f64::from(y) - cy) / ry);
            let eye = ((dx.abs() - 0.4).powi(2) + (dy + 0.25).powi(2)) < 0.01;
            let mouth = dx.abs() < 0.35 && (dy - 0.45).abs() < 0.04;
            let base = if dx * dx + dy * dy > 1.0 {
                background
            } else if eye || mouth {
                features
            } else {
                skin
            };
            pixels.extend(base.map(|c| (c * light).clamp(0.0, 255.0) as u8));
        }
    }
    pixels
}
