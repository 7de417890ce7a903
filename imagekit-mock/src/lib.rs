//! Offline test doubles for code that uses `imagekit-core`.
//!
//! * [`ScriptedTransport`]: queue canned answers (optionally matched by method and path), record
//!   every request, then assert on what was sent. The easiest way to unit-test your code.
//! * [`MockHttpTransport`]: a [`mockall`](https://docs.rs/mockall) mock of the transport, for expectations, sequences
//!   and predicates. `mockall` and `http` are re-exported, so with `imagekit-core` this crate is
//!   the only dependency a test needs.
//! * [`fixtures`]: realistic ImageKit bodies and error answers.
//! * [`multipart`]: reads an upload's form back into its parts.
//! * [`emulator`]: a stateful in-memory ImageKit, as a transport or an HTTP server on 127.0.0.1,
//!   for offline tests of whole workflows.
//! * [`webhooks`]: signed webhook headers in both of ImageKit's schemes, for testing handlers.
//!
//! # A unit test with the scripted transport
//!
//! ```
//! use imagekit_core::Client;
//! use imagekit_mock::{fixtures, ScriptedTransport};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let transport = ScriptedTransport::new();
//! transport.expect(imagekit_mock::http::Method::GET, "/v1/files/file_1/versions/version_2")
//!     .respond(fixtures::ok(fixtures::file_version()));
//! let client = Client::builder().private_key("test_key").transport(transport.clone()).build().unwrap();
//!
//! let version = client.files().versions().get("file_1", "version_2").await.unwrap();
//! assert_eq!(version.version_name(), Some("Version 2"));
//!
//! let sent = transport.last_request().unwrap();
//! assert_eq!(sent.basic_auth_user().as_deref(), Some("test_key"));
//! transport.assert_all_consumed();
//! # }
//! ```
//!
//! # A unit test with the mockall mock
//!
//! ```
//! use imagekit_core::{Client, Error};
//! use imagekit_mock::{fixtures, MockHttpTransport};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let mut mock = MockHttpTransport::new();
//! mock.expect_send()
//!     .withf(|request, _options| request.method() == imagekit_mock::http::Method::DELETE)
//!     .times(1)
//!     .returning(|_, _| Ok(fixtures::not_found()));
//! let client = Client::builder().private_key("test_key").transport(mock).build().unwrap();
//!
//! let error = client.files().versions().delete("file_1", "version_1").await.unwrap_err();
//! assert!(error.is_not_found());
//! assert!(matches!(error, Error::Api(_)));
//! # }
//! ```
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: feature-gated items get their feature badges.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The crate README (its crates.io page) is a doctest, so its example keeps compiling.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub mod fixtures;
mod scripted;
mod sleep;
pub mod webhooks;

/// The in-memory ImageKit emulator, from [`imagekit_emulator`]: `imagekit_mock::emulator::Emulator`
/// is [`imagekit_emulator::Emulator`].
pub use imagekit_emulator as emulator;
/// The reader of `multipart/form-data` bodies, for asserting what an upload sent.
pub use imagekit_emulator::multipart;
pub use mockall;
pub use scripted::{Expectation, RecordedRequest, ScriptedTransport};
pub use sleep::InstantSleep;

use imagekit_core::transport::{
    BlockingTransport, HttpRequest, HttpResponse, HttpTransport, RequestOptions, TransportError,
};

/// Re-exported so tests can name methods, status codes and headers without depending on `http`
/// themselves.
pub use http;

mockall::mock! {
    /// A [`mockall`](https://docs.rs/mockall) mock of the transport: set expectations with `expect_send()`, whose
    /// closures get the request and its [`RequestOptions`]. It serves an async client (a
    /// streamed body is read whole before the expectations see it, so
    /// `request.body().as_bytes()` is always `Some`) and a blocking one alike.
    #[derive(Debug)]
    pub HttpTransport {}

    impl BlockingTransport for HttpTransport {
        fn send(&self, request: HttpRequest, options: RequestOptions) -> Result<HttpResponse, TransportError>;
    }
}

impl HttpTransport for MockHttpTransport {
    async fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        let request = imagekit_core::transport::collect(request).await?;
        BlockingTransport::send(self, request.map(Into::into), options)
    }
}
