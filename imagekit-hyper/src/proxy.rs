//! Proxies: the core's [`ProxyRules`] decides per destination (from the environment's variables
//! or an explicit URL), hyper-util's `Tunnel` opens CONNECT tunnels for `https://`, and
//! `http://` requests go to the proxy in absolute form.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use http::uri::Scheme;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use imagekit_core::proxy::{Proxy, ProxyRules};
use imagekit_core::transport::{BoxError, TransportError, TransportErrorKind};
use tokio::net::TcpStream;
use tower_service::Service;

/// Where a transport's proxies come from: the builder's setting.
#[derive(Clone, Default)]
pub(crate) enum ProxySetting {
    /// The process environment, read when the transport is built.
    #[default]
    Environment,
    /// These variables, read as the environment's would be.
    Variables(Vec<(String, String)>),
    /// This proxy for every destination.
    Url(Proxy),
    /// Direct connections only.
    Off,
}

impl ProxySetting {
    /// The rule for each destination (see [`ProxyRules`]); `None` when every connection is
    /// direct. Variables that name an unusable proxy are an error, naming the variable.
    pub(crate) fn rules(&self, proxy_loopback: bool) -> Result<Option<Arc<ProxyRules>>, TransportError> {
        let rules = match self {
            Self::Environment => ProxyRules::from_env(),
            Self::Variables(vars) => ProxyRules::from_vars(vars.iter().map(|(k, v)| (k, v))),
            Self::Url(proxy) => Ok(ProxyRules::all(proxy.clone())),
            Self::Off => return Ok(None),
        }
        .map_err(|error| TransportError::with_message(TransportErrorKind::Other, error.to_string()))?
        .proxy_loopback(proxy_loopback);
        Ok((!rules.is_direct()).then(|| Arc::new(rules)))
    }
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Environment => f.write_str("Environment"),
            // Names only: a value may hold credentials.
            Self::Variables(vars) => {
                f.debug_tuple("Variables").field(&vars.iter().map(|(k, _)| k).collect::<Vec<_>>()).finish()
            }
            Self::Url(proxy) => f.debug_tuple("Url").field(proxy).finish(),
            Self::Off => f.write_str("Off"),
        }
    }
}

/// Connects to a destination directly, through a CONNECT tunnel (`https://`), or to the proxy
/// itself (`http://`, marked so the request line is written in absolute form).
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    tcp: HttpConnector,
    proxies: Option<Arc<ProxyRules>>,
}

impl ProxyConnector {
    pub(crate) fn new(tcp: HttpConnector, proxies: Option<Arc<ProxyRules>>) -> Self {
        Self { tcp, proxies }
    }
}

type Connecting<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

impl Service<Uri> for ProxyConnector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Connecting<Conn>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.tcp.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let Some(proxy) = self.proxies.as_deref().and_then(|rules| rules.proxy_for(&destination)) else {
            let connecting = self.tcp.call(destination);
            return Box::pin(async move { Ok(Conn { io: connecting.await?, via_proxy: false }) });
        };
        let shown = ProxyError::name(proxy);
        if destination.scheme() == Some(&Scheme::HTTPS) {
            // The origin's TLS runs inside the tunnel: the proxy sees the host and port only.
            let mut tunnel = Tunnel::new(proxy.uri(), self.tcp.clone());
            if let Some(auth) = proxy.authorization() {
                tunnel = tunnel.with_auth(auth);
            }
            let target = destination.authority().map(ToString::to_string).unwrap_or_default();
            let tunnelling = tunnel.call(destination);
            Box::pin(async move {
                let io = tunnelling.await.map_err(|e| ProxyError::tunnel(shown, target, e))?;
                Ok(Conn { io, via_proxy: false })
            })
        } else {
            let connecting = self.tcp.call(proxy.uri());
            Box::pin(async move {
                let io = connecting
                    .await
                    .map_err(|e| ProxyError { proxy: shown, failure: Failure::Unreachable(e.into()) })?;
                Ok(Conn { io, via_proxy: true })
            })
        }
    }
}

/// Bounds a whole connection attempt, TCP to TLS, proxy handshake included: the pooled
/// client's connector has no such limit of its own.
#[derive(Clone)]
pub(crate) struct ConnectTimeout<C> {
    inner: C,
    limit: Option<Duration>,
}

impl<C> ConnectTimeout<C> {
    pub(crate) fn new(inner: C, limit: Option<Duration>) -> Self {
        Self { inner, limit }
    }
}

impl<C> Service<Uri> for ConnectTimeout<C>
where
    C: Service<Uri>,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Connecting<C::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let connecting = self.inner.call(destination);
        let limit = self.limit;
        Box::pin(async move {
            let Some(limit) = limit else { return connecting.await.map_err(Into::into) };
            match tokio::time::timeout(limit, connecting).await {
                Ok(outcome) => outcome.map_err(Into::into),
                // TimedOut, so the error reads as a timeout as well as a connect failure.
                Err(_) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no connection within {} ms (the connect timeout)", limit.as_millis()),
                )
                .into()),
            }
        })
    }
}

/// A TCP connection, to the destination or to a proxy that takes requests in absolute form.
pub(crate) struct Conn {
    io: TokioIo<TcpStream>,
    via_proxy: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.via_proxy)
    }
}

impl Read for Conn {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

/// The error of hyper-util's tunnel, which it does not export by name.
type TunnelError = <Tunnel<HttpConnector> as Service<Uri>>::Error;

/// A proxy that could not be reached, or that refused to carry the connection.
#[derive(Debug)]
pub(crate) struct ProxyError {
    /// `scheme://host:port` of the proxy (never with credentials).
    proxy: String,
    failure: Failure,
}

#[derive(Debug)]
enum Failure {
    /// No connection to the proxy.
    Unreachable(BoxError),
    /// The connection to the proxy failed while the tunnel was being opened.
    Lost(io::Error),
    /// 407: the proxy wants credentials, or other ones.
    AuthRequired,
    /// Any other answer than 200 to CONNECT.
    Refused { target: String },
    /// Something other than an HTTP answer, or none.
    Garbled,
}

impl ProxyError {
    /// `http://host:port`: the proxy without its credentials.
    fn name(proxy: &Proxy) -> String {
        proxy.uri().to_string().trim_end_matches('/').to_owned()
    }

    fn tunnel(proxy: String, target: String, error: TunnelError) -> Self {
        let failure = match error {
            TunnelError::ConnectFailed(error) => Failure::Unreachable(error),
            TunnelError::Io(error) => Failure::Lost(error),
            TunnelError::ProxyAuthRequired => Failure::AuthRequired,
            TunnelError::TunnelUnsuccessful => Failure::Refused { target },
            _ => Failure::Garbled,
        };
        Self { proxy, failure }
    }

    /// The error of a plain `http://` request the proxy answered with 407.
    pub(crate) fn auth_required(proxy: &Proxy) -> TransportError {
        let error = Self { proxy: Self::name(proxy), failure: Failure::AuthRequired };
        TransportError::with_message(TransportErrorKind::Proxy, error.to_string())
    }

    /// No connection to the proxy is [`TransportErrorKind::Connect`] (retried, as a direct
    /// connection would be: nothing was sent); a refusal is [`TransportErrorKind::Proxy`].
    pub(crate) fn kind(&self) -> TransportErrorKind {
        match self.failure {
            Failure::Unreachable(_) | Failure::Lost(_) => TransportErrorKind::Connect,
            _ => TransportErrorKind::Proxy,
        }
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proxy = &self.proxy;
        match &self.failure {
            Failure::Unreachable(_) => write!(f, "could not connect to the proxy {proxy}"),
            Failure::Lost(_) => {
                write!(f, "the connection to the proxy {proxy} failed while opening a tunnel")
            }
            Failure::AuthRequired => write!(
                f,
                "the proxy {proxy} answered 407 Proxy Authentication Required: its credentials are \
                 missing or wrong (give them in the proxy URL, http://user:password@host:port)"
            ),
            Failure::Refused { target } => {
                write!(f, "the proxy {proxy} refused to open a tunnel to {target}")
            }
            Failure::Garbled => write!(f, "the proxy {proxy} did not answer CONNECT with an HTTP status"),
        }
    }
}

impl StdError for ProxyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.failure {
            Failure::Unreachable(error) => Some(error.as_ref()),
            Failure::Lost(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_show_no_credentials() {
        let vars = ProxySetting::Variables(vec![("HTTPS_PROXY".into(), "http://user:secret@proxy:1".into())]);
        let url = ProxySetting::Url(Proxy::parse("http://user:secret@proxy:1").unwrap());
        for setting in [vars, url] {
            let shown = format!("{setting:?} {:?}", setting.rules(false).unwrap());
            assert!(!shown.contains("secret") && shown.contains("proxy"), "{shown}");
        }
    }

    #[test]
    fn an_unusable_variable_fails_the_build_naming_it() {
        let vars = ProxySetting::Variables(vec![("ALL_PROXY".into(), "socks5://proxy:1080".into())]);
        let error = vars.rules(false).unwrap_err();
        // A setting, not a refusal: nothing was sent.
        assert_eq!(error.kind(), TransportErrorKind::Other);
        assert!(error.to_string().contains("ALL_PROXY"), "{error}");
    }
}
