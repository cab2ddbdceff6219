//! Opt-in retries: exponential backoff with full jitter, `Retry-After` honoured, only for
//! retry-safe requests and only on connect errors, timeouts, 429 and 502–504.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// When and how often a failed, retry-safe request is sent again.
///
/// Retries are off by default ([`RetryPolicy::none`]). Only requests marked retry-safe are ever
/// retried: reads (`GET`, `HEAD`) and read-only POSTs such as matching. Requests that create,
/// change or delete objects are not retried, whatever the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    budget: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::none()
    }
}

impl RetryPolicy {
    /// No retries.
    pub const fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            budget: None,
        }
    }

    /// The standard policy: up to 3 retries, backoff from 100 ms doubling to at most 5 s (full
    /// jitter), `Retry-After` honoured up to 30 s.
    pub const fn standard() -> Self {
        RetryPolicy {
            max_retries: 3,
            ..Self::none()
        }
    }

    /// Sets how many times a request may be re-sent (0 disables retries).
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the first backoff step and the cap of the exponential backoff.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the longest `Retry-After` this policy waits for; a longer one ends the retries.
    #[must_use]
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Sets the overall budget of a call: all attempts and the waits between them together.
    /// A retry whose wait would end past it is not made, and an attempt's timeout is cut to
    /// what is left (default: no budget, only `max_retries` bounds the retries).
    #[must_use]
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The overall budget of a call, if one is set.
    pub fn overall_budget(&self) -> Option<Duration> {
        self.budget
    }

    /// How many retries this policy allows.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Backoff before retry number `attempt` (0-based): a random duration in
    /// `[0, min(max, initial * 2^attempt)]`.
    pub(crate) fn backoff_for(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        let cap = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// The delay before the next attempt, or `None` to stop retrying; `elapsed` is the time
    /// the call has taken so far (for the budget).
    pub(crate) fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        let delay = match retry_after {
            Some(wait) if wait > self.max_retry_after => return None,
            Some(wait) => wait,
            None => self.backoff_for(attempt),
        };
        match self.budget {
            Some(budget) if elapsed + delay >= budget => None,
            _ => Some(delay),
        }
    }

    /// The time left in the budget after `elapsed`, if there is a budget.
    pub(crate) fn left(&self, elapsed: Duration) -> Option<Duration> {
        self.budget.map(|budget| budget.saturating_sub(elapsed))
    }
}

/// Whether an HTTP status is worth retrying (429, 502, 503, 504).
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Parses `Retry-After` (delta seconds or an HTTP date).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The blocking client's pause between attempts.
#[cfg(feature = "blocking")]
pub(crate) fn blocking_sleep(duration: Duration) {
    std::thread::sleep(duration)
}

/// The async client's pause between attempts.
#[cfg(feature = "async")]
pub(crate) async fn async_sleep(duration: Duration) {
    tokio::time::sleep(duration).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::standard()
            .backoff(Duration::from_millis(100), Duration::from_millis(250));
        for _ in 0..50 {
            assert!(policy.backoff_for(0) <= Duration::from_millis(100));
            assert!(policy.backoff_for(1) <= Duration::from_millis(200));
            assert!(policy.backoff_for(10) <= Duration::from_millis(250));
            assert!(policy.backoff_for(40) <= Duration::from_millis(250));
        }
    }

    #[test]
    fn delay_stops_after_max_retries_and_long_retry_after() {
        let policy = RetryPolicy::standard().max_retries(2);
        let zero = Duration::ZERO;
        assert!(policy.delay(0, None, zero).is_some());
        assert!(policy.delay(1, None, zero).is_some());
        assert!(policy.delay(2, None, zero).is_none());
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(3)), zero),
            Some(Duration::from_secs(3))
        );
        assert_eq!(policy.delay(0, Some(Duration::from_secs(31)), zero), None);
        assert!(RetryPolicy::none().delay(0, None, zero).is_none());
    }

    #[test]
    fn the_budget_stops_retries_whose_wait_would_end_past_it() {
        let policy = RetryPolicy::standard().budget(Duration::from_secs(2));
        let wait = Some(Duration::from_secs(1));
        assert!(policy.delay(0, wait, Duration::from_millis(900)).is_some());
        assert!(policy.delay(0, wait, Duration::from_millis(1000)).is_none());
        assert_eq!(policy.left(Duration::from_millis(500)), Some(Duration::from_millis(1500)));
        assert_eq!(policy.left(Duration::from_secs(3)), Some(Duration::ZERO));
        assert_eq!(RetryPolicy::standard().left(Duration::from_secs(3)), None);
    }

    #[test]
    fn parses_retry_after_forms() {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn retryable_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
        for s in [400, 404, 500, 501] {
            assert!(!is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
    }
}
