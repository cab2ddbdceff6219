//! luna-handlers data types (mode-free): the requests (handlers and their policy tree,
//! verifiers and their policies, the parameters and inputs of emitting events, detecting,
//! extracting and verifying, with the constants of those calls) and the answers of those calls.
//!
//! **Policies are data.** Every policy member is optional and only what is set is sent, so the
//! server's defaults apply to the rest; every policy object keeps members this crate does not
//! model in its `extra` map. A handler built in Rust therefore goes to JSON and back unchanged
//! (`policies_round_trip` test), and a handler read from a newer server loses nothing.
//!
//! Flags are `bool` in Rust and `0`/`1` on the wire (`true`/`false` are also read).
//! Candidates of match policies reuse the matching filter types
//! ([`crate::model::matching::MatchFilters`]: faces by [`crate::model::faces::FacesQuery`],
//! events by [`crate::model::events::EventsQuery`]); the `filters` of a sub-policy reuse the
//! events filters ([`PolicyFilters::events`]) in their JSON form.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::common::{BasicAttributes, ItemError};
use super::events::{Detection, DetectionInfo, Event, MatchResult, Rect};
use super::faces::{Face, ATTRIBUTE_TTL_MAX};
use super::common::FaceSelection;
use super::remote_sdk::{AggregateEstimations, LivenessState, MaskState};
use super::{string_enum, time_format, wire_enum};
use crate::error::{Error, Result};
use crate::filters::JsonFilters;
use crate::model::matching::{check_limit, check_threshold, MatchFilters};
use crate::model::events::EventsQuery;

pub use super::common::ANGLE_THRESHOLD_MAX;

mod params;
pub use params::*;

/// `0`/`1` flags: written as integers, read from integers or booleans.
mod flag {
    use super::*;

    pub(super) fn serialize<S: Serializer>(value: &Option<bool>, s: S) -> std::result::Result<S::Ok, S::Error> {
        match value {
            Some(on) => s.serialize_u8(u8::from(*on)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<bool>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(Value::Number(n)) => Some(n.as_f64().is_some_and(|v| v != 0.0)),
            Some(other) => {
                return Err(serde::de::Error::custom(format!("a 0/1 flag, got {other}")))
            }
        })
    }
}

/// Declares optional `0`/`1` flags with their setters (one definition per flag).
macro_rules! flags {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {
        $(
            $(#[$doc])*
            #[doc = concat!("\n\nWire: `", stringify!($name), "` (`0`/`1`).")]
            #[must_use]
            pub fn $name(mut self, on: bool) -> Self {
                self.$name = Some(on);
                self
            }
        )*
    };
}

use crate::query::check_unit;

mod answers;
mod handler;
mod policies;
mod stream;
mod upgrade;
pub use answers::*;
pub use handler::*;
pub use policies::*;
pub use stream::*;
pub use upgrade::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::events::{Emotion, OrNull};
    use crate::model::matching::AttributeFilters;
    use crate::model::faces::FacesQuery;
    use serde_json::json;
    use time::macros::datetime;

    const LIST: &str = "5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33";
    const EVENT: &str = "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55";
    const FACE: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
    const SAMPLE: &str = "2c3d4e5f-6f0e-4a5c-9a55-8c1a0d1f1a88";

    fn adults() -> PolicyFilters {
        PolicyFilters::events(
            &EventsQuery::new()
                .age_gte(18)
                .emotions([OrNull::Value(Emotion::Happiness), OrNull::Null]),
        )
        .unwrap()
        .match_condition(MatchCondition::new("staff").similarity_gte(0.8).similarity_lt(1.0))
    }

    /// A handler with every sub-policy and every modelled member set.
    pub(crate) fn full_handler() -> NewHandler {
        let detect = DetectPolicy::new()
            .multiface_policy(crate::model::common::MultifacePolicy::Best)
            .detect_face(true)
            .detect_body(true)
            .detect_landmarks68(false)
            .estimate_head_pose(true)
            .estimate_emotions(true)
            .estimate_mask(true)
            .estimate_glasses(true)
            .estimate_eyes_attributes(true)
            .estimate_gaze(true)
            .estimate_mouth_attributes(true)
            .estimate_quality(true)
            .extract_exif(true)
            .estimate_liveness(LivenessPolicy::estimate().liveness_threshold(0.6).quality_threshold(0.5))
            .liveness_states([LivenessState::Real])
            .mask_states([MaskState::Missing, MaskState::MedicalMask])
            .pitch_threshold(20)
            .roll_threshold(30)
            .yaw_threshold(40)
            .body_attributes(
                BodyAttributesPolicy::new()
                    .estimate_basic_attributes(true)
                    .estimate_upper_body(true)
                    .estimate_lower_body(false)
                    .estimate_accessories(true),
            )
            .face_quality(
                FaceQualityPolicy::estimate()
                    .check("head_yaw", QualityCheck::with_threshold(json!({"min": -5, "max": 5})))
                    .check("image_modification", QualityCheck::estimate()),
            );
        let extract = ExtractPolicy::new()
            .extract_face_descriptor(true)
            .extract_body_descriptor(false)
            .extract_basic_attributes(true)
            .fd_score_threshold(0.5);
        let storage = StoragePolicy::new()
            .face_sample_policy(SamplePolicy::new(true).filters(adults()))
            .body_sample_policy(SamplePolicy::new(false))
            .image_origin_policy(ImageOriginPolicy::new(true).use_external_references(true))
            .attribute_policy(AttributePolicy::new(true).ttl(3600))
            .face_policy(
                FacePolicy::new(true)
                    .set_sample_as_avatar(true)
                    .link_to_list(LinkToListPolicy::new(LIST.parse().unwrap()).filters(adults()))
                    .filters(PolicyFilters::new().field("liveness", json!([1]))),
            )
            .event_policy(EventPolicy::new(true).wait_saving(true))
            .notification_policy(NotificationPolicy::new(true).filters(adults()));
        let policies = Policies::new()
            .detect_policy(detect)
            .extract_policy(extract)
            .match_policy(
                MatchPolicy::new("staff", FacesQuery::new().list_id(LIST))
                    .unwrap()
                    .filters(adults())
                    .limit(3)
                    .threshold(0.75)
                    .targets(["face_id", "similarity"]),
            )
            .match_policy(MatchPolicy::new("seen", EventsQuery::new().sources(["gate"])).unwrap())
            .match_policy(
                MatchPolicy::new("temp", AttributeFilters::new().attribute_ids([FACE])).unwrap(),
            )
            .storage_policy(storage)
            .conditional_tag(ConditionalTag::new("vip", adults()));
        let mut handler = NewHandler::with_policies(policies).description("entrance");
        handler.policies.as_mut().unwrap().extra.insert("future_policy".into(), json!({"x": 1}));
        handler
    }

    #[test]
    fn policies_round_trip() {
        let handler = full_handler();
        handler.check().unwrap();
        let json = serde_json::to_value(&handler).unwrap();
        let back: NewHandler = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, handler);
        assert_eq!(serde_json::to_value(&back).unwrap(), json);

        // Wire names and forms pinned.
        let p = &json["policies"];
        assert_eq!(json["handler_type"], 0);
        assert_eq!(json["description"], "entrance");
        assert_eq!(p["detect_policy"]["multiface_policy"], 2);
        assert_eq!(p["detect_policy"]["detect_face"], 1);
        assert_eq!(p["detect_policy"]["detect_landmarks68"], 0);
        assert_eq!(p["detect_policy"]["estimate_liveness"], json!({"estimate": 1, "liveness_threshold": 0.6, "quality_threshold": 0.5}));
        assert_eq!(p["detect_policy"]["liveness_states"], json!([1]));
        assert_eq!(p["detect_policy"]["mask_states"], json!([1, 2]));
        assert_eq!(p["detect_policy"]["yaw_threshold"], 40);
        assert_eq!(p["detect_policy"]["body_attributes"]["estimate_lower_body"], 0);
        assert_eq!(
            p["detect_policy"]["face_quality"],
            json!({"estimate": 1, "checks": {
                "head_yaw": {"estimate": 1, "threshold": {"min": -5, "max": 5}},
                "image_modification": {"estimate": 1}
            }})
        );
        assert_eq!(
            p["extract_policy"],
            json!({"extract_face_descriptor": 1, "extract_body_descriptor": 0, "extract_basic_attributes": 1, "fd_score_threshold": 0.5})
        );
        assert_eq!(
            p["match_policy"][0],
            json!({
                "label": "staff",
                "candidates": {"origin": "faces", "list_id": LIST},
                "filters": {"age__gte": 18, "emotions": [4, null], "match": [{"label": "staff", "similarity__gte": 0.8, "similarity__lt": 1.0}]},
                "limit": 3, "threshold": 0.75, "targets": ["face_id", "similarity"]
            })
        );
        assert_eq!(p["match_policy"][1]["candidates"], json!({"origin": "events", "sources": ["gate"]}));
        assert_eq!(p["match_policy"][2]["candidates"], json!({"origin": "attributes", "attribute_ids": [FACE]}));
        let s = &p["storage_policy"];
        assert_eq!(s["face_sample_policy"]["store_sample"], 1);
        assert_eq!(s["body_sample_policy"], json!({"store_sample": 0}));
        assert_eq!(s["image_origin_policy"], json!({"store_image": 1, "use_external_references": 1}));
        assert_eq!(s["attribute_policy"], json!({"store_attribute": 1, "ttl": 3600}));
        assert_eq!(s["face_policy"]["set_sample_as_avatar"], 1);
        assert_eq!(s["face_policy"]["link_to_lists_policy"][0]["list_id"], LIST);
        assert_eq!(s["face_policy"]["filters"], json!({"liveness": [1]}));
        assert_eq!(s["event_policy"], json!({"store_event": 1, "wait_saving": 1}));
        assert_eq!(s["notification_policy"]["send_notification"], 1);
        assert_eq!(p["conditional_tags_policy"][0]["tag"], "vip");
        assert_eq!(p["future_policy"], json!({"x": 1}));
    }

    #[test]
    fn unset_members_are_not_sent_and_flags_read_booleans() {
        assert_eq!(serde_json::to_string(&NewHandler::default()).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&Policies::new()).unwrap(), "{}");
        assert_eq!(
            serde_json::to_value(NewHandler::dynamic()).unwrap(),
            json!({"handler_type": 1})
        );
        let detect: DetectPolicy =
            serde_json::from_value(json!({"detect_face": true, "detect_body": 0, "estimate_mask": null, "people_count": {"estimate": 1}})).unwrap();
        assert_eq!(detect.detect_face, Some(true));
        assert_eq!(detect.detect_body, Some(false));
        assert_eq!(detect.estimate_mask, None);
        assert_eq!(detect.extra["people_count"], json!({"estimate": 1}));
        assert!(serde_json::from_value::<DetectPolicy>(json!({"detect_face": "yes"})).is_err());
    }

    #[test]
    fn a_handler_from_the_service_decodes() {
        let handler: Handler = serde_json::from_value(json!({
            "handler_id": FACE,
            "account_id": "8950722f-3fd4-4223-b48f-03f95f0e8dfb",
            "create_time": "2024-01-31T12:00:00.123+00:00",
            "last_update_time": "2024-02-01T08:00:00Z",
            "description": "entrance",
            "handler_type": 2,
            "lambda_id": LIST,
            "policies": {"detect_policy": {"detect_face": 1}, "storage_policy": {"event_policy": {"store_event": 1}}},
            "some_new_member": 1
        }))
        .unwrap();
        assert_eq!(handler.handler_type, Some(HandlerType::Lambda));
        assert_eq!(handler.create_time, Some(datetime!(2024-01-31 12:00:00.123 UTC)));
        let policies = handler.policies.as_ref().unwrap();
        assert_eq!(policies.detect_policy.as_ref().unwrap().detect_face, Some(true));
        assert_eq!(handler.extra["some_new_member"], 1);
        let unknown: Handler = serde_json::from_value(json!({"handler_type": 7})).unwrap();
        assert_eq!(unknown.handler_type, Some(HandlerType::Unknown(7)));
    }

    #[test]
    fn out_of_range_policies_are_refused() {
        let bad = [
            Policies::new().detect_policy(DetectPolicy::new().yaw_threshold(181)),
            Policies::new().detect_policy(
                DetectPolicy::new().estimate_liveness(LivenessPolicy::estimate().liveness_threshold(2.0)),
            ),
            Policies::new().extract_policy(ExtractPolicy::new().fd_score_threshold(-0.1)),
            Policies::new().match_policy(
                MatchPolicy::new("x", FacesQuery::new().list_id(LIST)).unwrap().threshold(1.5),
            ),
            Policies::new()
                .match_policy(MatchPolicy::new("x", FacesQuery::new().list_id(LIST)).unwrap().limit(0)),
            Policies::new().storage_policy(
                StoragePolicy::new().attribute_policy(AttributePolicy::new(true).ttl(86_401)),
            ),
            Policies::new().storage_policy(StoragePolicy::new().event_policy(
                EventPolicy::new(true).filters(
                    PolicyFilters::new().match_condition(MatchCondition::new("x").similarity_gte(7.0)),
                ),
            )),
        ];
        for policies in bad {
            assert!(matches!(policies.check(), Err(Error::InvalidArgument { .. })), "{policies:?}");
        }
        assert!(MatchPolicy::new("x", FacesQuery::new().list_id("nope")).is_err());
        assert!(PolicyFilters::events(&EventsQuery::new().page(2)).is_err());
        assert!(NewHandler::default().handler_type(HandlerType::Static).check().is_err());
        assert!(NewHandler::default().handler_type(HandlerType::Lambda).check().is_err());
        assert!(NewHandler::dynamic().check().is_ok());
        assert!(VerifierPolicies::new().verification_threshold(1.2).check().is_err());
    }

    /// An emit-events answer as the reference describes it (luna-id Event fields, per-image
    /// statuses with one failed image).
    #[test]
    fn decodes_an_emit_events_answer_with_a_failed_image() {
        let answer: EmitEventsResponse = serde_json::from_value(json!({
            "events": [{
                "event_id": EVENT,
                "url": format!("/6/events/{EVENT}"),
                "handler_id": FACE,
                "account_id": "8950722f-3fd4-4223-b48f-03f95f0e8dfb",
                "create_time": "2024-01-31T12:00:00Z",
                "end_time": "2024-01-31T12:00:00Z",
                "external_id": "ext-1",
                "user_data": "visitor",
                "source": "gate-3",
                "tags": ["vip"],
                "track_id": "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77",
                "stream_id": "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77",
                "location": {"city": "Moscow", "geo_position": {"latitude": 55.75, "longitude": 37.61}},
                "meta": {"badge": 17},
                "face": {"face_id": FACE, "external_id": "ext-1", "user_data": "visitor", "lists": [LIST]},
                "face_attributes": {"basic_attributes": {"age": 30, "gender": 1}, "attribute_id": SAMPLE},
                "body_attributes": null,
                "aggregate_estimations": {"face": {"attributes": {"liveness": {"prediction": 1}}}, "body": {}},
                "detections": [{
                    "filename": "front.jpg",
                    "detect_time": "2024-01-31T12:00:00Z",
                    "detect_ts": 1.5,
                    "image_origin": "/1/buckets/visionlabs-image-origin/images/x",
                    "samples": {
                        "face": {"sample_id": SAMPLE, "url": "/6/samples/faces/x", "detection": {"rect": {"x": 1, "y": 2, "width": 30, "height": 40}, "attributes": {"emotions": {"predominant_emotion": "happiness"}}}},
                        "body": null
                    }
                }, {
                    "sample_id": SAMPLE,
                    "detection": {"rect": {"x": 5, "y": 6, "width": 7, "height": 8}}
                }],
                "matches": [{"label": "staff", "candidates": [{"similarity": 0.93, "face": {"face_id": FACE, "user_data": "Ann"}}]}],
                "attach_result": [LIST],
                "new_event_member": true
            }],
            "images": [
                {"filename": "front.jpg", "status": 1, "error": {"error_code": 0, "desc": "Success", "detail": "Success", "link": "x"}},
                {"filename": "broken.png", "status": 0, "error": {"error_code": 100010, "desc": "SDK error", "detail": "Invalid image", "link": "https://docs.visionlabs.ai/x"}}
            ]
        }))
        .unwrap();
        let event = &answer.events[0];
        assert_eq!(event.event_id(), Some(EVENT.parse().unwrap()));
        assert_eq!(event.url.as_deref(), Some(&*format!("/6/events/{EVENT}")));
        assert_eq!(event.event.source.as_deref(), Some("gate-3"));
        assert_eq!(event.event.location.as_ref().unwrap().city.as_deref(), Some("Moscow"));
        assert_eq!(event.event.attach_result.as_deref(), Some(&[LIST.to_owned()][..]));
        assert_eq!(event.face.as_ref().unwrap().face_id, Some(FACE.parse().unwrap()));
        assert_eq!(event.face_attributes.as_ref().unwrap()["basic_attributes"]["age"], 30);
        let detections = event.detections.as_ref().unwrap();
        let face = detections[0].samples.as_ref().unwrap().face.as_ref().unwrap();
        assert_eq!(face.sample_id, Some(SAMPLE.parse().unwrap()));
        assert_eq!(face.detection.as_ref().unwrap().rect, Some(Rect::new(1, 2, 30, 40)));
        assert_eq!(detections[0].detect_ts, Some(1.5));
        assert_eq!(detections[1].sample_id, Some(SAMPLE.parse().unwrap()));
        let matches = event.match_results();
        assert_eq!(matches[0].label.as_deref(), Some("staff"));
        assert_eq!(matches[0].candidates.as_ref().unwrap()[0].similarity, Some(0.93));
        assert!(event.aggregate_estimations.as_ref().unwrap().face.is_some());
        assert_eq!(event.event.extra["new_event_member"], true);
        assert!(!event.event.extra.contains_key("url"));

        assert!(!answer.images[0].is_error());
        let failed: Vec<_> = answer.failed_images().collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].filename.as_deref(), Some("broken.png"));
        assert_eq!(failed[0].error.as_ref().unwrap().error_code, Some(100010));

        let empty: EmitEventsResponse = serde_json::from_str("{}").unwrap();
        assert!(empty.events.is_empty() && empty.images.is_empty());
        // The events-service layout (`match_result`) is read as well.
        let events_layout: EmittedEvent =
            serde_json::from_value(json!({"match_result": [{"label": "l"}]})).unwrap();
        assert_eq!(events_layout.match_results()[0].label.as_deref(), Some("l"));
    }

    #[test]
    fn decodes_detector_and_verification_answers() {
        let detector: DetectorResponse = serde_json::from_value(json!({"images": [
            {"filename": "a.jpg", "status": 1, "exif": {"Make": "Canon"}, "detections": {
                "samples": [{"face": {"sample_id": SAMPLE, "url": "/1/samples/faces/x", "detection": {"rect": {"x": 1, "y": 2, "width": 3, "height": 4}}}}],
                "filtered_detections": {"face_detections": []}
            }},
            {"filename": "b.jpg", "status": 0, "error": {"error_code": 100022, "detail": "Failed to load"}}
        ]}))
        .unwrap();
        assert_eq!(detector.images[0].exif.as_ref().unwrap()["Make"], "Canon");
        let sample = &detector.images[0].detections.as_ref().unwrap().samples[0];
        assert_eq!(sample.face.as_ref().unwrap().sample_id, Some(SAMPLE.parse().unwrap()));
        assert!(detector.images[1].status.is_error());

        let verification: VerificationResponse = serde_json::from_value(json!({"images": [
            {"filename": "a.jpg", "status": 1, "detections": {"face_detections": [{
                "sample_id": SAMPLE, "detection": {"rect": {"x": 1, "y": 2, "width": 3, "height": 4}},
                "verifications": [{"face": {"face_id": FACE}, "similarity": 0.97, "status": true}]
            }]}},
            {"filename": "descriptor_1", "status": 0, "error": {"error_code": 12012, "desc": "Bad input"}}
        ]}))
        .unwrap();
        let checks: Vec<_> = verification.images[0].verifications().collect();
        assert_eq!(checks[0].status, Some(true));
        assert_eq!(checks[0].face.as_ref().unwrap().face_id, Some(FACE.parse().unwrap()));
        assert!(verification.images[1].status.is_error());
        assert_eq!(verification.images[1].verifications().count(), 0);
    }

    #[test]
    fn stream_sources_and_upgrades_use_their_wire_names() {
        let sources = StreamEvents::new([StreamSource::new(StreamSourceType::Detections)
            .image(b"\xff\xd8")
            .face_detection(StreamDetection::new(Rect::new(1, 2, 3, 4)))
            .detect_time(datetime!(2024-01-31 12:00 UTC))
            .detect_ts(2.5)]);
        assert_eq!(
            serde_json::to_value(&sources).unwrap(),
            json!({"sources": [{
                "source_type": "detections", "source_data": "/9g=",
                "face_detection_data": [{"bounding_box": {"x": 1, "y": 2, "width": 3, "height": 4}}],
                "detect_time": "2024-01-31T12:00:00Z", "detect_ts": 2.5
            }]})
        );
        assert_eq!(
            ObjectUpgrade::face(FACE).extract_basic_attributes(true).descriptor_version(65).to_body().unwrap(),
            json!({"face_id": FACE, "extract_basic_attributes": 1, "descriptor_version": 65})
        );
        assert_eq!(
            ObjectUpgrade::event(EVENT).extract_descriptor(true).field("x", 1).to_body().unwrap(),
            json!({"event_id": EVENT, "extract_descriptor": 1, "x": 1})
        );
        assert!(ObjectUpgrade::event("nope").to_body().is_err());
        assert!(ObjectUpgrade::face(FACE).extract_descriptor(false).to_body().is_err());
    }
}
