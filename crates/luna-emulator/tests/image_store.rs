//! luna-image-store routes over HTTP: buckets, images, objects, metadata, TTL, bulk deletes.

mod common;

use common::call;
use luna_emulator::Service::ImageStore;
use serde_json::json;

fn new_bucket() -> String {
    let name = format!("b-{}", uuid::Uuid::new_v4().simple());
    let created = call(ImageStore, "POST", format!("/1/buckets?bucket={name}")).send();
    assert_eq!(created.status, 201);
    name
}

#[test]
fn buckets() {
    let name = new_bucket();
    let list = call(ImageStore, "GET", "/1/buckets").send().json();
    assert!(list["buckets"].as_array().unwrap().contains(&json!(name)));
    assert_eq!(
        call(ImageStore, "HEAD", format!("/1/buckets/{name}"))
            .send()
            .status,
        200
    );
    call(ImageStore, "POST", format!("/1/buckets?bucket={name}"))
        .send()
        .assert_error(409, 13006);
    for bad in ["ab", "Upper", "-dash", "a_b"] {
        call(ImageStore, "POST", format!("/1/buckets?bucket={bad}"))
            .send()
            .assert_error(400, 12012);
    }
    call(ImageStore, "POST", "/1/buckets")
        .send()
        .assert_error(400, 12014);
    assert_eq!(
        call(ImageStore, "DELETE", format!("/1/buckets/{name}"))
            .send()
            .status,
        202
    );
    assert_eq!(
        call(ImageStore, "HEAD", format!("/1/buckets/{name}"))
            .send()
            .status,
        404
    );
    call(ImageStore, "GET", format!("/1/buckets/{name}"))
        .send()
        .assert_error(404, 13005);
    call(ImageStore, "POST", format!("/1/buckets/{name}/images"))
        .bytes(vec![1])
        .send()
        .assert_error(404, 13005);
}

#[test]
fn images_with_metadata_and_ttl() {
    let b = new_bucket();
    let posted = call(ImageStore, "POST", format!("/1/buckets/{b}/images"))
        .header("Content-Type", "image/jpeg")
        .header("Luna-Meta-Camera", "door")
        .bytes(vec![0xFF, 0xD8, 0xFF])
        .send();
    assert_eq!(posted.status, 201);
    let id = posted.json()["image_id"].as_str().unwrap().to_owned();
    assert_eq!(posted.json()["url"], format!("/1/buckets/{b}/images/{id}"));
    let got = call(ImageStore, "GET", format!("/1/buckets/{b}/images/{id}")).send();
    assert_eq!(
        (got.status, got.body.as_slice()),
        (200, &[0xFF, 0xD8, 0xFF][..])
    );
    assert_eq!(got.header("content-type"), Some("image/jpeg"));
    assert_eq!(got.header("luna-meta-camera"), None);
    assert!(got.header("x-luna-expiry-date").is_none());
    let meta = call(
        ImageStore,
        "GET",
        format!("/1/buckets/{b}/images/{id}?with_meta=1"),
    )
    .send();
    assert_eq!(meta.header("luna-meta-camera"), Some("door"));
    call(
        ImageStore,
        "GET",
        format!("/1/buckets/{b}/images/{id}?with_meta=yes"),
    )
    .send()
    .assert_error(400, 12012);
    call(ImageStore, "GET", format!("/1/buckets/{b}/images/{id}"))
        .header("Luna-Account-Id", common::OTHER)
        .send()
        .assert_error(404, 13003);

    let chosen = uuid::Uuid::new_v4();
    let put = call(
        ImageStore,
        "PUT",
        format!("/1/buckets/{b}/images/{chosen}?ttl=1"),
    )
    .header("Content-Type", "image/png")
    .bytes(vec![1, 2])
    .send();
    assert_eq!(
        (put.status, put.json()["image_id"].as_str()),
        (200, Some(chosen.to_string().as_str()))
    );
    let head = call(
        ImageStore,
        "HEAD",
        format!("/1/buckets/{b}/images/{chosen}"),
    )
    .send();
    assert_eq!(head.status, 200);
    assert!(head
        .header("x-luna-expiry-date")
        .is_some_and(|d| d.ends_with('Z')));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    call(ImageStore, "GET", format!("/1/buckets/{b}/images/{chosen}"))
        .send()
        .assert_error(404, 13003);

    call(ImageStore, "POST", format!("/1/buckets/{b}/images"))
        .header("Content-Type", "text/plain")
        .bytes(vec![1])
        .send()
        .assert_error(400, 12017);
    call(ImageStore, "POST", format!("/1/buckets/{b}/images"))
        .header("Content-Type", "image/jpeg")
        .send()
        .assert_error(400, 12031);
    call(ImageStore, "POST", format!("/1/buckets/{b}/images"))
        .no_account()
        .bytes(vec![1])
        .send()
        .assert_error(403, 11036);
    call(ImageStore, "POST", format!("/1/buckets/{b}/images?ttl=0"))
        .bytes(vec![1])
        .send()
        .assert_error(400, 12012);
    assert_eq!(
        call(ImageStore, "DELETE", format!("/1/buckets/{b}/images/{id}"))
            .send()
            .status,
        204
    );
    assert_eq!(
        call(ImageStore, "HEAD", format!("/1/buckets/{b}/images/{id}"))
            .send()
            .status,
        404
    );
}

#[test]
fn objects_and_bulk_deletes() {
    let b = new_bucket();
    let post = |kind: &str, body: &[u8]| {
        call(ImageStore, "POST", format!("/1/buckets/{b}/objects"))
            .header("Content-Type", kind)
            .header("Luna-Meta-Owner", "x")
            .bytes(body.to_vec())
            .send()
    };
    let json_object = post("application/json", br#"{"k": 1}"#);
    assert_eq!(json_object.status, 201);
    let id = json_object.json()["object_id"].as_str().unwrap().to_owned();
    let got = call(ImageStore, "GET", format!("/1/buckets/{b}/objects/{id}")).send();
    assert_eq!(got.body, br#"{"k": 1}"#);
    assert_eq!(
        got.header("content-disposition"),
        Some(format!("attachment; filename={id}.json").as_str())
    );
    assert_eq!(
        got.header("luna-meta-owner"),
        Some("x"),
        "objects always return their metadata"
    );
    let other = post("application/x-custom", b"zz").json()["object_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = call(ImageStore, "GET", format!("/1/buckets/{b}/objects/{other}")).send();
    assert_eq!(
        got.header("content-disposition"),
        Some(format!("attachment; filename={other}.bin").as_str())
    );
    post("application/json", b"not json").assert_error(400, 12025);
    let chosen = uuid::Uuid::new_v4();
    assert_eq!(
        call(
            ImageStore,
            "PUT",
            format!("/1/buckets/{b}/objects/{chosen}")
        )
        .header("Content-Type", "text/plain")
        .bytes(b"t".to_vec())
        .send()
        .status,
        200
    );
    call(
        ImageStore,
        "GET",
        format!("/1/buckets/{b}/objects/{}", uuid::Uuid::new_v4()),
    )
    .send()
    .assert_error(404, 13007);

    let mut ids: Vec<String> = (0..1001)
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect();
    call(ImageStore, "DELETE", format!("/1/buckets/{b}/objects"))
        .json(json!({"objects": ids}))
        .send()
        .assert_error(400, 12022);
    call(ImageStore, "DELETE", format!("/1/buckets/{b}/objects"))
        .json(json!({}))
        .send()
        .assert_error(400, 12022);
    call(ImageStore, "DELETE", format!("/1/buckets/{b}/images"))
        .json(json!({"objects": []}))
        .send()
        .assert_error(400, 12022);
    ids.truncate(997);
    ids.extend([id.clone(), other.clone(), chosen.to_string()]);
    assert_eq!(
        call(ImageStore, "DELETE", format!("/1/buckets/{b}/objects"))
            .json(json!({"objects": ids}))
            .send()
            .status,
        204
    );
    assert_eq!(
        call(
            ImageStore,
            "HEAD",
            format!("/1/buckets/{b}/objects/{chosen}")
        )
        .send()
        .status,
        404
    );
    assert_eq!(
        call(ImageStore, "DELETE", format!("/1/buckets/{b}/images"))
            .json(json!({"images": [chosen]}))
            .send()
            .status,
        204
    );
    assert_eq!(
        call(ImageStore, "DELETE", format!("/1/buckets/{b}/objects/{id}"))
            .send()
            .status,
        204
    );
}
