//! The body of `upgrade_object_from_sample`: which stored object, and what to re-extract from
//! its samples.

use super::*;

// ---------------------------------------------------------------------------------------------
// Upgrade

/// The object `upgrade_object_from_sample` upgrades.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum UpgradeTarget {
    /// A face (Python `FaceAttributeUpgrade`): `face_id`.
    Face(crate::id::Id),
    /// An event (Python `EventAttributeUpgrade`): `event_id`.
    Event(crate::id::Id),
}

/// The body of `upgrade_object_from_sample`: which object, and what to re-extract from its
/// samples (descriptor and/or basic attributes).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ObjectUpgrade {
    target: UpgradeTarget,
    extract_descriptor: Option<bool>,
    extract_basic_attributes: Option<bool>,
    descriptor_version: Option<u32>,
    extra: Map<String, Value>,
}

impl ObjectUpgrade {
    /// Upgrade the face `face_id`.
    pub fn face(face_id: impl Into<crate::id::Id>) -> Self {
        Self::new(UpgradeTarget::Face(face_id.into()))
    }

    /// Upgrade the event `event_id`.
    pub fn event(event_id: impl Into<crate::id::Id>) -> Self {
        Self::new(UpgradeTarget::Event(event_id.into()))
    }

    fn new(target: UpgradeTarget) -> Self {
        ObjectUpgrade {
            target,
            extract_descriptor: None,
            extract_basic_attributes: None,
            descriptor_version: None,
            extra: Map::new(),
        }
    }

    /// Re-extract the descriptor.
    #[must_use]
    pub fn extract_descriptor(mut self, on: bool) -> Self {
        self.extract_descriptor = Some(on);
        self
    }

    /// Re-extract basic attributes.
    #[must_use]
    pub fn extract_basic_attributes(mut self, on: bool) -> Self {
        self.extract_basic_attributes = Some(on);
        self
    }

    /// Descriptor version to extract.
    #[must_use]
    pub fn descriptor_version(mut self, version: u32) -> Self {
        self.descriptor_version = Some(version);
        self
    }

    /// Adds (or replaces) a member, sent as given.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// The JSON body (ids checked; at least one thing to extract).
    pub(crate) fn to_body(&self) -> Result<Value> {
        if self.extract_descriptor == Some(false) && self.extract_basic_attributes != Some(true) {
            return Err(Error::invalid(
                "upgrade",
                "nothing to extract: enable the descriptor or the basic attributes",
            ));
        }
        let mut map = Map::new();
        match &self.target {
            UpgradeTarget::Face(id) => {
                map.insert("face_id".into(), Value::String(id.resolve("face_id")?.to_string()))
            }
            UpgradeTarget::Event(id) => map.insert(
                "event_id".into(),
                Value::String(id.resolve("event_id")?.to_string()),
            ),
        };
        if let Some(on) = self.extract_descriptor {
            map.insert("extract_descriptor".into(), u8::from(on).into());
        }
        if let Some(on) = self.extract_basic_attributes {
            map.insert("extract_basic_attributes".into(), u8::from(on).into());
        }
        if let Some(version) = self.descriptor_version {
            map.insert("descriptor_version".into(), version.into());
        }
        for (name, value) in &self.extra {
            map.insert(name.clone(), value.clone());
        }
        Ok(Value::Object(map))
    }
}
