//! [`Client`]: a [`Config`], a transport, and the retry loop that runs calls over it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

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
    inner: Arc<Inner>,
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
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Timeout of each attempt; the client's when `None`.
    pub timeout: Option<Duration>,
    /// Deadline for the whole call, retries and waits included; the client's when `None`.
    pub deadline: Option<Duration>,
    /// Retry policy; the client's when `None`.
    pub retry: Option<RetryPolicy>,
    /// Headers added to the request (see [`Operation::header`] for what is refused).
    pub extra_headers: Vec<(String, String)>,
    /// Query parameters added to the request, after the operation's own.
    pub extra_query: Vec<(String, String)>,
    /// Fields merged into a JSON body, or added as form fields of an upload.
    pub extra_body: Map<String, Value>,
}

impl CallOptions {
    /// The operation with this call's extras added: headers, query, body fields.
    pub(crate) fn apply<T>(&self, mut operation: Operation<T>) -> Result<Operation<T>, Error> {
        for (name, value) in &self.extra_headers {
            operation = operation.header(name, value)?;
        }
        for (name, value) in &self.extra_query {
            operation = operation.query(name, value);
        }
        for (name, value) in &self.extra_body {
            operation = operation.body_field(name.clone(), value.clone());
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

impl Client {
    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self { inner: Arc::new(inner) }
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The configuration requests are built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The settings calls start from.
    pub fn call_defaults(&self) -> &CallDefaults {
        &self.inner.defaults
    }

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
