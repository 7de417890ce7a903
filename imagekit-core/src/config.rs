//! [`Config`]: everything a request needs and nothing that moves bytes.
//!
//! A `Config` holds the credentials, base URLs, user agent, default headers and query, the
//! response body cap and the clock. With it, an [`Operation`](crate::operation::Operation)
//! becomes an `http::Request` and an `http::Response` becomes its typed value, with no client,
//! transport or async runtime: see [`crate::operation`]. A [`crate::client::Client`] is a `Config` plus
//! a transport and the retry loop.
//!
//! Build one with [`Config::builder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use http::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;
use crate::runtime::{Clock, Random, SystemClock};

/// The default API base URL.
pub const DEFAULT_API_BASE_URL: &str = "https://api.imagekit.io";
/// The default upload base URL.
pub const DEFAULT_UPLOAD_BASE_URL: &str = "https://upload.imagekit.io";
/// The default timeout of one attempt, as the official SDKs use.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default timeout of one upload attempt: an upload takes as long as its file needs, so
/// the 60 s of other calls would cut large files short.
pub const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(60 * 60);
/// The default idle timeout of an upload attempt: no byte sent or received for this long ends
/// the attempt, however long its whole-exchange timeout is.
pub const DEFAULT_UPLOAD_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// The largest response body read unless another cap is configured.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// The user agent sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("imagekit-rs/", env!("CARGO_PKG_VERSION"));

/// Environment variable holding the private API key (the official SDKs' name too).
pub const ENV_PRIVATE_KEY: &str = "IMAGEKIT_PRIVATE_KEY";
/// Environment variable overriding the API base URL.
pub const ENV_BASE_URL: &str = "IMAGEKIT_BASE_URL";
/// The official SDKs' environment variable for the API base URL; [`ENV_BASE_URL`] wins when
/// both are set.
pub const ENV_SDK_BASE_URL: &str = "IMAGE_KIT_BASE_URL";
/// Environment variable overriding the upload base URL.
pub const ENV_UPLOAD_BASE_URL: &str = "IMAGEKIT_UPLOAD_BASE_URL";
/// Environment variable that allows `http://` base URLs to hosts that are not loopback (`1` or
/// `true`), as [`ClientBuilder::allow_insecure_http`](crate::ClientBuilder::allow_insecure_http)
/// does: for an emulator on a container network. The private key then travels in cleartext.
pub const ENV_ALLOW_INSECURE_HTTP: &str = "IMAGEKIT_ALLOW_INSECURE_HTTP";
/// Environment variable holding the webhook secret (`whsec_...`), as the official SDKs read it.
pub const ENV_WEBHOOK_SECRET: &str = "IMAGEKIT_WEBHOOK_SECRET";
/// Environment variable of headers sent with every request, as the official SDKs read it: one
/// `Name: value` per line. Headers set on the builder win over these.
pub const ENV_CUSTOM_HEADERS: &str = "IMAGE_KIT_CUSTOM_HEADERS";
/// Environment variable of the log level, as the official SDKs read it (`off`, `error`,
/// `warn`, `info`, `debug`); the examples and the command-line tool turn it into a `tracing`
/// filter for the `imagekit` target. The library itself only emits events: the application's
/// subscriber decides what is shown.
pub const ENV_LOG: &str = "IMAGE_KIT_LOG";

/// The `tracing` level an [`ENV_LOG`] value names, as the official SDKs read it: `off` (or
/// empty) is `None`, then `error`, `warn`, `info`, `debug`, and `trace` (which adds bodies), in
/// any case. Anything else is an invalid input naming the variable and the accepted values.
///
/// ```
/// use imagekit_core::config::log_level;
/// use tracing::level_filters::LevelFilter;
///
/// assert_eq!(log_level(" Debug ").unwrap(), Some(LevelFilter::DEBUG));
/// assert_eq!(log_level("off").unwrap(), None);
/// assert!(log_level("loud").is_err());
/// ```
#[cfg(feature = "tracing")]
pub fn log_level(value: &str) -> Result<Option<tracing::level_filters::LevelFilter>, crate::error::Error> {
    use tracing::level_filters::LevelFilter;
    Ok(Some(match value.trim().to_ascii_lowercase().as_str() {
        "" | "off" => return Ok(None),
        "error" => LevelFilter::ERROR,
        "warn" => LevelFilter::WARN,
        "info" => LevelFilter::INFO,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        other => {
            return Err(crate::error::Error::invalid_input(
                ENV_LOG,
                format!("{other:?} is not a log level: use off, error, warn, info, debug or trace"),
            ));
        }
    }))
}

/// `Name: value` lines, as [`ENV_CUSTOM_HEADERS`] holds them; lines without a colon are
/// skipped, names and values trimmed.
pub fn parse_header_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

/// Everything a request needs: credentials, base URLs, user agent, defaults, body cap, clock.
///
/// Cheap to clone. No `Debug` or `Display` shows the private key or the webhook secret.
///
/// ```
/// use imagekit_core::Config;
///
/// let config = Config::builder().private_key("private_key").build()?;
/// let get = config.files().versions().get("file_id", "version_id")?;
/// let request = get.to_request(&config)?;
/// assert_eq!(request.uri(), "https://api.imagekit.io/v1/files/file_id/versions/version_id");
/// assert!(!format!("{config:?}").contains("private_key\""));
/// # Ok::<(), imagekit_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Config {
    inner: Arc<Settings>,
}

/// What a configuration is built from, as given (so a client can be turned back into a builder).
#[derive(Clone, Default)]
pub(crate) struct ConfigFields {
    pub(crate) private_key: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) upload_base_url: Option<String>,
    pub(crate) user_agent: Option<String>,
    pub(crate) default_headers: Vec<(String, String)>,
    pub(crate) default_query: Vec<(String, String)>,
    pub(crate) max_response_bytes: Option<u64>,
    pub(crate) clock: Option<Arc<dyn Clock>>,
    pub(crate) random: Option<Arc<dyn Random>>,
    pub(crate) webhook_secret: Option<String>,
    pub(crate) allow_insecure_http: bool,
    /// An environment variable whose value could not be read, reported by `build`.
    pub(crate) invalid_env: Option<(&'static str, String)>,
}

impl fmt::Debug for ConfigFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigFields")
            .field("private_key", &self.private_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("upload_base_url", &self.upload_base_url.as_deref().map(redact_userinfo))
            .field("user_agent", &self.user_agent)
            .field("default_headers", &self.default_headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("default_query", &self.default_query)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("clock", &self.clock)
            .field("random", &self.random.as_ref().map(|_| "set"))
            .field("webhook_secret", &self.webhook_secret.as_ref().map(|_| "<redacted>"))
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

impl ConfigFields {
    /// Checks every value and builds the configuration.
    pub(crate) fn build(self) -> Result<Config, Error> {
        if let Some((name, value)) = &self.invalid_env {
            return Err(Error::invalid_input(*name, format!("must be 1, true, 0 or false (got {value:?})")));
        }
        let private_key = self.private_key.clone().ok_or_else(|| {
            Error::invalid_input(
                "private_key",
                "is required: pass it to the builder or set IMAGEKIT_PRIVATE_KEY",
            )
        })?;
        let authorization = authorization_header(&private_key)?;
        let user_agent = user_agent_header(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT))?;
        let allow_http = self.allow_insecure_http;
        let api_base =
            base_url("base_url", self.base_url.as_deref().unwrap_or(DEFAULT_API_BASE_URL), allow_http)?;
        // One base URL moves everything, as in the official SDKs: an API base URL other than
        // ImageKit's own also serves uploads, unless an upload base URL is given.
        let upload_base = match &self.upload_base_url {
            Some(url) => base_url("upload_base_url", url, allow_http)?,
            None if api_base != DEFAULT_API_BASE_URL => api_base.clone(),
            None => DEFAULT_UPLOAD_BASE_URL.to_owned(),
        };
        if allow_http {
            let upload = (upload_base != api_base).then_some(&upload_base);
            for url in std::iter::once(&api_base).chain(upload) {
                if cleartext_beyond_loopback(url) {
                    crate::telemetry::insecure_http(url);
                }
            }
        }
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = extra_header(name, value)?;
            default_headers.insert(name, value);
        }
        let mut default_query = String::new();
        for (name, value) in &self.default_query {
            if !default_query.is_empty() {
                default_query.push('&');
            }
            crate::encode::push_encoded(&mut default_query, name);
            default_query.push('=');
            crate::encode::push_encoded(&mut default_query, value);
        }
        if let Some(secret) = &self.webhook_secret {
            if secret.is_empty() {
                return Err(Error::invalid_input("webhook_secret", "must not be empty"));
            }
        }
        Ok(Config::from_settings(Settings {
            private_key,
            authorization,
            user_agent,
            api_base,
            upload_base,
            default_headers,
            default_query,
            max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            clock: self.clock.clone().unwrap_or_else(|| Arc::new(SystemClock)),
            random: self.random.clone().or_else(crate::runtime::default_random),
            webhook_secret: self.webhook_secret.clone(),
            fields: self,
        }))
    }
}

/// The values of a [`Config`], checked.
pub(crate) struct Settings {
    pub(crate) private_key: String,
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) api_base: String,
    pub(crate) upload_base: String,
    pub(crate) default_headers: HeaderMap,
    /// Already encoded, without `?`.
    pub(crate) default_query: String,
    pub(crate) max_response_bytes: u64,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) random: Option<Arc<dyn Random>>,
    pub(crate) webhook_secret: Option<String>,
    /// What it was built from.
    pub(crate) fields: ConfigFields,
}

impl Config {
    pub(crate) fn from_settings(settings: Settings) -> Self {
        Self { inner: Arc::new(settings) }
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.inner
    }

    /// The API base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// The upload base URL uploads go to.
    pub fn upload_base_url(&self) -> &str {
        &self.inner.upload_base
    }

    /// The `User-Agent` header sent with every request.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.inner.user_agent
    }

    /// Headers sent with every request (a call's own headers win).
    pub fn default_headers(&self) -> &HeaderMap {
        &self.inner.default_headers
    }

    /// The largest response body a driver should read; a larger one is a transport error of
    /// kind `BodyTooLarge`.
    pub fn max_response_bytes(&self) -> u64 {
        self.inner.max_response_bytes
    }

    /// The clock for upload expiries, JWTs and signed-URL expiries.
    pub fn clock(&self) -> &dyn Clock {
        &*self.inner.clock
    }

    /// Whether a webhook secret was configured (see `webhooks()`).
    pub fn has_webhook_secret(&self) -> bool {
        self.inner.webhook_secret.is_some()
    }

    /// The random source for tokens and boundaries, if the target has one or one was given.
    pub fn random(&self) -> Option<&Arc<dyn Random>> {
        self.inner.random.as_ref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &*self.inner;
        f.debug_struct("Config")
            .field("private_key", &"<redacted>")
            .field("base_url", &s.api_base)
            .field("upload_base_url", &s.upload_base)
            .field("user_agent", &s.user_agent)
            .field("default_headers", &s.default_headers.keys().collect::<Vec<_>>())
            .field("default_query", &s.default_query)
            .field("max_response_bytes", &s.max_response_bytes)
            .field("clock", &s.clock)
            .field("webhook_secret", &s.webhook_secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// `Basic base64("<key>:")`, marked sensitive so `http`'s own `Debug` hides it too.
pub(crate) fn authorization_header(private_key: &str) -> Result<HeaderValue, Error> {
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

/// Checks a user agent: visible ASCII and spaces, as the error says.
pub(crate) fn user_agent_header(user_agent: &str) -> Result<HeaderValue, Error> {
    let visible = |b: u8| b == b' ' || b.is_ascii_graphic();
    if user_agent.is_empty() || !user_agent.bytes().all(visible) {
        return Err(Error::invalid_input(
            "user_agent",
            "must be visible ASCII characters and spaces, and not empty",
        ));
    }
    HeaderValue::from_str(user_agent)
        .map_err(|_| Error::invalid_input("user_agent", "cannot be sent in a header"))
}

/// Checks a header a caller adds (a default or a per-call one): a valid name, a value of
/// visible characters, and not `Authorization`, which only the private key sets.
pub(crate) fn extra_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_input("header", format!("{name:?} is not a valid header name")))?;
    if header == AUTHORIZATION {
        return Err(Error::invalid_input(
            "header",
            "Authorization is set from the private key; it cannot be replaced per call or by default",
        ));
    }
    // Visible ASCII, spaces and tabs: what every HTTP stack carries the same way.
    if !value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) {
        return Err(Error::invalid_input(
            "header",
            format!("the value of {name} must be visible ASCII, spaces and tabs (no control characters)"),
        ));
    }
    let value = HeaderValue::from_str(value).map_err(|_| {
        Error::invalid_input("header", format!("the value of {name} cannot be sent in a header"))
    })?;
    Ok((header, value))
}

/// Validates a base URL: `http` or `https`, a host, no credentials, query or fragment, and
/// `https` unless the host is loopback or cleartext was allowed; a trailing `/` is dropped.
pub(crate) fn base_url(setting: &'static str, url: &str, allow_http: bool) -> Result<String, Error> {
    let invalid =
        |reason: &str| Error::invalid_input(setting, format!("{reason} (got {:?})", redact_userinfo(url)));
    let trimmed = url.trim_end_matches('/');
    let uri: http::Uri = trimmed.parse().map_err(|_| invalid("is not a valid URL"))?;
    let Some(authority) = uri.authority() else { return Err(invalid("must name a host")) };
    // Anywhere, not only in the authority as parsed: with an unencoded `#`, `/` or `?` in the
    // password, `user:pa/ss@host` parses as host `user`, and the key would go there.
    if authority.as_str().contains('@')
        || trimmed.split_once("://").is_some_and(|(_, rest)| rest.contains('@'))
    {
        return Err(invalid(
            "must not carry credentials (user:password@): the private key is the only credential",
        ));
    }
    if authority.host().is_empty() {
        return Err(invalid("must name a host"));
    }
    if trimmed.contains(['?', '#']) {
        return Err(invalid("must not have a query or fragment"));
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if allow_http || is_loopback(authority.host()) => {}
        Some("http") => {
            return Err(invalid(
                "is plain http:// to a host that is not loopback, which would send the private key in \
                 cleartext: use https://, or allow it with allow_insecure_http(true) \
                 (IMAGEKIT_ALLOW_INSECURE_HTTP=1 for a builder made from the environment)",
            ));
        }
        _ => return Err(invalid("must start with http:// or https://")),
    }
    Ok(trimmed.to_owned())
}

/// Whether a checked base URL is `http://` to a host that is not loopback.
fn cleartext_beyond_loopback(url: &str) -> bool {
    url.parse::<http::Uri>().is_ok_and(|uri| {
        uri.scheme_str() == Some("http") && uri.host().is_some_and(|host| !is_loopback(host))
    })
}

/// `localhost`, `127.0.0.0/8` and `::1`: hosts whose traffic never leaves the machine.
///
/// Names under `.localhost` are not taken on trust: a hosts file (or a resolver) can send
/// `emu.localhost` anywhere, and nothing here sees the resolved address. `localhost` itself
/// is the one name accepted.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}

/// A URL with any `user:password@` replaced, for error messages.
///
/// Up to the last `@` anywhere, not only in the authority as a parser reads it: a password
/// with an unencoded `#`, `/` or `?` would otherwise be shown from that character on.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameter(result: Result<String, Error>) -> String {
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
        for key in ["", "key\n", "ke\ty", "a:b", "\u{7f}"] {
            assert!(authorization_header(key).is_err(), "{key:?}");
        }
    }

    #[test]
    fn base_urls_are_validated_and_normalised() {
        assert_eq!(base_url("base_url", "http://127.0.0.1:4010/", false).unwrap(), "http://127.0.0.1:4010");
        assert_eq!(
            base_url("base_url", "https://example.test/prefix//", false).unwrap(),
            "https://example.test/prefix"
        );
        for url in ["ftp://x", "api.imagekit.io", "https://", "https://x/?a=b", "http://x/#f", ""] {
            assert_eq!(parameter(base_url("base_url", url, false)), "base_url", "url {url:?}");
        }
    }

    #[test]
    fn cleartext_is_refused_except_to_loopback_or_when_allowed() {
        for url in ["http://localhost:8080", "http://127.0.0.1", "http://127.9.9.9:1", "http://[::1]:80"] {
            assert!(base_url("base_url", url, false).is_ok(), "{url}");
        }
        let refused = base_url("base_url", "http://api.imagekit.io", false).unwrap_err().to_string();
        assert!(
            refused.contains("http://api.imagekit.io") && refused.contains("allow_insecure_http"),
            "{refused}"
        );
        // A name under .localhost may resolve anywhere (a hosts file), so it is not loopback.
        for url in [
            "http://10.0.0.1",
            "http://localhost.example.com",
            "http://128.0.0.1",
            "http://a.localhost",
            "http://emu.localhost:4010",
        ] {
            assert!(base_url("base_url", url, false).is_err(), "{url}");
        }
        assert!(base_url("base_url", "http://api.imagekit.io", true).is_ok());
    }

    #[test]
    fn credentials_in_base_urls_are_refused_and_not_echoed() {
        let error = base_url("base_url", "https://user:hunter2@example.test", false).unwrap_err().to_string();
        assert!(error.contains("credentials") && !error.contains("hunter2"), "{error}");
        // Unencoded `#`, `/` or `?` in the password end the authority early when parsed.
        for url in
            ["https://user:hun#ter2@x.test", "https://user:hun/ter2@x.test", "https://user:hun?ter2@x.test"]
        {
            let error = base_url("base_url", url, false).unwrap_err().to_string();
            assert!(!error.contains("ter2") && !error.contains("user:hun"), "{url}: {error}");
            assert!(error.contains("credentials"), "refused as credentials: {error}");
        }
    }

    #[test]
    fn user_agents_are_visible_ascii() {
        assert!(user_agent_header("my-app/1.0 (contact)").is_ok());
        for bad in ["uä", "a\nb", "", "tab\there"] {
            let error = user_agent_header(bad).unwrap_err().to_string();
            assert!(error.contains("visible ASCII"), "{bad:?}: {error}");
        }
    }

    #[test]
    fn extra_headers_cannot_set_authorization_or_smuggle_lines() {
        assert!(extra_header("x-trace", "abc").is_ok());
        assert!(extra_header("Authorization", "Basic x").is_err());
        assert!(extra_header("x-a", "b\r\nx-b: c").is_err());
        assert!(extra_header("bad name", "v").is_err());
    }
}
