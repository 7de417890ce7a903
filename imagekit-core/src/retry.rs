//! When to try a call again, and how long to wait first.
//!
//! The decision is a pure function of (attempt, operation, outcome): [`RetryPolicy::decide`].
//! Waiting is done through the client's [`crate::Sleep`] (the async client) or the thread's
//! sleep (the blocking client).
//!
//! The rules, which differ from the official SDKs on purpose:
//!
//! * A connection that could not be made (nothing was sent) is retried for every operation.
//! * 429 is retried for every operation (a rate-limited request was not processed), after the
//!   server's own wait: `retry-after-ms`, `Retry-After` (seconds), or ImageKit's
//!   `X-RateLimit-Reset` (milliseconds). A wait longer than [`RetryPolicy::max_rate_limit_wait`]
//!   is not slept: the rate-limit error returns at once, with the reset time in it.
//! * 408, 500, 502, 503 and 504, timeouts and connections lost mid-exchange are retried only
//!   for operations that are safe to repeat (GET, PUT, DELETE and idempotent POSTs): a repeated
//!   create or upload could act twice.
//! * Nothing else is retried: not 409 (the name exists; trying again cannot help), not 423,
//!   not any other 4xx, not a body too large, not a success that failed to decode.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::error::{TransportError, TransportErrorKind};
pub use crate::response::server_wait;

/// How a client retries. The default retries twice, backing off from 0.5 s, doubling, to at
/// most 8 s, with jitter, and waits at most 30 s for a rate limit to reset.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times a call may be repeated after its first attempt.
    pub max_retries: u32,
    /// The wait before the first retry when the server names none.
    pub initial_backoff: Duration,
    /// The longest wait between attempts when the server names none.
    pub max_backoff: Duration,
    /// The longest wait a 429 may ask for; a longer one is returned to the caller instead.
    pub max_rate_limit_wait: Duration,
    /// Whether backoff waits are shortened by a random part of up to a quarter, so many
    /// clients failing together do not retry together.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_rate_limit_wait: Duration::from_secs(30),
            jitter: true,
        }
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Attempt<'a> {
    /// The server answered with this status and headers.
    Answered(StatusCode, &'a HeaderMap),
    /// The exchange failed.
    Failed(&'a TransportError),
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryDecision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Return this attempt's outcome to the caller.
    Stop,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// The same policy with another retry count.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The same policy with other backoff bounds.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// The same policy with another cap on rate-limit waits.
    pub fn with_max_rate_limit_wait(mut self, max: Duration) -> Self {
        self.max_rate_limit_wait = max;
        self
    }

    /// The same policy with jitter on or off.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Decides whether to retry after `retries_done` retries (0 after the first attempt) of an
    /// operation (`idempotent`: safe to repeat) that came to `attempt`. `random` in `[0, 1)`
    /// drives the jitter, so the function stays pure.
    pub fn decide(
        &self,
        retries_done: u32,
        idempotent: bool,
        attempt: Attempt<'_>,
        random: f64,
    ) -> RetryDecision {
        if retries_done >= self.max_retries {
            return RetryDecision::Stop;
        }
        let backoff = self.backoff(retries_done, random);
        match attempt {
            Attempt::Failed(error) => match error.kind() {
                TransportErrorKind::Connect => RetryDecision::RetryAfter(backoff),
                TransportErrorKind::Timeout | TransportErrorKind::Io if idempotent => {
                    RetryDecision::RetryAfter(backoff)
                }
                // Nothing was sent, but the same certificate or the same proxy answers again.
                TransportErrorKind::Tls | TransportErrorKind::Proxy => RetryDecision::Stop,
                _ => RetryDecision::Stop,
            },
            Attempt::Answered(StatusCode::TOO_MANY_REQUESTS, headers) => match server_wait(headers) {
                Some(wait) if wait > self.max_rate_limit_wait => RetryDecision::Stop,
                Some(wait) => RetryDecision::RetryAfter(wait),
                None => RetryDecision::RetryAfter(backoff),
            },
            Attempt::Answered(status, headers) if idempotent && is_transient(status) => {
                match server_wait(headers) {
                    Some(wait) if wait <= self.max_rate_limit_wait => RetryDecision::RetryAfter(wait),
                    _ => RetryDecision::RetryAfter(backoff),
                }
            }
            Attempt::Answered(..) => RetryDecision::Stop,
        }
    }

    /// `initial * 2^retries`, capped, less up to a quarter of jitter.
    fn backoff(&self, retries_done: u32, random: f64) -> Duration {
        let factor = 2u32.saturating_pow(retries_done.min(30));
        let wait = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        if self.jitter { wait.mul_f64(1.0 - random.clamp(0.0, 1.0) * 0.25) } else { wait }
    }
}

fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 500 | 502 | 503 | 504)
}

/// A number in `[0, 1)` for jitter. Not for anything secret: splitmix64 over a counter seeded
/// from an address (randomised per process by ASLR), since the core has no clock or RNG.
pub(crate) fn jitter_random() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = &STATE as *const AtomicU64 as u64;
    let mut z = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed).wrapping_add(seed);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
    }

    fn answered(
        policy: &RetryPolicy,
        retries: u32,
        idempotent: bool,
        status: u16,
        h: &HeaderMap,
    ) -> RetryDecision {
        policy.decide(retries, idempotent, Attempt::Answered(StatusCode::from_u16(status).unwrap(), h), 0.0)
    }

    fn failed(policy: &RetryPolicy, idempotent: bool, kind: TransportErrorKind) -> RetryDecision {
        let error = TransportError::with_message(kind, "x");
        policy.decide(0, idempotent, Attempt::Failed(&error), 0.0)
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn connect_failures_are_retried_for_every_operation() {
        let policy = RetryPolicy::default();
        for idempotent in [true, false] {
            assert_eq!(
                failed(&policy, idempotent, TransportErrorKind::Connect),
                RetryDecision::RetryAfter(SECOND / 2)
            );
        }
    }

    #[test]
    fn timeouts_and_lost_connections_only_for_safe_operations() {
        let policy = RetryPolicy::default();
        for kind in [TransportErrorKind::Timeout, TransportErrorKind::Io] {
            assert_eq!(failed(&policy, true, kind), RetryDecision::RetryAfter(SECOND / 2));
            assert_eq!(failed(&policy, false, kind), RetryDecision::Stop);
        }
        for kind in
            [TransportErrorKind::Other, TransportErrorKind::BodyTooLarge, TransportErrorKind::InvalidRequest]
        {
            assert_eq!(failed(&policy, true, kind), RetryDecision::Stop);
        }
    }

    #[test]
    fn certificate_and_proxy_refusals_are_never_retried() {
        let policy = RetryPolicy::default();
        for kind in [TransportErrorKind::Tls, TransportErrorKind::Proxy] {
            for idempotent in [true, false] {
                assert_eq!(failed(&policy, idempotent, kind), RetryDecision::Stop, "{kind:?}");
            }
        }
    }

    #[test]
    fn transient_statuses_only_for_safe_operations() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        for status in [408, 500, 502, 503, 504] {
            assert_eq!(answered(&policy, 0, true, status, &none), RetryDecision::RetryAfter(SECOND / 2));
            assert_eq!(answered(&policy, 0, false, status, &none), RetryDecision::Stop);
        }
        for status in [200, 201, 204, 207, 400, 401, 403, 404, 409, 422, 423, 501, 505] {
            assert_eq!(answered(&policy, 0, true, status, &none), RetryDecision::Stop, "{status}");
        }
    }

    #[test]
    fn rate_limits_wait_for_the_server_named_time_for_every_operation() {
        let policy = RetryPolicy::default();
        let reset = headers(&[("x-ratelimit-reset", "1200")]);
        for idempotent in [true, false] {
            assert_eq!(
                answered(&policy, 0, idempotent, 429, &reset),
                RetryDecision::RetryAfter(Duration::from_millis(1200))
            );
        }
        let ms = headers(&[("retry-after-ms", "250"), ("retry-after", "9"), ("x-ratelimit-reset", "1")]);
        assert_eq!(
            answered(&policy, 0, true, 429, &ms),
            RetryDecision::RetryAfter(Duration::from_millis(250))
        );
        let secs = headers(&[("retry-after", "2"), ("x-ratelimit-reset", "1")]);
        assert_eq!(answered(&policy, 0, true, 429, &secs), RetryDecision::RetryAfter(2 * SECOND));
        assert_eq!(answered(&policy, 0, true, 429, &HeaderMap::new()), RetryDecision::RetryAfter(SECOND / 2));
    }

    #[test]
    fn a_rate_limit_wait_beyond_the_cap_returns_at_once() {
        let policy = RetryPolicy::default();
        let long = headers(&[("x-ratelimit-reset", "900000")]);
        assert_eq!(answered(&policy, 0, true, 429, &long), RetryDecision::Stop);
        let huge = headers(&[("retry-after", "1e300")]);
        assert_eq!(answered(&policy, 0, true, 429, &huge), RetryDecision::Stop);
        let policy = policy.with_max_rate_limit_wait(Duration::from_secs(1000));
        assert_eq!(
            answered(&policy, 0, true, 429, &long),
            RetryDecision::RetryAfter(Duration::from_secs(900))
        );
    }

    #[test]
    fn unreadable_wait_headers_fall_back_to_backoff() {
        let policy = RetryPolicy::default();
        for value in ["-1", "soon", "NaN", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            let h = headers(&[("retry-after", value)]);
            assert_eq!(answered(&policy, 0, true, 429, &h), RetryDecision::RetryAfter(SECOND / 2), "{value}");
        }
    }

    #[test]
    fn backoff_doubles_to_the_cap_and_stops_after_max_retries() {
        let policy = RetryPolicy::default().with_max_retries(10).with_jitter(false);
        let none = HeaderMap::new();
        let waits: Vec<_> = (0..6).map(|n| answered(&policy, n, true, 503, &none)).collect();
        let expected: Vec<_> = [500, 1000, 2000, 4000, 8000, 8000]
            .iter()
            .map(|ms| RetryDecision::RetryAfter(Duration::from_millis(*ms)))
            .collect();
        assert_eq!(waits, expected);
        assert_eq!(answered(&policy, 10, true, 503, &none), RetryDecision::Stop);
        assert_eq!(answered(&RetryPolicy::default(), 2, true, 503, &none), RetryDecision::Stop);
        assert_eq!(answered(&RetryPolicy::none(), 0, true, 503, &none), RetryDecision::Stop);
    }

    #[test]
    fn jitter_shortens_by_at_most_a_quarter() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        let status = StatusCode::SERVICE_UNAVAILABLE;
        let at = |r| policy.decide(1, true, Attempt::Answered(status, &none), r);
        assert_eq!(at(0.0), RetryDecision::RetryAfter(SECOND));
        assert_eq!(at(0.999_999), RetryDecision::RetryAfter(SECOND.mul_f64(1.0 - 0.999_999 * 0.25)));
        for _ in 0..1000 {
            let r = jitter_random();
            assert!((0.0..1.0).contains(&r));
        }
    }
}
