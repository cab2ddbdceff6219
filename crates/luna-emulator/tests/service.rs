//! Service-level behaviour of every listener: `/version`, `/healthcheck`, `/docs/spec`, request
//! ids, error bodies, unknown routes and methods, bounded bodies, accounts, reset, shutdown.

mod common;

use common::{call, emulator, Answer};
use luna_emulator::{Config, Emulator, Service};
use serde_json::json;

fn each_service(mut check: impl FnMut(Service)) {
    for service in Service::ALL {
        check(service);
    }
}

#[test]
fn version_healthcheck_and_spec_on_every_service() {
    each_service(|service| {
        let version = call(service, "GET", "/version").send();
        assert_eq!(version.status, 200);
        assert_eq!(version.json()["Version"]["api"], service.api_version());
        let health = call(service, "GET", "/healthcheck").send();
        assert_eq!(health.status, 200);
        assert!(health.json()["execution_time"].is_number());
        let spec = call(service, "GET", "/docs/spec").send();
        let spec = spec.json();
        assert_eq!(spec["openapi"], "3.0.3");
        assert_eq!(spec["info"]["title"], service.name());
        assert!(spec["paths"]["/version"]["get"].is_object());
        let yaml = call(service, "GET", "/docs/spec")
            .header("Accept", "application/x-yaml")
            .send();
        assert_eq!(yaml.header("content-type"), Some("application/x-yaml"));
    });
    let spec = call(Service::Faces, "GET", "/docs/spec").send().json();
    assert!(spec["paths"]["/3/faces/{face_id}"]["patch"].is_object());
    let spec = call(Service::Events, "GET", "/docs/spec").send().json();
    assert!(spec["paths"]["/2/events/stats"]["post"].is_object());
    let spec = call(Service::ImageStore, "GET", "/docs/spec").send().json();
    assert!(spec["paths"]["/1/buckets/{bucket}/objects"]["delete"].is_object());
}

#[test]
fn request_ids_are_echoed_or_generated() {
    let given = "1700000000,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a";
    let echoed = call(Service::Faces, "GET", "/version")
        .header("Luna-Request-Id", given)
        .send();
    assert_eq!(echoed.header("luna-request-id"), Some(given));
    for bad in [
        "abc",
        "1700000000,0B8B5937-2E9C-4E8B-A7A7-5CAF86621B5A",
        "17,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a",
    ] {
        let replaced = call(Service::Events, "GET", "/version")
            .header("Luna-Request-Id", bad)
            .send();
        let id = replaced.header("luna-request-id").unwrap();
        assert!(
            luna_emulator::context::is_valid_request_id(id) && id != bad,
            "{id}"
        );
    }
    let error = call(Service::ImageStore, "GET", "/1/nowhere").send();
    assert!(error
        .header("luna-request-id")
        .is_some_and(luna_emulator::context::is_valid_request_id));
}

#[test]
fn unknown_routes_methods_and_parameters_are_luna_errors() {
    call(Service::Faces, "GET", "/3/nowhere")
        .send()
        .assert_error(404, 12001);
    call(Service::Faces, "POST", "/3/faces/count")
        .send()
        .assert_error(405, 12002);
    call(Service::Faces, "GET", "/3/faces?colour=red")
        .send()
        .assert_error(400, 12012);
    call(Service::Faces, "GET", "/3/faces?page=1&page=2")
        .send()
        .assert_error(400, 12012);
    call(Service::Faces, "GET", "/3/faces/not-a-uuid")
        .send()
        .assert_error(400, 12012);
    call(Service::Faces, "GET", "/3/faces?page_size=1001")
        .send()
        .assert_error(400, 12012);
    call(Service::Faces, "GET", "/3/faces?page=0")
        .send()
        .assert_error(400, 12012);
}

#[test]
fn bad_bodies_and_accounts_are_refused() {
    let create = || call(Service::Faces, "POST", "/3/lists");
    create()
        .bytes(b"{".to_vec())
        .header("Content-Type", "application/json")
        .send()
        .assert_error(400, 12027);
    create()
        .bytes(b"{}".to_vec())
        .header("Content-Type", "text/plain")
        .send()
        .assert_error(400, 12017);
    create()
        .json(json!({"user_data": "x", "colour": 1}))
        .send()
        .assert_error(400, 12022);
    create()
        .json(json!({"user_data": "x".repeat(129)}))
        .send()
        .assert_error(400, 12022);
    create()
        .no_account()
        .json(json!({"user_data": "x"}))
        .send()
        .assert_error(403, 11036);
    create()
        .header("Luna-Account-Id", "nope")
        .json(json!({}))
        .send()
        .assert_error(400, 12031);
}

#[test]
fn bodies_are_bounded() {
    let em = Emulator::start_with(Config {
        body_limit: 1024,
        ..Config::default()
    })
    .unwrap();
    let url = format!("{}/3/lists", em.origin(Service::Faces));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let big = format!("{{\"user_data\": \"{}\"}}", "x".repeat(4096));
    let answer = agent
        .post(&url)
        .header("Luna-Account-Id", common::ACCOUNT)
        .header("Content-Type", "application/json")
        .send(big.as_bytes());
    let mut answer = answer.unwrap();
    assert_eq!(answer.status().as_u16(), 413);
    let body: serde_json::Value =
        serde_json::from_slice(&answer.body_mut().read_to_vec().unwrap()).unwrap();
    assert_eq!(body["error_code"], 12031);
}

#[test]
fn a_default_account_reset_and_drop() {
    let account = uuid::Uuid::new_v4();
    let em = Emulator::start_with(Config {
        default_account: Some(account),
        ..Config::default()
    })
    .unwrap();
    assert_eq!(em.var("LUNA_ACCOUNT_ID"), Some(account.to_string()));
    assert_eq!(
        em.var("LUNA_FACES_ADDRESS"),
        Some(em.base_url(Service::Faces))
    );
    assert!(em
        .env()
        .iter()
        .any(|(n, v)| *n == "LUNA_EVENTS_ADDRESS" && v.ends_with("/2")));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let lists = format!("{}/3/lists", em.origin(Service::Faces));
    let created = agent
        .post(&lists)
        .header("Content-Type", "application/json")
        .send("{}")
        .unwrap();
    assert_eq!(
        created.status().as_u16(),
        201,
        "the default account stands in for the header"
    );
    let count = |agent: &ureq::Agent| -> serde_json::Value {
        let mut answer = agent.get(format!("{lists}/count")).call().unwrap();
        serde_json::from_slice(&answer.body_mut().read_to_vec().unwrap()).unwrap()
    };
    assert_eq!(count(&agent)["lists_count"], 1);
    let other = agent
        .get(format!("{lists}/count"))
        .header("Luna-Account-Id", common::OTHER)
        .call()
        .unwrap()
        .body_mut()
        .read_to_vec()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&other).unwrap()["lists_count"],
        0
    );
    em.reset();
    assert_eq!(count(&agent)["lists_count"], 0);
    let address = em.address(Service::Faces);
    drop(em);
    assert!(
        std::net::TcpStream::connect(address).is_err(),
        "dropping the handle stops the services"
    );
}

#[test]
fn embedded_start_works_inside_an_async_runtime() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let em = Emulator::start().unwrap();
        let stream = tokio::net::TcpStream::connect(em.address(Service::Events)).await;
        assert!(stream.is_ok());
        drop(em);
    });
}

#[test]
fn isolation_by_account() {
    let created: Answer = call(Service::Faces, "POST", "/3/faces")
        .json(json!({}))
        .send();
    let id = created.json()["face_id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(Service::Faces, "GET", format!("/3/faces/{id}"))
            .send()
            .status,
        200
    );
    call(Service::Faces, "GET", format!("/3/faces/{id}"))
        .header("Luna-Account-Id", common::OTHER)
        .send()
        .assert_error(404, 22002);
    call(
        Service::Faces,
        "GET",
        format!("/3/faces/{id}?account_id={}", common::OTHER),
    )
    .no_account()
    .send()
    .assert_error(404, 22002);
    let _ = emulator();
}

/// Arbitrary input never stops a service: every route answers every method with bodies of
/// every kind, and never with a 500.
#[test]
fn arbitrary_requests_never_break_a_service() {
    let id = uuid::Uuid::new_v4();
    let paths: Vec<(Service, String)> = [
        (Service::Faces, "/3/faces"),
        (Service::Faces, "/3/faces/count"),
        (Service::Faces, "/3/lists"),
        (Service::Faces, "/3/linker"),
        (Service::Faces, "/3/attributes"),
        (Service::Events, "/2/events"),
        (Service::Events, "/2/events/stats"),
        (Service::ImageStore, "/1/buckets"),
    ]
    .into_iter()
    .map(|(s, p)| (s, p.to_owned()))
    .chain([
        (Service::Faces, format!("/3/faces/{id}/attributes")),
        (Service::Faces, format!("/3/lists/{id}")),
        (Service::Events, format!("/2/events/{id}/descriptor")),
        (Service::ImageStore, format!("/1/buckets/abc/objects/{id}")),
    ])
    .collect();
    let bodies: Vec<Vec<u8>> = vec![
        vec![], b"null".to_vec(), b"[]".to_vec(), b"{\"events\": [null, 1, \"x\"]}".to_vec(),
        b"{\"face_ids\": [\"\\u0000\"], \"action\": {}}".to_vec(), vec![0xFF, 0xFE, 0x00],
        b"{\"aggregator\": \"avg\", \"target\": [\"meta.\"], \"group_by\": [{\"type\": \"interval\", \"interval\": \"99999999999999999999w\"}]}".to_vec(),
        "{\"aggregator\": \"count\", \"group_by\": [{\"type\": \"interval\", \"interval\": \"1\u{e9}\"}]}".as_bytes().to_vec(),
        b"{\"attribute\": {\"descriptors\": [{\"descriptor\": \"!!\", \"version\": -1}]}}".to_vec(),
        format!("{{\"user_data\": \"{}\"}}", "\u{1F600}".repeat(200)).into_bytes(),
    ];
    for (service, path) in &paths {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            for body in &bodies {
                for query in [
                    "",
                    "?page=99999999999999999999",
                    "?page_size=-1&targets=%00",
                    "?meta.a__eq:integer=1",
                ] {
                    let answer = call(*service, method, format!("{path}{query}"))
                        .header("Content-Type", "application/json")
                        .bytes(body.clone())
                        .send();
                    assert!(
                        answer.status < 500,
                        "{method} {path}{query}: {}",
                        answer.json()
                    );
                }
            }
        }
    }
    each_service(|service| assert_eq!(call(service, "GET", "/healthcheck").send().status, 200));
}

/// Every query parameter a service's spec declares is one its handler accepts, and a name the
/// spec does not declare is refused: the spec describes the routes as they answer.
#[test]
fn spec_query_parameters_are_the_accepted_ones() {
    let unknown = |answer: &Answer, name: &str| {
        answer.status == 400
            && answer.json()["detail"]
                .as_str()
                .is_some_and(|d| d == format!("Bad query parameters '{name}': unknown parameter"))
    };
    let mut checked = 0;
    each_service(|service| {
        let spec = call(service, "GET", "/docs/spec").send().json();
        let paths = spec["paths"].as_object().expect("paths");
        for (path, item) in paths {
            if ["/version", "/healthcheck", "/docs/spec"].contains(&path.as_str()) {
                continue;
            }
            let concrete: String = path
                .split('/')
                .map(|seg| match seg {
                    "{bucket}" => "probe-bucket".to_owned(),
                    s if s.starts_with('{') => uuid::Uuid::new_v4().to_string(),
                    s => s.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            for (method, operation) in item.as_object().expect("path item") {
                let method: &'static str = match method.as_str() {
                    "get" => "GET",
                    "post" => "POST",
                    "put" => "PUT",
                    "patch" => "PATCH",
                    "delete" => "DELETE",
                    _ => continue, // HEAD answers carry no body to read the reason from
                };
                let probe = call(service, method, format!("{concrete}?zz_undeclared=1")).send();
                assert!(
                    unknown(&probe, "zz_undeclared"),
                    "{method} {path}: an undeclared name is not refused first: {:?}",
                    probe.json()
                );
                for parameter in operation["parameters"].as_array().expect("parameters") {
                    if parameter["in"] != "query" {
                        continue;
                    }
                    let declared = parameter["name"].as_str().expect("name");
                    let name = if parameter["schema"]["type"] == "object" {
                        format!("{declared}.probe__eq:string")
                    } else {
                        declared.to_owned()
                    };
                    let answer = call(service, method, format!("{concrete}?{name}=1")).send();
                    assert!(
                        !unknown(&answer, &name),
                        "{method} {path}: declared `{name}` is refused"
                    );
                    checked += 1;
                }
            }
        }
    });
    assert!(checked > 60, "only {checked} declarations checked");
}
