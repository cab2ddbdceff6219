//! Helpers shared by the integration tests. Each test file puts its body in
//! [`in_both_modes!`], which compiles it once per enabled mode from the one build: module
//! `async_mode` (`#[tokio::test]`, `must_be_async`, `sdk` = `luna_clients`) and module
//! `blocking_mode` (`#[test]`, `must_be_sync`, `sdk` = `luna_clients::blocking`).
#![allow(dead_code)]

pub mod emulator;
pub mod events_server;
pub mod faults;
pub mod multipart;
pub mod server;
#[allow(unused_imports)]
pub use multipart::{parse_multipart, Part};
#[allow(unused_imports)]
pub use server::counting_server;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use httpmock::prelude::*;
use httpmock::{HttpMockResponse, Mock};
use serde_json::{json, Value};

pub const ACCOUNT: &str = "8950722f-3fd4-4223-b48f-03f95f0e8dfb";
pub const REQUEST_ID: &str = "1700000000,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a";
pub const FACE_ID: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
pub const FACE_ID_2: &str = "4a2b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a22";
pub const LIST_ID: &str = "5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33";
pub const ATTRIBUTE_ID: &str = "6d4e3c6e-6f0e-4a5c-9a55-8c1a0d1f1a44";
pub const EVENT_ID: &str = "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55";

/// Requires the query to be exactly these pairs (any order).
pub fn exact_query(when: httpmock::When, expected: &[(&str, &str)]) -> httpmock::When {
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expected.sort();
    when.is_true(move |req: &HttpMockRequest| {
        let mut got = req.query_params();
        got.sort();
        got == expected
    })
}

/// Requires a JSON body equal to `body` with `Content-Type: application/json`.
pub fn json_request(when: httpmock::When, body: Value) -> httpmock::When {
    when.header("content-type", "application/json")
        .json_body(body)
}

/// Requires no body.
pub fn no_body(when: httpmock::When) -> httpmock::When {
    when.is_true(|req: &HttpMockRequest| req.body_ref().is_empty())
}

/// A LUNA error body.
pub fn luna_error(code: i64) -> Value {
    json!({
        "error_code": code,
        "desc": "Object not found",
        "detail": format!("detail of {code}"),
        "link": format!("https://docs.visionlabs.ai/info/luna/troubleshooting/errors-description/code-{code}"),
    })
}

/// A mock that fails the test if anything at all reaches the server.
pub fn nothing_expected(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(599);
    })
}

/// A mock answering `statuses` in turn (the last one repeats), counting calls.
pub fn sequence(
    server: &MockServer,
    method: httpmock::Method,
    path: &str,
    statuses: Vec<(u16, Option<&'static str>)>,
    body: serde_json::Value,
) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    server.mock(move |when, then| {
        when.method(method).path(path);
        then.respond_with(move |_req: &HttpMockRequest| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let (status, retry_after) = statuses[n.min(statuses.len() - 1)];
            let mut builder = HttpMockResponse::builder().status(status);
            if let Some(value) = retry_after {
                builder = builder.header("retry-after", value);
            }
            builder.body(body.to_string()).build()
        });
    });
    calls
}

pub fn account_query() -> (&'static str, &'static str) {
    ("account_id", ACCOUNT)
}

/// Declares tests in the mode of the enclosing [`in_both_modes!`] module: `#[tokio::test]
/// async fn` in `async_mode`, plain `#[test] fn` in `blocking_mode` (`.await` is removed by
/// maybe-async).
#[macro_export]
macro_rules! both_modes {
    ($( $(#[$meta:meta])* async fn $name:ident() $body:block )*) => {
        $(
            $(#[$meta])*
            #[maybe_async]
            #[mode_test]
            async fn $name() $body
        )*
    };
}

/// Generates, for each listed call, the error-path tests every public method must have:
///
/// * a LUNA error answer becomes `Error::Api` with the status, `error_code` and request id
///   (HEAD answers carry no body: for them the status and request id are checked);
/// * a refused connection becomes `Error::Transport` of kind `Connect` with the request id;
/// * for calls that decode an answer (`decodes: true`), a 200 with an undecodable body becomes
///   `Error::Decode` with the status, a body snippet and the request id.
///
/// `handle` builds the service handle from a `&MockServer`, `unreachable` builds one whose
/// address has no listener; both must send `common::REQUEST_ID`.
#[macro_export]
macro_rules! error_path_tests {
    (
        handle: $handle:expr, unreachable: $unreachable:expr;
        $( $name:ident => $method:ident $path:expr, decodes: $decodes:literal, |$h:ident| $call:expr; )*
    ) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                use httpmock::Method::$method as METHOD;
                use luna_clients::{Error, TransportErrorKind};

                $crate::both_modes! {
                    async fn luna_error_becomes_api_error() {
                        let server = httpmock::MockServer::start();
                        let is_head = matches!(METHOD, httpmock::Method::HEAD);
                        let mock = server.mock(|when, then| {
                            when.method(METHOD).path($path);
                            let then = then
                                .status(if is_head { 500 } else { 404 })
                                .header("luna-request-id", $crate::common::REQUEST_ID);
                            if !is_head {
                                then.json_body($crate::common::luna_error(22002));
                            }
                        });
                        let $h = ($handle)(&server);
                        let result = $call.await;
                        let error = result.map(|_| ()).unwrap_err();
                        mock.assert();
                        assert_eq!(error.request_id(), Some($crate::common::REQUEST_ID));
                        let api = error.as_api().expect("an API error");
                        if is_head {
                            assert_eq!(api.status.as_u16(), 500);
                        } else {
                            assert_eq!(api.status.as_u16(), 404);
                            assert_eq!(api.error_code, Some(22002));
                            assert_eq!(api.desc.as_deref(), Some("Object not found"));
                            assert_eq!(api.detail.as_deref(), Some("detail of 22002"));
                            assert!(api.link.as_deref().unwrap().ends_with("code-22002"));
                        }
                        assert!(matches!(error, Error::Api(_)));
                    }

                    async fn refused_connection_becomes_transport_error() {
                        let $h = ($unreachable)();
                        let result = $call.await;
                        let error = result.map(|_| ()).unwrap_err();
                        assert!(
                            matches!(error, Error::Transport { kind: TransportErrorKind::Connect, .. }),
                            "{error:?}"
                        );
                        assert_eq!(error.request_id(), Some($crate::common::REQUEST_ID));
                    }

                    async fn undecodable_success_becomes_decode_error() {
                        if !$decodes {
                            return;
                        }
                        let server = httpmock::MockServer::start();
                        let mock = server.mock(|when, then| {
                            when.method(METHOD).path($path);
                            then.status(200).body("<html>not json</html>");
                        });
                        let $h = ($handle)(&server);
                        let result = $call.await;
                        let error = result.map(|_| ()).unwrap_err();
                        mock.assert();
                        match &error {
                            Error::Decode { status, snippet, request_id, .. } => {
                                assert_eq!(status.as_u16(), 200);
                                assert_eq!(snippet, "<html>not json</html>");
                                assert_eq!(request_id, $crate::common::REQUEST_ID);
                            }
                            other => panic!("expected a decode error, got {other:?}"),
                        }
                    }
                }
            }
        )*
    };
}

/// Compiles a test file's body once per enabled mode (see the module documentation), with the
/// mode's client helpers: `client`, `client_with`, `faces`, `faces_unreachable`, `luna`
/// (request expectations), `emulator_client` (a fresh account on the embedded luna-emulator),
/// and the mode's own ways to read pages (`collect_pages`), to read and make streamed bodies
/// (`read_stream`, `drain_stream`, `streamed`) and to run work at once (`concurrently`: tasks or
/// threads).
#[macro_export]
macro_rules! in_both_modes {
    ($($body:tt)*) => {
        #[cfg(feature = "async")]
        mod async_mode {
            #[allow(unused_imports)]
            use ::futures_util::StreamExt as _;
            #[allow(unused_imports)]
            use ::luna_clients as sdk;
            #[allow(unused_imports)]
            use ::luna_clients::prelude::*;
            #[allow(unused_imports)]
            use ::maybe_async::must_be_async as maybe_async;
            #[allow(unused_imports)]
            use ::tokio::test as mode_test;

            $crate::mode_helpers!();

            /// Every item of `pages`, in order.
            #[allow(dead_code)]
            pub async fn collect_pages<T>(pages: sdk::Pages<T>) -> Vec<sdk::Result<T>> {
                pages.collect().await
            }

            /// Reads a streamed download whole through the mode's own trait (`Stream`).
            #[allow(dead_code)]
            pub async fn read_stream(mut body: sdk::ByteStream) -> Vec<u8> {
                let mut out = Vec::new();
                while let Some(chunk) = body.next().await {
                    out.extend_from_slice(&chunk.unwrap());
                }
                out
            }

            /// Reads a streamed download to its end, counting bytes; the first error ends it.
            #[allow(dead_code)]
            pub async fn drain_stream(mut body: sdk::ByteStream) -> sdk::Result<u64> {
                let mut total = 0u64;
                while let Some(chunk) = body.next().await {
                    total += chunk?.len() as u64;
                }
                Ok(total)
            }

            /// Runs `workers` copies of `work`'s future at once (tasks) and waits for all.
            #[allow(dead_code)]
            pub async fn concurrently<F, Fut>(workers: usize, work: F)
            where
                F: Fn() -> Fut,
                Fut: std::future::Future<Output = ()> + Send + 'static,
            {
                let tasks: Vec<_> = (0..workers).map(|_| ::tokio::spawn(work())).collect();
                for task in tasks {
                    task.await.unwrap();
                }
            }

            /// A streamed upload body over `data`, in the mode's form (`AsyncRead`).
            #[allow(dead_code)]
            pub fn streamed(data: Vec<u8>) -> sdk::UploadBody {
                sdk::UploadBody::from_async_read(std::io::Cursor::new(data))
            }

            $($body)*
        }

        #[cfg(feature = "blocking")]
        mod blocking_mode {
            #[allow(unused_imports)]
            use ::core::prelude::v1::test as mode_test;
            #[allow(unused_imports)]
            use ::luna_clients::blocking as sdk;
            #[allow(unused_imports)]
            use ::luna_clients::blocking::prelude::*;
            #[allow(unused_imports)]
            use ::maybe_async::must_be_sync as maybe_async;

            $crate::mode_helpers!();

            /// Every item of `pages`, in order.
            #[allow(dead_code)]
            pub fn collect_pages<T>(pages: sdk::Pages<T>) -> Vec<sdk::Result<T>> {
                pages.collect()
            }

            /// Reads a streamed download whole through the mode's own trait (`Read`).
            #[allow(dead_code)]
            pub fn read_stream(mut body: sdk::ByteStream) -> Vec<u8> {
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut body, &mut out).unwrap();
                out
            }

            /// Reads a streamed download to its end, counting bytes; the first error ends it.
            #[allow(dead_code)]
            pub fn drain_stream(mut body: sdk::ByteStream) -> sdk::Result<u64> {
                let mut total = 0u64;
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    match std::io::Read::read(&mut body, &mut buf) {
                        Ok(0) => return Ok(total),
                        Ok(n) => total += n as u64,
                        Err(e) => {
                            let inner = e.into_inner().expect("a luna error inside the io error");
                            return Err(*inner.downcast::<sdk::Error>().expect("a luna error"));
                        }
                    }
                }
            }

            /// Runs `workers` copies of `work` at once (threads) and waits for all.
            #[allow(dead_code)]
            pub fn concurrently<F>(workers: usize, work: F)
            where
                F: Fn() + Sync,
            {
                std::thread::scope(|scope| {
                    for _ in 0..workers {
                        scope.spawn(&work);
                    }
                });
            }

            /// A streamed upload body over `data`, in the mode's form (reader).
            #[allow(dead_code)]
            pub fn streamed(data: Vec<u8>) -> sdk::UploadBody {
                sdk::UploadBody::from_reader(std::io::Cursor::new(data))
            }

            $($body)*
        }
    };
}

/// The client helpers of one mode, written once: `sdk` is the mode's facade where invoked.
#[macro_export]
macro_rules! mode_helpers {
    () => {
        #[allow(unused_imports)]
        use $crate::{both_modes, error_path_tests};

        /// A client whose Faces service is the mock server.
        #[allow(dead_code)]
        pub fn client(server: &httpmock::MockServer) -> sdk::LunaClient {
            client_with(server, |b| b)
        }

        #[allow(dead_code)]
        pub fn client_with(
            server: &httpmock::MockServer,
            tweak: impl FnOnce(sdk::LunaClientBuilder) -> sdk::LunaClientBuilder,
        ) -> sdk::LunaClient {
            let builder = sdk::LunaClient::builder()
                .address(sdk::Service::Faces, &server.base_url())
                .account_id($crate::common::ACCOUNT)
                .timeout(std::time::Duration::from_secs(5));
            tweak(builder).build().expect("client builds")
        }

        /// The Faces handle used by the wire tests: fixed request id, mock server address.
        #[allow(dead_code)]
        pub fn faces(server: &httpmock::MockServer) -> sdk::Faces {
            client(server)
                .faces()
                .with_request_id($crate::common::REQUEST_ID)
        }

        /// A Faces handle pointing at a port where nothing listens.
        #[allow(dead_code)]
        pub fn faces_unreachable() -> sdk::Faces {
            let port = {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                listener.local_addr().unwrap().port()
            };
            sdk::LunaClient::builder()
                .address(sdk::Service::Faces, &format!("http://127.0.0.1:{port}"))
                .account_id($crate::common::ACCOUNT)
                .retry(sdk::RetryPolicy::none())
                .build()
                .unwrap()
                .faces()
                .with_request_id($crate::common::REQUEST_ID)
        }

        /// A client of the embedded emulator's services under a fresh account; returns the
        /// account too.
        #[allow(dead_code)]
        pub fn emulator_client() -> (sdk::LunaClient, ::uuid::Uuid) {
            let account = ::uuid::Uuid::new_v4();
            let emulator = $crate::common::emulator::emulator();
            let client = sdk::LunaClientBuilder::from_vars(|name| emulator.var(name))
                .expect("emulator addresses parse")
                .account_id(account)
                .build()
                .expect("client builds");
            (client, account)
        }

        /// Expectations every LUNA request of these tests meets.
        #[allow(dead_code)]
        pub fn luna(when: httpmock::When, method: httpmock::Method, path: &str) -> httpmock::When {
            when.method(method)
                .path(path)
                .header("luna-account-id", $crate::common::ACCOUNT)
                .header("luna-request-id", $crate::common::REQUEST_ID)
                .header("user-agent", sdk::USER_AGENT)
        }
    };
}
