//! An in-memory ImageKit: the media library's API answered from memory, for offline
//! integration tests of whole workflows (upload, upload again, list versions, restore, clean up).
//!
//! Use it two ways:
//!
//! * as an [`HttpTransport`]: give an [`Emulator`] to `Client::builder().transport(..)`; no
//!   sockets, no runtime needed beyond the one your test already has;
//! * as an HTTP server on 127.0.0.1 ([`Emulator::serve`], [`Emulator::serve_on_free_port`], or
//!   the `imagekit-emulator` binary) for tests in any language. It serves the API paths
//!   (`/v1/...`) and the upload paths (`/api/v1/files/upload`, `/api/v2/files/upload`) on the
//!   same origin: use its base URL as both the API and the upload base URL.
//!
//! Clones share one state. Everything is deterministic: ids are counters shaped like ImageKit's
//! 24-hex-digit ids, and timestamps come from a logical clock that starts at
//! 2025-01-01T00:00:00.000Z and moves one second on each change, so the same calls give the same
//! answers, in process or over HTTP.
//!
//! ```
//! use imagekit_core::Client;
//! use imagekit_mock::emulator::Emulator;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let emulator = Emulator::new("private_test");
//! let file_id = emulator.seed_file("/docs/readme.txt", &b"first"[..]).unwrap();
//! emulator.seed_file("/docs/readme.txt", &b"second"[..]).unwrap();
//! let client = Client::builder().private_key("private_test").transport(emulator.clone()).build().unwrap();
//! let versions = client.files().versions().list(&file_id).await.unwrap();
//! assert_eq!(versions.len(), 2);
//! # }
//! ```
//!
//! # What it implements
//!
//! Uploads (v1 and v2; multipart with `file` as binary, URL, base64 or data URI), file details,
//! update (tags, custom coordinates, custom metadata, description, AI tag removal, publish),
//! delete and bulk delete, copy, move, rename, metadata, versions (list, get, delete, restore),
//! bulk tags and AI tags, list and search, folders (create, delete, and copy, move, rename as
//! bulk jobs that complete at once), job status, cache purge and its status.
//!
//! The account's settings, each a collection of records with ids and the API's rules:
//!
//! * custom metadata fields (`/v1/customMetadataFields`): create, list (`includeDeleted`;
//!   `folderPath` is accepted, every field applies everywhere), update, delete; a deleted field
//!   is hidden but keeps its name, which no new field may take;
//! * saved extensions (`/v1/saved-extensions`): create, list, get, update, delete, with each
//!   extension's configuration checked;
//! * origins (`/v1/accounts/origins`): every kind, checked against what it requires and
//!   accepts, answered with the defaults filled in and without credentials; an origin a URL
//!   endpoint uses cannot be deleted;
//! * URL endpoints (`/v1/accounts/url-endpoints`): the account's `default` one from the start
//!   (it cannot be deleted), others with a prefix of their own and origins that exist;
//! * named transformations (`/v1/named-transformations`) and account webhooks
//!   (`/v1/accounts/webhooks`), which the official SDKs call though the OpenAPI document does not
//!   have them.
//!
//! Usage (`/v1/accounts/usage`, and `/v1/accounts/usage-analytics` as the SDKs call it) checks
//! its dates and answers figures made from the library's size. See the crate README for the
//! details and what is not implemented.
//!
//! # Authentication
//!
//! Basic auth with the emulator's private key as user name (the password is ignored; the raw
//! key after `Basic` is accepted too, as the API documents). No key: 401 `Your request does not
//! contain private API key.`; another key: 403 `Your account cannot be authenticated.`. Uploads
//! also accept client-side auth: v1 `signature` (HMAC-SHA1 of `token` + `expire` with the
//! private key), v2 a `token` JWT signed HS256 with the private key whose payload carries
//! exactly the form's other fields.
//!
//! # Fault injection and admin endpoints
//!
//! [`Emulator::fail_next`] makes the next calls to a path answer an error status, so you can
//! test your retry handling. Over HTTP, the same through the admin endpoints. Since a web page
//! the developer visits could send requests to the server, the server only answers admin
//! requests addressed to a loopback host (`Host: localhost`, `127.0.0.1` or `[::1]`, any port;
//! else 403), from no other web origin (403), with bodies as `Content-Type: application/json`
//! (else 415), and with `Authorization: Bearer <token>` when [`ServeOptions::admin_token`] is set
//! (else 401). [`Emulator::handle`] in process answers them without these checks.
//!
//! | request | effect |
//! | --- | --- |
//! | `POST /__emulator/faults` `{"method": "GET", "pathPrefix": "/v1/files", "times": 2, "status": 500}` | add a rule (`method` optional or `"ANY"`; optional `body`: the JSON answered; optional `fileName`: only uploads of that file); 201 with the rule |
//! | `GET /__emulator/faults` | the rules still pending |
//! | `GET /__emulator/requests` | the requests answered so far: `[{method, path, query, status, injected}]` |
//! | `DELETE /__emulator/requests` | empty that log |
//! | `DELETE /__emulator/faults` | remove all rules |
//! | `POST /__emulator/reset` | forget everything: files, folders, jobs, settings, rules, counters, clock |
//! | `GET /__emulator/health` | `{"status": "ok"}` |
//!
//! # The HTTP server
//!
//! [`Emulator::serve`] binds loopback addresses only; [`Emulator::serve_with`] takes
//! [`ServeOptions`] to allow others, set an admin token, and change the limits: a request head
//! must arrive within 10 s (else the connection is closed), a body within 60 s (else 408), a
//! body is at most 256 MiB (else 413, at once when `Content-Length` says so). Accept errors
//! (out of file descriptors) pause the server briefly instead of spinning. The library holds at
//! most 1 GiB of file content ([`Emulator::with_storage_limit`]), in process too.

mod form;
mod handlers;

/// Hooks for the fuzz targets: not a stable API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    /// Whether the HTTP server's admin guard applies to `path`.
    pub fn guard_applies(path: &str) -> bool {
        super::handlers::is_admin_path(path)
    }

    /// Whether the router would answer `path` with an admin endpoint.
    pub fn routes_to_admin(path: &str) -> bool {
        super::handlers::path_routes_to_admin(path)
    }
}
mod search;
#[cfg(feature = "server")]
mod server;
mod state;

use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http::{Method, StatusCode};
use imagekit_core::transport::{
    BlockingTransport, HttpRequest, HttpResponse, HttpTransport, RequestOptions, TransportError,
};
use imagekit_core::{ApiError, Error, ResponseMeta};
use serde_json::{Value, json};

pub use form::UploadForm;
#[cfg(feature = "server")]
pub use server::{ServeOptions, ServerHandle};

use state::State;

use crate::multipart::ReadForm;

/// The stateful in-memory ImageKit. Cheap to clone; clones share the state.
#[derive(Clone)]
pub struct Emulator {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        f.debug_struct("Emulator")
            .field("url_endpoint", &state.url_endpoint)
            .field("files", &state.files.len())
            .field("folders", &state.folders.len())
            .field("stored_bytes", &state.stored_bytes())
            .field("faults", &state.faults.len())
            .finish_non_exhaustive()
    }
}

/// A rule of fault injection: the next `times` requests whose method fits and whose path
/// starts with `path_prefix` (and, when `file_name` is set, that upload that file) are answered
/// with `status` (and `body`, or ImageKit's usual body for that status) without reaching the
/// emulated API.
///
/// ```
/// use imagekit_mock::emulator::{Emulator, FaultRule};
/// # use http::StatusCode;
/// let emulator = Emulator::new("k");
/// // The next upload of a file named `broken.png`, whatever its folder, answers 500.
/// emulator.add_fault(FaultRule::for_upload_named("broken.png", 1, StatusCode::INTERNAL_SERVER_ERROR));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FaultRule {
    /// The method it applies to; any method when `None`.
    pub method: Option<Method>,
    /// The start of the paths it applies to, e.g. `/v1/files`.
    pub path_prefix: String,
    /// How many more requests it answers.
    pub times: u32,
    /// The status answered.
    pub status: StatusCode,
    /// The JSON body answered; ImageKit's usual body for the status when `None`.
    pub body: Option<Value>,
    /// Only requests whose multipart form has this `fileName` field (an upload of that file);
    /// any request when `None`. A body that is not a multipart form never matches.
    pub file_name: Option<String>,
}

impl FaultRule {
    /// A rule answering `status` to the next `times` requests to paths under `path_prefix`
    /// with `method` (any method when `None`).
    pub fn new(
        method: Option<Method>,
        path_prefix: impl Into<String>,
        times: u32,
        status: StatusCode,
    ) -> Self {
        Self { method, path_prefix: path_prefix.into(), times, status, body: None, file_name: None }
    }

    /// A rule answering `status` to the next `times` uploads (`POST /api/...`, v1 or v2) of a
    /// file named `file_name`, in any folder; other uploads go through.
    pub fn for_upload_named(file_name: impl Into<String>, times: u32, status: StatusCode) -> Self {
        Self::new(Some(Method::POST), "/api/", times, status).when_file_name(file_name)
    }

    /// Applies only to requests whose multipart form's `fileName` field is `file_name`.
    pub fn when_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Answers this JSON body instead of ImageKit's usual one.
    pub fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    fn fits(&self, method: &Method, path: &str, form: &ReadForm) -> bool {
        self.times > 0
            && self.method.as_ref().is_none_or(|m| m == method)
            && path.starts_with(&self.path_prefix)
            && self
                .file_name
                .as_ref()
                .is_none_or(|name| form.text("fileName").as_deref() == Some(name.as_str()))
    }

    fn answer(&self) -> HttpResponse {
        let body = self.body.clone().unwrap_or_else(|| match self.status.as_u16() {
            429 => json!({"message": "Too many requests."}),
            500..=599 => json!({
                "message": "We have encountered an error on our side. Please try again.",
                "help": handlers::HELP,
            }),
            _ => json!({"message": "An error was injected by the emulator.", "help": handlers::HELP}),
        });
        let mut response = handlers::json_response(self.status, &body);
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", http::HeaderValue::from_static("100"));
            headers.insert("x-ratelimit-reset", http::HeaderValue::from_static("1000"));
            headers.insert("x-ratelimit-interval", http::HeaderValue::from_static("60000"));
        }
        response
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "method": self.method.as_ref().map_or("ANY", Method::as_str),
            "pathPrefix": self.path_prefix,
            "times": self.times,
            "status": self.status.as_u16(),
            "body": self.body,
            "fileName": self.file_name,
        })
    }

    pub(crate) fn from_json(value: &Value) -> Result<Self, String> {
        let method = match value.get("method") {
            None | Some(Value::Null) => None,
            Some(Value::String(m)) if m.eq_ignore_ascii_case("any") || m == "*" => None,
            Some(Value::String(m)) => Some(
                Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                    .map_err(|_| "invalid method".to_owned())?,
            ),
            Some(_) => return Err("method must be a string".into()),
        };
        let path_prefix = match value.get("pathPrefix") {
            None | Some(Value::Null) => "/".to_owned(),
            Some(Value::String(p)) => p.clone(),
            Some(_) => return Err("pathPrefix must be a string".into()),
        };
        let times = match value.get("times") {
            None | Some(Value::Null) => 1,
            Some(t) => {
                t.as_u64().and_then(|t| u32::try_from(t).ok()).ok_or("times must be a positive integer")?
            }
        };
        let status = value
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .and_then(|s| StatusCode::from_u16(s).ok())
            .filter(|s| s.as_u16() >= 200)
            .ok_or("status must be an HTTP status code from 200 to 999")?;
        let body = value.get("body").filter(|b| !b.is_null()).cloned();
        let file_name = match value.get("fileName") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => Some(name.clone()),
            Some(_) => return Err("fileName must be a string".into()),
        };
        Ok(Self { method, path_prefix, times, status, body, file_name })
    }
}

/// One request the emulator answered, as [`Emulator::requests`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestRecord {
    /// The method.
    pub method: Method,
    /// The path, without the query.
    pub path: String,
    /// The query, if any.
    pub query: Option<String>,
    /// The status answered.
    pub status: StatusCode,
    /// Whether a fault rule answered it.
    pub injected: bool,
}

impl RequestRecord {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "method": self.method.as_str(),
            "path": self.path,
            "query": self.query,
            "status": self.status.as_u16(),
            "injected": self.injected,
        })
    }
}

impl Emulator {
    /// An empty media library that accepts `private_key`, with file URLs on
    /// `https://ik.imagekit.io/emulator`.
    pub fn new(private_key: impl Into<String>) -> Self {
        let state = State::new(
            private_key.into(),
            state::DEFAULT_URL_ENDPOINT.to_owned(),
            state::DEFAULT_STORAGE_LIMIT,
        );
        Self { state: Arc::new(Mutex::new(state)) }
    }

    /// Builds file URLs on this URL endpoint instead (e.g. `https://ik.imagekit.io/your_id`).
    pub fn with_url_endpoint(self, url_endpoint: impl Into<String>) -> Self {
        self.state().url_endpoint = url_endpoint.into();
        self
    }

    /// Bounds the bytes of file content the library holds, all versions counted (1 GiB unless
    /// set). An upload that would go over it is refused as ImageKit refuses one over the
    /// account's limit (400 `Upload Limit Exceeded.`) and stores nothing. The limit survives
    /// [`Emulator::reset`].
    pub fn with_storage_limit(self, bytes: u64) -> Self {
        self.state().storage_limit = bytes;
        self
    }

    /// Makes background work take time: each new folder job and purge request answers
    /// `Pending` to its first `polls` status checks, then `Completed` (0, the default, completes
    /// at once). The work itself is done when it is requested, as before. Survives
    /// [`Emulator::reset`].
    pub fn with_pending_polls(self, polls: u32) -> Self {
        self.state().pending_polls = polls;
        self
    }

    /// The bytes of file content the library holds, all versions counted.
    pub fn stored_bytes(&self) -> u64 {
        self.state().stored_bytes()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock must not hide its own failure.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The private key the emulator accepts.
    pub fn private_key(&self) -> String {
        self.state().private_key.clone()
    }

    /// The URL endpoint file URLs are built on.
    pub fn url_endpoint(&self) -> String {
        self.state().url_endpoint.clone()
    }

    /// Answers one request, as the API would. Only the path and query of the URI matter, so
    /// `https://api.imagekit.io/v1/...`, `https://upload.imagekit.io/api/v1/...` and
    /// `/v1/...` all work. Never panics, whatever the request.
    pub fn handle(&self, request: http::Request<Bytes>) -> HttpResponse {
        self.dispatch(request, true)
    }

    fn dispatch(&self, request: http::Request<Bytes>, faults: bool) -> HttpResponse {
        let (parts, body) = request.into_parts();
        let path = parts.uri.path().to_owned();
        // Before the lock: reading a large form is the slowest step of an upload.
        let form = ReadForm::of(&parts.headers, &body);
        let mut state = self.state();
        let admin = handlers::is_admin_path(&path);
        let injected = if faults && !admin {
            state.faults.iter_mut().find(|rule| rule.fits(&parts.method, &path, &form)).map(|rule| {
                rule.times -= 1;
                rule.answer()
            })
        } else {
            None
        };
        state.faults.retain(|rule| rule.times > 0);
        let injected_fault = injected.is_some();
        let mut response = match injected {
            Some(response) => response,
            None => {
                let request = handlers::Incoming {
                    method: &parts.method,
                    path: &path,
                    query: parts.uri.query(),
                    headers: &parts.headers,
                    body: &body,
                    form: &form,
                };
                handlers::route(&mut state, &request)
            }
        };
        if faults && !admin {
            if state.requests.len() >= state::REQUEST_LOG_MAX {
                state.requests.pop_front();
            }
            state.requests.push_back(RequestRecord {
                method: parts.method.clone(),
                path: path.clone(),
                query: parts.uri.query().map(str::to_owned),
                status: response.status(),
                injected: injected_fault,
            });
        }
        let request_id = state.new_request_id();
        if let Ok(value) = http::HeaderValue::from_str(&request_id) {
            response.headers_mut().insert("x-ik-requestid", value);
        }
        response
    }

    /// Makes the next `times` requests to paths starting with `path_prefix` (with `method`,
    /// or any method when `None`) answer `status`, with ImageKit's usual body for it.
    ///
    /// ```
    /// use imagekit_mock::emulator::Emulator;
    /// # use http::{Method, StatusCode};
    /// let emulator = Emulator::new("k");
    /// emulator.fail_next(Some(Method::GET), "/v1/files", 2, StatusCode::INTERNAL_SERVER_ERROR);
    /// ```
    pub fn fail_next(&self, method: Option<Method>, path_prefix: &str, times: u32, status: StatusCode) {
        self.add_fault(FaultRule::new(method, path_prefix, times, status));
    }

    /// Adds a fault rule; rules are tried in the order they were added.
    pub fn add_fault(&self, rule: FaultRule) {
        self.state().faults.push(rule);
    }

    /// The fault rules that still have requests to answer.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.state().faults.clone()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state().faults.clear();
    }

    /// The requests answered so far, oldest first (the last 10 000; admin requests and the
    /// convenience uploads of [`Emulator::upload`] / [`Emulator::seed_file`] are not listed).
    /// Handy to count a client's attempts.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.state().requests.iter().cloned().collect()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Forgets everything: files, folders, jobs, purge requests, the account's settings (custom
    /// metadata fields, saved extensions, origins, URL endpoints but the default one, named
    /// transformations, webhooks), fault rules, the request log; ids and the clock start again.
    /// The private key, URL endpoint and storage limit stay.
    pub fn reset(&self) {
        self.state().reset();
    }

    /// Uploads through the upload handler, authenticated with the emulator's key and ignoring
    /// fault rules; the answer is the upload API's.
    pub fn upload(&self, form: UploadForm) -> HttpResponse {
        let request = form.into_request("", &self.private_key());
        self.dispatch(request, false)
    }

    /// Uploads `content` at `path` (`/folder/name.ext`) with `useUniqueFileName=false`: a new
    /// file, or a new version of the file already there. Returns the file id; an upload the
    /// API refused is its [`Error::Api`], so `?` works in tests that return the crate's errors.
    pub fn seed_file(&self, path: &str, content: impl Into<Bytes>) -> Result<String, Error> {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let form = UploadForm::new(name, content)
            .field("folder", if folder.is_empty() { "/" } else { folder })
            .field("useUniqueFileName", "false");
        let response = self.upload(form);
        let file_id = (response.status() == StatusCode::OK)
            .then(|| serde_json::from_slice::<Value>(response.body()).ok())
            .flatten()
            .and_then(|v| v.get("fileId").and_then(Value::as_str).map(str::to_owned));
        file_id.ok_or_else(|| {
            let (parts, body) = response.into_parts();
            Error::Api(Box::new(ApiError::from_response(ResponseMeta::new(
                parts.status,
                parts.headers,
                body,
            ))))
        })
    }

    /// Sets the AI tags of a file's current version, as an auto-tagging extension would
    /// (confidence 95, source `google-auto-tagging`). `false` when there is no such file.
    pub fn set_ai_tags(&self, file_id: &str, names: &[&str]) -> bool {
        let mut state = self.state();
        let Some(version) = state.files.get_mut(file_id).and_then(state::FileRecord::current_version_mut)
        else {
            return false;
        };
        version.ai_tags = (!names.is_empty()).then(|| {
            names
                .iter()
                .map(|n| json!({"name": n, "confidence": 95.0, "source": "google-auto-tagging"}))
                .collect()
        });
        true
    }

    /// How many files the library holds.
    pub fn file_count(&self) -> usize {
        self.state().files.len()
    }
}

/// The emulator as the transport of an async client: no sockets, answered in place.
impl HttpTransport for Emulator {
    async fn send(&self, request: HttpRequest, _: RequestOptions) -> Result<HttpResponse, TransportError> {
        Ok(self.handle(imagekit_core::transport::collect(request).await?))
    }
}

/// The emulator as the transport of a blocking client.
impl BlockingTransport for Emulator {
    fn send(&self, request: HttpRequest, _: RequestOptions) -> Result<HttpResponse, TransportError> {
        Ok(self.handle(imagekit_core::transport::collect_blocking(request)?))
    }
}
