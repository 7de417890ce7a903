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
//! The transport needs a Tokio runtime: it spawns connection tasks on the current one.
//!
//! Features: `rustls-ring` (default) or `rustls-aws-lc-rs` choose the crypto provider, which is
//! always passed to rustls explicitly (so another crate enabling the other provider cannot make
//! it panic); `webpki-roots` (default) or `native-roots` choose the trusted roots; `http2`
//! (default) negotiates HTTP/2 with servers that offer it. Plain `http://` is accepted so local
//! servers and mocks work; the ImageKit base URLs are `https://`.
#![warn(missing_docs)]

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs")))]
compile_error!("imagekit-hyper needs a crypto provider: enable `rustls-ring` or `rustls-aws-lc-rs`");

mod transport;

pub use transport::{HyperTransport, HyperTransportBuilder};

use imagekit_core::{Client, ClientBuilder, Error};

/// A client for `private_key` over a default [`HyperTransport`].
///
/// ```no_run
/// # async fn run() -> Result<(), imagekit_core::Error> {
/// let client = imagekit_hyper::client("private_...")?;
/// let versions = client.files().versions().list("file_id").await?;
/// # Ok(()) }
/// ```
pub fn client(private_key: impl Into<String>) -> Result<Client, Error> {
    Client::builder().private_key(private_key).transport(HyperTransport::new()?).build()
}

/// A client configured from the environment over a default [`HyperTransport`]:
/// `IMAGEKIT_PRIVATE_KEY` (required), `IMAGEKIT_BASE_URL` and `IMAGEKIT_UPLOAD_BASE_URL`.
pub fn from_env() -> Result<Client, Error> {
    ClientBuilder::from_env().transport(HyperTransport::new()?).build()
}
