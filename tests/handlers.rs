//! Wire tests of the Handlers client (both modes): every method's method, path, exact query,
//! headers and body; every input form of emit_events, detect_faces and verify_data (multipart
//! checked part by part); decoded answers; retries; error paths; refused inputs.

mod common;

crate::in_both_modes! {

use std::time::Duration;

use crate::common::*;
use sdk::model::common::{Saving};
use sdk::model::handlers::{NewVerifier};
use httpmock::prelude::*;
use sdk::model::events::Event;
use sdk::model::handlers::{
    DetectPolicy, EventPolicy, ExtractPolicy, HandlerType, MatchPolicy, NewHandler, ObjectUpgrade,
    Policies, StoragePolicy, StreamDetection, StreamEvents, StreamSource, StreamSourceType,
    VerifierPolicies,
};
use sdk::model::images::{BinaryImage, ImageInput, ImageType};
use sdk::model::matching::BinaryReference;
use sdk::model::remote_sdk::MultifacePolicy;
use sdk::services::faces::FacesQuery;
use sdk::services::handlers::{
    DetectParams, EmitEventsParams, ExtractParams, HandlersQuery, VerifiersQuery, VerifyAgainst,
    VerifyInput, VerifyItem, VerifyParams,
};
use sdk::{Error, Handlers, LunaClient, RetryPolicy, SdkDescriptor, Service};
use serde_json::{json, Value};
use time::macros::datetime;

const HANDLER_ID: &str = "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66";
const VERIFIER_ID: &str = "9e8d7c6b-6f0e-4a5c-9a55-8c1a0d1f1abb";
const SAMPLE_ID: &str = "2c3d4e5f-6f0e-4a5c-9a55-8c1a0d1f1a88";
const STREAM_ID: &str = "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77";

fn handlers_client(server: &MockServer, retries: u32) -> LunaClient {
    LunaClient::builder()
        .address(Service::Handlers, &server.base_url())
        .account_id(ACCOUNT)
        .timeout(Duration::from_secs(5))
        .retry(if retries == 0 {
            RetryPolicy::none()
        } else {
            RetryPolicy::standard()
                .max_retries(retries)
                .backoff(Duration::from_millis(1), Duration::from_millis(2))
        })
        .build()
        .unwrap()
}

fn handlers(server: &MockServer) -> Handlers {
    handlers_client(server, 0)
        .handlers()
        .with_request_id(REQUEST_ID)
}

fn retrying(server: &MockServer) -> Handlers {
    handlers_client(server, 2)
        .handlers()
        .with_request_id(REQUEST_ID)
}

fn handlers_unreachable() -> Handlers {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    LunaClient::builder()
        .address(Service::Handlers, &format!("http://127.0.0.1:{port}"))
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .handlers()
        .with_request_id(REQUEST_ID)
}

fn policies() -> Policies {
    Policies::new()
        .detect_policy(DetectPolicy::new().detect_face(true).yaw_threshold(30))
        .extract_policy(ExtractPolicy::new().extract_face_descriptor(true))
        .match_policy(
            MatchPolicy::new("staff", FacesQuery::new().list_id(LIST_ID))
                .unwrap()
                .limit(3),
        )
        .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true).wait_saving(true)))
}

fn policies_json() -> Value {
    json!({
        "detect_policy": {"detect_face": 1, "yaw_threshold": 30},
        "extract_policy": {"extract_face_descriptor": 1},
        "match_policy": [{"label": "staff", "candidates": {"origin": "faces", "list_id": LIST_ID}, "limit": 3}],
        "storage_policy": {"event_policy": {"store_event": 1, "wait_saving": 1}}
    })
}

fn events_answer() -> Value {
    json!({
        "events": [{
            "event_id": EVENT_ID, "url": format!("/1/events/{EVENT_ID}"), "source": "gate",
            "detections": [{"samples": {"face": {"sample_id": SAMPLE_ID, "detection": {"rect": {"x": 1, "y": 2, "width": 3, "height": 4}}}}}],
            "matches": [{"label": "staff", "candidates": [{"similarity": 0.9, "face": {"face_id": FACE_ID}}]}]
        }],
        "images": [{"filename": "image_1", "status": 1}]
    })
}

fn binary(len: usize, seed: usize) -> Vec<u8> {
    (0..len).map(|i| ((i + seed) * 31 % 256) as u8).collect()
}

fn descriptor() -> SdkDescriptor {
    SdkDescriptor::new(59, &[3u8; 512]).unwrap()
}

/// The parts of the request's multipart body (none when the body is not multipart, so that a
/// matcher never panics inside the mock server).
fn parts(req: &HttpMockRequest) -> Vec<Part> {
    let headers = req.headers();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !content_type.starts_with("multipart/form-data; boundary=") {
        return Vec::new();
    }
    parse_multipart(&content_type, req.body_ref())
}

both_modes! {
    async fn create_handler_posts_the_policies_and_reads_id_and_url() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/handlers"), &[]);
            json_request(when, json!({"policies": policies_json(), "handler_type": 0, "description": "entrance"}));
            then.status(201).json_body(json!({"handler_id": HANDLER_ID, "url": format!("/1/handlers/{HANDLER_ID}")}));
        });
        let created = handlers(&server)
            .create_handler(&NewHandler::with_policies(policies()).description("entrance"))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(created.id.to_string(), HANDLER_ID);
        assert_eq!(created.url.as_deref(), Some(&*format!("/1/handlers/{HANDLER_ID}")));
    }

    async fn create_handler_reads_the_id_from_location_and_is_never_retried() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            json_request(luna(when, POST, "/1/handlers"), json!({"handler_type": 2, "lambda_id": LIST_ID}));
            then.status(201).header("location", format!("/1/handlers/{HANDLER_ID}"));
        });
        let created = retrying(&server)
            .create_handler(&NewHandler::lambda(LIST_ID.parse().unwrap()))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(created.id.to_string(), HANDLER_ID);

        let failing = MockServer::start();
        let mock = failing.mock(|when, then| {
            luna(when, POST, "/1/handlers");
            then.status(503);
        });
        let err = retrying(&failing).create_handler(&NewHandler::dynamic()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        mock.assert_calls(1);
    }

    async fn get_handler_by_id_decodes_the_handler() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            no_body(exact_query(luna(when, GET, &format!("/1/handlers/{HANDLER_ID}")), &[]));
            then.status(200).json_body(json!({
                "handler_id": HANDLER_ID, "account_id": ACCOUNT, "description": "entrance",
                "create_time": "2024-01-31T12:00:00Z", "last_update_time": "2024-02-01T12:00:00Z",
                "handler_type": 0, "policies": policies_json()
            }));
        });
        let handler = handlers(&server).get_handler_by_id(HANDLER_ID).await.unwrap();
        mock.assert();
        assert_eq!(handler.handler_type, Some(HandlerType::Static));
        assert_eq!(handler.policies, Some(policies()));
        assert_eq!(handler.last_update_time, Some(datetime!(2024-02-01 12:00 UTC)));
    }

    async fn check_handler_by_id_is_a_head() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            no_body(luna(when, httpmock::Method::HEAD, &format!("/1/handlers/{HANDLER_ID}")));
            then.status(200);
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &format!("/1/handlers/{FACE_ID}"));
            then.status(404);
        });
        let present_answer = handlers(&server).check_handler_by_id(HANDLER_ID).await.unwrap();
        let absent_answer = handlers(&server).check_handler_by_id(FACE_ID).await.unwrap();
        assert!(present_answer);
        assert!(!absent_answer);
        present.assert();
        absent.assert();
    }

    async fn update_handler_puts_the_whole_handler() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, PUT, &format!("/1/handlers/{HANDLER_ID}")), &[]);
            json_request(when, json!({"policies": policies_json(), "handler_type": 0, "description": "v2"}));
            then.status(204);
        });
        handlers(&server)
            .update_handler(HANDLER_ID, &NewHandler::with_policies(policies()).description("v2"))
            .await
            .unwrap();
        mock.assert();
    }

    async fn delete_handler_by_id_sends_a_delete() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            no_body(exact_query(luna(when, DELETE, &format!("/1/handlers/{HANDLER_ID}")), &[]));
            then.status(204);
        });
        handlers(&server).delete_handler_by_id(HANDLER_ID).await.unwrap();
        mock.assert();
    }

    async fn get_handlers_sends_filters_and_paging() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/1/handlers");
            exact_query(when, &[("description", "gate"), ("handler_type", "1"), ("page", "2"), ("page_size", "50")]);
            then.status(200).json_body(json!({"handlers": [{"handler_id": HANDLER_ID, "handler_type": 1}]}));
        });
        let query = HandlersQuery::new().description("gate").handler_type(HandlerType::Dynamic).page(2).page_size(50);
        let page = handlers(&server).get_handlers(&query).await.unwrap();
        mock.assert();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].handler_type, Some(HandlerType::Dynamic));
    }

    async fn get_handlers_count_sends_filters_only() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/1/handlers/count");
            exact_query(when, &[("description", "gate"), ("handler_type", "2")]);
            then.status(200).json_body(json!({"handlers_count": 7}));
        });
        let query = HandlersQuery::new().description("gate").handler_type(HandlerType::Lambda).page(3);
        let count = handlers(&server).get_handlers_count(&query).await.unwrap();
        assert_eq!(count, 7);
        mock.assert();
    }

    async fn iter_handlers_walks_the_pages() {
        let server = MockServer::start();
        let first = server.mock(|when, then| {
            exact_query(luna(when, GET, "/1/handlers"), &[("page", "1"), ("page_size", "2")]);
            then.status(200).json_body(json!({"handlers": [{"handler_id": HANDLER_ID}, {"handler_id": FACE_ID}]}));
        });
        let second = server.mock(|when, then| {
            exact_query(luna(when, GET, "/1/handlers"), &[("page", "2"), ("page_size", "2")]);
            then.status(200).json_body(json!([{"handler_id": LIST_ID}]));
        });
        let pages = handlers(&server).iter_handlers(HandlersQuery::new().page_size(2));
        let all: Vec<_> = collect_pages(pages).await.into_iter().collect::<Result<_, _>>().unwrap();
        first.assert();
        second.assert();
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].handler_id.unwrap().to_string(), LIST_ID);
    }

    async fn validate_handler_posts_policies_and_is_retried() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/handlers/validator"), &[]);
            json_request(when, json!({"policies": policies_json()}));
            then.status(204);
        });
        handlers(&server).validate_handler(&policies()).await.unwrap();
        mock.assert();

        let failing = MockServer::start();
        let mock = failing.mock(|when, then| {
            luna(when, POST, "/1/handlers/validator");
            then.status(503);
        });
        retrying(&failing).validate_handler(&policies()).await.unwrap_err();
        mock.assert_calls(3);
    }

    async fn emit_events_sends_one_image_every_parameter_and_the_event_times() {
        let server = MockServer::start();
        let image = binary(30_000, 1);
        let expected = image.clone();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events"));
            let when = exact_query(when, &[
                ("external_id", "ext-1"), ("user_data", "visitor"), ("aggregate_attributes", "1"),
                ("source", "gate-3"), ("stream_id", STREAM_ID), ("city", "Moscow"), ("area", "Central"),
                ("district", "Tverskoy"), ("street", "Tverskaya"), ("house_number", "1a"),
                ("tags", "vip,morning"), ("latitude", "55.75"), ("longitude", "37.61"),
                ("image_type", "0"), ("track_id", "track-9"), ("use_exif_info", "0"),
            ]);
            let when = when
                .header("content-type", "image/jpeg")
                .header("luna-event-time", "2024-01-31T12:00:00Z")
                .header("luna-event-end-time", "2024-01-31T12:00:05.5Z");
            when.is_true(move |req: &HttpMockRequest| req.body_ref() == expected.as_slice());
            then.status(201).json_body(events_answer());
        });
        let params = EmitEventsParams::new()
            .external_id("ext-1").user_data("visitor").aggregate_attributes(true).source("gate-3")
            .stream_id(STREAM_ID).city("Moscow").area("Central").district("Tverskoy")
            .street("Tverskaya").house_number("1a").tags(["vip", "morning"])
            .geo_position(55.75, 37.61).image_type(ImageType::RawImage)
            .event_time(datetime!(2024-01-31 15:00 +03:00))
            .event_end_time(datetime!(2024-01-31 12:00:05.5 UTC))
            .track_id("track-9").use_exif_info(false);
        let answer = handlers(&server).emit_events(HANDLER_ID, BinaryImage::jpeg(image), &params).await.unwrap();
        mock.assert();
        let event = &answer.events[0];
        assert_eq!(event.event_id().unwrap().to_string(), EVENT_ID);
        assert_eq!(event.match_results()[0].candidates.as_ref().unwrap()[0].similarity, Some(0.9));
        let samples = event.detections.as_ref().unwrap()[0].samples.as_ref().unwrap();
        assert_eq!(samples.face.as_ref().unwrap().sample_id.unwrap().to_string(), SAMPLE_ID);
        assert!(answer.failed_images().next().is_none());
    }

    async fn emit_events_sends_images_policies_and_meta_as_multipart_parts() {
        let server = MockServer::start();
        let (first, second) = (binary(50_000, 3), binary(700, 9));
        let (f, s) = (first.clone(), second.clone());
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events")), &[("source", "cam")]);
            when.is_true(move |req: &HttpMockRequest| {
                let parts = parts(req);
                let names: Vec<_> = parts.iter().map(|p| p.name.as_str()).collect();
                let files: Vec<_> = parts.iter().map(|p| p.file_name.as_deref()).collect();
                let types: Vec<_> = parts.iter().map(|p| p.content_type.as_str()).collect();
                names == ["image", "image", "policies", "meta"]
                    && files == [Some("front.jpg"), Some("image_2"), None, None]
                    && types == ["image/jpeg", "image/png", "application/json", "application/json"]
                    && parts[0].body == f
                    && parts[1].body == s
                    && serde_json::from_slice::<Value>(&parts[2].body).unwrap() == policies_json()
                    && serde_json::from_slice::<Value>(&parts[3].body).unwrap() == json!({"badge": 17})
            });
            then.status(201).json_body(events_answer());
        });
        let input = ImageInput::images([BinaryImage::jpeg(first).file_name("front.jpg"), BinaryImage::png(second)]);
        let params = EmitEventsParams::new().source("cam").policies(policies()).meta(json!({"badge": 17}));
        handlers(&server).emit_events(HANDLER_ID, input, &params).await.unwrap();
        mock.assert();
    }

    async fn emit_events_sends_one_image_with_meta_as_multipart() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events")).is_true(|req: &HttpMockRequest| {
                let parts = parts(req);
                parts.len() == 2
                    && parts[0].name == "image" && parts[0].content_type == "image/png" && parts[0].body == [1u8, 2, 3]
                    && parts[1].name == "meta" && parts[1].body == br#"{"k":"v"}"#
            });
            then.status(201).json_body(events_answer());
        });
        handlers(&server)
            .emit_events(HANDLER_ID, BinaryImage::png(vec![1u8, 2, 3]), &EmitEventsParams::new().meta(json!({"k": "v"})))
            .await
            .unwrap();
        mock.assert();
    }

    async fn emit_events_sends_urls_ids_and_samples_as_json_with_policies() {
        let server = MockServer::start();
        let mut urls = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events")), &[]);
            json_request(when, json!({"urls": [{"url": "https://cdn.example/a.jpg"}], "policies": policies_json()}));
            then.status(201).json_body(events_answer());
        });
        let h = handlers(&server);
        h.emit_events(HANDLER_ID, ImageInput::urls(["https://cdn.example/a.jpg"]), &EmitEventsParams::new().policies(policies()))
            .await
            .unwrap();
        urls.assert();
        urls.delete();

        let mut ids = server.mock(|when, then| {
            json_request(luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events")), json!({"image_ids": [SAMPLE_ID], "meta": [1]}));
            then.status(201).json_body(events_answer());
        });
        h.emit_events(HANDLER_ID, ImageInput::image_ids([SAMPLE_ID]), &EmitEventsParams::new().meta(json!([1]))).await.unwrap();
        ids.assert();
        ids.delete();

        let samples = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events")), &[("image_type", "1")]);
            json_request(when, json!({"samples": [{"sample_id": SAMPLE_ID}]}));
            then.status(201).json_body(events_answer());
        });
        h.emit_events(HANDLER_ID, ImageInput::samples([SAMPLE_ID]), &EmitEventsParams::new().image_type(ImageType::FaceWarp))
            .await
            .unwrap();
        samples.assert();
    }

    async fn emit_events_keeps_per_image_errors_and_is_never_retried() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events"));
            then.status(201).json_body(json!({"events": [], "images": [
                {"filename": "a.jpg", "status": 1},
                {"filename": "b.jpg", "status": 0, "error": {"error_code": 100010, "desc": "SDK error", "detail": "Invalid image", "link": "x"}}
            ]}));
        });
        let input = ImageInput::images([BinaryImage::jpeg(vec![1u8]), BinaryImage::jpeg(vec![2u8])]);
        let answer = handlers(&server).emit_events(HANDLER_ID, input, &EmitEventsParams::new()).await.unwrap();
        mock.assert();
        let failed: Vec<_> = answer.failed_images().collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].error.as_ref().unwrap().detail.as_deref(), Some("Invalid image"));

        let failing = MockServer::start();
        let mock = failing.mock(|when, then| {
            luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events"));
            then.status(502);
        });
        retrying(&failing).emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &EmitEventsParams::new()).await.unwrap_err();
        mock.assert_calls(1);
    }

    async fn emit_stream_events_posts_the_sources() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/stream_events")), &[]);
            json_request(when, json!({"sources": [{
                "source_type": "raw_image", "source_data": "AQID",
                "face_detection_data": [{"bounding_box": {"x": 1, "y": 2, "width": 3, "height": 4}}],
                "detect_ts": 0.5
            }]}));
            then.status(201).json_body(events_answer());
        });
        let sources = StreamEvents::new([StreamSource::new(StreamSourceType::RawImage)
            .image(&[1, 2, 3])
            .face_detection(StreamDetection::new(sdk::model::events::Rect::new(1, 2, 3, 4)))
            .detect_ts(0.5)]);
        let answer = handlers(&server).emit_stream_events(HANDLER_ID, &sources).await.unwrap();
        mock.assert();
        assert_eq!(answer.events.len(), 1);
    }

    async fn save_event_posts_the_raw_event() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/handlers/{HANDLER_ID}/events/raw")), &[("wait_saving", "1")]);
            json_request(when, json!({"source": "import", "tags": ["a"], "create_time": "2024-01-31T12:00:00Z"}));
            then.status(201).json_body(json!({"event_id": EVENT_ID, "url": format!("/1/events/{EVENT_ID}")}));
        });
        let mut event = Event::new();
        event.source = Some("import".into());
        event.tags = Some(vec!["a".into()]);
        event.create_time = Some(datetime!(2024-01-31 12:00 UTC));
        let saved = handlers(&server).save_event(HANDLER_ID, &event, Saving::Wait).await.unwrap();
        mock.assert();
        assert_eq!(saved.event_id.unwrap().to_string(), EVENT_ID);
    }

    async fn detect_faces_sends_every_parameter_and_multipart_images() {
        let server = MockServer::start();
        let image = binary(4_000, 5);
        let expected = image.clone();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/detector"), &[
                ("multiface_policy", "2"), ("estimate_head_pose", "1"), ("detect_landmarks68", "1"),
                ("extract_exif", "1"), ("estimate_quality", "1"), ("estimate_gaze", "0"),
                ("estimate_eyes_attributes", "1"), ("estimate_emotions", "1"), ("estimate_mask", "1"),
                ("estimate_mouth_attributes", "1"), ("use_exif_info", "1"), ("estimate_face_quality", "1"),
                ("pitch_threshold", "10"), ("roll_threshold", "20"), ("yaw_threshold", "180"),
                ("image_type", "1"),
            ]);
            when.is_true(move |req: &HttpMockRequest| {
                let parts = parts(req);
                parts.len() == 1 && parts[0].name == "image" && parts[0].file_name.as_deref() == Some("warp.png")
                    && parts[0].content_type == "image/png" && parts[0].body == expected
            });
            then.status(201).json_body(json!({"images": [{"filename": "warp.png", "status": 1, "detections": {"samples": [{"face": {"sample_id": SAMPLE_ID}}]}}]}));
        });
        let params = DetectParams::new()
            .multiface_policy(MultifacePolicy::Best).estimate_head_pose(true).detect_landmarks68(true)
            .extract_exif(true).estimate_quality(true).estimate_gaze(false).estimate_eyes_attributes(true)
            .estimate_emotions(true).estimate_mask(true).estimate_mouth_attributes(true)
            .use_exif_info(true).estimate_face_quality(true)
            .pitch_threshold(10).roll_threshold(20).yaw_threshold(180).warped_image(true);
        let answer = handlers(&server)
            .detect_faces(ImageInput::images([BinaryImage::png(image).file_name("warp.png")]), &params)
            .await
            .unwrap();
        mock.assert();
        let sample = &answer.images[0].detections.as_ref().unwrap().samples[0];
        assert_eq!(sample.face.as_ref().unwrap().sample_id.unwrap().to_string(), SAMPLE_ID);
    }

    async fn detect_faces_sends_urls_and_is_never_retried() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/detector"), &[]);
            json_request(when, json!({"urls": [{"url": "http://10.0.0.1/a.jpg"}]}));
            then.status(503);
        });
        retrying(&server).detect_faces(ImageInput::urls(["http://10.0.0.1/a.jpg"]), &DetectParams::new()).await.unwrap_err();
        mock.assert_calls(1);
    }

    async fn extract_attr_from_sample_posts_the_sample_ids() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/extractor"), &[
                ("extract_descriptor", "1"), ("extract_basic_attributes", "1"),
                ("aggregate_attributes", "0"), ("score_threshold", "0.5"), ("ttl", "600"),
            ]);
            json_request(when, json!([SAMPLE_ID, FACE_ID]));
            then.status(201).json_body(json!({"attributes": [{"attribute_id": ATTRIBUTE_ID, "url": "/1/attributes/x", "basic_attributes": {"age": 30, "gender": 0}}]}));
        });
        let params = ExtractParams::new().extract_descriptor(true).extract_basic_attributes(true)
            .aggregate_attributes(false).score_threshold(0.5).ttl(600);
        let attributes = handlers(&server).extract_attr_from_sample([SAMPLE_ID, FACE_ID], &params).await.unwrap();
        mock.assert();
        assert_eq!(attributes[0].attribute_id.unwrap().to_string(), ATTRIBUTE_ID);
        assert_eq!(attributes[0].basic_attributes.as_ref().unwrap().age, Some(30));
    }

    async fn upgrade_object_from_sample_posts_the_upgrade() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/upgrade"), &[]);
            json_request(when, json!({"face_id": FACE_ID, "extract_descriptor": 1, "extract_basic_attributes": 1}));
            then.status(200).json_body(json!({"attribute_id": ATTRIBUTE_ID}));
        });
        let answer = handlers(&server)
            .upgrade_object_from_sample(&ObjectUpgrade::face(FACE_ID).extract_descriptor(true).extract_basic_attributes(true))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(answer["attribute_id"], ATTRIBUTE_ID);
    }

    async fn verifier_crud_round() {
        let server = MockServer::start();
        let vp = VerifierPolicies::new()
            .detect_policy(DetectPolicy::new().detect_face(true))
            .verification_threshold(0.9);
        let body = json!({"policies": {"detect_policy": {"detect_face": 1}, "verification_threshold": 0.9}, "description": "door"});
        let create = server.mock(|when, then| {
            json_request(exact_query(luna(when, POST, "/1/verifiers"), &[]), body.clone());
            then.status(201).json_body(json!({"verifier_id": VERIFIER_ID, "url": format!("/1/verifiers/{VERIFIER_ID}")}));
        });
        let path = format!("/1/verifiers/{VERIFIER_ID}");
        let get = server.mock(|when, then| {
            no_body(exact_query(luna(when, GET, &path), &[]));
            then.status(200).json_body(json!({"verifier_id": VERIFIER_ID, "description": "door", "policies": body["policies"]}));
        });
        let head = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &path);
            then.status(200);
        });
        let put = server.mock(|when, then| {
            json_request(exact_query(luna(when, PUT, &path), &[]), json!({"policies": {"detect_policy": {"detect_face": 1}, "verification_threshold": 0.9}}));
            then.status(200).json_body(json!({"version": 2}));
        });
        let delete = server.mock(|when, then| {
            no_body(luna(when, DELETE, &path));
            then.status(204);
        });
        let h = handlers(&server);
        let created = h.create_verifier(&NewVerifier::new(vp.clone()).description("door")).await.unwrap();
        assert_eq!(created.id.to_string(), VERIFIER_ID);
        let verifier = h.get_verifier(VERIFIER_ID).await.unwrap();
        assert_eq!(verifier.policies.as_ref(), Some(&vp));
        let exists = h.check_verifier(VERIFIER_ID).await.unwrap();
        assert!(exists);
        h.put_verifier(VERIFIER_ID, &NewVerifier::new(vp.clone())).await.unwrap();
        h.delete_verifier(VERIFIER_ID).await.unwrap();
        for mock in [create, get, head, put, delete] {
            mock.assert();
        }
    }

    async fn get_verifiers_and_count_send_their_queries() {
        let server = MockServer::start();
        let list = server.mock(|when, then| {
            exact_query(luna(when, GET, "/1/verifiers"), &[("description", "door"), ("page", "1"), ("page_size", "10")]);
            then.status(200).json_body(json!({"verifiers": [{"verifier_id": VERIFIER_ID}]}));
        });
        let count = server.mock(|when, then| {
            exact_query(luna(when, GET, "/1/verifiers/count"), &[("description", "door")]);
            then.status(200).json_body(json!({"verifiers_count": 1}));
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &format!("/1/verifiers/{FACE_ID}"));
            then.status(404);
        });
        let h = handlers(&server);
        let query = VerifiersQuery::new().description("door").page(1).page_size(10);
        let verifiers = h.get_verifiers(&query).await.unwrap();
        let total = h.get_verifiers_count(&query).await.unwrap();
        let exists = h.check_verifier(FACE_ID).await.unwrap();
        assert_eq!(verifiers[0].verifier_id.unwrap().to_string(), VERIFIER_ID);
        assert_eq!(total, 1);
        assert!(!exists);
        let pages = h.iter_verifiers(VerifiersQuery::new().description("door").page_size(10));
        let all: Vec<_> = collect_pages(pages).await.into_iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len(), 1);
        list.assert_calls(2);
        count.assert();
        absent.assert();
    }

    async fn verify_data_sends_one_image_against_faces() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &format!("/1/verifiers/{VERIFIER_ID}/verifications"));
            let when = exact_query(when, &[("face_ids", &format!("{FACE_ID},{FACE_ID_2}")), ("image_type", "1"), ("use_exif_info", "0")]);
            when.header("content-type", "image/jpeg").body("\u{1}\u{2}");
            then.status(201).json_body(json!({"images": [{"filename": "0", "status": 1, "detections": {"face_detections": [
                {"sample_id": SAMPLE_ID, "verifications": [{"face": {"face_id": FACE_ID}, "similarity": 0.99, "status": true}]}
            ]}}]}));
        });
        let answer = handlers(&server)
            .verify_data(VERIFIER_ID, BinaryImage::jpeg(vec![1u8, 2]), &VerifyAgainst::faces([FACE_ID, FACE_ID_2]),
                &VerifyParams::new().image_type(ImageType::FaceWarp).use_exif_info(false))
            .await
            .unwrap();
        mock.assert();
        let verification = answer.images[0].verifications().next().unwrap();
        assert_eq!(verification.status, Some(true));
        assert_eq!(verification.similarity, Some(0.99));
    }

    async fn verify_data_sends_one_descriptor_and_a_mixed_multipart() {
        let server = MockServer::start();
        let sdk = descriptor();
        let bytes = sdk.as_bytes().to_vec();
        let mut one = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/verifiers/{VERIFIER_ID}/verifications")), &[("event_ids", EVENT_ID)]);
            let expected = bytes.clone();
            when.header("content-type", "application/x-vl-sdk-descriptor")
                .is_true(move |req: &HttpMockRequest| req.body_ref() == expected.as_slice());
            then.status(201).json_body(json!({"images": []}));
        });
        let h = handlers(&server);
        h.verify_data(VERIFIER_ID, sdk.clone(), &VerifyAgainst::events([EVENT_ID]), &VerifyParams::new()).await.unwrap();
        one.assert();
        one.delete();

        let expected = bytes.clone();
        let mut many = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/verifiers/{VERIFIER_ID}/verifications")), &[("external_ids", "emp-1,emp-2")]);
            when.is_true(move |req: &HttpMockRequest| {
                let parts = parts(req);
                let layout: Vec<_> = parts.iter().map(|p| (p.name.as_str(), p.file_name.as_deref(), p.content_type.as_str())).collect();
                layout == [
                    ("image", Some("image_1"), "image/jpeg"),
                    ("descriptor", Some("descriptor_1"), "application/x-vl-sdk-descriptor"),
                    ("image", Some("b.png"), "image/png"),
                ] && parts[0].body == [9u8] && parts[1].body == expected && parts[2].body == [8u8]
            });
            then.status(201).json_body(json!({"images": [{"status": 0, "error": {"error_code": 100010}}]}));
        });
        let input = VerifyInput::many([
            VerifyItem::from(BinaryImage::jpeg(vec![9u8])),
            VerifyItem::from(sdk),
            VerifyItem::from(BinaryImage::png(vec![8u8]).file_name("b.png")),
        ]);
        let answer = h.verify_data(VERIFIER_ID, input, &VerifyAgainst::external_ids(["emp-1", "emp-2"]), &VerifyParams::new()).await.unwrap();
        many.assert();
        many.delete();
        assert!(answer.images[0].status.is_error());

        let attributes = server.mock(|when, then| {
            exact_query(luna(when, POST, &format!("/1/verifiers/{VERIFIER_ID}/verifications")), &[("attribute_ids", ATTRIBUTE_ID)]);
            then.status(201).json_body(json!({"images": []}));
        });
        h.verify_data(VERIFIER_ID, BinaryImage::jpeg(vec![1u8]), &VerifyAgainst::attributes([ATTRIBUTE_ID]), &VerifyParams::new()).await.unwrap();
        attributes.assert();
    }

    async fn verify_data_is_never_retried() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, &format!("/1/verifiers/{VERIFIER_ID}/verifications"));
            then.status(503);
        });
        retrying(&server)
            .verify_data(VERIFIER_ID, BinaryImage::jpeg(vec![1u8]), &VerifyAgainst::faces([FACE_ID]), &VerifyParams::new())
            .await
            .unwrap_err();
        mock.assert_calls(1);
    }

    async fn verify_raw_posts_binary_references_and_is_retried() {
        let server = MockServer::start();
        let sdk = descriptor();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, &format!("/1/verifiers/{VERIFIER_ID}/raw")), &[]);
            json_request(when, json!({
                "candidates": [{"type": "sdk_descriptor", "id": "c1", "data": sdk.to_base64()}],
                "references": [{"type": "sdk_descriptor", "id": "r1", "data": sdk.to_base64()}]
            }));
            then.status(200).json_body(json!([{"reference": {"id": "r1", "type": "sdk_descriptor"}, "matches": [{"candidate": {"id": "c1"}, "similarity": 1.0}]}]));
        });
        let answer = handlers(&server)
            .verify_raw(VERIFIER_ID, &[BinaryReference::new("c1", sdk.clone())], &[BinaryReference::new("r1", sdk.clone())])
            .await
            .unwrap();
        mock.assert();
        assert_eq!(answer[0].reference_id(), Some("r1"));
        assert_eq!(answer[0].matches[0].similarity, Some(1.0));

        let failing = MockServer::start();
        let mock = failing.mock(|when, then| {
            luna(when, POST, &format!("/1/verifiers/{VERIFIER_ID}/raw"));
            then.status(503);
        });
        retrying(&failing)
            .verify_raw(VERIFIER_ID, &[BinaryReference::new("c1", sdk.clone())], &[BinaryReference::new("r1", sdk)])
            .await
            .unwrap_err();
        mock.assert_calls(3);
    }

    async fn get_address_is_origin_plus_prefix() {
        let server = MockServer::start();
        assert_eq!(handlers_client(&server, 0).handlers().get_address(), format!("{}/1", server.base_url()));
    }
}

fn sdk_refs() -> Vec<BinaryReference> {
    vec![BinaryReference::new("x", descriptor())]
}

error_path_tests! {
    handle: handlers, unreachable: handlers_unreachable;
    create_handler => POST "/1/handlers", decodes: true, |h| h.create_handler(&NewHandler::dynamic());
    get_handler_by_id => GET format!("/1/handlers/{HANDLER_ID}"), decodes: true, |h| h.get_handler_by_id(HANDLER_ID);
    check_handler_by_id => HEAD format!("/1/handlers/{HANDLER_ID}"), decodes: false, |h| h.check_handler_by_id(HANDLER_ID);
    update_handler => PUT format!("/1/handlers/{HANDLER_ID}"), decodes: false, |h| h.update_handler(HANDLER_ID, &NewHandler::dynamic());
    delete_handler_by_id => DELETE format!("/1/handlers/{HANDLER_ID}"), decodes: false, |h| h.delete_handler_by_id(HANDLER_ID);
    get_handlers => GET "/1/handlers", decodes: true, |h| h.get_handlers(&HandlersQuery::new());
    get_handlers_count => GET "/1/handlers/count", decodes: true, |h| h.get_handlers_count(&HandlersQuery::new());
    validate_handler => POST "/1/handlers/validator", decodes: false, |h| h.validate_handler(&Policies::new());
    emit_events => POST format!("/1/handlers/{HANDLER_ID}/events"), decodes: true, |h| h.emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &EmitEventsParams::new());
    emit_stream_events => POST format!("/1/handlers/{HANDLER_ID}/stream_events"), decodes: true, |h| h.emit_stream_events(HANDLER_ID, &StreamEvents::new([StreamSource::new(StreamSourceType::RawImage)]));
    save_event => POST format!("/1/handlers/{HANDLER_ID}/events/raw"), decodes: true, |h| h.save_event(HANDLER_ID, &Event::new(), Saving::ServiceDefault);
    detect_faces => POST "/1/detector", decodes: true, |h| h.detect_faces(BinaryImage::jpeg(vec![1u8]), &DetectParams::new());
    extract_attr_from_sample => POST "/1/extractor", decodes: true, |h| h.extract_attr_from_sample([SAMPLE_ID], &ExtractParams::new());
    upgrade_object_from_sample => POST "/1/upgrade", decodes: true, |h| h.upgrade_object_from_sample(&ObjectUpgrade::event(EVENT_ID));
    create_verifier => POST "/1/verifiers", decodes: true, |h| h.create_verifier(&NewVerifier::new(VerifierPolicies::new()));
    get_verifier => GET format!("/1/verifiers/{VERIFIER_ID}"), decodes: true, |h| h.get_verifier(VERIFIER_ID);
    check_verifier => HEAD format!("/1/verifiers/{VERIFIER_ID}"), decodes: false, |h| h.check_verifier(VERIFIER_ID);
    put_verifier => PUT format!("/1/verifiers/{VERIFIER_ID}"), decodes: false, |h| h.put_verifier(VERIFIER_ID, &NewVerifier::new(VerifierPolicies::new()));
    delete_verifier => DELETE format!("/1/verifiers/{VERIFIER_ID}"), decodes: false, |h| h.delete_verifier(VERIFIER_ID);
    get_verifiers => GET "/1/verifiers", decodes: true, |h| h.get_verifiers(&VerifiersQuery::new());
    get_verifiers_count => GET "/1/verifiers/count", decodes: true, |h| h.get_verifiers_count(&VerifiersQuery::new());
    verify_data => POST format!("/1/verifiers/{VERIFIER_ID}/verifications"), decodes: true, |h| h.verify_data(VERIFIER_ID, BinaryImage::jpeg(vec![1u8]), &VerifyAgainst::faces([FACE_ID]), &VerifyParams::new());
    verify_raw => POST format!("/1/verifiers/{VERIFIER_ID}/raw"), decodes: true, |h| h.verify_raw(VERIFIER_ID, &sdk_refs(), &sdk_refs());
}

/// Runs `call` against a server that must see no request and checks the error is
/// `InvalidArgument` naming `argument`.
macro_rules! refused_before_sending {
    ($( $name:ident: |$h:ident| $call:expr => $argument:literal; )*) => {
        both_modes! {
            $(
                async fn $name() {
                    let server = MockServer::start();
                    let any = nothing_expected(&server);
                    let $h = handlers(&server);
                    let result = $call.await;
                    let error = result.map(|_| ()).unwrap_err();
                    match &error {
                        Error::InvalidArgument { argument, .. } => assert_eq!(*argument, $argument, "{error}"),
                        other => panic!("expected InvalidArgument, got {other:?}"),
                    }
                    any.assert_calls(0);
                }
            )*
        }
    };
}

refused_before_sending! {
    non_uuid_handler_id: |h| h.get_handler_by_id("../verifiers") => "handler_id";
    non_uuid_verifier_id: |h| h.delete_verifier("x") => "verifier_id";
    static_handler_without_policies: |h| h.create_handler(&NewHandler::default().handler_type(HandlerType::Static)) => "policies";
    policies_out_of_range: |h| h.validate_handler(&Policies::new().detect_policy(DetectPolicy::new().pitch_threshold(200))) => "pitch_threshold";
    page_zero: |h| h.get_handlers(&HandlersQuery::new().page(0)) => "page";
    page_size_too_large: |h| h.get_verifiers(&VerifiersQuery::new().page_size(101)) => "page_size";
    emit_empty_image: |h| h.emit_events(HANDLER_ID, BinaryImage::jpeg(Vec::new()), &EmitEventsParams::new()) => "input";
    emit_bad_latitude: |h| h.emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &EmitEventsParams::new().geo_position(91.0, 0.0)) => "latitude";
    emit_long_user_data: |h| h.emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &EmitEventsParams::new().user_data("u".repeat(129))) => "user_data";
    emit_tag_with_comma: |h| h.emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &EmitEventsParams::new().tags(["a,b"])) => "tags";
    emit_bad_stream_id: |h| h.emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &EmitEventsParams::new().stream_id("s")) => "stream_id";
    emit_bad_policies: |h| h.emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &EmitEventsParams::new().policies(Policies::new().extract_policy(ExtractPolicy::new().fd_score_threshold(2.0)))) => "fd_score_threshold";
    emit_meta_on_json_array: |h| h.emit_events(HANDLER_ID, ImageInput::Json(json!([1])), &EmitEventsParams::new().meta(json!({}))) => "input";
    stream_without_sources: |h| h.emit_stream_events(HANDLER_ID, &StreamEvents::new([])) => "sources";
    detect_angle: |h| h.detect_faces(BinaryImage::jpeg(vec![1u8]), &DetectParams::new().yaw_threshold(181)) => "threshold";
    detect_bad_url: |h| h.detect_faces(ImageInput::urls(["ftp://x/a.jpg"]), &DetectParams::new()) => "input";
    extract_nothing: |h| h.extract_attr_from_sample([SAMPLE_ID], &ExtractParams::new().extract_descriptor(false)) => "extract_descriptor";
    extract_no_samples: |h| h.extract_attr_from_sample(Vec::<String>::new(), &ExtractParams::new()) => "sample_ids";
    extract_ttl: |h| h.extract_attr_from_sample([SAMPLE_ID], &ExtractParams::new().ttl(0)) => "ttl";
    upgrade_bad_id: |h| h.upgrade_object_from_sample(&ObjectUpgrade::face("f")) => "face_id";
    verifier_threshold: |h| h.create_verifier(&NewVerifier::new(VerifierPolicies::new().verification_threshold(-1.0))) => "verification_threshold";
    verify_nothing_against: |h| h.verify_data(VERIFIER_ID, BinaryImage::jpeg(vec![1u8]), &VerifyAgainst::faces(Vec::<String>::new()), &VerifyParams::new()) => "face_ids";
    verify_bad_external_id: |h| h.verify_data(VERIFIER_ID, BinaryImage::jpeg(vec![1u8]), &VerifyAgainst::external_ids(["a,b"]), &VerifyParams::new()) => "external_ids";
    verify_no_input: |h| h.verify_data(VERIFIER_ID, VerifyInput::many(Vec::<VerifyItem>::new()), &VerifyAgainst::events([EVENT_ID]), &VerifyParams::new()) => "input";
    verify_raw_no_candidates: |h| h.verify_raw(VERIFIER_ID, &[], &sdk_refs()) => "candidates";
    verify_raw_unlabelled: |h| h.verify_raw(VERIFIER_ID, &sdk_refs(), &[BinaryReference::new("", descriptor())]) => "references";
    verify_raw_no_references: |h| h.verify_raw(VERIFIER_ID, &sdk_refs(), &[]) => "references";
    verify_raw_unlabelled_candidate: |h| h.verify_raw(VERIFIER_ID, &[BinaryReference::new("", descriptor())], &sdk_refs()) => "candidates";
}
}
