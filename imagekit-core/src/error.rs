//! The one error type of the crate, with variants that tell a caller what to do.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use crate::response::{RateLimit, ResponseMeta};
use crate::transport::TransportError;

/// How many bytes of a body an error message quotes at most.
const EXCERPT_LEN: usize = 512;

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
    #[error("transport error: {0}")]
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

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
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

/// An error status from ImageKit, with everything it said.
#[derive(Clone)]
pub struct ApiError {
    message: Option<String>,
    help: Option<String>,
    extra: Map<String, Value>,
    meta: ResponseMeta,
}

impl ApiError {
    /// Reads an error answer. A body that is not a JSON object is kept raw and not interpreted.
    pub fn from_response(meta: ResponseMeta) -> Self {
        let mut extra = match serde_json::from_slice::<Value>(meta.body()) {
            Ok(Value::Object(map)) => map,
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
        Self { message, help, extra, meta }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status()
    }

    /// ImageKit's `message`, when the body carried one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// ImageKit's `help`, when the body carried one.
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
            .field("message", &self.message)
            .field("help", &self.help)
            .field("extra", &self.extra)
            .field("request_id", &self.request_id())
            .field("rate_limit", &self.rate_limit())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ImageKit answered {}", self.status())?;
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None if !self.body().is_empty() => write!(f, ": {}", excerpt(self.body()))?,
            None => {}
        }
        if let Some(reason) = self.reason() {
            write!(f, " (reason: {reason})")?;
        }
        if let Some(reset) = self.rate_limit().and_then(|r| r.reset) {
            if self.is_rate_limited() {
                write!(f, " (rate limit resets in {} ms)", reset.as_millis())?;
            }
        }
        if let Some(id) = self.request_id() {
            write!(f, " [request id {id}]")?;
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

    /// The start of the body, lossily as text, for messages and logs.
    pub fn body_excerpt(&self) -> String {
        excerpt(self.meta.body())
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
            "could not decode the {} answer at `{}`: {}; body starts with: {:?}",
            self.status(),
            self.path,
            self.source,
            self.body_excerpt()
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The first bytes of a body as text, cut on a character boundary.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LEN)]);
    let mut text = text.into_owned();
    if body.len() > EXCERPT_LEN {
        text.push('…');
    }
    text
}
