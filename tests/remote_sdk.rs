//! Wire tests of the Remote SDK client (both modes): every input form (raw image, multipart
//! checked part by part, URLs, image ids, samples), the query of every parameter, the decoded
//! answer, and the error paths.

mod common;

crate::in_both_modes! {

use std::time::Duration;

use crate::common::*;
use httpmock::prelude::*;
use sdk::model::images::{BinaryImage, ImageInput, ImageType};
use sdk::model::remote_sdk::{LivenessState, MaskState, MultifacePolicy, SdkParams};
use sdk::{Error, LunaClient, RemoteSdk, RetryPolicy, Service, TransportErrorKind};
use serde_json::json;

const IMAGE_ID: &str = "1a2b3c4d-6f0e-4a5c-9a55-8c1a0d1f1a66";
const SAMPLE_ID: &str = "2b3c4d5e-6f0e-4a5c-9a55-8c1a0d1f1a77";
const ECHOED_ID: &str = "1700000001,1c8b5937-2e9c-4e8b-a7a7-5caf86621b5a";

fn lrs_client(server: &MockServer) -> LunaClient {
    LunaClient::builder()
        .address(Service::RemoteSdk, &server.base_url())
        .account_id(ACCOUNT)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn lrs(server: &MockServer) -> RemoteSdk {
    lrs_client(server).remote_sdk().with_request_id(REQUEST_ID)
}

fn lrs_unreachable() -> RemoteSdk {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    LunaClient::builder()
        .address(Service::RemoteSdk, &format!("http://127.0.0.1:{port}"))
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .remote_sdk()
        .with_request_id(REQUEST_ID)
}

fn answer() -> serde_json::Value {
    json!({"images_estimations": [{
        "filename": "a.jpg",
        "estimations": [{"face": {"detection": {"rect": {"x": 1, "y": 2, "width": 30, "height": 40}},
                                  "attributes": {"basic_attributes": {"age": 30, "gender": 1}}}}]
    }]})
}

fn binary(len: usize, seed: usize) -> Vec<u8> {
    (0..len).map(|i| ((i + seed) * 13 % 256) as u8).collect()
}

both_modes! {
    async fn sdk_sends_one_image_as_the_raw_body() {
        let server = MockServer::start();
        let image = binary(20_000, 1);
        let expected = image.clone();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/1/sdk");
            let when = exact_query(when, &[("detect_face", "1"), ("estimate_face_descriptor", "1")]);
            let when = when.header("content-type", "image/png");
            when.is_true(move |req: &HttpMockRequest| req.body_ref() == expected.as_slice());
            then.status(200).json_body(answer());
        });
        let params = SdkParams::new().detect_face(true).estimate_face_descriptor(true);
        let response = lrs(&server).sdk(BinaryImage::png(image), &params).await.unwrap();
        mock.assert();
        let face = response.images_estimations[0].estimations[0].face.as_ref().unwrap();
        assert_eq!(face.detection.as_ref().unwrap().rect.unwrap().height, 40.0);
        assert_eq!(face.attributes().unwrap().basic_attributes.as_ref().unwrap()["age"], 30);
    }

    async fn sdk_sends_every_parameter_in_the_query() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/1/sdk");
            exact_query(when, &[
                ("multiface_policy", "0"), ("detect_face", "1"), ("detect_body", "1"),
                ("estimate_head_pose", "1"), ("estimate_landmarks68", "0"), ("estimate_landmarks5", "1"),
                ("estimate_quality", "1"), ("estimate_gaze", "1"), ("estimate_eyes_attributes", "1"),
                ("estimate_emotions", "1"), ("estimate_mouth_attributes", "1"), ("estimate_mask", "1"),
                ("estimate_glasses", "1"), ("estimate_liveness", "1"), ("estimate_face_warp", "1"),
                ("estimate_body_warp", "1"), ("aggregate_attributes", "1"), ("estimate_basic_attributes", "1"),
                ("estimate_body_descriptor", "1"), ("estimate_face_descriptor", "1"),
                ("estimate_upper_body", "1"), ("estimate_lower_body", "1"),
                ("estimate_body_basic_attributes", "1"), ("estimate_accessories", "1"),
                ("use_exif_info", "1"), ("extract_exif", "1"),
                ("pitch_threshold", "15"), ("roll_threshold", "0"), ("yaw_threshold", "45"),
                ("score_threshold", "0.25"), ("mask_states", "1,2,3"), ("liveness_states", "0,1"),
                ("image_type", "0"),
            ]);
            then.status(200).json_body(answer());
        });
        let params = SdkParams::new()
            .multiface_policy(MultifacePolicy::Reject)
            .detect_face(true).detect_body(true).estimate_head_pose(true)
            .estimate_landmarks68(false).estimate_landmarks5(true).estimate_quality(true)
            .estimate_gaze(true).estimate_eyes_attributes(true).estimate_emotions(true)
            .estimate_mouth_attributes(true).estimate_mask(true).estimate_glasses(true)
            .estimate_liveness(true).estimate_face_warp(true).estimate_body_warp(true)
            .aggregate_attributes(true).estimate_basic_attributes(true)
            .estimate_body_descriptor(true).estimate_face_descriptor(true)
            .estimate_upper_body(true).estimate_lower_body(true)
            .estimate_body_basic_attributes(true).estimate_accessories(true)
            .use_exif_info(true).extract_exif(true)
            .pitch_threshold(15).roll_threshold(0).yaw_threshold(45).score_threshold(0.25)
            .mask_states([MaskState::Missing, MaskState::MedicalMask, MaskState::Occluded])
            .liveness_states([LivenessState::Spoof, LivenessState::Real])
            .image_type(ImageType::RawImage);
        lrs(&server).sdk(BinaryImage::jpeg(vec![0xffu8, 0xd8]), &params).await.unwrap();
        mock.assert();
    }

    async fn sdk_sends_several_images_as_multipart_parts() {
        let server = MockServer::start();
        let first = binary(70_000, 3);
        let second = binary(1_000, 7);
        let third = b"--luna-clients-\r\n\r\n".to_vec();
        let (f, s, t) = (first.clone(), second.clone(), third.clone());
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/1/sdk");
            let when = exact_query(when, &[("estimate_quality", "1")]);
            when.is_true(move |req: &HttpMockRequest| {
                let headers = req.headers();
                let content_type = headers.get("content-type").unwrap().to_str().unwrap();
                let parts = parse_multipart(content_type, req.body_ref());
                let names: Vec<_> = parts.iter().map(|p| p.name.as_str()).collect();
                let files: Vec<_> = parts.iter().map(|p| p.file_name.as_deref()).collect();
                let types: Vec<_> = parts.iter().map(|p| p.content_type.as_str()).collect();
                names == ["image", "image", "image"]
                    && files == [Some("front.jpg"), Some("image_2"), Some("x.bmp")]
                    && types == ["image/jpeg", "image/png", "image/bmp"]
                    && parts[0].body == f
                    && parts[1].body == s
                    && parts[2].body == t
            });
            then.status(200).json_body(answer());
        });
        let input = ImageInput::images([
            BinaryImage::jpeg(first).file_name("front.jpg"),
            BinaryImage::png(second),
            BinaryImage::new(third, "image/bmp").file_name("x.bmp"),
        ]);
        lrs(&server).sdk(input, &SdkParams::new().estimate_quality(true)).await.unwrap();
        mock.assert();
    }

    async fn sdk_sends_urls_as_json() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/1/sdk");
            let when = exact_query(when, &[]);
            json_request(when, json!({"urls": [{"url": "https://cdn.example/a.jpg"}, {"url": "http://10.0.0.1/b.png?x=1"}]}));
            then.status(200).json_body(answer());
        });
        let input = ImageInput::urls(["https://cdn.example/a.jpg", "http://10.0.0.1/b.png?x=1"]);
        lrs(&server).sdk(input, &SdkParams::new()).await.unwrap();
        mock.assert();
    }

    async fn sdk_sends_image_ids_as_json() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/1/sdk");
            let when = exact_query(when, &[("detect_body", "1")]);
            json_request(when, json!({"image_ids": [IMAGE_ID, SAMPLE_ID]}));
            then.status(200).json_body(answer());
        });
        lrs(&server).sdk(ImageInput::image_ids([IMAGE_ID, SAMPLE_ID]), &SdkParams::new().detect_body(true)).await.unwrap();
        mock.assert();
    }

    async fn sdk_sends_samples_as_json_with_the_warp_type() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/1/sdk");
            let when = exact_query(when, &[("image_type", "1"), ("estimate_emotions", "1")]);
            json_request(when, json!({"samples": [{"sample_id": SAMPLE_ID}]}));
            then.status(200).json_body(answer());
        });
        let params = SdkParams::new().image_type(ImageType::FaceWarp).estimate_emotions(true);
        lrs(&server).sdk(ImageInput::samples([SAMPLE_ID]), &params).await.unwrap();
        mock.assert();
    }

    async fn sdk_reports_per_image_errors_inside_a_success() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, "/1/sdk");
            then.status(200).json_body(json!({"images_estimations": [
                {"filename": "ok.jpg", "status": 1, "estimations": []},
                {"filename": "bad.jpg", "status": 0, "error": {"error_code": 100022, "desc": "SDK error", "detail": "Failed to load image"}}
            ]}));
        });
        let response = lrs(&server)
            .sdk(ImageInput::images([BinaryImage::jpeg(vec![1u8]), BinaryImage::jpeg(vec![2u8])]), &SdkParams::new())
            .await
            .unwrap();
        mock.assert();
        assert!(!response.images_estimations[0].is_error());
        assert!(response.images_estimations[1].is_error());
        assert_eq!(response.images_estimations[1].error.as_ref().unwrap().error_code, Some(100022));
    }

    async fn sdk_is_retried_as_a_read() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, "/1/sdk");
            then.status(503);
        });
        let client = LunaClient::builder()
            .address(Service::RemoteSdk, &server.base_url())
            .account_id(ACCOUNT)
            .retry(RetryPolicy::standard().max_retries(2).backoff(Duration::from_millis(1), Duration::from_millis(2)))
            .build()
            .unwrap();
        let err = client.remote_sdk().with_request_id(REQUEST_ID).sdk(BinaryImage::jpeg(vec![1u8]), &SdkParams::new()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        mock.assert_calls(3);
    }

    async fn bad_input_sends_nothing() {
        let server = MockServer::start();
        let guard = nothing_expected(&server);
        let sdk = lrs(&server);
        let p = SdkParams::new();
        let mut errors = Vec::with_capacity(10);
        errors.push(sdk.sdk(BinaryImage::jpeg(Vec::new()), &p).await.unwrap_err());
        errors.push(sdk.sdk(BinaryImage::new(vec![1u8], "image/jpeg\r\nX-Injected: 1"), &p).await.unwrap_err());
        errors.push(sdk.sdk(ImageInput::images(Vec::new()), &p).await.unwrap_err());
        errors.push(sdk.sdk(ImageInput::images([BinaryImage::jpeg(vec![1u8]).file_name("a\"\r\nX: y")]), &p).await.unwrap_err());
        errors.push(sdk.sdk(ImageInput::urls(["ftp://host/a.jpg"]), &p).await.unwrap_err());
        errors.push(sdk.sdk(ImageInput::image_ids(["not-a-uuid"]), &p).await.unwrap_err());
        errors.push(sdk.sdk(ImageInput::samples(Vec::<String>::new()), &p).await.unwrap_err());
        errors.push(sdk.sdk(BinaryImage::jpeg(vec![1u8]), &SdkParams::new().pitch_threshold(181)).await.unwrap_err());
        errors.push(sdk.sdk(BinaryImage::jpeg(vec![1u8]), &SdkParams::new().score_threshold(-0.1)).await.unwrap_err());
        for err in errors {
            assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
        }
        assert_eq!(guard.calls(), 0);
    }

    async fn sdk_luna_error_is_typed() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, "/1/sdk");
            then.status(400).header("luna-request-id", ECHOED_ID).json_body(luna_error(12031));
        });
        let err = lrs(&server).sdk(BinaryImage::jpeg(vec![1u8]), &SdkParams::new()).await.unwrap_err();
        mock.assert();
        let api = err.as_api().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(api.status.as_u16(), 400);
        assert_eq!(api.error_code, Some(12031));
        assert_eq!(api.request_id, ECHOED_ID);
    }

    async fn sdk_refused_connection_is_a_connect_error() {
        let err = lrs_unreachable().sdk(BinaryImage::jpeg(vec![1u8]), &SdkParams::new()).await.unwrap_err();
        assert!(matches!(err, Error::Transport { kind: TransportErrorKind::Connect, .. }), "{err:?}");
        assert_eq!(err.request_id(), Some(REQUEST_ID));
    }

    async fn sdk_undecodable_answer_is_a_decode_error() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, "/1/sdk");
            then.status(200).header("content-type", "application/json").body("{\"images_estimations\": 7}");
        });
        let err = lrs(&server).sdk(BinaryImage::jpeg(vec![1u8]), &SdkParams::new()).await.unwrap_err();
        mock.assert();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.request_id(), Some(REQUEST_ID));
    }

    async fn get_address_is_origin_plus_prefix() {
        let server = MockServer::start();
        assert_eq!(lrs_client(&server).remote_sdk().get_address(), format!("{}/1", server.base_url()));
    }
}
}
