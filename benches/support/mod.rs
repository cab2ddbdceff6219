//! What the interleaved benches share: the measuring harness, the in-process keep-alive server
//! and the SDK clients built on it.
#![allow(dead_code)] // each bench binary uses its own part

pub mod interleave;
#[path = "../../tests/common/server.rs"]
pub mod server;

pub const ACCOUNT: &str = "8950722f-3fd4-4223-b48f-03f95f0e8dfb";

/// Starts a keep-alive HTTP/1.1 server answering every request head with the JSON `body`
/// ([`server::json_answer`]), every connection served by the same one thread (a current-thread
/// tokio runtime): the two sides of a pair cannot be served by server threads the scheduler
/// treats differently (with a thread per connection, one side's thread was seen waiting ~4×
/// longer for a whole run on a loaded machine). Returns the base URL.
pub fn one_thread_server(body: &str) -> String {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let addr = listener.local_addr().expect("local address");
    let answer: std::sync::Arc<[u8]> = server::json_answer(body).into_bytes().into();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let answer = answer.clone();
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    let mut line = String::new();
                    loop {
                        // One request head, then the canned answer.
                        loop {
                            line.clear();
                            match stream.read_line(&mut line).await {
                                Ok(0) | Err(_) => return,
                                Ok(_) if line == "\r\n" => break,
                                Ok(_) => {}
                            }
                        }
                        if stream.get_mut().write_all(&answer).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    format!("http://{addr}")
}

/// A current-thread tokio runtime: each async call is driven with `block_on`, on both sides.
#[cfg(feature = "async")]
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The async SDK client with `service` on `base_url`.
#[cfg(feature = "async")]
pub fn async_client(service: luna_clients::Service, base_url: &str) -> luna_clients::LunaClient {
    luna_clients::LunaClient::builder()
        .address(service, base_url)
        .account_id(ACCOUNT)
        .build()
        .expect("async client")
}

/// The blocking SDK client with `service` on `base_url`.
#[cfg(feature = "blocking")]
pub fn blocking_client(
    service: luna_clients::Service,
    base_url: &str,
) -> luna_clients::blocking::LunaClient {
    luna_clients::blocking::LunaClient::builder()
        .address(service, base_url)
        .account_id(ACCOUNT)
        .build()
        .expect("blocking client")
}

/// The hand-written side's reqwest client (reqwest is built without a bundled crypto provider:
/// ring is installed process-wide first, as an application would), with the SDK's default
/// deadlines: a request timeout costs reqwest a timer per request, on both sides alike.
#[cfg(feature = "async")]
pub fn reqwest_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(luna_clients::DEFAULT_CONNECT_TIMEOUT)
        .timeout(luna_clients::DEFAULT_TIMEOUT)
        .build()
        .expect("reqwest client")
}

/// The hand-written `GET` of a JSON answer (async): the LUNA headers the SDK sends, a status
/// check, the body, serde_json.
#[cfg(feature = "async")]
pub async fn hand_get_async<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: String,
) -> T {
    let response = http
        .get(url)
        .header("luna-request-id", luna_clients::generate_request_id())
        .header("luna-account-id", ACCOUNT)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// The hand-written `GET` of a JSON answer (blocking), as [`hand_get_async`]; ureq's own body
/// cap (10 MB) covers every bench answer.
#[cfg(feature = "blocking")]
pub fn hand_get_blocking<T: serde::de::DeserializeOwned>(agent: &ureq::Agent, url: &str) -> T {
    let mut response = agent
        .get(url)
        .header("luna-request-id", luna_clients::generate_request_id())
        .header("luna-account-id", ACCOUNT)
        .header("accept", "application/json")
        .call()
        .unwrap();
    assert!(response.status().is_success());
    let bytes = response.body_mut().read_to_vec().unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// The hand-written side's ureq agent: statuses are not errors (as in the SDK). It has no
/// timeouts: with ureq's, its default resolver starts a thread per call (about 1 ms), which
/// the SDK's resolver avoids; leaving them out favours the hand-written side.
#[cfg(feature = "blocking")]
pub fn ureq_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Starts a keep-alive HTTP/1.1 server that reads each request's body (`Content-Length` or
/// chunked) into a fixed buffer, drops it, and answers 200 with the JSON `body`. Returns its
/// base URL and the number of body bytes received so far.
pub fn sink_server(body: &str) -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::atomic::{AtomicU64, Ordering};

    fn skip(reader: &mut impl Read, mut len: u64, received: &AtomicU64) -> bool {
        let mut buf = [0u8; 64 * 1024];
        while len > 0 {
            let want = len.min(buf.len() as u64) as usize;
            match reader.read(&mut buf[..want]) {
                Ok(0) | Err(_) => return false,
                Ok(n) => {
                    len -= n as u64;
                    received.fetch_add(n as u64, Ordering::SeqCst);
                }
            }
        }
        true
    }

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let received = std::sync::Arc::new(AtomicU64::new(0));
    let counter = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let (answer, counter) = (answer.clone(), counter.clone());
            std::thread::spawn(move || {
                let Ok(mut writer) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                loop {
                    let (mut length, mut chunked) = (0u64, false);
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match reader.read_line(&mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) if line == "\r\n" => break,
                            Ok(_) => {
                                let lower = line.to_ascii_lowercase();
                                if let Some(v) = lower.strip_prefix("content-length:") {
                                    length = v.trim().parse().unwrap_or(0);
                                }
                                if lower.starts_with("transfer-encoding:")
                                    && lower.contains("chunked")
                                {
                                    chunked = true;
                                }
                            }
                        }
                    }
                    if chunked {
                        loop {
                            line.clear();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            let size = u64::from_str_radix(
                                line.trim().split(';').next().unwrap_or(""),
                                16,
                            )
                            .unwrap_or(0);
                            if !skip(&mut reader, size + 2, &counter) {
                                return;
                            }
                            counter.fetch_sub(2, Ordering::SeqCst);
                            if size == 0 {
                                break;
                            }
                        }
                    } else if !skip(&mut reader, length, &counter) {
                        return;
                    }
                    if writer.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), received)
}

/// The process's resident set size now and at its peak (`VmRSS`, `VmHWM` of
/// `/proc/self/status`), in bytes; `None` off Linux.
pub fn rss() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
