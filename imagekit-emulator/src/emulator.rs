//! The emulator itself: its shared state, how a request is answered (fault rules first, then
//! the handlers), seeding and inspection, and the transport seam in both forms.

use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http::{Method, StatusCode};
use imagekit_core::transport::{
    BlockingTransport, HttpRequest, HttpResponse, HttpTransport, RequestOptions, TransportError,
};
use imagekit_core::{ApiError, Error, ResponseMeta};
use serde_json::{Value, json};

use crate::faults::{FaultRule, RequestRecord};
use crate::form::UploadForm;
use crate::handlers;
use crate::multipart::ReadForm;
use crate::state::{self, State};

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
    /// use imagekit_emulator::Emulator;
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
        let mut file = state.files.get_mut(file_id);
        let Some(version) = file.as_deref_mut().and_then(state::FileRecord::current_version_mut) else {
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
