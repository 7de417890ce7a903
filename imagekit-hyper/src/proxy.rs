//! Proxies, on hyper-util's proxy support: its `Matcher` decides per destination (from the
//! environment's variables or an explicit URL), its `Tunnel` opens CONNECT tunnels for
//! `https://`, and `http://` requests go to the proxy in absolute form.

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
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use imagekit_core::transport::{BoxError, TransportError, TransportErrorKind};
use tokio::net::TcpStream;
use tower_service::Service;

/// The names read for each setting, in order: the first one present wins, even when empty.
const ALL: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const HTTP: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const HTTPS: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const NO: [&str; 2] = ["NO_PROXY", "no_proxy"];
/// Set in a CGI program, where `HTTP_PROXY` may come from a request header ("httpoxy"): hyper-util
/// then reads no proxy variable at all, and so do [`Variables`](ProxySetting::Variables).
const CGI: &str = "REQUEST_METHOD";

/// Where a transport's proxies come from: the builder's setting.
#[derive(Clone, Default)]
pub(crate) enum ProxySetting {
    /// The process environment, read when the transport is built.
    #[default]
    Environment,
    /// These variables, read as the environment's would be.
    Variables(Vec<(String, String)>),
    /// This proxy for every destination.
    Url(ProxyUrl),
    /// Direct connections only.
    Off,
}

/// The proxies a transport uses: hyper-util's matcher, and whether loopback destinations skip
/// it.
pub(crate) struct Proxies {
    matcher: Matcher,
    loopback_direct: bool,
}

impl Proxies {
    /// The proxy for `destination`, if any.
    pub(crate) fn intercept(&self, destination: &Uri) -> Option<Intercept> {
        let proxy = self.matcher.intercept(destination)?;
        if self.loopback_direct && destination.host().is_some_and(is_loopback) {
            return None;
        }
        Some(proxy)
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // hyper-util's matcher shows proxies without their credentials.
        f.debug_struct("Proxies")
            .field("matcher", &self.matcher)
            .field("loopback_direct", &self.loopback_direct)
            .finish()
    }
}

/// `localhost` (and names under it), `127.0.0.0/8` and `::1`, as written: no lookup.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let name = host.trim_end_matches('.');
    let under_localhost = name.len() > ".localhost".len()
        && name.is_char_boundary(name.len() - ".localhost".len())
        && name[name.len() - ".localhost".len()..].eq_ignore_ascii_case(".localhost");
    name.eq_ignore_ascii_case("localhost")
        || under_localhost
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl ProxySetting {
    /// The proxies for each destination; `None` when nothing can be proxied. Proxies read as
    /// the environment's skip loopback destinations unless `proxy_loopback`: a local server is
    /// not behind the network's proxy, and a proxy must not see what is sent to it in cleartext.
    pub(crate) fn proxies(&self, proxy_loopback: bool) -> Option<Arc<Proxies>> {
        let matcher = match self {
            // Nothing set (the usual case): no matcher to consult on every request.
            Self::Environment
                if !ALL.iter().chain(&HTTP).chain(&HTTPS).any(|name| std::env::var_os(name).is_some()) =>
            {
                return None;
            }
            Self::Environment => Matcher::from_env(),
            Self::Variables(vars) => {
                let first = |names: [&str; 2]| {
                    names
                        .iter()
                        .find_map(|name| vars.iter().find(|(key, _)| key == name))
                        .map_or("", |(_, value)| value.as_str())
                };
                if vars.iter().any(|(key, _)| key == CGI) {
                    return None;
                }
                Matcher::builder().all(first(ALL)).http(first(HTTP)).https(first(HTTPS)).no(first(NO)).build()
            }
            // An explicit proxy is for every destination: it was asked for.
            Self::Url(url) => {
                let matcher = Matcher::builder().all(url.raw.as_str()).build();
                return Some(Arc::new(Proxies { matcher, loopback_direct: false }));
            }
            Self::Off => return None,
        };
        Some(Arc::new(Proxies { matcher, loopback_direct: !proxy_loopback }))
    }
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Environment => f.write_str("Environment"),
            Self::Variables(vars) => {
                f.debug_map().entries(vars.iter().map(|(key, value)| (key, redact(value)))).finish()
            }
            Self::Url(url) => f.debug_tuple("Url").field(&url.shown).finish(),
            Self::Off => f.write_str("Off"),
        }
    }
}

/// An explicit proxy URL, checked: `http://[user:password@]host[:port]`.
#[derive(Clone)]
pub(crate) struct ProxyUrl {
    raw: String,
    /// The URL with its credentials replaced by `***`: what Debug and errors show.
    shown: String,
}

impl ProxyUrl {
    /// Checks `url`; the reason it is refused otherwise (the URL shown without credentials).
    pub(crate) fn parse(url: &str) -> Result<Self, String> {
        let shown = redact(url);
        let refuse = |why: &str| Err(format!("`{shown}` {why}; expected http://[user:password@]host:port"));
        if misplaced_credentials(url) {
            return refuse(UNENCODED_CREDENTIALS);
        }
        let Ok(uri) = url.parse::<Uri>() else { return refuse("is not a URL") };
        match uri.scheme_str() {
            Some("http") | None => {}
            Some(scheme @ ("https" | "socks4" | "socks4a" | "socks5" | "socks5h")) => {
                return refuse(&format!("is a {scheme} proxy, which this transport does not support"));
            }
            Some(_) => return refuse("has a scheme other than http"),
        }
        let Some(authority) = uri.authority() else { return refuse("has no host") };
        let host = authority.host();
        if host.is_empty() {
            return refuse("has no host");
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return refuse("has a path or query");
        }
        Ok(Self { raw: url.to_owned(), shown })
    }
}

/// Why a proxy URL with [`misplaced_credentials`] is refused.
const UNENCODED_CREDENTIALS: &str =
    "has credentials with an unencoded `#`, `/` or `?`, which would end the host early (percent-encode them)";

/// `url` with everything up to its last `@` (its user name and password) replaced by `***`.
/// The last `@` anywhere, not only in the authority as a parser reads it: a password holding
/// an unencoded `#`, `/` or `?` would otherwise be shown from that character on.
pub(crate) fn redact(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    match rest.rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &rest[at..]),
        None => url.to_owned(),
    }
}

/// Whether `url` has an `@` after its authority ends (at the first `/`, `?` or `#`): credentials
/// whose `#`, `/` or `?` were not percent-encoded. A parser reads such a URL with the user name
/// as the host, so the name would go to DNS and the password into the path.
pub(crate) fn misplaced_credentials(url: &str) -> bool {
    let rest = url.find("://").map_or(url, |i| &url[i + 3..]);
    rest.find(['/', '?', '#']).is_some_and(|end| rest[end..].contains('@'))
}

impl ProxySetting {
    /// Refuses proxy variables with [`misplaced_credentials`], naming the variable, before any
    /// connection is made: read as written, they would send the user name to DNS.
    pub(crate) fn check(&self) -> Result<(), String> {
        let names = || ALL.iter().chain(&HTTP).chain(&HTTPS);
        let values: Vec<(String, String)> = match self {
            Self::Environment => {
                names().filter_map(|name| Some(((*name).to_owned(), std::env::var(name).ok()?))).collect()
            }
            Self::Variables(vars) => {
                vars.iter().filter(|(key, _)| names().any(|name| name == key)).cloned().collect()
            }
            Self::Url(_) | Self::Off => Vec::new(),
        };
        match values.iter().find(|(_, value)| misplaced_credentials(value)) {
            Some((name, value)) => {
                Err(format!("{name} is `{}`, which {UNENCODED_CREDENTIALS}", redact(value)))
            }
            None => Ok(()),
        }
    }
}

/// Connects to a destination directly, through a CONNECT tunnel (`https://`), or to the proxy
/// itself (`http://`, marked so the request line is written in absolute form).
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    tcp: HttpConnector,
    proxies: Option<Arc<Proxies>>,
}

impl ProxyConnector {
    pub(crate) fn new(tcp: HttpConnector, proxies: Option<Arc<Proxies>>) -> Self {
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
        let Some(proxy) = self.proxies.as_deref().and_then(|m| m.intercept(&destination)) else {
            let connecting = self.tcp.call(destination);
            return Box::pin(async move { Ok(Conn { io: connecting.await?, via_proxy: false }) });
        };
        let shown = ProxyError::name(&proxy);
        if proxy.uri().scheme() != Some(&Scheme::HTTP) {
            let scheme = proxy.uri().scheme_str().unwrap_or_default().to_owned();
            return Box::pin(async move {
                Err(ProxyError { proxy: shown, failure: Failure::Unsupported(scheme) }.into())
            });
        }
        if destination.scheme() == Some(&Scheme::HTTPS) {
            // The origin's TLS runs inside the tunnel: the proxy sees the host and port only.
            let mut tunnel = Tunnel::new(proxy.uri().clone(), self.tcp.clone());
            if let Some(auth) = proxy.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            let target = destination.authority().map(ToString::to_string).unwrap_or_default();
            let tunnelling = tunnel.call(destination);
            Box::pin(async move {
                let io = tunnelling.await.map_err(|e| ProxyError::tunnel(shown, target, e))?;
                Ok(Conn { io, via_proxy: false })
            })
        } else {
            let connecting = self.tcp.call(proxy.uri().clone());
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
    /// A proxy scheme other than `http`.
    Unsupported(String),
}

impl ProxyError {
    fn name(proxy: &Intercept) -> String {
        let uri = proxy.uri();
        format!("{}://{}", uri.scheme_str().unwrap_or("http"), uri.authority().map_or("", |a| a.as_str()))
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
    pub(crate) fn auth_required(proxy: &Intercept) -> TransportError {
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
            Failure::Unsupported(scheme) => write!(
                f,
                "the proxy {proxy} is a {scheme} proxy, which this transport does not support: use an \
                 http:// proxy, or connect directly with HyperTransportBuilder::no_proxy"
            ),
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
    fn credentials_are_redacted() {
        assert_eq!(redact("http://user:secret@proxy:3128"), "http://***@proxy:3128");
        assert_eq!(redact("http://token@proxy:3128/"), "http://***@proxy:3128/");
        assert_eq!(redact("user:p@ss@proxy:3128"), "***@proxy:3128");
        // An `@` past a `/`, `?` or `#` may end a password that holds one: redacted too.
        assert_eq!(redact("http://user:pa#ss@127.0.0.1:4341"), "http://***@127.0.0.1:4341");
        assert_eq!(redact("http://user:pa/ss@proxy:1"), "http://***@proxy:1");
        assert_eq!(redact("http://proxy:3128/a@b"), "http://***@b");
        assert_eq!(redact("http://proxy:3128"), "http://proxy:3128");
    }

    #[test]
    fn unencoded_credentials_are_refused_without_showing_them() {
        for bad in ["http://user:pa#ss@127.0.0.1:4341", "http://user:pa/ss@proxy:1", "http://u:p?w@proxy:1"] {
            let reason = ProxyUrl::parse(bad).err().unwrap_or_else(|| panic!("{bad:?} was accepted"));
            assert!(reason.contains("percent-encode"), "{reason}");
            let credentials = &bad["http://".len()..bad.rfind('@').unwrap()];
            assert!(!reason.contains(credentials), "{reason}");
        }
        assert!(ProxyUrl::parse("http://user:pa%23ss@127.0.0.1:4341").is_ok(), "encoded is fine");
        for name in ["HTTPS_PROXY", "http_proxy", "ALL_PROXY"] {
            let vars = vec![(name.to_owned(), "http://user:pa/ss@127.0.0.1:4332".to_owned())];
            let reason = ProxySetting::Variables(vars).check().unwrap_err();
            assert!(reason.contains(name) && reason.contains("percent-encode"), "{reason}");
            assert!(!reason.contains("user:pa/ss"), "{reason}");
        }
        let fine = vec![("HTTPS_PROXY".to_owned(), "http://user:secret@proxy:1".to_owned())];
        assert!(ProxySetting::Variables(fine).check().is_ok());
    }

    #[test]
    fn proxy_urls_are_checked() {
        assert!(ProxyUrl::parse("http://user:secret@proxy:3128").is_ok());
        assert!(ProxyUrl::parse("http://proxy:3128/").is_ok());
        assert!(ProxyUrl::parse("proxy:3128").is_ok());
        for bad in [
            "",
            "http://",
            "http://proxy:3128/path",
            "http://proxy?x=1",
            "ftp://proxy",
            "socks5h://p:1",
            "a b",
        ] {
            let reason = ProxyUrl::parse(bad).err().unwrap_or_else(|| panic!("{bad:?} was accepted"));
            assert!(reason.contains("expected http://"), "{reason}");
        }
        let reason = ProxyUrl::parse("https://user:secret@proxy:3128/x").err().unwrap();
        assert!(!reason.contains("secret") && reason.contains("***@proxy:3128"), "{reason}");
    }

    #[test]
    fn variables_are_read_upper_case_first_and_all_proxy_last() {
        let setting = |vars: &[(&str, &str)]| {
            ProxySetting::Variables(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
                .proxies(false)
                .unwrap()
        };
        let https = "https://api.imagekit.io/v1".parse::<Uri>().unwrap();
        let proxy_of = |m: &Proxies| m.intercept(&https).map(|i| i.uri().authority().unwrap().to_string());
        let upper = setting(&[("https_proxy", "http://lower:1"), ("HTTPS_PROXY", "http://upper:1")]);
        assert_eq!(proxy_of(&upper).as_deref(), Some("upper:1"));
        let lower = setting(&[("https_proxy", "http://lower:1"), ("ALL_PROXY", "http://all:1")]);
        assert_eq!(proxy_of(&lower).as_deref(), Some("lower:1"));
        let all = setting(&[("all_proxy", "http://all:1"), ("HTTP_PROXY", "http://plain:1")]);
        assert_eq!(proxy_of(&all).as_deref(), Some("all:1"));
        let excluded = setting(&[("HTTPS_PROXY", "http://upper:1"), ("no_proxy", "imagekit.io")]);
        assert_eq!(proxy_of(&excluded), None);
        assert!(ProxySetting::Variables(vec![(CGI.into(), "GET".into())]).proxies(false).is_none());
    }

    #[test]
    fn loopback_skips_the_environment_proxy_unless_asked_and_never_an_explicit_one() {
        let vars = vec![("ALL_PROXY".to_owned(), "http://proxy:1".to_owned())];
        let from_env = ProxySetting::Variables(vars.clone()).proxies(false).unwrap();
        let with_loopback = ProxySetting::Variables(vars).proxies(true).unwrap();
        let explicit = ProxySetting::Url(ProxyUrl::parse("http://proxy:1").unwrap()).proxies(false).unwrap();
        for local in [
            "http://localhost:8080/",
            "https://LOCALHOST./",
            "http://a.localhost/",
            "http://127.0.0.1/",
            "http://127.9.9.9:1/",
            "http://[::1]:80/",
        ] {
            let uri = local.parse::<Uri>().unwrap();
            assert!(from_env.intercept(&uri).is_none(), "{local}");
            assert!(with_loopback.intercept(&uri).is_some(), "{local}");
            assert!(explicit.intercept(&uri).is_some(), "{local}");
        }
        for remote in
            ["https://api.imagekit.io/", "http://10.0.0.1/", "http://localhost.example.com/", "http://[::2]/"]
        {
            assert!(from_env.intercept(&remote.parse::<Uri>().unwrap()).is_some(), "{remote}");
        }
    }
}
