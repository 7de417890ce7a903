//! [`Call`]: one operation of a [`Client`], ready to send, with per-call settings and extras.

use std::fmt;
use std::future::IntoFuture;

use crate::caller::{Caller, sealed};
use crate::client::{CallOptions, Client};
use crate::config::Config;
use crate::error::Error;
use crate::operation::Operation;
use crate::response::ApiResponse;
use crate::send::CallFuture;

/// One call, ready to send: `.await` it, or tune it first.
///
/// It owns a clone of the client, so `tokio::spawn(client.files().get(id).send())` works. Input
/// errors found while describing the call are returned when it is sent, before anything is sent.
///
/// Besides the client's settings (`timeout`, `deadline`, `retry`), a call takes extras for API
/// fields this crate does not know yet, as the official SDKs' per-request `headers`, `query` and
/// `body` do: [`Call::header`], [`Call::query`], [`Call::body_field`].
#[must_use = "a call does nothing until it is sent or awaited"]
pub struct Call<T> {
    client: Client,
    operation: Result<Operation<T>, Error>,
    options: CallOptions,
}

impl sealed::Sealed for Client {}

impl Caller for Client {
    type Call<T> = Call<T>;

    fn config(&self) -> &Config {
        Client::config(self)
    }

    fn call<T>(&self, operation: Result<Operation<T>, Error>) -> Call<T> {
        Call { client: self.clone(), operation, options: CallOptions::default() }
    }
}

/// The per-call settings and extras of a call type whose options are in `self.options`:
/// written once, for [`Call`] and for uploads.
macro_rules! call_settings {
    () => {
        /// Overrides the client's timeout of each attempt for this call.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Bounds the whole call, retries and waits included.
        pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
            self.options.deadline = Some(deadline);
            self
        }

        /// Overrides the client's retry policy for this call.
        pub fn retry(mut self, policy: $crate::retry::RetryPolicy) -> Self {
            self.options.retry = Some(policy);
            self
        }

        /// Makes exactly one attempt.
        pub fn no_retries(self) -> Self {
            self.retry($crate::retry::RetryPolicy::none())
        }

        /// Adds a header to this call's requests, e.g. for an API field this crate does not
        /// know yet. It replaces a default header of the same name. `Authorization` is refused
        /// when the call is sent, with an invalid-input error: it only comes from the private key.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.options = self.options.header(name, value);
            self
        }

        /// Adds a query parameter (both name and value are percent-encoded).
        pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.options = self.options.query(name, value);
            self
        }

        /// Adds a field to the request body: merged into a JSON body (replacing a field of the
        /// same name), or sent as one more form field of an upload.
        pub fn body_field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
            self.options = self.options.body_field(name, value);
            self
        }
    };
}
pub(crate) use call_settings;

impl<T> Call<T> {
    call_settings!();

    /// Sends the call and returns its typed value.
    pub fn send(self) -> CallFuture<T, T> {
        CallFuture::new(self.client, self.operation, self.options, Operation::parse)
    }

    /// Sends the call and returns its value with status, headers, request id, rate limits and body.
    pub fn send_with_meta(self) -> CallFuture<T, ApiResponse<T>> {
        CallFuture::new(self.client, self.operation, self.options, Operation::parse_with_meta)
    }

    /// The operation this call would run, for driving it with your own I/O.
    pub fn into_operation(self) -> Result<Operation<T>, Error> {
        self.operation
    }

    /// The settings set on this call so far.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

// The future is named, not boxed: awaiting a call allocates nothing of its own.
impl<T> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = CallFuture<T, T>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}
