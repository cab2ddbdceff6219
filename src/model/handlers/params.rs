//! Parameters of luna-handlers calls: handler and verifier queries, the per-event parameters
//! of `emit_events`, detection, extraction and verification parameters and inputs, and the
//! constants of those calls. Each type writes its wire names in one place (`write`), which the
//! unit tests pin without HTTP.
//!
//! Where the reference leaves the wire open, the choice is made once here (or in the policies
//! and answers of [`model::handlers`](crate::model::handlers)) and listed in the wire notes.

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use time::OffsetDateTime;

use crate::descriptor::SdkDescriptor;
use crate::error::{Error, Result};
use crate::id::{collect_ids, Id};
use crate::model::faces::{check_chars, ATTRIBUTE_TTL_MAX};
use crate::model::handlers::{HandlerType, Policies};
use crate::model::images::{content_type_value, BinaryImage, ImageType, MULTIPART_IMAGE_PART};
use crate::model::common::FaceSelection;
use crate::multipart::Multipart;
use crate::declare::params;
use crate::transport::RequestBody;
use crate::query::{format_time, Query};

/// Largest `page_size` of `get_handlers` / `get_verifiers` (LUNA's usual cap; see the wire
/// Path of `upgrade_object_from_sample` (not published; see the wire notes).
pub const UPGRADE_PATH: &str = "/upgrade";
/// Page size used by `iter_handlers` / `iter_verifiers` when the query sets none.
pub const DEFAULT_ITER_PAGE_SIZE: u32 = HANDLERS_PAGE_SIZE_MAX;
/// notes).
pub const HANDLERS_PAGE_SIZE_MAX: u32 = 100;
/// Longest `user_data` and `source` of an emitted event (characters).
pub const EVENT_TEXT_MAX_CHARS: usize = 128;
/// Header carrying the event creation time of `emit_events`.
pub const EVENT_TIME_HEADER: &str = "luna-event-time";
/// Header carrying the event end time of `emit_events`.
pub const EVENT_END_TIME_HEADER: &str = "luna-event-end-time";
/// `Content-Type` of an SDK descriptor given to `verify_data` (see the wire notes).
pub const DESCRIPTOR_CONTENT_TYPE: &str = "application/x-vl-sdk-descriptor";
/// Name of each descriptor part of a multipart `verify_data` body (see the wire notes).
pub const MULTIPART_DESCRIPTOR_PART: &str = "descriptor";

params! {
    /// Filters and paging of `get_handlers` / `get_handlers_count` (Python `description`,
    /// `handlerType`, `page`, `pageSize`; the count ignores paging).
    #[derive(Clone, Debug, Default, PartialEq)]
    #[non_exhaustive]
    pub struct HandlersQuery {
        /// Handlers whose description is "like" this text (`description`).
        description: text => "description",
        /// Handlers of this type (`handler_type`).
        handler_type: value(HandlerType) => "handler_type",
        /// Page number, from 1 (`page`).
        page: page => "page",
        /// Page size, 1…[`HANDLERS_PAGE_SIZE_MAX`] (`page_size`).
        page_size: page_size(HANDLERS_PAGE_SIZE_MAX) => "page_size",
    }
    new("No filter: the first page (server defaults: page 1, 10 per page).");
    limit(page_size);
}

params! {
    /// Filters and paging of `get_verifiers` / `get_verifiers_count` (Python `description`,
    /// `page`, `pageSize`; the count ignores paging).
    #[derive(Clone, Debug, Default, PartialEq)]
    #[non_exhaustive]
    pub struct VerifiersQuery {
        /// Verifiers whose description is "like" this text (`description`).
        description: text => "description",
        /// Page number, from 1 (`page`).
        page: page => "page",
        /// Page size, 1…[`HANDLERS_PAGE_SIZE_MAX`] (`page_size`).
        page_size: page_size(HANDLERS_PAGE_SIZE_MAX) => "page_size",
    }
    new("No filter: the first page.");
    limit(page_size);
}

params! {
    /// Per-event parameters of `emit_events` (Python `emitEvents` keyword arguments). Only what
    /// is set is sent: query parameters, the two event-time headers, and `policies` / `meta` as
    /// extra members of the body.
    #[derive(Clone, Debug, Default, PartialEq)]
    #[non_exhaustive]
    pub struct EmitEventsParams {
        /// Policies of a dynamic handler (body member).
        policies: other(Option<Policies>) => "policies",
        /// External id of the event (`external_id`).
        external_id: text => "external_id",
        /// User data, at most 128 characters (`user_data`).
        user_data: text => "user_data",
        /// Aggregate the attributes of every image into one event (`aggregate_attributes`).
        aggregate_attributes: flag => "aggregate_attributes",
        /// Source, at most 128 characters (`source`).
        source: text => "source",
        /// Video stream id (`stream_id`).
        stream_id: id => "stream_id",
        /// City (`city`).
        city: text => "city",
        /// Area (`area`).
        area: text => "area",
        /// District (`district`).
        district: text => "district",
        /// Street (`street`).
        street: text => "street",
        /// House number (`house_number`).
        house_number: text => "house_number",
        /// Tags (`tags`, comma-separated).
        tags: texts => "tags",
        /// Latitude (set by `geo_position`).
        latitude: plain(f64) => "latitude",
        /// Longitude (set by `geo_position`).
        longitude: plain(f64) => "longitude",
        /// What the images are (`image_type`: raw images, face or body warps).
        image_type: value(ImageType) => "image_type",
        /// Track id (`track_id`).
        track_id: text => "track_id",
        /// Auto-orient images by their EXIF data (`use_exif_info`).
        use_exif_info: flag => "use_exif_info",
        /// Event creation time (header).
        event_time: other(Option<OffsetDateTime>) => "Luna-Event-Time",
        /// Event end time (header).
        event_end_time: other(Option<OffsetDateTime>) => "Luna-Event-End-Time",
        /// User-defined metadata of the event (body member).
        meta: other(Option<Value>) => "meta",
    }
    new("Nothing set.");
    check(check_query);
}

impl EmitEventsParams {
    /// Policies of a dynamic handler (Python `policies`): sent with the images.
    #[must_use]
    pub fn policies(mut self, policies: Policies) -> Self {
        self.policies = Some(policies);
        self
    }

    /// Position in degrees (`latitude` -90…90, `longitude` -180…180).
    #[must_use]
    pub fn geo_position(mut self, latitude: f64, longitude: f64) -> Self {
        self.latitude = Some(latitude);
        self.longitude = Some(longitude);
        self
    }

    /// Event creation time (header `Luna-Event-Time`, RFC 3339 UTC).
    #[must_use]
    pub fn event_time(mut self, time: OffsetDateTime) -> Self {
        self.event_time = Some(time);
        self
    }

    /// Event end time (header `Luna-Event-End-Time`, RFC 3339 UTC).
    #[must_use]
    pub fn event_end_time(mut self, time: OffsetDateTime) -> Self {
        self.event_end_time = Some(time);
        self
    }

    /// User-defined metadata of the event (Python `meta`): sent with the images.
    #[must_use]
    pub fn meta(mut self, meta: Value) -> Self {
        self.meta = Some(meta);
        self
    }

    /// Checks lengths, coordinates and tags.
    fn check_query(&self) -> Result<()> {
        check_chars("user_data", self.user_data.as_deref(), EVENT_TEXT_MAX_CHARS)?;
        check_chars("source", self.source.as_deref(), EVENT_TEXT_MAX_CHARS)?;
        crate::query::check_coordinates(
            ("latitude", self.latitude),
            ("longitude", self.longitude),
        )?;
        if let Some(tag) = self.tags.iter().find(|t| t.contains(',') || t.is_empty()) {
            return Err(Error::invalid(
                "tags",
                format!("{tag:?} is empty or contains a comma, the list separator"),
            ));
        }
        Ok(())
    }

    /// Writes the query (checked: lengths, coordinates, stream id, tags).
    pub(crate) fn write(&self, q: &mut Query) -> Result<()> {
        self.write_params(q, true)
    }

    /// The event-time headers.
    pub(crate) fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, time) in [
            (EVENT_TIME_HEADER, self.event_time),
            (EVENT_END_TIME_HEADER, self.event_end_time),
        ] {
            if let Some(time) = time {
                let value = HeaderValue::from_str(&format_time(time))
                    .expect("an RFC 3339 time is a valid header value");
                headers.insert(HeaderName::from_static(name), value);
            }
        }
        headers
    }

    /// The extra body members: `policies` (checked) and `meta`.
    pub(crate) fn body_extras(&self) -> Result<Vec<(&'static str, Value)>> {
        let mut extras = Vec::new();
        if let Some(policies) = &self.policies {
            policies.check()?;
            let value = crate::finite::to_value(policies, "policies")?;
            extras.push(("policies", value));
        }
        if let Some(meta) = &self.meta {
            extras.push(("meta", meta.clone()));
        }
        Ok(extras)
    }
}

params! {
    /// Parameters of `detect_faces` (Python `detectFaces` keyword arguments). Only what is set
    /// is sent; the server's defaults apply to the rest.
    #[derive(Clone, Debug, Default, PartialEq)]
    #[non_exhaustive]
    pub struct DetectParams {
        /// Face selection: `multiface_policy` (sent first) and the head-pose limits (sent last).
        selection: other(FaceSelection) => "multiface_policy",
        /// Estimate the head pose (Python `estimateHeadPose`).
        estimate_head_pose: flag => "estimate_head_pose",
        /// Detect 68 landmarks (Python `detectLandmarks68`).
        detect_landmarks68: flag => "detect_landmarks68",
        /// Return EXIF data (Python `extractExif`).
        extract_exif: flag => "extract_exif",
        /// Estimate the image quality (Python `estimateQuality`).
        estimate_quality: flag => "estimate_quality",
        /// Estimate the gaze (Python `estimateGaze`).
        estimate_gaze: flag => "estimate_gaze",
        /// Estimate eye attributes (Python `estimateEyesAttributes`).
        estimate_eyes_attributes: flag => "estimate_eyes_attributes",
        /// Estimate emotions (Python `estimateEmotions`).
        estimate_emotions: flag => "estimate_emotions",
        /// Estimate the mask (Python `estimateMask`).
        estimate_mask: flag => "estimate_mask",
        /// Estimate mouth attributes (Python `estimateMouthAttributes`).
        estimate_mouth_attributes: flag => "estimate_mouth_attributes",
        /// Auto-orient images by EXIF (Python `useExifInfo`).
        use_exif_info: flag => "use_exif_info",
        /// Estimate face quality (Python `estimateFaceQuality`).
        estimate_face_quality: flag => "estimate_face_quality",
        /// What the images are (`image_type`).
        image_type: value(ImageType) => "image_type",
    }
    new("Nothing set.");
    /// Every 0/1 flag of `detect_faces`, in the order they are sent.
    flag_names(pub const DETECT_FLAGS);
}

impl DetectParams {
    crate::model::common::face_selection_setters!(selection);

    /// Whether the images are face warps (Python `warpedImage`): `image_type=1|0`.
    #[must_use]
    pub fn warped_image(self, warped: bool) -> Self {
        self.image_type(if warped {
            ImageType::FaceWarp
        } else {
            ImageType::RawImage
        })
    }

    /// Writes the query; checks the angles.
    pub(crate) fn write(&self, q: &mut Query) -> Result<()> {
        self.selection.write_around(q, |q| self.write_params(q, true))
    }
}

params! {
    /// Parameters of `extract_attr_from_sample` (Python `extractAttrFromSample` keyword
    /// arguments; server defaults: descriptor yes, basic attributes no, no aggregation,
    /// threshold 0).
    #[derive(Clone, Debug, Default, PartialEq)]
    #[non_exhaustive]
    pub struct ExtractParams {
        /// Extract the face descriptor (`extract_descriptor`; default yes).
        extract_descriptor: flag => "extract_descriptor",
        /// Extract basic attributes (`extract_basic_attributes`; default no).
        extract_basic_attributes: flag => "extract_basic_attributes",
        /// Store one attribute aggregated over every sample (`aggregate_attributes`).
        aggregate_attributes: flag => "aggregate_attributes",
        /// Descriptor quality threshold, 0…1 (`score_threshold`).
        score_threshold: unit => "score_threshold",
        /// Lifetime of the temporary attributes, 1…86400 seconds (`ttl`).
        ttl: value(u32) => "ttl",
    }
    new("Nothing set.");
    check(check_extract);
}

impl ExtractParams {
    /// Writes the query (checked: something to extract, threshold, ttl).
    pub(crate) fn write(&self, q: &mut Query) -> Result<()> {
        self.write_params(q, true)
    }

    /// Something to extract, threshold and ttl in range.
    fn check_extract(&self) -> Result<()> {
        if !self.extract_descriptor.unwrap_or(true) && !self.extract_basic_attributes.unwrap_or(false)
        {
            return Err(Error::invalid(
                "extract_descriptor",
                "nothing to extract: enable the descriptor or the basic attributes",
            ));
        }
        if let Some(ttl) = self.ttl {
            if ttl == 0 || ttl > ATTRIBUTE_TTL_MAX {
                return Err(Error::invalid(
                    "ttl",
                    format!("{ttl} is not in 1…{ATTRIBUTE_TTL_MAX} seconds"),
                ));
            }
        }
        Ok(())
    }
}

/// What `verify_data` verifies against: one set of objects (the service accepts only one).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum VerifyAgainst {
    /// Faces by id (`face_ids`).
    Faces(Vec<Id>),
    /// Events by id (`event_ids`).
    Events(Vec<Id>),
    /// Faces by external id (`external_ids`).
    ExternalIds(Vec<String>),
    /// Temporary attributes by id (`attribute_ids`).
    Attributes(Vec<Id>),
}

impl VerifyAgainst {
    /// Faces by id.
    pub fn faces<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        VerifyAgainst::Faces(collect_ids(ids))
    }

    /// Events by id.
    pub fn events<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        VerifyAgainst::Events(collect_ids(ids))
    }

    /// Faces by external id.
    pub fn external_ids<S: Into<String>>(ids: impl IntoIterator<Item = S>) -> Self {
        VerifyAgainst::ExternalIds(ids.into_iter().map(Into::into).collect())
    }

    /// Temporary attributes by id.
    pub fn attributes<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        VerifyAgainst::Attributes(collect_ids(ids))
    }

    /// Writes the one id list (checked: not empty, UUIDs, no comma in external ids).
    pub(crate) fn write(&self, q: &mut Query) -> Result<()> {
        let (name, values): (&'static str, Vec<String>) = match self {
            VerifyAgainst::Faces(ids) => ("face_ids", uuids(ids, "face_ids")?),
            VerifyAgainst::Events(ids) => ("event_ids", uuids(ids, "event_ids")?),
            VerifyAgainst::Attributes(ids) => ("attribute_ids", uuids(ids, "attribute_ids")?),
            VerifyAgainst::ExternalIds(ids) => {
                if let Some(bad) = ids.iter().find(|i| i.is_empty() || i.contains(',')) {
                    return Err(Error::invalid(
                        "external_ids",
                        format!("{bad:?} is empty or contains a comma, the list separator"),
                    ));
                }
                ("external_ids", ids.clone())
            }
        };
        if values.is_empty() {
            return Err(Error::invalid(name, "at least one id is required"));
        }
        q.push_list(name, values);
        Ok(())
    }
}

fn uuids(ids: &[Id], argument: &'static str) -> Result<Vec<String>> {
    Ok(Id::resolve_all(ids, argument)?
        .into_iter()
        .map(|u| u.to_string())
        .collect())
}

params! {
    /// Parameters of `verify_data` besides its inputs and targets (Python `imageType`,
    /// `useExifInfo`).
    #[derive(Clone, Debug, Default, PartialEq)]
    #[non_exhaustive]
    pub struct VerifyParams {
        /// What the images are (`image_type`: raw image or face warp).
        image_type: value(ImageType) => "image_type",
        /// Auto-orient images by EXIF (`use_exif_info`).
        use_exif_info: flag => "use_exif_info",
    }
    new("Nothing set.");
}

impl VerifyParams {
    pub(crate) fn write(&self, q: &mut Query) {
        // A value and a flag: no convention here can fail a check.
        let _ = self.write_params(q, true);
    }
}

/// One input of `verify_data`: an image or a descriptor (Python `BinaryImage` /
/// `BinaryDescriptorData`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyItem {
    /// An image.
    Image(BinaryImage),
    /// An SDK descriptor.
    Descriptor(SdkDescriptor),
}

impl From<BinaryImage> for VerifyItem {
    fn from(image: BinaryImage) -> Self {
        VerifyItem::Image(image)
    }
}

impl From<SdkDescriptor> for VerifyItem {
    fn from(descriptor: SdkDescriptor) -> Self {
        VerifyItem::Descriptor(descriptor)
    }
}

/// The inputs of `verify_data`: one image or one descriptor as the body, or several (images
/// and descriptors mixed) as a multipart body.
///
/// | form | wire |
/// |---|---|
/// | one image | the bytes, `Content-Type` = the image's |
/// | one descriptor | the SDK descriptor bytes, `Content-Type: application/x-vl-sdk-descriptor` |
/// | several | `multipart/form-data`: `image` parts (file name `image_<n>` unless set) and `descriptor` parts (file name `descriptor_<n>`) |
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyInput {
    /// One input as the body.
    One(VerifyItem),
    /// Several inputs as a multipart body, in this order.
    Many(Vec<VerifyItem>),
}

impl VerifyInput {
    /// Several inputs.
    pub fn many<T: Into<VerifyItem>>(items: impl IntoIterator<Item = T>) -> Self {
        VerifyInput::Many(items.into_iter().map(Into::into).collect())
    }

    /// The body and its content type (checked).
    pub(crate) fn to_body(&self) -> Result<(RequestBody, HeaderValue)> {
        match self {
            VerifyInput::One(VerifyItem::Image(image)) => {
                if image.bytes().is_empty() {
                    return Err(Error::invalid("input", "an image is empty"));
                }
                Ok((image.bytes().clone().into(), content_type_value(image.content_type())?))
            }
            VerifyInput::One(VerifyItem::Descriptor(descriptor)) => Ok((
                descriptor.as_bytes().clone().into(),
                HeaderValue::from_static(DESCRIPTOR_CONTENT_TYPE),
            )),
            VerifyInput::Many(items) => {
                if items.is_empty() {
                    return Err(Error::invalid("input", "no input given"));
                }
                let mut multipart = Multipart::new();
                let (mut images, mut descriptors) = (0, 0);
                for item in items {
                    multipart = match item {
                        VerifyItem::Image(image) => {
                            images += 1;
                            if image.bytes().is_empty() {
                                return Err(Error::invalid("input", "an image is empty"));
                            }
                            let name = image
                                .name()
                                .map(str::to_owned)
                                .unwrap_or_else(|| format!("image_{images}"));
                            multipart.part(
                                MULTIPART_IMAGE_PART,
                                Some(&name),
                                image.content_type(),
                                image.bytes().clone(),
                            )?
                        }
                        VerifyItem::Descriptor(descriptor) => {
                            descriptors += 1;
                            multipart.part(
                                MULTIPART_DESCRIPTOR_PART,
                                Some(&format!("descriptor_{descriptors}")),
                                DESCRIPTOR_CONTENT_TYPE,
                                descriptor.as_bytes().clone(),
                            )?
                        }
                    };
                }
                Ok(multipart.finish())
            }
        }
    }
}

impl From<BinaryImage> for VerifyInput {
    fn from(image: BinaryImage) -> Self {
        VerifyInput::One(VerifyItem::Image(image))
    }
}

impl From<SdkDescriptor> for VerifyInput {
    fn from(descriptor: SdkDescriptor) -> Self {
        VerifyInput::One(VerifyItem::Descriptor(descriptor))
    }
}

impl From<Vec<VerifyItem>> for VerifyInput {
    fn from(items: Vec<VerifyItem>) -> Self {
        VerifyInput::Many(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const ID: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";

    fn pairs(write: impl FnOnce(&mut Query) -> Result<()>) -> Vec<(String, String)> {
        let mut q = Query::new();
        write(&mut q).unwrap();
        q.pairs()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_emit_parameter_has_its_wire_name() {
        let params = EmitEventsParams::new()
            .external_id("e")
            .user_data("u")
            .aggregate_attributes(true)
            .source("s")
            .stream_id(ID)
            .city("c")
            .area("a")
            .district("d")
            .street("st")
            .house_number("h")
            .tags(["t1", "t2"])
            .geo_position(-90.0, 180.0)
            .image_type(ImageType::BodyWarp)
            .track_id("tr")
            .use_exif_info(true)
            .event_time(datetime!(2024-01-31 15:00 +03:00))
            .meta(serde_json::json!({"m": 1}));
        let mut q = Query::new();
        params.write(&mut q).unwrap();
        crate::catalogue::assert_declared(&crate::catalogue::handlers::EMIT_EVENTS, &q);
        assert_eq!(
            pairs(|q| params.write(q)),
            owned(&[
                ("external_id", "e"),
                ("user_data", "u"),
                ("aggregate_attributes", "1"),
                ("source", "s"),
                ("stream_id", ID),
                ("city", "c"),
                ("area", "a"),
                ("district", "d"),
                ("street", "st"),
                ("house_number", "h"),
                ("tags", "t1,t2"),
                ("latitude", "-90"),
                ("longitude", "180"),
                ("image_type", "2"),
                ("track_id", "tr"),
                ("use_exif_info", "1"),
            ])
        );
        let headers = params.headers();
        assert_eq!(headers[EVENT_TIME_HEADER], "2024-01-31T12:00:00Z");
        assert!(!headers.contains_key(EVENT_END_TIME_HEADER));
        let extras = params.body_extras().unwrap();
        assert_eq!(extras, vec![("meta", serde_json::json!({"m": 1}))]);
        assert!(pairs(|q| EmitEventsParams::new().write(q)).is_empty());
        assert!(EmitEventsParams::new().headers().is_empty());
    }

    #[test]
    fn detect_extract_verify_and_list_queries() {
        assert_eq!(DETECT_FLAGS.len(), 11);
        assert_eq!(
            pairs(|q| DetectParams::new().warped_image(false).estimate_mask(true).write(q)),
            owned(&[("estimate_mask", "1"), ("image_type", "0")])
        );
        assert_eq!(
            pairs(|q| ExtractParams::new().extract_descriptor(false).extract_basic_attributes(true).write(q)),
            owned(&[("extract_descriptor", "0"), ("extract_basic_attributes", "1")])
        );
        assert!(ExtractParams::new().score_threshold(f64::NAN).write(&mut Query::new()).is_err());
        assert_eq!(
            pairs(|q| VerifyAgainst::events([ID, ID]).write(q)),
            owned(&[("event_ids", &format!("{ID},{ID}"))])
        );
        assert_eq!(
            pairs(|q| HandlersQuery::new().description("d").page(2).page_size(5).write_params(q, false)),
            owned(&[("description", "d")])
        );
        assert_eq!(
            pairs(|q| VerifiersQuery::new().page(2).page_size(5).write_params(q, true)),
            owned(&[("page", "2"), ("page_size", "5")])
        );
    }

    #[test]
    fn one_descriptor_is_the_raw_body() {
        let sdk = SdkDescriptor::new(59, &[1u8; 512]).unwrap();
        let (body, content_type) = VerifyInput::from(sdk.clone()).to_body().unwrap();
        assert_eq!(body.to_vec(), sdk.as_bytes().to_vec());
        assert_eq!(content_type, DESCRIPTOR_CONTENT_TYPE);
        assert!(VerifyInput::from(BinaryImage::jpeg(Vec::new())).to_body().is_err());
    }
}
