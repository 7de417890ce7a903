//! [`HyperTransport`]: hyper-util's pooled client with rustls.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client as PooledClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use imagekit_core::transport::{
    BoxFuture, HttpRequest, HttpResponse, HttpTransport, RequestOptions, TransportError, TransportErrorKind,
};

type Connector = HttpsConnector<HttpConnector>;

/// An [`HttpTransport`] over hyper 1: pooled keep-alive connections, rustls TLS, timeouts.
///
/// Cheap to clone; clones share the connection pool. Needs a Tokio runtime.
#[derive(Clone)]
pub struct HyperTransport {
    client: PooledClient<Connector, Full<Bytes>>,
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
            pool_max_idle_per_host: 32,
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

    /// How many idle connections per host the pool keeps, 32 by default.
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
        Ok(HyperTransport { client })
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

// Written out rather than with `#[async_trait]`, which would keep the request (256 bytes) and
// both the timed and the untimed exchange in one future of about 1.2 KB: past the size glibc
// serves from its per-thread cache, so every call paid for a slow allocation and free. Handing
// the request to hyper first and boxing only the branch taken keeps the future under 600 bytes.
impl HttpTransport for HyperTransport {
    fn send<'life0, 'async_trait>(
        &'life0 self,
        request: HttpRequest,
    ) -> BoxFuture<'async_trait, Result<HttpResponse, TransportError>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let timeout = request.extensions().get::<RequestOptions>().and_then(|o| o.timeout);
        // Lazy: nothing is sent before the returned future is polled.
        let response = self.client.request(request.map(Full::new));
        let exchange = async move {
            let response = response.await.map_err(classify)?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(classify)?.to_bytes();
            Ok(HttpResponse::from_parts(parts, body))
        };
        match timeout {
            Some(limit) => Box::pin(async move {
                tokio::time::timeout(limit, exchange).await.unwrap_or_else(|_| {
                    Err(TransportError::with_message(
                        TransportErrorKind::Timeout,
                        format!("no complete answer within {} ms", limit.as_millis()),
                    ))
                })
            }),
            None => Box::pin(exchange),
        }
    }
}

/// Sorts hyper's errors into the kinds the core decides on.
fn classify<E>(error: E) -> TransportError
where
    E: StdError + Send + Sync + 'static,
{
    let kind = kind_of(&error);
    TransportError::new(kind, error)
}

fn kind_of(error: &(dyn StdError + 'static)) -> TransportErrorKind {
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
