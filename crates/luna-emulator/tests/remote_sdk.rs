//! luna-remote-sdk over HTTP: `POST /1/sdk` with one image, multipart images, JSON URLs / image
//! ids / samples of the Image Store, every estimation flag, filters, aggregation, per-image
//! errors and request errors.

mod common;

use base64::Engine as _;
use common::{answer_descriptor, call, Answer};
use luna_emulator::estimation::{BodyEstimator, FaceEstimator};
use luna_emulator::recognition::{detect, face_rect, Subject};
use luna_emulator::Service::{ImageStore, RemoteSdk};
use luna_emulator::{similarity, synthetic_face};
use serde_json::{json, Value};

fn sdk(query: &str, image: Vec<u8>) -> Answer {
    call(RemoteSdk, "POST", format!("/1/sdk?{query}"))
        .image(image)
        .send()
}

fn first_face(answer: &Answer) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.json());
    answer.json()["images_estimations"][0]["estimations"][0]["face"].clone()
}

fn all_face_flags() -> String {
    FaceEstimator::ALL
        .iter()
        .map(|e| format!("{}=1", e.flag()))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn one_image_gets_its_detection_and_every_face_estimation() {
    let answer = sdk(&all_face_flags(), synthetic_face("alice", 0));
    let body = answer.json();
    let image = &body["images_estimations"][0];
    assert_eq!(
        (image["filename"].as_str(), image["status"].as_i64()),
        (Some("image"), Some(1))
    );
    let face = first_face(&answer);
    assert_eq!(face["detection"]["rect"], json!(face_rect(250, 250)));
    assert_eq!(
        face["detection"]["rect"],
        json!({"x": 50, "y": 50, "width": 150, "height": 150})
    );
    let attributes = face["attributes"].as_object().unwrap();
    for estimator in FaceEstimator::ALL {
        assert!(
            attributes.contains_key(estimator.key()),
            "{}",
            estimator.key()
        );
    }
    let expected = Subject::synthetic("alice", 0).attributes();
    assert_eq!(attributes["basic_attributes"]["age"], json!(expected.age));
    assert_eq!(
        attributes["basic_attributes"]["gender"],
        json!(expected.gender)
    );
    assert_eq!(
        attributes["basic_attributes"]["ethnicity"]["predominant_ethnicity"],
        json!(expected.ethnicity.predominant)
    );
    assert_eq!(
        attributes["emotions"]["predominant_emotion"],
        json!(expected.emotions.predominant)
    );
    assert_eq!(
        attributes["mask"]["predominant_mask"],
        json!(expected.mask.predominant)
    );
    assert_eq!(
        attributes["head_pose"]["yaw"],
        json!(expected.head_pose.yaw)
    );
    assert_eq!(attributes["quality"]["score"], json!(expected.quality));
    assert_eq!(
        attributes["liveness"]["prediction"],
        json!(expected.liveness.prediction)
    );
    assert_eq!(attributes["landmarks5"].as_array().unwrap().len(), 5);
    assert_eq!(attributes["landmarks68"].as_array().unwrap().len(), 68);
    assert_eq!(attributes["landmarks5"][0], json!([95.0, 110.0]));
    assert!(attributes["gaze"]["yaw"].as_f64().unwrap().abs() <= 15.0);
    assert!(attributes["eyes_attributes"]["left_eye"]["state"].is_string());
    assert!(attributes["glasses"]["predominant_glasses"].is_string());
    assert!(attributes["face_occlusion"]["predominant_occlusion"].is_string());
    assert_eq!(
        attributes["deepfake"]["prediction"],
        json!(expected.liveness.prediction)
    );
    let descriptor = answer_descriptor(&attributes["descriptor"]);
    assert_eq!((descriptor.version, descriptor.payload.len()), (62, 512));
    // The warp is a 250×250 PNG of the same subject.
    let warp = base64::engine::general_purpose::STANDARD
        .decode(attributes["warp"].as_str().unwrap())
        .unwrap();
    let warped = detect(&warp).unwrap();
    assert_eq!((warped.image_width, warped.image_height), (250, 250));
    assert_eq!(warped.subject, Subject::synthetic("alice", 0));
    // Deterministic: the same image gives the same answer.
    assert_eq!(
        sdk(&all_face_flags(), synthetic_face("alice", 0)).json(),
        body
    );
}

#[test]
fn descriptors_of_one_identity_match_and_of_others_do_not() {
    let descriptor = |who: &str, variant| {
        let face = first_face(&sdk(
            "estimate_face_descriptor=1",
            synthetic_face(who, variant),
        ));
        answer_descriptor(&face["attributes"]["descriptor"])
    };
    let alice = descriptor("alice", 0);
    let alice_again = descriptor("alice", 5);
    let bob = descriptor("bob", 0);
    let same = similarity(&alice, &alice_again).unwrap();
    let other = similarity(&alice, &bob).unwrap();
    assert!((0.9..1.0).contains(&same), "{same}");
    assert!(other < 0.5, "{other}");
}

#[test]
fn without_flags_only_the_detection_is_answered_and_detect_face_0_detects_nothing() {
    let face = first_face(&sdk("", synthetic_face("carol", 0)));
    assert_eq!(face["attributes"], json!({}));
    let answer = sdk("detect_face=0", synthetic_face("carol", 0)).json();
    assert_eq!(answer["images_estimations"][0]["estimations"], json!([]));
    assert_eq!(answer["images_estimations"][0]["status"], 1);
}

#[test]
fn bodies_are_detected_and_estimated_on_request() {
    let flags: Vec<String> = BodyEstimator::ALL
        .iter()
        .map(|e| format!("{}=1", e.flag()))
        .collect();
    let query = format!("detect_body=1&{}", flags.join("&"));
    let answer = sdk(&query, synthetic_face("dan", 0)).json();
    let body = &answer["images_estimations"][0]["estimations"][0]["body"];
    assert_eq!(
        body["detection"]["rect"],
        json!({"x": 25, "y": 6, "width": 200, "height": 237})
    );
    let attributes = &body["attributes"];
    assert_eq!(answer_descriptor(&attributes["descriptor"]).version, 107);
    let expected = Subject::synthetic("dan", 0).attributes();
    assert_eq!(
        attributes["basic_attributes"]["apparent_age"],
        json!(expected.age)
    );
    assert!(attributes["upper_body"]["sleeve"]["length"].is_string());
    assert!(attributes["lower_body"]["lower_garment"]["type"].is_string());
    assert!(attributes["accessories"]["backpack"]["state"].is_string());
    let warp = base64::engine::general_purpose::STANDARD
        .decode(attributes["warp"].as_str().unwrap())
        .unwrap();
    let warped = detect(&warp).unwrap();
    assert_eq!((warped.image_width, warped.image_height), (128, 256));
    // A body warp: the body is the whole image, no face.
    let answer = sdk("detect_body=1&image_type=2", synthetic_face("dan", 0)).json();
    let estimation = &answer["images_estimations"][0]["estimations"][0];
    assert!(estimation.get("face").is_none(), "{estimation}");
    assert_eq!(estimation["body"]["detection"]["rect"]["width"], 250);
}

#[test]
fn a_face_warp_is_a_face_box_of_the_whole_image() {
    let face = first_face(&sdk("image_type=1", synthetic_face("erin", 0)));
    assert_eq!(
        face["detection"]["rect"],
        json!({"x": 0, "y": 0, "width": 250, "height": 250})
    );
}

#[test]
fn several_images_in_multipart_keep_their_order_and_report_errors_per_image() {
    let (a, b) = (synthetic_face("alice", 0), synthetic_face("bob", 0));
    let answer = call(RemoteSdk, "POST", "/1/sdk?estimate_face_descriptor=1")
        .multipart(&[
            ("image", Some("a.png"), "image/png", &a),
            ("image", Some("broken.jpg"), "image/jpeg", b"not an image"),
            ("image", Some("b.png"), "image/png", &b),
        ])
        .send();
    assert_eq!(answer.status, 200);
    let images = answer.json()["images_estimations"].clone();
    let names: Vec<&str> = images
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["filename"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.png", "broken.jpg", "b.png"]);
    assert_eq!(images[1]["status"], 0);
    assert_eq!(images[1]["error"]["error_code"], 100010);
    let descriptor = |i: usize| {
        answer_descriptor(&images[i]["estimations"][0]["face"]["attributes"]["descriptor"])
    };
    assert!(similarity(&descriptor(0), &descriptor(2)).unwrap() < 0.5);
    assert_eq!(images[0]["status"], 1);
}

#[test]
fn images_of_the_image_store_are_read_by_url_id_and_sample_id() {
    let bucket = format!("b-{}", uuid::Uuid::new_v4().simple());
    assert_eq!(
        call(ImageStore, "POST", format!("/1/buckets?bucket={bucket}"))
            .send()
            .status,
        201
    );
    let stored = call(ImageStore, "POST", format!("/1/buckets/{bucket}/images"))
        .image(synthetic_face("frank", 1))
        .send()
        .json();
    let image_id = stored["image_id"].as_str().unwrap().to_owned();
    let url = format!(
        "{}/1/buckets/{bucket}/images/{image_id}",
        common::emulator().origin(ImageStore)
    );
    // A sample in LUNA's samples bucket.
    let _ = call(ImageStore, "POST", "/1/buckets?bucket=visionlabs-samples").send();
    let sample = call(ImageStore, "POST", "/1/buckets/visionlabs-samples/images")
        .image(synthetic_face("frank", 2))
        .send()
        .json();
    let sample_id = sample["image_id"].as_str().unwrap().to_owned();
    let missing = uuid::Uuid::new_v4().to_string();
    let answer = call(RemoteSdk, "POST", "/1/sdk?estimate_face_descriptor=1")
        .json(json!({
            "urls": [{"url": url}, {"url": "http://example.com/face.jpg"}],
            "image_ids": [image_id, missing],
            "samples": [{"sample_id": sample_id}],
        }))
        .send();
    assert_eq!(answer.status, 200, "{}", answer.json());
    let images = answer.json()["images_estimations"].clone();
    let status: Vec<i64> = images
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_i64().unwrap())
        .collect();
    assert_eq!(status, [1, 0, 1, 0, 1]);
    assert_eq!(images[1]["error"]["error_code"], 100022);
    assert_eq!(images[3]["error"]["error_code"], 100022);
    assert_eq!(images[0]["filename"], json!(url));
    let descriptor = |i: usize| {
        answer_descriptor(&images[i]["estimations"][0]["face"]["attributes"]["descriptor"])
    };
    assert!(similarity(&descriptor(0), &descriptor(4)).unwrap() >= 0.9);
    assert_eq!(descriptor(0), descriptor(2));
    // The sample is a warp: its face is the whole image.
    assert_eq!(
        images[4]["estimations"][0]["face"]["detection"]["rect"]["x"],
        0
    );
    // Another account does not see the images.
    let other = call(RemoteSdk, "POST", "/1/sdk")
        .header("Luna-Account-Id", common::OTHER)
        .json(json!({"image_ids": [image_id]}))
        .send()
        .json();
    assert_eq!(
        other["images_estimations"][0]["error"]["error_code"],
        100022
    );
}

#[test]
fn filters_move_faces_to_filtered_estimations() {
    let who = Subject::synthetic("gina", 0).attributes();
    let answer = sdk("yaw_threshold=0", synthetic_face("gina", 0)).json();
    let image = &answer["images_estimations"][0];
    assert_eq!(image["estimations"], json!([]));
    assert_eq!(
        image["filtered_estimations"][0]["filter_reason"],
        "yaw_threshold"
    );
    let yaw = who.head_pose.yaw.abs().ceil() as i64;
    let kept = sdk(&format!("yaw_threshold={yaw}"), synthetic_face("gina", 0)).json();
    assert_eq!(
        kept["images_estimations"][0]["estimations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let mask = who.mask.code;
    let others: Vec<String> = (1..=3)
        .filter(|m| *m != mask)
        .map(|m| m.to_string())
        .collect();
    let answer = sdk(
        &format!("mask_states={}", others.join(",")),
        synthetic_face("gina", 0),
    )
    .json();
    assert_eq!(
        answer["images_estimations"][0]["filtered_estimations"][0]["filter_reason"],
        "mask_states"
    );
    let answer = sdk(
        &format!("mask_states={mask}&liveness_states=0,1,2&score_threshold=0.1"),
        synthetic_face("gina", 0),
    )
    .json();
    assert_eq!(
        answer["images_estimations"][0]["estimations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let answer = sdk("score_threshold=1", synthetic_face("gina", 0)).json();
    assert_eq!(
        answer["images_estimations"][0]["filtered_estimations"][0]["filter_reason"],
        "score_threshold"
    );
}

#[test]
fn image_estimations_exif_and_aggregation() {
    let answer = sdk(
        "estimate_people_count=1&estimate_image_modification=1&extract_exif=1&use_exif_info=1",
        synthetic_face("hana", 0),
    )
    .json();
    let image = &answer["images_estimations"][0];
    assert_eq!(
        image["image_estimations"]["people"],
        json!({"count": 1, "coordinates": [[125.0, 125.0]]})
    );
    assert_eq!(
        image["image_estimations"]["image_modification"]["status"],
        1
    );
    assert_eq!(image["exif"], json!({}));
    let answer = sdk(
        "estimate_people_count=1&people_count_coordinates=0",
        synthetic_face("hana", 0),
    )
    .json();
    assert_eq!(
        answer["images_estimations"][0]["image_estimations"]["people"],
        json!({"count": 1})
    );

    let (a, b) = (synthetic_face("hana", 0), synthetic_face("hana", 1));
    let answer = call(
        RemoteSdk,
        "POST",
        "/1/sdk?aggregate_attributes=1&estimate_emotions=1&estimate_liveness=1&estimate_basic_attributes=1",
    )
    .multipart(&[
        ("image", Some("0.png"), "image/png", &a),
        ("image", Some("1.png"), "image/png", &b),
    ])
    .send()
    .json();
    let expected = Subject::synthetic("hana", 0).attributes();
    let aggregated = &answer["aggregate_estimations"]["face"]["attributes"];
    assert_eq!(
        aggregated["emotions"]["predominant_emotion"],
        json!(expected.emotions.predominant)
    );
    assert_eq!(
        aggregated["liveness"]["prediction"],
        json!(expected.liveness.prediction)
    );
    let p = aggregated["liveness"]["estimations"]["probability"]
        .as_f64()
        .unwrap();
    assert!((p - expected.liveness.value).abs() < 1e-9);
    assert!(sdk("", a).json().get("aggregate_estimations").is_none());
}

#[test]
fn other_images_get_a_stable_subject_of_their_own() {
    let jpeg = {
        let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];
        bytes.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        bytes.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 0x08, 0, 100, 0, 200]);
        bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
        bytes
    };
    let answer = call(
        RemoteSdk,
        "POST",
        "/1/sdk?estimate_face_descriptor=1&estimate_face_warp=1",
    )
    .header("Content-Type", "image/jpeg")
    .bytes(jpeg.clone())
    .send();
    let face = first_face(&answer);
    assert_eq!(
        face["detection"]["rect"],
        json!({"x": 40, "y": 20, "width": 120, "height": 60})
    );
    let warp = base64::engine::general_purpose::STANDARD
        .decode(face["attributes"]["warp"].as_str().unwrap())
        .unwrap();
    // The warp of another image keeps its subject.
    assert_eq!(detect(&warp).unwrap().subject, Subject::of_image(&jpeg));
}

#[test]
fn request_errors() {
    let face = synthetic_face("ivan", 0);
    sdk("estimate_mask=2", face.clone()).assert_error(400, 12012);
    sdk("estimate_everything=1", face.clone()).assert_error(400, 12012);
    sdk("image_type=3", face.clone()).assert_error(400, 12012);
    sdk("multiface_policy=3", face.clone()).assert_error(400, 12012);
    sdk("yaw_threshold=181", face.clone()).assert_error(400, 12012);
    sdk("score_threshold=2", face.clone()).assert_error(400, 12012);
    sdk("mask_states=4", face.clone()).assert_error(400, 12012);
    sdk("liveness_states=1,x", face.clone()).assert_error(400, 12012);
    call(RemoteSdk, "POST", "/1/sdk")
        .header("Content-Type", "text/plain")
        .bytes(b"x".to_vec())
        .send()
        .assert_error(400, 12017);
    call(RemoteSdk, "POST", "/1/sdk")
        .header("Content-Type", "image/png")
        .send()
        .assert_error(400, 12031);
    call(RemoteSdk, "POST", "/1/sdk")
        .multipart(&[("image", Some("a.txt"), "text/plain", b"text")])
        .send()
        .assert_error(400, 12041);
    call(RemoteSdk, "POST", "/1/sdk")
        .header("Content-Type", "multipart/form-data")
        .bytes(b"--x\r\n".to_vec())
        .send()
        .assert_error(400, 12031);
    call(RemoteSdk, "POST", "/1/sdk")
        .header("Content-Type", "multipart/form-data; boundary=x")
        .bytes(b"garbage".to_vec())
        .send()
        .assert_error(400, 12031);
    call(RemoteSdk, "POST", "/1/sdk")
        .json(json!({"pictures": []}))
        .send()
        .assert_error(400, 12022);
    call(RemoteSdk, "POST", "/1/sdk")
        .json(json!({"urls": []}))
        .send()
        .assert_error(400, 12022);
    call(RemoteSdk, "POST", "/1/sdk")
        .json(json!({"image_ids": ["not-a-uuid"]}))
        .send()
        .assert_error(400, 12022);
    call(RemoteSdk, "POST", "/1/sdk")
        .header("Content-Type", "application/json")
        .bytes(b"{".to_vec())
        .send()
        .assert_error(400, 12027);
    call(RemoteSdk, "POST", "/1/sdk")
        .header("Content-Type", "application/x-vl-sdk-descriptor")
        .bytes(b"dp\0\0".to_vec())
        .send()
        .assert_error(400, 12017);
    call(RemoteSdk, "POST", "/1/sdk")
        .multipart(&[
            ("image", Some("a.png"), "image/png", &face),
            ("d", Some("d"), "application/x-vl-sdk-descriptor", b"dp"),
        ])
        .send()
        .assert_error(400, 12041);
    call(RemoteSdk, "GET", "/1/sdk")
        .send()
        .assert_error(405, 12002);
}

#[test]
fn the_spec_lists_the_sdk_route() {
    let spec = call(RemoteSdk, "GET", "/docs/spec").send().json();
    assert!(spec["paths"]["/1/sdk"]["post"].is_object());
    assert_eq!(
        call(RemoteSdk, "GET", "/version").send().json()["Version"]["api"],
        1
    );
}
