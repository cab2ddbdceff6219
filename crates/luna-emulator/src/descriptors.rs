//! Descriptors (reference `common.md` §5.5, `faces.md` §8): the SDK form (`"dp\0\0"`, version
//! as little-endian u32, payload) as a base64 string, and the raw form
//! `{"descriptor": <base64 payload>, "version": n}`. Both are accepted; answers give the form
//! asked for.

use crate::errors::{ApiError, ApiResult};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

/// The signature of an SDK descriptor.
pub const SDK_MAGIC: [u8; 4] = [0x64, 0x70, 0x00, 0x00];
/// The face descriptor version answered when none is asked for and the object has it.
pub const DEFAULT_FACE_VERSION: u32 = 62;

/// Payload length of a descriptor version (`lunasdk` table; newer versions assumed 512).
pub fn payload_len(version: u32) -> usize {
    match version {
        102..=104 => 2048,
        _ => 512,
    }
}

/// How a descriptor is written in an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptorFormat {
    /// Base64 of the SDK bytes.
    Sdk,
    /// `{"descriptor": <base64 payload>, "version": n}`.
    Raw,
}

/// A stored descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    /// Model version.
    pub version: u32,
    /// Payload without the SDK header.
    pub payload: Vec<u8>,
}

impl Descriptor {
    /// Reads one descriptor of a JSON body at `path`.
    pub fn from_json(value: &Value, path: &str) -> ApiResult<Self> {
        let bad = |why: &str| ApiError::bad_json_at(path, why);
        let descriptor = match value {
            Value::String(text) => {
                let bytes = STANDARD.decode(text).map_err(|_| bad("not base64"))?;
                if bytes.len() < 8 || bytes[..4] != SDK_MAGIC {
                    return Err(bad("not an SDK descriptor (signature 'dp\\0\\0')"));
                }
                let mut version = [0u8; 4];
                version.copy_from_slice(&bytes[4..8]);
                Self {
                    version: u32::from_le_bytes(version),
                    payload: bytes[8..].to_vec(),
                }
            }
            Value::Object(map) => {
                if map.keys().any(|k| k != "descriptor" && k != "version") {
                    return Err(bad("only 'descriptor' and 'version' are allowed"));
                }
                let text = map
                    .get("descriptor")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("'descriptor' must be a base64 string"))?;
                let version = map
                    .get("version")
                    .and_then(Value::as_u64)
                    .and_then(|v| u32::try_from(v).ok())
                    .ok_or_else(|| bad("'version' must be a positive integer"))?;
                Self {
                    version,
                    payload: STANDARD.decode(text).map_err(|_| bad("not base64"))?,
                }
            }
            _ => return Err(bad("a descriptor is a base64 string or an object")),
        };
        if descriptor.payload.len() != payload_len(descriptor.version) {
            return Err(bad(&format!(
                "a descriptor of version {} has {} bytes, not {}",
                descriptor.version,
                descriptor.payload.len(),
                payload_len(descriptor.version)
            )));
        }
        Ok(descriptor)
    }

    /// Reads an array of descriptors; two of one version are error 22024.
    pub fn list_from_json(value: &Value, path: &str) -> ApiResult<Vec<Self>> {
        let items = value
            .as_array()
            .ok_or_else(|| ApiError::bad_json_at(path, "expected an array"))?;
        let mut out: Vec<Self> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let d = Self::from_json(item, &format!("{path}.{i}"))?;
            if out.iter().any(|o| o.version == d.version) {
                return Err(ApiError::invalid(
                    22024,
                    format!(
                        "Several descriptors of version {} in one attribute",
                        d.version
                    ),
                ));
            }
            out.push(d);
        }
        Ok(out)
    }

    /// The SDK bytes.
    pub fn sdk_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.payload.len() + 8);
        bytes.extend_from_slice(&SDK_MAGIC);
        bytes.extend_from_slice(&self.version.to_le_bytes());
        bytes.extend_from_slice(&self.payload);
        bytes
    }

    /// The descriptor in an answer.
    pub fn to_json(&self, format: DescriptorFormat) -> Value {
        match format {
            DescriptorFormat::Sdk => Value::String(STANDARD.encode(self.sdk_bytes())),
            DescriptorFormat::Raw => {
                json!({"descriptor": STANDARD.encode(&self.payload), "version": self.version})
            }
        }
    }

    /// Picks the descriptor of `version`, or without one the default face version, else the
    /// lowest stored version.
    pub fn pick(all: &[Self], version: Option<u32>) -> Option<&Self> {
        match version {
            Some(v) => all.iter().find(|d| d.version == v),
            None => all
                .iter()
                .find(|d| d.version == DEFAULT_FACE_VERSION)
                .or_else(|| all.iter().min_by_key(|d| d.version)),
        }
    }
}
