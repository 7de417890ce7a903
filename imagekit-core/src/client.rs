//! [`Client`]: a [`Config`], a transport, and the retry loop that runs calls over it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::config::Config;
use crate::error::Error;
use crate::operation::{Host, Operation};
use crate::retry::RetryPolicy;
use crate::runtime::Sleep;
use crate::transport::DynTransport;

/// The ImageKit API client. Cheap to clone; clones share the transport and configuration, and
/// calls own a clone, so a call's future can be spawned.
///
/// ```
/// # use imagekit_core::Client;
/// # #[derive(Debug)] struct MyTransport;
/// # impl imagekit_core::HttpTransport for MyTransport {
/// #     async fn send(&self, _: imagekit_core::transport::HttpRequest, _: imagekit_core::transport::RequestOptions)
/// #         -> Result<imagekit_core::transport::HttpResponse, imagekit_core::TransportError> { unimplemented!() }
/// # }
/// let client = Client::builder()
///     .private_key("private_key_example")
///     .transport(MyTransport)
///     .build()?;
/// assert!(!format!("{client:?}").contains("private_key_example"));
/// # Ok::<(), imagekit_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) transport: Arc<dyn DynTransport>,
    pub(crate) sleeper: Option<Arc<dyn Sleep>>,
    pub(crate) defaults: CallDefaults,
}

/// The settings every call of a client starts from; [`CallOptions`] override them per call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallDefaults {
    /// Timeout of each attempt of calls to the API host; `None` is no limit.
    pub timeout: Option<Duration>,
    /// Timeout of each attempt of an upload.
    pub upload_timeout: Duration,
    /// How long an upload attempt may go without a byte sent or received.
    pub upload_idle_timeout: Option<Duration>,
    /// Deadline for the whole call, retries and waits included; `None` is no deadline.
    pub deadline: Option<Duration>,
    /// How calls are retried.
    pub retry: RetryPolicy,
}

/// Per-call overrides of the client's settings, and extras added to the call's request.
///
/// ```
/// use std::time::Duration;
/// let options = imagekit_core::CallOptions::new()
///     .timeout(Duration::from_secs(5))
///     .header("x-trace-id", "abc123")
///     .body_field("newApiField", true);
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Timeout of each attempt; the client's when `None`.
    pub timeout: Option<Duration>,
    /// Deadline for the whole call, retries and waits included; the client's when `None`.
    pub deadline: Option<Duration>,
    /// Retry policy; the client's when `None`.
    pub retry: Option<RetryPolicy>,
    /// Headers, query parameters and body fields added to the request, in order.
    extras: Vec<Extra>,
}

/// One addition to a call's request.
#[derive(Clone, Debug, PartialEq)]
enum Extra {
    Header(String, String),
    Query(String, String),
    BodyField(String, Value),
}

impl CallOptions {
    /// No overrides and no extras.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the deadline of the whole call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds a header (see [`Operation::header`] for what is refused).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extras.push(Extra::Header(name.into(), value.into()));
        self
    }

    /// Adds a query parameter, after the operation's own.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extras.push(Extra::Query(name.into(), value.into()));
        self
    }

    /// Adds a field merged into a JSON body, or sent as a form field of an upload.
    pub fn body_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extras.push(Extra::BodyField(name.into(), value.into()));
        self
    }

    /// The operation with this call's extras added: headers, query, body fields. They are
    /// taken out, as the send loop needs them only once.
    pub(crate) fn apply<T>(&mut self, mut operation: Operation<T>) -> Result<Operation<T>, Error> {
        for extra in std::mem::take(&mut self.extras) {
            operation = match extra {
                Extra::Header(name, value) => operation.header(&name, &value)?,
                Extra::Query(name, value) => operation.query(&name, &value),
                Extra::BodyField(name, value) => operation.body_field(name, value),
            };
        }
        Ok(operation)
    }
}

impl CallDefaults {
    /// The timeout of one attempt of `operation`: the call's own, else the upload timeout for
    /// uploads, else the client's.
    pub(crate) fn attempt_timeout<T>(
        &self,
        operation: &Operation<T>,
        options: &CallOptions,
    ) -> Option<Duration> {
        match (options.timeout, operation.host()) {
            (Some(timeout), _) => Some(timeout),
            (None, Host::Upload) => Some(self.upload_timeout),
            (None, _) => self.timeout,
        }
    }

    /// The deadline of a call with these options.
    pub(crate) fn deadline(&self, options: &CallOptions) -> Option<Duration> {
        options.deadline.or(self.deadline)
    }

    /// The retry policy of a call with these options.
    pub(crate) fn retry<'a>(&'a self, options: &'a CallOptions) -> &'a RetryPolicy {
        options.retry.as_ref().unwrap_or(&self.retry)
    }
}

/// What both clients tell of their settings.
macro_rules! settings_accessors {
    ($client:ty) => {
        impl $client {
            /// The configuration requests are built with.
            pub fn config(&self) -> &$crate::config::Config {
                &self.inner.config
            }

            /// The settings calls start from.
            pub fn call_defaults(&self) -> &$crate::client::CallDefaults {
                &self.inner.defaults
            }
        }
    };
}
// The blocking client, its other user, does not exist on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use settings_accessors;

settings_accessors!(Client);

impl Client {
    /// The API base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.config.base_url()
    }

    /// The upload base URL uploads go to.
    pub fn upload_base_url(&self) -> &str {
        self.inner.config.upload_base_url()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("config", &inner.config)
            .field("defaults", &inner.defaults)
            .field("sleeper", &inner.sleeper.as_ref().map(|_| "set"))
            .field("transport", &inner.transport)
            .finish()
    }
}
