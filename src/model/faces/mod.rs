//! luna-faces data types: the requests (faces, lists and attributes queries, paging, the new
//! list, the inputs that create faces and attributes, with the constants of those calls) and
//! the answers (faces, lists, attributes, samples).

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::common::BasicAttributes;
use super::string_enum;
use super::time_format;
use crate::descriptor::{Descriptor, DescriptorError};
use crate::error::{Error, Result};
use crate::id::{collect_ids, Id};

mod query;
pub use query::*;

string_enum! {
    /// Field selection of `get_face` / `get_faces` (`targets`).
    pub enum FaceTarget {
        /// `face_id`.
        FaceId = "face_id",
        /// `account_id`.
        AccountId = "account_id",
        /// `event_id`.
        EventId = "event_id",
        /// `user_data`.
        UserData = "user_data",
        /// `create_time`.
        CreateTime = "create_time",
        /// `external_id`.
        ExternalId = "external_id",
        /// `avatar`.
        Avatar = "avatar",
        /// `lists`.
        Lists = "lists",
    }
}

string_enum! {
    /// Field selection of `get_face_attributes` (`targets`), as listed by the Python client.
    pub enum FaceAttributeTarget {
        /// `create_time`.
        CreateTime = "create_time",
        /// `face_descriptor`.
        FaceDescriptor = "face_descriptor",
        /// `basic_attributes`.
        BasicAttributes = "basic_attributes",
        /// `face_descriptor_samples`.
        FaceDescriptorSamples = "face_descriptor_samples",
        /// `basic_attributes_samples`.
        BasicAttributesSamples = "basic_attributes_samples",
    }
}

string_enum! {
    /// Field selection of `get_attribute` / `get_attributes` (`targets`), as listed by the Python
    /// client (note its spelling `face_descriptors_samples`).
    pub enum AttributeTarget {
        /// `descriptor`.
        Descriptor = "descriptor",
        /// `basic_attributes`.
        BasicAttributes = "basic_attributes",
        /// `basic_attributes_samples`.
        BasicAttributesSamples = "basic_attributes_samples",
        /// `face_descriptors_samples`.
        FaceDescriptorsSamples = "face_descriptors_samples",
        /// `account_id`.
        AccountId = "account_id",
        /// `create_time`.
        CreateTime = "create_time",
        /// `attribute_id`.
        AttributeId = "attribute_id",
    }
}

/// A face of luna-faces. Every member is optional: `targets` may select a subset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Face {
    /// Face id.
    #[serde(default)]
    pub face_id: Option<Uuid>,
    /// Owner account.
    #[serde(default)]
    pub account_id: Option<Uuid>,
    /// Event the face was created from.
    #[serde(default)]
    pub event_id: Option<Uuid>,
    /// User data.
    #[serde(default)]
    pub user_data: Option<String>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option"
    )]
    pub create_time: Option<OffsetDateTime>,
    /// External id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub avatar: Option<String>,
    /// Lists the face is linked to.
    #[serde(default)]
    pub lists: Option<Vec<Uuid>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of `get_faces`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FacesPage {
    /// The faces.
    #[serde(default)]
    pub faces: Vec<Face>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Answer of `create_face` / `put_face`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CreatedFace {
    /// Id of the face.
    pub face_id: Uuid,
    /// Resource URL (`/3/faces/<id>`), when the service sends it.
    #[serde(default)]
    pub url: Option<String>,
}

/// A list of luna-faces.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FaceList {
    /// List id.
    #[serde(default)]
    pub list_id: Option<Uuid>,
    /// Owner account.
    #[serde(default)]
    pub account_id: Option<Uuid>,
    /// User data.
    #[serde(default)]
    pub user_data: Option<String>,
    /// Creation time.
    #[serde(default, deserialize_with = "time_format::option")]
    pub create_time: Option<OffsetDateTime>,
    /// Last update time.
    #[serde(default, deserialize_with = "time_format::option")]
    pub last_update_time: Option<OffsetDateTime>,
    /// Members this crate does not model (`get_list` adds the list's faces here).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of `get_lists`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ListsPage {
    /// The lists.
    #[serde(default)]
    pub lists: Vec<FaceList>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Answer of `create_list`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CreatedList {
    /// Id of the new list.
    pub list_id: Uuid,
    /// Resource URL, when the service sends it.
    #[serde(default)]
    pub url: Option<String>,
}

/// Answer of `create_attribute`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CreatedAttribute {
    /// Id of the new temporary attribute.
    pub attribute_id: Uuid,
    /// Resource URL, when the service sends it.
    #[serde(default)]
    pub url: Option<String>,
}

/// An attribute: a temporary attribute (`get_attribute`) or the attributes of a face
/// (`get_face_attributes`). Every member is optional (`targets` select a subset).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Attribute {
    /// Attribute id (temporary attributes).
    #[serde(default)]
    pub attribute_id: Option<Uuid>,
    /// Owner account.
    #[serde(default)]
    pub account_id: Option<Uuid>,
    /// Creation time.
    #[serde(default, deserialize_with = "time_format::option")]
    pub create_time: Option<OffsetDateTime>,
    /// Basic attributes.
    #[serde(default)]
    pub basic_attributes: Option<BasicAttributes>,
    /// Descriptor member as sent (`descriptor`, `face_descriptor` or `descriptors`); see
    /// [`Attribute::descriptors`] to decode it.
    #[serde(default, alias = "face_descriptor", alias = "descriptors")]
    pub descriptor: Option<Value>,
    /// Samples the descriptors were extracted from.
    #[serde(
        default,
        alias = "face_descriptor_samples",
        alias = "descriptor_samples"
    )]
    pub face_descriptors_samples: Option<Vec<Uuid>>,
    /// Samples the basic attributes were estimated from.
    #[serde(default)]
    pub basic_attributes_samples: Option<Vec<Uuid>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Attribute {
    /// Decodes the descriptor member: one descriptor or an array, each a base64 SDK blob or a
    /// `{"descriptor", "version"}` object.
    pub fn descriptors(&self) -> Result<Vec<Descriptor>, DescriptorError> {
        fn one(value: &Value) -> Result<Descriptor, DescriptorError> {
            serde_json::from_value(value.clone())
                .map_err(|e| DescriptorError::Base64(e.to_string()))
        }
        match &self.descriptor {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(one).collect(),
            Some(single) => one(single).map(|d| vec![d]),
        }
    }
}

/// Samples of an attribute (`get_attribute_samples`, `get_face_attribute_samples`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AttributeSamples {
    /// Samples of the descriptors.
    #[serde(
        default,
        alias = "face_descriptors_samples",
        alias = "descriptor_samples"
    )]
    pub face_descriptor_samples: Option<Vec<Uuid>>,
    /// Samples of the basic attributes.
    #[serde(default)]
    pub basic_attributes_samples: Option<Vec<Uuid>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of `get_attributes_from_list`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ListAttributeLink {
    /// Attribute id (`attribute_id`, legacy `attributes_id`).
    #[serde(default, alias = "attributes_id")]
    pub attribute_id: Option<Uuid>,
    /// Face id.
    #[serde(default)]
    pub face_id: Option<Uuid>,
    /// Link key.
    #[serde(default)]
    pub link_key: Option<i64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of `get_faces_attributes`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FaceAttributeLink {
    /// Face id.
    #[serde(default)]
    pub face_id: Option<Uuid>,
    /// Attribute id (`attribute_id`, legacy `attributes_id`).
    #[serde(default, alias = "attributes_id")]
    pub attribute_id: Option<Uuid>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// The attribute part of a face or temporary attribute (Python `attributeId`, `descriptors`,
/// `basicAttributes`, `descriptorSamples`, `basicAttributesSamples`).
///
/// Either a reference to a temporary attribute ([`AttributeFields::attribute_id`]) or explicit
/// data (descriptors and/or basic attributes, optionally with their samples).
#[derive(Clone, Debug, Default)]
pub struct AttributeFields {
    attribute_id: Option<Id>,
    descriptors: Vec<std::result::Result<Descriptor, DescriptorError>>,
    basic_attributes: Option<BasicAttributes>,
    descriptor_samples: Vec<Id>,
    basic_attributes_samples: Vec<Id>,
}

impl AttributeFields {
    /// Nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Copies an existing temporary attribute (cannot be combined with explicit data).
    #[must_use]
    pub fn attribute_id(mut self, id: impl Into<Id>) -> Self {
        self.attribute_id = Some(id.into());
        self
    }

    /// Adds a descriptor (at most one per model version).
    #[must_use]
    pub fn descriptor(mut self, descriptor: impl Into<Descriptor>) -> Self {
        self.descriptors.push(Ok(descriptor.into()));
        self
    }

    /// Sets the descriptors (at most one per model version).
    #[must_use]
    pub fn descriptors<D: Into<Descriptor>>(mut self, descriptors: impl IntoIterator<Item = D>) -> Self {
        self.descriptors = descriptors.into_iter().map(|d| Ok(d.into())).collect();
        self
    }

    /// Adds an SDK descriptor given as bytes (Python `bytes`), shared without copying. Bytes
    /// that are not a valid SDK descriptor fail the call with [`Error::InvalidArgument`] before
    /// anything is sent.
    #[must_use]
    pub fn sdk_descriptor_bytes(mut self, bytes: impl Into<Bytes>) -> Self {
        self.descriptors
            .push(crate::descriptor::SdkDescriptor::from_bytes(bytes).map(Descriptor::Sdk));
        self
    }

    /// Sets the basic attributes.
    #[must_use]
    pub fn basic_attributes(mut self, attributes: BasicAttributes) -> Self {
        self.basic_attributes = Some(attributes);
        self
    }

    /// Sets the sample (warp image) ids the descriptors were extracted from.
    #[must_use]
    pub fn descriptor_samples<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.descriptor_samples = collect_ids(ids);
        self
    }

    /// Sets the sample ids the basic attributes were estimated from.
    #[must_use]
    pub fn basic_attributes_samples<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.basic_attributes_samples = collect_ids(ids);
        self
    }

    fn is_empty(&self) -> bool {
        self.attribute_id.is_none()
            && self.descriptors.is_empty()
            && self.basic_attributes.is_none()
            && self.descriptor_samples.is_empty()
            && self.basic_attributes_samples.is_empty()
    }

    /// The wire form, validated: `None` when nothing is set.
    pub(crate) fn to_body(&self) -> Result<Option<AttributeBody<'_>>> {
        if self.is_empty() {
            return Ok(None);
        }
        if let Some(id) = &self.attribute_id {
            if !(self.descriptors.is_empty()
                && self.basic_attributes.is_none()
                && self.descriptor_samples.is_empty()
                && self.basic_attributes_samples.is_empty())
            {
                return Err(Error::invalid(
                    "attribute_id",
                    "an attribute reference cannot be combined with descriptors, basic attributes or samples",
                ));
            }
            return Ok(Some(AttributeBody::Reference {
                attribute_id: id.resolve("attribute_id")?,
            }));
        }
        if self.descriptors.is_empty()
            && self.basic_attributes.as_ref().is_none_or(BasicAttributes::is_empty)
        {
            return Err(Error::invalid(
                "descriptors",
                "an attribute needs descriptors or basic attributes (LUNA error 22022)",
            ));
        }
        let descriptors = self
            .descriptors
            .iter()
            .map(|d| d.clone().map_err(|e| Error::invalid("descriptors", e.to_string())))
            .collect::<Result<Vec<Descriptor>>>()?;
        let mut versions: Vec<u32> = descriptors.iter().map(Descriptor::version).collect();
        versions.sort_unstable();
        if let Some(pair) = versions.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::invalid(
                "descriptors",
                format!(
                    "two descriptors of version {} (LUNA error 22024)",
                    pair[0]
                ),
            ));
        }
        Ok(Some(AttributeBody::Explicit {
            descriptors,
            basic_attributes: self.basic_attributes.as_ref(),
            descriptor_samples: Id::resolve_all(&self.descriptor_samples, "descriptor_samples")?,
            basic_attributes_samples: Id::resolve_all(
                &self.basic_attributes_samples,
                "basic_attributes_samples",
            )?,
        }))
    }
}

/// Wire form of [`AttributeFields`].
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum AttributeBody<'a> {
    Reference {
        attribute_id: Uuid,
    },
    Explicit {
        #[serde(skip_serializing_if = "Vec::is_empty")]
        descriptors: Vec<Descriptor>,
        #[serde(skip_serializing_if = "Option::is_none")]
        basic_attributes: Option<&'a BasicAttributes>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        descriptor_samples: Vec<Uuid>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        basic_attributes_samples: Vec<Uuid>,
    },
}

/// Limits documented by luna-faces, checked before sending.
pub(crate) const USER_DATA_MAX_CHARS: usize = 128;
pub(crate) const EXTERNAL_ID_MAX_CHARS: usize = 36;
pub(crate) const AVATAR_MAX_CHARS: usize = 256;
pub(crate) const LISTS_PER_FACE_MAX: usize = 1000;

pub(crate) fn check_chars(argument: &'static str, value: Option<&str>, max: usize) -> Result<()> {
    match value {
        Some(v) if v.chars().count() > max => Err(Error::invalid(
            argument,
            format!("at most {max} characters, got {}", v.chars().count()),
        )),
        _ => Ok(()),
    }
}

/// The face members a face is created with and a patch may change (event id, user data,
/// external id, avatar), validated and serialized in one place.
#[derive(Clone, Debug, Default)]
struct FaceMembers {
    event_id: Option<Id>,
    user_data: Option<String>,
    external_id: Option<String>,
    avatar: Option<String>,
}

impl FaceMembers {
    fn is_empty(&self) -> bool {
        self.event_id.is_none()
            && self.user_data.is_none()
            && self.external_id.is_none()
            && self.avatar.is_none()
    }

    fn to_body(&self) -> Result<FaceMembersBody<'_>> {
        check_chars("user_data", self.user_data.as_deref(), USER_DATA_MAX_CHARS)?;
        check_chars("external_id", self.external_id.as_deref(), EXTERNAL_ID_MAX_CHARS)?;
        check_chars("avatar", self.avatar.as_deref(), AVATAR_MAX_CHARS)?;
        Ok(FaceMembersBody {
            event_id: self.event_id.as_ref().map(|id| id.resolve("event_id")).transpose()?,
            user_data: self.user_data.as_deref(),
            external_id: self.external_id.as_deref(),
            avatar: self.avatar.as_deref(),
        })
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct FaceMembersBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    event_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar: Option<&'a str>,
}

/// Setters of the [`FaceMembers`] of a builder with a `members` field.
macro_rules! face_member_setters {
    () => {
        /// Event id (`event_id`).
        #[must_use]
        pub fn event_id(mut self, id: impl Into<Id>) -> Self {
            self.members.event_id = Some(id.into());
            self
        }

        /// User data (`user_data`, ≤ 128 characters).
        #[must_use]
        pub fn user_data(mut self, user_data: impl Into<String>) -> Self {
            self.members.user_data = Some(user_data.into());
            self
        }

        /// External id (`external_id`, ≤ 36 characters).
        #[must_use]
        pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
            self.members.external_id = Some(external_id.into());
            self
        }

        /// Avatar URL (`avatar`, ≤ 256 characters).
        #[must_use]
        pub fn avatar(mut self, avatar: impl Into<String>) -> Self {
            self.members.avatar = Some(avatar.into());
            self
        }
    };
}

/// A face to create (`create_face`) or to put under a chosen id (`put_face`).
#[derive(Clone, Debug, Default)]
pub struct NewFace {
    members: FaceMembers,
    attribute: AttributeFields,
    list_ids: Vec<Id>,
}

impl NewFace {
    /// A face with nothing set (the service fills defaults).
    pub fn new() -> Self {
        Self::default()
    }

    face_member_setters!();

    /// The face's attribute (reference or explicit data).
    #[must_use]
    pub fn attribute(mut self, attribute: AttributeFields) -> Self {
        self.attribute = attribute;
        self
    }

    /// Lists to attach the face to (1 to 1000 ids).
    #[must_use]
    pub fn list_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.list_ids = collect_ids(ids);
        self
    }

    pub(crate) fn to_body(&self) -> Result<NewFaceBody<'_>> {
        if self.list_ids.len() > LISTS_PER_FACE_MAX {
            return Err(Error::invalid(
                "list_ids",
                format!("at most {LISTS_PER_FACE_MAX} lists"),
            ));
        }
        Ok(NewFaceBody {
            attribute: self.attribute.to_body()?,
            members: self.members.to_body()?,
            lists: Id::resolve_all(&self.list_ids, "list_ids")?,
        })
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct NewFaceBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<AttributeBody<'a>>,
    #[serde(flatten)]
    members: FaceMembersBody<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lists: Vec<Uuid>,
}

/// Changes of `patch_face` (only the members set are sent; at least one is required).
#[derive(Clone, Debug, Default)]
pub struct FacePatch {
    members: FaceMembers,
}

impl FacePatch {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }

    face_member_setters!();

    pub(crate) fn to_body(&self) -> Result<FaceMembersBody<'_>> {
        if self.members.is_empty() {
            return Err(Error::invalid("patch", "nothing to update"));
        }
        self.members.to_body()
    }
}

/// A temporary attribute to create (`create_attribute`) or put (`put_attribute`).
///
/// Either explicit data ([`AttributeFields`] without `attribute_id`) or an XPK file (Python
/// `xpk`, which overrides the explicit data).
#[derive(Clone, Debug, Default)]
pub struct NewAttribute {
    fields: AttributeFields,
    xpk: Option<Bytes>,
    ttl: Option<u32>,
}

/// Longest temporary-attribute lifetime luna-faces accepts by default (seconds).
pub const ATTRIBUTE_TTL_MAX: u32 = 86_400;

impl NewAttribute {
    /// An attribute from explicit data.
    pub fn new(fields: AttributeFields) -> Self {
        NewAttribute {
            fields,
            xpk: None,
            ttl: None,
        }
    }

    /// An attribute loaded from an SDK object file (XPK; deprecated by luna-faces 4.12.1).
    pub fn from_xpk(xpk: impl Into<Bytes>) -> Self {
        NewAttribute {
            fields: AttributeFields::default(),
            xpk: Some(xpk.into()),
            ttl: None,
        }
    }

    /// Lifetime in seconds (1 to 86400; service default 300).
    #[must_use]
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = Some(seconds);
        self
    }

    pub(crate) fn ttl_checked(&self) -> Result<Option<u32>> {
        match self.ttl {
            Some(0) => Err(Error::invalid("ttl", "must be at least 1 second")),
            Some(t) if t > ATTRIBUTE_TTL_MAX => Err(Error::invalid(
                "ttl",
                format!("at most {ATTRIBUTE_TTL_MAX} seconds, got {t}"),
            )),
            other => Ok(other),
        }
    }

    pub(crate) fn xpk(&self) -> Option<&Bytes> {
        self.xpk.as_ref()
    }

    pub(crate) fn fields(&self) -> &AttributeFields {
        &self.fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::{RawDescriptor, SdkDescriptor};
    use crate::model::common::Gender;

    fn sdk(version: u32) -> SdkDescriptor {
        SdkDescriptor::new(version, &[7u8; 512]).unwrap()
    }

    #[test]
    fn explicit_attribute_body_uses_wire_names() {
        let sample = Uuid::new_v4();
        let fields = AttributeFields::new()
            .descriptor(sdk(59))
            .descriptor(RawDescriptor::new(vec![1u8; 512], 58).unwrap())
            .basic_attributes(BasicAttributes::new().age(30).gender(Gender::Female))
            .descriptor_samples([sample])
            .basic_attributes_samples([sample.to_string()]);
        let json = serde_json::to_value(fields.to_body().unwrap()).unwrap();
        assert_eq!(json["descriptors"][0], sdk(59).to_base64());
        assert_eq!(json["descriptors"][1]["version"], 58);
        assert_eq!(json["basic_attributes"]["age"], 30);
        assert_eq!(json["basic_attributes"]["gender"], 0);
        assert_eq!(json["descriptor_samples"][0], sample.to_string());
        assert_eq!(json["basic_attributes_samples"][0], sample.to_string());
    }

    #[test]
    fn attribute_rules_are_checked_before_sending() {
        let id = Uuid::new_v4();
        assert!(AttributeFields::new().to_body().unwrap().is_none());
        let fields = AttributeFields::new().attribute_id(id);
        let reference = fields.to_body().unwrap();
        assert_eq!(
            serde_json::to_value(reference).unwrap(),
            serde_json::json!({"attribute_id": id.to_string()})
        );
        assert!(AttributeFields::new()
            .attribute_id(id)
            .descriptor(sdk(59))
            .to_body()
            .is_err());
        assert!(AttributeFields::new()
            .descriptor_samples([id])
            .to_body()
            .is_err());
        assert!(AttributeFields::new()
            .descriptors([sdk(59), sdk(59)])
            .to_body()
            .is_err());
    }

    #[test]
    fn face_limits_are_checked() {
        assert!(NewFace::new().user_data("x".repeat(129)).to_body().is_err());
        assert!(NewFace::new().external_id("x".repeat(37)).to_body().is_err());
        assert!(NewFace::new().avatar("x".repeat(257)).to_body().is_err());
        assert!(NewFace::new().list_ids(["nope"]).to_body().is_err());
        assert!(NewFace::new().user_data("é".repeat(128)).to_body().is_ok());
        assert!(FacePatch::new().to_body().is_err());
    }

    #[test]
    fn decodes_faces_with_unknown_members_and_nulls() {
        let json = r#"{"faces":[{"face_id":"3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11","account_id":null,
            "event_id":null,"user_data":"u","create_time":"2024-01-31T12:00:00.123+03:00",
            "external_id":"","avatar":"","lists":[],"new_member":{"x":1}}],"total":1}"#;
        let page: FacesPage = serde_json::from_str(json).unwrap();
        let face = &page.faces[0];
        assert_eq!(face.user_data.as_deref(), Some("u"));
        assert_eq!(face.create_time.unwrap().unix_timestamp(), 1706691600);
        assert_eq!(face.extra["new_member"]["x"], 1);
        assert_eq!(page.extra["total"], 1);
    }

    #[test]
    fn attribute_descriptor_member_decodes_both_forms() {
        let json = serde_json::json!({
            "attribute_id": Uuid::new_v4(),
            "face_descriptor": [sdk(59).to_base64(), {"descriptor": base64_of(&[1u8; 512]), "version": 58}],
            "face_descriptor_samples": [Uuid::new_v4()],
        });
        let attribute: Attribute = serde_json::from_value(json).unwrap();
        let descriptors = attribute.descriptors().unwrap();
        assert_eq!(descriptors.len(), 2);
        assert_eq!(descriptors[0].version(), 59);
        assert_eq!(descriptors[1].version(), 58);
        assert_eq!(attribute.face_descriptors_samples.unwrap().len(), 1);
    }

    fn base64_of(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}
