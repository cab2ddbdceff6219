//! A minimal keep-alive HTTP/1.1 server on loopback, shared by the tests (connection reuse) and
//! the benchmark (a fast local server in the same process).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

/// Reads one request head (up to its empty line); `false` at the end of the connection.
pub fn read_head(reader: &mut impl BufRead) -> bool {
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line == "\r\n" => return true,
            Ok(_) => {}
        }
    }
}

/// The canned keep-alive answer: 200 with the JSON `body` and a LUNA request id.
pub fn json_answer(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
         luna-request-id: 1700000000,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Starts a server answering every request (head only: GET/HEAD/DELETE without a body) with a
/// 200 JSON `body`, keeping connections open. Returns its base URL and the number of TCP
/// connections it accepted so far.
pub fn counting_server(body: &str) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    let answer = json_answer(body);
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let Ok(mut writer) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                // One request head, then the canned answer.
                while read_head(&mut reader) {
                    if writer.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), connections)
}
