//! The deterministic randomness of the scheme: FNV-1a 64 hashes as seeds and a SplitMix64
//! generator. Both are written out here (not taken from a crate or `std`'s hasher) so that a
//! descriptor or an attribute never changes between Rust versions, platforms or releases.

/// FNV-1a 64 of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Derives a seed for one purpose (`label`, `number`) from a subject's seed.
pub fn derive(seed: u64, label: &str, number: u64) -> u64 {
    let mut bytes = Vec::with_capacity(16 + label.len());
    bytes.extend_from_slice(&seed.to_le_bytes());
    bytes.extend_from_slice(label.as_bytes());
    bytes.extend_from_slice(&number.to_le_bytes());
    fnv1a(&bytes)
}

/// SplitMix64: a small, exact (integer-only) pseudo-random generator.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)` (53 random bits).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform number in `[low, high)`.
    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// An index in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A roughly normal number (mean 0, variance 1/3 · 4 = 4/3): the sum of four uniforms in
    /// `[-1, 1)`, exact arithmetic only, so every platform computes the same value.
    pub fn bell(&mut self) -> f64 {
        (0..4).map(|_| self.between(-1.0, 1.0)).sum()
    }
}
