//! The one generic path: an operation description becomes an `http::Request`, and an
//! `http::Response` becomes a typed value or an [`Error`].
//!
//! Every API operation is an [`Operation`]: method, percent-encoded path, query, body, whether it
//! is safe to repeat, and how to read a success body. Nothing else in the crate builds requests
//! or reads responses, so this is also the sans-IO entry point for driving the API with any I/O.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{Method, StatusCode, Uri};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{ApiError, DecodeError, Error};
use crate::response::{ApiResponse, ResponseMeta};
use crate::transport::{HttpRequest, HttpResponse, RequestOptions, StreamingBody, StreamingRequest};
use crate::upload::Multipart;

/// Everything but RFC 3986 unreserved characters is encoded, so a value can never end a path
/// segment (`/`), start a query (`?`) or fragment (`#`), or be read as an escape (`%`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// What [`ApiPath::new`] reserves beyond its literal: two 24-character ids and a literal fit.
const PATH_ROOM: usize = 64;

/// The bytes [`COMPONENT`] leaves as they are: ASCII letters, digits, `-`, `.`, `_` and `~`.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Appends `value` percent-encoded as a URI component; ids are usually unreserved characters
/// only, which are copied as they are without going through the encoder.
fn push_encoded(out: &mut String, value: &str) {
    if value.bytes().all(|b| UNRESERVED[usize::from(b)]) {
        out.push_str(value);
    } else {
        out.extend(utf8_percent_encode(value, COMPONENT));
    }
}

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Which ImageKit host an operation goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Host {
    /// `https://api.imagekit.io` (or the client's API base URL).
    Api,
    /// `https://upload.imagekit.io` (or the client's upload base URL).
    Upload,
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
    /// Whether the body goes through the transport's streaming path
    /// ([`crate::HttpTransport::send_streaming`]): a form with a file part.
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

/// A complete, declarative description of one API call.
///
/// Build one through the resource methods (e.g. `client.files().versions().get(..)`) and turn it
/// into bytes on the wire with [`Operation::to_http_request`] and [`Operation::parse_response`],
/// or let [`Client`] drive it.
pub struct Operation<T> {
    name: &'static str,
    method: Method,
    host: Host,
    path: ApiPath,
    query: String,
    body: Body,
    idempotent: bool,
    basic_auth: bool,
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
            idempotent: self.idempotent,
            basic_auth: self.basic_auth,
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
            .field("idempotent", &self.idempotent)
            .field("basic_auth", &self.basic_auth)
            .finish()
    }
}

impl<T: DeserializeOwned> Operation<T> {
    /// An operation whose success body is JSON of type `T`.
    ///
    /// GET, PUT, DELETE and HEAD are marked safe to repeat; override with [`Operation::idempotent`].
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
        let idempotent = matches!(method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD);
        Self {
            name,
            method,
            host: Host::Api,
            path,
            query: String::new(),
            body: Body::Empty,
            idempotent,
            basic_auth: true,
            decode,
            _value: PhantomData,
        }
    }

    /// Sends the operation to another host.
    pub fn host(mut self, host: Host) -> Self {
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

    /// Marks whether sending this operation twice has the same effect as sending it once.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
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

    /// Whether the operation is safe to repeat.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// Builds the HTTP request for `client`: URL, auth, user agent, body, and per-request
    /// options (`timeout`) in the request's extensions.
    ///
    /// A form whose file is streamed from a source has no in-memory form: use
    /// [`Operation::to_streaming_request`] for it (an invalid-input error here).
    pub fn to_http_request(&self, client: &Client, timeout: Option<Duration>) -> Result<HttpRequest, Error> {
        let mut request = self.build_request(client)?;
        request.extensions_mut().insert(self.request_options(client, timeout));
        Ok(request)
    }

    /// Builds the HTTP request with a streamed body, for [`crate::HttpTransport::send_streaming`]:
    /// a form's file part is read from its source chunk by chunk (opening it now), any other
    /// body is one chunk. Each call produces the body afresh, for another attempt. The
    /// per-request options are in the request's extensions, as for [`Operation::to_http_request`].
    pub fn to_streaming_request(
        &self,
        client: &Client,
        timeout: Option<Duration>,
    ) -> Result<StreamingRequest, Error> {
        let mut request = self.build_streaming_request(client)?;
        request.extensions_mut().insert(self.request_options(client, timeout));
        Ok(request)
    }

    /// The per-request options of one attempt of this operation.
    pub(crate) fn request_options(&self, client: &Client, timeout: Option<Duration>) -> RequestOptions {
        RequestOptions {
            timeout,
            operation: self.name,
            idempotent: self.idempotent,
            max_response_bytes: Some(client.config().max_response_bytes),
        }
    }

    /// The request without options in its extensions: the client hands those to the transport
    /// as a value ([`crate::HttpTransport::send_with`]), which spares a map per request.
    pub(crate) fn build_request(&self, client: &Client) -> Result<HttpRequest, Error> {
        let body = match &self.body {
            Body::Empty => Bytes::new(),
            Body::Json(bytes) => bytes.clone(),
            Body::Multipart(form) => form.to_bytes().ok_or_else(|| {
                Error::invalid_input(
                    "file",
                    "is streamed from a source: build the request with to_streaming_request",
                )
            })?,
        };
        self.request_with(client, body)
    }

    /// The streamed request without options in its extensions (see [`Operation::build_request`]).
    pub(crate) fn build_streaming_request(&self, client: &Client) -> Result<StreamingRequest, Error> {
        let body = match &self.body {
            Body::Empty => StreamingBody::from_bytes(Bytes::new()),
            Body::Json(bytes) => StreamingBody::from_bytes(bytes.clone()),
            Body::Multipart(form) => {
                form.to_stream().map_err(|e| Error::invalid_input("file", format!("cannot be read: {e}")))?
            }
        };
        let length = body.length();
        let (parts, ()) = self.request_with(client, ())?.into_parts();
        let mut request = http::Request::from_parts(parts, body);
        request.headers_mut().insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
        Ok(request)
    }

    fn request_with<B>(&self, client: &Client, body: B) -> Result<http::Request<B>, Error> {
        let config = client.config();
        let base = match self.host {
            Host::Api => config.api_base.as_str(),
            Host::Upload => config.upload_base.as_str(),
        };
        let path = self.path.as_str();
        let mut url = String::with_capacity(base.len() + path.len() + self.query.len() + 1);
        url.push_str(base);
        url.push_str(path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        // Unreachable with validated base URLs and encoded paths, but never worth a panic.
        let uri = Uri::try_from(url)
            .map_err(|e| Error::invalid_input("url", format!("does not form a valid URI: {e}")))?;

        let mut request = http::Request::new(body);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        if self.basic_auth {
            headers.insert(AUTHORIZATION, config.authorization.clone());
        }
        headers.insert(USER_AGENT, config.user_agent.clone());
        headers.insert(ACCEPT, APPLICATION_JSON);
        match &self.body {
            Body::Empty => {}
            Body::Json(_) => {
                headers.insert(CONTENT_TYPE, APPLICATION_JSON);
            }
            Body::Multipart(form) => {
                let value = HeaderValue::try_from(form.content_type()).map_err(|_| {
                    Error::invalid_input("body", "the form boundary cannot be sent in a header")
                })?;
                headers.insert(CONTENT_TYPE, value);
            }
        }
        Ok(request)
    }

    /// Reads a response into its value alone: [`Operation::parse_response`] without keeping
    /// the metadata of a success (errors carry it as always).
    pub fn parse_data(&self, response: HttpResponse) -> Result<T, Error> {
        let status = response.status();
        if !status.is_success() {
            return self.parse_response(response).map(ApiResponse::into_data);
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

    /// Reads a response: a success status decodes into `T`, anything else is an [`ApiError`].
    pub fn parse_response(&self, response: HttpResponse) -> Result<ApiResponse<T>, Error> {
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
    fn the_fast_path_encodes_as_the_encoder_does() {
        let every_char: Vec<String> = (0u8..=127).map(|b| char::from(b).to_string()).collect();
        for value in every_char.iter().map(String::as_str).chain(["é", "a-b.c_d~e", "AZaz09"]) {
            let mut fast = String::new();
            push_encoded(&mut fast, value);
            assert_eq!(fast, utf8_percent_encode(value, COMPONENT).to_string(), "value {value:?}");
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
