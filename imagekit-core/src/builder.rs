//! One builder for the three ways to use the API: [`ClientBuilder`], [`BlockingClientBuilder`]
//! and [`ConfigBuilder`] are the same [`Builder`], so each setting is written once.
//!
//! * Every builder takes the configuration: private key, base URLs, user agent, default headers
//!   and query, body cap, clock, random source, webhook secret.
//! * The two client builders also take how calls run: timeouts, deadline, retry policy.
//! * Each client builder takes its own kind of transport; the async one also a sleeper.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{CallDefaults, Client, Inner as ClientInner};
use crate::config::{
    Config, ConfigFields, DEFAULT_TIMEOUT, DEFAULT_UPLOAD_IDLE_TIMEOUT, DEFAULT_UPLOAD_TIMEOUT,
    ENV_ALLOW_INSECURE_HTTP, ENV_BASE_URL, ENV_CUSTOM_HEADERS, ENV_PRIVATE_KEY, ENV_SDK_BASE_URL,
    ENV_UPLOAD_BASE_URL, ENV_WEBHOOK_SECRET, parse_header_lines,
};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::runtime::{Clock, Random, Sleep};
use crate::transport::{DynTransport, HttpTransport};

#[cfg(not(target_arch = "wasm32"))]
use crate::blocking::{BlockingClient, Inner as BlockingInner};
#[cfg(not(target_arch = "wasm32"))]
use crate::transport::BlockingTransport;

/// Configures a [`Client`] ([`ClientBuilder`]), a [`crate::blocking::BlockingClient`]
/// ([`BlockingClientBuilder`]) or a [`Config`] ([`ConfigBuilder`]).
///
/// Only the private key is required, and a transport for a client.
#[must_use = "a builder does nothing until it is built"]
pub struct Builder<K> {
    config: ConfigFields,
    run: RunFields,
    transport: Option<Arc<dyn DynTransport>>,
    sleeper: Option<Arc<dyn Sleep>>,
    #[cfg(not(target_arch = "wasm32"))]
    blocking_transport: Option<Arc<dyn BlockingTransport>>,
    kind: PhantomData<fn() -> K>,
}

/// Builds a [`Client`].
pub type ClientBuilder = Builder<Client>;
/// Builds a [`crate::blocking::BlockingClient`].
#[cfg(not(target_arch = "wasm32"))]
pub type BlockingClientBuilder = Builder<BlockingClient>;
/// Builds a [`Config`].
pub type ConfigBuilder = Builder<Config>;

/// How calls run, as given.
#[derive(Clone, Debug, Default)]
struct RunFields {
    timeout: Option<Option<Duration>>,
    upload_timeout: Option<Duration>,
    upload_idle_timeout: Option<Option<Duration>>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
}

impl RunFields {
    fn defaults(&self, retries_possible: bool) -> CallDefaults {
        CallDefaults {
            timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
            upload_timeout: self.upload_timeout.unwrap_or(DEFAULT_UPLOAD_TIMEOUT),
            upload_idle_timeout: self.upload_idle_timeout.unwrap_or(Some(DEFAULT_UPLOAD_IDLE_TIMEOUT)),
            deadline: self.deadline,
            retry: match &self.retry {
                Some(policy) => policy.clone(),
                None if retries_possible => RetryPolicy::default(),
                None => RetryPolicy::none(),
            },
        }
    }

    fn from_defaults(defaults: &CallDefaults) -> Self {
        Self {
            timeout: Some(defaults.timeout),
            upload_timeout: Some(defaults.upload_timeout),
            upload_idle_timeout: Some(defaults.upload_idle_timeout),
            deadline: defaults.deadline,
            retry: Some(defaults.retry.clone()),
        }
    }
}

impl<K> Default for Builder<K> {
    fn default() -> Self {
        Self {
            config: ConfigFields::default(),
            run: RunFields::default(),
            transport: None,
            sleeper: None,
            #[cfg(not(target_arch = "wasm32"))]
            blocking_transport: None,
            kind: PhantomData,
        }
    }
}

/// The settings of the configuration, on every builder.
impl<K> Builder<K> {
    /// A builder pre-filled from the environment, under this crate's names and the official
    /// SDKs' (empty variables count as unset):
    ///
    /// | setting | variables, first found wins |
    /// | --- | --- |
    /// | private key | `IMAGEKIT_PRIVATE_KEY` |
    /// | API base URL | `IMAGEKIT_BASE_URL`, then `IMAGE_KIT_BASE_URL` |
    /// | upload base URL | `IMAGEKIT_UPLOAD_BASE_URL`; else the API base URL, when one is set (see [`Builder::upload_base_url`]) |
    /// | cleartext `http://` beyond loopback | `IMAGEKIT_ALLOW_INSECURE_HTTP=1` (see [`Builder::allow_insecure_http`]) |
    /// | webhook secret | `IMAGEKIT_WEBHOOK_SECRET` |
    /// | default headers | `IMAGE_KIT_CUSTOM_HEADERS`, one `Name: value` per line |
    ///
    /// Settings made on the builder afterwards win over these. A missing key is reported by
    /// `build`.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Builder::from_env`] over any source of variables (a test's map, a configuration file).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut builder = Self::default();
        builder.config.private_key = var(ENV_PRIVATE_KEY);
        let sdk_base = var(ENV_SDK_BASE_URL);
        builder.config.base_url = var(ENV_BASE_URL).or(sdk_base);
        builder.config.upload_base_url = var(ENV_UPLOAD_BASE_URL);
        match var(ENV_ALLOW_INSECURE_HTTP).as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("0" | "false") => {}
            Some("1" | "true") => builder.config.allow_insecure_http = true,
            Some(other) => builder.config.invalid_env = Some((ENV_ALLOW_INSECURE_HTTP, other.to_owned())),
        }
        builder.config.webhook_secret = var(ENV_WEBHOOK_SECRET);
        if let Some(lines) = var(ENV_CUSTOM_HEADERS) {
            builder.config.default_headers = parse_header_lines(&lines);
        }
        builder
    }

    /// The private API key (the user name of HTTP Basic auth). Required.
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.config.private_key = Some(key.into());
        self
    }

    /// The API base URL, `https://api.imagekit.io` by default. A path prefix is kept.
    ///
    /// It must be `https://`, or `http://` to a loopback host (`localhost`, `127.0.0.0/8`,
    /// `::1`) such as a local emulator: anything else would send the private key in cleartext,
    /// and is refused unless [`Builder::allow_insecure_http`] says otherwise. Credentials in the
    /// URL (`user:pass@`) are refused.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = Some(url.into());
        self
    }

    /// The upload base URL; checked as [`Builder::base_url`] is.
    ///
    /// Unless it is set, uploads go to the API base URL when that was changed from ImageKit's
    /// own (`https://api.imagekit.io`), as in the official SDKs: one base URL moves everything,
    /// so a client pointed at an emulator or a proxy never uploads to production. Otherwise they
    /// go to `https://upload.imagekit.io`.
    pub fn upload_base_url(mut self, url: impl Into<String>) -> Self {
        self.config.upload_base_url = Some(url.into());
        self
    }

    /// Allows `http://` base URLs to hosts that are not loopback, which sends the private key
    /// in cleartext: only for a trusted network, e.g. a test server on another container.
    /// [`Builder::from_env`] reads it from `IMAGEKIT_ALLOW_INSECURE_HTTP` (`1` or `true`). With
    /// the `tracing` feature, each such URL is logged at `warn` when the client is built.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config.allow_insecure_http = allow;
        self
    }

    /// The `User-Agent` header, `imagekit-rs/<version>` by default: visible ASCII and spaces.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = Some(user_agent.into());
        self
    }

    /// A header sent with every request (a call's own header of the same name wins, and this
    /// one wins over `IMAGE_KIT_CUSTOM_HEADERS`). `Authorization` is refused: only the private
    /// key sets it.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.default_headers.push((name.into(), value.into()));
        self
    }

    /// A query parameter sent with every request, before the call's own.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.default_query.push((name.into(), value.into()));
        self
    }

    /// The largest response body accepted, 64 MiB by default; a larger one is a transport
    /// error of kind `BodyTooLarge`, so a broken or hostile server cannot exhaust memory.
    ///
    /// What a body becomes is bounded too: before decoding, a body that lists more than 10,000
    /// items, or whose values could take more than about 32 bytes of memory per body byte
    /// (2M empty objects in 6 MB, say), is an [`Error::Decode`] instead. So an answer costs at
    /// most about 32 times this cap in memory (2 GB at the default; lower the cap where that
    /// is too much), and real answers far less: a page of 1,000 files is under 2 MB.
    pub fn max_response_bytes(mut self, max: u64) -> Self {
        self.config.max_response_bytes = Some(max);
        self
    }

    /// The clock for upload expiries, JWTs and URL expiries, the system clock by default. On
    /// `wasm32-unknown-unknown`, which has no system clock, give one (e.g. from `Date.now()`).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.config.clock = Some(Arc::new(clock));
        self
    }

    /// The random source for upload tokens and multipart boundaries, the operating system's by
    /// default (see [`Random`]).
    pub fn random(mut self, random: impl Random + 'static) -> Self {
        self.config.random = Some(Arc::new(random));
        self
    }

    /// The secret webhooks are signed with (`whsec_...`), for `webhooks().unwrap(..)`.
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.config.webhook_secret = Some(secret.into());
        self
    }
}

/// The two clients: what runs calls, as opposed to a [`Config`], which only describes them.
pub trait RunsCalls: crate::caller::sealed::Sealed {}
impl RunsCalls for Client {}
#[cfg(not(target_arch = "wasm32"))]
impl RunsCalls for BlockingClient {}

/// How calls run, on the client builders.
impl<K: RunsCalls> Builder<K> {
    /// How long one attempt may take, 60 seconds by default; `None` means no limit.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.run.timeout = Some(timeout);
        self
    }

    /// How long one attempt of an upload may take in all, 1 hour by default (an upload lasts
    /// as long as its file needs, so [`Builder::timeout`] does not apply to uploads). A call's
    /// own `.timeout(..)` overrides it.
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.run.upload_timeout = Some(timeout);
        self
    }

    /// How long an upload attempt may go without progress, 2 minutes by default: no chunk of
    /// the body taken by the connection and no part of the answer received. It ends a stalled
    /// upload long before its whole-exchange [`Builder::upload_timeout`]. `None` turns it off.
    /// Transports that cannot tell progress (most buffering ones) ignore it.
    pub fn upload_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.run.upload_idle_timeout = Some(timeout);
        self
    }

    /// A deadline for every call, retries and waits included; none by default.
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.run.deadline = deadline;
        self
    }

    /// How calls are retried ([`RetryPolicy::default`] unless set; [`RetryPolicy::none`] to
    /// turn retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.run.retry = Some(policy);
        self
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment (see [`Builder::from_env`]) over `transport`.
    pub fn from_env(transport: impl HttpTransport + 'static) -> Result<Self, Error> {
        ClientBuilder::from_env().transport(transport).build()
    }

    /// A builder holding this client's settings and sharing its transport and sleeper: change
    /// what differs and build a derived client (the official SDKs' `withOptions`).
    ///
    /// ```
    /// # fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
    /// let patient = client.to_builder().timeout(Some(std::time::Duration::from_secs(300))).build()?;
    /// # let _ = patient; Ok(()) }
    /// ```
    pub fn to_builder(&self) -> ClientBuilder {
        let inner = &*self.inner;
        ClientBuilder {
            config: inner.config.settings().fields.clone(),
            run: RunFields::from_defaults(&inner.defaults),
            transport: Some(inner.transport.clone()),
            sleeper: inner.sleeper.clone(),
            ..ClientBuilder::default()
        }
    }
}

/// The transport and timer of the async client.
impl Builder<Client> {
    /// The transport that moves bytes. Required.
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// What waits between retries and times deadlines: any `Fn(Duration) -> impl Future`,
    /// such as `tokio::time::sleep`. Without one, a timer thread shared by the process is used
    /// (the `default-timer` feature, on by default where there are threads); where there is
    /// none, configuring retries or a deadline is an error, and the default policy makes no
    /// retries.
    pub fn sleeper(mut self, sleeper: impl Sleep + 'static) -> Self {
        self.sleeper = Some(Arc::new(sleeper));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let transport = self.transport.ok_or_else(|| {
            Error::invalid_input("transport", "is required: pass an HttpTransport such as imagekit-hyper's")
        })?;
        let config = self.config.build()?;
        let sleeper = self.sleeper.or_else(crate::runtime::default_sleeper);
        if sleeper.is_none() {
            if self.run.retry.as_ref().is_some_and(|p| p.max_retries > 0) {
                return Err(Error::invalid_input(
                    "retry_policy",
                    "retries need a sleeper to wait between attempts, and this target has no default \
                     timer: give one with ClientBuilder::sleeper, or use RetryPolicy::none()",
                ));
            }
            if self.run.deadline.is_some() {
                return Err(Error::invalid_input(
                    "deadline",
                    "a deadline needs a sleeper to time it, and this target has no default timer: give \
                     one with ClientBuilder::sleeper",
                ));
            }
        }
        let defaults = self.run.defaults(sleeper.is_some());
        Ok(Client { inner: Arc::new(ClientInner { config, transport, sleeper, defaults }) })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl BlockingClient {
    /// Starts configuring a blocking client.
    pub fn builder() -> BlockingClientBuilder {
        BlockingClientBuilder::default()
    }

    /// A builder holding this client's settings and sharing its transport.
    pub fn to_builder(&self) -> BlockingClientBuilder {
        let inner = &*self.inner;
        BlockingClientBuilder {
            config: inner.config.settings().fields.clone(),
            run: RunFields::from_defaults(&inner.defaults),
            blocking_transport: Some(inner.transport.clone()),
            ..BlockingClientBuilder::default()
        }
    }
}

/// The transport of the blocking client.
#[cfg(not(target_arch = "wasm32"))]
impl Builder<BlockingClient> {
    /// The blocking transport that moves bytes. Required.
    pub fn transport(mut self, transport: impl BlockingTransport + 'static) -> Self {
        self.blocking_transport = Some(Arc::new(transport));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<BlockingClient, Error> {
        let transport = self.blocking_transport.ok_or_else(|| {
            Error::invalid_input("transport", "is required: pass a BlockingTransport such as imagekit-ureq's")
        })?;
        let config = self.config.build()?;
        let defaults = self.run.defaults(true);
        Ok(BlockingClient { inner: Arc::new(BlockingInner { config, transport, defaults }) })
    }
}

impl Config {
    /// Starts configuring a `Config`.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder holding this configuration's settings.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder { config: self.settings().fields.clone(), ..ConfigBuilder::default() }
    }
}

impl Builder<Config> {
    /// Checks the configuration and builds it.
    pub fn build(self) -> Result<Config, Error> {
        self.config.build()
    }
}

impl<K> fmt::Debug for Builder<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("config", &self.config)
            .field("run", &self.run)
            .field("transport", &self.transport)
            .field("sleeper", &self.sleeper.as_ref().map(|_| "set"))
            .finish_non_exhaustive()
    }
}
