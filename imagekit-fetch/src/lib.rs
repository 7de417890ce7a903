//! The `imagekit-core` transport for JavaScript hosts: browsers, Node 18 and later, Deno and
//! Cloudflare Workers, on `wasm32-unknown-unknown`.
//!
//! Everything the core needs from the host, through globals every one of them has:
//!
//! | the core needs | this crate gives | from the host's |
//! | --- | --- | --- |
//! | a transport | `FetchTransport` | global `fetch`, `AbortController` |
//! | a sleeper (retries, deadlines, timeouts) | `sleep` | `setTimeout` |
//! | a clock (expiries, JWTs, webhook ages) | `DateClock` | `Date.now()` |
//! | a random source (upload tokens, boundaries) | `CryptoRandom` | `crypto.getRandomValues` |
//!
//! `builder()` wires all four into a client builder, `client(private_key)` builds one:
//!
//! ```ignore
//! // In an async function of a wasm32 crate (wasm-bindgen-futures, workers-rs, ...).
//! let client = imagekit_fetch::client(private_key)?;
//! let version = client.files().versions().get("file_id", "version_id").await?;
//! ```
//!
//! The functions are the globals, not `window`'s, so the same build runs in a page, a web
//! worker, Node, Deno and a Worker. The core's own timer and random source (its
//! `default-timer` and `getrandom` features) are not used: they need threads or, for
//! getrandom's JavaScript backend, a `RUSTFLAGS` cfg.
//!
//! Never put the private key in a page: anyone can read it there. In a browser, upload with
//! client-side credentials your server computes (`helper().authentication_parameters(..)` on
//! the server's client) and your public key; see the README's WebAssembly section.
//!
//! # Only on wasm32
//!
//! The API exists only when compiling for `wasm32`; on other targets this crate is empty. That
//! is a property of the types, not a build convenience: JavaScript values and the futures
//! that await them are not `Send`, and on native targets the core requires transports,
//! sleepers and their futures to be `Send` (on wasm32 it does not). The JavaScript
//! dependencies are declared for wasm32 alone, so native builds of the workspace neither
//! compile them nor could call into a JavaScript host that is not there. Build the docs with
//! `--target wasm32-unknown-unknown` to see the API (docs.rs does).
#![warn(missing_docs)]

#[cfg(any(target_arch = "wasm32", test))]
mod classify;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
mod runtime;
#[cfg(target_arch = "wasm32")]
mod transport;

#[cfg(target_arch = "wasm32")]
pub use runtime::{CryptoRandom, DateClock, Delay, sleep};
#[cfg(target_arch = "wasm32")]
pub use transport::FetchTransport;

/// A client builder with a [`FetchTransport`], the [`sleep`] timer, the [`DateClock`] and the
/// [`CryptoRandom`] source; add the private key and any settings, then `build()`.
///
/// With a sleeper, the client's default retry policy applies and deadlines can be set.
///
/// ```no_run
/// # fn run() -> Result<(), imagekit_core::Error> {
/// let client = imagekit_fetch::builder()
///     .private_key("private_...")
///     .deadline(Some(std::time::Duration::from_secs(20)))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[cfg(target_arch = "wasm32")]
pub fn builder() -> imagekit_core::ClientBuilder {
    imagekit_core::Client::builder()
        .transport(FetchTransport::new())
        .sleeper(sleep)
        .clock(DateClock)
        .random(CryptoRandom)
}

/// A client for `private_key` over the host's `fetch`, as [`builder`] configures it.
///
/// ```no_run
/// # async fn run() -> Result<(), imagekit_core::Error> {
/// let client = imagekit_fetch::client("private_...")?;
/// let versions = client.files().versions().list("file_id").await?;
/// # let _ = versions; Ok(()) }
/// ```
#[cfg(target_arch = "wasm32")]
pub fn client(private_key: impl Into<String>) -> Result<imagekit_core::Client, imagekit_core::Error> {
    builder().private_key(private_key).build()
}
