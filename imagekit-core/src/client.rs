//! The client: configuration, credentials, and the driver that runs operations.

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use http::header::HeaderValue;

use crate::clock::{Clock, SystemClock};
use crate::error::Error;
use crate::operation::Operation;
use crate::resources::files::Files;
use crate::response::ApiResponse;
use crate::retry::{RetryPolicy, Sleep};
pub use crate::send::CallFuture;
use crate::transport::{HttpResponse, HttpTransport, TransportError, TransportErrorKind};

/// The default API base URL.
pub const DEFAULT_API_BASE_URL: &str = "https://api.imagekit.io";
/// The default upload base URL.
pub const DEFAULT_UPLOAD_BASE_URL: &str = "https://upload.imagekit.io";
/// The default timeout of one attempt, as the official SDKs use.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default timeout of one upload attempt: an upload takes as long as its file needs, so
/// the 60 s of other calls would cut large files short.
pub const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(60 * 60);
/// The largest response body read unless another cap is configured.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// The user agent sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("imagekit-rs/", env!("CARGO_PKG_VERSION"));

/// Environment variable holding the private API key.
pub const ENV_PRIVATE_KEY: &str = "IMAGEKIT_PRIVATE_KEY";
/// Environment variable overriding the API base URL.
pub const ENV_BASE_URL: &str = "IMAGEKIT_BASE_URL";
/// Environment variable overriding the upload base URL.
pub const ENV_UPLOAD_BASE_URL: &str = "IMAGEKIT_UPLOAD_BASE_URL";

/// The ImageKit API client. Cheap to clone; clones share the transport and configuration.
///
/// ```
/// # use imagekit_core::Client;
/// # #[derive(Debug)] struct MyTransport;
/// # #[async_trait::async_trait]
/// # impl imagekit_core::transport::HttpTransport for MyTransport {
/// #     async fn send(&self, _: imagekit_core::transport::HttpRequest)
/// #         -> Result<imagekit_core::transport::HttpResponse, imagekit_core::transport::TransportError> { unimplemented!() }
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
    config: Arc<Config>,
}

/// Everything a request needs, computed once per client.
pub(crate) struct Config {
    pub(crate) transport: Arc<dyn HttpTransport>,
    pub(crate) private_key: String,
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) api_base: String,
    pub(crate) upload_base: String,
    pub(crate) timeout: Option<Duration>,
    pub(crate) upload_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) sleeper: Option<Arc<dyn Sleep>>,
    pub(crate) max_response_bytes: u64,
    pub(crate) clock: Arc<dyn Clock>,
}

/// Per-call overrides of the client's settings.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// Timeout of each attempt; the client's when `None`.
    pub timeout: Option<Duration>,
    /// Deadline for the whole call, retries and waits included; the client's when `None`.
    pub deadline: Option<Duration>,
    /// Retry policy; the client's when `None`.
    pub retry: Option<RetryPolicy>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment (see [`ClientBuilder::from_env`]) over `transport`.
    pub fn from_env(transport: impl HttpTransport + 'static) -> Result<Self, Error> {
        ClientBuilder::from_env().transport(transport).build()
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// The API base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.config.api_base
    }

    /// The upload base URL uploads go to.
    pub fn upload_base_url(&self) -> &str {
        &self.config.upload_base
    }

    /// A URL builder that signs with this client's private key, as the official SDKs'
    /// `client.helper.buildSrc` does.
    ///
    /// ```
    /// # fn run(client: imagekit_core::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let options: imagekit_core::url::SrcOptions = serde_json::from_value(serde_json::json!({
    ///     "src": "/default-image.jpg",
    ///     "urlEndpoint": "https://ik.imagekit.io/demo",
    ///     "transformation": [{"width": 300, "height": 200}],
    ///     "signed": true,
    /// }))?;
    /// let url = client.url_builder().build_src(&options)?;
    /// assert!(url.contains("tr=w-300,h-200") && url.contains("ik-s="));
    /// # Ok(()) }
    /// ```
    pub fn url_builder(&self) -> crate::url::UrlBuilder {
        crate::url::UrlBuilder::new(self.config.private_key.as_str())
    }

    /// v1 client-side upload authentication parameters, as the official SDKs'
    /// `getAuthenticationParameters`: hand them and your public key to a browser or app that
    /// uploads straight to ImageKit.
    ///
    /// `token` defaults to a random UUIDv4 and `expire` to now + 30 minutes on the client's
    /// [clock](ClientBuilder::clock) (`None`, `""` and `0` mean "default"). An `expire` in the past
    /// or an hour or more ahead is refused. See [`crate::upload::auth::authentication_parameters`].
    ///
    /// ```
    /// # fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
    /// let params = client.authentication_parameters(None, None)?;
    /// println!("{}", serde_json::to_string(&params).unwrap()); // {"token":..,"expire":..,"signature":..}
    /// # Ok(()) }
    /// ```
    pub fn authentication_parameters(
        &self,
        token: Option<&str>,
        expire: Option<u64>,
    ) -> Result<crate::upload::AuthenticationParameters, Error> {
        crate::upload::auth::authentication_parameters(
            &self.config.private_key,
            token,
            expire,
            self.config.clock.now_unix(),
        )
    }

    /// The JWT a client-side v2 upload of `params` sends as its `token`, signed now on the
    /// client's clock and valid for `expires_in` (less than an hour). See
    /// [`crate::upload::auth::upload_v2_token`].
    pub fn upload_v2_token(
        &self,
        public_key: &str,
        params: &crate::upload::UploadParams,
        expires_in: Duration,
    ) -> Result<String, Error> {
        let now = self.config.clock.now_unix().ok_or_else(|| {
            Error::invalid_input(
                "iat",
                "no clock on this target: give the client one with ClientBuilder::clock",
            )
        })?;
        let exp = now.saturating_add(expires_in.as_secs());
        crate::upload::auth::upload_v2_token(&self.config.private_key, public_key, params, now, exp)
    }

    /// Files: uploads, details of the current version, and [`Files::versions`].
    pub fn files(&self) -> Files<'_> {
        Files::new(self)
    }

    /// Wraps an operation (or the input error that prevented building it) in a call.
    pub(crate) fn call<T>(&self, operation: Result<Operation<T>, Error>) -> Call<'_, T> {
        Call { client: self, operation, options: CallOptions::default() }
    }

    /// Runs one operation: build the request, send it, retry as the policy says, read the
    /// answer with its metadata. The deadline, when there is one and a sleeper to time it,
    /// bounds all of it. It is the loop a [`Call`] runs, for operations built by hand.
    ///
    /// ```
    /// use imagekit_core::operation::{ApiPath, Operation};
    /// use imagekit_core::{CallOptions, Client};
    /// use imagekit_mock::ScriptedTransport;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), imagekit_core::Error> {
    /// let transport = ScriptedTransport::new();
    /// transport.push_json(200, serde_json::json!({"id": "t1"}));
    /// let client = Client::builder().private_key("private_k").transport(transport.clone()).build()?;
    ///
    /// let path = ApiPath::new("/v1/things");
    /// let create = Operation::<serde_json::Value>::json("create-thing", http::Method::POST, path);
    /// let answer = client.execute(create, CallOptions::default()).await?;
    /// assert_eq!(answer.data["id"], "t1");
    /// assert_eq!(answer.meta.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn execute<T>(
        &self,
        operation: Operation<T>,
        options: CallOptions,
    ) -> CallFuture<'_, T, ApiResponse<T>> {
        CallFuture::new(self, Ok(operation), options, Operation::parse_response)
    }

    /// Enforces the body cap for transports that did not (the hyper transport stops reading).
    pub(crate) fn check_size(&self, response: HttpResponse) -> Result<HttpResponse, TransportError> {
        let cap = self.config.max_response_bytes;
        if response.body().len() as u64 > cap {
            return Err(TransportError::with_message(
                TransportErrorKind::BodyTooLarge,
                format!("the response body is over the {cap}-byte cap"),
            ));
        }
        Ok(response)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("private_key", &"<redacted>")
            .field("base_url", &self.config.api_base)
            .field("upload_base_url", &self.config.upload_base)
            .field("user_agent", &self.config.user_agent)
            .field("timeout", &self.config.timeout)
            .field("upload_timeout", &self.config.upload_timeout)
            .field("deadline", &self.config.deadline)
            .field("retry", &self.config.retry)
            .field("sleeper", &self.config.sleeper)
            .field("max_response_bytes", &self.config.max_response_bytes)
            .field("clock", &self.config.clock)
            .field("transport", &self.config.transport)
            .finish()
    }
}

/// One call, ready to send: `.send().await`, or just `.await`.
///
/// Input errors found while describing the call are returned by `send` before anything is sent.
#[must_use = "a call does nothing until it is sent or awaited"]
pub struct Call<'c, T> {
    client: &'c Client,
    operation: Result<Operation<T>, Error>,
    options: CallOptions,
}

impl<'c, T> Call<'c, T> {
    /// Overrides the client's timeout of each attempt for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Bounds the whole call, retries and waits included (needs a sleeper on the client).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Overrides the client's retry policy for this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Makes exactly one attempt.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Sends the call and returns its typed value.
    pub fn send(self) -> CallFuture<'c, T, T> {
        CallFuture::new(self.client, self.operation, self.options, Operation::parse_data)
    }

    /// Sends the call and returns its value with status, headers, request id, rate limits and body.
    pub fn send_with_meta(self) -> CallFuture<'c, T, ApiResponse<T>> {
        CallFuture::new(self.client, self.operation, self.options, Operation::parse_response)
    }

    /// The operation this call would run, for driving it with your own I/O.
    pub fn into_operation(self) -> Result<Operation<T>, Error> {
        self.operation
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

// The future is named, not boxed: awaiting a call allocates nothing of its own.
impl<'c, T> IntoFuture for Call<'c, T> {
    type Output = Result<T, Error>;
    type IntoFuture = CallFuture<'c, T, T>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

/// Configures a [`Client`]. Only the private key and the transport are required.
#[derive(Default)]
pub struct ClientBuilder {
    private_key: Option<String>,
    transport: Option<Arc<dyn HttpTransport>>,
    base_url: Option<String>,
    upload_base_url: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Option<Duration>>,
    upload_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    sleeper: Option<Arc<dyn Sleep>>,
    max_response_bytes: Option<u64>,
    clock: Option<Arc<dyn Clock>>,
}

impl ClientBuilder {
    /// A builder pre-filled from the environment: the private key from `IMAGEKIT_PRIVATE_KEY`,
    /// and, when set and not empty, the base URLs from `IMAGEKIT_BASE_URL` and
    /// `IMAGEKIT_UPLOAD_BASE_URL`. A missing key is reported by [`ClientBuilder::build`].
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            private_key: var(ENV_PRIVATE_KEY),
            base_url: var(ENV_BASE_URL),
            upload_base_url: var(ENV_UPLOAD_BASE_URL),
            ..Self::default()
        }
    }

    /// The private API key (the user name of HTTP Basic auth). Required.
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.private_key = Some(key.into());
        self
    }

    /// The transport that moves bytes. Required.
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// A transport shared with other clients.
    pub fn shared_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The API base URL, `https://api.imagekit.io` by default. A path prefix is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The upload base URL, `https://upload.imagekit.io` by default.
    pub fn upload_base_url(mut self, url: impl Into<String>) -> Self {
        self.upload_base_url = Some(url.into());
        self
    }

    /// The `User-Agent` header, `imagekit-rs/<version>` by default.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How long one attempt may take, 60 seconds by default; `None` means no limit.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long one attempt of an upload may take, 1 hour by default (an upload lasts as long
    /// as its file needs, so [`ClientBuilder::timeout`] does not apply to uploads). A call's own
    /// `.timeout(..)` overrides it.
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.upload_timeout = Some(timeout);
        self
    }

    /// A deadline for every call, retries and waits included; none by default. Enforced
    /// through the sleeper, so it needs one.
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// How calls are retried ([`RetryPolicy::default`] unless set; [`RetryPolicy::none`] to
    /// turn retries off). Retrying needs a [`Sleep`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// What waits between retries and times deadlines. Without one, the client never retries
    /// and has no deadline (the per-attempt timeout still goes to the transport).
    pub fn sleeper(mut self, sleeper: impl Sleep + 'static) -> Self {
        self.sleeper = Some(Arc::new(sleeper));
        self
    }

    /// The largest response body accepted, 64 MiB by default; a larger one is a transport
    /// error of kind `BodyTooLarge`, so a broken or hostile server cannot exhaust memory.
    pub fn max_response_bytes(mut self, max: u64) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// The clock for upload expiries and JWTs, [`SystemClock`] by default. On
    /// `wasm32-unknown-unknown`, which has no system clock, give one (e.g. from `Date.now()`)
    /// or pass every `expire` yourself.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let private_key = self.private_key.ok_or_else(|| {
            Error::invalid_input(
                "private_key",
                format!("is required: pass it to the builder or set {ENV_PRIVATE_KEY}"),
            )
        })?;
        let authorization = authorization_header(&private_key)?;
        let transport = self.transport.ok_or_else(|| {
            Error::invalid_input("transport", "is required: pass an HttpTransport such as imagekit-hyper's")
        })?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::invalid_input("user_agent", "must be visible ASCII without control characters")
        })?;
        let api_base = base_url("base_url", self.base_url.as_deref().unwrap_or(DEFAULT_API_BASE_URL))?;
        let upload_base =
            base_url("upload_base_url", self.upload_base_url.as_deref().unwrap_or(DEFAULT_UPLOAD_BASE_URL))?;
        Ok(Client {
            config: Arc::new(Config {
                transport,
                private_key,
                authorization,
                user_agent,
                api_base,
                upload_base,
                timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
                upload_timeout: self.upload_timeout.unwrap_or(DEFAULT_UPLOAD_TIMEOUT),
                deadline: self.deadline,
                retry: self.retry.unwrap_or_default(),
                sleeper: self.sleeper,
                max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("private_key", &self.private_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("upload_base_url", &self.upload_base_url)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("sleeper", &self.sleeper)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("clock", &self.clock)
            .field("transport", &self.transport)
            .finish()
    }
}

/// `Basic base64("<key>:")`, marked sensitive so `http`'s own `Debug` hides it too.
fn authorization_header(private_key: &str) -> Result<HeaderValue, Error> {
    if private_key.is_empty() {
        return Err(Error::invalid_input("private_key", "must not be empty"));
    }
    if private_key.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            "private_key",
            "contains a control character (a trailing newline from a file or a shell?)",
        ));
    }
    if private_key.contains(':') {
        // Basic auth ends the user name at the first colon: the server would see another key.
        return Err(Error::invalid_input("private_key", "must not contain `:`"));
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{private_key}:"));
    let mut value = HeaderValue::try_from(format!("Basic {encoded}"))
        .map_err(|_| Error::invalid_input("private_key", "cannot be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Validates a base URL: `http` or `https`, a host, no query or fragment; trailing `/` dropped.
fn base_url(setting: &'static str, url: &str) -> Result<String, Error> {
    let invalid = |reason: &str| Error::invalid_input(setting, format!("{reason} (got {url:?})"));
    let trimmed = url.trim_end_matches('/');
    let uri: http::Uri = trimmed.parse().map_err(|_| invalid("is not a valid URL"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(invalid("must start with http:// or https://")),
    }
    if uri.authority().is_none_or(|a| a.host().is_empty()) {
        return Err(invalid("must name a host"));
    }
    if trimmed.contains(['?', '#']) {
        return Err(invalid("must not have a query or fragment"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{HttpRequest, HttpResponse, TransportError};

    #[derive(Debug)]
    struct Nothing;

    #[async_trait::async_trait]
    impl HttpTransport for Nothing {
        async fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
            Err(TransportError::other("unused"))
        }
    }

    fn parameter(result: Result<Client, Error>) -> String {
        match result {
            Err(Error::InvalidInput(e)) => e.parameter().to_owned(),
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn auth_header_is_basic_with_empty_password() {
        let value = authorization_header("private_abc=").unwrap();
        // base64("private_abc=:")
        assert_eq!(value.to_str().unwrap(), "Basic cHJpdmF0ZV9hYmM9Og==");
        assert!(value.is_sensitive());
    }

    #[test]
    fn bad_keys_are_rejected_at_build_time() {
        for key in ["", "key\n", "ke\ty", "a:b", "\u{7f}"] {
            let built = Client::builder().private_key(key).transport(Nothing).build();
            assert_eq!(parameter(built), "private_key", "key {key:?}");
        }
        assert_eq!(parameter(Client::builder().transport(Nothing).build()), "private_key");
        assert_eq!(parameter(Client::builder().private_key("k").build()), "transport");
    }

    #[test]
    fn base_urls_are_validated_and_normalised() {
        let client = Client::builder()
            .private_key("k")
            .transport(Nothing)
            .base_url("http://127.0.0.1:4010/")
            .upload_base_url("https://example.test/prefix//")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:4010");
        assert_eq!(client.upload_base_url(), "https://example.test/prefix");
        for url in ["ftp://x", "api.imagekit.io", "https://", "https://x/?a=b", "http://x/#f", ""] {
            let built = Client::builder().private_key("k").transport(Nothing).base_url(url).build();
            assert_eq!(parameter(built), "base_url", "url {url:?}");
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let builder = Client::builder().private_key("private_SECRET").transport(Nothing);
        assert!(!format!("{builder:?}").contains("SECRET"));
        let client = builder.build().unwrap();
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(!shown.contains("cHJpdmF0ZV9TRUNSRVQ6"), "{shown}");
    }
}
