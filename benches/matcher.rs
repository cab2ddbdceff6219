//! The references of a matcher request body, 1,000 descriptor references (SDK blobs): the
//! body the SDK sends (`references` as `match_faces` writes it) beside a minimal hand-written
//! version written straight into one buffer, interleaved call by call
//! (`support/interleave.rs`). Through serde_json, the SDK's `Serialize` is also set beside a
//! minimal hand-written `Serialize`. No network, no client: the same in both modes.
//!
//! Run: `cargo bench --bench matcher`.

mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use luna_clients::model::matching::MatchReference;
use luna_clients::{Descriptor, SdkDescriptor};
use support::interleave::Bench;

const COUNT: usize = 1_000;
const VERSION: u32 = 59;
const PAYLOAD: usize = 512;
/// Bodies per side and round.
const BATCH: usize = 20;

/// The SDK side: the `references` body member as the SDK's matcher writes it
/// (`{"references": [...]}`, each `{"type": ..., "id": ..., "data": ...}`), with its encoder.
fn sdk_references_body(references: &[MatchReference]) -> Vec<u8> {
    let mut out = String::from("{\"references\":");
    MatchReference::write_json_array(references, &mut out).unwrap();
    out.push('}');
    out.into_bytes()
}

/// The same document through the public `Serialize` impls and serde_json.
fn serde_references_body(references: &[MatchReference]) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        references: &'a [MatchReference],
    }
    serde_json::to_vec(&Body { references }).unwrap()
}

/// Hand-written: the same document written into one buffer.
fn hand_references_body(labels: &[String], blobs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = String::with_capacity(16 + blobs.len() * (blobs[0].len() * 4 / 3 + 64));
    out.push_str("{\"references\":[");
    for (i, (label, blob)) in labels.iter().zip(blobs).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"type\":\"sdk_descriptor\",\"id\":\"");
        // The labels are plain ASCII here; a general writer escapes them (serde_json does).
        out.push_str(label);
        out.push_str("\",\"data\":\"");
        BASE64.encode_string(blob, &mut out);
        out.push_str("\"}");
    }
    out.push_str("]}");
    out.into_bytes()
}

/// Hand-written `Serialize` of one reference (the minimal serde form): the descriptor's base64
/// as a `String`.
#[derive(serde::Serialize)]
struct ReferenceByHand<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    data: String,
}

/// Hand-written: the same document through serde_json, as a hand-written `Serialize` would go
/// (serde_json escape-checks every string, whoever serializes).
fn hand_serde_references_body(labels: &[String], blobs: &[Vec<u8>]) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        references: Vec<ReferenceByHand<'a>>,
    }
    let references = labels
        .iter()
        .zip(blobs)
        .map(|(label, blob)| ReferenceByHand {
            kind: "sdk_descriptor",
            id: label,
            data: BASE64.encode(blob),
        })
        .collect();
    serde_json::to_vec(&Body { references }).unwrap()
}

fn main() {
    let bench = Bench::from_env();
    let labels: Vec<String> = (0..COUNT).map(|i| format!("reference-{i}")).collect();
    let descriptors: Vec<SdkDescriptor> = (0..COUNT)
        .map(|seed| {
            let payload: Vec<u8> = (0..PAYLOAD)
                .map(|i| ((i * 31 + seed) % 251) as u8)
                .collect();
            SdkDescriptor::new(VERSION, &payload).unwrap()
        })
        .collect();
    let blobs: Vec<Vec<u8>> = descriptors.iter().map(|d| d.as_bytes().to_vec()).collect();
    let references: Vec<MatchReference> = labels
        .iter()
        .zip(&descriptors)
        .map(|(label, d)| MatchReference::descriptor(label.clone(), Descriptor::from(d.clone())))
        .collect();

    // Both sides write the same document.
    let sdk: serde_json::Value = serde_json::from_slice(&sdk_references_body(&references)).unwrap();
    let hand: serde_json::Value =
        serde_json::from_slice(&hand_references_body(&labels, &blobs)).unwrap();
    assert_eq!(sdk, hand);
    assert_eq!(
        sdk_references_body(&references),
        serde_references_body(&references)
    );

    bench.compare(
        "matcher/references body (1,000 descriptors)",
        BATCH,
        || sdk_references_body(&references),
        || hand_references_body(&labels, &blobs),
    );
    assert_eq!(
        serde_references_body(&references),
        hand_serde_references_body(&labels, &blobs)
    );
    bench.compare(
        "matcher/references body with serde_json, hand-written Serialize (1,000 descriptors)",
        BATCH,
        || serde_references_body(&references),
        || hand_serde_references_body(&labels, &blobs),
    );
    bench.compare(
        "matcher/references body with serde_json (1,000 descriptors)",
        BATCH,
        || serde_references_body(&references),
        || hand_references_body(&labels, &blobs),
    );
}
