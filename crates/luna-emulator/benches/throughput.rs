//! The emulator's own throughput, so that it is never the bottleneck of the SDK's benchmarks:
//! `GET /3/faces/{id}` and a 100-event `GET /2/events` page, over one keep-alive HTTP/1.1
//! connection with a minimal hand-written client (no HTTP library cost on the client side).

use criterion::{criterion_group, criterion_main, Criterion};
use luna_emulator::{Emulator, Service};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

const ACCOUNT: &str = "8950722f-3fd4-4223-b48f-03f95f0e8dfb";

/// One keep-alive connection.
struct Connection {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(emulator: &Emulator, service: Service) -> Self {
        let stream = TcpStream::connect(emulator.address(service)).expect("connects");
        stream.set_nodelay(true).expect("nodelay");
        Self {
            reader: BufReader::new(stream.try_clone().expect("clones")),
            writer: stream,
        }
    }

    /// Sends a request and reads the whole answer; returns the status and the body.
    fn request(&mut self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nLuna-Account-Id: {ACCOUNT}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.writer.write_all(head.as_bytes()).expect("writes");
        self.writer.write_all(body).expect("writes");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().expect("length");
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).expect("body");
        (status, body)
    }
}

fn throughput(c: &mut Criterion) {
    let emulator = Emulator::start().expect("starts");
    let mut faces = Connection::open(&emulator, Service::Faces);
    let (status, body) = faces.request("POST", "/3/faces", br#"{"user_data": "bench"}"#);
    assert_eq!(status, 201);
    let created: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let face_path = format!("/3/faces/{}", created["face_id"].as_str().expect("id"));
    c.bench_function("emulator get_face", |b| {
        b.iter(|| assert_eq!(faces.request("GET", &face_path, b"").0, 200))
    });

    let mut events = Connection::open(&emulator, Service::Events);
    for batch in 0..10 {
        let items: Vec<serde_json::Value> = (0..1000)
            .map(|i| {
                serde_json::json!({
                    "source": format!("cam-{}", i % 20),
                    "create_time": format!("2024-01-{:02}T{:02}:{:02}:00Z", 1 + batch, i / 60 % 24, i % 60),
                    "age": i % 90, "gender": i % 2,
                })
            })
            .collect();
        let body = serde_json::json!({ "events": items }).to_string();
        assert_eq!(events.request("POST", "/2/events", body.as_bytes()).0, 201);
    }
    c.bench_function("emulator get_events page of 100 (10,000 stored)", |b| {
        b.iter(|| {
            let (status, body) = events.request("GET", "/2/events?page_size=100&page=3", b"");
            assert_eq!((status, body.len() > 10_000), (200, true));
        })
    });
    c.bench_function("emulator get_events page of 100, target=event_id", |b| {
        b.iter(|| {
            let path = "/2/events?page_size=100&page=3&target=event_id";
            assert_eq!(events.request("GET", path, b"").0, 200);
        })
    });
    c.bench_function("emulator get_events page of 100, filtered (sources, create_time)", |b| {
        b.iter(|| {
            let path = "/2/events?page_size=100&sources=cam-1,cam-2&create_time__gte=2024-01-03T00:00:00Z";
            assert_eq!(events.request("GET", path, b"").0, 200);
        })
    });
}

criterion_group!(benches, throughput);
criterion_main!(benches);
