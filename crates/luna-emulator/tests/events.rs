//! luna-events routes over HTTP: saving, reading with each filter, ordering, paging,
//! descriptors, deletes, statistics and their errors.

mod common;

use common::{call, sdk_descriptor, Answer};
use luna_emulator::Service::Events;
use serde_json::{json, Value};

/// Saves events under a fresh account; returns the account and the ids.
fn save(events: Value) -> (String, Vec<String>) {
    let account = uuid::Uuid::new_v4().to_string();
    let answer = call(Events, "POST", "/2/events?wait_events_saving=1")
        .header("Luna-Account-Id", &account)
        .json(json!({ "events": events }))
        .send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    let ids = answer.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect();
    (account, ids)
}

fn get(account: &str, query: &str) -> Answer {
    call(Events, "GET", format!("/2/events?{query}"))
        .header("Luna-Account-Id", account)
        .send()
}

fn ids(account: &str, query: &str) -> Vec<String> {
    let answer = get(account, &format!("page_size=1000&{query}"));
    assert_eq!(answer.status, 200, "{query}: {}", answer.json());
    answer.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sorted_by_create_time_with_order_and_paging() {
    let events: Vec<Value> = (0..25)
        .map(|i| json!({"create_time": format!("2024-01-01T00:{:02}:00Z", (i * 7) % 25)}))
        .collect();
    let (account, _) = save(json!(events));
    let times = |query: &str| -> Vec<String> {
        get(&account, query).json()["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["create_time"].as_str().unwrap().to_owned())
            .collect()
    };
    let desc = times("page_size=25");
    let mut sorted = desc.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(desc, sorted, "newest first by default");
    let asc = times("page_size=25&order=asc");
    assert_eq!(asc.iter().rev().cloned().collect::<Vec<_>>(), desc);
    assert_eq!(times("").len(), 10, "page_size defaults to 10");
    assert_eq!(times("page=3&page_size=10"), desc[20..].to_vec());
    get(&account, "order=up").assert_error(400, 12012);
    get(&account, "page_size=1001").assert_error(400, 12012);
    get(&account, "target=colour").assert_error(400, 23005);
    get(&account, "unknown_filter=1").assert_error(400, 12012);
    let narrow = get(&account, "target=event_id,create_time&page_size=1").json();
    assert_eq!(narrow["events"][0].as_object().unwrap().len(), 2);
}

#[test]
fn each_filter_of_get_events() {
    let handler = uuid::Uuid::new_v4();
    let face = uuid::Uuid::new_v4();
    let rich = json!({
        "handler_id": handler, "external_id": "e1", "source": "door", "track_id": "t1",
        "user_data": "a,b", "tags": ["vip"], "face_id": face, "stream_id": uuid::Uuid::new_v4(),
        "create_time": "2024-02-01T10:00:00Z", "end_time": "2024-02-01T10:00:05Z",
        "gender": 1, "age": 35, "emotion": 4, "mask": 2, "ethnic_group": 3, "liveness": 1,
        "body_basic_attributes": {"apparent_age": 33, "apparent_gender": 1},
        "upper_body": {"headwear": {"state": 1, "apparent_color": "black"}, "sleeve": {"length": "long"},
                       "upper_clothing": {"colors": ["red", "blue"]}},
        "lower_body": {"lower_garment": {"type": "skirt", "colors": ["black"]}, "shoes": {"apparent_color": "white"}},
        "accessories": {"backpack": {"state": 0}},
        "location": {"city": "Riga", "area": "n", "district": "d", "street": "s", "house_number": "7",
                     "geo_position": {"longitude": 24.1, "latitude": 56.95}},
        "top_match": {"event_id": face, "external_id": "c1", "label": "staff", "similarity": 0.9},
        "meta": {"car": {"plate": "AB12", "speed": 80}},
    });
    let (account, saved) = save(json!([rich, {"create_time": "2024-02-02T10:00:00Z"}]));
    let (rich_id, plain_id) = (saved[0].clone(), saved[1].clone());
    for query in [
        format!("event_ids={rich_id}"),
        format!("handler_ids={handler}"),
        "external_ids=e1".into(),
        "top_matching_candidates_label=staff".into(),
        format!("top_similar_object_ids={face}"),
        "top_similar_external_ids=c1".into(),
        "top_similar_object_similarity__gte=0.9&top_similar_object_similarity__lt=0.95".into(),
        "age__gte=35&age__lt=36".into(),
        "gender=1".into(),
        "emotions=4,5".into(),
        "masks=2".into(),
        "ethnic_groups=3".into(),
        "liveness=1".into(),
        "apparent_age__gte=30&apparent_age__lt=34".into(),
        "apparent_gender=1".into(),
        "headwear_states=1".into(),
        "headwear_apparent_colors=black".into(),
        "sleeve_lengths=long".into(),
        "upper_clothing_colors=blue".into(),
        "lower_garment_types=skirt".into(),
        "lower_garment_colors=black".into(),
        "shoes_apparent_colors=white".into(),
        "backpack_states=0".into(),
        format!("face_ids={face}"),
        "user_data=a,b".into(),
        "sources=door,gate".into(),
        "tags=vip".into(),
        "cities=Riga".into(),
        "areas=n".into(),
        "districts=d".into(),
        "streets=s".into(),
        "house_numbers=7".into(),
        "track_ids=t1".into(),
        "origin_longitude=24&origin_latitude=57&longitude_delta=0.2&latitude_delta=0.1".into(),
        "origin_longitude=24.05&origin_latitude=56.9".into(),
        "end_time__gte=2024-02-01T10:00:05Z&end_time__lt=2024-02-01T10:00:06Z".into(),
        "create_time__gte=2024-02-01T00:00:00Z&create_time__lt=2024-02-02T00:00:00Z".into(),
        "meta.car.plate__eq:string=AB12".into(),
        "meta.car.speed__gte:integer=80".into(),
        "meta.car.speed__in:integer=70,80".into(),
        "meta.car.plate__like:string=AB%25".into(),
    ] {
        assert_eq!(ids(&account, &query), vec![rich_id.clone()], "{query}");
    }
    for query in [
        "gender=null",
        "emotions=null",
        "cities=null",
        "sources=null",
        "track_ids=null",
        "origin_longitude=null&origin_latitude=null",
        "meta.car.plate__eq:string=null",
        "meta.car.plate__neq:string=AB12",
    ] {
        assert_eq!(ids(&account, query), vec![plain_id.clone()], "{query}");
    }
    let (low, high) = if rich_id < plain_id {
        (&rich_id, &plain_id)
    } else {
        (&plain_id, &rich_id)
    };
    assert_eq!(
        ids(&account, &format!("event_id__gte={high}")),
        vec![high.clone()]
    );
    assert_eq!(
        ids(&account, &format!("event_id__lt={high}")),
        vec![low.clone()]
    );
    for (bad, code) in [
        ("emotions=8", 12012),
        ("gender=2", 12012),
        ("event_ids=x", 12012),
        ("age__gte=-1", 12012),
        ("origin_longitude=24", 12012),
        ("longitude_delta=1", 12012),
        ("origin_longitude=200&origin_latitude=1", 12012),
        ("meta.car__between:string=1", 12012),
        ("meta.car__eq:date=1", 12012),
        ("meta.car.speed__eq:integer=fast", 12012),
        ("create_time__gte=today", 12012),
        ("external_ids=null", 12012),
    ] {
        get(&account, bad).assert_error(400, code);
    }
    assert!(
        ids(&uuid::Uuid::new_v4().to_string(), "").is_empty(),
        "another account sees nothing"
    );
}

#[test]
fn single_events_and_descriptors() {
    let face = sdk_descriptor(59, 3);
    let (account, saved) =
        save(json!([{"face_descriptors": [face], "body_descriptors": [sdk_descriptor(107, 4)]}]));
    let id = &saved[0];
    let one = call(
        Events,
        "GET",
        format!("/2/events/{id}?target=event_id,account_id"),
    )
    .header("Luna-Account-Id", &account)
    .send();
    assert_eq!(one.json(), json!({"event_id": id, "account_id": account}));
    let full = call(Events, "GET", format!("/2/events/{id}"))
        .header("Luna-Account-Id", &account)
        .send()
        .json();
    assert!(
        full.get("face_descriptors").is_none(),
        "descriptors are read from their own route"
    );
    assert_eq!(full["meta"], Value::Null);
    assert_eq!(
        call(Events, "HEAD", format!("/2/events/{id}"))
            .header("Luna-Account-Id", &account)
            .send()
            .status,
        200
    );
    call(Events, "GET", format!("/2/events/{id}"))
        .send()
        .assert_error(404, 23001);
    call(Events, "GET", format!("/2/events/{id}?target=x"))
        .header("Luna-Account-Id", &account)
        .send()
        .assert_error(400, 23005);

    let descriptor = |query: &str, accept: &str| {
        call(Events, "GET", format!("/2/events/{id}/descriptor?{query}"))
            .header("Luna-Account-Id", &account)
            .header("Accept", accept)
            .send()
    };
    let sdk = descriptor(
        "descriptor_version=59&descriptor_type=face",
        "application/octet-stream",
    );
    assert_eq!(sdk.header("content-type"), Some("application/octet-stream"));
    use base64::Engine as _;
    assert_eq!(
        base64::engine::general_purpose::STANDARD.encode(&sdk.body),
        face
    );
    let raw = descriptor("descriptor_type=body", "application/json").json();
    assert_eq!(raw["version"], 107);
    descriptor("descriptor_type=body&descriptor_version=108", "*/*").assert_error(404, 23007);
    descriptor("descriptor_version=60", "*/*").assert_error(404, 23006);
    descriptor("descriptor_type=hand", "*/*").assert_error(400, 12012);
}

#[test]
fn saving_errors() {
    let post = |body: Value| call(Events, "POST", "/2/events").json(body).send();
    post(json!([{}])).assert_error(400, 12022);
    post(json!({"events": []})).assert_error(400, 12022);
    post(json!({"events": [{"colour": 1}]})).assert_error(400, 12022);
    post(json!({"events": [{"emotion": 9}]})).assert_error(400, 12022);
    post(json!({"events": [{"create_time": "yesterday"}]})).assert_error(400, 12022);
    post(json!({"events": [{"face_descriptors": ["AAAA"]}]})).assert_error(400, 12022);
    let many: Vec<Value> = (0..1001).map(|_| json!({})).collect();
    post(json!({ "events": many })).assert_error(400, 12022);
    let id = uuid::Uuid::new_v4();
    assert_eq!(post(json!({"events": [{"event_id": id}]})).status, 201);
    assert_eq!(post(json!({"events": [{"event_id": id}]})).status, 409);
    call(Events, "POST", "/2/events")
        .no_account()
        .json(json!({"events": [{}]}))
        .send()
        .assert_error(400, 12022);
    let own = call(Events, "POST", "/2/events")
        .no_account()
        .json(json!({"events": [{"account_id": common::OTHER}]}))
        .send();
    assert_eq!(own.status, 201, "the account may be in the event itself");
}

#[test]
fn deletes_and_statistics() {
    let handler = uuid::Uuid::new_v4().to_string();
    let events: Vec<Value> = (0..30)
        .map(|i| json!({
            "handler_id": if i < 10 { handler.clone() } else { uuid::Uuid::new_v4().to_string() },
            "create_time": format!("2024-03-{:02}T{:02}:00:00Z", 1 + i / 10, i % 24),
            "gender": i % 2, "age": 20 + i, "face_detections": [{"sample_id": uuid::Uuid::new_v4()}],
        }))
        .collect();
    let (account, _) = save(json!(events));
    let stats = |body: Value| {
        call(Events, "POST", "/2/events/stats")
            .header("Luna-Account-Id", &account)
            .json(body)
            .send()
    };
    assert_eq!(
        stats(json!({"aggregator": "count"})).json()["result"],
        json!([{"group": {}, "count": 30}])
    );
    let max = stats(json!({"aggregator": "max", "target": ["age"], "filters": [{"column": "gender", "operator": "eq", "value": 0}]})).json();
    assert_eq!(max["result"][0]["age"], 48.0);
    let min = stats(json!({"aggregator": "min", "target": ["age"], "filters": [{"column": "age", "operator": "gte", "value": 25}]})).json();
    assert_eq!(min["result"][0]["age"], 25.0);
    let per_day =
        stats(json!({"aggregator": "count", "group_by": [{"type": "interval", "interval": "1d"}]}))
            .json();
    let counts: Vec<&Value> = per_day["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["count"])
        .collect();
    assert_eq!(counts, vec![&json!(10), &json!(10), &json!(10)]);
    assert_eq!(
        per_day["result"][0]["group"]["interval_start"],
        "2024-03-01T00:00:00Z"
    );
    let by_day = stats(json!({"aggregator": "avg", "target": ["age"], "group_by": [{"type": "frequency", "frequency": "day_of_month"}, {"type": "column", "column": "gender"}]})).json();
    assert_eq!(by_day["result"].as_array().unwrap().len(), 6);
    stats(json!({"aggregator": "median"})).assert_error(400, 12022);
    stats(json!({"aggregator": "avg"})).assert_error(400, 12022);
    stats(json!({"aggregator": "count", "filters": [{"column": "colour", "operator": "eq", "value": 1}]})).assert_error(400, 12022);
    stats(json!({"aggregator": "count", "group_by": [{"type": "interval", "interval": "1y"}]}))
        .assert_error(400, 12022);

    let delete = |body: Value| {
        call(Events, "DELETE", "/2/events")
            .header("Luna-Account-Id", &account)
            .json(body)
            .send()
    };
    delete(json!({"filters": {}})).assert_error(400, 12022);
    delete(json!({"filters": {"account_id": account}})).assert_error(400, 12022);
    delete(json!({"filters": {"colour": 1}})).assert_error(400, 12022);
    let deleted = delete(json!({"filters": {"handler_id": handler}})).json();
    let deleted = deleted["events"].as_array().unwrap();
    assert_eq!(deleted.len(), 10);
    assert!(deleted[0]["face_detections"][0]["sample_id"].is_string());
    let deleted = delete(json!({"filters": {"create_time__gte": "2024-03-03T00:00:00Z", "insert_time__lt": "2999-01-01T00:00:00Z"}})).json();
    assert_eq!(deleted["events"].as_array().unwrap().len(), 10);
    assert_eq!(ids(&account, "").len(), 10);
}
