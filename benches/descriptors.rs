//! Descriptors to JSON and back, 1,000 per document: the SDK's `Descriptor` (serde) beside a
//! minimal hand-written version (base64 written into the output, borrowed strings decoded
//! straight from the input), in both JSON forms — the SDK blob as a base64 string and the raw
//! form `{"descriptor": <base64>, "version": n}` — interleaved call by call
//! (`support/interleave.rs`). Through serde_json's `Serializer`, the SDK's `Serialize` is also
//! set beside a minimal hand-written `Serialize` (serde_json escape-checks every string,
//! whoever writes it). No network, no client: the same in both modes.
//!
//! Run: `cargo bench --bench descriptors`.

mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use luna_clients::{Descriptor, RawDescriptor, SdkDescriptor, SDK_HEADER_LEN, SDK_MAGIC};
use support::interleave::Bench;

const COUNT: usize = 1_000;
const VERSION: u32 = 59;
const PAYLOAD: usize = 512;
/// Documents per side and round.
const BATCH: usize = 20;

fn payload(seed: usize) -> Vec<u8> {
    (0..PAYLOAD)
        .map(|i| ((i * 31 + seed) % 251) as u8)
        .collect()
}

/// Hand-written: `["<base64>", ...]` written straight into one buffer.
fn encode_sdk_by_hand(blobs: &[Vec<u8>]) -> String {
    let mut out = String::with_capacity(2 + blobs.len() * (blobs[0].len() * 4 / 3 + 8));
    out.push('[');
    for (i, blob) in blobs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        BASE64.encode_string(blob, &mut out);
        out.push('"');
    }
    out.push(']');
    out
}

/// Hand-written: `[{"descriptor":"<base64>","version":n}, ...]` into one buffer.
fn encode_raw_by_hand(payloads: &[Vec<u8>]) -> String {
    let mut out = String::with_capacity(2 + payloads.len() * (payloads[0].len() * 4 / 3 + 40));
    out.push('[');
    for (i, payload) in payloads.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"descriptor\":\"");
        BASE64.encode_string(payload, &mut out);
        out.push_str("\",\"version\":");
        out.push_str(&VERSION.to_string());
        out.push('}');
    }
    out.push(']');
    out
}

/// Hand-written: borrowed base64 strings, decoded and the SDK header checked.
fn decode_sdk_by_hand(json: &str) -> Vec<Vec<u8>> {
    let texts: Vec<&str> = serde_json::from_str(json).unwrap();
    texts
        .into_iter()
        .map(|text| {
            let blob = BASE64.decode(text).unwrap();
            assert!(blob.len() > SDK_HEADER_LEN && blob[..4] == SDK_MAGIC);
            blob
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct RawByHand<'a> {
    #[serde(borrow)]
    descriptor: &'a str,
    version: u32,
}

/// Hand-written: borrowed raw objects, payloads decoded.
fn decode_raw_by_hand(json: &str) -> Vec<(Vec<u8>, u32)> {
    let raws: Vec<RawByHand> = serde_json::from_str(json).unwrap();
    raws.into_iter()
        .map(|raw| (BASE64.decode(raw.descriptor).unwrap(), raw.version))
        .collect()
}

/// Hand-written `Serialize` (the minimal serde form of the same document): each blob's base64
/// as a `String`, given to `serialize_str`.
struct SdkBlobByHand<'a>(&'a [u8]);

impl serde::Serialize for SdkBlobByHand<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&BASE64.encode(self.0))
    }
}

/// Hand-written `Serialize` of the raw form: `{"descriptor": <base64 String>, "version": n}`.
#[derive(serde::Serialize)]
struct RawObjectByHand {
    descriptor: String,
    version: u32,
}

/// Through serde_json, as a hand-written `Serialize` would go.
fn encode_sdk_with_serde_by_hand(blobs: &[Vec<u8>]) -> String {
    let blobs: Vec<SdkBlobByHand<'_>> = blobs.iter().map(|b| SdkBlobByHand(b)).collect();
    serde_json::to_string(&blobs).unwrap()
}

/// Through serde_json, as a hand-written `Serialize` would go (raw form).
fn encode_raw_with_serde_by_hand(payloads: &[Vec<u8>]) -> String {
    let raws: Vec<RawObjectByHand> = payloads
        .iter()
        .map(|p| RawObjectByHand {
            descriptor: BASE64.encode(p),
            version: VERSION,
        })
        .collect();
    serde_json::to_string(&raws).unwrap()
}

fn main() {
    let bench = Bench::from_env();
    let payloads: Vec<Vec<u8>> = (0..COUNT).map(payload).collect();
    let sdk: Vec<Descriptor> = payloads
        .iter()
        .map(|p| SdkDescriptor::new(VERSION, p).unwrap().into())
        .collect();
    let blobs: Vec<Vec<u8>> = sdk
        .iter()
        .map(|d| match d {
            Descriptor::Sdk(d) => d.as_bytes().to_vec(),
            Descriptor::Raw(_) => unreachable!(),
        })
        .collect();
    let raw: Vec<Descriptor> = payloads
        .iter()
        .map(|p| RawDescriptor::new(p.clone(), VERSION).unwrap().into())
        .collect();

    // Both sides write the same document.
    let sdk_json = serde_json::to_string(&sdk).unwrap();
    assert_eq!(sdk_json, encode_sdk_by_hand(&blobs));
    let raw_json = serde_json::to_string(&raw).unwrap();
    assert_eq!(raw_json, encode_raw_by_hand(&payloads));

    assert_eq!(Descriptor::to_json_array(&sdk), sdk_json);
    assert_eq!(Descriptor::to_json_array(&raw), raw_json);
    bench.compare(
        "descriptors/encode SDK form",
        BATCH,
        || Descriptor::to_json_array(&sdk),
        || encode_sdk_by_hand(&blobs),
    );
    bench.compare(
        "descriptors/encode raw form",
        BATCH,
        || Descriptor::to_json_array(&raw),
        || encode_raw_by_hand(&payloads),
    );
    bench.compare(
        "descriptors/encode SDK form with serde_json",
        BATCH,
        || serde_json::to_string(&sdk).unwrap(),
        || encode_sdk_by_hand(&blobs),
    );
    bench.compare(
        "descriptors/encode raw form with serde_json",
        BATCH,
        || serde_json::to_string(&raw).unwrap(),
        || encode_raw_by_hand(&payloads),
    );
    // serde_json checks every character of every string for escapes, whoever serializes:
    // the SDK's `Serialize` against the minimal hand-written `Serialize`.
    assert_eq!(encode_sdk_with_serde_by_hand(&blobs), sdk_json);
    assert_eq!(encode_raw_with_serde_by_hand(&payloads), raw_json);
    bench.compare(
        "descriptors/encode SDK form with serde_json, hand-written Serialize",
        BATCH,
        || serde_json::to_string(&sdk).unwrap(),
        || encode_sdk_with_serde_by_hand(&blobs),
    );
    bench.compare(
        "descriptors/encode raw form with serde_json, hand-written Serialize",
        BATCH,
        || serde_json::to_string(&raw).unwrap(),
        || encode_raw_with_serde_by_hand(&payloads),
    );
    bench.compare(
        "descriptors/decode SDK form",
        BATCH,
        || serde_json::from_str::<Vec<Descriptor>>(&sdk_json).unwrap(),
        || decode_sdk_by_hand(&sdk_json),
    );
    bench.compare(
        "descriptors/decode raw form",
        BATCH,
        || serde_json::from_str::<Vec<Descriptor>>(&raw_json).unwrap(),
        || decode_raw_by_hand(&raw_json),
    );
}
