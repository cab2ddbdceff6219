//! What the emulator reads of an image's pixels: its size, from the PNG `IHDR` chunk or the JPEG
//! start-of-frame segment, and the detection box derived from it.

use serde::Serialize;

/// A rectangle in image pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// An image's format, as told by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG (signature `\x89PNG\r\n\x1a\n`).
    Png,
    /// JPEG (starts with `FF D8`).
    Jpeg,
}

/// The format and `(width, height)` of a PNG or JPEG image; `None` for anything else, a
/// truncated header or a zero size.
pub fn image_size(bytes: &[u8]) -> Option<(ImageFormat, u32, u32)> {
    let (format, width, height) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let be = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
        if bytes.get(12..16)? != b"IHDR" {
            return None;
        }
        (ImageFormat::Png, be(16)?, be(20)?)
    } else if bytes.starts_with(&[0xff, 0xd8]) {
        let (width, height) = jpeg_size(bytes)?;
        (ImageFormat::Jpeg, width, height)
    } else {
        return None;
    };
    (width > 0 && height > 0).then_some((format, width, height))
}

/// Walks the JPEG segments up to the first start-of-frame marker.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let be16 = |at: usize| Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xff {
            return None;
        }
        while *bytes.get(at)? == 0xff {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            0x01 | 0xd0..=0xd7 => continue,
            0xd9 | 0xda => return None,
            0xc0..=0xcf if !matches!(marker, 0xc4 | 0xc8 | 0xcc) => {
                return Some((u32::from(be16(at + 5)?), u32::from(be16(at + 3)?)));
            }
            _ => at += usize::from(be16(at)?),
        }
    }
}

/// The face box of an image of `width` × `height`: centred, three fifths of each side (at
/// least one pixel).
pub fn face_rect(width: u32, height: u32) -> Rect {
    let side = |whole: u32| (u64::from(whole) * 3 / 5).max(1) as u32;
    let (w, h) = (side(width), side(height));
    Rect {
        x: (width - w.min(width)) / 2,
        y: (height - h.min(height)) / 2,
        width: w,
        height: h,
    }
}
