//! The one error type of the crate, with variants that tell a caller what to do.
//!
//! Each error's `Display` says only its own part; what caused it comes through
//! [`std::error::Error::source`], so a reporter that walks the chain prints every cause once.
//! [`Error::report`] is such a reporter.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use crate::response::{RateLimit, ResponseMeta};

/// How many bytes of text from the server an error message quotes at most.
pub const EXCERPT_LEN: usize = 512;

/// The boxed error a transport may attach as the cause of a [`TransportError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong in a call.
///
/// * [`Error::InvalidInput`]: caught before anything was sent; fix the argument it names.
/// * [`Error::Transport`]: the exchange failed; the request may or may not have reached ImageKit.
/// * [`Error::Api`]: ImageKit answered with an error status; see [`ApiError`].
/// * [`Error::Decode`]: ImageKit answered with success, but not with what the API promises.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument was rejected before anything was sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// The request could not be exchanged with the server.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// ImageKit answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// A success answer whose body does not match the API's promise.
    #[error(transparent)]
    Decode(Box<DecodeError>),
}

impl Error {
    /// An invalid-input error for the named parameter.
    pub fn invalid_input(parameter: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        Self::InvalidInput(InvalidInput { parameter: parameter.into(), reason: reason.into() })
    }

    /// The HTTP status of the answer, for API and decode errors.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status()),
            Self::Decode(e) => Some(e.status()),
            _ => None,
        }
    }

    /// ImageKit's request id of the answer, for API and decode errors.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id(),
            Self::Decode(e) => e.meta.request_id(),
            _ => None,
        }
    }

    /// A 404: what was asked for does not exist (or an earlier attempt of this call may have
    /// deleted it: see [`ApiError::earlier_attempt_may_have_succeeded`]).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// A 409: the operation conflicts with what exists (e.g. a file of that name).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(StatusCode::CONFLICT)
    }

    /// A 401: no or malformed credentials.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// A 403: the key is not allowed to do this (or is not a valid key).
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// A 429: the account's rate limit was reached; see [`Error::retry_after`].
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// A 5xx: ImageKit failed.
    pub fn is_server_error(&self) -> bool {
        self.status().is_some_and(|s| s.is_server_error())
    }

    /// The call ran out of time: an attempt's timeout, the call's deadline, or a connect timeout.
    pub fn is_timeout(&self) -> bool {
        self.as_transport().is_some_and(TransportError::is_timeout)
    }

    /// No connection could be made, so nothing reached ImageKit.
    pub fn is_connect(&self) -> bool {
        self.as_transport().is_some_and(TransportError::is_connect)
    }

    /// How long the server asked to wait before trying again, as the retry loop reads it
    /// (`retry-after-ms`, `Retry-After` in seconds, or ImageKit's `X-RateLimit-Reset`), for
    /// API errors that carry one.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        crate::response::server_wait(self.as_api()?.headers())
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The rejected argument, if the call was refused before anything was sent.
    pub fn as_invalid_input(&self) -> Option<&InvalidInput> {
        match self {
            Self::InvalidInput(e) => Some(e),
            _ => None,
        }
    }

    /// The transport error, if this is one.
    pub fn as_transport(&self) -> Option<&TransportError> {
        match self {
            Self::Transport(e) => Some(e),
            _ => None,
        }
    }

    /// The error and every cause behind it on one line, each once: `a: b: c`. For logs and
    /// command-line tools, which otherwise print only the first part with `{}`.
    ///
    /// ```
    /// let error = imagekit_core::Error::invalid_input("fileId", "must not be empty");
    /// assert_eq!(error.report().to_string(), "invalid `fileId`: must not be empty");
    /// ```
    pub fn report(&self) -> Report<'_> {
        Report(self)
    }
}

/// An error with its chain of causes: see [`Error::report`].
#[derive(Debug)]
pub struct Report<'a>(&'a (dyn std::error::Error + 'static));

impl<'a> Report<'a> {
    /// A report of any error and its causes.
    pub fn new(error: &'a (dyn std::error::Error + 'static)) -> Self {
        Self(error)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

/// An argument that was rejected before anything was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{parameter}`: {reason}")]
pub struct InvalidInput {
    parameter: Cow<'static, str>,
    reason: String,
}

impl InvalidInput {
    /// The parameter or setting that was rejected, e.g. `fileId`.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// Why it was rejected.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// What went wrong in a transport, coarse enough for the core to decide what to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, no route): nothing reached the server.
    Connect,
    /// The server's identity could not be verified (TLS certificate untrusted, expired, or for
    /// another host): nothing was sent, and trying again cannot help.
    Tls,
    /// The attempt ran out of time; the server may or may not have acted on it.
    Timeout,
    /// The connection failed while the request or response was in flight.
    Io,
    /// The transport could not represent the request it was given.
    InvalidRequest,
    /// The response was larger than the transport was willing to read.
    BodyTooLarge,
    /// The source of a streamed request body failed while it was read (e.g. a file being
    /// uploaded became unreadable, or changed length): part of the request may have been sent.
    BodySource,
    /// The proxy refused or failed the connection; nothing reached the server. A proxy that
    /// asks for credentials (407) is one; a proxy that cannot be reached at all is
    /// [`TransportErrorKind::Connect`]. Not retried: a proxy's refusal is its configuration
    /// (credentials, allowed destinations), which trying again does not change.
    Proxy,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "could not connect",
            Self::Tls => "could not verify the server's TLS certificate",
            Self::Timeout => "timed out",
            Self::Io => "connection failed mid-request",
            Self::InvalidRequest => "the transport rejected the request",
            Self::BodyTooLarge => "the response body was too large",
            Self::BodySource => "the request body's source failed",
            Self::Proxy => "the proxy refused the connection",
            Self::Other => "transport failure",
        }
    }
}

/// A failure to exchange bytes with the server: the request may or may not have reached it.
///
/// `Display` says what kind of failure it was (and the transport's message, if it gave one);
/// the underlying error is its [`source`](std::error::Error::source).
pub struct TransportError {
    kind: TransportErrorKind,
    message: Option<Cow<'static, str>>,
    source: Option<BoxError>,
}

impl TransportError {
    /// A failure of the given kind caused by `source`.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        Self { kind, message: None, source: Some(source.into()) }
    }

    /// A failure of the given kind described by a message alone.
    pub fn with_message(kind: TransportErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self { kind, message: Some(message.into()), source: None }
    }

    /// No connection could be made.
    pub fn connect(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Connect, source)
    }

    /// The attempt ran out of time.
    pub fn timeout(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Timeout, source)
    }

    /// The connection failed while the exchange was in flight.
    pub fn io(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Io, source)
    }

    /// Any other failure.
    pub fn other(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Other, source)
    }

    /// This error with `message` shown after its kind, its source kept: for a cause worth
    /// keeping (to downcast, or for [`Error::report`]) that is too technical to be all a reader
    /// sees, e.g. `TransportError::new(TransportErrorKind::Tls, rustls_error)
    /// .described("the certificate has expired")`.
    pub fn described(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The transport's own message, when it gave one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// No connection was made, so nothing was sent: safe to retry for any request.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// The attempt ran out of time, including a connect attempt that timed out.
    pub fn is_timeout(&self) -> bool {
        if self.kind == TransportErrorKind::Timeout {
            return true;
        }
        // A connect timeout is classed as Connect (nothing was sent) but is still a timeout.
        let mut cause: Option<&(dyn std::error::Error + 'static)> =
            self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(err) = cause {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::TimedOut {
                    return true;
                }
            }
            cause = err.source();
        }
        false
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.describe())?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An error status from ImageKit, with everything it said.
///
/// `Display` quotes the server's text cut to [`EXCERPT_LEN`] bytes with control characters
/// escaped, so a hostile or broken answer cannot flood or forge log lines; the raw body stays
/// in [`ApiError::body`].
#[derive(Clone)]
pub struct ApiError {
    message: Option<String>,
    help: Option<String>,
    extra: Map<String, Value>,
    meta: ResponseMeta,
    earlier_attempt: bool,
}

impl ApiError {
    /// Reads an error answer. A body that is not a JSON object is kept raw and not interpreted,
    /// and so is one too dense to decode in bounded memory.
    pub fn from_response(meta: ResponseMeta) -> Self {
        let decoded = match crate::budget::refusal(meta.body()) {
            None => serde_json::from_slice::<Value>(meta.body()).ok(),
            Some(_) => None,
        };
        let mut extra = match decoded {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let mut take_string = |key: &str| match extra.remove(key) {
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                // Not the documented shape: keep it where a caller can still see it.
                extra.insert(key.to_owned(), other);
                None
            }
            None => None,
        };
        let message = take_string("message");
        let help = take_string("help");
        Self { message, help, extra, meta, earlier_attempt: false }
    }

    /// Whether an earlier attempt of this call may already have done what was asked: this is a
    /// 404 to a retried deletion whose previous attempt's answer was lost (a timeout, a dropped
    /// connection, a 5xx). The thing may well be gone because that attempt deleted it.
    pub fn earlier_attempt_may_have_succeeded(&self) -> bool {
        self.earlier_attempt
    }

    pub(crate) fn mark_earlier_attempt(&mut self) {
        self.earlier_attempt = true;
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status()
    }

    /// ImageKit's `message`, when the body carried one, exactly as sent.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// ImageKit's `help`, when the body carried one, exactly as sent.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// Other fields of the error body, such as `reason`, `missingFileIds` or `errors`.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }

    /// The `reason` field some operations add (copy, move, rename, folders).
    pub fn reason(&self) -> Option<&str> {
        self.extra.get("reason").and_then(Value::as_str)
    }

    /// The ids a bulk operation could not find (`missingFileIds`).
    pub fn missing_file_ids(&self) -> Vec<&str> {
        self.extra
            .get("missingFileIds")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Per-field validation errors some operations add (`errors`, e.g. on a file update).
    pub fn errors(&self) -> Option<&Value> {
        self.extra.get("errors")
    }

    /// ImageKit's request id (`x-ik-requestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// The rate-limit headers of the answer.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.meta.rate_limit()
    }

    /// Whether this is a 429: the account's rate limit for this endpoint was reached.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == StatusCode::TOO_MANY_REQUESTS
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.meta.headers()
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        self.meta.body()
    }

    /// All response metadata.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status())
            .field("message", &self.message.as_deref().map(Excerpt))
            .field("help", &self.help.as_deref().map(Excerpt))
            .field("request_id", &self.request_id())
            .field("rate_limit", &self.rate_limit())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ImageKit answered {}", self.status())?;
        match &self.message {
            Some(message) => write!(f, ": {}", Excerpt(message))?,
            None if !self.body().is_empty() => {
                write!(f, ": {}", Excerpt(&String::from_utf8_lossy(self.body())))?
            }
            None => {}
        }
        if let Some(reason) = self.reason() {
            write!(f, " (reason: {})", Excerpt(reason))?;
        }
        if let Some(reset) = self.rate_limit().and_then(|r| r.reset) {
            if self.is_rate_limited() {
                write!(f, " (rate limit resets in {} ms)", reset.as_millis())?;
            }
        }
        if self.earlier_attempt {
            f.write_str(" (an earlier attempt, whose answer was lost, may have done it)")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " [request id {}]", Excerpt(id))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A success answer whose body could not be read as the promised type.
pub struct DecodeError {
    path: String,
    source: serde_json::Error,
    meta: ResponseMeta,
}

impl DecodeError {
    pub(crate) fn new(path: String, source: serde_json::Error, meta: ResponseMeta) -> Self {
        Self { path, source, meta }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.meta.status()
    }

    /// Where in the body decoding failed, as a serde path such as `versionInfo.id` (`.` is the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The start of the body, lossily as text and with control characters escaped, for
    /// messages and logs.
    pub fn body_excerpt(&self) -> String {
        Excerpt(&String::from_utf8_lossy(self.meta.body())).to_string()
    }

    /// The JSON error.
    pub fn json_error(&self) -> &serde_json::Error {
        &self.source
    }

    /// All response metadata, including the whole raw body.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status())
            .field("path", &self.path)
            .field("source", &self.source)
            .field("body_excerpt", &self.body_excerpt())
            .field("request_id", &self.meta.request_id())
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the {} answer at `{}`; the body starts with \"{}\"",
            self.status(),
            self.path,
            self.body_excerpt()
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Text from the server as an error message shows it: at most [`EXCERPT_LEN`] bytes, cut on a
/// character boundary (`…` marks the cut), with control characters escaped as `\n`, `\u{1b}`,
/// and bidirectional controls (`\u{202e}`) too, so server text cannot reorder a terminal line.
pub(crate) struct Excerpt<'a>(pub(crate) &'a str);

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut end = text.len().min(EXCERPT_LEN);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        for c in text[..end].chars() {
            let bidi = matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        if end < text.len() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_cut_and_escaped() {
        assert_eq!(Excerpt("plain").to_string(), "plain");
        assert_eq!(Excerpt("a\nb\u{1b}[31mc\r").to_string(), "a\\nb\\u{1b}[31mc\\r");
        assert_eq!(Excerpt("x\u{202e}gpj.exe\u{9b}").to_string(), "x\\u{202e}gpj.exe\\u{9b}");
        let long = "é".repeat(EXCERPT_LEN);
        let shown = Excerpt(&long).to_string();
        assert!(shown.ends_with('…'));
        assert!(shown.len() <= EXCERPT_LEN + '…'.len_utf8());
    }
}
