//! The one generic path: an operation description becomes an `http::Request`, and an
//! `http::Response` becomes a typed value or an [`Error`].
//!
//! Every API operation is an [`Operation`]: method, percent-encoded path, query, body, what
//! repeating it does, and how to read a success body. Nothing else in the crate builds requests
//! or reads responses, so this is also the sans-IO entry point: with a [`Config`] and any I/O
//! (blocking, async, or none at all) you can drive the whole API.
//!
//! ```
//! use imagekit_core::Config;
//!
//! let config = Config::builder().private_key("private_key").build()?;
//! // The same resource tree as the client's, returning operations instead of calls.
//! let get = config.files().versions().get("file_id", "version_id")?;
//! let request: http::Request<_> = get.to_request(&config)?;
//! assert_eq!(request.method(), http::Method::GET);
//!
//! // ... send `request` with anything, then read the answer:
//! let body = r#"{"fileId":"file_id","versionInfo":{"id":"version_id","name":"Version 2"}}"#;
//! let version = get.parse(http::Response::new(bytes::Bytes::from(body)))?;
//! assert_eq!(version.version_name(), Some("Version 2"));
//! # Ok::<(), imagekit_core::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use http::{Method, StatusCode, Uri};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::body::RequestBody;
use crate::config::Config;
use crate::encode::push_encoded;
use crate::error::{ApiError, DecodeError, Error};
use crate::multipart::Multipart;
use crate::response::{ApiResponse, ResponseMeta};
use crate::transport::{HttpRequest, HttpResponse, RequestOptions};

/// What [`ApiPath::new`] reserves beyond its literal: two 24-character ids and a literal fit.
const PATH_ROOM: usize = 64;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Which ImageKit host an operation goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Host {
    /// `https://api.imagekit.io` (or the configured API base URL).
    Api,
    /// `https://upload.imagekit.io` (or the configured upload base URL). Clients give operations
    /// here their upload timeout, not the timeout of other calls.
    Upload,
}

/// What sending an operation a second time does, which decides when a client may retry it.
///
/// Classified per operation from what a repeat does, not from its HTTP method: a rename is a
/// `PUT`, yet renaming again after the first rename acted fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// Doing it twice is doing it once: reads, setting tags, purges, replacing settings.
    /// Retried after any transient failure.
    Idempotent,
    /// A deletion: doing it again after it acted answers 404. Retried like `Idempotent`, and a
    /// 404 that follows an attempt whose outcome was lost is reported as possibly done by that
    /// attempt ([`ApiError::earlier_attempt_may_have_succeeded`]).
    Deletion,
    /// Doing it twice does it twice, or fails because the first did it: creates, uploads,
    /// copies, moves, renames, restores. Retried only when the server cannot have acted (no
    /// connection could be made, or a 429).
    NotIdempotent,
}

impl Idempotency {
    /// Whether a repeat after the server may have acted is allowed.
    pub fn retries_after_ambiguity(self) -> bool {
        !matches!(self, Self::NotIdempotent)
    }
}

/// A request path built from literal parts and percent-encoded parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiPath(String);

impl ApiPath {
    /// Starts from a literal path such as `/v1/files`; it is used verbatim.
    pub fn new(literal: &'static str) -> Self {
        // Room for the usual one or two ids and a literal, so building a path allocates once.
        let mut path = String::with_capacity(literal.len() + PATH_ROOM);
        path.push_str(literal);
        Self(path)
    }

    /// Appends a literal segment, verbatim.
    pub fn lit(mut self, segment: &'static str) -> Self {
        self.0.push('/');
        self.0.push_str(segment);
        self
    }

    /// Appends a caller-supplied id as exactly one path segment.
    ///
    /// Empty ids and the dot segments `.` and `..` (which URL normalisation would resolve into
    /// another endpoint) are rejected with an invalid-input error naming `parameter`.
    pub fn id(mut self, parameter: &'static str, value: &str) -> Result<Self, Error> {
        if value.is_empty() {
            return Err(Error::invalid_input(parameter, "must not be empty"));
        }
        if value == "." || value == ".." {
            return Err(Error::invalid_input(parameter, "must not be `.` or `..`"));
        }
        self.0.push('/');
        push_encoded(&mut self.0, value);
        Ok(self)
    }

    /// The encoded path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The body of an operation's request.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// A JSON document.
    Json(Bytes),
    /// A `multipart/form-data` form (uploads); its file part is streamed.
    Multipart(Box<Multipart>),
}

impl Body {
    /// Whether the body is sent as a stream ([`RequestBody::Stream`]): a form with a file part.
    pub fn is_streamed(&self) -> bool {
        matches!(self, Self::Multipart(form) if form.is_streamed())
    }

    /// Whether the body can be produced again, so the request may be retried: false only for
    /// a form whose file comes from a stream that can be read once.
    pub fn can_resend(&self) -> bool {
        match self {
            Self::Multipart(form) => form.can_resend(),
            _ => true,
        }
    }
}

/// Reads a success answer (its status and body) into the operation's value type.
type Decoder<T> = fn(StatusCode, &Bytes) -> Result<T, (String, serde_json::Error)>;

/// A success value that can say it is only a partial success (HTTP 207 Multi-Status).
///
/// ImageKit answers 207 when a bulk operation succeeded for some items and not others; the body
/// then lists what failed. Such an answer is a success, and the value remembers it was partial.
pub trait PartialSuccess {
    /// Records that the answer was a 207.
    fn mark_partial(&mut self);
}

/// What an operation's caller added to it: headers, and fields for its body.
#[derive(Clone, Debug, Default)]
struct Extras {
    headers: HeaderMap,
    body_fields: Map<String, Value>,
}

/// A complete, declarative description of one API call.
///
/// Get one from the resource tree of a [`Config`] (`config.files().versions().get(..)`) and
/// turn it into bytes on the wire with [`Operation::to_request`] and [`Operation::parse`], or
/// let a client drive it.
pub struct Operation<T> {
    name: &'static str,
    method: Method,
    host: Host,
    path: ApiPath,
    query: String,
    body: Body,
    idempotency: Idempotency,
    basic_auth: bool,
    /// Headers and body fields added to the description: rare, so boxed, keeping operations
    /// (and the futures holding them) small.
    extras: Option<Box<Extras>>,
    decode: Decoder<T>,
    _value: PhantomData<fn() -> T>,
}

impl<T> Clone for Operation<T> {
    fn clone(&self) -> Self {
        Self {
            name: self.name,
            method: self.method.clone(),
            host: self.host,
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            idempotency: self.idempotency,
            basic_auth: self.basic_auth,
            extras: self.extras.clone(),
            decode: self.decode,
            _value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Operation<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.name)
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path.as_str())
            .field("query", &self.query)
            .field("body", &self.body)
            .field("idempotency", &self.idempotency)
            .field("basic_auth", &self.basic_auth)
            .field("extra_headers", &self.extras.as_ref().map(|e| e.headers.keys().collect::<Vec<_>>()))
            .field(
                "extra_body_fields",
                &self.extras.as_ref().map(|e| e.body_fields.keys().collect::<Vec<_>>()),
            )
            .finish()
    }
}

impl<T: DeserializeOwned> Operation<T> {
    /// An operation whose success body is JSON of type `T`.
    ///
    /// GET and HEAD are [`Idempotency::Idempotent`]; anything else starts as
    /// [`Idempotency::NotIdempotent`] until [`Operation::with_idempotency`] says otherwise.
    pub fn json(name: &'static str, method: Method, path: ApiPath) -> Self {
        Self::with_decoder(name, method, path, decode_json::<T>)
    }
}

impl<T: DeserializeOwned + PartialSuccess> Operation<T> {
    /// An operation whose success body is JSON of type `T`, and which may answer 207 for a
    /// partial success: the value is then marked with [`PartialSuccess::mark_partial`].
    pub fn json_partial(name: &'static str, method: Method, path: ApiPath) -> Self {
        Self::with_decoder(name, method, path, decode_partial::<T>)
    }
}

impl Operation<()> {
    /// An operation whose success answer carries nothing of interest (e.g. a 204).
    ///
    /// An empty body, or any JSON document such as `{}`, is accepted.
    pub fn empty(name: &'static str, method: Method, path: ApiPath) -> Self {
        Self::with_decoder(name, method, path, decode_empty)
    }
}

impl<T> Operation<T> {
    pub(crate) fn with_decoder(
        name: &'static str,
        method: Method,
        path: ApiPath,
        decode: Decoder<T>,
    ) -> Self {
        // Reads are safe to repeat by definition; anything else is until shown otherwise.
        let idempotency = if matches!(method, Method::GET | Method::HEAD) {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        };
        Self {
            name,
            method,
            host: Host::Api,
            path,
            query: String::new(),
            body: Body::Empty,
            idempotency,
            basic_auth: true,
            extras: None,
            decode,
            _value: PhantomData,
        }
    }

    /// Sends the operation to another host.
    pub fn with_host(mut self, host: Host) -> Self {
        self.host = host;
        self
    }

    /// Adds a query parameter; both name and value are percent-encoded.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        push_encoded(&mut self.query, name);
        self.query.push('=');
        push_encoded(&mut self.query, value);
        self
    }

    /// Adds a query parameter when it has a value; the value is formatted with `Display`.
    pub fn query_opt(self, name: &str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.query(name, &value.to_string()),
            None => self,
        }
    }

    /// Sets a JSON body.
    pub fn json_body(mut self, body: &impl Serialize) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid_input("body", format!("cannot be encoded as JSON: {e}")))?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets the body.
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Whether the request carries the private key as HTTP Basic auth (the default). Client-side
    /// uploads authenticate with fields of their form instead, and ImageKit refuses both at once.
    pub fn basic_auth(mut self, send: bool) -> Self {
        self.basic_auth = send;
        self
    }

    /// Says what sending this operation twice does (see [`Idempotency`]).
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// Adds a header to this operation's requests, e.g. for an API field this crate does not
    /// know yet. It replaces a default header of the same name; `Authorization` is refused (it
    /// only ever comes from the private key), as are names and values that cannot be sent.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let (name, value) = crate::config::extra_header(name, value)?;
        self.extras.get_or_insert_with(Box::default).headers.insert(name, value);
        Ok(self)
    }

    /// Adds a field to the body: merged into a JSON body (a field of the same name is replaced),
    /// or sent as one more form field of an upload. An operation without a body gets a JSON one.
    pub fn body_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extras.get_or_insert_with(Box::default).body_fields.insert(name.into(), value.into());
        self
    }

    /// The operation's name, as the official spec's operationId (e.g. `get-file-version-details`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The percent-encoded path.
    pub fn path(&self) -> &str {
        self.path.as_str()
    }

    /// The percent-encoded query, without `?`.
    pub fn query_string(&self) -> &str {
        &self.query
    }

    /// The request body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// What repeating the operation does.
    pub fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    /// The host the operation goes to.
    pub fn host(&self) -> Host {
        self.host
    }

    /// Builds the HTTP request: URL, auth, user agent, default and extra headers, body.
    ///
    /// Each call builds the request afresh (opening a streamed file part's source again), as
    /// each attempt of a call needs. A form with a file part has a [`RequestBody::Stream`] body;
    /// anything else is in memory ([`RequestBody::Full`]).
    pub fn to_request(&self, config: &Config) -> Result<HttpRequest, Error> {
        let mut content_type = Some(APPLICATION_JSON);
        let body_fields = self.extras.as_ref().map(|e| &e.body_fields).filter(|f| !f.is_empty());
        let body = match (&self.body, body_fields) {
            (Body::Empty, None) => {
                content_type = None;
                RequestBody::Full(Bytes::new())
            }
            (Body::Empty, Some(fields)) => RequestBody::Full(json_bytes(&Value::Object(fields.clone()))?),
            (Body::Json(bytes), None) => RequestBody::Full(bytes.clone()),
            (Body::Json(bytes), Some(fields)) => RequestBody::Full(merge_json(bytes, fields)?),
            (Body::Multipart(form), fields) => {
                let extended;
                let form = match fields {
                    None => &**form,
                    Some(fields) => {
                        let mut copy = (**form).clone();
                        for (name, value) in fields {
                            let text = match value {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            copy = copy.text(name.as_str(), text);
                        }
                        extended = copy;
                        &extended
                    }
                };
                form.check()?;
                content_type = Some(HeaderValue::try_from(form.content_type()).map_err(|_| {
                    Error::invalid_input("body", "the form boundary cannot be sent in a header")
                })?);
                if form.is_streamed() {
                    let stream = form
                        .to_stream()
                        .map_err(|e| Error::invalid_input("file", format!("cannot be read: {e}")))?;
                    RequestBody::Stream(stream)
                } else {
                    RequestBody::Full(form.to_bytes().unwrap_or_default())
                }
            }
        };
        let length = body.length();
        let streamed = matches!(body, RequestBody::Stream(_));
        let mut request = self.request_with(config, body)?;
        let headers = request.headers_mut();
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, content_type);
        }
        if streamed {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
        Ok(request)
    }

    /// The per-request options of one attempt of this operation, for its transport.
    pub fn request_options(&self, config: &Config, timeout: Option<Duration>) -> RequestOptions {
        RequestOptions {
            timeout,
            operation: self.name,
            idempotent: self.idempotency.retries_after_ambiguity(),
            max_response_bytes: Some(config.max_response_bytes()),
            idle_timeout: None,
        }
    }

    fn request_with<B>(&self, config: &Config, body: B) -> Result<http::Request<B>, Error> {
        let settings = config.settings();
        let base = match self.host {
            Host::Api => settings.api_base.as_str(),
            Host::Upload => settings.upload_base.as_str(),
        };
        let path = self.path.as_str();
        let defaults = settings.default_query.as_str();
        let mut url = String::with_capacity(base.len() + path.len() + defaults.len() + self.query.len() + 2);
        url.push_str(base);
        url.push_str(path);
        for (i, query) in [defaults, self.query.as_str()].into_iter().filter(|q| !q.is_empty()).enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(query);
        }
        // Unreachable with validated base URLs and encoded paths, but never worth a panic.
        let uri = Uri::try_from(url)
            .map_err(|e| Error::invalid_input("url", format!("does not form a valid URI: {e}")))?;

        let mut request = http::Request::new(body);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        if !settings.default_headers.is_empty() {
            headers.extend(settings.default_headers.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(extras) = &self.extras {
            for (name, value) in &extras.headers {
                headers.insert(name.clone(), value.clone());
            }
        }
        if self.basic_auth {
            headers.insert(AUTHORIZATION, settings.authorization.clone());
        }
        headers.insert(USER_AGENT, settings.user_agent.clone());
        headers.insert(ACCEPT, APPLICATION_JSON);
        Ok(request)
    }

    /// Reads a response into its value alone: [`Operation::parse_with_meta`] without keeping
    /// the metadata of a success (errors carry it as always).
    pub fn parse(&self, response: HttpResponse) -> Result<T, Error> {
        let status = response.status();
        if !status.is_success() {
            return self.parse_with_meta(response).map(ApiResponse::into_data);
        }
        match (self.decode)(status, response.body()) {
            Ok(data) => Ok(data),
            Err((path, source)) => {
                let (parts, body) = response.into_parts();
                let meta = ResponseMeta::new(parts.status, parts.headers, body);
                Err(Error::Decode(Box::new(DecodeError::new(path, source, meta))))
            }
        }
    }

    /// Reads a response with its metadata: a success status decodes into `T`, anything else is
    /// an [`ApiError`].
    pub fn parse_with_meta(&self, response: HttpResponse) -> Result<ApiResponse<T>, Error> {
        let (parts, body) = response.into_parts();
        let meta = ResponseMeta::new(parts.status, parts.headers, body);
        if !meta.status().is_success() {
            return Err(Error::Api(Box::new(ApiError::from_response(meta))));
        }
        match (self.decode)(meta.status(), meta.body()) {
            Ok(data) => Ok(ApiResponse { data, meta }),
            Err((path, source)) => Err(Error::Decode(Box::new(DecodeError::new(path, source, meta)))),
        }
    }
}

/// A JSON value as bytes.
fn json_bytes(value: &Value) -> Result<Bytes, Error> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| Error::invalid_input("body", format!("cannot be encoded as JSON: {e}")))
}

/// `fields` merged into the JSON object `body` (a field of the same name is replaced).
fn merge_json(body: &Bytes, fields: &Map<String, Value>) -> Result<Bytes, Error> {
    let mut object = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => object,
        _ => return Err(Error::invalid_input("body", "extra fields need a JSON object body")),
    };
    object.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    json_bytes(&Value::Object(object))
}

pub(crate) fn decode_json<T: DeserializeOwned>(
    _: StatusCode,
    body: &Bytes,
) -> Result<T, (String, serde_json::Error)> {
    decode_body(body)
}

fn decode_partial<T: DeserializeOwned + PartialSuccess>(
    status: StatusCode,
    body: &Bytes,
) -> Result<T, (String, serde_json::Error)> {
    let mut value: T = decode_body(body)?;
    if status == StatusCode::MULTI_STATUS {
        value.mark_partial();
    }
    Ok(value)
}

fn decode_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, (String, serde_json::Error)> {
    // Before decoding: the body cap bounds the bytes, not what they would become.
    if let Some(reason) = crate::budget::refusal(body) {
        return Err((".".to_owned(), serde::de::Error::custom(reason)));
    }
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        // Cold path: decode again, tracking the path, so the error says where it failed.
        Err(plain) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(tracked) => {
                    let path = tracked.path().to_string();
                    Err((path, tracked.into_inner()))
                }
                Ok(_) => Err((".".to_owned(), plain)),
            }
        }
    }
}

fn decode_empty(_: StatusCode, body: &Bytes) -> Result<(), (String, serde_json::Error)> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(body).map(|_| ()).map_err(|e| (".".to_owned(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_inside_one_segment() {
        for (id, encoded) in [
            ("../x", "..%2Fx"),
            ("a/b", "a%2Fb"),
            ("a?b", "a%3Fb"),
            ("a#b", "a%23b"),
            ("%", "%25"),
            ("a b", "a%20b"),
            ("é", "%C3%A9"),
            ("a/b?c#d ../é", "a%2Fb%3Fc%23d%20..%2F%C3%A9"),
            ("598821f949c0a938d57563bd", "598821f949c0a938d57563bd"),
        ] {
            let path = ApiPath::new("/v1/files").id("fileId", id).unwrap().lit("versions");
            assert_eq!(path.as_str(), format!("/v1/files/{encoded}/versions"), "id {id:?}");
        }
    }

    #[test]
    fn empty_and_dot_ids_are_invalid_input() {
        for id in ["", ".", ".."] {
            match ApiPath::new("/v1/files").id("fileId", id) {
                Err(Error::InvalidInput(e)) => assert_eq!(e.parameter(), "fileId"),
                other => panic!("{id:?}: expected invalid input, got {other:?}"),
            }
        }
    }

    #[test]
    fn query_values_are_encoded() {
        let op = Operation::<()>::empty("x", Method::GET, ApiPath::new("/v1/files"))
            .query("searchQuery", "name = \"a&b\"")
            .query("limit", "10");
        assert_eq!(op.query_string(), "searchQuery=name%20%3D%20%22a%26b%22&limit=10");
    }

    #[test]
    fn empty_decoder_accepts_nothing_or_json() {
        let ok = StatusCode::NO_CONTENT;
        assert!(decode_empty(ok, &Bytes::new()).is_ok());
        assert!(decode_empty(ok, &Bytes::from_static(b" \n")).is_ok());
        assert!(decode_empty(ok, &Bytes::from_static(b"{}")).is_ok());
        assert!(decode_empty(ok, &Bytes::from_static(b"<html>")).is_err());
    }
}
