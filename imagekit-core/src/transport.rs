//! The transport seam: the one place where bytes move.
//!
//! The core decides what to send and how to read the answer; an [`HttpTransport`] only moves
//! bytes. Implement it to use any HTTP stack (see the crate docs for a complete adapter).

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

/// A request as the core hands it to a transport: the whole body is in memory.
pub type HttpRequest = http::Request<Bytes>;
/// A response as a transport hands it back: status, headers and the whole body.
pub type HttpResponse = http::Response<Bytes>;
/// The boxed error a transport may attach as the cause of a [`TransportError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `Send` on native targets, nothing on `wasm32`, where futures and handles are single-threaded.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send` on native targets, nothing on `wasm32`, where futures and handles are single-threaded.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` on native targets, nothing on `wasm32`.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> MaybeSync for T {}
/// `Sync` on native targets, nothing on `wasm32`.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSync for T {}

/// A boxed future that is `Send` where the target has threads.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
/// A boxed future that is `Send` where the target has threads.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

/// A stream of body chunks that is `Send` where the target has threads.
#[cfg(not(target_arch = "wasm32"))]
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send + 'static>>;
/// A stream of body chunks that is `Send` where the target has threads.
#[cfg(target_arch = "wasm32")]
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + 'static>>;

/// A request body produced chunk by chunk, of a length known before the first byte is sent
/// (it is sent as `Content-Length`).
///
/// Large uploads travel as one of these, so a file is never held in memory whole. An error from
/// the stream means its source failed (a file could not be read): the transport stops and
/// reports [`TransportErrorKind::BodySource`].
pub struct StreamingBody {
    length: u64,
    stream: ByteStream,
}

/// A request whose body is streamed: see [`HttpTransport::send_streaming`].
pub type StreamingRequest = http::Request<StreamingBody>;

impl StreamingBody {
    /// A body of exactly `length` bytes, produced by `stream`.
    pub fn new(length: u64, stream: ByteStream) -> Self {
        Self { length, stream }
    }

    /// A body already in memory, as a stream of one chunk.
    pub fn from_bytes(bytes: Bytes) -> Self {
        let length = bytes.len() as u64;
        Self { length, stream: iter_stream(std::iter::once(Ok(bytes))) }
    }

    /// The number of bytes the body has (its `Content-Length`).
    pub fn length(&self) -> u64 {
        self.length
    }

    /// The chunks.
    pub fn into_stream(self) -> ByteStream {
        self.stream
    }

    /// Reads the whole body into memory: what [`HttpTransport::send_streaming`] does by default.
    pub async fn collect(mut self) -> Result<Bytes, io::Error> {
        // The announced length only sizes the first allocation, so a wrong one cannot exhaust memory.
        let capacity = usize::try_from(self.length.min(64 * 1024 * 1024)).unwrap_or(0);
        let mut buffer = BytesMut::with_capacity(capacity);
        while let Some(chunk) = std::future::poll_fn(|cx| self.stream.as_mut().poll_next(cx)).await {
            buffer.extend_from_slice(&chunk?);
        }
        Ok(buffer.freeze())
    }
}

impl Stream for StreamingBody {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for StreamingBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingBody").field("length", &self.length).finish_non_exhaustive()
    }
}

/// A stream over chunks that are ready at once.
pub(crate) fn iter_stream<I>(chunks: I) -> ByteStream
where
    I: Iterator<Item = Result<Bytes, io::Error>> + MaybeSend + Unpin + 'static,
{
    struct IterStream<I>(I);
    impl<I: Iterator<Item = Result<Bytes, io::Error>> + Unpin> Stream for IterStream<I> {
        type Item = Result<Bytes, io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next())
        }
    }
    Box::pin(IterStream(chunks))
}

/// Sends one HTTP request and reads the whole response.
///
/// The contract, which every implementation must keep:
///
/// * A 4xx or 5xx answer is `Ok(response)`: the core reads error statuses itself.
/// * Read the whole body; do not follow redirects; do not retry. Policy lives in the core.
/// * Honour the per-request [`RequestOptions`] found in `request.extensions()` where the
///   stack can (at least the timeout), and report a timeout as [`TransportErrorKind::Timeout`].
///   (The client calls [`HttpTransport::send_with`], whose default puts them there.)
///
/// # Example: an adapter for another HTTP stack
///
/// ```
/// use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};
///
/// /// Answers every request with an empty list, as a stand-in for a real HTTP client.
/// #[derive(Debug)]
/// struct Canned;
///
/// #[async_trait::async_trait]
/// impl HttpTransport for Canned {
///     async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
///         assert!(request.uri().path().starts_with("/v1/"));
///         http::Response::builder()
///             .status(200)
///             .body(bytes::Bytes::from_static(b"[]"))
///             .map_err(TransportError::other)
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
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait HttpTransport: MaybeSend + MaybeSync + fmt::Debug {
    /// Sends one request and reads the whole response; an error status is `Ok`.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;

    /// Sends one request whose body is streamed (uploads), and reads the whole response.
    ///
    /// The same contract as [`HttpTransport::send`]. The request carries a `Content-Length` of
    /// the body's [`StreamingBody::length`].
    ///
    /// **The default buffers**: it reads the whole body into memory and calls `send`, so every
    /// transport can upload, but a transport that can stream should override this to send
    /// chunks as they come (`imagekit-hyper` does). A failure of the body's source is reported
    /// as [`TransportErrorKind::BodySource`].
    async fn send_streaming(&self, request: StreamingRequest) -> Result<HttpResponse, TransportError> {
        let (parts, body) = request.into_parts();
        let body =
            body.collect().await.map_err(|e| TransportError::new(TransportErrorKind::BodySource, e))?;
        self.send(http::Request::from_parts(parts, body)).await
    }

    /// Sends one request with its per-request options as a value: what the client calls.
    ///
    /// **The default** puts `options` in the request's extensions and calls
    /// [`HttpTransport::send`], so a transport that implements only `send` finds them there.
    /// A transport may override it to read the options directly and spare the request its
    /// extensions map (`imagekit-hyper` does). Either way the contract of `send` holds.
    fn send_with<'a>(
        &'a self,
        mut request: HttpRequest,
        options: RequestOptions,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        request.extensions_mut().insert(options);
        self.send(request)
    }

    /// [`HttpTransport::send_streaming`] with the per-request options as a value; the default
    /// puts them in the request's extensions, as [`HttpTransport::send_with`] does.
    fn send_streaming_with<'a>(
        &'a self,
        mut request: StreamingRequest,
        options: RequestOptions,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        request.extensions_mut().insert(options);
        self.send_streaming(request)
    }
}

// The blanket impls hand back the inner transport's boxed future as it is, rather than boxing a
// future that awaits it: a client holds `Arc<dyn HttpTransport>`, so every call goes through one
// of these, and an extra layer would cost an allocation and a poll per call. The signature is
// the one `async_trait` gives the trait's method.
macro_rules! forward_transport {
    ($($wrapper:ty),+) => {$(
        impl<T: HttpTransport + ?Sized> HttpTransport for $wrapper {
            fn send<'life0, 'async_trait>(
                &'life0 self,
                request: HttpRequest,
            ) -> BoxFuture<'async_trait, Result<HttpResponse, TransportError>>
            where
                'life0: 'async_trait,
                Self: 'async_trait,
            {
                (**self).send(request)
            }

            fn send_streaming<'life0, 'async_trait>(
                &'life0 self,
                request: StreamingRequest,
            ) -> BoxFuture<'async_trait, Result<HttpResponse, TransportError>>
            where
                'life0: 'async_trait,
                Self: 'async_trait,
            {
                (**self).send_streaming(request)
            }

            fn send_with<'a>(
                &'a self,
                request: HttpRequest,
                options: RequestOptions,
            ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
                (**self).send_with(request, options)
            }

            fn send_streaming_with<'a>(
                &'a self,
                request: StreamingRequest,
                options: RequestOptions,
            ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
                (**self).send_streaming_with(request, options)
            }
        }
    )+};
}

forward_transport!(&T, Box<T>, Arc<T>);

/// Per-request settings the core gives the transport with every request.
///
/// The client passes them to [`HttpTransport::send_with`]; its default puts them in the
/// request's `http::Extensions`, where a transport that implements only `send` reads them
/// with `request.extensions().get::<RequestOptions>()`.
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
}

/// What went wrong in a transport, coarse enough for the core to decide what to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake): nothing reached the server.
    Connect,
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
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "could not connect",
            Self::Timeout => "timed out",
            Self::Io => "connection failed mid-request",
            Self::InvalidRequest => "the transport rejected the request",
            Self::BodyTooLarge => "the response body was too large",
            Self::BodySource => "the request body's source failed",
            Self::Other => "transport failure",
        }
    }
}

/// A failure to exchange bytes with the server: the request may or may not have reached it.
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

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
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
        // Wrappers such as hyper's often say little ("client error (Connect)"): show every cause.
        let mut cause: Option<&(dyn std::error::Error + 'static)> =
            self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(err) = cause {
            write!(f, ": {err}")?;
            cause = err.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
