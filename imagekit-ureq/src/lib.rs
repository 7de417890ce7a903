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
//! Upload bodies are streamed: [`upload::file`] reads a file as it is sent. ureq reads the
//! proxy variables of the environment itself (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`); give
//! [`UreqTransport::with_agent`] an agent configured otherwise to change that.
#![warn(missing_docs)]

// The crate README (its crates.io page) is a doctest, so its example keeps compiling.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub mod upload;

use std::fmt;

use bytes::Bytes;
use imagekit_core::transport::{HttpRequest, HttpResponse, RequestBody, RequestOptions};
use imagekit_core::{BlockingClient, BlockingClientBuilder, BlockingTransport, Error};
use imagekit_core::{TransportError, TransportErrorKind};

/// A [`BlockingTransport`] over a [`ureq::Agent`]. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport").finish_non_exhaustive()
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl UreqTransport {
    /// A transport over an agent configured for the core: no redirects, error statuses as
    /// answers, no compression asked for.
    pub fn new() -> Self {
        Self { agent: Self::config().build().into() }
    }

    /// The agent configuration [`UreqTransport::new`] uses, to change other settings (a proxy,
    /// TLS, pool sizes) before building the agent for [`UreqTransport::with_agent`].
    pub fn config() -> ureq::config::ConfigBuilder<ureq::typestate::AgentScope> {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .accept_encoding(ureq::config::AutoHeaderValue::None)
    }

    /// A transport over this agent. It must follow no redirects and read error statuses as
    /// answers (start from [`UreqTransport::config`]); the transport refuses nothing itself.
    pub fn with_agent(agent: ureq::Agent) -> Self {
        Self { agent }
    }
}

impl BlockingTransport for UreqTransport {
    fn send(&self, request: HttpRequest, options: RequestOptions) -> Result<HttpResponse, TransportError> {
        let (parts, body) = request.into_parts();
        let response = match body {
            RequestBody::Full(bytes) => {
                // Borrowed: the body is sent from the bytes the core built, not a copy.
                let request = http::Request::from_parts(parts, &bytes[..]);
                self.agent.run(self.agent.configure_request(request).timeout_global(options.timeout).build())
            }
            body @ RequestBody::Stream(_) => {
                // Read as ureq writes: a file is never in memory whole. The length is in the
                // request's Content-Length, which ureq keeps.
                let body = ureq::SendBody::from_owned_reader(body.into_reader());
                let request = http::Request::from_parts(parts, body);
                self.agent.run(self.agent.configure_request(request).timeout_global(options.timeout).build())
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
/// settings, then `build()`.
///
/// ```no_run
/// # fn run() -> Result<(), imagekit_core::Error> {
/// let client = imagekit_ureq::builder()
///     .private_key("private_...")
///     .retry_policy(imagekit_core::RetryPolicy::default().with_max_retries(4))
///     .build()?;
/// # Ok(()) }
/// ```
pub fn builder() -> BlockingClientBuilder {
    BlockingClient::builder().transport(UreqTransport::new())
}

/// A blocking client for `private_key` over a default [`UreqTransport`].
pub fn client(private_key: impl Into<String>) -> Result<BlockingClient, Error> {
    builder().private_key(private_key).build()
}

/// A blocking client configured from the environment over a default [`UreqTransport`]:
/// `IMAGEKIT_PRIVATE_KEY` (required), `IMAGEKIT_BASE_URL` and the other names
/// [`imagekit_core::ClientBuilder::from_env`] reads.
pub fn from_env() -> Result<BlockingClient, Error> {
    BlockingClientBuilder::from_env().transport(UreqTransport::new()).build()
}
