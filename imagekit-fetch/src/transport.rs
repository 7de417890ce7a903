//! [`FetchTransport`]: the core's requests through the host's global `fetch`.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use imagekit_core::transport::{
    HttpRequest, HttpResponse, HttpTransport, RequestOptions, TransportError, TransportErrorKind,
};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, RequestRedirect, Response, ResponseType};

use crate::classify::{
    decoded_by_host, fetch_failure_kind, from_byte_string, host_owned_header, is_connect_timeout,
    to_byte_string,
};
use crate::js::{self, HostError};
use crate::runtime::Delay;

/// An [`HttpTransport`] over the host's global `fetch`: browsers, Node 18 and later, Deno,
/// Cloudflare Workers.
///
/// What it does with each request, and why:
///
/// * **Body**: sent as one `Uint8Array`. A streamed body (an upload from a stream) is read
///   whole first ([`imagekit_core::transport::collect`]): streamed request bodies need
///   `duplex: "half"` and are missing from Firefox and Safari and from HTTP/1.1 in Chrome, so
///   a portable transport cannot rely on them. The upload's idle timeout does not apply, as
///   nothing tells this transport how far the upload got; its whole-exchange timeout does.
/// * **Timeout**: [`RequestOptions::timeout`] covers the whole attempt, body read included. A
///   `setTimeout` timer aborts the request through an `AbortController` and the attempt fails
///   with [`TransportErrorKind::Timeout`]. If no timer can be armed, the attempt is refused
///   rather than run without its limit. An attempt dropped early (the call's deadline passed)
///   aborts its request too.
/// * **Redirects**: not followed (`redirect: "manual"`), as the transport contract asks: in
///   Node, Deno and Workers the 3xx answer is returned as it is; a browser hides it from scripts
///   (an "opaque redirect"), which is reported as an error of kind `Other`.
/// * **Failures**: fetch rejects with the same `TypeError` whether the connection could not be
///   made or broke mid-exchange, so a failure is [`TransportErrorKind::Io`]: the core then
///   retries only operations that are safe to repeat, and never an upload that may have
///   happened. Where the host says more (Node's `cause.code`), a refused connection or failed
///   lookup is `Connect` (retried for every operation), a certificate failure `Tls`.
/// * **Response**: status, headers and the body read chunk by chunk, stopping with
///   [`TransportErrorKind::BodyTooLarge`] past [`RequestOptions::max_response_bytes`]. Fetch
///   decodes any `Content-Encoding` it asked for, so those headers and `Content-Length` are
///   removed from a decoded answer: they no longer describe its bytes.
///
/// Cookies and caching are left to the host's defaults: Cloudflare Workers reject the
/// `credentials` and `cache` fields, and the API's answers carry their own cache headers.
#[derive(Clone, Copy, Default)]
pub struct FetchTransport {
    _private: (),
}

impl std::fmt::Debug for FetchTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchTransport").finish_non_exhaustive()
    }
}

impl FetchTransport {
    /// The transport; it holds nothing, the host's `fetch` does the work.
    pub fn new() -> Self {
        Self::default()
    }
}

impl HttpTransport for FetchTransport {
    async fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        let controller = AbortController::new().map_err(|e| host_failure(TransportErrorKind::Other, &e))?;
        // Aborts the request when the attempt ends: a no-op after a complete answer, and the end of
        // the request when the attempt timed out or was dropped by the call's deadline.
        let _abort = AbortOnDrop(controller.clone());
        let exchange = exchange(request, controller.signal(), options.max_response_bytes);
        let Some(limit) = options.timeout else { return exchange.await };
        let timer = Delay::armed(limit).map_err(|e| {
            TransportError::with_message(
                TransportErrorKind::Other,
                format!(
                    "cannot enforce the {} ms timeout, setTimeout failed: {}",
                    limit.as_millis(),
                    HostError::from_js(&e)
                ),
            )
        })?;
        let (mut exchange, mut timer) = (pin!(exchange), pin!(timer));
        // The answer wins when both are ready: it is already there.
        poll_fn(|cx| match exchange.as_mut().poll(cx) {
            Poll::Ready(outcome) => Poll::Ready(outcome),
            Poll::Pending => timer.as_mut().poll(cx).map(|()| Err(timed_out(limit))),
        })
        .await
    }
}

/// One request and its whole answer, unbounded in time (the caller bounds it).
async fn exchange(
    request: HttpRequest,
    signal: AbortSignal,
    max_response_bytes: Option<u64>,
) -> Result<HttpResponse, TransportError> {
    let request = imagekit_core::transport::collect(request).await?;
    let js_request = to_js_request(request, &signal)?;
    let promise = js::fetch(&js_request).map_err(|e| {
        TransportError::with_message(
            TransportErrorKind::Other,
            format!("the host has no usable global fetch: {}", HostError::from_js(&e)),
        )
    })?;
    let response: Response = JsFuture::from(promise).await.map_err(|e| fetch_failed(&e))?.unchecked_into();
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(TransportError::with_message(
            TransportErrorKind::Other,
            "the server answered with a redirect, which this host does not show to scripts; \
             redirects are not followed",
        ));
    }
    let status = StatusCode::from_u16(response.status()).map_err(|_| {
        TransportError::with_message(
            TransportErrorKind::Other,
            format!(
                "the host gave no HTTP status (status {}, type {:?})",
                response.status(),
                response.type_()
            ),
        )
    })?;
    let mut headers = to_header_map(&response.headers())?;
    let decoded = decoded_by_host(headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()));
    if decoded {
        headers.remove(http::header::CONTENT_ENCODING);
        headers.remove(http::header::CONTENT_LENGTH);
    }
    let cap = max_response_bytes.unwrap_or(u64::MAX);
    // An announced length over the cap fails before any byte is read. Only for bodies the host
    // does not decode: a compressed length says little about the decoded size.
    let announced =
        headers.get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > cap) {
        return Err(too_large(cap));
    }
    let body = read_body(&response, cap).await?;
    let mut answer = http::Response::new(body);
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
}

/// The request as a JavaScript `Request`; any refusal by the host is `InvalidRequest`.
fn to_js_request(
    request: http::Request<Bytes>,
    signal: &AbortSignal,
) -> Result<web_sys::Request, TransportError> {
    let invalid = |e: JsValue| host_failure(TransportErrorKind::InvalidRequest, &e);
    let (parts, body) = request.into_parts();
    let headers = Headers::new().map_err(invalid)?;
    for (name, value) in &parts.headers {
        if host_owned_header(name.as_str()) {
            continue;
        }
        headers.append(name.as_str(), &to_byte_string(value.as_bytes())).map_err(invalid)?;
    }
    let init = RequestInit::new();
    init.set_method(parts.method.as_str());
    init.set_headers(&headers);
    init.set_redirect(RequestRedirect::Manual);
    init.set_signal(Some(signal));
    // fetch refuses a body on GET and HEAD, and an empty body is no body.
    if !body.is_empty() {
        init.set_body(&Uint8Array::from(&body[..]));
    }
    web_sys::Request::new_with_str_and_init(&parts.uri.to_string(), &init).map_err(invalid)
}

/// The response's headers; a name or value `http` cannot hold (none a host produces) is left out.
fn to_header_map(headers: &Headers) -> Result<HeaderMap, TransportError> {
    let entries = js_sys::try_iter(headers)
        .map_err(|e| host_failure(TransportErrorKind::Other, &e))?
        .ok_or_else(|| {
            TransportError::with_message(
                TransportErrorKind::Other,
                "the response's headers cannot be iterated",
            )
        })?;
    let mut map = HeaderMap::new();
    for entry in entries {
        let entry = entry.map_err(|e| host_failure(TransportErrorKind::Other, &e))?;
        let pair = js_sys::Array::from(&entry);
        let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) else { continue };
        let name = HeaderName::from_bytes(name.as_bytes());
        let value = from_byte_string(&value).and_then(|bytes| HeaderValue::from_bytes(&bytes).ok());
        if let (Ok(name), Some(value)) = (name, value) {
            map.append(name, value);
        }
    }
    Ok(map)
}

/// Reads the body chunk by chunk, so one over the cap is dropped before it is all in memory.
async fn read_body(response: &Response, cap: u64) -> Result<Bytes, TransportError> {
    let Some(stream) = response.body() else { return Ok(Bytes::new()) };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    loop {
        // The headers arrived, so a failure now is a connection lost mid-answer.
        let lost = |e: JsValue| host_failure(TransportErrorKind::Io, &e);
        let step = JsFuture::from(reader.read()).await.map_err(lost)?;
        let done = Reflect::get(&step, &JsValue::from_str("done")).map_err(lost)?;
        if done.as_bool().unwrap_or(true) {
            break;
        }
        let chunk = Reflect::get(&step, &JsValue::from_str("value")).map_err(lost)?;
        let Some(chunk) = chunk.dyn_ref::<Uint8Array>() else {
            return Err(TransportError::with_message(
                TransportErrorKind::Other,
                "the response body gave a chunk that is not bytes",
            ));
        };
        let start = body.len();
        if (start as u64).saturating_add(u64::from(chunk.length())) > cap {
            // Ends the download now. Awaited, so a rejection is handled rather than reported
            // to the host as unhandled (which ends a Node process); its outcome changes nothing.
            let _ = JsFuture::from(reader.cancel()).await;
            return Err(too_large(cap));
        }
        body.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut body[start..]);
    }
    Ok(Bytes::from(body))
}

/// Aborts its controller when dropped.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A rejection of fetch's promise: before any answer arrived.
fn fetch_failed(error: &JsValue) -> TransportError {
    let host = HostError::from_js(error);
    let kind = fetch_failure_kind(&host.name, host.cause_code.as_deref());
    if kind == TransportErrorKind::Connect && is_connect_timeout(host.cause_code.as_deref()) {
        // Classed as Connect (nothing was sent), and still a timeout to `is_timeout()`.
        return TransportError::new(kind, std::io::Error::new(std::io::ErrorKind::TimedOut, host));
    }
    TransportError::new(kind, host)
}

fn host_failure(kind: TransportErrorKind, error: &JsValue) -> TransportError {
    TransportError::new(kind, HostError::from_js(error))
}

fn timed_out(limit: Duration) -> TransportError {
    TransportError::with_message(
        TransportErrorKind::Timeout,
        format!("no complete answer within {} ms; the request was aborted", limit.as_millis()),
    )
}

fn too_large(cap: u64) -> TransportError {
    TransportError::with_message(
        TransportErrorKind::BodyTooLarge,
        format!("the response body is over the {cap}-byte cap"),
    )
}
