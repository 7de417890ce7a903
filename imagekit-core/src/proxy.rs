//! The proxy rule: which destinations go through which HTTP proxy.
//!
//! Every transport of this workspace that connects on its own (`imagekit-hyper`,
//! `imagekit-ureq`) decides with [`ProxyRules`], so they agree on every destination; a
//! transport of your own can use it too. It is pure: it reads variables and compares names,
//! and never resolves or connects.
//!
//! [`ProxyRules::from_env`] reads the usual variables. For each destination the first of these
//! that is present is used:
//!
//! | destination | proxy |
//! | --- | --- |
//! | `https://` | `HTTPS_PROXY`, `https_proxy`, then `ALL_PROXY`, `all_proxy` |
//! | `http://` | `HTTP_PROXY`, `http_proxy`, then `ALL_PROXY`, `all_proxy` |
//!
//! * Within a pair the upper-case name is read first, and a present one hides the lower-case
//!   one even when empty. An empty value falls through to `ALL_PROXY`; an empty `ALL_PROXY`
//!   means direct.
//! * A value that is not an `http://[user:password@]host[:port]` URL is an error when the rules
//!   are read, naming the variable: a proxy that was meant but cannot be used never turns into
//!   a silent direct connection. SOCKS and `https://` proxies are refused the same way.
//! * `NO_PROXY` (or `no_proxy`) lists, separated by commas or spaces, the hosts reached
//!   directly, in the forms curl reads: `*` (every host), a domain (`example.com`, `.example.com`
//!   and `*.example.com` all match the domain and its subdomains), `host:port` (that port
//!   only), an IP address (`10.1.2.3`, `fd00::1`, `[fd00::1]`, `[fd00::1]:443`) and a CIDR range
//!   (`10.0.0.0/8`, `fd00::/8`). Case and a trailing dot do not matter, and an IPv4-mapped IPv6
//!   destination (`[::ffff:10.1.2.3]`) is compared as the IPv4 address it is.
//! * Loopback destinations (`localhost` and names under it, `127.0.0.0/8`, `::1`) are reached
//!   directly, as Go does, unless [`ProxyRules::proxy_loopback`] says otherwise: a local server
//!   is not behind the network's proxy, and a plain `http://` request to it would show the
//!   proxy the private key.
//! * In a CGI program (`REQUEST_METHOD` set) no variable is read and every connection is
//!   direct, since `HTTP_PROXY` may then come from a request's `Proxy:` header ("httpoxy").
//!
//! ```
//! use imagekit_core::proxy::ProxyRules;
//!
//! let rules = ProxyRules::from_vars([
//!     ("HTTPS_PROXY", "http://user:secret@proxy.internal:3128"),
//!     ("NO_PROXY", "*.internal,10.0.0.0/8"),
//! ])?;
//! let api: http::Uri = "https://api.imagekit.io/v1/files".parse().unwrap();
//! let proxy = rules.proxy_for(&api).expect("proxied");
//! assert_eq!((proxy.host(), proxy.port()), ("proxy.internal", 3128));
//! assert_eq!(proxy.to_string(), "http://<redacted>@proxy.internal:3128");
//! assert!(rules.proxy_for(&"https://files.internal/".parse().unwrap()).is_none());
//! assert!(rules.proxy_for(&"http://127.0.0.1:8080/".parse().unwrap()).is_none());
//! # Ok::<(), imagekit_core::Error>(())
//! ```

use std::fmt;
use std::net::IpAddr;

use base64::Engine as _;
use http::{HeaderValue, Uri};
use percent_encoding::percent_decode_str;

use crate::config::{is_loopback, redact_userinfo};
use crate::error::Error;

/// Every environment variable the rule reads: for clearing them, e.g. in a child process's
/// environment.
pub const VARIABLES: [&str; 9] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    CGI,
];

const ALL: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const HTTP: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const HTTPS: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const NO: [&str; 2] = ["NO_PROXY", "no_proxy"];
/// Set in a CGI program, where `HTTP_PROXY` may come from a request header.
const CGI: &str = "REQUEST_METHOD";

/// An HTTP proxy, checked: `http://[user:password@]host[:port]` (no scheme means `http://`,
/// no port means 80).
///
/// Its `Debug` and `Display` show the URL with the credentials replaced by `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    /// As in a URI authority: a name, an IPv4 address, or an IPv6 address in brackets.
    host: String,
    port: u16,
    /// User name and password, percent-decoded.
    credentials: Option<(String, String)>,
}

impl Proxy {
    /// Checks `url`. The error is [`Error::InvalidInput`] for `proxy`, and shows the URL
    /// without its credentials.
    ///
    /// ```
    /// use imagekit_core::proxy::Proxy;
    ///
    /// let proxy = Proxy::parse("http://me:p%40ss@proxy.internal:3128")?;
    /// assert_eq!(proxy.credentials(), Some(("me", "p@ss")));
    /// assert!(Proxy::parse("socks5://proxy.internal:1080").is_err());
    /// assert!(Proxy::parse("http://me:pa/ss@proxy.internal:3128").is_err()); // `/` unencoded
    /// # Ok::<(), imagekit_core::Error>(())
    /// ```
    pub fn parse(url: &str) -> Result<Self, Error> {
        Self::check(url).map_err(|reason| Error::invalid_input("proxy", reason))
    }

    /// The host: a name, an IPv4 address, or an IPv6 address in brackets.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port (80 when the URL names none).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://host:port`, without credentials: where to connect.
    pub fn uri(&self) -> Uri {
        // Built from a checked host and a number: it parses.
        format!("http://{}:{}", self.host, self.port).parse().unwrap_or_default()
    }

    /// The user name and password, percent-decoded, if the URL has them.
    pub fn credentials(&self) -> Option<(&str, &str)> {
        self.credentials.as_ref().map(|(user, password)| (user.as_str(), password.as_str()))
    }

    /// `Proxy-Authorization: Basic ...` for the credentials, marked sensitive; `None` without
    /// credentials. Send it to the proxy alone: in the CONNECT request, or on a plain `http://`
    /// request sent to the proxy whole.
    pub fn authorization(&self) -> Option<HeaderValue> {
        let (user, password) = self.credentials()?;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let mut value = HeaderValue::from_str(&format!("Basic {token}")).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    fn check(url: &str) -> Result<Self, String> {
        let shown = redact_userinfo(url);
        let refuse = |why: &str| Err(format!("`{shown}` {why}; expected http://[user:password@]host[:port]"));
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
        match scheme.to_ascii_lowercase().as_str() {
            "http" => {}
            scheme @ ("https" | "socks4" | "socks4a" | "socks5" | "socks5h") => {
                return refuse(&format!(
                    "is a {scheme} proxy, which is not supported (only http:// proxies are)"
                ));
            }
            _ => return refuse("has a scheme other than http"),
        }
        // The authority ends at the first `/`, `?` or `#`; an `@` after it means credentials
        // whose special characters were not percent-encoded. Read as written, the user name
        // would be taken for the host and go to DNS.
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if tail.contains('@') {
            return refuse(
                "has credentials with an unencoded `#`, `/` or `?`, which would end the host early \
                 (percent-encode them)",
            );
        }
        if !matches!(tail, "" | "/") {
            return refuse("has a path, query or fragment");
        }
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority),
        };
        let Ok(parsed) = format!("http://{host_port}").parse::<Uri>() else { return refuse("is not a URL") };
        let Some(parsed) = parsed.authority() else { return refuse("has no host") };
        if parsed.host().is_empty() {
            return refuse("has no host");
        }
        // What follows the host: nothing, or `:port` with a port that fits in 16 bits.
        let port = match parsed.as_str().get(parsed.host().len()..).unwrap_or_default() {
            "" => 80,
            after => match after.strip_prefix(':').map(str::parse::<u16>) {
                Some(Ok(port)) => port,
                _ => return refuse("has an invalid port"),
            },
        };
        let credentials = match userinfo {
            None => None,
            Some(userinfo) => {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                let decode = |part: &str| percent_decode_str(part).decode_utf8().map(|s| s.into_owned());
                match (decode(user), decode(password)) {
                    (Ok(user), Ok(password)) if !user.contains(':') => Some((user, password)),
                    _ => return refuse("has credentials that are not UTF-8 once percent-decoded"),
                }
            }
        };
        Ok(Self { host: parsed.host().to_ascii_lowercase(), port, credentials })
    }
}

impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = if self.credentials.is_some() { "<redacted>@" } else { "" };
        write!(f, "http://{redacted}{}:{}", self.host, self.port)
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({self})")
    }
}

/// Which destinations go through which [`Proxy`]: read from the environment, from given
/// variables, or one proxy for all. See the [module docs](self) for the rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyRules {
    http: Option<Proxy>,
    https: Option<Proxy>,
    no_proxy: NoProxy,
    loopback_direct: bool,
    /// Made with [`ProxyRules::all`]: loopback is proxied whatever [`ProxyRules::proxy_loopback`] says.
    explicit: bool,
}

impl ProxyRules {
    /// Direct connections to every host.
    pub fn direct() -> Self {
        Self::default()
    }

    /// `proxy` for every destination, loopback included: it was asked for.
    pub fn all(proxy: Proxy) -> Self {
        let https = Some(proxy.clone());
        Self {
            http: Some(proxy),
            https,
            no_proxy: NoProxy::default(),
            loopback_direct: false,
            explicit: true,
        }
    }

    /// The rules of the process environment's proxy variables.
    ///
    /// An error, naming the variable, when one of them is not a usable proxy URL.
    pub fn from_env() -> Result<Self, Error> {
        Self::read(|name| std::env::var(name).ok())
    }

    /// The rules of these variables, read as the environment's would be; other names are
    /// ignored.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let vars: Vec<(K, V)> = vars.into_iter().collect();
        Self::read(|name| {
            vars.iter().find(|(key, _)| key.as_ref() == name).map(|(_, value)| value.as_ref().to_owned())
        })
    }

    fn read(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        if lookup(CGI).is_some() {
            return Ok(Self::direct());
        }
        // The first of a pair that is present, even empty, with the name it was read under.
        let first = |names: [&'static str; 2]| names.into_iter().find_map(|name| Some((name, lookup(name)?)));
        let proxy = |names: [&'static str; 2]| -> Result<Option<Proxy>, Error> {
            let chosen = match first(names) {
                Some((_, value)) if value.trim().is_empty() => first(ALL),
                None => first(ALL),
                present => present,
            };
            match chosen {
                Some((name, value)) if !value.trim().is_empty() => {
                    Proxy::check(value.trim()).map(Some).map_err(|reason| {
                        Error::invalid_input(
                            name,
                            format!("{reason}; correct or unset {name} to connect directly"),
                        )
                    })
                }
                _ => Ok(None),
            }
        };
        let no_proxy = first(NO).map(|(_, value)| NoProxy::parse(&value)).unwrap_or_default();
        Ok(Self {
            http: proxy(HTTP)?,
            https: proxy(HTTPS)?,
            no_proxy,
            loopback_direct: true,
            explicit: false,
        })
    }

    /// Whether loopback destinations go through the proxy read from variables too, as curl
    /// does; by default they are reached directly. Rules made with [`ProxyRules::all`] proxy
    /// loopback regardless of this.
    pub fn proxy_loopback(mut self, through_proxy: bool) -> Self {
        if !self.explicit {
            self.loopback_direct = !through_proxy;
        }
        self
    }

    /// The proxies the rules may choose (at most two: for `http://` and for `https://` destinations),
    /// each once: for a transport that sets up a connection per proxy ahead of time.
    pub fn proxies(&self) -> impl Iterator<Item = &Proxy> {
        let https = self.https.as_ref().filter(|https| self.http.as_ref() != Some(*https));
        self.http.iter().chain(https)
    }

    /// Whether every connection is direct, whatever the destination.
    pub fn is_direct(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// The proxy for `destination`, or `None` to connect directly. A destination that is
    /// neither `http://` nor `https://`, or has no host, is direct.
    pub fn proxy_for(&self, destination: &Uri) -> Option<&Proxy> {
        let (proxy, default_port) = match destination.scheme_str()? {
            "https" => (self.https.as_ref()?, 443),
            "http" => (self.http.as_ref()?, 80),
            _ => return None,
        };
        let host = destination.host()?;
        let port = destination.port_u16().unwrap_or(default_port);
        if self.loopback_direct && is_loopback_destination(host) {
            return None;
        }
        if self.no_proxy.matches(host, port) {
            return None;
        }
        Some(proxy)
    }
}

/// `localhost` and names under it, and loopback addresses (IPv4-mapped ones included), as
/// written: no lookup. A name under `.localhost` that resolves elsewhere is then reached
/// directly, not through the proxy; that sends nothing the proxy would not have seen.
fn is_loopback_destination(host: &str) -> bool {
    let name = host.trim_end_matches('.');
    let under_localhost = name
        .len()
        .checked_sub(".localhost".len())
        .and_then(|start| name.get(start..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(".localhost"));
    is_loopback(name) || under_localhost || parse_ip(host).is_some_and(|ip| ip.is_loopback())
}

/// `host` as an IP address (brackets allowed), IPv4-mapped IPv6 as the IPv4 address.
fn parse_ip(host: &str) -> Option<IpAddr> {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    bare.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

/// The hosts `NO_PROXY` lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct NoProxy {
    every_host: bool,
    entries: Vec<Exempt>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Exempt {
    /// A domain and its subdomains, lower case, without leading or trailing dots.
    Domain { name: String, port: Option<u16> },
    /// One address.
    Address { ip: IpAddr, port: Option<u16> },
    /// A CIDR range.
    Range { network: IpAddr, prefix: u8 },
}

impl NoProxy {
    fn parse(value: &str) -> Self {
        let mut list = Self::default();
        for entry in value.split([',', ' ', '\t']).map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                list.every_host = true;
            } else if let Some(exempt) = Exempt::parse(entry) {
                list.entries.push(exempt);
            }
        }
        list
    }

    fn matches(&self, host: &str, port: u16) -> bool {
        if self.every_host {
            return true;
        }
        let ip = parse_ip(host);
        let name = host.trim_end_matches('.').to_ascii_lowercase();
        self.entries.iter().any(|exempt| match exempt {
            Exempt::Domain { name: domain, port: wanted } => {
                ip.is_none()
                    && wanted.is_none_or(|wanted| wanted == port)
                    && (name == *domain
                        || name.strip_suffix(domain.as_str()).is_some_and(|head| head.ends_with('.')))
            }
            Exempt::Address { ip: exempt, port: wanted } => {
                ip == Some(*exempt) && wanted.is_none_or(|wanted| wanted == port)
            }
            Exempt::Range { network, prefix } => ip.is_some_and(|ip| in_range(ip, *network, *prefix)),
        })
    }
}

impl Exempt {
    /// One `NO_PROXY` entry; `None` for one that can match nothing (a bad range or port).
    fn parse(entry: &str) -> Option<Self> {
        if let Some((network, prefix)) = entry.split_once('/') {
            let network = parse_ip(network)?;
            let prefix: u8 = prefix.parse().ok()?;
            let bits = if network.is_ipv4() { 32 } else { 128 };
            return (prefix <= bits).then_some(Self::Range { network, prefix });
        }
        // `[v6]`, `[v6]:port`, a bare v6 address (more than one `:`), `v4`, `v4:port`.
        if let Some(rest) = entry.strip_prefix('[') {
            let (address, after) = rest.split_once(']')?;
            let port = match after.strip_prefix(':') {
                Some(port) => Some(port.parse().ok()?),
                None if after.is_empty() => None,
                None => return None,
            };
            return Some(Self::Address { ip: parse_ip(address)?, port });
        }
        if let Some(ip) = parse_ip(entry) {
            return Some(Self::Address { ip, port: None });
        }
        let (host, port) = match entry.rsplit_once(':') {
            Some((host, port)) => (host, Some(port.parse().ok()?)),
            None => (entry, None),
        };
        if let Some(ip) = parse_ip(host) {
            return Some(Self::Address { ip, port });
        }
        let name =
            host.trim_start_matches("*.").trim_start_matches('.').trim_end_matches('.').to_ascii_lowercase();
        (!name.is_empty()).then_some(Self::Domain { name, port })
    }
}

/// Whether `ip` lies in `network/prefix` (both of one family).
fn in_range(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(vars: &[(&str, &str)]) -> ProxyRules {
        ProxyRules::from_vars(vars.iter().copied()).unwrap()
    }

    fn proxied(rules: &ProxyRules, destination: &str) -> Option<String> {
        rules.proxy_for(&destination.parse().unwrap()).map(|p| format!("{}:{}", p.host(), p.port()))
    }

    #[test]
    fn proxy_urls_are_checked() {
        let proxy = Proxy::parse("http://user:se%23cret@Proxy:3128/").unwrap();
        assert_eq!((proxy.host(), proxy.port()), ("proxy", 3128));
        assert_eq!(proxy.credentials(), Some(("user", "se#cret")));
        assert_eq!(proxy.uri(), "http://proxy:3128");
        assert_eq!(proxy.authorization().unwrap(), "Basic dXNlcjpzZSNjcmV0");
        assert!(proxy.authorization().unwrap().is_sensitive());
        assert_eq!(Proxy::parse("proxy").unwrap().port(), 80);
        assert_eq!(Proxy::parse("[::1]:8").unwrap().uri(), "http://[::1]:8");
        assert_eq!(Proxy::parse("token@proxy:1").unwrap().credentials(), Some(("token", "")));
        for bad in [
            "",
            "http://",
            "http://proxy:3128/path",
            "http://proxy?x=1",
            "http://proxy:",
            "http://proxy:99999",
            "ftp://proxy",
            "socks5h://p:1",
            "https://p:1",
            "a b",
            "http://u:%ff@p:1",
        ] {
            let Err(Error::InvalidInput(e)) = Proxy::parse(bad) else { panic!("{bad:?} was accepted") };
            assert_eq!(e.parameter(), "proxy");
            assert!(e.reason().contains("expected http://"), "{}", e.reason());
        }
    }

    #[test]
    fn credentials_never_show() {
        let proxy = Proxy::parse("http://user:secret@proxy:3128").unwrap();
        assert_eq!(proxy.to_string(), "http://<redacted>@proxy:3128");
        assert!(!format!("{proxy:?}{:?}", ProxyRules::all(proxy.clone())).contains("secret"));
        for bad in [
            "http://user:pa#ss@127.0.0.1:4341",
            "http://user:pa/ss@proxy:1",
            "http://u:p?w@proxy:1",
            "https://user:secret@proxy:3128/x",
        ] {
            let error = Proxy::parse(bad).unwrap_err().to_string();
            let credentials = &bad[bad.find("://").unwrap() + 3..bad.rfind('@').unwrap()];
            assert!(!error.contains(credentials), "{error}");
        }
        assert!(
            Proxy::parse("http://user:pa#ss@1.2.3.4:1").unwrap_err().to_string().contains("percent-encode")
        );
    }

    #[test]
    fn an_unusable_variable_is_an_error_naming_it() {
        for (name, value) in [
            ("HTTPS_PROXY", "http://user:pa/ss@127.0.0.1:4332"),
            ("http_proxy", "not a url"),
            ("ALL_PROXY", "socks5://proxy:1080"),
            ("all_proxy", "https://proxy:443"),
        ] {
            let Err(Error::InvalidInput(e)) = ProxyRules::from_vars([(name, value)]) else {
                panic!("{name}={value} was accepted")
            };
            assert_eq!(e.parameter(), name);
            assert!(!e.reason().contains("pa/ss"), "{}", e.reason());
        }
        // An empty value is no proxy, not an error; CGI reads nothing at all.
        assert!(rules(&[("HTTPS_PROXY", ""), ("https_proxy", "bad url")]).is_direct());
        assert!(rules(&[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "bad url")]).is_direct());
    }

    #[test]
    fn variables_are_read_upper_case_first_and_all_proxy_last() {
        let https = "https://api.imagekit.io/v1";
        let upper = rules(&[("https_proxy", "http://lower:1"), ("HTTPS_PROXY", "http://upper:1")]);
        assert_eq!(proxied(&upper, https).as_deref(), Some("upper:1"));
        assert_eq!(proxied(&upper, "http://api.imagekit.io/"), None);
        let lower = rules(&[("https_proxy", "http://lower:1"), ("ALL_PROXY", "http://all:1")]);
        assert_eq!(proxied(&lower, https).as_deref(), Some("lower:1"));
        assert_eq!(proxied(&lower, "http://api.imagekit.io/").as_deref(), Some("all:1"));
        let all = rules(&[("all_proxy", "http://all:1"), ("HTTP_PROXY", "http://plain:1")]);
        assert_eq!(proxied(&all, https).as_deref(), Some("all:1"));
        assert_eq!(proxied(&all, "http://api.imagekit.io/").as_deref(), Some("plain:1"));
        let empty_falls_through =
            rules(&[("HTTPS_PROXY", ""), ("https_proxy", "http://lower:1"), ("ALL_PROXY", "http://all:1")]);
        assert_eq!(proxied(&empty_falls_through, https).as_deref(), Some("all:1"));
        let cgi = rules(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker:1"),
            ("HTTPS_PROXY", "http://p:1"),
        ]);
        assert_eq!(proxied(&cgi, "http://api.imagekit.io/"), None);
        assert_eq!(proxied(&cgi, https), None);
    }

    #[test]
    fn no_proxy_reads_what_curl_reads() {
        let no_proxy = "*.imagekit.io, imagekit.test:443 .corp.example,[fd00::1] fd00::2, \
                        [fd00::3]:8443,trailing.example.,10.0.0.0/8,fe80::/10,192.168.1.7:8080,Upper.Example";
        let rules = rules(&[("ALL_PROXY", "http://proxy:1"), ("no_proxy", no_proxy)]);
        for direct in [
            "https://imagekit.io/",
            "https://ik.imagekit.io/",
            "https://IK.ImageKit.io./x",
            "https://imagekit.test/",
            "http://imagekit.test:443/",
            "https://a.b.corp.example/",
            "https://corp.example/",
            "https://[fd00::1]/",
            "http://[fd00::1]:81/",
            "https://[fd00::2]/",
            "https://[fd00::3]:8443/",
            "https://trailing.example/",
            "https://trailing.example./",
            "https://10.1.2.3/",
            "https://[::ffff:10.1.2.3]/",
            "https://[fe80::1]/",
            "http://192.168.1.7:8080/",
            "https://upper.example/",
        ] {
            assert_eq!(proxied(&rules, direct), None, "{direct} should be direct");
        }
        for proxied_one in [
            "https://notimagekit.io/",
            "https://imagekit.io.evil.example/",
            "http://imagekit.test/",
            "https://imagekit.test:8443/",
            "https://[fd00::3]/",
            "https://[fd00::4]/",
            "https://11.0.0.1/",
            "https://[::ffff:11.0.0.1]/",
            "http://192.168.1.7/",
            "https://example/",
        ] {
            assert_eq!(
                proxied(&rules, proxied_one).as_deref(),
                Some("proxy:1"),
                "{proxied_one} should be proxied"
            );
        }
        let every = self::rules(&[("HTTPS_PROXY", "http://proxy:1"), ("NO_PROXY", "*")]);
        assert_eq!(proxied(&every, "https://api.imagekit.io/"), None);
        // The upper-case name wins here too.
        let upper = self::rules(&[("HTTPS_PROXY", "http://proxy:1"), ("NO_PROXY", ""), ("no_proxy", "*")]);
        assert!(proxied(&upper, "https://api.imagekit.io/").is_some());
    }

    #[test]
    fn loopback_skips_the_variables_proxy_unless_asked_and_never_an_explicit_one() {
        let from_env = rules(&[("ALL_PROXY", "http://proxy:1")]);
        let with_loopback = from_env.clone().proxy_loopback(true);
        let explicit = ProxyRules::all(Proxy::parse("http://proxy:1").unwrap()).proxy_loopback(false);
        for local in [
            "http://localhost:8080/",
            "https://LOCALHOST./",
            "http://a.localhost/",
            "http://127.0.0.1/",
            "http://127.9.9.9:1/",
            "http://[::1]:80/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert_eq!(proxied(&from_env, local), None, "{local}");
            assert!(proxied(&with_loopback, local).is_some(), "{local}");
            assert!(proxied(&explicit, local).is_some(), "{local}");
        }
        for remote in [
            "https://api.imagekit.io/",
            "http://10.0.0.1/",
            "http://localhost.example.com/",
            "http://[::2]/",
            "http://xlocalhost/",
        ] {
            assert!(proxied(&from_env, remote).is_some(), "{remote}");
        }
        assert_eq!(proxied(&from_env, "ftp://api.imagekit.io/"), None);
    }

    #[test]
    fn the_proxies_are_listed_once_each() {
        let listed = |rules: &ProxyRules| rules.proxies().map(ToString::to_string).collect::<Vec<_>>();
        let both = rules(&[("HTTP_PROXY", "http://a:1"), ("HTTPS_PROXY", "http://b:1"), ("NO_PROXY", "*")]);
        assert_eq!(listed(&both), ["http://a:1", "http://b:1"], "NO_PROXY does not hide them");
        assert_eq!(listed(&rules(&[("ALL_PROXY", "http://a:1")])), ["http://a:1"]);
        assert!(listed(&ProxyRules::direct()).is_empty());
    }
}
