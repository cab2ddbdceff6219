//! luna-python-matcher routes over HTTP: matching faces and bodies against faces, events and
//! attributes with filters, limit and threshold; per-reference errors; raw matching;
//! cross-matching; and every documented error.

mod common;

use common::{call, Answer};
use luna_emulator::descriptors::DescriptorFormat;
use luna_emulator::matcher::MatchLimits;
use luna_emulator::recognition::Subject;
use luna_emulator::Service::{Events, Faces, PythonMatcher};
use luna_emulator::{Config, Emulator};
use serde_json::{json, Value};

const VERSION: u32 = 59;

fn sdk(identity: &str, variant: u32) -> Value {
    Subject::synthetic(identity, variant)
        .descriptor(VERSION)
        .to_json(DescriptorFormat::Sdk)
}

fn raw(identity: &str, variant: u32) -> Value {
    Subject::synthetic(identity, variant)
        .descriptor(VERSION)
        .to_json(DescriptorFormat::Raw)
}

fn account() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn created(answer: Answer, member: &str) -> String {
    assert_eq!(answer.status, 201, "{}", answer.json());
    answer.json()[member].as_str().expect("an id").to_owned()
}

fn list(account: &str) -> String {
    created(
        call(Faces, "POST", "/3/lists")
            .header("Luna-Account-Id", account)
            .json(json!({}))
            .send(),
        "list_id",
    )
}

fn enrol(account: &str, lists: &[&str], identity: &str, variant: u32) -> String {
    let mut body = json!({
        "user_data": identity,
        "external_id": format!("{identity}-{variant}"),
        "attribute": {"descriptors": [sdk(identity, variant)]},
    });
    if !lists.is_empty() {
        body["lists"] = json!(lists);
    }
    created(
        call(Faces, "POST", "/3/faces")
            .header("Luna-Account-Id", account)
            .json(body)
            .send(),
        "face_id",
    )
}

fn save_events(account: &str, events: Value) -> Vec<String> {
    let answer = call(Events, "POST", "/2/events")
        .header("Luna-Account-Id", account)
        .json(json!({ "events": events }))
        .send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    answer.json()["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["event_id"].as_str().expect("id").to_owned())
        .collect()
}

fn matcher(path: &str, account: &str, body: Value) -> Answer {
    call(PythonMatcher, "POST", path)
        .header("Luna-Account-Id", account)
        .json(body)
        .send()
}

fn ok(answer: Answer) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.json());
    answer.json()
}

/// `(object id, similarity)` of one candidate set's result.
fn found(result: &Value, origin: &str, id: &str) -> Vec<(String, f64)> {
    result["result"]
        .as_array()
        .expect("result")
        .iter()
        .map(|r| {
            (
                r[origin][id].as_str().expect("id").to_owned(),
                r["similarity"].as_f64().expect("similarity"),
            )
        })
        .collect()
}

#[test]
fn faces_match_enrolled_people_above_the_threshold_and_strangers_not() {
    let account = account();
    let people = list(&account);
    let alice = enrol(&account, &[&people], "alice", 0);
    let bob = enrol(&account, &[&people], "bob", 0);
    let carol = enrol(&account, &[&people], "carol", 0);
    let alice_outside = enrol(&account, &[], "alice", 3);
    // Another account's alice is never a candidate.
    let other = self::account();
    let elsewhere = list(&other);
    enrol(&other, &[&elsewhere], "alice", 1);
    let answer = ok(matcher(
        "/1/matcher/faces",
        &account,
        json!({
            "references": [
                {"type": "sdk_descriptor", "id": "probe-alice", "data": sdk("alice", 1)},
                {"type": "raw_descriptor", "id": "probe-stranger", "data": raw("stranger", 0)},
                {"type": "face", "id": bob},
            ],
            "candidates": [
                {"filters": {"origin": "faces", "list_id": people}, "limit": 3, "threshold": 0.5},
                {"filters": {"origin": "faces"}, "limit": 10, "targets": ["face_id", "user_data"]},
            ],
        }),
    ));
    let entries = answer.as_array().expect("one entry per reference");
    assert_eq!(entries.len(), 3);
    assert_eq!(
        entries[0]["reference"],
        json!({"id": "probe-alice", "type": "sdk_descriptor"})
    );
    assert!(entries[0].get("error").is_none());
    let in_list = found(&entries[0]["matches"][0], "face", "face_id");
    assert_eq!(in_list.len(), 1, "only alice passes 0.5: {in_list:?}");
    assert_eq!(in_list[0].0, alice);
    assert!(in_list[0].1 >= 0.9, "{}", in_list[0].1);
    assert_eq!(
        entries[0]["matches"][0]["filters"],
        json!({"origin": "faces", "list_id": people})
    );
    // Without a threshold every face of the account, best first; both alices lead.
    let everyone = found(&entries[0]["matches"][1], "face", "face_id");
    assert_eq!(everyone.len(), 4);
    let top: Vec<&str> = everyone[..2].iter().map(|(id, _)| id.as_str()).collect();
    assert!(top.contains(&alice.as_str()) && top.contains(&alice_outside.as_str()));
    assert!(everyone[..2].iter().all(|(_, s)| *s >= 0.9));
    assert!(everyone[2..].iter().all(|(_, s)| *s < 0.5));
    assert!(everyone.windows(2).all(|w| w[0].1 >= w[1].1));
    let first = &entries[0]["matches"][1]["result"][0]["face"];
    assert_eq!(
        first.as_object().expect("face").len(),
        2,
        "targets keep face_id and user_data only: {first}"
    );
    assert_eq!(first["user_data"], "alice");
    // The stranger matches nobody above the threshold.
    assert_eq!(
        entries[1]["reference"],
        json!({"id": "probe-stranger", "type": "raw_descriptor"})
    );
    assert!(found(&entries[1]["matches"][0], "face", "face_id").is_empty());
    // A face reference finds itself (same descriptor) first.
    assert_eq!(entries[2]["reference"], json!({"id": bob, "type": "face"}));
    let by_face = found(&entries[2]["matches"][0], "face", "face_id");
    assert_eq!(by_face[0].0, bob);
    assert!((by_face[0].1 - 1.0).abs() < 1e-9);
    assert!(!by_face
        .iter()
        .any(|(id, _)| *id == carol && by_face[0].0 == carol));
    // limit
    let limited = ok(matcher(
        "/1/matcher/faces",
        &account,
        json!({
            "references": [{"type": "sdk_descriptor", "id": "p", "data": sdk("carol", 2)}],
            "candidates": [{"filters": {"origin": "faces"}, "limit": 1}],
        }),
    ));
    let one = found(&limited[0]["matches"][0], "face", "face_id");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].0, carol);
    // Default limit: 3.
    let default = ok(matcher(
        "/1/matcher/faces",
        &account,
        json!({
            "references": [{"type": "sdk_descriptor", "id": "p", "data": sdk("carol", 2)}],
            "candidates": [{"filters": {"origin": "faces"}}],
        }),
    ));
    assert_eq!(found(&default[0]["matches"][0], "face", "face_id").len(), 3);
}

#[test]
fn face_filters_narrow_the_candidates() {
    let account = account();
    let a = list(&account);
    let alice = enrol(&account, &[&a], "alice", 0);
    let alice_2 = enrol(&account, &[], "alice", 1);
    let body = |filters: Value| {
        json!({
            "references": [{"type": "sdk_descriptor", "id": "p", "data": sdk("alice", 2)}],
            "candidates": [{"filters": filters, "limit": 10}],
        })
    };
    let ids = |filters: Value| -> Vec<String> {
        let answer = ok(matcher("/1/matcher/faces", &account, body(filters)));
        let mut ids: Vec<String> = found(&answer[0]["matches"][0], "face", "face_id")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        ids
    };
    let mut both = vec![alice.clone(), alice_2.clone()];
    both.sort();
    assert_eq!(ids(json!({"origin": "faces"})), both);
    assert_eq!(
        ids(json!({"origin": "faces", "list_id": a})),
        vec![alice.clone()]
    );
    assert_eq!(
        ids(json!({"origin": "faces", "face_ids": [alice_2]})),
        vec![alice_2.clone()]
    );
    assert_eq!(
        ids(json!({"origin": "faces", "external_ids": ["alice-1"]})),
        vec![alice_2.clone()]
    );
    assert_eq!(
        ids(json!({"origin": "faces", "account_id": account})),
        both.clone()
    );
    assert!(ids(json!({"origin": "faces", "create_time__lt": "2000-01-01T00:00:00Z"})).is_empty());
    assert_eq!(
        ids(json!({"origin": "faces", "create_time__gte": "2000-01-01T00:00:00Z"})),
        both
    );
    // The account_id query narrows like Luna-Account-Id: another account sees nothing.
    let answer = ok(call(
        PythonMatcher,
        "POST",
        format!("/1/matcher/faces?account_id={}", self::account()),
    )
    .no_account()
    .json(body(json!({"origin": "faces", "list_id": a})))
    .send());
    assert!(found(&answer[0]["matches"][0], "face", "face_id").is_empty());
}

#[test]
fn faces_match_events_and_attributes_and_bodies_match_events() {
    let account = account();
    let ids = save_events(
        &account,
        json!([
            {"source": "door", "face_descriptors": [sdk("dora", 0)], "body_descriptors": [raw("dora", 5)],
             "meta": {"floor": 2}},
            {"source": "gate", "face_descriptors": [sdk("dora", 1)]},
            {"source": "door", "face_descriptors": [sdk("eve", 0)], "body_descriptors": [raw("eve", 5)],
             "meta": {"floor": 3}},
            {"source": "door"},
        ]),
    );
    let attribute = created(
        call(Faces, "POST", "/3/attributes")
            .header("Luna-Account-Id", &account)
            .json(json!({"descriptors": [sdk("dora", 7)]}))
            .send(),
        "attribute_id",
    );
    let answer = ok(matcher(
        "/1/matcher/faces",
        &account,
        json!({
            "references": [
                {"type": "event", "id": ids[1]},
                {"type": "attribute", "id": attribute},
            ],
            "candidates": [
                {"filters": {"origin": "events", "sources": ["door"]}, "limit": 5},
                {"filters": {"origin": "events", "meta": {"floor__gte:integer": 3}}},
                {"filters": {"origin": "attributes", "attribute_ids": [attribute]}},
            ],
        }),
    ));
    // The gate photo of dora: the door event of dora first, eve's far below; the event
    // without descriptors is no candidate.
    let doors = found(&answer[0]["matches"][0], "event", "event_id");
    assert_eq!(doors.len(), 2, "{doors:?}");
    assert_eq!(doors[0].0, ids[0]);
    assert!(doors[0].1 >= 0.9 && doors[1].1 < 0.5, "{doors:?}");
    assert_eq!(
        answer[0]["matches"][0]["result"][0]["event"]["source"],
        "door"
    );
    let floor = found(&answer[0]["matches"][1], "event", "event_id");
    assert_eq!(floor.len(), 1);
    assert_eq!(floor[0].0, ids[2]);
    let attributes = found(&answer[0]["matches"][2], "attribute", "attribute_id");
    assert_eq!(attributes.len(), 1);
    assert_eq!(attributes[0].0, attribute);
    assert!(attributes[0].1 >= 0.9);
    // The attribute reference finds dora's events.
    let by_attribute = found(&answer[1]["matches"][0], "event", "event_id");
    assert_eq!(by_attribute[0].0, ids[0]);
    // Bodies: only events with body descriptors.
    let bodies = ok(matcher(
        "/1/matcher/bodies",
        &account,
        json!({
            "references": [
                {"type": "raw_descriptor", "id": "walker", "data": raw("eve", 6)},
                {"type": "event", "id": ids[0]},
            ],
            "candidates": [{"filters": {"origin": "events"}, "threshold": 0.5}],
        }),
    ));
    let walker = found(&bodies[0]["matches"][0], "event", "event_id");
    assert_eq!(walker.len(), 1);
    assert_eq!(walker[0].0, ids[2]);
    assert!(walker[0].1 >= 0.9);
    let by_event = found(&bodies[1]["matches"][0], "event", "event_id");
    assert_eq!(by_event.len(), 1);
    assert_eq!(by_event[0].0, ids[0]);
    // Bodies take events only, as candidates and as references.
    matcher(
        "/1/matcher/bodies",
        &account,
        json!({"references": [{"type": "event", "id": ids[0]}],
               "candidates": [{"filters": {"origin": "faces"}}]}),
    )
    .assert_error(400, 12022);
    matcher(
        "/1/matcher/bodies",
        &account,
        json!({"references": [{"type": "face", "id": ids[0]}],
               "candidates": [{"filters": {"origin": "events"}}]}),
    )
    .assert_error(400, 12022);
}

#[test]
fn references_that_cannot_be_loaded_get_their_own_error() {
    let account = account();
    let bare_face = created(
        call(Faces, "POST", "/3/faces")
            .header("Luna-Account-Id", &account)
            .json(json!({"user_data": "no attribute"}))
            .send(),
        "face_id",
    );
    let events = save_events(&account, json!([{"source": "no descriptors"}]));
    let missing = uuid::Uuid::new_v4().to_string();
    let answer = ok(matcher(
        "/1/matcher/faces",
        &account,
        json!({
            "references": [
                {"type": "face", "id": missing},
                {"type": "event", "id": missing},
                {"type": "attribute", "id": missing},
                {"type": "face", "id": bare_face},
                {"type": "event", "id": events[0]},
                {"type": "sdk_descriptor", "id": "fine", "data": sdk("x", 0)},
            ],
            "candidates": [{"filters": {"origin": "faces"}}],
        }),
    ));
    let codes: Vec<Option<u64>> = answer
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["error"]["error_code"].as_u64())
        .collect();
    assert_eq!(
        codes,
        vec![
            Some(22002),
            Some(23001),
            Some(22011),
            Some(22011),
            Some(23006),
            None
        ]
    );
    assert_eq!(answer[0]["matches"], json!([]));
    assert!(answer[0]["error"]["detail"]
        .as_str()
        .unwrap()
        .contains(&missing));
    let bodies = ok(matcher(
        "/1/matcher/bodies",
        &account,
        json!({"references": [{"type": "event", "id": events[0]}],
               "candidates": [{"filters": {"origin": "events"}}]}),
    ));
    assert_eq!(bodies[0]["error"]["error_code"], 23007);
    // Another account's face is missing for this one.
    let other = self::account();
    let theirs = enrol(&other, &[], "zed", 0);
    let hidden = ok(matcher(
        "/1/matcher/faces",
        &account,
        json!({"references": [{"type": "face", "id": theirs}],
               "candidates": [{"filters": {"origin": "faces"}}]}),
    ));
    assert_eq!(hidden[0]["error"]["error_code"], 22002);
}

#[test]
fn bad_matching_requests_are_luna_errors() {
    let account = account();
    let reference = json!({"type": "sdk_descriptor", "id": "p", "data": sdk("a", 0)});
    let set = json!({"filters": {"origin": "faces"}});
    let post = |body: Value| matcher("/1/matcher/faces", &account, body);
    for bad in [
        json!({"candidates": [set]}),
        json!({"references": [reference]}),
        json!({"references": [], "candidates": [set]}),
        json!({"references": [reference], "candidates": []}),
        json!({"references": [reference], "candidates": [set], "extra": 1}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "planets"}}]}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "faces", "colour": "red"}}]}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "faces", "list_id": "x"}}]}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "events", "emotions": [9]}}]}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "faces"}, "limit": 0}]}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "faces"}, "limit": 1001}]}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "faces"}, "threshold": -0.1}]}),
        json!({"references": [reference], "candidates": [{"filters": {"origin": "faces"}, "targets": ["x"]}]}),
        json!({"references": [{"type": "face", "id": "not-a-uuid"}], "candidates": [set]}),
        json!({"references": [{"type": "sdk_descriptor", "id": "p", "data": "AAAA"}], "candidates": [set]}),
        json!({"references": [{"type": "raw_descriptor", "id": "p", "data": {"descriptor": "AAAA", "version": 59}}], "candidates": [set]}),
        json!({"references": [{"type": "planet", "id": "p"}], "candidates": [set]}),
    ] {
        post(bad.clone()).assert_error(400, 12022);
    }
    let many: Vec<Value> = (0..101).map(|_| reference.clone()).collect();
    post(json!({"references": many, "candidates": [set]})).assert_error(400, 31007);
    let sets: Vec<Value> = (0..101).map(|_| set.clone()).collect();
    post(json!({"references": [reference], "candidates": sets})).assert_error(400, 12022);
    call(PythonMatcher, "POST", "/1/matcher/faces")
        .bytes(b"{".to_vec())
        .header("Content-Type", "application/json")
        .send()
        .assert_error(400, 12027);
    call(PythonMatcher, "POST", "/1/matcher/faces")
        .header("Content-Type", "text/plain")
        .bytes(b"{}".to_vec())
        .send()
        .assert_error(400, 12017);
    call(PythonMatcher, "POST", "/1/matcher/faces?colour=red")
        .json(json!({"references": [reference], "candidates": [set]}))
        .send()
        .assert_error(400, 12012);
    call(PythonMatcher, "POST", "/1/matcher/faces?account_id=nope")
        .json(json!({"references": [reference], "candidates": [set]}))
        .send()
        .assert_error(400, 12012);
    call(PythonMatcher, "GET", "/1/matcher/faces")
        .send()
        .assert_error(405, 12002);
    call(PythonMatcher, "POST", "/1/matcher/planets")
        .json(json!({}))
        .send()
        .assert_error(404, 12001);
}

#[test]
fn raw_matching_ranks_every_candidate_per_reference() {
    let answer = ok(call(PythonMatcher, "POST", "/1/matcher/raw")
        .no_account()
        .json(json!({
            "references": [
                {"type": "sdk_descriptor", "id": "alice-probe", "data": sdk("alice", 1)},
                {"type": "raw_descriptor", "id": "stranger", "data": raw("stranger", 0)},
            ],
            "candidates": [
                {"type": "raw_descriptor", "id": "bob", "data": raw("bob", 0)},
                {"type": "sdk_descriptor", "id": "alice", "data": sdk("alice", 0)},
                {"type": "sdk_descriptor", "id": "carol", "data": sdk("carol", 0)},
            ],
        }))
        .send());
    assert_eq!(
        answer[0]["reference"],
        json!({"id": "alice-probe", "type": "sdk_descriptor"})
    );
    let first = &answer[0]["matches"];
    assert_eq!(first.as_array().unwrap().len(), 3);
    assert_eq!(
        first[0]["candidate"],
        json!({"id": "alice", "type": "sdk_descriptor"})
    );
    assert!(first[0]["similarity"].as_f64().unwrap() >= 0.9);
    assert!(first[1]["similarity"].as_f64().unwrap() < 0.5);
    assert!(first[1]["similarity"].as_f64() >= first[2]["similarity"].as_f64());
    let stranger = &answer[1]["matches"];
    assert!(stranger
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["similarity"].as_f64().unwrap() < 0.5));
    let raw_call = |body: Value| {
        call(PythonMatcher, "POST", "/1/matcher/raw")
            .json(body)
            .send()
    };
    let probe = json!({"type": "sdk_descriptor", "id": "p", "data": sdk("a", 0)});
    let other_version = json!({"type": "sdk_descriptor", "id": "v62",
        "data": Subject::synthetic("a", 0).descriptor(62).to_json(DescriptorFormat::Sdk)});
    raw_call(json!({"references": [probe], "candidates": [other_version]}))
        .assert_error(400, 12031);
    raw_call(json!({"references": [probe], "candidates": [{"type": "face", "id": uuid::Uuid::new_v4()}]}))
        .assert_error(400, 12022);
    raw_call(json!({"references": [probe], "candidates": [{"type": "sdk_descriptor", "id": "p", "data": "!!"}]}))
        .assert_error(400, 12022);
    raw_call(json!({"references": [probe]})).assert_error(400, 12022);
    raw_call(json!({"references": [probe], "candidates": [probe], "limit": 1}))
        .assert_error(400, 12022);
    let many: Vec<Value> = (0..101).map(|_| probe.clone()).collect();
    raw_call(json!({"references": many, "candidates": [probe]})).assert_error(400, 31007);
    call(PythonMatcher, "POST", "/1/matcher/raw?sorting=1")
        .json(json!({"references": [probe], "candidates": [probe]}))
        .send()
        .assert_error(400, 12012);
}

/// `(reference id, [(candidate id, similarity)])` of a cross-matching answer.
fn pairs(answer: &Value) -> Vec<(String, Vec<(String, f64)>)> {
    answer
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["reference"]["id"].as_str().unwrap().to_owned(),
                e["matches"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| {
                        (
                            m["candidate"]["id"].as_str().unwrap().to_owned(),
                            m["similarity"].as_f64().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn cross_matching_pairs_photos_of_one_person() {
    let account = account();
    let people = list(&account);
    let mut by_person = Vec::new();
    for person in ["ann", "ben", "cid"] {
        let first = enrol(&account, &[&people], person, 0);
        let second = enrol(&account, &[&people], person, 1);
        by_person.push((first, second));
    }
    enrol(&account, &[], "ann", 2); // not in the list
    let body = |limit: u64, threshold: f64| {
        json!({
            "references": {"filters": {"origin": "faces", "list_id": people}},
            "candidates": {"filters": {"origin": "faces", "list_id": people}},
            "limit": limit,
            "threshold": threshold,
        })
    };
    let answer = ok(matcher("/1/crossmatcher/faces", &account, body(5, 0.5)));
    let result = pairs(&answer);
    assert_eq!(result.len(), 6);
    assert!(answer[0]["reference"]["type"] == "face");
    for (reference, matches) in &result {
        let twin = by_person
            .iter()
            .find_map(|(a, b)| {
                if a == reference {
                    Some(b)
                } else if b == reference {
                    Some(a)
                } else {
                    None
                }
            })
            .expect("a reference of the list");
        assert_eq!(matches.len(), 1, "{reference}: {matches:?}");
        assert_eq!(&matches[0].0, twin, "the other photo, never itself");
        assert!(matches[0].1 >= 0.9);
    }
    let all = pairs(&ok(matcher(
        "/1/crossmatcher/faces",
        &account,
        body(5, 0.0),
    )));
    assert!(all.iter().all(|(_, m)| m.len() == 5));
    assert!(all
        .iter()
        .all(|(_, m)| m.windows(2).all(|w| w[0].1 >= w[1].1)));
    let limited = pairs(&ok(matcher(
        "/1/crossmatcher/faces",
        &account,
        body(2, 0.0),
    )));
    assert!(limited.iter().all(|(_, m)| m.len() == 2));
    // sorting=0 keeps the same candidates, in storage (face id) order.
    let unsorted = pairs(&ok(call(
        PythonMatcher,
        "POST",
        "/1/crossmatcher/faces?sorting=0",
    )
    .header("Luna-Account-Id", &account)
    .json(body(5, 0.0))
    .send()));
    for ((_, sorted), (_, plain)) in all.iter().zip(&unsorted) {
        let mut ids: Vec<&String> = plain.iter().map(|(id, _)| id).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        let mut expected: Vec<&String> = sorted.iter().map(|(id, _)| id).collect();
        ids.sort();
        expected.sort();
        assert_eq!(ids, expected);
    }
    // Default limit 3, events and attributes on either side, account from the filters.
    let events = save_events(
        &account,
        json!([{"face_descriptors": [sdk("ann", 5)]}, {"face_descriptors": [sdk("zoe", 0)]}]),
    );
    let mixed = ok(call(PythonMatcher, "POST", "/1/crossmatcher/faces")
        .no_account()
        .json(json!({
            "references": {"filters": {"origin": "events", "account_id": account}},
            "candidates": {"filters": {"origin": "faces", "account_id": account}},
        }))
        .send());
    let mixed = pairs(&mixed);
    assert_eq!(mixed.len(), 2);
    let ann = mixed.iter().find(|(r, _)| *r == events[0]).unwrap();
    assert_eq!(ann.1.len(), 3);
    assert!(
        ann.1[..3].iter().all(|(_, s)| *s >= 0.9),
        "three photos of ann"
    );
    let zoe = mixed.iter().find(|(r, _)| *r == events[1]).unwrap();
    assert!(zoe.1.iter().all(|(_, s)| *s < 0.5));
}

#[test]
fn cross_matching_bodies_and_errors() {
    let account = account();
    let ids = save_events(
        &account,
        json!([
            {"source": "a", "body_descriptors": [raw("walker", 0)]},
            {"source": "b", "body_descriptors": [raw("walker", 1)]},
            {"source": "b", "body_descriptors": [raw("runner", 0)]},
            {"source": "b", "face_descriptors": [sdk("walker", 0)]},
        ]),
    );
    let answer = pairs(&ok(matcher(
        "/1/crossmatcher/bodies",
        &account,
        json!({
            "references": {"filters": {"origin": "events", "sources": ["a"]}},
            "candidates": {"filters": {"origin": "events", "sources": ["b"]}},
            "threshold": 0.5,
        }),
    )));
    assert_eq!(answer.len(), 1);
    assert_eq!(answer[0].0, ids[0]);
    assert_eq!(answer[0].1.len(), 1);
    assert_eq!(answer[0].1[0].0, ids[1]);
    let post = |path: &str, body: Value| matcher(path, &account, body);
    let side = json!({"filters": {"origin": "events"}});
    for bad in [
        json!({"candidates": side}),
        json!({"references": side}),
        json!({"references": side, "candidates": {"origin": "events"}}),
        json!({"references": side, "candidates": side, "limit": 0}),
        json!({"references": side, "candidates": side, "threshold": 2}),
        json!({"references": side, "candidates": side, "extra": true}),
        json!({"references": {"filters": {"origin": "faces"}}, "candidates": side}),
    ] {
        post("/1/crossmatcher/bodies", bad).assert_error(400, 12022);
    }
    call(PythonMatcher, "POST", "/1/crossmatcher/faces?sorting=2")
        .json(json!({"references": side, "candidates": side}))
        .send()
        .assert_error(400, 12012);
    // More objects than the cross-matching limit: 31002.
    let small = Emulator::start_with(Config {
        match_limits: MatchLimits {
            cross_match_objects: 2,
            ..MatchLimits::default()
        },
        ..Config::default()
    })
    .expect("starts");
    let save = call(Events, "POST", "/2/events")
        .header("Luna-Account-Id", &account)
        .json(json!({"events": [
            {"face_descriptors": [sdk("a", 0)]},
            {"face_descriptors": [sdk("b", 0)]},
            {"face_descriptors": [sdk("c", 0)]},
        ]}))
        .send_to(&small);
    assert_eq!(save.status, 201);
    let cross = |crowded: &str| {
        let filters = |side: &str| {
            if side == crowded {
                json!({"origin": "events"})
            } else {
                json!({"origin": "events", "sources": ["none"]})
            }
        };
        call(PythonMatcher, "POST", "/1/crossmatcher/faces")
            .header("Luna-Account-Id", &account)
            .json(json!({
                "references": {"filters": filters("references")},
                "candidates": {"filters": filters("candidates")},
            }))
            .send_to(&small)
    };
    cross("references").assert_error(400, 31002);
    cross("candidates").assert_error(400, 31002);
}

#[test]
fn the_matcher_lists_its_routes_in_its_spec() {
    let spec = call(PythonMatcher, "GET", "/docs/spec").send().json();
    assert_eq!(spec["info"]["title"], "luna-python-matcher");
    for path in [
        "/1/matcher/faces",
        "/1/matcher/bodies",
        "/1/matcher/raw",
        "/1/crossmatcher/faces",
        "/1/crossmatcher/bodies",
    ] {
        assert!(spec["paths"][path]["post"].is_object(), "{path}");
    }
    let version = call(PythonMatcher, "GET", "/version").send().json();
    assert_eq!(version["Version"]["api"], 1);
}

#[test]
fn arbitrary_requests_never_break_the_matcher() {
    let id = uuid::Uuid::new_v4();
    let descriptor = sdk("x", 0);
    let bodies: Vec<Value> = vec![
        json!(null),
        json!([]),
        json!({"references": null, "candidates": null}),
        json!({"references": [null, 1, "x", []], "candidates": [null]}),
        json!({"references": [{"type": "face", "id": "\u{0}"}], "candidates": [{"filters": null}]}),
        json!({"references": [{"type": "sdk_descriptor", "id": "x", "data": descriptor}],
               "candidates": [{"filters": {"origin": "events", "meta": {"a": [[]]}}}]}),
        json!({"references": [{"type": "sdk_descriptor", "id": "x", "data": descriptor}],
               "candidates": [{"filters": {"origin": "events", "meta": {"a__in:integer": [1, "x"]}}}]}),
        json!({"references": [{"type": "sdk_descriptor", "id": "x", "data": descriptor}],
               "candidates": [{"filters": {"origin": "events", "origin_longitude": 1e308,
                                            "origin_latitude": -1e308, "age__gte": 1e30}}],
               "limit": 1e300}),
        json!({"references": [{"type": "raw_descriptor", "id": "x",
                               "data": {"descriptor": "", "version": 4294967296u64}}],
               "candidates": [{"type": "raw_descriptor", "id": "y", "data": {"descriptor": "AA=="}}]}),
        json!({"references": {"filters": {"origin": "faces", "face_ids": [id, null, {}]}},
               "candidates": {"filters": {"origin": "attributes", "attribute_ids": "x,,y"}},
               "threshold": "0.5", "limit": -1}),
        json!({"references": {"filters": {"origin": "events", "event_id__gte": id, "meta": {}}},
               "candidates": {"filters": {"origin": "events", "create_time__gte": "yesterday"}}}),
    ];
    for path in [
        "/1/matcher/faces",
        "/1/matcher/bodies",
        "/1/matcher/raw",
        "/1/crossmatcher/faces",
        "/1/crossmatcher/bodies",
    ] {
        for body in &bodies {
            for query in ["", "?sorting=0", "?account_id=%00", "?limit=1"] {
                let answer = call(PythonMatcher, "POST", format!("{path}{query}"))
                    .json(body.clone())
                    .send();
                assert!(
                    (200..500).contains(&answer.status),
                    "{path}{query} {body}: {} {}",
                    answer.status,
                    answer.json()
                );
            }
        }
    }
    assert_eq!(
        call(PythonMatcher, "GET", "/healthcheck").send().status,
        200
    );
}
