//! luna-faces routes over HTTP: success, documented errors, paging and every filter.

mod common;

use common::{call, sdk_descriptor, Answer, OTHER};
use luna_emulator::Service::Faces;
use serde_json::{json, Value};

fn create_face(body: Value) -> String {
    let answer = call(Faces, "POST", "/3/faces").json(body).send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    let id = answer.json()["face_id"].as_str().unwrap().to_owned();
    assert_eq!(
        answer.header("location"),
        Some(format!("/3/faces/{id}").as_str())
    );
    id
}

/// A read without `Luna-Account-Id` (scoped by the `account_id` query where given).
fn get(path: String) -> Answer {
    call(Faces, "GET", path).no_account().send()
}

fn faces_of(query: &str) -> Vec<String> {
    let answer = get(format!("/3/faces?page_size=-1&{query}"));
    assert_eq!(answer.status, 200, "{query}: {}", answer.json());
    answer.json()["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["face_id"].as_str().unwrap().to_owned())
        .collect()
}

/// A fresh account, so that a test's counts see only its own objects.
fn account() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[test]
fn face_crud_and_errors() {
    let id =
        create_face(json!({"user_data": "ann", "external_id": "e1", "avatar": "http://a/1.jpg"}));
    let face = get(format!("/3/faces/{id}")).json();
    assert_eq!(face["user_data"], "ann");
    assert_eq!(face["account_id"], common::ACCOUNT);
    assert!(face["create_time"].as_str().unwrap().ends_with('Z'));
    let narrow = get(format!("/3/faces/{id}?targets=face_id,user_data")).json();
    assert_eq!(narrow.as_object().unwrap().len(), 2);
    get(format!("/3/faces/{id}?targets=colour")).assert_error(400, 22016);
    assert_eq!(
        call(Faces, "HEAD", format!("/3/faces/{id}")).send().status,
        200
    );
    let patch = call(Faces, "PATCH", format!("/3/faces/{id}"))
        .json(json!({"user_data": "bob"}))
        .send();
    assert_eq!(patch.status, 204);
    assert_eq!(get(format!("/3/faces/{id}")).json()["user_data"], "bob");
    call(Faces, "PATCH", format!("/3/faces/{id}"))
        .json(json!({"avatar": "bad url"}))
        .send()
        .assert_error(400, 22009);
    call(Faces, "PATCH", format!("/3/faces/{id}"))
        .json(json!({"external_id": "x".repeat(37)}))
        .send()
        .assert_error(400, 12022);
    let put = call(Faces, "PUT", format!("/3/faces/{id}"))
        .json(json!({"user_data": "put"}))
        .send();
    assert_eq!(put.status, 200, "replaced");
    let fresh = uuid::Uuid::new_v4();
    let put = call(Faces, "PUT", format!("/3/faces/{fresh}"))
        .json(json!({}))
        .send();
    assert_eq!(put.status, 201, "created");
    assert_eq!(
        call(Faces, "DELETE", format!("/3/faces/{id}"))
            .send()
            .status,
        204
    );
    get(format!("/3/faces/{id}")).assert_error(404, 22002);
    assert_eq!(
        call(Faces, "HEAD", format!("/3/faces/{id}")).send().status,
        404
    );
    call(Faces, "DELETE", format!("/3/faces/{id}"))
        .send()
        .assert_error(404, 22002);
    call(Faces, "POST", "/3/faces")
        .json(json!({"lists": [uuid::Uuid::new_v4()]}))
        .send()
        .assert_error(400, 22005);
    call(Faces, "DELETE", "/3/faces")
        .json(json!({"face_ids": [fresh, id]}))
        .send()
        .assert_error(400, 22004);
    let ignored = call(Faces, "DELETE", "/3/faces?ignore=1")
        .json(json!({"face_ids": [fresh, id]}))
        .send();
    assert_eq!(ignored.status, 204);
    get(format!("/3/faces/{fresh}")).assert_error(404, 22002);
    call(Faces, "DELETE", "/3/faces")
        .json(json!({"face_ids": []}))
        .send()
        .assert_error(400, 12022);
}

#[test]
fn every_face_filter_paging_and_count() {
    let owner = account();
    let with = |c: common::Call| c.header("Luna-Account-Id", &owner);
    let list = {
        let a = with(call(Faces, "POST", "/3/lists")).json(json!({})).send();
        a.json()["list_id"].as_str().unwrap().to_owned()
    };
    let event = uuid::Uuid::new_v4();
    let attribute = with(call(Faces, "POST", "/3/attributes"))
        .json(json!({"basic_attributes": {"age": 3}}))
        .send()
        .json()["attribute_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ids = Vec::new();
    for i in 0..12 {
        let mut body =
            json!({"user_data": format!("Person {i}"), "external_id": format!("x{}", i % 3)});
        if i == 0 {
            body["event_id"] = json!(event);
            body["lists"] = json!([list]);
            body["attribute"] = json!({"attribute_id": attribute});
        }
        let a = with(call(Faces, "POST", "/3/faces")).json(body).send();
        ids.push(a.json()["face_id"].as_str().unwrap().to_owned());
    }
    let scoped = |query: &str| faces_of(&format!("account_id={owner}&{query}"));
    assert_eq!(scoped("").len(), 12);
    assert_eq!(
        scoped("user_data=person%201").len(),
        3,
        "1, 10, 11: case-insensitive part"
    );
    assert_eq!(scoped(&format!("event_id={event}")), vec![ids[0].clone()]);
    assert_eq!(scoped(&format!("list_id={list}")), vec![ids[0].clone()]);
    assert_eq!(
        scoped(&format!("attribute_ids={attribute}")),
        vec![ids[0].clone()]
    );
    assert_eq!(scoped(&format!("face_ids={},{}", ids[1], ids[2])).len(), 2);
    assert_eq!(scoped("external_ids=x0,x1").len(), 8);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(scoped(""), sorted, "face id order");
    assert_eq!(
        scoped(&format!("face_id__gte={}", sorted[4])),
        sorted[4..].to_vec()
    );
    assert_eq!(
        scoped(&format!("face_id__lt={}", sorted[4])),
        sorted[..4].to_vec()
    );
    let now = luna_emulator::time_format::format_time(luna_emulator::time_format::now());
    let now = now.replace('+', "%2B");
    assert_eq!(scoped(&format!("create_time__lt={now}")).len(), 12);
    assert_eq!(scoped(&format!("create_time__gte={now}")).len(), 0);
    get("/3/faces?create_time__lt=yesterday".to_string()).assert_error(400, 12012);
    let page = get(format!("/3/faces?account_id={owner}&page=2&page_size=5")).json();
    let page: Vec<&str> = page["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["face_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        page,
        sorted[5..10].iter().map(String::as_str).collect::<Vec<_>>()
    );
    let default_page = get(format!("/3/faces?account_id={owner}")).json();
    assert_eq!(
        default_page["faces"].as_array().unwrap().len(),
        10,
        "page_size defaults to 10"
    );
    let count = get(format!("/3/faces/count?account_id={owner}&external_ids=x2")).json();
    assert_eq!(count, json!({"faces_count": 4}));
    get("/3/faces/count?page=1".to_string()).assert_error(400, 12012);
}

#[test]
fn lists_links_and_their_filters() {
    let owner = account();
    let with = |c: common::Call| c.header("Luna-Account-Id", &owner);
    let chosen = uuid::Uuid::new_v4();
    let a = with(call(Faces, "POST", format!("/3/lists?list_id={chosen}")))
        .json(json!({"user_data": "Alpha"}))
        .send();
    assert_eq!(a.json()["list_id"], chosen.to_string());
    with(call(Faces, "POST", format!("/3/lists?list_id={chosen}")))
        .json(json!({}))
        .send()
        .assert_error(409, 22026);
    let b = with(call(Faces, "POST", "/3/lists"))
        .json(json!({"user_data": "beta"}))
        .send()
        .json()["list_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lists = |q: &str| -> Vec<Value> {
        get(format!("/3/lists?account_id={owner}&{q}")).json()["lists"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert_eq!(lists("").len(), 2);
    assert_eq!(lists("user_data=lph").len(), 1, "case-sensitive part");
    assert_eq!(lists("user_data=ALPHA").len(), 0);
    assert_eq!(lists("user_data__eq=beta")[0]["list_id"], b.as_str());
    assert_eq!(lists(&format!("list_ids={b}")).len(), 1);
    let (low, high) = if chosen.to_string() < b {
        (chosen.to_string(), b.clone())
    } else {
        (b.clone(), chosen.to_string())
    };
    assert_eq!(
        lists(&format!("list_id__gte={high}"))[0]["list_id"],
        high.as_str()
    );
    assert_eq!(
        lists(&format!("list_id__lt={high}"))[0]["list_id"],
        low.as_str()
    );
    assert_eq!(lists("page=2&page_size=1")[0]["list_id"], high.as_str());
    let far = "2999-01-01T00:00:00Z";
    assert_eq!(
        lists(&format!("create_time__lt={far}&last_update_time__lt={far}")).len(),
        2
    );
    assert_eq!(lists(&format!("create_time__gte={far}")).len(), 0);
    assert_eq!(lists(&format!("last_update_time__gte={far}")).len(), 0);
    assert_eq!(
        get(format!("/3/lists/count?account_id={owner}&user_data=a")).json(),
        json!({"lists_count": 2})
    );
    get("/3/lists?page_size=10001".into()).assert_error(400, 12012);

    let face = with(call(Faces, "POST", "/3/faces"))
        .json(json!({"attribute": {"descriptors": [sdk_descriptor(59, 1)]}}))
        .send()
        .json()["face_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let link = |action: &str, list: &str, faces: Value| {
        with(call(Faces, "PATCH", "/3/linker"))
            .json(json!({"action": action, "list_id": list, "face_ids": faces}))
            .send()
    };
    assert_eq!(link("attach", &b, json!([face])).status, 204);
    let entries = get(format!("/3/lists/{b}/attributes")).json();
    assert_eq!(entries[0]["face_id"], face.as_str());
    let key = entries[0]["link_key"].as_i64().unwrap();
    assert_eq!(
        get(format!("/3/lists/{b}/attributes?link_key__gte={}", key + 1)).json(),
        json!([])
    );
    assert_eq!(
        get(format!(
            "/3/lists/{b}/attributes?link_key__lt={}&limit=5&parity=1",
            key + 1
        ))
        .json()
        .as_array()
        .unwrap()
        .len(),
        1
    );
    get(format!("/3/lists/{}/attributes", uuid::Uuid::new_v4())).assert_error(404, 22003);
    let list = get(format!("/3/lists/{b}?page=1&page_size=5")).json();
    assert_eq!(list["faces"][0]["face_id"], face.as_str());
    assert_eq!(list["user_data"], "beta");
    link("attach", &uuid::Uuid::new_v4().to_string(), json!([face])).assert_error(400, 22003);
    link("attach", &b, json!([uuid::Uuid::new_v4()])).assert_error(400, 22004);
    link("merge", &b, json!([face])).assert_error(400, 12022);
    assert_eq!(link("detach", &b, json!([face])).status, 204);
    assert_eq!(get(format!("/3/faces/{face}")).json()["lists"], json!([]));

    assert_eq!(
        with(call(Faces, "PATCH", format!("/3/lists/{b}")))
            .json(json!({"user_data": "gamma"}))
            .send()
            .status,
        204
    );
    assert_eq!(get(format!("/3/lists/{b}")).json()["user_data"], "gamma");
    assert_eq!(
        with(call(Faces, "HEAD", format!("/3/lists/{b}")))
            .send()
            .status,
        200
    );
    call(Faces, "GET", format!("/3/lists/{b}"))
        .header("Luna-Account-Id", OTHER)
        .send()
        .assert_error(404, 22003);
    assert_eq!(link("attach", &b, json!([face])).status, 204);
    assert_eq!(
        with(call(Faces, "DELETE", format!("/3/lists/{b}?with_faces=1")))
            .send()
            .status,
        204
    );
    get(format!("/3/faces/{face}")).assert_error(404, 22002);
    with(call(Faces, "DELETE", "/3/lists"))
        .json(json!({"list_ids": [b]}))
        .send()
        .assert_error(400, 22005);
    call(Faces, "DELETE", "/3/lists")
        .json(json!({"list_ids": [chosen]}))
        .send()
        .assert_error(400, 22005);
    assert_eq!(
        with(call(Faces, "DELETE", "/3/lists?with_faces=0"))
            .json(json!({"list_ids": [chosen]}))
            .send()
            .status,
        204
    );
    assert_eq!(
        with(call(Faces, "HEAD", format!("/3/lists/{chosen}")))
            .send()
            .status,
        404
    );
}

#[test]
fn attributes_temporary_and_of_faces() {
    let samples = [uuid::Uuid::new_v4()];
    let body = json!({"descriptors": [sdk_descriptor(59, 1), {"descriptor": base64_of(&[2u8; 512]), "version": 60}],
                      "basic_attributes": {"age": 30, "gender": 1, "ethnicity": 2},
                      "descriptor_samples": samples, "basic_attributes_samples": samples});
    let created = call(Faces, "POST", "/3/attributes?ttl=60")
        .json(body.clone())
        .send();
    assert_eq!(created.status, 201);
    let id = created.json()["attribute_id"].as_str().unwrap().to_owned();
    let got = get(format!("/3/attributes/{id}?descriptor_version=60")).json();
    assert_eq!(got["attribute_id"], id.as_str());
    assert_eq!(
        got["descriptor"],
        sdk_descriptor(60, 2),
        "raw in, SDK form out"
    );
    assert_eq!(got["basic_attributes"]["age"], 30);
    get(format!("/3/attributes/{id}?descriptor_version=62")).assert_error(404, 22018);
    let many = get(format!(
        "/3/attributes?attribute_ids={id},{}&targets=attribute_id",
        uuid::Uuid::new_v4()
    ))
    .json();
    assert_eq!(many, json!({"attributes": [{"attribute_id": id}]}));
    get("/3/attributes".into()).assert_error(400, 12014);
    let samples_answer = get(format!("/3/attributes/{id}/samples")).json();
    assert_eq!(samples_answer["face_descriptor_samples"], json!(samples));
    assert_eq!(
        call(Faces, "HEAD", format!("/3/attributes/{id}"))
            .send()
            .status,
        200
    );
    call(Faces, "POST", "/3/attributes")
        .json(json!({"descriptor_samples": samples}))
        .send()
        .assert_error(400, 22022);
    call(Faces, "POST", "/3/attributes")
        .json(json!({"descriptors": [sdk_descriptor(59, 1), sdk_descriptor(59, 2)]}))
        .send()
        .assert_error(400, 22024);
    call(Faces, "POST", "/3/attributes?ttl=86401")
        .json(body.clone())
        .send()
        .assert_error(400, 12012);
    call(Faces, "POST", "/3/attributes")
        .json(json!({"descriptors": ["AAAA"]}))
        .send()
        .assert_error(400, 12022);

    let put_id = uuid::Uuid::new_v4();
    assert_eq!(
        call(Faces, "PUT", format!("/3/attributes/{put_id}?ttl=1"))
            .json(body.clone())
            .send()
            .status,
        204
    );
    assert_eq!(
        call(Faces, "PUT", format!("/3/attributes/{put_id}"))
            .json(body.clone())
            .send()
            .status,
        409
    );
    assert_eq!(
        call(
            Faces,
            "PUT",
            format!("/3/attributes/{put_id}?force=1&ttl=1")
        )
        .json(body.clone())
        .send()
        .status,
        204
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    get(format!("/3/attributes/{put_id}")).assert_error(404, 22011);

    let face = create_face(json!({"attribute": {"attribute_id": id}}));
    call(Faces, "POST", "/3/faces")
        .json(json!({"attribute": {"attribute_id": id}}))
        .send()
        .assert_error(409, 22001);
    call(Faces, "POST", "/3/faces")
        .json(json!({"attribute": {"attribute_id": put_id}}))
        .send()
        .assert_error(404, 22010);
    let attrs = get(format!(
        "/3/faces/{face}/attributes?descriptor_format=raw&descriptor_version=59"
    ))
    .json();
    assert_eq!(
        attrs["face_descriptor"],
        json!({"descriptor": base64_of(&[1u8; 512]), "version": 59})
    );
    let sdk = get(format!(
        "/3/faces/{face}/attributes?targets=face_descriptor"
    ))
    .json();
    assert_eq!(
        sdk,
        json!({"face_descriptor": sdk_descriptor(59, 1)}),
        "no version: the lowest stored"
    );
    get(format!("/3/faces/{face}/attributes?descriptor_format=xml")).assert_error(400, 12012);
    let patch = call(Faces, "PATCH", format!("/3/faces/{face}/attributes"))
        .json(json!({"descriptors": [sdk_descriptor(62, 9)]}))
        .send();
    assert_eq!(patch.status, 204);
    assert_eq!(
        get(format!("/3/faces/{face}/attributes")).json()["face_descriptor"],
        sdk_descriptor(62, 9),
        "62 is the default version"
    );
    assert_eq!(
        call(Faces, "PUT", format!("/3/faces/{face}/attributes"))
            .json(json!({"basic_attributes": {"age": 5}}))
            .send()
            .status,
        204
    );
    assert_eq!(
        get(format!("/3/faces/{face}/attributes")).json()["face_descriptor"],
        Value::Null
    );
    assert_eq!(
        get(format!("/3/faces/{face}/attributes/samples")).json()["basic_attributes_samples"],
        json!([])
    );
    assert_eq!(
        call(Faces, "DELETE", format!("/3/faces/{face}/attributes"))
            .send()
            .status,
        204
    );
    get(format!("/3/faces/{face}/attributes")).assert_error(404, 22011);
    assert_eq!(
        call(Faces, "DELETE", format!("/3/attributes/{id}"))
            .send()
            .status,
        204
    );
    call(Faces, "DELETE", format!("/3/attributes/{id}"))
        .send()
        .assert_error(404, 22011);
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The legacy `GET /3/faces/attributes?faces_ids=` (faces.md §3.5): the temporary attribute
/// each seen face's attribute was copied from, in the order given, unknown and unseen faces
/// left out.
#[test]
fn legacy_faces_attributes() {
    let owner = account();
    let with = |c: common::Call| c.header("Luna-Account-Id", &owner);
    let attribute = with(call(Faces, "POST", "/3/attributes"))
        .json(json!({"basic_attributes": {"age": 7}}))
        .send()
        .json()["attribute_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let create = |body: Value| {
        let a = with(call(Faces, "POST", "/3/faces")).json(body).send();
        assert_eq!(a.status, 201, "{}", a.json());
        a.json()["face_id"].as_str().unwrap().to_owned()
    };
    let copied = create(json!({"attribute": {"attribute_id": attribute}}));
    let bare = create(json!({"user_data": "no attribute"}));
    let elsewhere = call(Faces, "POST", "/3/faces")
        .header("Luna-Account-Id", OTHER)
        .json(json!({}))
        .send()
        .json()["face_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let missing = uuid::Uuid::new_v4();
    let answer = get(format!(
        "/3/faces/attributes?account_id={owner}&faces_ids={bare},{missing},{copied},{elsewhere},{bare}"
    ));
    assert_eq!(answer.status, 200, "{}", answer.json());
    assert_eq!(
        answer.json(),
        json!([
            {"face_id": bare, "attributes_id": null},
            {"face_id": copied, "attributes_id": attribute},
        ])
    );
    get("/3/faces/attributes".into()).assert_error(400, 12014);
    get(format!("/3/faces/attributes?faces_ids={copied},nope")).assert_error(400, 12012);
    get(format!("/3/faces/attributes?face_ids={copied}")).assert_error(400, 12012);
    let too_many = vec![copied.as_str(); 1001].join(",");
    get(format!("/3/faces/attributes?faces_ids={too_many}")).assert_error(400, 12012);
    call(Faces, "POST", "/3/faces/attributes")
        .json(json!({}))
        .send()
        .assert_error(405, 12002);
}
