//! # luna-emulator
//!
//! An in-memory emulator of three LUNA PLATFORM 5 services — **luna-faces**, **luna-events** and
//! **luna-image-store** — for tests and trials without a LUNA deployment (what moto and
//! LocalStack are to AWS, or Azurite to Azure).
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
//! [--quiet]` serves on the default LUNA ports (faces 5030, events 5040, image store 5020, plus
//! the offset), prints the `LUNA_*_ADDRESS` settings and logs one line per request to stderr
//! (service, method, path, status, duration, request id).
//!
//! ## Behaviour
//!
//! * Errors are LUNA error bodies `{"error_code", "desc", "detail", "link"}` ([`errors`]) with
//!   the documented codes: 22002 (face), 22003 (list), 22004/22005 (some faces/lists), 22001,
//!   22009, 22010, 22011, 22016, 22018, 22022, 22024, 22026 (faces); 23001, 23005, 23007
//!   (events); 13003, 13006, 13007 (image store); 12012 (bad or unknown query parameter, bad
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
//! | not modelled | msgpack bodies, XPK input, thumbnails, folders, the legacy `GET /faces/attributes` and `GET /attributes?list_id=` |
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
pub mod events;
pub mod faces;
pub mod image_store;
pub mod openapi;
pub mod paging;
pub mod query;
pub mod server;
pub mod store;
pub mod time_format;

pub use server::{Config, Emulator, Service};
