//! The sans-IO core of the ImageKit.io API client.
//!
//! # Quickstart
//!
//! Add a ready transport beside this crate, [`imagekit-hyper`](https://docs.rs/imagekit-hyper)
//! for async programs on Tokio:
//!
//! ```toml
//! [dependencies]
//! imagekit-core = "0.1"
//! imagekit-hyper = "0.1"
//! tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
//! ```
//!
//! ```ignore
//! #[tokio::main]
//! async fn main() -> Result<(), imagekit_core::Error> {
//!     // IMAGEKIT_PRIVATE_KEY, and IMAGEKIT_BASE_URL when set.
//!     let client = imagekit_hyper::from_env()?;
//!     for version in client.files().versions().list("file_id").await? {
//!         println!("{:?} {:?}", version.version_id(), version.version_name());
//!     }
//!     Ok(())
//! }
//! ```
//!
//! The other ready transports: [`imagekit-ureq`](https://docs.rs/imagekit-ureq) for synchronous
//! programs (a [`BlockingClient`], no async runtime) and
//! [`imagekit-fetch`](https://docs.rs/imagekit-fetch) for JavaScript hosts on wasm32 (browsers,
//! Node, Deno, Workers). For your tests, [`imagekit-mock`](https://docs.rs/imagekit-mock) has a
//! scripted transport, a mockall mock and an in-memory ImageKit emulator. Any other HTTP stack
//! fits behind [`HttpTransport`], one method (see [`transport`]).
//!
//! Where to look next: the calls are under [`Client`] (`files()`, `assets()`, `folders()`, ...,
//! one module per resource in [`resources`]), uploads in [`upload`], delivery URLs and signing
//! in [`url`], webhook checks in [`webhook`], errors in [`Error`].
//!
//! # How it is built
//!
//! `imagekit-core` decides what to send and how to read the answer; a transport only moves
//! bytes. It has no async runtime and no HTTP stack of its own, so it builds for
//! `wasm32-unknown-unknown` and works over any HTTP client you bring.
//!
//! The layers, top down:
//!
//! * **resources** (`client.files().versions().get(..)`): one module per API resource; each
//!   method describes an [`operation::Operation`] and hands it to its [`Caller`];
//! * **callers**: [`Client`] runs it over an [`HttpTransport`] with retries, [`BlockingClient`]
//!   over a [`transport::BlockingTransport`], and [`Config`] returns it for your own I/O;
//! * **operations**: an `Operation` and a `Config` make an `http::Request`; an
//!   `http::Response` becomes the typed value or an [`Error`].
//!
//! ```
//! use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestOptions};
//! use imagekit_core::{Client, Error, TransportError};
//!
//! // Any HTTP stack fits behind the seam; this one answers from memory.
//! #[derive(Debug)]
//! struct Canned;
//!
//! impl HttpTransport for Canned {
//!     async fn send(&self, request: HttpRequest, _: RequestOptions) -> Result<HttpResponse, TransportError> {
//!         assert_eq!(request.uri(), "https://api.imagekit.io/v1/files/f1/versions/v2");
//!         let body = r#"{"fileId":"f1","type":"file-version","versionInfo":{"id":"v2","name":"Version 2"}}"#;
//!         Ok(http::Response::new(body.into()))
//!     }
//! }
//!
//! # futures_executor_stub::block_on(async {
//! let client = Client::builder().private_key("private_key").transport(Canned).build()?;
//! let version = client.files().versions().get("f1", "v2").await?;
//! assert_eq!(version.version_name(), Some("Version 2"));
//! # Ok::<(), Error>(())
//! # }).unwrap();
//! # mod futures_executor_stub {
//! #     pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #         let waker = std::task::Waker::noop();
//! #         let mut cx = std::task::Context::from_waker(&waker);
//! #         let mut f = std::pin::pin!(f);
//! #         loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
//! #     }
//! # }
//! ```
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: feature-gated items get their feature badges.
#![cfg_attr(docsrs, feature(doc_cfg))]
// On wasm32 what the client shares is not `Send` (see `runtime::MaybeSend`), yet the same `Arc`
// serves both targets: there is one thread, so the lint's concern does not arise.
#![cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]

// The crate README (its crates.io page) is a doctest, so its example keeps compiling.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod attempt;
#[cfg(not(target_arch = "wasm32"))]
mod blocking;
mod body;
mod budget;
mod builder;
mod call;
mod caller;
mod client;
pub mod config;
mod encode;
pub mod error;
pub mod models;
mod multipart;
pub mod operation;
pub mod phash;
pub mod proxy;
pub mod resources;
pub mod response;
pub mod retry;
pub mod runtime;
mod send;
mod telemetry;
pub mod transport;
pub mod upload;
pub mod url;
pub mod webhook;

#[cfg(not(target_arch = "wasm32"))]
pub use blocking::BlockingClient;
#[cfg(not(target_arch = "wasm32"))]
pub use builder::BlockingClientBuilder;
pub use builder::{Builder, ClientBuilder, ConfigBuilder, RunsCalls};
pub use call::Call;
pub use caller::Caller;
pub use client::{CallDefaults, CallOptions, Client};
pub use config::Config;
pub use error::{ApiError, DecodeError, Error, InvalidInput, TransportError, TransportErrorKind};
pub use response::{ApiResponse, RateLimit, ResponseMeta};
pub use retry::RetryPolicy;
pub use runtime::{Clock, FixedClock, Sleep, SystemClock};
pub use send::CallFuture;
pub use transport::{BlockingTransport, HttpTransport};
pub use upload::{UploadCall, UploadFile, UploadSource};
