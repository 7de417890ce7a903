//! Fault injection and the request log: the rules the admin endpoints and
//! [`Emulator::add_fault`](crate::Emulator::add_fault) set, and what was answered.

use http::{Method, StatusCode};
use imagekit_core::transport::HttpResponse;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::multipart::ReadForm;
use crate::reply::{HELP, json_response};

/// A rule of fault injection: the next `times` requests whose method fits and whose path
/// starts with `path_prefix` (and, when `file_name` is set, that upload that file) are answered
/// with `status` (and `body`, or ImageKit's usual body for that status) without reaching the
/// emulated API.
///
/// ```
/// use imagekit_emulator::{Emulator, FaultRule};
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

    pub(crate) fn fits(&self, method: &Method, path: &str, form: &ReadForm) -> bool {
        self.times > 0
            && self.method.as_ref().is_none_or(|m| m == method)
            && path.starts_with(&self.path_prefix)
            && self
                .file_name
                .as_ref()
                .is_none_or(|name| form.text("fileName").as_deref() == Some(name.as_str()))
    }

    pub(crate) fn answer(&self) -> HttpResponse {
        let body = self.body.clone().unwrap_or_else(|| match self.status.as_u16() {
            429 => json!({"message": "Too many requests."}),
            500..=599 => json!({
                "message": "We have encountered an error on our side. Please try again.",
                "help": HELP,
            }),
            _ => json!({"message": "An error was injected by the emulator.", "help": HELP}),
        });
        let mut response = json_response(self.status, &body);
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", http::HeaderValue::from_static("100"));
            headers.insert("x-ratelimit-reset", http::HeaderValue::from_static("1000"));
            headers.insert("x-ratelimit-interval", http::HeaderValue::from_static("60000"));
        }
        response
    }

    /// The rule as the admin endpoint lists it.
    pub(crate) fn to_json(&self) -> Value {
        let wire = WireRule {
            method: Some(self.method.as_ref().map_or("ANY", Method::as_str).to_owned()),
            path_prefix: Some(self.path_prefix.clone()),
            times: Some(self.times),
            status: self.status.as_u16(),
            body: self.body.clone(),
            file_name: self.file_name.clone(),
        };
        serde_json::to_value(wire).unwrap_or_default()
    }

    /// A rule as the admin endpoint takes it: `{"method"?, "pathPrefix"?, "times"?, "status",
    /// "body"?, "fileName"?}` (any method, `/`, and once when left out).
    pub(crate) fn from_json(value: Value) -> Result<Self, String> {
        let wire: WireRule = serde_json::from_value(value).map_err(|e| e.to_string())?;
        let method = match wire.method {
            None => None,
            Some(m) if m.eq_ignore_ascii_case("any") || m == "*" => None,
            Some(m) => {
                Some(Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|_| "invalid method")?)
            }
        };
        let status = StatusCode::from_u16(wire.status)
            .ok()
            .filter(|s| s.as_u16() >= 200)
            .ok_or("status must be an HTTP status code from 200 to 999")?;
        Ok(Self {
            method,
            path_prefix: wire.path_prefix.unwrap_or_else(|| "/".to_owned()),
            times: wire.times.unwrap_or(1),
            status,
            body: wire.body.filter(|b| !b.is_null()),
            file_name: wire.file_name,
        })
    }
}

/// A fault rule on the wire, as the admin endpoint takes and lists it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WireRule {
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    path_prefix: Option<String>,
    #[serde(default)]
    times: Option<u32>,
    status: u16,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    file_name: Option<String>,
}

/// One request the emulator answered, as [`Emulator::requests`](crate::Emulator::requests) lists it.
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
    /// The record as the admin endpoint lists it.
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
