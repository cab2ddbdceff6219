//! luna-handlers over HTTP: handlers and verifiers (CRUD, counts, paging, validation), the
//! policy pipeline of `emit_events` (detect, extract, match, conditional tags, storage into the
//! Image Store, luna-faces and luna-events, `wait_saving`), raw and stream events, the detector,
//! the extractor, upgrade, verifications.

mod common;

use base64::Engine as _;
use common::{answer_descriptor, call, Answer, ACCOUNT, OTHER};
use luna_emulator::recognition::Subject;
use luna_emulator::Service::{Events, Faces, Handlers, ImageStore};
use luna_emulator::{similarity, synthetic_face};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn new_list() -> String {
    let list = call(Faces, "POST", "/3/lists")
        .json(json!({"user_data": "handlers"}))
        .send();
    assert_eq!(list.status, 201, "{}", list.json());
    list.json()["list_id"].as_str().unwrap().to_owned()
}

fn create_handler(body: Value) -> String {
    let created = call(Handlers, "POST", "/1/handlers").json(body).send();
    assert_eq!(created.status, 201, "{}", created.json());
    let id = created.json()["handler_id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/1/handlers/{id}").as_str())
    );
    assert_eq!(created.json()["url"], json!(format!("/1/handlers/{id}")));
    id
}

/// A handler that enrols: detect, extract descriptor and basic attributes, store the face
/// linked to `list`, store samples and the event.
fn enrol_handler(list: &str) -> String {
    create_handler(json!({
        "description": "enrol",
        "policies": {
            "detect_policy": {"estimate_emotions": 1, "estimate_mask": 1},
            "extract_policy": {"extract_face_descriptor": 1, "extract_basic_attributes": 1},
            "storage_policy": {
                "face_policy": {"store_face": 1, "set_sample_as_avatar": 1,
                                "link_to_lists_policy": [{"list_id": list}]},
                "attribute_policy": {"store_attribute": 1, "ttl": 600},
                "image_origin_policy": {"store_image": 1},
                "event_policy": {"store_event": 1, "wait_saving": 1}
            }
        }
    }))
}

/// A handler that searches `list`: match with threshold 0.5, tag `known` at ≥ 0.9.
fn search_handler(list: &str) -> String {
    create_handler(json!({
        "description": "search",
        "policies": {
            "match_policy": [{"label": "staff", "candidates": {"origin": "faces", "list_id": list},
                              "limit": 2, "threshold": 0.5}],
            "conditional_tags_policy": [
                {"tag": "known", "filters": {"match": [{"label": "staff", "similarity__gte": 0.9}]}},
                {"tag": "everyone"},
                {"tag": "at-entrance", "filters": {"tags": ["entrance"]}}
            ],
            "storage_policy": {"event_policy": {"store_event": 1, "wait_saving": 1}}
        }
    }))
}

fn emit(handler: &str, query: &str, image: Vec<u8>) -> Answer {
    call(
        Handlers,
        "POST",
        format!("/1/handlers/{handler}/events?{query}"),
    )
    .image(image)
    .send()
}

fn event_of(answer: &Answer) -> Value {
    assert_eq!(answer.status, 201, "{}", answer.json());
    answer.json()["events"][0].clone()
}

#[test]
fn handler_crud_counts_paging_and_isolation() {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let policies = json!({"detect_policy": {"estimate_head_pose": 1}});
    let ids: Vec<String> = (0..3)
        .map(|i| {
            create_handler(json!({"description": format!("crud-{tag}-{i}"), "policies": policies}))
        })
        .collect();
    let dynamic =
        create_handler(json!({"description": format!("crud-{tag}-dyn"), "handler_type": 1}));
    let got = call(Handlers, "GET", format!("/1/handlers/{}", ids[0])).send();
    assert_eq!(got.status, 200);
    let handler = got.json();
    assert_eq!(handler["handler_id"], json!(ids[0]));
    assert_eq!(handler["account_id"], json!(ACCOUNT));
    assert_eq!(handler["policies"], policies);
    assert_eq!(handler["handler_type"], 0);
    assert!(handler["create_time"].is_string() && handler["last_update_time"].is_string());
    assert_eq!(
        call(Handlers, "GET", format!("/1/handlers/{dynamic}"))
            .send()
            .json()["policies"],
        Value::Null
    );
    assert_eq!(
        call(Handlers, "HEAD", format!("/1/handlers/{}", ids[0]))
            .send()
            .status,
        200
    );
    let missing = uuid::Uuid::new_v4();
    assert_eq!(
        call(Handlers, "HEAD", format!("/1/handlers/{missing}"))
            .send()
            .status,
        404
    );
    call(Handlers, "GET", format!("/1/handlers/{missing}"))
        .send()
        .assert_error(404, 34000);
    call(Handlers, "GET", format!("/1/handlers/{}", ids[0]))
        .header("Luna-Account-Id", OTHER)
        .send()
        .assert_error(404, 34000);
    // Paging and filters.
    let page = |q: &str| {
        call(
            Handlers,
            "GET",
            format!("/1/handlers?description=crud-{tag}&{q}"),
        )
        .send()
        .json()["handlers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["handler_id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(page("page=1&page_size=2"), ids[..2]);
    assert_eq!(
        page("page=2&page_size=2"),
        vec![ids[2].clone(), dynamic.clone()]
    );
    assert_eq!(page("handler_type=1"), vec![dynamic.clone()]);
    let count = |q: &str| {
        call(
            Handlers,
            "GET",
            format!("/1/handlers/count?description=crud-{tag}{q}"),
        )
        .send()
        .json()
    };
    assert_eq!(count(""), json!({"handlers_count": 4}));
    assert_eq!(count("&handler_type=0"), json!({"handlers_count": 3}));
    call(Handlers, "GET", "/1/handlers?page_size=101")
        .send()
        .assert_error(400, 12012);
    call(Handlers, "GET", "/1/handlers?handler_type=3")
        .send()
        .assert_error(400, 12012);
    call(Handlers, "GET", "/1/handlers/count?page=1")
        .send()
        .assert_error(400, 12012);
    // Replace.
    let replaced = call(Handlers, "PUT", format!("/1/handlers/{}", ids[1]))
        .json(json!({"description": "replaced", "policies": {"extract_policy": {"extract_basic_attributes": 1}}}))
        .send();
    assert_eq!(replaced.status, 204);
    let got = call(Handlers, "GET", format!("/1/handlers/{}", ids[1]))
        .send()
        .json();
    assert_eq!(got["description"], "replaced");
    assert_eq!(
        got["policies"]["extract_policy"]["extract_basic_attributes"],
        1
    );
    call(Handlers, "PUT", format!("/1/handlers/{missing}"))
        .json(json!({"policies": {}}))
        .send()
        .assert_error(404, 34000);
    // Delete.
    assert_eq!(
        call(Handlers, "DELETE", format!("/1/handlers/{}", ids[2]))
            .send()
            .status,
        204
    );
    call(Handlers, "DELETE", format!("/1/handlers/{}", ids[2]))
        .send()
        .assert_error(404, 34000);
    // The replaced description no longer matches, the deleted one is gone.
    assert_eq!(count(""), json!({"handlers_count": 2}));
}

#[test]
fn handler_bodies_and_policies_are_validated() {
    let bad = |body: Value| call(Handlers, "POST", "/1/handlers").json(body).send();
    bad(json!({"description": "no policies"})).assert_error(400, 12022);
    bad(json!({"handler_type": 3, "policies": {}})).assert_error(400, 12022);
    bad(json!({"handler_type": 2})).assert_error(400, 12022);
    bad(json!({"policies": {}, "colour": 1})).assert_error(400, 12022);
    bad(json!({"policies": {"detect_policy": {"estimate_head_pose": 2}}})).assert_error(400, 12022);
    bad(json!({"policies": {"detect_policy": {"yaw_threshold": 181}}})).assert_error(400, 12022);
    bad(json!({"policies": {"extract_policy": {"fd_score_threshold": 2}}}))
        .assert_error(400, 12022);
    bad(json!({"policies": {"match_policy": [{"candidates": {"origin": "faces"}}]}}))
        .assert_error(400, 12022);
    bad(json!({"policies": {"match_policy": [{"label": "x", "candidates": {"origin": "moon"}}]}}))
        .assert_error(400, 12022);
    bad(json!({"policies": {"match_policy": [{"label": "x", "candidates": {"origin": "faces"}, "limit": 0}]}}))
        .assert_error(400, 12022);
    bad(json!({"policies": {"storage_policy": {"attribute_policy": {"store_attribute": 1, "ttl": 86401}}}}))
        .assert_error(400, 12022);
    bad(json!({"policies": {"conditional_tags_policy": [{"tag": "t", "filters": {"age__gte": "old"}}]}}))
        .assert_error(400, 12022);
    bad(json!({"policies": {"conditional_tags_policy": [{"tag": "t", "filters": {"colour": 1}}]}}))
        .assert_error(400, 12022);
    let missing = uuid::Uuid::new_v4();
    bad(json!({"policies": {"storage_policy": {"face_policy": {"link_to_lists_policy": [{"list_id": missing}]}}}}))
        .assert_error(400, 22005);
    call(Handlers, "POST", "/1/handlers")
        .no_account()
        .json(json!({"policies": {}}))
        .send()
        .assert_error(403, 11036);
    call(Handlers, "GET", "/1/handlers/not-a-uuid")
        .send()
        .assert_error(400, 12012);
    call(Handlers, "POST", "/1/handlers")
        .header("Content-Type", "text/plain")
        .bytes(b"{}".to_vec())
        .send()
        .assert_error(400, 12017);
    // The validator.
    let valid = call(Handlers, "POST", "/1/handlers/validator")
        .json(json!({"policies": {"detect_policy": {"detect_face": 1}, "conditional_tags_policy": [{"tag": "a", "filters": {"age__gte": 18}}]}}))
        .send();
    assert_eq!((valid.status, valid.body.len()), (204, 0));
    call(Handlers, "POST", "/1/handlers/validator")
        .json(json!({"policies": {"detect_policy": {"detect_face": "yes"}}}))
        .send()
        .assert_error(400, 12022);
    call(Handlers, "POST", "/1/handlers/validator")
        .json(json!({"detect_policy": {}}))
        .send()
        .assert_error(400, 12022);
}

#[test]
fn enrol_then_search_runs_detect_extract_match_tags_and_storage() {
    let list = new_list();
    let enrol = enrol_handler(&list);
    let mut enrolled = Vec::new();
    for who in ["alice", "bob"] {
        let answer = emit(
            &enrol,
            &format!("external_id={who}&user_data={who}-data&source=door"),
            synthetic_face(who, 0),
        );
        let event = event_of(&answer);
        let expected = Subject::synthetic(who, 0).attributes();
        assert_eq!(event["age"], json!(expected.age));
        assert_eq!(event["gender"], json!(expected.gender));
        assert_eq!(event["emotion"], json!(expected.emotions.code));
        assert_eq!(event["mask"], json!(expected.mask.code));
        assert_eq!(event["source"], "door");
        assert_eq!(answer.json()["images"][0]["status"], 1);
        let face = &event["face"];
        let face_id = face["face_id"].as_str().unwrap().to_owned();
        assert_eq!(event["face_id"], json!(face_id));
        assert_eq!(face["external_id"], json!(who));
        assert_eq!(face["event_id"], event["event_id"]);
        // The face is in luna-faces, linked to the list, with its descriptor.
        let stored = call(Faces, "GET", format!("/3/faces/{face_id}"))
            .send()
            .json();
        assert_eq!(stored["lists"], json!([list]));
        assert!(stored["avatar"]
            .as_str()
            .unwrap()
            .contains("/buckets/visionlabs-samples/images/"));
        // The sample, the source image and the attribute are stored.
        let detection = &event["face_detections"][0];
        let sample_id = detection["sample_id"].as_str().unwrap();
        let sample = call(
            ImageStore,
            "GET",
            format!("/1/buckets/visionlabs-samples/images/{sample_id}"),
        )
        .send();
        assert_eq!(sample.status, 200);
        assert_eq!(
            luna_emulator::recognition::detect(&sample.body)
                .unwrap()
                .subject,
            Subject::synthetic(who, 0)
        );
        let origin = detection["image_origin"].as_str().unwrap();
        assert_eq!(
            call(ImageStore, "GET", origin).send().body,
            synthetic_face(who, 0)
        );
        let attribute_id = event["face_attributes"]["attribute_id"].as_str().unwrap();
        assert_eq!(
            call(Faces, "GET", format!("/3/attributes/{attribute_id}"))
                .send()
                .status,
            200
        );
        // The event is in luna-events.
        let stored_event = call(
            Events,
            "GET",
            format!("/2/events/{}", event["event_id"].as_str().unwrap()),
        )
        .send();
        assert_eq!(stored_event.status, 200);
        assert_eq!(stored_event.json()["handler_id"], json!(enrol));
        enrolled.push(face_id);
    }
    let list_answer = call(Faces, "GET", format!("/3/lists/{list}")).send().json();
    assert_eq!(list_answer["faces_count"], 2);

    let search = search_handler(&list);
    // Another photo of alice: the top match is her face, above 0.9, tagged known.
    let event = event_of(&emit(&search, "tags=entrance", synthetic_face("alice", 7)));
    let matches = &event["matches"][0];
    assert_eq!(matches["label"], "staff");
    let candidates = matches["candidates"].as_array().unwrap();
    assert_eq!(
        candidates.len(),
        1,
        "bob stays below the 0.5 threshold: {candidates:?}"
    );
    assert_eq!(candidates[0]["face"]["face_id"], json!(enrolled[0]));
    let s = candidates[0]["similarity"].as_f64().unwrap();
    assert!(s >= 0.9, "{s}");
    assert_eq!(event["top_match"]["face_id"], json!(enrolled[0]));
    assert_eq!(event["top_match"]["external_id"], "alice");
    assert_eq!(
        event["tags"],
        json!(["entrance", "known", "everyone", "at-entrance"])
    );
    assert_eq!(event["match_result"], event["matches"]);
    // A stranger: no candidate, not known.
    let stranger = event_of(&emit(&search, "", synthetic_face("stranger", 0)));
    assert_eq!(stranger["matches"][0]["candidates"], json!([]));
    assert_eq!(stranger["tags"], json!(["everyone"]));
    assert!(stranger["top_match"].is_null());
    // Both events are in luna-events, filterable by the match.
    let known = call(
        Events,
        "GET",
        format!("/2/events?handler_ids={search}&top_matching_candidates_label=staff"),
    )
    .send()
    .json();
    assert_eq!(known["events"].as_array().unwrap().len(), 1);
    assert_eq!(known["events"][0]["event_id"], event["event_id"]);
    // Event candidates: a handler matching the enrolment events finds alice's.
    let events_search = create_handler(json!({"policies": {
        "match_policy": [{"label": "seen", "candidates": {"origin": "events", "handler_ids": [enrol]},
                          "threshold": 0.5, "targets": ["event_id", "external_id"]}],
        "storage_policy": {"event_policy": {"store_event": 0}}
    }}));
    let seen = event_of(&emit(&events_search, "", synthetic_face("bob", 9)));
    let candidates = seen["matches"][0]["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 1, "{candidates:?}");
    assert_eq!(candidates[0]["event"]["external_id"], "bob");
    assert_eq!(
        candidates[0]["event"].as_object().unwrap().len(),
        2,
        "targets"
    );
    assert_eq!(seen["top_match"]["external_id"], "bob");
    assert!(seen["top_match"]["event_id"].is_string());
}

#[test]
fn wait_saving_0_answers_before_the_event_is_stored_and_stores_it_right_after() {
    let handler = create_handler(
        json!({"policies": {"storage_policy": {"event_policy": {"store_event": 1, "wait_saving": 0}}}}),
    );
    let event = event_of(&emit(&handler, "", synthetic_face("walt", 0)));
    let id = event["event_id"].as_str().unwrap().to_owned();
    let started = Instant::now();
    loop {
        if call(Events, "GET", format!("/2/events/{id}")).send().status == 200 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "never stored");
        std::thread::sleep(Duration::from_millis(10));
    }
    // store_event 0: nothing stored, no url.
    let handler = create_handler(
        json!({"policies": {"storage_policy": {"event_policy": {"store_event": 0, "wait_saving": 1}}}}),
    );
    let event = event_of(&emit(&handler, "", synthetic_face("walt", 1)));
    assert!(event["url"].is_null());
    let id = event["event_id"].as_str().unwrap();
    call(Events, "GET", format!("/2/events/{id}"))
        .send()
        .assert_error(404, 23001);
}

#[test]
fn emit_query_headers_multipart_meta_and_aggregation() {
    let handler = create_handler(
        json!({"policies": {"detect_policy": {"estimate_liveness": {"estimate": 1}},
                                                      "storage_policy": {"event_policy": {"wait_saving": 1}}}}),
    );
    let (a, b) = (synthetic_face("kim", 0), synthetic_face("kim", 1));
    let stream = uuid::Uuid::new_v4();
    let answer = call(
        Handlers,
        "POST",
        format!("/1/handlers/{handler}/events?city=Riga&street=Brivibas&latitude=56.9&longitude=24.1&stream_id={stream}&track_id=t1&tags=a,b"),
    )
    .header("Luna-Event-Time", "2024-05-01T10:00:00Z")
    .header("Luna-Event-End-Time", "2024-05-01T10:00:05Z")
    .multipart(&[
        ("image", Some("0.png"), "image/png", &a),
        ("image", Some("bad.png"), "image/png", b"no image"),
        ("image", Some("1.png"), "image/png", &b),
        ("meta", None, "application/json", br#"{"door": 3}"#),
    ])
    .send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    let body = answer.json();
    assert_eq!(body["events"].as_array().unwrap().len(), 2);
    let statuses: Vec<i64> = body["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [1, 0, 1], "in input order");
    assert_eq!(body["images"][1]["error"]["error_code"], 100010);
    let event = &body["events"][0];
    assert_eq!(event["create_time"], "2024-05-01T10:00:00Z");
    assert_eq!(event["end_time"], "2024-05-01T10:00:05Z");
    assert_eq!(event["location"]["city"], "Riga");
    assert_eq!(event["location"]["geo_position"]["latitude"], 56.9);
    assert_eq!(event["stream_id"], json!(stream));
    assert_eq!(event["track_id"], "t1");
    assert_eq!(event["meta"], json!({"door": 3}));
    assert_eq!(
        event["liveness"],
        json!(
            Subject::synthetic("kim", 0)
                .attributes()
                .liveness
                .prediction
        )
    );
    let stored = call(
        Events,
        "GET",
        format!("/2/events?track_ids=t1&meta.door__eq:integer=3&handler_ids={handler}"),
    )
    .send();
    assert_eq!(
        stored.json()["events"].as_array().map(Vec::len),
        Some(2),
        "{}",
        stored.json()
    );
    // Aggregation: one event for all images.
    let answer = call(
        Handlers,
        "POST",
        format!("/1/handlers/{handler}/events?aggregate_attributes=1"),
    )
    .multipart(&[
        ("image", Some("0.png"), "image/png", &a),
        ("image", Some("1.png"), "image/png", &b),
    ])
    .send()
    .json();
    assert_eq!(answer["events"].as_array().unwrap().len(), 1);
    let event = &answer["events"][0];
    assert_eq!(event["face_detections"].as_array().unwrap().len(), 2);
    assert!(event["aggregate_estimations"]["face"]["attributes"]["liveness"].is_object());
    // Query errors.
    emit(&handler, "latitude=91&longitude=0", a.clone()).assert_error(400, 12012);
    emit(&handler, "latitude=1", a.clone()).assert_error(400, 12012);
    emit(
        &handler,
        &format!("user_data={}", "x".repeat(129)),
        a.clone(),
    )
    .assert_error(400, 12012);
    emit(&handler, "colour=1", a.clone()).assert_error(400, 12012);
    call(Handlers, "POST", format!("/1/handlers/{handler}/events"))
        .header("Luna-Event-Time", "yesterday")
        .image(a.clone())
        .send()
        .assert_error(400, 12031);
    emit(&uuid::Uuid::new_v4().to_string(), "", a.clone()).assert_error(404, 34000);
    call(Handlers, "POST", format!("/1/handlers/{handler}/events"))
        .multipart(&[
            ("image", Some("0.png"), "image/png", &a),
            ("d", Some("d"), "application/x-vl-sdk-descriptor", b"dp"),
        ])
        .send()
        .assert_error(400, 12041);
    call(Handlers, "POST", format!("/1/handlers/{handler}/events"))
        .header("Luna-Account-Id", OTHER)
        .image(a.clone())
        .send()
        .assert_error(404, 34000);
    call(Handlers, "POST", format!("/1/handlers/{handler}/events"))
        .multipart(&[
            ("image", Some("0.png"), "image/png", &a),
            ("policies", None, "application/json", b"{}"),
        ])
        .send()
        .assert_error(400, 12031);
}

#[test]
fn dynamic_handlers_take_policies_with_the_request_and_lambda_handlers_are_refused() {
    let dynamic = create_handler(json!({"handler_type": 1}));
    let face = synthetic_face("lee", 0);
    let policies = json!({"extract_policy": {"extract_basic_attributes": 1},
                          "storage_policy": {"event_policy": {"store_event": 0}}});
    let answer = call(Handlers, "POST", format!("/1/handlers/{dynamic}/events"))
        .multipart(&[
            ("image", Some("lee.png"), "image/png", &face),
            (
                "policies",
                None,
                "application/json",
                policies.to_string().as_bytes(),
            ),
        ])
        .send();
    let event = event_of(&answer);
    assert_eq!(
        event["age"],
        json!(Subject::synthetic("lee", 0).attributes().age)
    );
    emit(&dynamic, "", face.clone()).assert_error(400, 12031);
    // JSON body with policies and image ids.
    let sample = call(ImageStore, "POST", "/1/buckets?bucket=visionlabs-samples").send();
    assert!(sample.status == 201 || sample.status == 409);
    let stored = call(ImageStore, "POST", "/1/buckets/visionlabs-samples/images")
        .image(face.clone())
        .send()
        .json();
    let answer = call(Handlers, "POST", format!("/1/handlers/{dynamic}/events"))
        .json(json!({"samples": [stored["image_id"]], "policies": policies}))
        .send();
    let event = event_of(&answer);
    assert_eq!(
        event["face_detections"][0]["detection"]["rect"]["x"], 0,
        "a sample is a warp"
    );
    let lambda = create_handler(json!({"handler_type": 2, "lambda_id": uuid::Uuid::new_v4()}));
    emit(&lambda, "", face).assert_error(400, 12031);
}

#[test]
fn detect_policy_filters_drop_faces_and_body_policies_fill_body_members() {
    let who = Subject::synthetic("max", 0).attributes();
    let mask = who.mask.code;
    let others: Vec<i64> = (1..=3).filter(|m| *m != i64::from(mask)).collect();
    let handler = create_handler(json!({"policies": {"detect_policy": {"mask_states": others}}}));
    let answer = emit(&handler, "", synthetic_face("max", 0));
    assert_eq!(answer.status, 201);
    let body = answer.json();
    assert_eq!(body["events"], json!([]));
    assert_eq!(
        body["images"][0]["filtered_detections"]["face_detections"][0]["filter_reason"],
        "mask_states"
    );
    let handler = create_handler(json!({"policies": {
        "detect_policy": {"detect_body": 1, "body_attributes": {"estimate_basic_attributes": 1, "estimate_upper_body": 1}},
        "extract_policy": {"extract_body_descriptor": 1},
        "storage_policy": {"body_sample_policy": {"store_sample": 1}, "event_policy": {"wait_saving": 1}}
    }}));
    let event = event_of(&emit(&handler, "", synthetic_face("max", 0)));
    assert_eq!(
        event["body_basic_attributes"]["apparent_age"],
        json!(who.age)
    );
    assert!(event["upper_body"]["sleeve"]["length"].is_string());
    let sample = event["body_detections"][0]["sample_id"].as_str().unwrap();
    assert_eq!(
        call(
            ImageStore,
            "GET",
            format!("/1/buckets/visionlabs-bodies-samples/images/{sample}")
        )
        .send()
        .status,
        200
    );
    assert_eq!(
        answer_descriptor(&event["body_attributes"]["descriptor"]).version,
        107
    );
}

#[test]
fn raw_events_are_saved_as_given() {
    let handler = create_handler(json!({"policies": {}}));
    let saved = call(
        Handlers,
        "POST",
        format!("/1/handlers/{handler}/events/raw?wait_saving=1"),
    )
    .json(json!({"source": "raw", "age": 30, "tags": ["x"], "create_time": "2024-01-01T00:00:00Z"}))
    .send();
    assert_eq!(saved.status, 201, "{}", saved.json());
    let id = saved.json()["event_id"].as_str().unwrap().to_owned();
    assert_eq!(saved.json()["url"], json!(format!("/2/events/{id}")));
    let event = call(Events, "GET", format!("/2/events/{id}")).send().json();
    assert_eq!(
        (event["source"].as_str(), event["age"].as_i64()),
        (Some("raw"), Some(30))
    );
    assert_eq!(event["handler_id"], json!(handler));
    assert_eq!(event["account_id"], json!(ACCOUNT));
    let raw = |body: Value| {
        call(
            Handlers,
            "POST",
            format!("/1/handlers/{handler}/events/raw"),
        )
        .json(body)
        .send()
    };
    raw(json!({"age": 300})).assert_error(400, 12022);
    raw(json!({"event_id": id})).assert_error(400, 12022);
    raw(json!({"colour": 1})).assert_error(400, 12022);
    call(
        Handlers,
        "POST",
        format!("/1/handlers/{handler}/events/raw?wait_saving=2"),
    )
    .json(json!({}))
    .send()
    .assert_error(400, 12012);
    call(
        Handlers,
        "POST",
        format!("/1/handlers/{}/events/raw", uuid::Uuid::new_v4()),
    )
    .json(json!({}))
    .send()
    .assert_error(404, 34000);
}

#[test]
fn stream_events_emit_each_source_with_an_image() {
    let handler = create_handler(
        json!({"policies": {"storage_policy": {"event_policy": {"wait_saving": 1}}}}),
    );
    let image = base64::engine::general_purpose::STANDARD.encode(synthetic_face("sam", 0));
    let answer = call(Handlers, "POST", format!("/1/handlers/{handler}/stream_events?source=cam"))
        .json(json!({"sources": [
            {"source_type": "raw_image", "source_data": image, "filename": "frame-1", "detect_time": "2024-01-01T00:00:00Z"},
            {"source_type": "detections", "face_detection_data": [{"bounding_box": {}}]}
        ]}))
        .send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    let body = answer.json();
    assert_eq!(body["events"].as_array().unwrap().len(), 1);
    assert_eq!(body["events"][0]["source"], "cam");
    assert_eq!(body["images"][0]["filename"], "frame-1");
    let bad = |body: Value| {
        call(
            Handlers,
            "POST",
            format!("/1/handlers/{handler}/stream_events"),
        )
        .json(body)
        .send()
    };
    bad(json!({"sources": []})).assert_error(400, 12022);
    bad(json!({"sources": [{"source_type": "video"}]})).assert_error(400, 12022);
    bad(json!({"sources": [{"source_data": "***"}]})).assert_error(400, 12022);
    bad(json!({"sources": [{"detect_time": "later"}]})).assert_error(400, 12022);
}

fn detect_sample(who: &str, variant: u32) -> String {
    let answer = call(Handlers, "POST", "/1/detector?estimate_head_pose=1")
        .image(synthetic_face(who, variant))
        .send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    answer.json()["images"][0]["detections"]["samples"][0]["face"]["sample_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn the_detector_stores_samples_and_filters_by_angles() {
    let answer = call(
        Handlers,
        "POST",
        "/1/detector?estimate_head_pose=1&estimate_emotions=1&extract_exif=1",
    )
    .image(synthetic_face("nina", 0))
    .send()
    .json();
    let image = &answer["images"][0];
    assert_eq!(image["exif"], json!({}));
    let face = &image["detections"]["samples"][0]["face"];
    let expected = Subject::synthetic("nina", 0).attributes();
    assert_eq!(
        face["detection"]["attributes"]["head_pose"]["yaw"],
        json!(expected.head_pose.yaw)
    );
    assert_eq!(face["detection"]["rect"]["width"], 150);
    let url = face["url"].as_str().unwrap();
    assert_eq!(call(ImageStore, "GET", url).send().status, 200);
    let filtered = call(
        Handlers,
        "POST",
        "/1/detector?yaw_threshold=0&pitch_threshold=0&roll_threshold=0",
    )
    .image(synthetic_face("nina", 0))
    .send()
    .json();
    assert_eq!(filtered["images"][0]["detections"]["samples"], json!([]));
    assert!(
        filtered["images"][0]["detections"]["filtered_detections"]["samples"][0]["filter_reason"]
            .is_string()
    );
    let warped = call(Handlers, "POST", "/1/detector?warped_image=1")
        .image(synthetic_face("nina", 0))
        .send()
        .json();
    assert_eq!(
        warped["images"][0]["detections"]["samples"][0]["face"]["detection"]["rect"]["x"],
        0
    );
    call(Handlers, "POST", "/1/detector?yaw_threshold=200")
        .image(synthetic_face("nina", 0))
        .send()
        .assert_error(400, 12012);
    call(Handlers, "POST", "/1/detector?image_type=2")
        .image(synthetic_face("nina", 0))
        .send()
        .assert_error(400, 12012);
    call(Handlers, "POST", "/1/detector")
        .header("Content-Type", "text/plain")
        .bytes(b"x".to_vec())
        .send()
        .assert_error(400, 12017);
    call(Handlers, "POST", "/1/detector")
        .header("Content-Type", "application/x-vl-sdk-descriptor")
        .bytes(b"dp\0\0".to_vec())
        .send()
        .assert_error(400, 12017);
    let broken = call(Handlers, "POST", "/1/detector")
        .image(b"broken".to_vec())
        .send()
        .json();
    assert_eq!(broken["images"][0]["error"]["error_code"], 100010);
}

#[test]
fn the_extractor_makes_temporary_attributes_from_samples() {
    let (a, b) = (detect_sample("olga", 0), detect_sample("olga", 1));
    let answer = call(
        Handlers,
        "POST",
        "/1/extractor?extract_basic_attributes=1&ttl=60",
    )
    .json(json!([a, b]))
    .send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    let items = answer.json();
    assert_eq!(items.as_array().unwrap().len(), 2);
    let expected = Subject::synthetic("olga", 0).attributes();
    assert_eq!(items[0]["basic_attributes"]["age"], json!(expected.age));
    let d0 = answer_descriptor(&items[0]["descriptor"]);
    let d1 = answer_descriptor(&items[1]["descriptor"]);
    assert!(similarity(&d0, &d1).unwrap() >= 0.9);
    let attribute_id = items[0]["attribute_id"].as_str().unwrap();
    let stored = call(Faces, "GET", format!("/3/attributes/{attribute_id}")).send();
    assert_eq!(stored.status, 200, "{}", stored.json());
    assert_eq!(items[0]["sample_ids"], json!([a]));
    let aggregated = call(Handlers, "POST", "/1/extractor?aggregate_attributes=1")
        .json(json!([a, b]))
        .send()
        .json();
    assert_eq!(aggregated[0]["sample_ids"], json!([a, b]));
    let filtered = call(Handlers, "POST", "/1/extractor?score_threshold=1")
        .json(json!([a]))
        .send()
        .json();
    assert_eq!(filtered, json!([]));
    call(Handlers, "POST", "/1/extractor?extract_descriptor=0")
        .json(json!([a]))
        .send()
        .assert_error(400, 12031);
    call(Handlers, "POST", "/1/extractor")
        .json(json!([uuid::Uuid::new_v4()]))
        .send()
        .assert_error(400, 100022);
    call(Handlers, "POST", "/1/extractor")
        .json(json!([]))
        .send()
        .assert_error(400, 12022);
    call(Handlers, "POST", "/1/extractor")
        .json(json!(["x"]))
        .send()
        .assert_error(400, 12022);
    call(Handlers, "POST", "/1/extractor")
        .header("Luna-Account-Id", OTHER)
        .json(json!([a]))
        .send()
        .assert_error(400, 100022);
}

#[test]
fn upgrade_adds_descriptors_of_another_version_from_samples() {
    let list = new_list();
    let enrol = enrol_handler(&list);
    let event = event_of(&emit(&enrol, "", synthetic_face("pia", 0)));
    let face_id = event["face_id"].as_str().unwrap();
    let answer = call(Handlers, "POST", "/1/upgrade")
        .json(json!({"face_id": face_id, "descriptor_version": 59}))
        .send();
    assert_eq!(answer.status, 200, "{}", answer.json());
    assert_eq!(answer.json()["descriptor_versions"], json!([59, 62]));
    let attributes = call(
        Faces,
        "GET",
        format!("/3/faces/{face_id}/attributes?descriptor_version=59"),
    )
    .send();
    assert_eq!(attributes.status, 200, "{}", attributes.json());
    let event_id = event["event_id"].as_str().unwrap();
    let answer = call(Handlers, "POST", "/1/upgrade")
        .json(json!({"event_id": event_id, "descriptor_version": 65}))
        .send();
    assert_eq!(
        answer.json()["descriptor_versions"],
        json!([62, 65]),
        "{}",
        answer.json()
    );
    call(Handlers, "POST", "/1/upgrade")
        .json(json!({"face_id": uuid::Uuid::new_v4()}))
        .send()
        .assert_error(404, 22002);
    call(Handlers, "POST", "/1/upgrade")
        .json(json!({"event_id": uuid::Uuid::new_v4()}))
        .send()
        .assert_error(404, 23001);
    // An event stored without basic attributes gets them from its sample.
    let plain = create_handler(
        json!({"policies": {"storage_policy": {"event_policy": {"wait_saving": 1}}}}),
    );
    let plain_event = event_of(&emit(&plain, "", synthetic_face("pia", 1)));
    let plain_id = plain_event["event_id"].as_str().unwrap();
    let before = call(Events, "GET", format!("/2/events/{plain_id}"))
        .send()
        .json();
    assert!(before["age"].is_null(), "{before}");
    let answer = call(Handlers, "POST", "/1/upgrade")
        .json(json!({"event_id": plain_id, "extract_descriptor": 0, "extract_basic_attributes": 1}))
        .send();
    assert_eq!(answer.status, 200, "{}", answer.json());
    let after = call(Events, "GET", format!("/2/events/{plain_id}"))
        .send()
        .json();
    assert_eq!(
        after["age"],
        json!(Subject::synthetic("pia", 0).attributes().age)
    );
    call(Handlers, "POST", "/1/upgrade")
        .json(json!({"face_id": face_id, "extract_descriptor": 0}))
        .send()
        .assert_error(400, 12031);
    call(Handlers, "POST", "/1/upgrade")
        .json(json!({}))
        .send()
        .assert_error(400, 12022);
    call(Handlers, "POST", "/1/upgrade")
        .json(json!({"face_id": face_id, "descriptor_version": 0}))
        .send()
        .assert_error(400, 12022);
}

fn create_verifier(threshold: f64) -> String {
    let created = call(Handlers, "POST", "/1/verifiers")
        .json(json!({"description": "door", "policies": {
            "detect_policy": {"estimate_head_pose": 1},
            "storage_policy": {"face_sample_policy": {"store_sample": 1}, "attribute_policy": {"store_attribute": 1}},
            "verification_threshold": threshold
        }}))
        .send();
    assert_eq!(created.status, 201, "{}", created.json());
    created.json()["verifier_id"].as_str().unwrap().to_owned()
}

#[test]
fn verifier_crud_and_counts() {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let ids: Vec<String> = (0..3)
        .map(|i| {
            call(Handlers, "POST", "/1/verifiers")
                .json(json!({"description": format!("v-{tag}-{i}"), "policies": {}}))
                .send()
                .json()["verifier_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let got = call(Handlers, "GET", format!("/1/verifiers/{}", ids[0]))
        .send()
        .json();
    assert_eq!(
        (got["verifier_id"].as_str(), got["description"].as_str()),
        (Some(ids[0].as_str()), Some(format!("v-{tag}-0").as_str()))
    );
    assert_eq!(
        call(Handlers, "HEAD", format!("/1/verifiers/{}", ids[0]))
            .send()
            .status,
        200
    );
    let page = call(
        Handlers,
        "GET",
        format!("/1/verifiers?description=v-{tag}&page=2&page_size=2"),
    )
    .send()
    .json();
    assert_eq!(page["verifiers"][0]["verifier_id"], json!(ids[2]));
    assert_eq!(
        call(
            Handlers,
            "GET",
            format!("/1/verifiers/count?description=v-{tag}")
        )
        .send()
        .json(),
        json!({"verifiers_count": 3})
    );
    let put = call(Handlers, "PUT", format!("/1/verifiers/{}", ids[1]))
        .json(json!({"description": "renamed", "policies": {"verification_threshold": 0.5}}))
        .send();
    assert_eq!(put.status, 200);
    assert_eq!(
        call(Handlers, "GET", format!("/1/verifiers/{}", ids[1]))
            .send()
            .json()["policies"]["verification_threshold"],
        0.5
    );
    assert_eq!(
        call(Handlers, "DELETE", format!("/1/verifiers/{}", ids[2]))
            .send()
            .status,
        204
    );
    let missing = uuid::Uuid::new_v4();
    call(Handlers, "GET", format!("/1/verifiers/{}", ids[2]))
        .send()
        .assert_error(404, 34004);
    call(Handlers, "DELETE", format!("/1/verifiers/{missing}"))
        .send()
        .assert_error(404, 34004);
    call(Handlers, "PUT", format!("/1/verifiers/{missing}"))
        .json(json!({"policies": {}}))
        .send()
        .assert_error(404, 34004);
    assert_eq!(
        call(Handlers, "HEAD", format!("/1/verifiers/{missing}"))
            .send()
            .status,
        404
    );
    call(Handlers, "GET", format!("/1/verifiers/{}", ids[0]))
        .header("Luna-Account-Id", OTHER)
        .send()
        .assert_error(404, 34004);
    call(Handlers, "POST", "/1/verifiers")
        .header("Content-Type", "text/plain")
        .bytes(b"{}".to_vec())
        .send()
        .assert_error(400, 12017);
    call(Handlers, "POST", "/1/verifiers")
        .bytes(b"{\"policies\": {}}".to_vec())
        .send()
        .assert_error(400, 12017);
    call(Handlers, "POST", "/1/verifiers")
        .json(json!({"policies": {"match_policy": []}}))
        .send()
        .assert_error(400, 12022);
    call(Handlers, "POST", "/1/verifiers")
        .json(json!({"policies": {"storage_policy": {"event_policy": {}}}}))
        .send()
        .assert_error(400, 12022);
    call(Handlers, "POST", "/1/verifiers")
        .json(json!({"policies": {"verification_threshold": 2}}))
        .send()
        .assert_error(400, 12022);
    call(Handlers, "GET", "/1/verifiers?page_size=0")
        .send()
        .assert_error(400, 12012);
}

#[test]
fn verifications_compare_images_and_descriptors_with_faces_events_and_attributes() {
    let list = new_list();
    let enrol = enrol_handler(&list);
    let event = event_of(&emit(
        &enrol,
        "external_id=quinn-ext",
        synthetic_face("quinn", 0),
    ));
    let face_id = event["face_id"].as_str().unwrap().to_owned();
    let event_id = event["event_id"].as_str().unwrap().to_owned();
    let attribute_id = event["face_attributes"]["attribute_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let verifier = create_verifier(0.9);
    let verify = |query: &str, image: Vec<u8>| {
        let answer = call(
            Handlers,
            "POST",
            format!("/1/verifiers/{verifier}/verifications?{query}"),
        )
        .image(image)
        .send();
        assert_eq!(answer.status, 201, "{}", answer.json());
        answer.json()["images"][0]["detections"]["face_detections"][0].clone()
    };
    for query in [
        format!("face_ids={face_id}"),
        format!("event_ids={event_id}"),
        format!("attribute_ids={attribute_id}"),
        "external_ids=quinn-ext".to_owned(),
    ] {
        let same = verify(&query, synthetic_face("quinn", 3));
        let v = &same["verifications"][0];
        assert!(v["similarity"].as_f64().unwrap() >= 0.9, "{query}: {v}");
        assert_eq!(v["status"], true, "{query}");
        let other = verify(&query, synthetic_face("rita", 0));
        assert!(other["verifications"][0]["similarity"].as_f64().unwrap() < 0.5);
        assert_eq!(other["verifications"][0]["status"], false);
    }
    let face = verify(&format!("face_ids={face_id}"), synthetic_face("quinn", 3));
    assert_eq!(face["verifications"][0]["face"]["face_id"], json!(face_id));
    let sample = face["sample_id"].as_str().unwrap();
    assert_eq!(
        call(
            ImageStore,
            "GET",
            format!("/1/buckets/visionlabs-samples/images/{sample}")
        )
        .send()
        .status,
        200
    );
    assert!(face["attribute_id"].is_string());
    // A descriptor body.
    let descriptor = Subject::synthetic("quinn", 4).descriptor(62).sdk_bytes();
    let answer = call(
        Handlers,
        "POST",
        format!("/1/verifiers/{verifier}/verifications?face_ids={face_id}"),
    )
    .header("Content-Type", "application/x-vl-sdk-descriptor")
    .bytes(descriptor.clone())
    .send()
    .json();
    assert_eq!(
        answer["images"][0]["detections"]["face_detections"][0]["verifications"][0]["status"],
        true
    );
    // Multipart with an image and a descriptor.
    let image = synthetic_face("quinn", 5);
    let answer = call(
        Handlers,
        "POST",
        format!("/1/verifiers/{verifier}/verifications?face_ids={face_id}"),
    )
    .multipart(&[
        ("image", Some("image_1"), "image/png", &image),
        (
            "descriptor",
            Some("descriptor_1"),
            "application/x-vl-sdk-descriptor",
            &descriptor,
        ),
    ])
    .send()
    .json();
    assert_eq!(answer["images"].as_array().unwrap().len(), 2);
    // Errors.
    let path = format!("/1/verifiers/{verifier}/verifications");
    call(Handlers, "POST", path.clone())
        .image(image.clone())
        .send()
        .assert_error(400, 12012);
    call(
        Handlers,
        "POST",
        format!("{path}?face_ids={face_id}&event_ids={event_id}"),
    )
    .image(image.clone())
    .send()
    .assert_error(400, 12012);
    call(
        Handlers,
        "POST",
        format!("{path}?face_ids={}", uuid::Uuid::new_v4()),
    )
    .image(image.clone())
    .send()
    .assert_error(404, 22002);
    call(
        Handlers,
        "POST",
        format!("{path}?event_ids={}", uuid::Uuid::new_v4()),
    )
    .image(image.clone())
    .send()
    .assert_error(404, 23001);
    call(
        Handlers,
        "POST",
        format!(
            "/1/verifiers/{}/verifications?face_ids={face_id}",
            uuid::Uuid::new_v4()
        ),
    )
    .image(image.clone())
    .send()
    .assert_error(404, 34004);
    let broken = call(Handlers, "POST", format!("{path}?face_ids={face_id}"))
        .header("Content-Type", "application/x-vl-sdk-descriptor")
        .bytes(b"xx".to_vec())
        .send()
        .json();
    assert_eq!(broken["images"][0]["status"], 0);
}

#[test]
fn verify_raw_compares_descriptors() {
    let verifier = create_verifier(0.9);
    let sdk = |who: &str, v: u32| {
        base64::engine::general_purpose::STANDARD
            .encode(Subject::synthetic(who, v).descriptor(62).sdk_bytes())
    };
    let answer = call(Handlers, "POST", format!("/1/verifiers/{verifier}/raw"))
        .json(json!({
            "references": [{"type": "sdk_descriptor", "id": "ref", "data": sdk("sara", 0)}],
            "candidates": [
                {"type": "sdk_descriptor", "id": "same", "data": sdk("sara", 1)},
                {"type": "sdk_descriptor", "id": "other", "data": sdk("tom", 0)}
            ]
        }))
        .send();
    assert_eq!(answer.status, 200, "{}", answer.json());
    let body = answer.json();
    assert_eq!(
        body[0]["reference"],
        json!({"id": "ref", "type": "sdk_descriptor"})
    );
    let matches = body[0]["matches"].as_array().unwrap();
    assert_eq!(matches[0]["candidate"]["id"], "same");
    assert!(matches[0]["similarity"].as_f64().unwrap() >= 0.9);
    assert_eq!(matches[0]["status"], true);
    assert!(matches[1]["similarity"].as_f64().unwrap() < 0.5);
    assert_eq!(matches[1]["status"], false);
    let raw = |body: Value| {
        call(Handlers, "POST", format!("/1/verifiers/{verifier}/raw"))
            .json(body)
            .send()
    };
    raw(json!({"references": [], "candidates": []})).assert_error(400, 12022);
    raw(json!({"references": [{"type": "face", "id": uuid::Uuid::new_v4()}], "candidates": [{"type": "sdk_descriptor", "id": "c", "data": sdk("a", 0)}]}))
        .assert_error(400, 12022);
    raw(json!({"references": [{"type": "sdk_descriptor", "id": "r", "data": "!!"}], "candidates": [{"type": "sdk_descriptor", "id": "c", "data": sdk("a", 0)}]}))
        .assert_error(400, 12022);
}

#[test]
fn the_spec_lists_every_handlers_route() {
    let spec = call(Handlers, "GET", "/docs/spec").send().json();
    let paths = spec["paths"].as_object().unwrap();
    for (path, method) in [
        ("/1/handlers", "post"),
        ("/1/handlers", "get"),
        ("/1/handlers/count", "get"),
        ("/1/handlers/validator", "post"),
        ("/1/handlers/{handler_id}", "put"),
        ("/1/handlers/{handler_id}", "head"),
        ("/1/handlers/{handler_id}/events", "post"),
        ("/1/handlers/{handler_id}/events/raw", "post"),
        ("/1/handlers/{handler_id}/stream_events", "post"),
        ("/1/detector", "post"),
        ("/1/extractor", "post"),
        ("/1/upgrade", "post"),
        ("/1/verifiers", "post"),
        ("/1/verifiers/count", "get"),
        ("/1/verifiers/{verifier_id}", "delete"),
        ("/1/verifiers/{verifier_id}/verifications", "post"),
        ("/1/verifiers/{verifier_id}/raw", "post"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path}");
    }
    assert_eq!(
        call(Handlers, "GET", "/version").send().json()["Version"]["api"],
        1
    );
}

#[test]
fn events_stored_by_handlers_reach_sender_subscribers() {
    use tungstenite::client::IntoClientRequest;
    use tungstenite::stream::MaybeTlsStream;
    let account = uuid::Uuid::new_v4().to_string();
    let url = format!(
        "ws://{}/1/ws",
        common::emulator().address(luna_emulator::Service::Sender)
    );
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Luna-Account-Id", account.parse().unwrap());
    let (mut socket, _) = tungstenite::connect(request).expect("subscribed");
    if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    }
    let as_account = |c: common::Call| c.header("Luna-Account-Id", &account);
    let handler = as_account(call(Handlers, "POST", "/1/handlers"))
        .json(json!({"policies": {"storage_policy": {"event_policy": {"store_event": 1}}}}))
        .send()
        .json()["handler_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let emitted = as_account(call(
        Handlers,
        "POST",
        format!("/1/handlers/{handler}/events"),
    ))
    .image(synthetic_face("uma", 0))
    .send()
    .json();
    let raw = as_account(call(
        Handlers,
        "POST",
        format!("/1/handlers/{handler}/events/raw?wait_saving=1"),
    ))
    .json(json!({"source": "raw"}))
    .send()
    .json();
    let expected = [
        emitted["events"][0]["event_id"]
            .as_str()
            .unwrap()
            .to_owned(),
        raw["event_id"].as_str().unwrap().to_owned(),
    ];
    let mut received = Vec::new();
    while received.len() < 2 {
        match socket.read().expect("an event before the timeout") {
            tungstenite::Message::Text(text) => {
                let event: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(event["handler_id"], json!(handler));
                received.push(event["event_id"].as_str().unwrap().to_owned());
            }
            _ => continue,
        }
    }
    received.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(received, expected);
}

#[test]
fn arbitrary_requests_never_break_the_recognition_services() {
    let list = new_list();
    let handler = search_handler(&list);
    let dynamic = create_handler(json!({"handler_type": 1}));
    let verifier = create_verifier(0.5);
    let missing = uuid::Uuid::new_v4();
    let routes: Vec<(luna_emulator::Service, String)> = [
        "/1/handlers",
        "/1/handlers/count",
        "/1/handlers/validator",
        "/1/detector",
        "/1/extractor",
        "/1/upgrade",
        "/1/verifiers",
        "/1/verifiers/count",
    ]
    .into_iter()
    .map(String::from)
    .chain(
        [handler.clone(), dynamic, missing.to_string()]
            .into_iter()
            .flat_map(|h| {
                [
                    format!("/1/handlers/{h}"),
                    format!("/1/handlers/{h}/events"),
                    format!("/1/handlers/{h}/events/raw"),
                    format!("/1/handlers/{h}/stream_events"),
                ]
            }),
    )
    .chain([verifier, missing.to_string()].into_iter().flat_map(|v| {
        [
            format!("/1/verifiers/{v}"),
            format!("/1/verifiers/{v}/verifications"),
            format!("/1/verifiers/{v}/raw"),
        ]
    }))
    .map(|p| (Handlers, p))
    .chain([(luna_emulator::Service::RemoteSdk, "/1/sdk".to_owned())])
    .collect();
    let face = synthetic_face("vic", 0);
    let (multipart_type, multipart_body) = common::multipart(&[
        ("image", Some("a"), "image/png", &face),
        (
            "policies",
            None,
            "application/json",
            b"{\"match_policy\": 3}",
        ),
        ("meta", None, "application/json", b"[1]"),
        (
            "descriptor",
            Some("d"),
            "application/x-vl-sdk-descriptor",
            b"dp\0\0\xff\xff\xff\xff",
        ),
    ]);
    let bodies: Vec<(String, Vec<u8>)> = vec![
        ("application/json".into(), vec![]),
        ("application/json".into(), b"null".to_vec()),
        ("application/json".into(), b"[\"\\u0000\", 1e999]".to_vec()),
        ("application/json".into(), b"{\"policies\": {\"match_policy\": [{\"label\": \"x\", \"candidates\": {\"origin\": \"events\", \"meta\": {\"a__in:integer\": [\"x\"]}}}]}}".to_vec()),
        ("application/json".into(), b"{\"urls\": [{\"url\": \"http://h/1/buckets/../images/x\"}], \"samples\": [{\"id\": 1}]}".to_vec()),
        ("application/json".into(), b"{\"sources\": [{\"source_data\": \"AAAA\", \"detect_time\": 5}], \"references\": {}, \"face_id\": \"\"}".to_vec()),
        ("image/png".into(), face[..40].to_vec()),
        ("image/jpeg".into(), vec![0xff, 0xd8, 0xff, 0xc0, 0, 2, 0, 0]),
        (multipart_type, multipart_body),
        ("multipart/form-data; boundary=\"\"".into(), b"----\r\n\r\n".to_vec()),
        ("application/x-vl-sdk-descriptor".into(), b"dp\0\0".to_vec()),
    ];
    for (service, path) in &routes {
        for method in ["GET", "POST", "PUT", "DELETE"] {
            for (kind, body) in &bodies {
                for query in [
                    "",
                    "?face_ids=x&event_ids=",
                    "?image_type=2&detect_body=1&aggregate_attributes=1&estimate_face_warp=1",
                ] {
                    let answer = call(*service, method, format!("{path}{query}"))
                        .header("Content-Type", kind)
                        .bytes(body.clone())
                        .send();
                    assert!(
                        answer.status < 500,
                        "{method} {path}{query} {kind}: {}",
                        answer.json()
                    );
                }
            }
        }
    }
    assert_eq!(call(Handlers, "GET", "/healthcheck").send().status, 200);
}
