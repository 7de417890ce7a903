//! A ready blocking transport for [`imagekit_core::BlockingClient`]: [`ureq`](https://docs.rs/ureq) with rustls and
//! Mozilla's roots. No async runtime anywhere in its dependencies; retries wait with
//! `std::thread::sleep`.
//!
//! ```no_run
//! # fn run() -> Result<(), imagekit_core::Error> {
//! // IMAGEKIT_PRIVATE_KEY, and IMAGEKIT_BASE_URL when set.
//! let client = imagekit_ureq::from_env()?;
//! let version = client.files().versions().get("file_id", "version_id")?;
//! println!("{:?}", version.version_info);
//! # Ok(()) }
//! ```
//!
//! The agent follows no redirects, reads error statuses as answers, and does not ask for
//! compressed bodies, as the transport contract requires
//! ([`imagekit_core::transport`]); the per-attempt timeout bounds the whole exchange.
//! Upload bodies are streamed: [`upload::file`] reads a file as it is sent.
//!
//! # Proxies
//!
//! [`UreqTransport::new`] reads the environment's proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY`, `NO_PROXY`) and follows the same rule as `imagekit-hyper`,
//! [`imagekit_core::proxy`], choosing the proxy per request: loopback destinations are reached
//! directly, `NO_PROXY` takes curl's forms, nothing is read in a CGI program (`REQUEST_METHOD`
//! set), and a variable that is not a usable `http://` proxy URL is an error when the transport
//! is built. [`UreqTransport::with_proxy_rules`] takes other rules (one proxy for all, or none);
//! an agent given to [`UreqTransport::with_agent`] keeps its own proxy settings.
#![warn(missing_docs)]

// The crate README (its crates.io page) is a doctest, so its example keeps compiling.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub mod upload;

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use imagekit_core::proxy::{Proxy, ProxyRules};
use imagekit_core::transport::{HttpRequest, HttpResponse, RequestBody, RequestOptions};
use imagekit_core::{BlockingClient, BlockingClientBuilder, BlockingTransport, Error};
use imagekit_core::{TransportError, TransportErrorKind};

/// A [`BlockingTransport`] over a [`ureq::Agent`]. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    /// The proxy rule and each of its proxies as ureq's; `None` when every request goes
    /// direct, or the agent was given with its own proxy settings.
    proxies: Option<Arc<Proxies>>,
}

struct Proxies {
    rules: ProxyRules,
    /// The rule's proxies (at most two: `http://` and `https://`), built once.
    built: Vec<(Proxy, ureq::Proxy)>,
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The rules show proxies without their credentials.
        let rules = self.proxies.as_deref().map(|p| &p.rules);
        f.debug_struct("UreqTransport").field("proxies", &rules).finish_non_exhaustive()
    }
}

impl UreqTransport {
    /// A transport over an agent configured for the core (no redirects, error statuses as
    /// answers, no compression asked for), with the proxies of the environment (see the
    /// [crate docs](crate#proxies)).
    ///
    /// An error (of kind [`TransportErrorKind::Other`], naming the variable) when a proxy
    /// variable is not a usable `http://` proxy URL.
    pub fn new() -> Result<Self, TransportError> {
        let rules = ProxyRules::from_env()
            .map_err(|error| TransportError::with_message(TransportErrorKind::Other, error.to_string()))?;
        Self::with_proxy_rules(rules)
    }

    /// A transport like [`UreqTransport::new`]'s with these proxy rules instead of the
    /// environment's: [`ProxyRules::direct`], [`ProxyRules::all`] or variables read from
    /// elsewhere ([`ProxyRules::from_vars`]).
    ///
    /// ```
    /// use imagekit_core::proxy::{Proxy, ProxyRules};
    ///
    /// let proxy = Proxy::parse("http://user:password@proxy.internal:3128")?;
    /// let transport = imagekit_ureq::UreqTransport::with_proxy_rules(ProxyRules::all(proxy))?;
    /// assert!(!format!("{transport:?}").contains("password"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_proxy_rules(rules: ProxyRules) -> Result<Self, TransportError> {
        let agent = Self::config().build().into();
        if rules.is_direct() {
            return Ok(Self { agent, proxies: None });
        }
        let built = rules
            .proxies()
            .map(|proxy| Ok((proxy.clone(), ureq_proxy(proxy)?)))
            .collect::<Result<Vec<_>, TransportError>>()?;
        Ok(Self { agent, proxies: Some(Arc::new(Proxies { rules, built })) })
    }

    /// The agent configuration [`UreqTransport::new`] uses, to change other settings (TLS,
    /// pool sizes) before building the agent for [`UreqTransport::with_agent`]. It reads no
    /// proxy from the environment.
    pub fn config() -> ureq::config::ConfigBuilder<ureq::typestate::AgentScope> {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .accept_encoding(ureq::config::AutoHeaderValue::None)
            // Proxies come from the workspace's rule, per request: ureq's own reading of the
            // environment would proxy loopback and honour HTTP_PROXY in CGI programs.
            .proxy(None)
    }

    /// A transport over this agent. It must follow no redirects and read error statuses as
    /// answers (start from [`UreqTransport::config`]); the transport refuses nothing itself,
    /// and the agent's own proxy settings apply.
    pub fn with_agent(agent: ureq::Agent) -> Self {
        Self { agent, proxies: None }
    }

    /// The proxy for this request, as ureq's; `None` for a direct connection.
    fn proxy_for(&self, uri: &http::Uri) -> Option<ureq::Proxy> {
        let proxies = self.proxies.as_deref()?;
        let proxy = proxies.rules.proxy_for(uri)?;
        proxies.built.iter().find(|(known, _)| known == proxy).map(|(_, built)| built.clone())
    }
}

/// `proxy` as ureq's: an HTTP CONNECT proxy with its credentials.
fn ureq_proxy(proxy: &Proxy) -> Result<ureq::Proxy, TransportError> {
    let mut builder = ureq::Proxy::builder(ureq::ProxyProtocol::Http).host(proxy.host()).port(proxy.port());
    if let Some((user, password)) = proxy.credentials() {
        builder = builder.username(user).password(password);
    }
    builder.build().map_err(|error| {
        TransportError::with_message(
            TransportErrorKind::Proxy,
            format!("the proxy {proxy} is not usable: {error}"),
        )
    })
}

impl BlockingTransport for UreqTransport {
    fn send(&self, request: HttpRequest, options: RequestOptions) -> Result<HttpResponse, TransportError> {
        let (parts, body) = request.into_parts();
        let proxy = self.proxies.as_ref().map(|_| self.proxy_for(&parts.uri));
        let response = match body {
            RequestBody::Full(bytes) => {
                // Borrowed: the body is sent from the bytes the core built, not a copy.
                let request = http::Request::from_parts(parts, &bytes[..]);
                let mut config = self.agent.configure_request(request).timeout_global(options.timeout);
                if let Some(proxy) = proxy {
                    config = config.proxy(proxy);
                }
                self.agent.run(config.build())
            }
            body @ RequestBody::Stream(_) => {
                // Read as ureq writes: a file is never in memory whole. The length is in the
                // request's Content-Length, which ureq keeps.
                let body = ureq::SendBody::from_owned_reader(body.into_reader());
                let request = http::Request::from_parts(parts, body);
                let mut config = self.agent.configure_request(request).timeout_global(options.timeout);
                if let Some(proxy) = proxy {
                    config = config.proxy(proxy);
                }
                self.agent.run(config.build())
            }
        };
        let response = response.map_err(classify)?;
        let (parts, mut body) = response.into_parts();
        let limit = options.max_response_bytes.unwrap_or(u64::MAX);
        let bytes = body.with_config().limit(limit).read_to_vec().map_err(classify)?;
        Ok(HttpResponse::from_parts(parts, Bytes::from(bytes)))
    }
}

/// ureq's failure as the core's kind: only what cannot have reached the server is `Connect`.
fn classify(error: ureq::Error) -> TransportError {
    use ureq::Error as E;
    let kind = match &error {
        E::Timeout(_) => TransportErrorKind::Timeout,
        E::HostNotFound | E::ConnectionFailed => TransportErrorKind::Connect,
        E::Rustls(_) | E::Tls(_) | E::TlsRequired => TransportErrorKind::Tls,
        E::ConnectProxyFailed(_) | E::InvalidProxyUrl => TransportErrorKind::Proxy,
        E::BodyExceedsLimit(_) => TransportErrorKind::BodyTooLarge,
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => TransportErrorKind::Connect,
        E::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
        E::Io(_) => TransportErrorKind::Io,
        _ => TransportErrorKind::Other,
    };
    TransportError::new(kind, error)
}

/// A blocking client builder over a default [`UreqTransport`]; add the private key and any
/// settings, then `build()`. An error when the environment's proxy variables are unusable
/// (see [`UreqTransport::new`]).
///
/// ```no_run
/// # fn run() -> Result<(), imagekit_core::Error> {
/// let client = imagekit_ureq::builder()?
///     .private_key("private_...")
///     .retry_policy(imagekit_core::RetryPolicy::default().with_max_retries(4))
///     .build()?;
/// # Ok(()) }
/// ```
pub fn builder() -> Result<BlockingClientBuilder, Error> {
    Ok(BlockingClient::builder().transport(UreqTransport::new()?))
}

/// A blocking client for `private_key` over a default [`UreqTransport`].
pub fn client(private_key: impl Into<String>) -> Result<BlockingClient, Error> {
    builder()?.private_key(private_key).build()
}

/// A blocking client configured from the environment over a default [`UreqTransport`]:
/// `IMAGEKIT_PRIVATE_KEY` (required), `IMAGEKIT_BASE_URL` and the other names
/// [`imagekit_core::ClientBuilder::from_env`] reads.
pub fn from_env() -> Result<BlockingClient, Error> {
    BlockingClientBuilder::from_env().transport(UreqTransport::new()?).build()
}
