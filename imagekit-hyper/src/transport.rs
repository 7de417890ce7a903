//! [`HyperTransport`]: hyper-util's pooled client with rustls.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_core::Stream;
use http::StatusCode;
use http::header::PROXY_AUTHORIZATION;
use http::uri::Scheme;
use http_body_util::BodyExt;
use hyper::body::{Body as _, Frame, SizeHint};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client as PooledClient, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use imagekit_core::Error;
use imagekit_core::proxy::{Proxy, ProxyRules};
use imagekit_core::transport::{
    BoxError, HttpRequest, HttpResponse, HttpTransport, RequestBody, RequestOptions, StreamingBody,
    TransportError, TransportErrorKind,
};
use rustls::pki_types::CertificateDer;

use crate::proxy::{ConnectTimeout, ProxyConnector, ProxyError, ProxySetting};
use crate::tls;

type Connector = ConnectTimeout<HttpsConnector<ProxyConnector>>;

/// An [`HttpTransport`] over hyper 1: pooled keep-alive connections, rustls TLS, timeouts,
/// proxies.
///
/// Cheap to clone; clones share the connection pool. Needs a Tokio runtime.
#[derive(Clone)]
pub struct HyperTransport {
    client: PooledClient<Connector, Body>,
    /// Which destinations go through which proxy; `None` when every connection is direct.
    proxies: Option<Arc<ProxyRules>>,
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
        // The rules show proxies without their credentials.
        f.debug_struct("HyperTransport").field("proxies", &self.proxies).finish_non_exhaustive()
    }
}

/// Configures a [`HyperTransport`].
///
/// Its `Debug` output shows proxy URLs without their credentials.
#[derive(Clone, Debug)]
pub struct HyperTransportBuilder {
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    https_only: bool,
    tls_config: Option<rustls::ClientConfig>,
    added_roots: Vec<CertificateDer<'static>>,
    proxy: ProxySetting,
    proxy_loopback: bool,
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
            added_roots: Vec::new(),
            proxy: ProxySetting::Environment,
            proxy_loopback: false,
        }
    }
}

impl HyperTransportBuilder {
    /// How long to wait for a connection, 10 seconds by default: the TCP connection, the
    /// proxy's CONNECT tunnel when there is one, and the TLS handshake, together. A connection
    /// that is not ready in time fails as [`TransportErrorKind::Connect`] (nothing was sent) and
    /// [`TransportError::is_timeout`].
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

    /// Refuse plain `http://` URLs (off by default so local servers work; the client refuses
    /// `http://` to hosts that are not loopback in any case).
    pub fn https_only(mut self, https_only: bool) -> Self {
        self.https_only = https_only;
        self
    }

    /// Use this rustls configuration (custom roots, client certificates, another verifier)
    /// instead of the default; ALPN is set by the transport. It replaces the default roots and
    /// cannot be combined with [`add_root_certificate`](Self::add_root_certificate).
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls_config = Some(config);
        self
    }

    /// Also trusts this certificate authority (a DER certificate), besides the roots of the
    /// `webpki-roots` or `native-roots` feature: for a server (a mock, a gateway) with a private
    /// CA. Call it once per certificate. With neither feature, the added roots are the only ones.
    ///
    /// A PEM file gives its certificates with rustls's `PemObject`:
    ///
    /// ```no_run
    /// use rustls::pki_types::CertificateDer;
    /// use rustls::pki_types::pem::PemObject;
    ///
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut builder = imagekit_hyper::HyperTransport::builder();
    /// for certificate in CertificateDer::pem_file_iter("private-ca.pem")? {
    ///     builder = builder.add_root_certificate(certificate?);
    /// }
    /// let transport = builder.build()?;
    /// # let _ = transport; Ok(()) }
    /// ```
    pub fn add_root_certificate(mut self, certificate: CertificateDer<'static>) -> Self {
        self.added_roots.push(certificate);
        self
    }

    /// Sends every request through the HTTP proxy at `url`, `http://[user:password@]host:port`,
    /// instead of the proxies of the environment (which are then not read, `NO_PROXY`
    /// included). `https://` requests go through a CONNECT tunnel, so the proxy sees the host
    /// and port only; `http://` requests are sent to the proxy whole. Credentials in the URL
    /// (percent-encoded where needed) are sent to the proxy alone, as `Proxy-Authorization:
    /// Basic`, and are shown in no `Debug` output or error.
    ///
    /// An invalid URL, or a proxy other than `http://` (`https://` and SOCKS proxies are not
    /// supported), is [`Error::InvalidInput`] for `proxy`, its credentials not shown.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), imagekit_core::Error> {
    /// let transport = imagekit_hyper::HyperTransport::builder()
    ///     .proxy("http://user:password@proxy.internal:3128")?
    ///     .build()?;
    /// # let _ = transport; Ok(()) }
    /// ```
    pub fn proxy(mut self, url: &str) -> Result<Self, Error> {
        self.proxy = ProxySetting::Url(Proxy::parse(url)?);
        Ok(self)
    }

    /// Connects directly to every host: no proxy, and the environment's proxy variables are not
    /// read. By default they are (see the [crate docs](crate#proxies)).
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxySetting::Off;
        self
    }

    /// Reads the proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, in upper
    /// or lower case) from these name and value pairs instead of the process environment, with
    /// the same rules (see the [crate docs](crate#proxies)); other names are ignored. For proxy
    /// settings kept elsewhere than in the environment.
    pub fn proxy_env_vars<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.proxy = ProxySetting::Variables(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect());
        self
    }

    /// Whether `localhost`, `127.0.0.0/8` and `::1` are reached through the proxies of the
    /// environment (or of [`proxy_env_vars`](Self::proxy_env_vars)) too, as curl does; by
    /// default they are reached directly, as Go does, since a local server is not behind the
    /// network's proxy and an `http://` request would show the proxy the private key. A proxy
    /// set with [`proxy`](Self::proxy) is used for every destination regardless.
    pub fn proxy_loopback(mut self, through_proxy: bool) -> Self {
        self.proxy_loopback = through_proxy;
        self
    }

    /// Builds the transport.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(self.connect_timeout);
        http.set_nodelay(true);

        let config = match self.tls_config {
            Some(_) if !self.added_roots.is_empty() => {
                return Err(TransportError::with_message(
                    TransportErrorKind::Other,
                    "add_root_certificate cannot be combined with tls_config: add the certificate to \
                     that configuration's roots",
                ));
            }
            Some(config) => config,
            None => tls::client_config(&self.added_roots)?,
        };
        let tls = HttpsConnectorBuilder::new().with_tls_config(config);
        let tls = if self.https_only { tls.https_only() } else { tls.https_or_http() };
        let proxies = self.proxy.rules(self.proxy_loopback)?;
        let tcp = ProxyConnector::new(http, proxies.clone());
        #[cfg(feature = "http2")]
        let connector = tls.enable_http1().enable_http2().wrap_connector(tcp);
        #[cfg(not(feature = "http2"))]
        let connector = tls.enable_http1().wrap_connector(tcp);
        let connector = ConnectTimeout::new(connector, self.connect_timeout);

        let client = PooledClient::builder(TokioExecutor::new())
            // The pool only expires idle connections with a timer.
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(connector);
        Ok(HyperTransport { client, proxies })
    }
}

impl HttpTransport for HyperTransport {
    /// Streams a streamed body: each chunk is written as the connection takes it, so memory
    /// holds a few chunks, never the whole body.
    fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        let cap = options.max_response_bytes.map_or(usize::MAX, |c| usize::try_from(c).unwrap_or(usize::MAX));
        let progress = options.idle_timeout.map(|idle| Arc::new(Progress::new(idle)));
        let mut request = request.map(|body| Body::new(body, progress.clone()));
        let proxy = self.plain_http_proxy(request.uri()).cloned();
        if let Some(auth) = proxy.as_ref().and_then(Proxy::authorization) {
            // Read by the proxy; an https:// request sends it in the CONNECT instead, never to
            // the server.
            request.headers_mut().insert(PROXY_AUTHORIZATION, auth);
        }
        // Handed to the pool now: the pool's future holds the request, so ours need not.
        let responding = self.client.request(request);
        // Boxed: every call's future holds it, and it is almost always `None`.
        let proxy = proxy.map(Box::new);
        async move {
            let receiving =
                WatchIdle { work: receive(responding, cap, progress.clone(), proxy), progress, timer: None };
            match options.timeout {
                Some(limit) => tokio::time::timeout(limit, receiving).await.unwrap_or_else(|_| {
                    Err(TransportError::with_message(
                        TransportErrorKind::Timeout,
                        format!("no complete answer within {} ms", limit.as_millis()),
                    ))
                }),
                None => receiving.await,
            }
        }
    }
}

impl HyperTransport {
    /// The proxy a plain `http://` request is sent to whole (absolute form), if any.
    fn plain_http_proxy(&self, uri: &http::Uri) -> Option<&Proxy> {
        if uri.scheme() != Some(&Scheme::HTTP) {
            return None;
        }
        self.proxies.as_deref()?.proxy_for(uri)
    }
}

/// What the pooled client sends: a body in memory, or a streamed one of exactly its length.
/// An enum rather than a boxed body, so a request costs no allocation for it.
enum BodyKind {
    Full(Option<Bytes>),
    Streamed(StreamingBody),
}

/// A request body, noting each chunk taken as progress when an idle timeout watches it.
struct Body {
    kind: BodyKind,
    progress: Option<Arc<Progress>>,
}

impl Body {
    fn new(body: RequestBody, progress: Option<Arc<Progress>>) -> Self {
        let kind = match body {
            RequestBody::Full(bytes) => BodyKind::Full(Some(bytes)),
            RequestBody::Stream(stream) => BodyKind::Streamed(stream),
        };
        Self { kind, progress }
    }
}

/// A failure of the request body's source, marked so it is classified as such.
#[derive(Debug)]
struct SourceFailed(std::io::Error);

impl fmt::Display for SourceFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("reading the request body failed")
    }
}

impl StdError for SourceFailed {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let frame = match &mut this.kind {
            BodyKind::Full(bytes) => {
                Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(|b| Ok(Frame::data(b))))
            }
            BodyKind::Streamed(stream) => match Pin::new(stream).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
                Poll::Ready(Some(Err(error))) => {
                    Poll::Ready(Some(Err(Box::new(SourceFailed(error)) as BoxError)))
                }
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            },
        };
        if let (Poll::Ready(Some(Ok(_))), Some(progress)) = (&frame, &this.progress) {
            progress.note();
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        matches!(&self.kind, BodyKind::Full(bytes) if bytes.as_ref().is_none_or(Bytes::is_empty))
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            BodyKind::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            BodyKind::Streamed(stream) => SizeHint::with_exact(stream.length()),
        }
    }
}

/// When an exchange last made progress: a chunk of the body taken by the connection, the
/// answer's head, a chunk of the answer's body.
struct Progress {
    idle: Duration,
    start: Instant,
    /// Milliseconds from `start` to the last progress.
    last_ms: AtomicU64,
}

impl Progress {
    fn new(idle: Duration) -> Self {
        Self { idle, start: Instant::now(), last_ms: AtomicU64::new(0) }
    }

    fn note(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// When the exchange counts as stalled unless it progresses before.
    fn stalls_at(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed)) + self.idle
    }
}

pin_project_lite::pin_project! {
    /// Runs the exchange, ending it with a timeout when it goes idle without progress (when
    /// there is a [`Progress`] to watch; otherwise it is the exchange alone).
    struct WatchIdle<F> {
        #[pin]
        work: F,
        progress: Option<Arc<Progress>>,
        timer: Option<Pin<Box<tokio::time::Sleep>>>,
    }
}

impl<F: Future<Output = Result<HttpResponse, TransportError>>> Future for WatchIdle<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(done) = this.work.poll(cx) {
            return Poll::Ready(done);
        }
        let Some(progress) = this.progress.as_ref() else { return Poll::Pending };
        loop {
            let stalls_at = tokio::time::Instant::from_std(progress.stalls_at());
            let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(stalls_at)));
            if timer.deadline() != stalls_at {
                timer.as_mut().reset(stalls_at);
            }
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            // The timer fired: unless progress came meanwhile, the exchange stalled.
            if progress.stalls_at() <= Instant::now() {
                return Poll::Ready(Err(TransportError::with_message(
                    TransportErrorKind::Timeout,
                    format!("no progress for {} ms (the upload idle timeout)", progress.idle.as_millis()),
                )));
            }
        }
    }
}

/// Waits for the answer and reads it whole, up to `cap` bytes of body. `proxy`: the proxy a
/// plain `http://` request went to, whose 407 is its refusal, not the server's answer.
async fn receive(
    responding: ResponseFuture,
    cap: usize,
    progress: Option<Arc<Progress>>,
    proxy: Option<Box<Proxy>>,
) -> Result<HttpResponse, TransportError> {
    let response = responding.await.map_err(classify)?;
    if let Some(proxy) = &proxy {
        if response.status() == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
            return Err(ProxyError::auth_required(proxy));
        }
    }
    let note = || {
        if let Some(progress) = &progress {
            progress.note();
        }
    };
    note();
    let (parts, mut body) = response.into_parts();
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
    // The usual answer is one frame: it is kept as it came, without a copy.
    let (mut first, mut joined): (Option<Bytes>, Option<bytes::BytesMut>) = (None, None);
    let mut length = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(classify)?;
        note();
        let Ok(data) = frame.into_data() else { continue };
        length = length.saturating_add(data.len());
        if length > cap {
            return Err(too_large());
        }
        match (&mut first, &mut joined) {
            (None, None) => first = Some(data),
            (_, Some(joined)) => joined.extend_from_slice(&data),
            (Some(head), None) => {
                let mut buffer = bytes::BytesMut::with_capacity(head.len() + data.len());
                buffer.extend_from_slice(head);
                buffer.extend_from_slice(&data);
                joined = Some(buffer);
            }
        }
    }
    let body = match (first, joined) {
        (_, Some(joined)) => joined.freeze(),
        (Some(first), None) => first,
        (None, None) => Bytes::new(),
    };
    Ok(HttpResponse::from_parts(parts, body))
}

/// Sorts hyper's errors into the kinds the core decides on.
fn classify<E>(error: E) -> TransportError
where
    E: StdError + Send + Sync + 'static,
{
    // What the chain holds decides: a made error (with its message), or the kind alone.
    let found = causes(&error).find_map(|cause| {
        if cause.is::<SourceFailed>() {
            return Some(Ok(TransportErrorKind::BodySource));
        }
        if let Some(refusal) = cause.downcast_ref::<rustls::Error>() {
            return Some(Err(tls::refused(refusal)));
        }
        let proxy = cause.downcast_ref::<ProxyError>()?;
        Some(match proxy.kind() {
            TransportErrorKind::Proxy => {
                Err(TransportError::with_message(TransportErrorKind::Proxy, proxy.to_string()))
            }
            kind => Ok(kind),
        })
    });
    let kind = match found {
        Some(Err(made)) => return made,
        Some(Ok(kind)) => kind,
        None => kind_of(&error),
    };
    TransportError::new(kind, error)
}

fn kind_of(error: &(dyn StdError + 'static)) -> TransportErrorKind {
    if let Some(e) = error.downcast_ref::<hyper_util::client::legacy::Error>() {
        if e.is_connect() {
            return TransportErrorKind::Connect;
        }
    }
    for cause in causes(error) {
        if let Some(hyper_error) = cause.downcast_ref::<hyper::Error>() {
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
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return match io.kind() {
                std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
                _ => TransportErrorKind::Io,
            };
        }
    }
    TransportErrorKind::Other
}

/// `error` and its causes. An `io::Error` is looked into: its `source` skips the error it
/// wraps, and rustls's certificate errors arrive wrapped twice (tokio-rustls, then hyper-rustls),
/// which is how a refused certificate once passed for a connect failure and was retried.
fn causes<'a>(error: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&cause: &&'a (dyn StdError + 'static)| {
        match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => cause.source(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_error_wrapped_in_two_io_errors_is_found() {
        // As it arrives: rustls's error in tokio-rustls's io::Error, in hyper-rustls's.
        let refusal = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let inner = std::io::Error::new(std::io::ErrorKind::InvalidData, refusal);
        let error = classify(std::io::Error::other(inner));
        assert_eq!(error.kind(), TransportErrorKind::Tls);
        assert!(error.to_string().contains("UnknownIssuer"), "{error}");
    }
}
