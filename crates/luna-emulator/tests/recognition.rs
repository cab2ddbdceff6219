//! Synthetic recognition: the generated photos, their reader, descriptors, the similarity rule,
//! detection and attributes (the scheme of `luna_emulator::recognition`).

use luna_emulator::descriptors::{Descriptor, DescriptorFormat, SDK_MAGIC};
use luna_emulator::recognition::attributes::{EMOTIONS, ETHNICITIES, MASKS};
use luna_emulator::recognition::seeds::{fnv1a, SplitMix64};
use luna_emulator::recognition::{
    detect, image_size, read_synthetic, similarity, synthetic_face, FaceAttributes, ImageFormat,
    Rect, Subject, SyntheticFace,
};
use std::collections::BTreeSet;
use std::io::Cursor;

const VERSIONS: [u32; 3] = [59, 62, 65];

fn identities(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("person-{i}")).collect()
}

/// A JPEG header (SOI, APP0, SOF0 of `width` × `height`, EOI): enough for the size reader.
fn jpeg_header(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];
    bytes.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    bytes.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 0x08]);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
    bytes
}

fn png_without_identity(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&vec![128; (width * height) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn a_synthetic_face_is_a_decodable_250_pixel_rgb_png() {
    let bytes = synthetic_face("alice", 0);
    let mut reader = png::Decoder::new(Cursor::new(&bytes)).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (250, 250));
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    let colours: BTreeSet<&[u8]> = pixels[..frame.buffer_size()].chunks(3).collect();
    assert!(colours.len() >= 3, "background, skin and features drawn");
    assert_eq!(synthetic_face("alice", 0), bytes, "deterministic");
    assert_ne!(synthetic_face("alice", 1), bytes, "variants differ");
}

#[test]
fn the_reader_recognises_identity_and_variant_from_the_bytes() {
    for (identity, variant) in [("alice", 0), ("Žofie \"ü\" 名前", 7), ("", u32::MAX)] {
        let read = read_synthetic(&synthetic_face(identity, variant));
        assert_eq!(
            read,
            Some(SyntheticFace {
                identity: identity.to_owned(),
                variant
            })
        );
    }
    assert_eq!(read_synthetic(&png_without_identity(8, 8)), None);
    assert_eq!(read_synthetic(&jpeg_header(10, 10)), None);
    assert_eq!(read_synthetic(b"not an image"), None);
    let face = synthetic_face("alice", 0);
    for len in [0, 8, 20, 40] {
        assert_eq!(read_synthetic(&face[..len]), None, "prefix of {len} bytes");
    }
}

#[test]
fn photos_of_one_identity_match_at_0_9_and_different_identities_stay_below_0_5() {
    let people = identities(40);
    for version in VERSIONS {
        let descriptors: Vec<Vec<Descriptor>> = people
            .iter()
            .map(|p| {
                (0..4)
                    .map(|v| Subject::synthetic(p, v).descriptor(version))
                    .collect()
            })
            .collect();
        let (mut lowest_same, mut highest_other) = (1f64, 0f64);
        for (i, photos) in descriptors.iter().enumerate() {
            for (j, others) in descriptors.iter().enumerate() {
                for a in photos {
                    for b in others {
                        let s = similarity(a, b).unwrap();
                        if i == j {
                            lowest_same = lowest_same.min(s);
                        } else {
                            highest_other = highest_other.max(s);
                        }
                    }
                }
            }
        }
        assert!(
            lowest_same >= 0.9,
            "v{version}: same identity {lowest_same}"
        );
        assert!(
            lowest_same < 0.99,
            "v{version}: variants differ {lowest_same}"
        );
        assert!(highest_other < 0.5, "v{version}: others {highest_other}");
    }
}

#[test]
fn a_photo_from_the_generator_yields_its_identitys_descriptor() {
    let photo = detect(&synthetic_face("bob", 3)).unwrap();
    assert_eq!(photo.subject, Subject::synthetic("bob", 3));
    let other_photo = detect(&synthetic_face("bob", 9)).unwrap();
    let s = similarity(
        &photo.subject.descriptor(59),
        &other_photo.subject.descriptor(59),
    )
    .unwrap();
    assert!(s >= 0.9, "{s}");
}

#[test]
fn any_other_image_gets_a_descriptor_of_its_own_stable_for_its_bytes() {
    let image = png_without_identity(40, 30);
    let descriptor = Subject::of_image(&image).descriptor(62);
    assert_eq!(Subject::of_image(&image).descriptor(62), descriptor);
    assert_eq!(
        Subject::of_image(&image),
        Subject::Other {
            digest: fnv1a(&image)
        }
    );
    let mut changed = image.clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    let other = Subject::of_image(&changed).descriptor(62);
    assert_ne!(other, descriptor);
    assert!(similarity(&descriptor, &other).unwrap() < 0.5);
    for person in identities(20) {
        let face = Subject::synthetic(&person, 0).descriptor(62);
        assert!(similarity(&descriptor, &face).unwrap() < 0.5);
    }
}

#[test]
fn descriptors_are_real_sdk_and_raw_descriptors() {
    for (version, payload) in [(59, 512), (62, 512), (104, 2048), (108, 512)] {
        let descriptor = Subject::synthetic("carol", 1).descriptor(version);
        assert_eq!(descriptor.version, version);
        assert_eq!(descriptor.payload.len(), payload);
        let sdk = descriptor.sdk_bytes();
        assert_eq!(sdk.len(), payload + 8);
        assert_eq!(sdk[..4], SDK_MAGIC);
        assert_eq!(sdk[..4], *b"dp\0\0");
        assert_eq!(sdk[4..8], version.to_le_bytes());
        assert_eq!(sdk[8..], descriptor.payload[..]);
        for format in [DescriptorFormat::Sdk, DescriptorFormat::Raw] {
            let json = descriptor.to_json(format);
            assert_eq!(Descriptor::from_json(&json, "d").unwrap(), descriptor);
        }
        assert!(
            descriptor.payload.iter().any(|&b| b == 127 || b == 0x81),
            "scaled to the signed-byte range"
        );
    }
}

#[test]
fn similarity_is_one_documented_rule() {
    let d = |version, payload: Vec<u8>| Descriptor { version, payload };
    let a = Subject::synthetic("dave", 0).descriptor(59);
    assert!((similarity(&a, &a).unwrap() - 1.0).abs() < 1e-12);
    let opposite = d(
        59,
        a.payload
            .iter()
            .map(|&b| (b as i8).wrapping_neg() as u8)
            .collect(),
    );
    assert_eq!(similarity(&a, &opposite), Some(0.0), "clamped at 0");
    let mut x = vec![0u8; 512];
    let mut y = vec![0u8; 512];
    (x[0], x[1]) = (3, 4);
    (y[0], y[1]) = (4, 3);
    let s = similarity(&d(59, x.clone()), &d(59, y)).unwrap();
    assert!((s - 24.0 / 25.0).abs() < 1e-12, "cosine: {s}");
    let minus: Vec<u8> = x.iter().map(|&b| (b as i8).wrapping_neg() as u8).collect();
    let mut half = x.clone();
    half[2] = (-5i8) as u8;
    let s = similarity(&d(59, x.clone()), &d(59, half)).unwrap();
    assert!(
        (s - 25.0 / (5.0 * 50f64.sqrt())).abs() < 1e-12,
        "signed bytes: {s}"
    );
    assert_eq!(similarity(&d(59, x.clone()), &d(59, minus)), Some(0.0));
    assert_eq!(
        similarity(&d(59, x.clone()), &d(59, vec![0; 512])),
        Some(0.0)
    );
    assert_eq!(
        similarity(&a, &Subject::synthetic("dave", 0).descriptor(62)),
        None
    );
    assert_eq!(similarity(&d(59, x), &d(59, vec![1; 511])), None);
}

#[test]
fn the_detection_box_comes_from_the_image_size() {
    let face = detect(&synthetic_face("erin", 0)).unwrap();
    assert_eq!(face.format, ImageFormat::Png);
    assert_eq!((face.image_width, face.image_height), (250, 250));
    let expected = Rect {
        x: 50,
        y: 50,
        width: 150,
        height: 150,
    };
    assert_eq!(face.rect, expected);
    let jpeg = detect(&jpeg_header(400, 300)).unwrap();
    assert_eq!(jpeg.format, ImageFormat::Jpeg);
    let expected = Rect {
        x: 80,
        y: 60,
        width: 240,
        height: 180,
    };
    assert_eq!(jpeg.rect, expected);
    let tiny = detect(&png_without_identity(1, 2)).unwrap();
    let expected = Rect {
        x: 0,
        y: 0,
        width: 1,
        height: 1,
    };
    assert_eq!(tiny.rect, expected);
    assert!(detect(b"GIF89a").is_none());
    assert!(detect(&[]).is_none());
    let jpeg = jpeg_header(400, 300);
    for len in 0..jpeg.len() - 12 {
        assert_eq!(image_size(&jpeg[..len]), None, "JPEG prefix of {len} bytes");
    }
    assert_eq!(image_size(&jpeg_header(0, 10)), None, "zero width");
}

#[test]
fn attributes_depend_on_the_identity_only_and_are_consistent() {
    let mut seen = [BTreeSet::new(), BTreeSet::new(), BTreeSet::new()];
    let (mut genders, mut livenesses) = (BTreeSet::new(), BTreeSet::new());
    for person in identities(300) {
        let attributes = Subject::synthetic(&person, 0).attributes();
        assert_eq!(Subject::synthetic(&person, 5).attributes(), attributes);
        assert_eq!(
            Subject::of_image(&synthetic_face(&person, 2)).attributes(),
            attributes
        );
        assert!((18..=70).contains(&attributes.age));
        genders.insert(attributes.gender);
        for (k, (estimation, names)) in [
            (&attributes.ethnicity, &ETHNICITIES[..]),
            (&attributes.emotions, &EMOTIONS[..]),
            (&attributes.mask, &MASKS[..]),
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(
                names[usize::from(estimation.code) - 1],
                estimation.predominant
            );
            let total: f64 = estimation.estimations.values().sum();
            assert!((total - 1.0).abs() < 1e-9);
            assert_eq!(estimation.estimations.len(), names.len());
            let top = estimation.estimations[estimation.predominant];
            assert!(estimation.estimations.values().all(|&p| p <= top));
            seen[k].insert(estimation.code);
        }
        let pose = attributes.head_pose;
        assert!([pose.pitch, pose.roll, pose.yaw]
            .iter()
            .all(|a| (-20.0..20.0).contains(a)));
        assert!((0.5..1.0).contains(&attributes.quality));
        let live = attributes.liveness;
        assert_eq!(live.prediction == 1, live.value > 0.5);
        livenesses.insert(live.prediction);
    }
    assert_eq!(genders, BTreeSet::from([0, 1]));
    assert_eq!(seen[0], (1..=4).collect());
    assert_eq!(seen[1], (1..=7).collect());
    assert_eq!(seen[2], (1..=3).collect());
    assert_eq!(livenesses, BTreeSet::from([0, 1]));
    assert_ne!(
        FaceAttributes::from_seed(1),
        FaceAttributes::from_seed(2),
        "derived from the seed"
    );
}

#[test]
fn the_seeds_are_the_documented_fnv1a_and_splitmix64() {
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    let mut random = SplitMix64::new(1234567);
    let first: Vec<u64> = (0..3).map(|_| random.next_u64()).collect();
    assert_eq!(
        first,
        [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423
        ]
    );
    assert_eq!(
        Subject::synthetic("zoe", 0).identity_seed(),
        fnv1a(b"identity:zoe")
    );
}
