//! Peak memory of a multipart upload: ten 8 MiB images in one `remote_sdk().sdk(...)` call
//! (a `multipart/form-data` body, as `emit_events` and `verify_data` send several images), in
//! each mode, against a server in the same process that reads and drops the body. Each mode
//! runs in a child process of its own (this binary, re-run), so that its peak is its own.
//!
//! Reported: the growth of the peak resident set over the resident set before the images
//! were allocated (client, runtime, server and one small call already up), as a ratio to the
//! payload (80 MiB): 1.0 means the images were never copied; 2.0 means one whole copy. The
//! ratio of `LUNA_BENCH_ROUNDS` runs (default 5) is reported as median and range.
//!
//! Run: `cargo bench --bench multipart_memory --features blocking` (both modes).

mod support;

use luna_clients::model::images::{BinaryImage, ImageInput};
use luna_clients::model::remote_sdk::SdkParams;
use luna_clients::Service;

const IMAGES: usize = 10;
const IMAGE_BYTES: usize = 8 * 1024 * 1024;
const CHILD: &str = "LUNA_MULTIPART_CHILD";

/// One image: a JPEG start marker and pseudo-random bytes, every page touched.
fn image(seed: usize) -> BinaryImage {
    let mut bytes = vec![0u8; IMAGE_BYTES];
    let mut state = (seed as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for chunk in bytes.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }
    bytes[0] = 0xff;
    bytes[1] = 0xd8;
    BinaryImage::jpeg(bytes)
}

/// In the child: sends the images once in `mode` and prints the peak growth / payload.
fn child(mode: &str) {
    let (base_url, received) = support::sink_server("{}");
    let payload = (IMAGES * IMAGE_BYTES) as f64;
    let small = || ImageInput::from(vec![BinaryImage::jpeg(vec![0xffu8, 0xd8, 1, 2])]);
    let params = SdkParams::default();
    let report = |baseline: u64| {
        let (_, peak) = support::rss().expect("/proc/self/status");
        let ratio = (peak - baseline) as f64 / payload;
        println!("{ratio:.4}");
    };
    match mode {
        #[cfg(feature = "async")]
        "async" => {
            use luna_clients::RemoteSdkApi as _;
            let runtime = support::runtime();
            let sdk = support::async_client(Service::RemoteSdk, &base_url).remote_sdk();
            runtime.block_on(sdk.sdk(small(), &params)).unwrap();
            let (baseline, _) = support::rss().expect("/proc/self/status");
            let images: Vec<BinaryImage> = (0..IMAGES).map(image).collect();
            let before = received.load(std::sync::atomic::Ordering::SeqCst);
            runtime.block_on(sdk.sdk(images, &params)).unwrap();
            let sent = received.load(std::sync::atomic::Ordering::SeqCst) - before;
            assert!(sent as f64 >= payload, "the server got {sent} bytes");
            report(baseline);
        }
        #[cfg(feature = "blocking")]
        "blocking" => {
            use luna_clients::blocking::RemoteSdkApi as _;
            let sdk = support::blocking_client(Service::RemoteSdk, &base_url).remote_sdk();
            sdk.sdk(small(), &params).unwrap();
            let (baseline, _) = support::rss().expect("/proc/self/status");
            let images: Vec<BinaryImage> = (0..IMAGES).map(image).collect();
            let before = received.load(std::sync::atomic::Ordering::SeqCst);
            sdk.sdk(images, &params).unwrap();
            let sent = received.load(std::sync::atomic::Ordering::SeqCst) - before;
            assert!(sent as f64 >= payload, "the server got {sent} bytes");
            report(baseline);
        }
        other => panic!("unknown mode {other}"),
    }
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        return child(&mode);
    }
    if support::rss().is_none() {
        println!("multipart memory: needs /proc/self/status (Linux); skipped");
        return;
    }
    let runs: usize = std::env::var("LUNA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .map_or(5, |n: usize| n.min(15));
    let exe = std::env::current_exe().expect("this binary");
    let mut modes = Vec::new();
    if cfg!(feature = "async") {
        modes.push("async");
    }
    if cfg!(feature = "blocking") {
        modes.push("blocking");
    }
    for mode in modes {
        let mut ratios: Vec<f64> = (0..runs)
            .map(|_| {
                let out = std::process::Command::new(&exe)
                    .env(CHILD, mode)
                    .output()
                    .expect("run the child");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse()
                    .expect("a ratio")
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        println!(
            "{:<40} peak RSS growth / payload {:.3} (range {:.3}–{:.3}, {} runs; payload {} × {} MiB)",
            format!("multipart/{mode} (10 × 8 MiB images)"),
            ratios[ratios.len() / 2],
            ratios[0],
            ratios[ratios.len() - 1],
            runs,
            IMAGES,
            IMAGE_BYTES >> 20,
        );
    }
}
