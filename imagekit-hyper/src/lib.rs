//! The ready HTTP transport for `imagekit-core`: hyper 1 with pooled connections and rustls.
//!
//! ```no_run
//! # async fn run() -> Result<(), imagekit_core::Error> {
//! // IMAGEKIT_PRIVATE_KEY, and IMAGEKIT_BASE_URL when set.
//! let client = imagekit_hyper::from_env()?;
//! let version = client.files().versions().get("file_id", "version_id").await?;
//! println!("{:?}", version.version_info);
//! # Ok(()) }
//! ```
//!
//! The transport needs a Tokio runtime: it spawns connection tasks on the current one. It
//! streams upload bodies, and [`upload`] has the sources that read files and Tokio readers
//! without loading them in memory.
//!
//! Features: `rustls-aws-lc-rs` (default; post-quantum key exchange preferred) or `rustls-ring`
//! (no post-quantum key exchange, for targets where aws-lc-rs does not build) choose the crypto
//! provider, which is always passed to rustls explicitly (so another crate enabling the other
//! provider cannot make it panic); `webpki-roots` (default) or `native-roots` choose the
//! trusted roots ([TLS roots](#tls-roots)); `http2` (default) negotiates HTTP/2 with servers
//! that offer it.
//!
//! The transport sends to the URL it is given, `http://` included unless
//! [`HyperTransportBuilder::https_only`]. The client decides: it refuses an `http://` base URL
//! to a host that is not loopback unless `allow_insecure_http(true)`, so local servers and
//! mocks work while the private key never crosses a network in cleartext by accident.
//! ImageKit's base URLs are `https://`.
//!
//! # Proxies
//!
//! By default a transport reads the proxy variables of the environment when it is built
//! (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, in upper or lower case) and follows
//! the workspace's one proxy rule, [`imagekit_core::proxy`], which `imagekit-ureq` follows too:
//!
//! * `https://` destinations use `HTTPS_PROXY`, then `ALL_PROXY`; `http://` ones `HTTP_PROXY`,
//!   then `ALL_PROXY`. The upper-case name is read first.
//! * `NO_PROXY` takes the forms curl reads: `*`, domains (`.example.com`, `*.example.com`),
//!   `host:port`, IP addresses (`[fd00::1]` too) and CIDR ranges.
//! * Loopback (`localhost`, `127.0.0.0/8`, `::1`) is reached directly, as Go does (curl would
//!   proxy it): a local server is not behind the network's proxy, and a plain `http://`
//!   request to it would show the proxy the private key.
//!   [`HyperTransportBuilder::proxy_loopback`] sends it through the proxy too.
//! * A proxy is `http://[user:password@]host[:port]` (no scheme means `http://`). Credentials
//!   are sent to the proxy alone, as `Proxy-Authorization: Basic`, and appear in no `Debug`
//!   output or error. A variable that is not such a URL (SOCKS and `https://` proxies
//!   included) makes [`HyperTransportBuilder::build`] fail, naming it: a proxy that was meant
//!   never silently becomes a direct connection.
//! * In a CGI program (`REQUEST_METHOD` set) no variable is read, since `HTTP_PROXY` may then
//!   come from a request's `Proxy:` header.
//!
//! An `https://` request goes through a CONNECT tunnel: the proxy sees the host and port, and
//! TLS to the server runs inside the tunnel, so the private key (in `Authorization`) never
//! reaches the proxy. An `http://` request is sent to the proxy whole, in absolute form
//! (`GET http://host/path`), key included. The connect timeout covers the tunnel, and
//! connections through a proxy are pooled per destination like direct ones.
//!
//! [`HyperTransportBuilder::proxy`] sets one proxy for every destination instead (the
//! environment is then not read), [`HyperTransportBuilder::no_proxy`] connects directly to
//! every host, and [`HyperTransportBuilder::proxy_env_vars`] takes the variables from elsewhere
//! than the environment; the last of the three called decides.
//!
//! A proxy that cannot be reached is a connect failure, retried like any other. A proxy that
//! refuses (407 for credentials missing or wrong, or another answer to CONNECT) is
//! [`TransportErrorKind::Proxy`](imagekit_core::TransportErrorKind::Proxy): nothing reached the
//! server, and the call is not retried, since the same proxy refuses again.
//!
//! ```no_run
//! # fn run() -> Result<(), imagekit_core::Error> {
//! let transport = imagekit_hyper::HyperTransport::builder()
//!     .proxy("http://user:password@proxy.internal:3128")?
//!     .build()?;
//! let client = imagekit_core::Client::builder()
//!     .private_key("private_...")
//!     .transport(transport)
//!     .sleeper(tokio::time::sleep)
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! # TLS roots
//!
//! * `webpki-roots` (default): Mozilla's roots, compiled in; works in scratch containers.
//! * `native-roots`: the operating system's roots, read when the transport is built, or those
//!   of the PEM file `SSL_CERT_FILE` names (and of the directories in `SSL_CERT_DIR`) when
//!   either is set. It wins when both features are enabled.
//! * [`HyperTransportBuilder::add_root_certificate`] trusts a private CA besides those (a mock
//!   or a gateway with its own certificates); [`HyperTransportBuilder::tls_config`] replaces the
//!   whole rustls configuration.
//!
//! A certificate that is refused (not signed by a trusted authority, for another host name,
//! expired) fails the call with [`TransportErrorKind::Tls`](imagekit_core::TransportErrorKind::Tls),
//! whose message says which, with rustls's error as its source; it is not retried.
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: feature-gated items get their feature badges.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs")))]
compile_error!("imagekit-hyper needs a crypto provider: enable `rustls-ring` or `rustls-aws-lc-rs`");

// The crate README (its crates.io page) is a doctest, so its example keeps compiling.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod proxy;
mod tls;
mod transport;
pub mod upload;

pub use transport::{HyperTransport, HyperTransportBuilder};

use imagekit_core::{Client, ClientBuilder, Error};

/// A client builder with a default [`HyperTransport`] that waits on the Tokio timer;
/// add the private key and any settings, then `build()`.
///
/// ```no_run
/// # fn run() -> Result<(), imagekit_core::Error> {
/// let client = imagekit_hyper::builder()?
///     .private_key("private_...")
///     .retry_policy(imagekit_core::RetryPolicy::default().with_max_retries(4))
///     .build()?;
/// # Ok(()) }
/// ```
pub fn builder() -> Result<ClientBuilder, Error> {
    Ok(Client::builder().transport(HyperTransport::new()?).sleeper(tokio::time::sleep))
}

/// A client for `private_key` over a default [`HyperTransport`], waiting on the Tokio timer.
///
/// ```no_run
/// # async fn run() -> Result<(), imagekit_core::Error> {
/// let client = imagekit_hyper::client("private_...")?;
/// let versions = client.files().versions().list("file_id").await?;
/// # Ok(()) }
/// ```
pub fn client(private_key: impl Into<String>) -> Result<Client, Error> {
    builder()?.private_key(private_key).build()
}

/// A client configured from the environment over a default [`HyperTransport`], waiting on the
/// Tokio timer:
/// `IMAGEKIT_PRIVATE_KEY` (required), `IMAGEKIT_BASE_URL` and `IMAGEKIT_UPLOAD_BASE_URL`.
pub fn from_env() -> Result<Client, Error> {
    ClientBuilder::from_env().transport(HyperTransport::new()?).sleeper(tokio::time::sleep).build()
}
