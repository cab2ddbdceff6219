//! Uploading a multi-megabyte image does not copy it again: the bytes allocated by the whole
//! exchange (client, HTTP backend and a minimal in-process server that discards the body) stay
//! far below the image size. The image is allocated before counting starts; a copy of it would
//! add at least its size to the count.
//!
//! This file holds one test (run in each mode) on purpose: the allocation counter is
//! process-wide, so the two modes take turns through `EXCLUSIVE`.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Held by the test of each mode while it counts.
static EXCLUSIVE: Mutex<()> = Mutex::new(());

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
            LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        }
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) && new_size > layout.size() {
            ALLOCATED.fetch_add(new_size - layout.size(), Ordering::Relaxed);
            LARGEST.fetch_max(new_size, Ordering::Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const IMAGE_LEN: usize = 8 * 1024 * 1024;
const IMAGE_ID: &str = "1a2b3c4d-6f0e-4a5c-9a55-8c1a0d1f1a66";

/// A one-shot HTTP/1.1 server: reads the head, then the `Content-Length` body through one fixed
/// buffer (checking every byte against the expected pattern), answers 201 and returns how many
/// body bytes matched.
fn serve_once(listener: TcpListener) -> std::thread::JoinHandle<(usize, String)> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = String::with_capacity(4096);
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::with_capacity(64 * 1024, stream);
        let mut content_length = 0usize;
        loop {
            let start = head.len();
            reader.read_line(&mut head).unwrap();
            let line = head[start..].trim_end().to_ascii_lowercase();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("content-length:") {
                content_length = v.trim().parse().unwrap();
            }
        }
        let mut matched = 0usize;
        let mut offset = 0usize;
        while offset < content_length {
            let want = buf.len().min(content_length - offset);
            let n = reader.read(&mut buf[..want]).unwrap();
            assert!(n > 0, "connection closed early");
            for (i, b) in buf[..n].iter().enumerate() {
                if *b == pattern(offset + i) {
                    matched += 1;
                }
            }
            offset += n;
        }
        let body = format!("{{\"image_id\": \"{IMAGE_ID}\"}}");
        let answer = format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        reader.get_mut().write_all(answer.as_bytes()).unwrap();
        (matched, head)
    })
}

fn pattern(i: usize) -> u8 {
    (i * 31 % 251) as u8
}

crate::in_both_modes! {
use std::time::Duration;

use super::*;
use crate::common::{ACCOUNT, REQUEST_ID};
use sdk::model::image_store::UploadOptions;
use sdk::{Bytes, LunaClient, Service};

both_modes! {
    // The lock only orders the two modes' tests (each on its own test thread).
    #[allow(clippy::await_holding_lock)]
    async fn multi_megabyte_upload_is_not_copied() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let _exclusive = EXCLUSIVE.lock().unwrap_or_else(|e| e.into_inner());
        let server = serve_once(listener);
        let client = LunaClient::builder()
            .address(Service::ImageStore, &address)
            .account_id(ACCOUNT)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let store = client.image_store("visionlabs-samples").with_request_id(REQUEST_ID);
        let options = UploadOptions::new();
        let image: Vec<u8> = (0..IMAGE_LEN).map(pattern).collect();
        let image = Bytes::from(image);
        let image_ptr = image.as_ptr();
        let keep = image.clone();

        ALLOCATED.store(0, Ordering::SeqCst);
        LARGEST.store(0, Ordering::SeqCst);
        COUNTING.store(true, Ordering::SeqCst);
        let stored = store.post_image(image, &options).await;
        COUNTING.store(false, Ordering::SeqCst);

        let allocated = ALLOCATED.load(Ordering::SeqCst);
        let largest = LARGEST.load(Ordering::SeqCst);
        let (matched, head) = server.join().unwrap();
        assert_eq!(stored.unwrap().image_id.to_string(), IMAGE_ID);
        assert_eq!(matched, IMAGE_LEN, "the server received exactly the caller's bytes");
        assert!(head.to_ascii_lowercase().contains("content-type: image/jpeg"), "{head}");
        assert!(head.contains("/1/buckets/visionlabs-samples/images"), "{head}");
        // The caller's buffer is still the one it allocated (shared, never replaced).
        assert_eq!(keep.as_ptr(), image_ptr);
        eprintln!("{} mode: {allocated} bytes allocated during an {IMAGE_LEN}-byte upload (largest block {largest})", sdk::MODE);
        assert!(
            allocated < IMAGE_LEN / 8,
            "{allocated} bytes were allocated while uploading {IMAGE_LEN} bytes: the body was copied"
        );
        assert!(largest < IMAGE_LEN / 8, "largest allocation {largest}");
    }
}
}
