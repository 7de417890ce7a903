//! [`BlockingClient`]: the same resource tree for synchronous code, over a [`BlockingTransport`].
//!
//! For command-line tools, build scripts and other programs without an async runtime: every
//! resource method returns its value directly. Retries wait with `std::thread::sleep`; a
//! deadline bounds each attempt's timeout and the waits. Nothing here needs an executor.
//!
//! ```
//! use imagekit_core::BlockingClient;
//! use imagekit_mock::emulator::Emulator;
//!
//! let emulator = Emulator::new("private_key");
//! let file_id = emulator.seed_file("/a.txt", &b"hello"[..]).unwrap();
//! // Any BlockingTransport: the emulator is one; `imagekit-ureq` has one over HTTP.
//! let client = BlockingClient::builder().private_key("private_key").transport(emulator).build()?;
//! let versions = client.files().versions().list(&file_id)?;
//! assert_eq!(versions.len(), 1);
//! # Ok::<(), imagekit_core::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use crate::attempt::{Attempts, Next, deadline_passed};
use crate::caller::{Caller, sealed};
use crate::client::{CallDefaults, CallOptions};
use crate::config::Config;
use crate::error::Error;
use crate::operation::Operation;
use crate::response::ApiResponse;
use crate::transport::{BlockingTransport, HttpResponse};

/// The ImageKit API client for synchronous code. Cheap to clone; clones share the transport.
#[derive(Clone)]
pub struct BlockingClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) transport: Arc<dyn BlockingTransport>,
    pub(crate) defaults: CallDefaults,
}

crate::client::settings_accessors!(BlockingClient);

impl BlockingClient {
    /// Runs one operation with per-call settings and returns its value with the response's
    /// metadata: what every resource method does, for operations built by hand.
    pub fn execute<T>(
        &self,
        operation: Operation<T>,
        options: &CallOptions,
    ) -> Result<ApiResponse<T>, Error> {
        self.run(Ok(operation), options, Operation::parse_with_meta)
    }

    /// The loop: attempt, decide, sleep, repeat; bounded by the deadline when there is one.
    pub(crate) fn run<T, U>(
        &self,
        operation: Result<Operation<T>, Error>,
        options: &CallOptions,
        read: fn(&Operation<T>, HttpResponse) -> Result<U, Error>,
    ) -> Result<U, Error> {
        let operation = options.clone().apply(operation?)?;
        let inner = &*self.inner;
        let deadline = inner.defaults.deadline(options).map(|limit| (limit, Instant::now() + limit));
        let mut attempts = Attempts::default();
        loop {
            let mut timeout = inner.defaults.attempt_timeout(&operation, options);
            if let Some((limit, end)) = deadline {
                let left = end.checked_duration_since(Instant::now()).filter(|d| !d.is_zero());
                let left = left.ok_or_else(|| deadline_passed(limit))?;
                timeout = Some(timeout.map_or(left, |t| t.min(left)));
            }
            let mut request_options = operation.request_options(&inner.config, timeout);
            if operation.body().is_streamed() {
                request_options.idle_timeout = inner.defaults.upload_idle_timeout;
            }
            let request = operation.to_request(&inner.config)?;
            let started = crate::telemetry::request(operation.name(), &request);
            let outcome = inner.transport.send(request, request_options);
            if let Some((limit, end)) = deadline {
                // The attempt's timeout was cut to the deadline: say which limit it was.
                if outcome.as_ref().is_err_and(|e| e.is_timeout()) && Instant::now() >= end {
                    return Err(deadline_passed(limit));
                }
            }
            if let Ok(response) = &outcome {
                crate::telemetry::answered(operation.name(), response, started);
            }
            let policy = inner.defaults.retry(options);
            match attempts.after(&operation, outcome, policy, true, inner.config.max_response_bytes())? {
                Next::Read(response) => return attempts.finish(&operation, read(&operation, response)),
                Next::Retry(wait) => {
                    if let Some((limit, end)) = deadline {
                        if Instant::now() + wait >= end {
                            return Err(deadline_passed(limit));
                        }
                    }
                    std::thread::sleep(wait);
                }
            }
        }
    }
}

impl sealed::Sealed for BlockingClient {}

impl Caller for BlockingClient {
    type Call<T> = Result<T, Error>;

    fn config(&self) -> &Config {
        &self.inner.config
    }

    fn call<T>(&self, operation: Result<Operation<T>, Error>) -> Result<T, Error> {
        self.run(operation, &CallOptions::default(), Operation::parse)
    }
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingClient")
            .field("config", &self.inner.config)
            .field("defaults", &self.inner.defaults)
            .field("transport", &self.inner.transport)
            .finish()
    }
}
