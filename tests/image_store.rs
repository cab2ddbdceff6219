//! Wire tests of every Image Store method (both modes): method, path, query, headers, the
//! binary bodies byte for byte, the decoded answers, and the error paths.

mod common;

crate::in_both_modes! {

use std::time::Duration;

use crate::common::*;
use sdk::model::image_store::{UserMeta};
use httpmock::prelude::*;
use sdk::model::image_store::UploadOptions;
use sdk::{Error, ImageStore, LunaClient, RequestOptions, RetryPolicy, Service, TransportErrorKind};
use serde_json::json;

const BUCKET: &str = "visionlabs-samples";
const IMAGE_ID: &str = "1a2b3c4d-6f0e-4a5c-9a55-8c1a0d1f1a66";
const OBJECT_ID: &str = "2b3c4d5e-6f0e-4a5c-9a55-8c1a0d1f1a77";
const ECHOED_ID: &str = "1700000001,1c8b5937-2e9c-4e8b-a7a7-5caf86621b5a";

fn lis_client(server: &MockServer) -> LunaClient {
    LunaClient::builder()
        .address(Service::ImageStore, &server.base_url())
        .account_id(ACCOUNT)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn lis(server: &MockServer) -> ImageStore {
    lis_client(server)
        .image_store(BUCKET)
        .with_request_id(REQUEST_ID)
}

fn lis_unreachable() -> ImageStore {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    LunaClient::builder()
        .address(Service::ImageStore, &format!("http://127.0.0.1:{port}"))
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .image_store(BUCKET)
        .with_request_id(REQUEST_ID)
}

/// Binary content with every byte value, CR/LF and NULs included.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

fn images_path() -> String {
    format!("/1/buckets/{BUCKET}/images")
}

fn image_path(id: &str) -> String {
    format!("/1/buckets/{BUCKET}/images/{id}")
}

fn objects_path() -> String {
    format!("/1/buckets/{BUCKET}/objects")
}

fn object_path(id: &str) -> String {
    format!("/1/buckets/{BUCKET}/objects/{id}")
}

/// Requires exactly these body bytes.
fn exact_body(when: httpmock::When, expected: Vec<u8>) -> httpmock::When {
    when.is_true(move |req: &HttpMockRequest| req.body_ref() == expected.as_slice())
}

/// Requires that no `Luna-Meta-*` header was sent.
fn no_meta(when: httpmock::When) -> httpmock::When {
    when.is_true(|req: &HttpMockRequest| {
        !req.headers()
            .keys()
            .any(|k| k.as_str().starts_with("luna-meta-"))
    })
}


both_modes! {
    async fn post_image_sends_the_callers_bytes_as_jpeg() {
        let server = MockServer::start();
        let image = binary(100_000);
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &images_path());
            let when = exact_query(when, &[]);
            let when = no_meta(when.header("content-type", "image/jpeg"));
            exact_body(when, image.clone());
            then.status(201).json_body(json!({"image_id": IMAGE_ID, "url": image_path(IMAGE_ID)}));
        });
        let stored = lis(&server)
            .post_image(bytes::Bytes::from(image.clone()), &UploadOptions::new())
            .await
            .unwrap();
        mock.assert();
        assert_eq!(stored.image_id.to_string(), IMAGE_ID);
        assert_eq!(stored.url.as_deref(), Some(image_path(IMAGE_ID).as_str()));
    }

    async fn post_image_sends_content_type_ttl_and_meta() {
        let server = MockServer::start();
        let image = binary(4096);
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &images_path());
            let when = exact_query(when, &[("ttl", "3600")]);
            let when = when
                .header("content-type", "image/png")
                .header("luna-meta-camera", "gate 1")
                .header("luna-meta-zone", "b");
            exact_body(when, image.clone());
            then.status(201).json_body(json!({"image_id": IMAGE_ID, "extra_member": 1}));
        });
        let options = UploadOptions::new()
            .content_type("image/png")
            .ttl(3600)
            .meta("camera", "gate 1")
            .meta("Luna-Meta-Zone", "b");
        let stored = lis(&server).post_image(image.clone(), &options).await.unwrap();
        mock.assert();
        assert_eq!(stored.url, None);
        assert_eq!(stored.extra["extra_member"], 1);
    }

    async fn post_image_streams_a_reader() {
        let server = MockServer::start();
        let image = binary(300_000);
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &images_path());
            let when = when.header("content-type", "image/jpeg").header("transfer-encoding", "chunked");
            exact_body(when, image.clone());
            then.status(201).json_body(json!({"image_id": IMAGE_ID}));
        });
        let stored = lis(&server).post_image(streamed(image.clone()), &UploadOptions::new()).await.unwrap();
        mock.assert();
        assert_eq!(stored.image_id.to_string(), IMAGE_ID);
    }

    async fn put_image_puts_under_the_given_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PUT, &image_path(IMAGE_ID));
            let when = exact_query(when, &[("ttl", "60")]);
            let when = when.header("content-type", "image/jpeg");
            exact_body(when, b"\xff\xd8\xff\xe0 jpeg \r\n\0 bytes".to_vec());
            then.status(200).json_body(json!({"image_id": IMAGE_ID, "url": image_path(IMAGE_ID)}));
        });
        let stored = lis(&server)
            .put_image(&b"\xff\xd8\xff\xe0 jpeg \r\n\0 bytes"[..], IMAGE_ID, &UploadOptions::new().ttl(60))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(stored.image_id.to_string(), IMAGE_ID);
    }

    async fn put_image_accepts_an_answer_without_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PUT, &image_path(IMAGE_ID));
            exact_query(when, &[]);
            then.status(200).json_body(json!({"url": image_path(IMAGE_ID)}));
        });
        let empty = server.mock(|when, then| {
            luna(when, PUT, &image_path(OBJECT_ID));
            then.status(204);
        });
        let store = lis(&server);
        let located = store.put_image(vec![1u8, 2, 3], IMAGE_ID, &UploadOptions::new()).await.unwrap();
        let stored = store.put_image(vec![1u8, 2, 3], OBJECT_ID, &UploadOptions::new()).await.unwrap();
        mock.assert();
        empty.assert();
        // The documented 200 `{"url"}` is success: the id is the caller's.
        assert_eq!(located.image_id.to_string(), IMAGE_ID);
        assert_eq!(located.url.as_deref(), Some(image_path(IMAGE_ID).as_str()));
        assert_eq!(stored.image_id.to_string(), OBJECT_ID);
    }

    async fn get_image_returns_bytes_type_and_meta() {
        let server = MockServer::start();
        let image = binary(50_000);
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &image_path(IMAGE_ID));
            let when = exact_query(when, &[("with_meta", "1")]);
            no_body(when.header("accept", "*/*"));
            then.status(200)
                .header("content-type", "image/jpeg")
                .header("luna-meta-camera", "gate 1")
                .header("x-luna-expiry-date", "2030-01-01T00:00:00Z")
                .body(image.clone());
        });
        let download = lis(&server).get_image(IMAGE_ID, UserMeta::Include).await.unwrap();
        mock.assert();
        assert_eq!(download.body.as_ref(), image.as_slice());
        assert_eq!(download.info.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(download.info.meta.get("camera").map(String::as_str), Some("gate 1"));
        assert_eq!(download.info.expiry_date.as_deref(), Some("2030-01-01T00:00:00Z"));
        assert_eq!(download.info.content_length, Some(50_000));
    }

    async fn get_image_without_meta_flag_sends_no_query() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &image_path(IMAGE_ID));
            exact_query(when, &[]);
            then.status(200).header("content-type", "image/jpeg").body(b"jpg");
        });
        let plain = server.mock(|when, then| {
            let when = luna(when, GET, &image_path(OBJECT_ID));
            exact_query(when, &[("with_meta", "0")]);
            then.status(200).body(b"jpg");
        });
        let store = lis(&server);
        let download = store.get_image(IMAGE_ID, UserMeta::ServiceDefault).await.unwrap();
        store.get_image(OBJECT_ID, UserMeta::Exclude).await.unwrap();
        mock.assert();
        plain.assert();
        assert!(download.info.meta.is_empty());
        assert_eq!(download.info.expiry_date, None);
    }

    async fn get_image_stream_reads_the_body_incrementally() {
        let server = MockServer::start();
        let image = binary(2 * 1024 * 1024 + 17);
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &image_path(IMAGE_ID));
            exact_query(when.header("accept", "*/*"), &[("with_meta", "1")]);
            then.status(200).header("content-type", "image/jpeg").header("luna-meta-a", "b").body(image.clone());
        });
        let download = lis(&server).get_image_stream(IMAGE_ID, UserMeta::Include).await.unwrap();
        assert_eq!(download.info.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(download.info.meta.get("a").map(String::as_str), Some("b"));
        let got = read_stream(download.body).await;
        mock.assert();
        assert_eq!(got.len(), image.len());
        assert!(got == image);
    }

    async fn downloads_honour_the_body_cap() {
        let server = MockServer::start();
        let image = binary(10_000);
        let mock = server.mock(|when, then| {
            luna(when, GET, &image_path(IMAGE_ID));
            then.status(200).header("content-type", "image/jpeg").body(image.clone());
        });
        let capped = lis(&server).with_options(RequestOptions::new().max_response_bytes(9_999));
        let whole = capped.get_image(IMAGE_ID, UserMeta::ServiceDefault).await.unwrap_err();
        let stream = capped.get_image_stream(IMAGE_ID, UserMeta::ServiceDefault).await;
        let at_cap = lis(&server)
            .with_options(RequestOptions::new().max_response_bytes(10_000))
            .get_image(IMAGE_ID, UserMeta::ServiceDefault)
            .await
            .unwrap();
        assert!(matches!(whole, Error::Transport { kind: TransportErrorKind::BodyTooLarge, .. }), "{whole:?}");
        // The cap is checked against Content-Length up front, or while reading the stream.
        match stream {
            Err(e) => assert!(matches!(e, Error::Transport { kind: TransportErrorKind::BodyTooLarge, .. }), "{e:?}"),
            Ok(download) => {
                let err = download.body.bytes().await.unwrap_err();
                assert!(matches!(err, Error::Transport { kind: TransportErrorKind::BodyTooLarge, .. }), "{err:?}");
            }
        }
        assert_eq!(at_cap.body.len(), 10_000);
        mock.assert_calls(3);
    }

    async fn head_image_reports_existence_and_meta() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &image_path(IMAGE_ID));
            exact_query(when, &[("with_meta", "1")]);
            then.status(200).header("content-type", "image/jpeg").header("luna-meta-camera", "gate 1");
        });
        let absent = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &image_path(OBJECT_ID));
            exact_query(when, &[]);
            then.status(404);
        });
        let store = lis(&server);
        let info = store.head_image(IMAGE_ID, UserMeta::Include).await.unwrap().expect("exists");
        let missing = store.head_image(OBJECT_ID, UserMeta::ServiceDefault).await.unwrap();
        present.assert();
        absent.assert();
        assert_eq!(info.meta.get("camera").map(String::as_str), Some("gate 1"));
        assert_eq!(missing, None);
    }

    async fn head_is_not_limited_by_the_length_of_the_stored_item() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &image_path(IMAGE_ID));
            then.status(200).header("content-type", "image/jpeg").body(binary(5_000));
        });
        let info = lis(&server)
            .with_options(RequestOptions::new().max_response_bytes(100))
            .head_image(IMAGE_ID, UserMeta::ServiceDefault)
            .await
            .unwrap()
            .expect("exists");
        mock.assert();
        assert_eq!(info.content_length, Some(5_000));
    }

    async fn delete_image_deletes_by_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &image_path(IMAGE_ID));
            let when = exact_query(when, &[]);
            no_body(when);
            then.status(204);
        });
        lis(&server).delete_image(IMAGE_ID).await.unwrap();
        mock.assert();
    }

    async fn delete_images_sends_ids_in_the_body() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &images_path());
            let when = exact_query(when, &[]);
            json_request(when, json!({"images": [IMAGE_ID, OBJECT_ID]}));
            then.status(204);
        });
        lis(&server).delete_images([IMAGE_ID, OBJECT_ID]).await.unwrap();
        mock.assert();
    }

    async fn bulk_deletes_are_limited_to_1000_ids() {
        let server = MockServer::start();
        let ok = server.mock(|when, then| {
            luna(when, DELETE, &objects_path());
            then.status(204);
        });
        let ids: Vec<uuid::Uuid> = (0..1001).map(|_| uuid::Uuid::new_v4()).collect();
        let store = lis(&server);
        let too_many_images = store.delete_images(ids.clone()).await.unwrap_err();
        let too_many_objects = store.delete_objects(ids.clone()).await.unwrap_err();
        let none = store.delete_images(Vec::<uuid::Uuid>::new()).await.unwrap_err();
        assert!(matches!(too_many_images, Error::InvalidArgument { argument: "image_ids", ref reason } if reason.contains("1000")));
        assert!(matches!(too_many_objects, Error::InvalidArgument { argument: "object_ids", .. }));
        assert!(matches!(none, Error::InvalidArgument { argument: "image_ids", .. }));
        assert_eq!(ok.calls(), 0);
        store.delete_objects(ids[..1000].to_vec()).await.unwrap();
        ok.assert_calls(1);
    }

    async fn post_object_sends_json_by_default() {
        let server = MockServer::start();
        let object = r#"{"a": [1, 2, 3]}"#;
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &objects_path());
            let when = exact_query(when, &[]);
            let when = when.header("content-type", "application/json");
            exact_body(when, object.as_bytes().to_vec());
            then.status(201).json_body(json!({"object_id": OBJECT_ID, "url": object_path(OBJECT_ID)}));
        });
        let stored = lis(&server).post_object(object, &UploadOptions::new()).await.unwrap();
        mock.assert();
        assert_eq!(stored.object_id.to_string(), OBJECT_ID);
    }

    async fn post_object_streams_any_type_with_meta() {
        let server = MockServer::start();
        let video = binary(500_000);
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &objects_path());
            let when = exact_query(when, &[("ttl", "86400")]);
            let when = when.header("content-type", "video/mp4").header("luna-meta-source", "cam-7");
            exact_body(when, video.clone());
            then.status(201).json_body(json!({"object_id": OBJECT_ID}));
        });
        let options = UploadOptions::new().content_type("video/mp4").ttl(86400).meta("source", "cam-7");
        lis(&server).post_object(streamed(video.clone()), &options).await.unwrap();
        mock.assert();
    }

    async fn streamed_upload_with_a_declared_length_is_not_chunked() {
        let server = MockServer::start();
        let object = binary(200_000);
        let mock = server.mock(|when, then| {
            let when = luna(when, PUT, &object_path(OBJECT_ID));
            let when = when
                .header("content-type", "application/zip")
                .header("content-length", "200000")
                .header_missing("transfer-encoding");
            exact_body(when, object.clone());
            then.status(200).json_body(json!({"object_id": OBJECT_ID}));
        });
        let body = streamed(object.clone()).with_length(200_000);
        assert_eq!(body.content_length(), Some(200_000));
        let options = UploadOptions::new().content_type("application/zip");
        lis(&server).put_object(body, OBJECT_ID, &options).await.unwrap();
        mock.assert();
    }

    async fn put_object_puts_text_under_the_given_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PUT, &object_path(OBJECT_ID));
            let when = exact_query(when, &[]);
            let when = when.header("content-type", "text/plain");
            exact_body(when, b"plain text".to_vec());
            then.status(200).json_body(json!({"object_id": OBJECT_ID, "url": object_path(OBJECT_ID)}));
        });
        let stored = lis(&server)
            .put_object(String::from("plain text"), OBJECT_ID, &UploadOptions::new().content_type("text/plain"))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(stored.url.as_deref(), Some(object_path(OBJECT_ID).as_str()));
    }

    async fn get_object_returns_bytes_and_file_name() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &object_path(OBJECT_ID));
            exact_query(when.header("accept", "*/*"), &[]);
            then.status(200)
                .header("content-type", "application/pdf")
                .header("content-disposition", format!("attachment; filename=\"{OBJECT_ID}.pdf\""))
                .header("luna-meta-owner", "ops")
                .body(b"%PDF-1.7 \x00\x01");
        });
        let download = lis(&server).get_object(OBJECT_ID).await.unwrap();
        mock.assert();
        assert_eq!(download.body.as_ref(), b"%PDF-1.7 \x00\x01");
        assert_eq!(download.info.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(download.info.file_name, Some(format!("{OBJECT_ID}.pdf")));
        assert_eq!(download.info.meta.get("owner").map(String::as_str), Some("ops"));
    }

    async fn get_object_stream_reads_the_body_incrementally() {
        let server = MockServer::start();
        let object = binary(1_500_000);
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &object_path(OBJECT_ID));
            exact_query(when.header("accept", "*/*"), &[]);
            then.status(200).header("content-type", "video/mp4").body(object.clone());
        });
        let download = lis(&server).get_object_stream(OBJECT_ID).await.unwrap();
        assert_eq!(download.info.content_type.as_deref(), Some("video/mp4"));
        let got = download.body.bytes().await.unwrap();
        mock.assert();
        assert!(got.as_ref() == object.as_slice());
    }

    async fn head_object_reports_existence() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &object_path(OBJECT_ID));
            exact_query(when.header("accept", "*/*"), &[]);
            then.status(200).header("content-type", "text/plain");
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &object_path(IMAGE_ID));
            then.status(404);
        });
        let store = lis(&server);
        let info = store.head_object(OBJECT_ID).await.unwrap();
        let missing = store.head_object(IMAGE_ID).await.unwrap();
        present.assert();
        absent.assert();
        assert_eq!(info.unwrap().content_type.as_deref(), Some("text/plain"));
        assert!(missing.is_none());
    }

    async fn delete_object_deletes_by_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &object_path(OBJECT_ID));
            let when = exact_query(when, &[]);
            no_body(when);
            then.status(204);
        });
        lis(&server).delete_object(OBJECT_ID).await.unwrap();
        mock.assert();
    }

    async fn delete_objects_sends_ids_in_the_body() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &objects_path());
            let when = exact_query(when, &[]);
            json_request(when, json!({"objects": [OBJECT_ID]}));
            then.status(204);
        });
        lis(&server).delete_objects([OBJECT_ID]).await.unwrap();
        mock.assert();
    }

    async fn create_bucket_sends_the_name_in_the_query() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/1/buckets");
            let when = exact_query(when, &[("bucket", BUCKET)]);
            no_body(when);
            then.status(201);
        });
        lis(&server).create_bucket().await.unwrap();
        mock.assert();
    }

    async fn bucket_exists_heads_the_bucket() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &format!("/1/buckets/{BUCKET}"));
            exact_query(when, &[]);
            then.status(200);
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, "/1/buckets/other-bucket");
            then.status(404);
        });
        let yes = lis(&server).bucket_exists().await.unwrap();
        let no = lis_client(&server).image_store("other-bucket").with_request_id(REQUEST_ID).bucket_exists().await.unwrap();
        present.assert();
        absent.assert();
        assert!(yes && !no);
    }

    async fn delete_bucket_accepts_202() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &format!("/1/buckets/{BUCKET}"));
            let when = exact_query(when, &[]);
            no_body(when);
            then.status(202);
        });
        lis(&server).delete_bucket().await.unwrap();
        mock.assert();
    }

    async fn list_buckets_reads_names() {
        let server = MockServer::start();
        let mut mock = server.mock(|when, then| {
            let when = luna(when, GET, "/1/buckets");
            exact_query(when, &[]);
            then.status(200).json_body(json!({"buckets": ["a-bucket", {"bucket": "b-bucket"}, {"name": "c-bucket"}]}));
        });
        let bare = server.mock(|when, then| {
            luna(when, GET, "/1/buckets");
            then.status(200).json_body(json!(["x-bucket"]));
        });
        let names = lis(&server).list_buckets().await.unwrap();
        mock.assert();
        assert_eq!(names, vec!["a-bucket", "b-bucket", "c-bucket"]);
        mock.delete();
        let names = lis(&server).list_buckets().await.unwrap();
        bare.assert();
        assert_eq!(names, vec!["x-bucket"]);
    }

    async fn get_address_is_base_plus_bucket() {
        let server = MockServer::start();
        let client = lis_client(&server);
        assert_eq!(client.image_store(BUCKET).get_address(), format!("{}/1/buckets/{BUCKET}", server.base_url()));
        assert_eq!(client.image_store("b2").bucket(), "b2");
    }

    async fn bad_input_sends_nothing() {
        let server = MockServer::start();
        let guard = nothing_expected(&server);
        let store = lis(&server);
        let bad_bucket = lis_client(&server).image_store("../faces").with_request_id(REQUEST_ID);
        let o = UploadOptions::new();
        // `.await` inside a macro call is not rewritten by maybe-async: push one by one.
        let mut errors = Vec::with_capacity(24);
        errors.push(store.post_image(Vec::new(), &o).await.unwrap_err());
        errors.push(store.post_image(vec![1u8], &o.clone().content_type("jpeg")).await.unwrap_err());
        errors.push(store.post_image(vec![1u8], &o.clone().content_type("image/jpeg\r\nX-Injected: 1")).await.unwrap_err());
        errors.push(store.post_image(vec![1u8], &o.clone().meta("camera", "a\r\nX-Injected: 1")).await.unwrap_err());
        errors.push(store.post_image(vec![1u8], &o.clone().meta("bad name", "v")).await.unwrap_err());
        errors.push(store.post_object(vec![1u8], &o.clone().ttl(0)).await.unwrap_err());
        errors.push(store.put_image(vec![1u8], "not-a-uuid", &o).await.unwrap_err());
        errors.push(store.put_object(vec![1u8], "../x", &o).await.unwrap_err());
        errors.push(store.get_image("nope", UserMeta::ServiceDefault).await.unwrap_err());
        errors.push(store.get_image_stream("nope", UserMeta::ServiceDefault).await.unwrap_err());
        errors.push(store.head_image("nope", UserMeta::ServiceDefault).await.unwrap_err());
        errors.push(store.delete_image("nope").await.unwrap_err());
        errors.push(store.delete_images(["nope"]).await.unwrap_err());
        errors.push(store.get_object("nope").await.unwrap_err());
        errors.push(store.get_object_stream("nope").await.unwrap_err());
        errors.push(store.head_object("nope").await.unwrap_err());
        errors.push(store.delete_object("nope").await.unwrap_err());
        errors.push(store.delete_objects(["nope"]).await.unwrap_err());
        errors.push(bad_bucket.post_image(vec![1u8], &o).await.unwrap_err());
        errors.push(bad_bucket.get_image(IMAGE_ID, UserMeta::ServiceDefault).await.unwrap_err());
        errors.push(bad_bucket.create_bucket().await.unwrap_err());
        errors.push(bad_bucket.bucket_exists().await.unwrap_err());
        errors.push(bad_bucket.delete_bucket().await.unwrap_err());
        errors.push(store.with_request_id("not a request id").get_image(IMAGE_ID, UserMeta::ServiceDefault).await.unwrap_err());
        for err in errors.drain(..) {
            assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
            assert_eq!(err.request_id(), None);
        }
        assert_eq!(guard.calls(), 0);
    }
}

/// Error paths of one method: a LUNA error answer becomes `Error::Api` (code and echoed request
/// id), a refused connection `Error::Transport { kind: Connect }`, and — for methods that
/// decode (`decodes`) — a 2xx answer that does not decode `Error::Decode`.
macro_rules! error_paths {
    ($module:ident, $method:expr, $path:expr, $code:expr, decodes, |$lis:ident| $($call:tt)+) => {
        mod $module {
            use super::*;
            error_paths!(@common $method, $path, $code, |$lis| $($call)+);
            error_paths!(@decode $method, $path, |$lis| $($call)+);
        }
    };
    ($module:ident, $method:expr, $path:expr, $code:expr, |$lis:ident| $($call:tt)+) => {
        mod $module {
            use super::*;
            error_paths!(@common $method, $path, $code, |$lis| $($call)+);
        }
    };
    (@common $method:expr, $path:expr, $code:expr, |$lis:ident| $($call:tt)+) => {
        both_modes! {
            async fn luna_error_is_typed() {
                let server = MockServer::start();
                let status = if $code.is_some() { 404 } else { 500 };
                let mock = server.mock(|when, then| {
                    luna(when, $method, &$path);
                    then.status(status)
                        .header("luna-request-id", ECHOED_ID)
                        .header("content-type", "application/json")
                        .json_body(luna_error($code.unwrap_or(1)));
                });
                let $lis = lis(&server);
                let err = ($($call)+).await.unwrap_err();
                mock.assert();
                let api = err.as_api().unwrap_or_else(|| panic!("not an API error: {err:?}"));
                assert_eq!(api.status.as_u16(), status);
                assert_eq!(api.error_code, $code);
                assert_eq!(api.request_id, ECHOED_ID);
            }

            async fn refused_connection_is_a_connect_error() {
                let $lis = lis_unreachable();
                let err = ($($call)+).await.unwrap_err();
                assert!(matches!(err, Error::Transport { kind: TransportErrorKind::Connect, .. }), "{err:?}");
                assert_eq!(err.request_id(), Some(REQUEST_ID));
            }
        }
    };
    (@decode $method:expr, $path:expr, |$lis:ident| $($call:tt)+) => {
        both_modes! {
            async fn undecodable_answer_is_a_decode_error() {
                let server = MockServer::start();
                let mock = server.mock(|when, then| {
                    luna(when, $method, &$path);
                    then.status(200).header("content-type", "application/json").body("{\"unexpected\": tru");
                });
                let $lis = lis(&server);
                let err = ($($call)+).await.unwrap_err();
                mock.assert();
                assert!(matches!(err, Error::Decode { .. }), "{err:?}");
                assert_eq!(err.request_id(), Some(REQUEST_ID));
            }
        }
    };
}

mod errors {
    use super::*;

    error_paths!(post_image, POST, images_path(), Some(12024), decodes, |s| s
        .post_image(vec![1u8, 2], &UploadOptions::new()));
    error_paths!(put_image, PUT, image_path(IMAGE_ID), Some(12025), |s| s
        .put_image(vec![1u8, 2], IMAGE_ID, &UploadOptions::new()));
    error_paths!(get_image, GET, image_path(IMAGE_ID), Some(13003), |s| s
        .get_image(IMAGE_ID, UserMeta::ServiceDefault));
    error_paths!(
        get_image_stream,
        GET,
        image_path(IMAGE_ID),
        Some(13003),
        |s| s.get_image_stream(IMAGE_ID, UserMeta::ServiceDefault)
    );
    error_paths!(
        head_image,
        httpmock::Method::HEAD,
        image_path(IMAGE_ID),
        None::<i64>,
        |s| s.head_image(IMAGE_ID, UserMeta::ServiceDefault)
    );
    error_paths!(
        delete_image,
        DELETE,
        image_path(IMAGE_ID),
        Some(13003),
        |s| s.delete_image(IMAGE_ID)
    );
    error_paths!(delete_images, DELETE, images_path(), Some(12022), |s| s
        .delete_images([IMAGE_ID]));
    error_paths!(
        post_object,
        POST,
        objects_path(),
        Some(12024),
        decodes,
        |s| s.post_object("{}", &UploadOptions::new())
    );
    error_paths!(put_object, PUT, object_path(OBJECT_ID), Some(12025), |s| s
        .put_object("{}", OBJECT_ID, &UploadOptions::new()));
    error_paths!(get_object, GET, object_path(OBJECT_ID), Some(13007), |s| s
        .get_object(OBJECT_ID));
    error_paths!(
        get_object_stream,
        GET,
        object_path(OBJECT_ID),
        Some(13007),
        |s| s.get_object_stream(OBJECT_ID)
    );
    error_paths!(
        head_object,
        httpmock::Method::HEAD,
        object_path(OBJECT_ID),
        None::<i64>,
        |s| s.head_object(OBJECT_ID)
    );
    error_paths!(
        delete_object,
        DELETE,
        object_path(OBJECT_ID),
        Some(13007),
        |s| s.delete_object(OBJECT_ID)
    );
    error_paths!(delete_objects, DELETE, objects_path(), Some(12022), |s| s
        .delete_objects([OBJECT_ID]));
    error_paths!(
        create_bucket,
        POST,
        String::from("/1/buckets"),
        Some(13006),
        |s| s.create_bucket()
    );
    error_paths!(
        bucket_exists,
        httpmock::Method::HEAD,
        format!("/1/buckets/{BUCKET}"),
        None::<i64>,
        |s| s.bucket_exists()
    );
    error_paths!(
        delete_bucket,
        DELETE,
        format!("/1/buckets/{BUCKET}"),
        Some(13004),
        |s| s.delete_bucket()
    );
    error_paths!(
        list_buckets,
        GET,
        String::from("/1/buckets"),
        Some(1),
        decodes,
        |s| s.list_buckets()
    );
}
}

/// A streamed body is a reader for the blocking client and a stream for the async one; given to
/// the other client it is refused before anything is sent (only when both clients are built).
#[cfg(all(feature = "async", feature = "blocking"))]
mod body_of_the_other_client {
    use httpmock::MockServer;
    use luna_clients::blocking::ImageStoreApi as _;
    use luna_clients::model::image_store::UploadOptions;
    use luna_clients::{Error, ImageStoreApi as _, Service, UploadBody};

    use crate::common::{nothing_expected, ACCOUNT};

    fn refused(result: luna_clients::Result<impl std::fmt::Debug>, built_by: &str) {
        match result.unwrap_err() {
            Error::InvalidArgument { argument, reason } => {
                assert_eq!(argument, "body");
                assert!(reason.contains(built_by), "{reason}");
            }
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_reader_body_is_refused_by_the_async_client() {
        let server = MockServer::start();
        let guard = nothing_expected(&server);
        let store = luna_clients::LunaClient::builder()
            .address(Service::ImageStore, &server.base_url())
            .account_id(ACCOUNT)
            .build()
            .unwrap()
            .image_store("visionlabs-samples");
        let body = UploadBody::from_reader(std::io::Cursor::new(vec![1u8; 16]));
        let result = store.post_image(body, &UploadOptions::new()).await;
        refused(result, "UploadBody::from_reader");
        guard.assert_calls(0);
    }

    #[test]
    fn a_stream_body_is_refused_by_the_blocking_client() {
        let server = MockServer::start();
        let guard = nothing_expected(&server);
        let store = luna_clients::blocking::LunaClient::builder()
            .address(Service::ImageStore, &server.base_url())
            .account_id(ACCOUNT)
            .build()
            .unwrap()
            .image_store("visionlabs-samples");
        let body = UploadBody::from_async_read(std::io::Cursor::new(vec![1u8; 16]));
        let result = store.post_image(body, &UploadOptions::new());
        refused(result, "UploadBody::from_stream");
        guard.assert_calls(0);
    }
}
