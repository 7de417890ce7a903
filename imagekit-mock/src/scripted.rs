//! A scripted, recording transport.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use imagekit_core::transport::{
    BlockingTransport, HttpRequest, HttpResponse, HttpTransport, RequestOptions, TransportError,
    TransportErrorKind,
};

/// A transport that answers from a script and records every request.
///
/// Answers are consumed in order. An answer added with [`ScriptedTransport::expect`] only
/// answers a request with that method and path (the encoded path, without the query); the
/// first answer that fits a request is used. A request nothing fits gets a transport error that
/// names it, so the code under test sees a failure instead of a panic inside the library.
///
/// Clones share the script and the record: keep one handle in the test, give one to the client.
#[derive(Clone, Default)]
pub struct ScriptedTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    script: VecDeque<Step>,
    recorded: Vec<RecordedRequest>,
}

struct Step {
    matcher: Option<(Method, String)>,
    reply: Reply,
}

enum Reply {
    Response(HttpResponse),
    Error(TransportError),
}

impl Step {
    fn fits(&self, method: &Method, path: &str) -> bool {
        self.matcher.as_ref().is_none_or(|(m, p)| m == method && p == path)
    }

    fn describe(&self) -> String {
        let what = match &self.reply {
            Reply::Response(r) => format!("answer {}", r.status()),
            Reply::Error(e) => format!("error ({e})"),
        };
        match &self.matcher {
            Some((m, p)) => format!("{what} for {m} {p}"),
            None => format!("{what} for any request"),
        }
    }
}

impl ScriptedTransport {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock must not hide the original failure.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn push(&self, matcher: Option<(Method, String)>, reply: Reply) -> &Self {
        self.state().script.push_back(Step { matcher, reply });
        self
    }

    /// Queues an answer for the next request, whatever it is.
    pub fn push_response(&self, response: HttpResponse) -> &Self {
        self.push(None, Reply::Response(response))
    }

    /// Queues a JSON answer with this status for the next request.
    pub fn push_json(&self, status: u16, body: serde_json::Value) -> &Self {
        self.push_response(crate::fixtures::json(status, &body))
    }

    /// Queues a transport failure for the next request.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.push(None, Reply::Error(error))
    }

    /// Starts an answer that only fits a request with this method and encoded path.
    pub fn expect(&self, method: Method, path: &str) -> Expectation<'_> {
        Expectation { transport: self, method, path: path.to_owned() }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().recorded.clone()
    }

    /// The most recent request.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.state().recorded.last().cloned()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.state().recorded.len()
    }

    /// How many scripted answers are still unused.
    pub fn remaining(&self) -> usize {
        self.state().script.len()
    }

    /// Panics, listing them, if any scripted answers were not used.
    #[track_caller]
    pub fn assert_all_consumed(&self) {
        let state = self.state();
        if !state.script.is_empty() {
            let left: Vec<String> = state.script.iter().map(Step::describe).collect();
            panic!("{} scripted answer(s) were never used: {}", left.len(), left.join("; "));
        }
    }
}

impl fmt::Debug for ScriptedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("ScriptedTransport")
            .field("remaining", &state.script.len())
            .field("recorded", &state.recorded.len())
            .finish()
    }
}

impl ScriptedTransport {
    /// Records a request (its body already read) and answers it from the script.
    fn answer(
        &self,
        request: http::Request<Bytes>,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        let recorded = RecordedRequest::new(request, options);
        let mut state = self.state();
        let found = state.script.iter().position(|s| s.fits(&recorded.method, recorded.uri.path()));
        let description = format!("{} {}", recorded.method, recorded.uri);
        state.recorded.push(recorded);
        match found.and_then(|i| state.script.remove(i)) {
            Some(Step { reply: Reply::Response(response), .. }) => Ok(response),
            Some(Step { reply: Reply::Error(error), .. }) => Err(error),
            None => {
                let next: Vec<String> = state.script.iter().map(Step::describe).collect();
                let next = if next.is_empty() { "the script is empty".to_owned() } else { next.join("; ") };
                Err(TransportError::with_message(
                    TransportErrorKind::Other,
                    format!("unexpected request {description}: no scripted answer fits it ({next})"),
                ))
            }
        }
    }
}

/// As the transport of an async client. A streamed body (an upload) is read whole first, so it
/// is recorded as sent.
impl HttpTransport for ScriptedTransport {
    async fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        self.answer(imagekit_core::transport::collect(request).await?, options)
    }
}

/// As the transport of a blocking client.
impl BlockingTransport for ScriptedTransport {
    fn send(&self, request: HttpRequest, options: RequestOptions) -> Result<HttpResponse, TransportError> {
        self.answer(imagekit_core::transport::collect_blocking(request)?, options)
    }
}

/// An answer being scripted for one method and path; finish it with `respond` or `fail`.
#[must_use = "an expectation is only added by respond, respond_json or fail"]
pub struct Expectation<'t> {
    transport: &'t ScriptedTransport,
    method: Method,
    path: String,
}

impl<'t> Expectation<'t> {
    /// Answers the matching request with this response.
    pub fn respond(self, response: HttpResponse) -> &'t ScriptedTransport {
        self.transport.push(Some((self.method, self.path)), Reply::Response(response))
    }

    /// Answers the matching request with JSON and this status.
    pub fn respond_json(self, status: u16, body: serde_json::Value) -> &'t ScriptedTransport {
        self.respond(crate::fixtures::json(status, &body))
    }

    /// Fails the matching request with a transport error.
    pub fn fail(self, error: TransportError) -> &'t ScriptedTransport {
        self.transport.push(Some((self.method, self.path)), Reply::Error(error))
    }
}

/// One request as the transport received it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// The full URI.
    pub uri: Uri,
    /// The headers (the authorization header is marked sensitive, so `Debug` hides it).
    pub headers: HeaderMap,
    /// The body (a streamed one read whole).
    pub body: Bytes,
    /// The per-request options the client gave the transport.
    pub options: RequestOptions,
}

impl RecordedRequest {
    fn new(request: http::Request<Bytes>, options: RequestOptions) -> Self {
        let (parts, body) = request.into_parts();
        Self { options, method: parts.method, uri: parts.uri, headers: parts.headers, body }
    }
}

impl RecordedRequest {
    /// The encoded path.
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The encoded query, if any.
    pub fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body parsed as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_slice(&self.body)
    }

    /// The body read as a `multipart/form-data` form (uploads).
    pub fn form_parts(&self) -> Result<Vec<crate::multipart::Part>, String> {
        let content_type = self.header("content-type").ok_or("no content type")?;
        crate::multipart::parse(content_type, &self.body)
    }

    /// The user name of the `Basic` authorization header: the private key the client sent.
    pub fn basic_auth_user(&self) -> Option<String> {
        let encoded = self.header("authorization")?.strip_prefix("Basic ")?;
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        decoded.split_once(':').map(|(user, _)| user.to_owned())
    }

    /// The timeout the client asked this attempt to respect.
    pub fn timeout(&self) -> Option<Duration> {
        self.options.timeout
    }
}
