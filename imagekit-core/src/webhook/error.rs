//! Why a webhook was refused.

/// Why a webhook was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is absent.
    #[error("missing webhook header `{name}`: pass the request's headers unchanged")]
    MissingHeader {
        /// The header name.
        name: &'static str,
    },
    /// A header is present but malformed.
    #[error("malformed webhook header `{name}`: {reason}")]
    InvalidHeader {
        /// The header name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The timestamp is too far from now: a replay, or a badly wrong clock.
    #[error(
        "webhook timestamp {timestamp} is more than {tolerance_secs} s away from now ({now}); \
         refuse the request, or check the server clock"
    )]
    TimestampOutOfTolerance {
        /// The webhook's timestamp, Unix seconds.
        timestamp: u64,
        /// The time it was checked against, Unix seconds.
        now: u64,
        /// The allowed distance in seconds.
        tolerance_secs: u64,
    },
    /// No signature matched: wrong secret, or a body changed in transit (verify the raw bytes,
    /// not re-serialized JSON).
    #[error("webhook signature does not match: check the webhook secret and verify the raw request body")]
    SignatureMismatch,
    /// The secret is empty.
    #[error("the webhook secret is empty: use the secret shown in the ImageKit dashboard")]
    EmptySecret,
    /// `webhooks().unwrap(..)` was called on a client configured without a webhook secret.
    #[error(
        "no webhook secret is configured: set IMAGEKIT_WEBHOOK_SECRET or give one to the builder's webhook_secret"
    )]
    NoSecret,
    /// No clock on this target.
    #[error("no system clock on this target: call WebhookVerifier::now_unix with the current Unix time")]
    ClockUnavailable,
    /// The signature is valid but the body is not an ImageKit event.
    #[error("webhook body is not a valid ImageKit event: {reason}")]
    InvalidPayload {
        /// What is wrong.
        reason: String,
    },
}
