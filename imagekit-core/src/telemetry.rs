//! Logging through `tracing` when the `tracing` feature is on; nothing at all when it is off.
//!
//! At the official SDKs' levels, under the target `imagekit`:
//!
//! * a span `imagekit.call` per call: operation, attempt, status, request id;
//! * `debug`: each request (method, URL, headers with credentials redacted) and each answer
//!   (status, elapsed time, request id);
//! * `info`: each retry (reason, attempt, wait);
//! * `trace`: request and response bodies, cut to 2 KiB.
//!
//! Nothing secret is logged: the `Authorization` header is marked sensitive by the core and
//! shown as `<redacted>`, as is any other header a transport marks sensitive.

use std::time::Duration;

use crate::error::TransportError;
use crate::transport::{HttpRequest, HttpResponse};

/// How many bytes of a body a `trace` event shows at most.
#[cfg(feature = "tracing")]
pub(crate) const BODY_LOG_LIMIT: usize = 2048;

/// The span of one call: operation, attempt, status and request id, never anything secret.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    pub(crate) fn new(operation: &'static str) -> Self {
        let _ = operation;
        Self {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                target: "imagekit",
                "imagekit.call",
                operation,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            ),
        }
    }

    /// Notes that attempt `number` (1 for the first) starts.
    pub(crate) fn attempt(&self, number: u32) {
        let _ = number;
        #[cfg(feature = "tracing")]
        if !self.span.is_disabled() {
            self.span.record("attempt", number);
        }
    }

    /// Notes an attempt's answer.
    pub(crate) fn answered(&self, response: &HttpResponse) {
        let _ = response;
        // A disabled span (no subscriber wants it) records nothing: skip the header lookup.
        #[cfg(feature = "tracing")]
        if !self.span.is_disabled() {
            self.span.record("status", response.status().as_u16());
            if let Some(id) = request_id(response) {
                self.span.record("request_id", id);
            }
        }
    }

    /// Enters the span for as long as the guard lives (one poll of the call's future).
    #[cfg(feature = "tracing")]
    pub(crate) fn enter(&self) -> tracing::span::Entered<'_> {
        self.span.enter()
    }

    /// Nothing to enter without the `tracing` feature.
    #[cfg(not(feature = "tracing"))]
    pub(crate) fn enter(&self) -> NotEntered {
        NotEntered
    }
}

/// What entering a span gives without the `tracing` feature: nothing to leave.
#[cfg(not(feature = "tracing"))]
pub(crate) struct NotEntered;

/// When an attempt was sent, to log how long its answer took (where the target has a clock).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Started {
    #[cfg(all(feature = "tracing", not(all(target_arch = "wasm32", target_os = "unknown"))))]
    at: Option<std::time::Instant>,
}

/// Logs a request about to be sent.
pub(crate) fn request(operation: &'static str, request: &HttpRequest) -> Started {
    let _ = (operation, request);
    #[cfg(feature = "tracing")]
    {
        if tracing::enabled!(target: "imagekit", tracing::Level::DEBUG) {
            tracing::debug!(
                target: "imagekit",
                operation,
                method = %request.method(),
                url = %request.uri(),
                headers = %Headers(request.headers()),
                "request"
            );
        }
        if tracing::enabled!(target: "imagekit", tracing::Level::TRACE) {
            match request.body().as_bytes() {
                Some(body) => {
                    tracing::trace!(target: "imagekit", operation, body = %Body(body), "request body")
                }
                None => {
                    tracing::trace!(target: "imagekit", operation, length = request.body().length(), "request body streamed")
                }
            }
        }
    }
    Started {
        #[cfg(all(feature = "tracing", not(all(target_arch = "wasm32", target_os = "unknown"))))]
        at: tracing::enabled!(target: "imagekit", tracing::Level::DEBUG).then(std::time::Instant::now),
    }
}

/// Logs an attempt's answer.
pub(crate) fn answered(operation: &'static str, response: &HttpResponse, started: Started) {
    let _ = (operation, response, started);
    #[cfg(feature = "tracing")]
    {
        if tracing::enabled!(target: "imagekit", tracing::Level::DEBUG) {
            #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
            let elapsed_ms = started.at.map(|at| at.elapsed().as_secs_f64() * 1000.0);
            #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
            let elapsed_ms: Option<f64> = None;
            tracing::debug!(
                target: "imagekit",
                operation,
                status = response.status().as_u16(),
                elapsed_ms,
                request_id = request_id(response),
                "answer"
            );
        }
        if tracing::enabled!(target: "imagekit", tracing::Level::TRACE) {
            tracing::trace!(target: "imagekit", operation, body = %Body(response.body()), "answer body");
        }
    }
}

/// Logs that an attempt is retried after `wait`.
pub(crate) fn retrying(
    operation: &'static str,
    next_attempt: u32,
    outcome: &Result<HttpResponse, TransportError>,
    wait: Duration,
) {
    let _ = (operation, next_attempt, outcome, wait);
    #[cfg(feature = "tracing")]
    if tracing::enabled!(target: "imagekit", tracing::Level::INFO) {
        let reason = match outcome {
            Ok(response) => format!("answered {}", response.status()),
            Err(error) => crate::error::Report::new(error).to_string(),
        };
        tracing::info!(
            target: "imagekit",
            operation,
            reason = %reason,
            attempt = next_attempt + 1,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
    }
}

/// Warns that a base URL sends the private key in cleartext, as allowed.
pub(crate) fn insecure_http(url: &str) {
    let _ = url;
    #[cfg(feature = "tracing")]
    tracing::warn!(
        target: "imagekit",
        url,
        "cleartext http:// to a host that is not loopback is allowed (allow_insecure_http or \
         IMAGEKIT_ALLOW_INSECURE_HTTP): the private key travels unencrypted"
    );
}

#[cfg(feature = "tracing")]
fn request_id(response: &HttpResponse) -> Option<&str> {
    let headers = response.headers();
    headers
        .get(crate::response::REQUEST_ID_HEADER)
        .or_else(|| headers.get("x-request-id"))
        .and_then(|v| v.to_str().ok())
}

/// Headers as `name: value; ...`, sensitive values (credentials) redacted.
#[cfg(feature = "tracing")]
struct Headers<'a>(&'a http::HeaderMap);

#[cfg(feature = "tracing")]
impl std::fmt::Display for Headers<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            if value.is_sensitive()
                || name == http::header::AUTHORIZATION
                || name == http::header::PROXY_AUTHORIZATION
            {
                write!(f, "{name}: <redacted>")?;
            } else {
                write!(f, "{name}: {}", crate::error::Excerpt(&String::from_utf8_lossy(value.as_bytes())))?;
            }
        }
        Ok(())
    }
}

/// The JSON fields whose values are secrets, in requests or answers: an origin's keys and
/// passwords, a webhook's signing secret.
#[cfg(feature = "tracing")]
const SECRET_FIELDS: [&str; 5] = ["secret", "secretKey", "privateKey", "clientSecret", "password"];

/// `body` with the value of every [`SECRET_FIELDS`] field replaced by `"<redacted>"`, at any
/// depth; `None` when it is not JSON or holds none of them (then it is shown as it is).
#[cfg(feature = "tracing")]
fn redact_secrets(body: &[u8]) -> Option<Vec<u8>> {
    fn redact(value: &mut serde_json::Value) -> bool {
        match value {
            serde_json::Value::Object(fields) => fields.iter_mut().fold(false, |found, (name, value)| {
                if SECRET_FIELDS.contains(&name.as_str()) && !value.is_null() {
                    *value = serde_json::Value::String("<redacted>".to_owned());
                    true
                } else {
                    redact(value) | found
                }
            }),
            serde_json::Value::Array(items) => {
                items.iter_mut().fold(false, |found, item| redact(item) | found)
            }
            _ => false,
        }
    }
    // Parsed only when a name is there: most bodies are left as they are, unparsed.
    let named = |name: &str| body.windows(name.len() + 2).any(|w| &w[1..=name.len()] == name.as_bytes());
    if !SECRET_FIELDS.iter().any(|name| named(name)) {
        return None;
    }
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    redact(&mut value).then(|| value.to_string().into_bytes())
}

/// A body as text, cut to [`BODY_LOG_LIMIT`] bytes, control characters escaped, secrets in
/// JSON fields redacted ([`SECRET_FIELDS`]).
#[cfg(feature = "tracing")]
struct Body<'a>(&'a [u8]);

#[cfg(feature = "tracing")]
impl std::fmt::Display for Body<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = redact_secrets(self.0);
        let body = redacted.as_deref().unwrap_or(self.0);
        let cut = &body[..body.len().min(BODY_LOG_LIMIT)];
        let text = String::from_utf8_lossy(cut);
        for c in text.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                std::fmt::Write::write_char(f, c)?;
            }
        }
        if body.len() > BODY_LOG_LIMIT {
            write!(f, "… ({} bytes in all)", body.len())?;
        }
        Ok(())
    }
}
