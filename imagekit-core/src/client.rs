//! The client: configuration, credentials, and the driver that runs operations.

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use http::header::HeaderValue;

use crate::error::Error;
use crate::operation::Operation;
use crate::resources::files::Files;
use crate::response::ApiResponse;
use crate::transport::{BoxFuture, HttpTransport, MaybeSend};

/// The default API base URL.
pub const DEFAULT_API_BASE_URL: &str = "https://api.imagekit.io";
/// The default upload base URL.
pub const DEFAULT_UPLOAD_BASE_URL: &str = "https://upload.imagekit.io";
/// The default timeout of one attempt, as the official SDKs use.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
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

    /// The private key, for signing done in this crate; never logged.
    #[allow(dead_code)]
    pub(crate) fn private_key(&self) -> &str {
        &self.config.private_key
    }

    /// Files: details of the current version, and [`Files::versions`].
    pub fn files(&self) -> Files<'_> {
        Files::new(self)
    }

    /// Wraps an operation (or the input error that prevented building it) in a call.
    pub(crate) fn call<T>(&self, operation: Result<Operation<T>, Error>) -> Call<'_, T> {
        Call { client: self, operation, timeout: None }
    }

    /// Runs one operation: build the request, send it, read the answer.
    pub async fn execute<T>(
        &self,
        operation: &Operation<T>,
        timeout: Option<Duration>,
    ) -> Result<ApiResponse<T>, Error> {
        let request = operation.to_http_request(self, timeout.or(self.config.timeout))?;
        let response = self.config.transport.send(request).await?;
        operation.parse_response(response)
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
    timeout: Option<Duration>,
}

impl<'c, T> Call<'c, T> {
    /// Overrides the client's timeout for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends the call and returns its typed value.
    pub async fn send(self) -> Result<T, Error> {
        self.send_with_meta().await.map(ApiResponse::into_data)
    }

    /// Sends the call and returns its value with status, headers, request id, rate limits and body.
    pub async fn send_with_meta(self) -> Result<ApiResponse<T>, Error> {
        let operation = self.operation?;
        self.client.execute(&operation, self.timeout).await
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
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<'c, T: MaybeSend + 'c> IntoFuture for Call<'c, T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'c, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
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
