//! Interleaved comparison of two implementations of the same work in one process: for each
//! round, the SDK side and the hand-written side each run a batch of calls, one after the other
//! (the order alternates every round), and the round's ratio is SDK time / hand-written time.
//! Both sides see the same machine state within a round, so drift (other processes, CPU
//! frequency, a warming cache) cancels out of the ratio instead of landing on one side.
//!
//! The report is the median of the per-round ratios, their interquartile range and the number
//! of rounds, beside the median time per call of each side.
//!
//! Settings (environment): `LUNA_BENCH_ROUNDS` (default 31), `LUNA_BENCH_SCALE` (multiplies
//! every batch size; default 1). A bench binary's first free argument filters pairs by name.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The result of one interleaved comparison.
#[derive(Debug, Clone)]
pub struct Summary {
    pub name: String,
    pub rounds: usize,
    pub batch: usize,
    /// Median, first and third quartile of the per-round ratio SDK / hand-written.
    pub ratio: Quartiles,
    /// Median time per call of each side.
    pub sdk_per_call: Duration,
    pub hand_per_call: Duration,
}

/// Median and quartiles of a sample.
#[derive(Debug, Clone, Copy)]
pub struct Quartiles {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

impl Quartiles {
    /// Quartiles by linear interpolation between the sorted values (`values` is not empty).
    pub fn of(values: &[f64]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let position = q * (sorted.len() - 1) as f64;
            let (low, high) = (position.floor() as usize, position.ceil() as usize);
            sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
        };
        Quartiles {
            q1: at(0.25),
            median: at(0.5),
            q3: at(0.75),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<40} ratio {:.3} (IQR {:.3}–{:.3}, {} rounds × {} calls)  SDK {:>10.1?}/call  hand-written {:>10.1?}/call",
            self.name,
            self.ratio.median,
            self.ratio.q1,
            self.ratio.q3,
            self.rounds,
            self.batch,
            self.sdk_per_call,
            self.hand_per_call,
        )
    }
}

/// Runs the comparisons of one bench binary, applying the settings and the name filter.
pub struct Bench {
    rounds: usize,
    scale: usize,
    filter: Option<String>,
}

impl Bench {
    /// Reads the settings from the environment and the command line (`cargo bench` passes
    /// `--bench`, which is ignored).
    pub fn from_env() -> Self {
        let number = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|&n| n > 0)
                .unwrap_or(default)
        };
        Bench {
            rounds: number("LUNA_BENCH_ROUNDS", 31),
            scale: number("LUNA_BENCH_SCALE", 1),
            filter: std::env::args().skip(1).find(|a| !a.starts_with('-')),
        }
    }

    /// Compares `sdk` with `hand_written` over `batch` calls per side and round, and prints
    /// the summary (`None` when the filter skips it). Each call's result goes through
    /// [`black_box`] so that neither side is optimised away.
    pub fn compare<A, B>(
        &self,
        name: &str,
        batch: usize,
        mut sdk: impl FnMut() -> A,
        mut hand_written: impl FnMut() -> B,
    ) -> Option<Summary> {
        if self.filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            return None;
        }
        let batch = batch * self.scale;
        let time = |side: &mut dyn FnMut()| {
            let started = Instant::now();
            for _ in 0..batch {
                side();
            }
            started.elapsed()
        };
        let mut sdk = || {
            black_box(sdk());
        };
        let mut hand_written = || {
            black_box(hand_written());
        };
        // Warm-up: connections opened, caches and allocator filled on both sides.
        time(&mut sdk);
        time(&mut hand_written);
        let mut ratios = Vec::with_capacity(self.rounds);
        let mut sdk_times = Vec::with_capacity(self.rounds);
        let mut hand_times = Vec::with_capacity(self.rounds);
        for round in 0..self.rounds {
            let (s, h) = if round % 2 == 0 {
                let s = time(&mut sdk);
                (s, time(&mut hand_written))
            } else {
                let h = time(&mut hand_written);
                (time(&mut sdk), h)
            };
            ratios.push(s.as_secs_f64() / h.as_secs_f64());
            sdk_times.push(s.as_secs_f64() / batch as f64);
            hand_times.push(h.as_secs_f64() / batch as f64);
        }
        let summary = Summary {
            name: name.to_owned(),
            rounds: self.rounds,
            batch,
            ratio: Quartiles::of(&ratios),
            sdk_per_call: Duration::from_secs_f64(Quartiles::of(&sdk_times).median),
            hand_per_call: Duration::from_secs_f64(Quartiles::of(&hand_times).median),
        };
        println!("{summary}");
        Some(summary)
    }
}
