//! Interleaved comparison of two implementations of the same work in one process. Within each
//! round the two sides alternate call by call (SDK, hand-written, hand-written, SDK, ...: the
//! order of each pair flips every call and every round), each call timed on its own, and the
//! round's ratio is the SDK's summed time over the hand-written side's. Both sides see the
//! same machine state down to a single call, so drift and load from other processes (the
//! development machine is shared) land on both sides instead of one.
//!
//! The report is the median of the per-round ratios, their interquartile range and the number
//! of rounds, beside the median time per call of each side.
//!
//! Settings (environment): `LUNA_BENCH_ROUNDS` (default 31), `LUNA_BENCH_SCALE` (multiplies
//! every batch size; default 1). A bench binary's first free argument filters pairs by name.
//!
//! Instruction counts (a cross-check that the load of a shared machine cannot move):
//! `LUNA_BENCH_ONLY=sdk` (or `hand`) runs one side only, a warm-up then one batch inside
//! [`measured`], under callgrind collecting there only:
//! `LUNA_BENCH_ONLY=sdk valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*interleave*measured*' <bench binary> <pair name>`; "Collected" / batch
//! is the instructions per call (of the calling thread: an in-process server's are not counted).

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

    /// Compares `sdk` with `hand_written` over `batch` calls per side and round (alternating
    /// call by call), and prints the summary (`None` when the filter skips it). Each call's result goes through
    /// [`black_box`] so that neither side is optimised away.
    pub fn compare<A, B>(
        &self,
        name: &str,
        batch: usize,
        mut sdk: impl FnMut() -> A,
        mut hand_written: impl FnMut() -> B,
    ) -> Option<Summary> {
        if self
            .filter
            .as_ref()
            .is_some_and(|f| !name.contains(f.as_str()))
        {
            return None;
        }
        let batch = batch * self.scale;
        if let Ok(only) = std::env::var("LUNA_BENCH_ONLY") {
            let side: &mut dyn FnMut() = match only.as_str() {
                "sdk" => &mut || {
                    black_box(sdk());
                },
                _ => &mut || {
                    black_box(hand_written());
                },
            };
            side();
            measured(side, batch);
            println!("{name}: {only} side, {batch} calls measured");
            return None;
        }
        let mut sdk = || {
            let started = Instant::now();
            black_box(sdk());
            started.elapsed()
        };
        let mut hand_written = || {
            let started = Instant::now();
            black_box(hand_written());
            started.elapsed()
        };
        // Warm-up: connections opened, caches and allocator filled on both sides.
        for _ in 0..batch {
            sdk();
            hand_written();
        }
        let mut ratios = Vec::with_capacity(self.rounds);
        let mut sdk_times = Vec::with_capacity(self.rounds);
        let mut hand_times = Vec::with_capacity(self.rounds);
        for round in 0..self.rounds {
            let (mut s, mut h) = (Duration::ZERO, Duration::ZERO);
            for call in 0..batch {
                if (round + call) % 2 == 0 {
                    s += sdk();
                    h += hand_written();
                } else {
                    h += hand_written();
                    s += sdk();
                }
            }
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

/// Runs `side` `calls` times: the only code callgrind counts in instruction mode.
#[inline(never)]
pub fn measured(side: &mut dyn FnMut(), calls: usize) {
    for _ in 0..calls {
        side();
    }
}
