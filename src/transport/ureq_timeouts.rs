//! Socket timeouts that stay the same from one call to the next (blocking client).
//!
//! ureq enforces a request's deadline by setting the socket's read and write timeouts to the
//! time left before each wait, and sets them again whenever that value changes. The time left
//! differs on every call by a few microseconds, so every call cost two `setsockopt` system calls
//! (about as much time as the SDK's own work on a call to a local service). This connector wraps
//! the transports of ureq's default one and rounds the time left *down* to a multiple of
//! [`STEP`] while more than [`EXACT_BELOW`] is left: consecutive calls then ask for the same
//! socket timeouts and no system call is made. A wait never outlasts the deadline; on a stalled
//! connection the call ends at most one [`STEP`] before it (exactly at it in the last second).

use std::time::Duration;

use ureq::unversioned::transport::time::Duration as TimeLeft;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// The rounding step of the time left.
pub(crate) const STEP: Duration = Duration::from_millis(100);
/// Under this much time left, waits get the exact time left.
pub(crate) const EXACT_BELOW: Duration = Duration::from_secs(1);

/// A connector whose transports round the time left before each wait (see the module docs).
#[derive(Debug)]
pub(crate) struct SteadyTimeouts<C>(pub C);

impl<C: Connector<()>> Connector<()> for SteadyTimeouts<C> {
    type Out = SteadyTransport<C::Out>;

    fn connect(
        &self,
        details: &ConnectionDetails<'_>,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(self.0.connect(details, chained)?.map(SteadyTransport))
    }
}

/// A transport whose waits get the rounded time left.
#[derive(Debug)]
pub(crate) struct SteadyTransport<T>(T);

impl<T: Transport> Transport for SteadyTransport<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, steady(timeout))
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.maybe_await_input(steady(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(steady(timeout))
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

/// The time left rounded down to a multiple of [`STEP`], exact under [`EXACT_BELOW`].
fn steady(mut timeout: NextTimeout) -> NextTimeout {
    if let TimeLeft::Exact(left) = timeout.after {
        timeout.after = TimeLeft::Exact(round_down(left));
    }
    timeout
}

fn round_down(left: Duration) -> Duration {
    if left < EXACT_BELOW {
        return left;
    }
    let step = STEP.as_nanos();
    let rounded = left.as_nanos() / step * step;
    // At most `left` (u64 seconds), so it fits back.
    Duration::new(
        (rounded / 1_000_000_000) as u64,
        (rounded % 1_000_000_000) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_is_rounded_down_above_one_second() {
        let ms = Duration::from_millis;
        assert_eq!(round_down(ms(59_999)), ms(59_900));
        assert_eq!(round_down(ms(59_950)), ms(59_900));
        assert_eq!(round_down(ms(1_099)), ms(1_000));
        assert_eq!(round_down(ms(1_000)), ms(1_000));
        assert_eq!(round_down(ms(999)), ms(999), "exact in the last second");
        assert_eq!(round_down(Duration::from_micros(1)), Duration::from_micros(1));
        // Calls a few microseconds apart ask for the same socket timeout.
        let a = round_down(Duration::from_secs(60) - Duration::from_micros(37));
        let b = round_down(Duration::from_secs(60) - Duration::from_micros(81));
        assert_eq!(a, b);
        assert!(a <= Duration::from_secs(60) && a >= Duration::from_secs(60) - STEP);
        assert!(round_down(Duration::MAX) > Duration::MAX - STEP);
    }

    #[test]
    fn a_wait_that_never_ends_stays_so() {
        let timeout = NextTimeout {
            after: TimeLeft::NotHappening,
            ..NextTimeout::default()
        };
        assert_eq!(steady(timeout).after, TimeLeft::NotHappening);
    }
}
