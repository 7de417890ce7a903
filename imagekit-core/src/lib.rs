//! The sans-IO core of the ImageKit.io API client.
//!
//! `imagekit-core` decides what to send and how to read the answer; an [`HttpTransport`] only
//! moves bytes. It has no async runtime and no HTTP stack of its own, so it builds for
//! `wasm32-unknown-unknown` and works over any HTTP client you bring. For a ready transport use
//! `imagekit-hyper`; for unit tests use `imagekit-mock`.
//!
//! ```
//! use imagekit_core::{Client, Error};
//! use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};
//!
//! // Any HTTP stack fits behind the seam; this one answers from memory.
//! #[derive(Debug)]
//! struct Canned;
//!
//! #[async_trait::async_trait]
//! impl HttpTransport for Canned {
//!     async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
//!         assert_eq!(request.uri(), "https://api.imagekit.io/v1/files/f1/versions/v2");
//!         let body = r#"{"fileId":"f1","type":"file-version","versionInfo":{"id":"v2","name":"Version 2"}}"#;
//!         Ok(http::Response::new(body.into()))
//!     }
//! }
//!
//! # futures_executor_stub::block_on(async {
//! let client = Client::builder().private_key("private_key").transport(Canned).build()?;
//! let version = client.files().versions().get("f1", "v2").await?;
//! assert_eq!(version.version_info.unwrap().name.as_deref(), Some("Version 2"));
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

pub mod client;
pub mod clock;
pub mod error;
pub mod models;
pub mod operation;
pub mod phash;
pub mod resources;
pub mod response;
pub mod retry;
mod send;
mod telemetry;
pub mod transport;
pub mod upload;
pub mod url;
pub mod webhook;

pub use client::{Call, CallOptions, Client, ClientBuilder};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{ApiError, DecodeError, Error, InvalidInput};
pub use response::{ApiResponse, RateLimit, ResponseMeta};
pub use retry::{RetryPolicy, Sleep};
pub use send::CallFuture;
pub use transport::{HttpTransport, TransportError, TransportErrorKind};
pub use upload::{UploadCall, UploadParams, UploadSource};
