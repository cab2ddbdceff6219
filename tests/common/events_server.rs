//! A small stateful luna-events on loopback for the paging tests: it holds events in memory and
//! answers `GET /<version>/events` the way the real service does — `create_time__gte` /
//! `create_time__lt` filters, sorted by `create_time` (`order`, default `desc`; ties in
//! insertion order, never by id), `page` / `page_size` (defaults 1 / 10), `target`. A hook
//! runs before each answer and may add events (inserts while a client iterates).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

/// One stored event.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    pub id: Uuid,
    pub create_time: OffsetDateTime,
}

impl StoredEvent {
    /// An event with a random (v4) id.
    pub fn at(create_time: OffsetDateTime) -> Self {
        StoredEvent {
            id: Uuid::new_v4(),
            create_time,
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "event_id": self.id,
            "create_time": self.create_time.format(&Rfc3339).unwrap(),
            "source": "cam",
        })
    }
}

/// Called before each answer with the request number (from 0) and the stored events.
pub type Hook = Box<dyn FnMut(usize, &mut Vec<StoredEvent>) + Send>;

/// The server's state: events, hook, and the query of every request received.
pub struct EventsState {
    pub events: Vec<StoredEvent>,
    pub hook: Option<Hook>,
    pub requests: Vec<HashMap<String, String>>,
    /// When set, the server ignores `page`, `create_time__lt` and `create_time__gte`.
    pub ignore_paging: bool,
}

/// A running server: its base URL and shared state.
pub struct EventsServer {
    pub base_url: String,
    pub state: Arc<Mutex<EventsState>>,
}

impl EventsServer {
    pub fn start(events: Vec<StoredEvent>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(EventsState {
            events,
            hook: None,
            requests: Vec::new(),
            ignore_paging: false,
        }));
        let shared = state.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let state = shared.clone();
                thread::spawn(move || serve(stream, state));
            }
        });
        EventsServer { base_url, state }
    }

    pub fn set_hook(&self, hook: impl FnMut(usize, &mut Vec<StoredEvent>) + Send + 'static) {
        self.state.lock().unwrap().hook = Some(Box::new(hook));
    }

    pub fn requests(&self) -> Vec<HashMap<String, String>> {
        self.state.lock().unwrap().requests.clone()
    }
}

fn serve(stream: std::net::TcpStream, state: Arc<Mutex<EventsState>>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        match reader.read_line(&mut request_line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {}
            }
        }
        let target = request_line.split_whitespace().nth(1).unwrap_or("/");
        let url = url::Url::parse(&format!("http://localhost{target}")).unwrap();
        let (status, body) = if url.path().ends_with("/events") {
            let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
            (200, answer(&state, query).to_string())
        } else {
            (
                404,
                json!({"error_code": 1, "desc": "not found"}).to_string(),
            )
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
             luna-request-id: 1700000000,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a\r\n\
             content-length: {}\r\n\r\n",
            body.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(body.as_bytes()).is_err()
        {
            return;
        }
    }
}

fn answer(state: &Mutex<EventsState>, query: HashMap<String, String>) -> Value {
    let mut state = state.lock().unwrap();
    let number = state.requests.len();
    state.requests.push(query.clone());
    if let Some(mut hook) = state.hook.take() {
        hook(number, &mut state.events);
        state.hook = Some(hook);
    }
    let time = |name: &str| {
        query
            .get(name)
            .map(|v| OffsetDateTime::parse(v, &Rfc3339).expect("an RFC 3339 time"))
    };
    let number = |name: &str, default: usize| {
        query
            .get(name)
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let ignore = state.ignore_paging;
    let (gte, lt) = if ignore {
        (None, None)
    } else {
        (time("create_time__gte"), time("create_time__lt"))
    };
    // Event id bounds compare ids as the database does (byte order of the UUID).
    let id = |name: &str| {
        query
            .get(name)
            .filter(|_| !ignore)
            .map(|v| Uuid::parse_str(v).unwrap())
    };
    let (id_gte, id_lt) = (id("event_id__gte"), id("event_id__lt"));
    let mut selected: Vec<StoredEvent> = state
        .events
        .iter()
        .filter(|e| gte.is_none_or(|t| e.create_time >= t) && lt.is_none_or(|t| e.create_time < t))
        .filter(|e| id_gte.is_none_or(|id| e.id >= id) && id_lt.is_none_or(|id| e.id < id))
        .cloned()
        .collect();
    // A stable sort: events of one time keep their insertion order in both directions.
    match query.get("order").map(String::as_str) {
        Some("asc") => selected.sort_by_key(|e| e.create_time),
        _ => selected.sort_by_key(|e| std::cmp::Reverse(e.create_time)),
    }
    let page = if ignore { 1 } else { number("page", 1) };
    let size = number("page_size", 10);
    let items: Vec<Value> = selected
        .iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|event| {
            let mut value = event.to_json();
            if let Some(targets) = query.get("target") {
                let keep: Vec<&str> = targets.split(',').collect();
                value
                    .as_object_mut()
                    .unwrap()
                    .retain(|k, _| keep.contains(&k.as_str()));
            }
            value
        })
        .collect();
    json!({ "events": items })
}
