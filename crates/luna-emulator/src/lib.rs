//! # luna-emulator
//!
//! An in-memory emulator of LUNA PLATFORM 5 services — **luna-faces**, **luna-events**,
//! **luna-image-store**, **luna-remote-sdk**, **luna-handlers**, **luna-python-matcher** and
//! **luna-sender** — for tests and trials without a LUNA deployment (what moto and LocalStack are to AWS, or Azurite to Azure).
//!
//! Each service listens on its own port, as in a real deployment, and serves `GET /version`,
//! `GET /healthcheck` and `GET /docs/spec` (an OpenAPI 3 document of what the emulator serves:
//! methods, path parameters and the query parameters each route accepts) besides its business
//! routes. State lives in memory; [`Emulator::reset`] empties it.
//!
//! The emulator is written from the wire reference (`/work/shared/luna-api`), not from the
//! `luna-clients` SDK, and does not depend on it, so that it catches the SDK's mistakes.
//!
//! ## Embedded
//!
//! ```
//! let emulator = luna_emulator::Emulator::start()?; // ephemeral ports, background thread
//! for (name, value) in emulator.env() {
//!     println!("{name}={value}"); // LUNA_FACES_ADDRESS=http://127.0.0.1:<port>/3, ...
//! }
//! emulator.reset(); // empty state between tests
//! drop(emulator); // stops every service
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! [`Emulator::start`] binds the listeners on the calling thread and serves them from a
//! background thread with its own tokio runtime, so it works the same from blocking code and from
//! inside an async runtime.
//!
//! ## Standalone
//!
//! `cargo run -p luna-emulator -- [--host <ip>] [--port-offset <n>] [--account-id <uuid>]
//! [--quiet]` serves on the default LUNA ports (faces 5030, events 5040, image store 5020,
//! remote sdk 5220, handlers 5090, python matcher 5100, sender 5080, plus the offset), prints
//! the `LUNA_*_ADDRESS` settings and logs one line per request to stderr (service, method,
//! path, status, duration, request id).
//!
//! ## Behaviour
//!
//! * Errors are LUNA error bodies `{"error_code", "desc", "detail", "link"}` ([`errors`]) with
//!   the documented codes: 22002 (face), 22003 (list), 22004/22005 (some faces/lists), 22001,
//!   22009, 22010, 22011, 22016, 22018, 22022, 22024, 22026 (faces); 23001, 23005, 23007
//!   (events); 13003, 13006, 13007 (image store); 34000, 34004 (handlers, verifiers); 100010
//!   (invalid image), 100022 (image not loaded), both per image inside batch answers; 12041
//!   (multipart part type); 12012 (bad or unknown query parameter, bad
//!   id, out-of-range value), 12014 (missing required parameter), 12017 (content type), 12022 /
//!   12027 (JSON body), 12025 (content does not match its type), 12031 (bad input), 1 (internal
//!   error: a handler panic is caught and answered, the service keeps serving).
//! * `Luna-Request-Id` is echoed when it matches `^[0-9]{10},<lowercase uuid>$`, otherwise a
//!   new one is generated (as LUNA services do); every answer carries it.
//! * Accounts: creates need `Luna-Account-Id` (or [`Config::default_account`]); reads,
//!   updates and deletes see only the objects of the header account and of the `account_id`
//!   query when given (both must match), and every account's objects when neither is given.
//! * Request bodies are bounded ([`Config::body_limit`], 413 with code 12031 beyond it).
//!
//! ## Wire choices
//!
//! Where the reference says *inferred* or *unknown*, the emulator follows the SDK's wire notes
//! (`src/wire_notes/*.md` of `luna-clients`), and says so here:
//!
//! | topic | choice |
//! |---|---|
//! | events prefix | `/2` (`GET /version` answers `api: 2`) |
//! | `wait_events_saving` | accepted (`0`/`1`); events are always stored before the answer |
//! | events save body / answer | `{"events": [...]}`, 1 to 1000 events; 201 `{"events": [{"event_id", "url"}]}`; an event's `account_id` defaults to `Luna-Account-Id`, its `event_id` to a new UUID, `create_time` to now, `end_time` to `create_time`; an existing id is 409 (code 12031) |
//! | event descriptors | given in the event as `face_descriptors` / `body_descriptors` (arrays in the face forms); read with `GET /events/{id}/descriptor` as SDK bytes (`application/octet-stream`) unless `Accept` allows only JSON, then `{"descriptor", "version"}`; without `descriptor_version` the lowest stored version; missing face descriptor: 23006 (the face variant's code is unknown) |
//! | events sort order | by `create_time` (then `event_id`), `order=desc` by default (a real capture shows newest first) |
//! | events filters | list filters comma-separated with `null` for "not estimated"; `user_data`, `gender` and `top_matching_candidates_label` take one value; list filters on array members (`tags`, colours) match any element |
//! | geo box | both origins or none; a delta is a half-width in degrees, default 0.1 |
//! | meta filters | `meta.<path>__<op>:<type>`; operators `eq neq gt gte lt lte in nin like nlike`, types `string integer numeric`; `null` operand matches a missing value |
//! | events `page_size` | 1 to 1000 |
//! | events stats | body `{"aggregator": "count"/"avg"/"max"/"min", "target": [columns], "group_by": [{"type": "column", "column"} / {"type": "interval", "interval": "<n>s/m/h/d/w"} / {"type": "frequency", "frequency": "hour_of_day"/"day_of_week"/"day_of_month"/"month_of_year"}], "filters": [{"column", "operator", "value"}]}`; answer `{"aggregator", "result": [{"group": {...}, "count": n, "<target>": value}]}` |
//! | events delete | `DELETE /events` with `{"filters": {handler_id, create_time__gte/__lt, insert_time__gte/__lt, account_id}, "target": [...]}`, at least one filter besides the account; answer `{"events": [{event_id, face_detections, body_detections}]}` |
//! | faces order | faces by `face_id`, lists by `list_id` |
//! | counts | `{"faces_count": n}`, `{"lists_count": n}` |
//! | create face / put face | attribute under `attribute`: `{"attribute_id"}` or `{descriptors, basic_attributes, descriptor_samples, basic_attributes_samples}`; `PUT /faces/{id}` answers 201 when it creates, 200 when it replaces, with `{"face_id", "url"}` |
//! | face attributes | `PUT`/`PATCH /faces/{id}/attributes` take the attribute members at the top level; answers name them `face_descriptor`, `face_descriptor_samples`; without `descriptor_version` the default version 62 if stored, else the lowest; a face without attribute answers 22011 |
//! | temporary attributes | `ttl` and `force` in the query; `POST` answers 201 `{"attribute_id", "url"}`; `PUT` of an existing id without `force=1` is 409 (code 12031); `GET /attributes` answers `{"attributes": [...]}` and skips unknown ids |
//! | lists | `POST /lists?list_id=` answers 201 `{"list_id", "url"}`; `GET /lists/{id}` adds a page of its `faces` and `faces_count`; list `user_data` filter is a case-sensitive part, faces' a case-insensitive part; `DELETE /lists` answers 204 |
//! | linker | `PATCH /linker` `{"action": "attach"/"detach", "list_id", "face_ids"}` (luna-api's `/lists/{id}/faces` is not a luna-faces route) |
//! | list attributes | `GET /lists/{id}/attributes` answers an array of `{attribute_id, face_id, link_key}` for linked faces with an attribute, by link key; `parity` is accepted and changes nothing (one key per link) |
//! | image store buckets | `POST /buckets?bucket=<name>` (201), `GET /buckets` → `{"buckets": [...]}`, `GET`/`HEAD /buckets/{name}`, `DELETE` → 202; a missing bucket is 404 with code 13005 (unknown in the reference) |
//! | image store items | bytes stored as given (no JPEG conversion); images need an `image/*` type (12017); `ttl` in seconds; `X-Luna-Expiry-Date` in RFC 3339; `with_meta=0/1` on images, objects always return `Luna-Meta-*`; `PUT` answers 200 `{"image_id"/"object_id", "url"}`; `Content-Disposition: attachment; filename=<id>.<ext>` on objects |
//! | times | RFC 3339 in, RFC 3339 UTC (`Z`) out |
//! | matcher bodies | `{"references": [...], "candidates": [{"filters": {"origin", ...}, "limit", "threshold", "targets"}]}`; references `{"type": "face"/"event"/"attribute", "id"}` or `{"type": "sdk_descriptor", "id": <label>, "data": <base64 SDK bytes>}` / `{"type": "raw_descriptor", "id", "data": {"descriptor", "version"}}`; `account_id` query and `Luna-Account-Id` scope both sides ([`matching`], [`matcher`]) |
//! | matcher filters | faces: the `GET /faces` filters; events: the `GET /events` filters as JSON (arrays for lists, `null` items, `meta` as `{"<path>__<op>:<type>": operand}`); attributes: `attribute_ids`, `create_time__gte/__lt`; each with `account_id` |
//! | matcher limits | `limit` 1..=1000, default 3; `threshold` 0..=1, default 0; at most 100 references (31007), 100 candidate sets, 1,000 objects per cross-matching side (31002) ([`matcher::MatchLimits`], configurable) |
//! | matcher answers | faces/bodies: per reference `{"reference": {"id", "type"}, "matches": [{"filters", "result": [{"face"/"event"/"attribute": {...}, "similarity"}]}]}`, a reference that cannot be loaded gets `"error": <LUNA error>` (22002, 23001, 22011, 23006, 23007) and no matches; raw and cross-matching: per reference `{"reference", "matches": [{"candidate": {"id", "type"}, "similarity"}]}` |
//! | similarity choice | on the default face version 62 when reference and candidate both have it, else their lowest common version; no common version, no candidate; raw matching needs one version throughout (12031) |
//! | cross-matching | synchronous; `{"references": {"filters"}, "candidates": {"filters"}, "limit", "threshold"}`, `sorting=0/1` query (1 default: by similarity; 0: the kept candidates in storage order); an object is never its own candidate |
//! | sender | prefix `/1`; `GET /1/ws` frames are the events as `GET /2/events/{id}` answers them; `object_similarity__*` bound `top_match.similarity`; `matching_candidates_labels` takes a `match_result` item of the label with candidates, or `top_match.label` ([`sender`]) |
//! | sender publish | `POST /1/publish?handler_id=` (path unknown in the reference): one event, published, not stored, 201 `{"event_id"}` |
//! | remote sdk | `POST /1/sdk`, 200 `{"images_estimations": [{"filename", "status", "error"?, "estimations": [{"face": {"detection": {"rect"}, "attributes"}, "body": {...}}], "filtered_estimations": [{..., "filter_reason"}], "image_estimations": {"people", "image_modification"}, "exif"?}], "aggregate_estimations"?}` (attributes under `face.attributes`); flags, filters and attribute layouts in [`remote_sdk`] and [`estimation`] |
//! | recognition inputs | `image/*` body (file name `image`), multipart file parts, or JSON `{"urls": [{"url"}], "image_ids": [...], "samples": [{"sample_id"}]}` read from the emulator's own Image Store only (URL path `/1/buckets/{bucket}/images/{id}`; samples in `visionlabs-samples`), answered urls first, then image ids, then samples; an unreadable image is a per-image 100022; at most 64 images ([`inputs`]) |
//! | handlers | `POST /1/handlers` 201 `{"handler_id", "url"}`, `PUT` 204, `GET /1/handlers` → `{"handlers": [...]}` by creation time, `/count` → `{"handlers_count"}`, `page_size` ≤ 100; `handler_type` 0 needs policies, 1 stores none (policies come with each emit as a `policies` part or member), 2 needs `lambda_id` and cannot emit (12031); `POST /1/handlers/validator` `{"policies"}` → 204; lists of `link_to_lists_policy` and faces candidates must exist (22005) |
//! | policies | policy defaults and filters in [`handlers::policies`]: `filters` are the luna-events filters in JSON form plus `match: [{label, similarity__gte, similarity__lt}]` on a label's top similarity; match `candidates` are `{"origin", <filters>}` as the matcher's; samples go to `visionlabs-samples` / `visionlabs-bodies-samples`, source images to `visionlabs-image-origin` |
//! | emit events | 201 `{"events": [...], "images": [{"filename", "status", "error"?, "filtered_detections"?}]}`; each event is the stored luna-events event plus `url` (when stored), `face`, `detections: [{"filename", "samples": {"face", "body"}}]`, `matches` (= `match_result`), `face_attributes`, `body_attributes`, `aggregate_estimations`; `top_match` is the best candidate of all match policies; `wait_saving` of the event policy: 0 answers first and stores right after, 1 stores before answering; one event per image, one for all with `aggregate_attributes=1` |
//! | raw and stream events | `POST /handlers/{id}/events/raw?wait_saving=` one event as luna-events reads it (no `event_id`), 201 `{"event_id", "url"}`; `stream_events` `{"sources": [{"source_type", "source_data": base64, "filename", ...}]}`, sources without an image give no event |
//! | detector / extractor / upgrade | `POST /1/detector` 201 `{"images": [{"filename", "status", "exif"?, "detections": {"samples": [{"face": {"sample_id", "url", "detection"}}], "filtered_detections": {"samples"}}}]}`, samples stored; `POST /1/extractor` JSON array of sample ids → 201 array of `{"attribute_id", "url", "sample_ids", "descriptor", "basic_attributes"}` (temporary attributes, `ttl` default 300), both flags 0 is 12031; `POST /1/upgrade` `{"face_id"|"event_id", "descriptor_version", "extract_descriptor", "extract_basic_attributes"}` → 200 `{"face_id"|"event_id", "descriptor_versions"}`, from the object's first sample (an event's basic attributes become its `age`, `gender`, `ethnic_group`); nothing to extract is 12031 |
//! | verifiers | `POST /1/verifiers` 201 `{"verifier_id", "url"}` (JSON only, 12017), `PUT` 200 `{"verifier_id", "last_update_time"}`, lists `{"verifiers"}`, `/count` → `{"verifiers_count"}`; `verification_threshold` default 0.9; verifications 201 `{"images": [{"filename", "status", "detections": {"face_detections": [{"sample_id"?, "attribute_id"?, "detection", "verifications": [{"face"/"event"/"attribute", "similarity", "status"}]}], "filtered_detections"}}]}`, descriptors as `application/x-vl-sdk-descriptor` bodies or parts; raw 200: an array of `{"reference", "matches": [{"candidate", "similarity", "status"}]}` |
//! | not modelled | lambda handlers, handler `face_quality` checks (only `estimate`), `notification_policy` (luna-sender gets every stored event), EXIF (`exif` is `{}`), several faces per image, msgpack bodies, XPK input, thumbnails, folders, the legacy `GET /faces/attributes` and `GET /attributes?list_id=` |
//!
//! ## Synthetic recognition
//!
//! The emulator does no real face recognition but behaves like a platform that does, so that
//! thresholds, matches and attributes in a user's code can be tested ([`recognition`]):
//!
//! ```
//! use luna_emulator::recognition::{detect, similarity, synthetic_face};
//!
//! let alice = synthetic_face("alice", 0); // a real 250×250 PNG
//! let alice_again = synthetic_face("alice", 1); // another photo of alice
//! let bob = synthetic_face("bob", 0);
//! let descriptor = |photo: &[u8]| detect(photo).unwrap().subject.descriptor(59);
//! let same = similarity(&descriptor(&alice), &descriptor(&alice_again)).unwrap();
//! let other = similarity(&descriptor(&alice), &descriptor(&bob)).unwrap();
//! assert!(same >= 0.9 && other < 0.5);
//! ```
//!
//! * A synthetic photo carries `{"identity", "variant"}` in a PNG `iTXt` chunk with keyword
//!   `luna-emulator:face`; the chunk is authoritative, the drawing is for human eyes. Any other
//!   image is its own subject, named by the FNV-1a 64 digest of its bytes.
//! * Detection: one face per PNG or JPEG, centred, three fifths of each side of the image.
//! * Descriptors: real SDK (`"dp\0\0"` + u32 LE version + payload) and raw descriptors; the
//!   payload is a vector of signed bytes, a unit vector per identity and version plus a variant
//!   noise of 0.25; similarity is the cosine of the payloads clamped to `[0, 1]` (one identity
//!   ≈ 0.94, different identities ≈ 0 ± 0.05).
//! * Age, gender, ethnicity, emotions, mask, head pose, quality and liveness depend on the
//!   identity only (seeded FNV-1a 64 + SplitMix64 streams; rules in
//!   [`recognition::attributes`]).
//!
//! The `luna-clients` SDK relies on this scheme only in its tests and examples.
//!
//! ## Matching and the Sender
//!
//! luna-python-matcher matches over the emulator's own stores with the one similarity rule of
//! [`recognition`], so an enrolled synthetic person is the top candidate of a new photo of them
//! (≥ 0.9) and a stranger has no candidate above 0.5 ([`matching`] holds the pure functions,
//! also for luna-handlers' match policies). Every event stored — by luna-events'
//! `POST /2/events` or by luna-handlers — goes through one insertion path,
//! [`events::EventsState::store_events`], which publishes it to luna-sender's `/1/ws`
//! subscribers whose filters it passes.
//!
//! ## Recognition services
//!
//! luna-remote-sdk (`POST /1/sdk`) answers every estimation flag of the reference from the
//! synthetic scheme ([`estimation`]), for one image, multipart images and images of the
//! emulator's Image Store; it stores nothing. luna-handlers runs a handler's policies
//! ([`handlers::pipeline`]): detect and estimate, extract, match against faces, events or
//! attributes with limit and threshold ([`matching`]), conditional tags, then store samples and
//! source images in the Image Store, temporary attributes and faces linked to lists in
//! luna-faces, and the event in luna-events — where luna-sender subscribers receive it. Enrol
//! `synthetic_face("alice", 0)` with a handler that stores faces into a list, emit
//! `synthetic_face("alice", 1)` with one that matches that list: alice's face is the top match at
//! about 0.94; a stranger has no candidate above 0.5.
//!
//! ## Throughput
//!
//! `cargo bench -p luna-emulator` measures `get_face` and a 100-event `get_events` page over a
//! keep-alive HTTP/1.1 connection (figures in the crate README).
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod context;
pub mod descriptors;
pub mod errors;
pub mod estimation;
pub mod events;
pub mod faces;
pub mod handlers;
pub mod image_store;
pub mod inputs;
pub mod matcher;
pub mod matching;
pub mod openapi;
pub mod paging;
pub mod query;
pub mod recognition;
pub mod remote_sdk;
pub mod sender;
pub mod server;
pub mod store;
pub mod time_format;

pub use recognition::{similarity, synthetic_face};
pub use server::{Config, Emulator, Service};
