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
//! Features: `rustls-ring` (default) or `rustls-aws-lc-rs` choose the crypto provider, which is
//! always passed to rustls explicitly (so another crate enabling the other provider cannot make
//! it panic); `webpki-roots` (default) or `native-roots` choose the trusted roots; `http2`
//! (default) negotiates HTTP/2 with servers that offer it. Plain `http://` is accepted so local
//! servers and mocks work; the ImageKit base URLs are `https://`.
#![warn(missing_docs)]

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs")))]
compile_error!("imagekit-hyper needs a crypto provider: enable `rustls-ring` or `rustls-aws-lc-rs`");

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
