//! What every call can return besides its value: status, headers, request id, rate limits, body.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// The header ImageKit uses to identify a request (quote it in support tickets).
pub const REQUEST_ID_HEADER: &str = "x-ik-requestid";
const LEGACY_REQUEST_ID_HEADER: &str = "x-request-id";
const RATE_LIMIT_LIMIT: &str = "x-ratelimit-limit";
const RATE_LIMIT_RESET: &str = "x-ratelimit-reset";
const RATE_LIMIT_INTERVAL: &str = "x-ratelimit-interval";

/// A call's typed value together with the metadata of the response that carried it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The typed value.
    pub data: T,
    /// Status, headers, request id, rate-limit information and the raw body.
    pub meta: ResponseMeta,
}

impl<T> ApiResponse<T> {
    /// The typed value, dropping the metadata.
    pub fn into_data(self) -> T {
        self.data
    }
}

/// Metadata of one HTTP response from ImageKit.
#[derive(Clone, Debug)]
pub struct ResponseMeta {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl ResponseMeta {
    /// Metadata of a response with this status, headers and body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Self { status, headers, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// All response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body, exactly as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// ImageKit's id for this request (`x-ik-requestId`), if the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        [REQUEST_ID_HEADER, LEGACY_REQUEST_ID_HEADER]
            .iter()
            .find_map(|name| self.headers.get(*name))
            .and_then(|value| value.to_str().ok())
    }

    /// The rate-limit headers, if the server sent any of them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }
}

/// ImageKit's rate-limit headers, sent with every API response and with each 429.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed per interval (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// How long to wait before the limit resets (`X-RateLimit-Reset`, sent in milliseconds).
    pub reset: Option<Duration>,
    /// The length of the rate-limit interval (`X-RateLimit-Interval`, sent in milliseconds).
    pub interval: Option<Duration>,
}

impl RateLimit {
    /// Reads the three headers; `None` when none of them is present and valid.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        let limit = number(RATE_LIMIT_LIMIT);
        let reset = number(RATE_LIMIT_RESET).map(Duration::from_millis);
        let interval = number(RATE_LIMIT_INTERVAL).map(Duration::from_millis);
        if limit.is_none() && reset.is_none() && interval.is_none() {
            None
        } else {
            Some(Self { limit, reset, interval })
        }
    }
}

/// The wait the server asked for, if any: `retry-after-ms`, `Retry-After` in seconds, or
/// ImageKit's `X-RateLimit-Reset` in milliseconds. (An HTTP-date `Retry-After` needs a clock
/// the core does not have; it falls back to the next header or the backoff.)
pub fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| -> Option<f64> {
        let value: f64 = headers.get(name)?.to_str().ok()?.trim().parse().ok()?;
        (value.is_finite() && value >= 0.0).then_some(value)
    };
    // Durations beyond a day are as good as "never" and would overflow nothing useful.
    let capped = |seconds: f64| Duration::from_secs_f64(seconds.min(86_400.0));
    number("retry-after-ms")
        .map(|ms| capped(ms / 1000.0))
        .or_else(|| number("retry-after").map(capped))
        .or_else(|| number("x-ratelimit-reset").map(|ms| capped(ms / 1000.0)))
}
