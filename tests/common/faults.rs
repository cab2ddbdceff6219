//! A small fault-injecting HTTP/1.1 server on loopback (std `TcpListener` and threads): every
//! request is read whole (head and `Content-Length` body), recorded, and answered by a
//! [`Fault`] chosen from the request's number.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Sends these bytes as they are and keeps the connection.
    Raw(String),
    /// Closes the connection without answering.
    Close,
    /// Waits, then answers `200 {}`.
    SlowHead(Duration),
    /// Waits `head_after`, sends a 200 head announcing `len` bytes, then one byte per `gap`.
    SlowBody {
        head_after: Duration,
        len: usize,
        gap: Duration,
    },
    /// Sends a 200 head announcing `len` bytes, `sent` of them, then resets the connection.
    ResetMidBody { len: usize, sent: usize },
    /// Sends a chunked 200 body that never ends (until the client leaves).
    Endless,
    /// Sends these bytes one at a time, one per `gap`, then closes.
    Dribble { bytes: String, gap: Duration },
}

impl Fault {
    /// An answer with `status`, extra `headers` (`name: value` lines) and a JSON `body`.
    pub fn answer(status: u16, headers: &[&str], body: &str) -> Fault {
        let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
        if !body.is_empty() {
            head.push_str("content-type: application/json\r\n");
        }
        for header in headers {
            head.push_str(header);
            head.push_str("\r\n");
        }
        Fault::Raw(format!("{head}\r\n{body}"))
    }

    /// `200 {}`.
    pub fn ok() -> Fault {
        Fault::answer(200, &[], "{}")
    }
}

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// The request line, e.g. `GET /3/faces HTTP/1.1`.
    pub line: String,
    /// Header lines, lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Which accepted connection carried it (0-based).
    pub connection: usize,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A running fault server; it stops accepting when dropped.
pub struct FaultServer {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl FaultServer {
    /// Starts a server answering request number `n` (0-based, over all connections) with
    /// `script(n, request)`.
    pub fn start(script: impl Fn(usize, &Seen) -> Fault + Send + Sync + 'static) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let script = Arc::new(script);
        let (seen2, connections2, stop2) = (seen.clone(), connections.clone(), stop.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { return };
                let connection = connections2.fetch_add(1, Ordering::SeqCst);
                let (seen, script, stop) = (seen2.clone(), script.clone(), stop2.clone());
                thread::spawn(move || serve(stream, connection, &seen, &*script, &stop));
            }
        });
        FaultServer {
            url,
            seen,
            connections,
            stop,
        }
    }

    /// Every request read so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests were read so far.
    pub fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// How many TCP connections were accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees `stop`.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve(
    stream: TcpStream,
    connection: usize,
    seen: &Mutex<Vec<Seen>>,
    script: &(dyn Fn(usize, &Seen) -> Fault + Send + Sync),
    stop: &AtomicBool,
) {
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut reader, connection) else {
            return;
        };
        let number = {
            let mut seen = seen.lock().unwrap();
            seen.push(request.clone());
            seen.len() - 1
        };
        let kept = match script(number, &request) {
            Fault::Raw(bytes) => writer.write_all(bytes.as_bytes()).is_ok(),
            Fault::Close => false,
            Fault::SlowHead(wait) => {
                thread::sleep(wait);
                let Fault::Raw(bytes) = Fault::ok() else {
                    unreachable!()
                };
                writer.write_all(bytes.as_bytes()).is_ok()
            }
            Fault::SlowBody {
                head_after,
                len,
                gap,
            } => {
                thread::sleep(head_after);
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n\r\n");
                let mut ok = writer.write_all(head.as_bytes()).is_ok();
                for _ in 0..len {
                    if !ok || stop.load(Ordering::SeqCst) {
                        break;
                    }
                    thread::sleep(gap);
                    ok = writer.write_all(b" ").and_then(|_| writer.flush()).is_ok();
                }
                ok
            }
            Fault::ResetMidBody { len, sent } => {
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n\r\n");
                let _ = writer.write_all(head.as_bytes());
                let _ = writer.write_all(&vec![b'x'; sent]);
                let _ = writer.flush();
                thread::sleep(Duration::from_millis(50));
                false
            }
            Fault::Dribble { bytes, gap } => {
                for byte in bytes.as_bytes() {
                    if stop.load(Ordering::SeqCst)
                        || writer
                            .write_all(&[*byte])
                            .and_then(|_| writer.flush())
                            .is_err()
                    {
                        break;
                    }
                    thread::sleep(gap);
                }
                false
            }
            Fault::Endless => {
                let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
                let mut ok = writer.write_all(head.as_bytes()).is_ok();
                let chunk = format!("{:x}\r\n{}\r\n", 8192, "x".repeat(8192));
                while ok && !stop.load(Ordering::SeqCst) {
                    ok = writer.write_all(chunk.as_bytes()).is_ok();
                }
                false
            }
        };
        if !kept {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>, connection: usize) -> Option<Seen> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let len = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        line: line.trim_end().to_owned(),
        headers,
        body,
        connection,
    })
}
