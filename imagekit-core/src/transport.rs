//! The transport seam: the one place where bytes move.
//!
//! The core decides what to send and how to read the answer; a transport only moves bytes. An
//! async client takes an [`HttpTransport`], a blocking one a [`BlockingTransport`]; each is one
//! method. Implement it to use any HTTP stack (the crate docs have a complete adapter).
//!
//! # The contract every transport keeps
//!
//! * Send the request as it is: method, URL, headers and body. Do not add credentials, do not
//!   follow redirects, do not retry, do not decompress what was not asked for: policy lives in
//!   the core, and a redirect followed by the stack could carry the `Authorization` header
//!   elsewhere.
//! * A 4xx or 5xx answer is `Ok(response)`: the core reads error statuses itself.
//! * Read the whole response body, and stop with [`TransportErrorKind::BodyTooLarge`] past
//!   [`RequestOptions::max_response_bytes`] where the stack allows it (the core checks again).
//! * Honour [`RequestOptions::timeout`] for the whole exchange, and report it as
//!   [`TransportErrorKind::Timeout`].
//! * Classify failures: [`TransportErrorKind::Connect`] only when nothing can have reached the
//!   server (the core then retries any operation), [`TransportErrorKind::Io`] for a connection
//!   lost mid-exchange, [`TransportErrorKind::Tls`] for a server certificate that was refused
//!   and [`TransportErrorKind::Proxy`] for a proxy that refused the connection (neither is
//!   retried).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::runtime::{BoxFuture, MaybeSend, MaybeSync};

pub use crate::body::{BodySource, ByteStream, RequestBody, StreamingBody};
pub use crate::error::{BoxError, TransportError, TransportErrorKind};

/// A request as the core hands it to a transport.
pub type HttpRequest = http::Request<RequestBody>;
/// A response as a transport hands it back: status, headers and the whole body.
pub type HttpResponse = http::Response<Bytes>;

/// Sends one HTTP request and reads the whole response: the seam of the async [`crate::client::Client`].
///
/// Implement it with an `async fn`. A transport that cannot stream request bodies collects them
/// first ([`RequestBody::collect`]), so uploads work over any stack; one that can (like
/// `imagekit-hyper`) sends [`RequestBody::Stream`] chunk by chunk. See the [module
/// docs](self) for the contract.
///
/// ```
/// use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestOptions};
/// use imagekit_core::TransportError;
///
/// /// Answers every request with an empty list, as a stand-in for a real HTTP client.
/// #[derive(Debug)]
/// struct Canned;
///
/// impl HttpTransport for Canned {
///     async fn send(&self, request: HttpRequest, options: RequestOptions) -> Result<HttpResponse, TransportError> {
///         let (parts, body) = request.into_parts();
///         let _body: bytes::Bytes = body.collect().await?; // what a real stack would send
///         assert!(parts.uri.path().starts_with("/v1/"));
///         assert_eq!(options.timeout, Some(std::time::Duration::from_secs(60)));
///         Ok(http::Response::new(bytes::Bytes::from_static(b"[]")))
///     }
/// }
///
/// let client = imagekit_core::Client::builder()
///     .private_key("private_key_example")
///     .transport(Canned)
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
///
/// An implementation written with `#[async_trait]` does **not** satisfy this trait: the
/// attribute rewrites the method with lifetime parameters the trait's method does not have,
/// and rustc refuses it (E0195).
///
/// ```compile_fail,E0195
/// use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestOptions};
/// use imagekit_core::TransportError;
///
/// #[derive(Debug)]
/// struct Canned;
///
/// #[async_trait::async_trait]
/// impl HttpTransport for Canned {
///     async fn send(&self, _: HttpRequest, _: RequestOptions) -> Result<HttpResponse, TransportError> {
///         Ok(http::Response::new(bytes::Bytes::new()))
///     }
/// }
/// ```
///
/// Drop the attribute and the same `async fn` compiles. A stack that already hands out boxed
/// futures (as `async-trait` code does) forwards them from a plain method:
///
/// ```
/// use std::future::Future;
/// use std::pin::Pin;
/// use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestOptions};
/// use imagekit_core::TransportError;
///
/// type Sent<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;
///
/// /// An existing client whose `send` returns a boxed future.
/// #[derive(Debug)]
/// struct Legacy;
/// impl Legacy {
///     fn send(&self, _: HttpRequest) -> Sent<'_> {
///         Box::pin(async { Ok(http::Response::new(bytes::Bytes::from_static(b"[]"))) })
///     }
/// }
///
/// impl HttpTransport for Legacy {
///     fn send(&self, request: HttpRequest, _: RequestOptions) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
///         Legacy::send(self, request)
///     }
/// }
/// # let _ = imagekit_core::Client::builder().private_key("k").transport(Legacy).build().unwrap();
/// ```
pub trait HttpTransport: MaybeSend + MaybeSync + fmt::Debug {
    /// Sends one request with its per-request options; an error status is `Ok`.
    fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + MaybeSend;
}

/// A reference, a box or an `Arc` of a transport is that transport: each forwards to it as it is.
macro_rules! forward_async {
    ($($wrapper:ty),*) => {$(
        impl<T: HttpTransport + ?Sized> HttpTransport for $wrapper {
            fn send(
                &self,
                request: HttpRequest,
                options: RequestOptions,
            ) -> impl Future<Output = Result<HttpResponse, TransportError>> + MaybeSend {
                (**self).send(request, options)
            }
        }
    )*};
}
forward_async!(&T, Box<T>, Arc<T>);

/// Sends one HTTP request and reads the whole response, blocking the calling thread: the seam
/// of the [`crate::blocking::BlockingClient`]. The same contract as [`HttpTransport`].
///
/// A streamed body is read with [`RequestBody::into_reader`].
pub trait BlockingTransport: MaybeSend + MaybeSync + fmt::Debug {
    /// Sends one request with its per-request options; an error status is `Ok`.
    fn send(&self, request: HttpRequest, options: RequestOptions) -> Result<HttpResponse, TransportError>;
}

/// The same forwarding for blocking transports.
macro_rules! forward_blocking {
    ($($wrapper:ty),*) => {$(
        impl<T: BlockingTransport + ?Sized> BlockingTransport for $wrapper {
            fn send(&self, request: HttpRequest, options: RequestOptions) -> Result<HttpResponse, TransportError> {
                (**self).send(request, options)
            }
        }
    )*};
}
forward_blocking!(&T, Box<T>, Arc<T>);

/// The request with its body read whole: what a transport that does not stream sends. A
/// failure of a streamed body's source is a [`TransportErrorKind::BodySource`] error.
pub async fn collect(request: HttpRequest) -> Result<http::Request<Bytes>, TransportError> {
    let (parts, body) = request.into_parts();
    Ok(http::Request::from_parts(parts, body.collect().await?))
}

/// [`collect`] for blocking transports: a streamed body's chunks are awaited on this thread.
#[cfg(not(target_arch = "wasm32"))]
pub fn collect_blocking(request: HttpRequest) -> Result<http::Request<Bytes>, TransportError> {
    crate::runtime::block_on(collect(request))
}

/// Per-request settings the core gives the transport with every request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// How long this attempt may take in all (connect, send, read the body); `None` is no limit.
    pub timeout: Option<Duration>,
    /// The operation this request belongs to, e.g. `get-file-version-details`.
    pub operation: &'static str,
    /// Whether sending the request twice has the same effect as sending it once.
    pub idempotent: bool,
    /// Stop reading and fail with [`TransportErrorKind::BodyTooLarge`] past this many bytes.
    pub max_response_bytes: Option<u64>,
    /// End the attempt with [`TransportErrorKind::Timeout`] when no byte was sent or received
    /// for this long (set for uploads, whose whole-exchange timeout is long); `None` is no limit.
    pub idle_timeout: Option<Duration>,
}

/// An [`HttpTransport`] behind a pointer: what a client holds. Its futures own a handle on the
/// transport, so a call's future borrows nothing and can be spawned.
pub(crate) trait DynTransport: MaybeSend + MaybeSync + fmt::Debug {
    fn send_owned(
        self: Arc<Self>,
        request: HttpRequest,
        options: RequestOptions,
    ) -> BoxFuture<'static, Result<HttpResponse, TransportError>>;
}

impl<T: HttpTransport + 'static> DynTransport for T {
    fn send_owned(
        self: Arc<Self>,
        request: HttpRequest,
        options: RequestOptions,
    ) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        Box::pin(async move { self.send(request, options).await })
    }
}
