//! [`HyperTransport`]: hyper-util's pooled client with rustls.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::deadline::Deadlines;
use bytes::Bytes;
use futures_core::Stream;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body as _, Frame, SizeHint};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client as PooledClient, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use imagekit_core::transport::{
    BoxError, BoxFuture, HttpRequest, HttpResponse, HttpTransport, RequestOptions, StreamingBody,
    StreamingRequest, TransportError, TransportErrorKind,
};

type Connector = HttpsConnector<HttpConnector>;
/// An [`HttpTransport`] over hyper 1: pooled keep-alive connections, rustls TLS, timeouts.
///
/// Cheap to clone; clones share the connection pool. Needs a Tokio runtime.
#[derive(Clone)]
pub struct HyperTransport {
    client: PooledClient<Connector, RequestBody>,
    deadlines: Arc<Deadlines>,
}

impl HyperTransport {
    /// A transport with the default settings (see [`HyperTransportBuilder`]).
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Starts configuring a transport.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport").finish_non_exhaustive()
    }
}

/// Configures a [`HyperTransport`].
#[derive(Clone, Debug)]
pub struct HyperTransportBuilder {
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    https_only: bool,
    tls_config: Option<rustls::ClientConfig>,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            pool_idle_timeout: Some(Duration::from_secs(90)),
            // Unlimited, as hyper's default: a cap below the caller's concurrency makes the pool
            // close and reopen connections under load; idle ones still expire.
            pool_max_idle_per_host: usize::MAX,
            https_only: false,
            tls_config: None,
        }
    }
}

impl HyperTransportBuilder {
    /// How long to wait for a connection (TCP and TLS), 10 seconds by default.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long an idle pooled connection is kept, 90 seconds by default.
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections per host the pool keeps; no limit by default (the pool never
    /// holds more than the peak number of calls in flight, and idle ones expire).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Refuse plain `http://` URLs (off by default so local servers work).
    pub fn https_only(mut self, https_only: bool) -> Self {
        self.https_only = https_only;
        self
    }

    /// Use this rustls configuration (custom roots, client certificates) instead of the default.
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls_config = Some(config);
        self
    }

    /// Builds the transport.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(self.connect_timeout);
        http.set_nodelay(true);

        let tls = match self.tls_config {
            Some(config) => HttpsConnectorBuilder::new().with_tls_config(config),
            None => with_default_roots(HttpsConnectorBuilder::new(), crypto_provider())?,
        };
        let tls = if self.https_only { tls.https_only() } else { tls.https_or_http() };
        #[cfg(feature = "http2")]
        let connector = tls.enable_http1().enable_http2().wrap_connector(http);
        #[cfg(not(feature = "http2"))]
        let connector = tls.enable_http1().wrap_connector(http);

        let client = PooledClient::builder(TokioExecutor::new())
            // The pool only expires idle connections with a timer.
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(connector);
        Ok(HyperTransport { client, deadlines: Arc::default() })
    }
}

/// The crypto provider, chosen explicitly so rustls never falls back to a process default.
fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "rustls-aws-lc-rs")]
    return Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
    return Arc::new(rustls::crypto::ring::default_provider());
}

type WantsSchemes = hyper_rustls::builderstates::WantsSchemes;
type WantsTls = hyper_rustls::builderstates::WantsTlsConfig;

fn with_default_roots(
    builder: HttpsConnectorBuilder<WantsTls>,
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<HttpsConnectorBuilder<WantsSchemes>, TransportError> {
    #[cfg(feature = "native-roots")]
    let builder = builder.with_provider_and_native_roots(provider);
    #[cfg(all(feature = "webpki-roots", not(feature = "native-roots")))]
    let builder = builder.with_provider_and_webpki_roots(provider);
    #[cfg(not(any(feature = "webpki-roots", feature = "native-roots")))]
    let builder: Result<HttpsConnectorBuilder<WantsSchemes>, std::io::Error> = {
        let _ = (builder, provider);
        Err(std::io::Error::other(
            "no trusted roots: enable the `webpki-roots` or `native-roots` feature, or pass tls_config",
        ))
    };
    builder.map_err(|e| TransportError::new(TransportErrorKind::Other, e))
}

#[async_trait::async_trait]
impl HttpTransport for HyperTransport {
    async fn send(&self, mut request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let options = request.extensions_mut().remove::<RequestOptions>().unwrap_or_default();
        self.exchange(request.map(|body| RequestBody::Buffered(Some(body))), options).await
    }

    /// Streams the body: each chunk is written as the connection takes it, so memory holds a
    /// few chunks, never the whole body. Timeout and response cap as for `send`.
    async fn send_streaming(&self, mut request: StreamingRequest) -> Result<HttpResponse, TransportError> {
        let options = request.extensions_mut().remove::<RequestOptions>().unwrap_or_default();
        self.exchange(request.map(RequestBody::Streamed), options).await
    }

    // The options are taken as given, so requests carry no extensions map; and the exchange's
    // future is boxed as it is, without an `async` wrapper holding a second copy of the request.
    fn send_with<'a>(
        &'a self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(self.exchange(request.map(|body| RequestBody::Buffered(Some(body))), options))
    }

    fn send_streaming_with<'a>(
        &'a self,
        request: StreamingRequest,
        options: RequestOptions,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(self.exchange(request.map(RequestBody::Streamed), options))
    }
}

/// What the pooled client sends: a body in memory, or a streamed one of exactly its length.
/// An enum rather than a boxed body, so a request costs no allocation for it.
enum RequestBody {
    Buffered(Option<Bytes>),
    Streamed(StreamingBody),
}

/// A failure of the request body's source, marked so it is classified as such.
#[derive(Debug)]
struct SourceFailed(std::io::Error);

impl fmt::Display for SourceFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reading the request body failed: {}", self.0)
    }
}

impl StdError for SourceFailed {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

impl hyper::body::Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.get_mut() {
            Self::Buffered(bytes) => {
                Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(|b| Ok(Frame::data(b))))
            }
            Self::Streamed(stream) => match Pin::new(stream).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
                Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(Box::new(SourceFailed(error))))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Self::Buffered(bytes) if bytes.as_ref().is_none_or(Bytes::is_empty))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Buffered(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Self::Streamed(stream) => SizeHint::with_exact(stream.length()),
        }
    }
}

impl HyperTransport {
    /// Hands the request to the pool now, and returns the future of its answer. The pool's
    /// future holds the request, so this future need not.
    fn exchange(
        &self,
        request: http::Request<RequestBody>,
        options: RequestOptions,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send + '_ {
        let cap = options.max_response_bytes.map_or(usize::MAX, |c| usize::try_from(c).unwrap_or(usize::MAX));
        let responding = self.client.request(request);
        async move {
            // Built in the arm that awaits it: a local awaited in both arms is kept twice.
            match options.timeout {
                Some(limit) => {
                    self.deadlines.run(limit, receive(responding, cap)).await.unwrap_or_else(|| {
                        Err(TransportError::with_message(
                            TransportErrorKind::Timeout,
                            format!("no complete answer within {} ms", limit.as_millis()),
                        ))
                    })
                }
                None => receive(responding, cap).await,
            }
        }
    }
}

/// Waits for the answer and reads it whole, up to `cap` bytes of body.
async fn receive(responding: ResponseFuture, cap: usize) -> Result<HttpResponse, TransportError> {
    let response = responding.await.map_err(classify)?;
    let (parts, body) = response.into_parts();
    let too_large = || {
        TransportError::with_message(
            TransportErrorKind::BodyTooLarge,
            format!("the response body is over the {cap}-byte cap"),
        )
    };
    // Refuse early when the server announces too much (hyper reads `Content-Length` into the
    // body's size hint), and stop reading past the cap when it does not, so memory never holds
    // more than the cap.
    if body.size_hint().lower() > cap as u64 {
        return Err(too_large());
    }
    let body = match Limited::new(body, cap).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => return Err(too_large()),
        Err(error) => return Err(classify_boxed(error)),
    };
    Ok(HttpResponse::from_parts(parts, body))
}

/// Sorts hyper's errors into the kinds the core decides on.
fn classify<E>(error: E) -> TransportError
where
    E: StdError + Send + Sync + 'static,
{
    let kind = kind_of(&error);
    TransportError::new(kind, error)
}

fn classify_boxed(error: Box<dyn StdError + Send + Sync>) -> TransportError {
    let kind = kind_of(&*error);
    TransportError::new(kind, error)
}

fn kind_of(error: &(dyn StdError + 'static)) -> TransportErrorKind {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<SourceFailed>() {
            return TransportErrorKind::BodySource;
        }
        cause = e.source();
    }
    if let Some(e) = error.downcast_ref::<hyper_util::client::legacy::Error>() {
        if e.is_connect() {
            return TransportErrorKind::Connect;
        }
    }
    let mut cause: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = cause {
        if let Some(hyper_error) = e.downcast_ref::<hyper::Error>() {
            if hyper_error.is_timeout() {
                return TransportErrorKind::Timeout;
            }
            if hyper_error.is_user() {
                return TransportErrorKind::InvalidRequest;
            }
            if hyper_error.is_incomplete_message() || hyper_error.is_closed() || hyper_error.is_canceled() {
                return TransportErrorKind::Io;
            }
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return match io.kind() {
                std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
                _ => TransportErrorKind::Io,
            };
        }
        cause = e.source();
    }
    TransportErrorKind::Other
}
