//! The transport through a proxy on 127.0.0.1 that records what it sees: a CONNECT tunnel for
//! `https://` (the ImageKit key travels inside it only), absolute form for `http://`,
//! `Proxy-Authorization` when credentials are given, `NO_PROXY`, and the proxy's refusals.
//! Proxy variables are given to the builder here; tests/proxy_env.rs reads the real environment.

mod common;

use std::time::{Duration, Instant};

use common::{
    Authority, BASIC_KEY, ProxyMode, ProxySeen, client, get_version, plain_server, proxy, tls_server,
};
use imagekit_core::{Error, TransportErrorKind};
use imagekit_hyper::{HyperTransport, HyperTransportBuilder};
use imagekit_mock::fixtures;

const HTTP1: &[&[u8]] = &[b"http/1.1"];
/// base64 of `user:s3cret-pass`.
const PROXY_CREDENTIALS: &str = "Basic dXNlcjpzM2NyZXQtcGFzcw==";
const PASSWORD: &str = "s3cret-pass";

fn with_proxy(url: &str) -> HyperTransportBuilder {
    HyperTransport::builder().proxy(url).unwrap()
}

fn version_path() -> String {
    format!("/v1/files/{}/versions/{}", fixtures::FILE_ID, fixtures::VERSION_2_ID)
}

/// Whether a head has an `Authorization` header (`Proxy-Authorization` is another header).
fn has_authorization(head: &str) -> bool {
    ProxySeen::header(head, "authorization").is_some()
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_that_carries_the_key_inside_tls() {
    let authority = Authority::new("test CA");
    let origin = tls_server(&authority.leaf(&["localhost"]), HTTP1).await;
    let proxy = proxy(ProxyMode::Forward).await;
    let transport = with_proxy(&proxy.url).add_root_certificate(authority.der()).build().unwrap();
    let client = client(transport, &format!("https://localhost:{}", origin.port));
    for _ in 0..2 {
        get_version(&client).await.unwrap();
    }

    let heads = proxy.seen.heads();
    assert_eq!(heads.len(), 1, "one tunnel, reused from the pool: {heads:?}");
    let request_line = heads[0].lines().next().unwrap();
    assert_eq!(request_line, format!("CONNECT localhost:{} HTTP/1.1", origin.port));
    assert!(!has_authorization(&heads[0]), "the key never reaches the proxy: {heads:?}");
    assert_eq!(ProxySeen::header(&heads[0], "proxy-authorization"), None, "no credentials were given");
    let requests = origin.seen.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, version_path());
    assert_eq!(requests[0].authorization.as_deref(), Some(BASIC_KEY), "the key arrives inside the tunnel");
    assert_eq!(requests[0].proxy_authorization, None);
}

#[tokio::test]
async fn http_is_sent_to_the_proxy_in_absolute_form() {
    let origin = plain_server().await;
    let proxy = proxy(ProxyMode::Forward).await;
    let transport = with_proxy(&proxy.url).build().unwrap();
    get_version(&client(transport, &format!("http://127.0.0.1:{}", origin.port))).await.unwrap();

    let heads = proxy.seen.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let expected = format!("GET http://127.0.0.1:{}{} HTTP/1.1", origin.port, version_path());
    assert_eq!(heads[0].lines().next().unwrap(), expected);
    assert_eq!(ProxySeen::header(&heads[0], "proxy-authorization"), None, "no credentials were given");
    assert_eq!(origin.seen.requests()[0].target, version_path(), "the proxy passed it on");
}

#[tokio::test]
async fn credentials_go_to_the_proxy_as_proxy_authorization() {
    let authority = Authority::new("test CA");
    let tls_origin = tls_server(&authority.leaf(&["localhost"]), HTTP1).await;
    let plain_origin = plain_server().await;
    let proxy = proxy(ProxyMode::Require(PROXY_CREDENTIALS.into())).await;
    let url = format!("http://user:{PASSWORD}@127.0.0.1:{}", proxy.port);
    let transport = with_proxy(&url).add_root_certificate(authority.der()).build().unwrap();

    get_version(&client(transport.clone(), &format!("https://localhost:{}", tls_origin.port))).await.unwrap();
    get_version(&client(transport, &format!("http://127.0.0.1:{}", plain_origin.port))).await.unwrap();

    let heads = proxy.seen.heads();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert!(heads[0].starts_with("CONNECT "), "{heads:?}");
    assert!(heads[1].starts_with("GET http://"), "{heads:?}");
    for head in &heads {
        assert_eq!(
            ProxySeen::header(head, "proxy-authorization").as_deref(),
            Some(PROXY_CREDENTIALS),
            "{head}"
        );
    }
    assert!(!has_authorization(&heads[0]), "the key stays inside the tunnel");
    // The proxy's credentials are not the server's business.
    assert_eq!(tls_origin.seen.requests()[0].proxy_authorization, None);
    assert_eq!(tls_origin.seen.requests()[0].authorization.as_deref(), Some(BASIC_KEY));
}

/// The call's transport error; the proxy must have seen exactly one request (no retry).
async fn refused_by_the_proxy(
    base_url: &str,
    proxy_url: &str,
    proxy: &common::Proxy,
) -> imagekit_core::TransportError {
    let authority = Authority::new("unused CA");
    let transport = with_proxy(proxy_url).add_root_certificate(authority.der()).build().unwrap();
    let error = get_version(&client(transport, base_url)).await.unwrap_err();
    assert_eq!(proxy.seen.heads().len(), 1, "a proxy's refusal is not retried");
    match error {
        Error::Transport(error) => error,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

fn assert_auth_refusal(error: &imagekit_core::TransportError, proxy_port: u16) {
    assert_eq!(error.kind(), TransportErrorKind::Proxy, "{error:?}");
    let shown = error.to_string();
    assert!(shown.starts_with("the proxy refused the connection: "), "{shown}");
    assert!(shown.contains(&format!("the proxy http://127.0.0.1:{proxy_port} answered 407")), "{shown}");
    assert!(shown.contains("credentials are missing or wrong"), "{shown}");
    assert!(!shown.contains(PASSWORD) && !format!("{error:?}").contains(PASSWORD), "{error:?}");
}

#[tokio::test]
async fn a_407_to_connect_is_a_proxy_error_and_not_retried() {
    let proxy = proxy(ProxyMode::Require(PROXY_CREDENTIALS.into())).await;
    // No credentials, then wrong ones.
    let error = refused_by_the_proxy("https://localhost:9", &proxy.url, &proxy).await;
    assert_auth_refusal(&error, proxy.port);

    let proxy = common::proxy(ProxyMode::Require(PROXY_CREDENTIALS.into())).await;
    let wrong = format!("http://user:wrong-{PASSWORD}@127.0.0.1:{}", proxy.port);
    let error = refused_by_the_proxy("https://localhost:9", &wrong, &proxy).await;
    assert_auth_refusal(&error, proxy.port);
}

#[tokio::test]
async fn a_407_to_a_plain_http_request_is_a_proxy_error_and_not_retried() {
    let origin = plain_server().await;
    let proxy = proxy(ProxyMode::Require(PROXY_CREDENTIALS.into())).await;
    let error = refused_by_the_proxy(&format!("http://127.0.0.1:{}", origin.port), &proxy.url, &proxy).await;
    assert_auth_refusal(&error, proxy.port);
    assert!(origin.seen.requests().is_empty());
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let authority = Authority::new("test CA");
    let origin = tls_server(&authority.leaf(&["localhost"]), HTTP1).await;
    let proxy = proxy(ProxyMode::Forward).await;
    let base = format!("https://localhost:{}", origin.port);
    let through = |vars: Vec<(&'static str, String)>| {
        HyperTransport::builder()
            .proxy_env_vars(vars)
            .proxy_loopback(true)
            .add_root_certificate(authority.der())
            .build()
            .unwrap()
    };

    // Matched by NO_PROXY (a domain, in either case of the name; `*.`, a trailing dot, the
    // port): direct.
    let entries = [
        ("NO_PROXY", "example.com, localhost".to_owned()),
        ("no_proxy", "example.com localhost".to_owned()),
        ("NO_PROXY", "*.example.com,*.localhost".to_owned()),
        ("NO_PROXY", "localhost.".to_owned()),
        ("NO_PROXY", format!("localhost:{}", origin.port)),
    ];
    for (no_proxy, value) in &entries {
        let transport = through(vec![("HTTPS_PROXY", proxy.url.clone()), (no_proxy, value.clone())]);
        get_version(&client(transport, &base)).await.unwrap();
    }
    assert!(proxy.seen.heads().is_empty(), "{:?}", proxy.seen.heads());
    assert_eq!(origin.seen.requests().len(), entries.len());

    // Not matched: through the proxy, whichever name carries it.
    for (name, no_proxy) in
        [("HTTPS_PROXY", "example.com"), ("https_proxy", ""), ("ALL_PROXY", "localhost:1")]
    {
        let transport = through(vec![(name, proxy.url.clone()), ("NO_PROXY", no_proxy.into())]);
        get_version(&client(transport, &base)).await.unwrap();
    }
    assert_eq!(proxy.seen.heads().len(), 3, "{:?}", proxy.seen.heads());

    // HTTP_PROXY is for http:// only.
    let transport = through(vec![("HTTP_PROXY", proxy.url.clone())]);
    get_version(&client(transport, &base)).await.unwrap();
    assert_eq!(proxy.seen.heads().len(), 3);
}

#[tokio::test]
async fn loopback_skips_the_environment_proxy_by_default() {
    let origin = plain_server().await;
    let proxy = proxy(ProxyMode::Forward).await;
    let transport =
        HyperTransport::builder().proxy_env_vars([("ALL_PROXY", proxy.url.as_str())]).build().unwrap();
    get_version(&client(transport, &format!("http://127.0.0.1:{}", origin.port))).await.unwrap();
    assert!(proxy.seen.heads().is_empty(), "the key in cleartext never reached the proxy");
    assert_eq!(origin.seen.requests().len(), 1);
}

#[tokio::test]
async fn no_proxy_turns_every_proxy_off() {
    let origin = plain_server().await;
    let proxy = proxy(ProxyMode::Forward).await;
    let transport = HyperTransport::builder()
        .proxy_env_vars([("ALL_PROXY", proxy.url.as_str())])
        .no_proxy()
        .build()
        .unwrap();
    get_version(&client(transport, &format!("http://127.0.0.1:{}", origin.port))).await.unwrap();
    assert!(proxy.seen.heads().is_empty());
    assert_eq!(origin.seen.requests().len(), 1);
}

#[tokio::test]
async fn the_connect_timeout_covers_a_proxy_that_never_answers() {
    let proxy = proxy(ProxyMode::Silent).await;
    let transport = with_proxy(&proxy.url).connect_timeout(Some(Duration::from_millis(200))).build().unwrap();
    let client = imagekit_core::Client::builder()
        .private_key(common::KEY)
        .base_url("https://localhost:9")
        .transport(transport)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get_version(&client).await.unwrap_err();
    let error = error.as_transport().expect("a transport error");
    assert!(error.is_connect() && error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_connect_failure() {
    let port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let transport = with_proxy(&format!("http://127.0.0.1:{port}")).build().unwrap();
    let error = get_version(&client(transport, "https://localhost:9")).await.unwrap_err();
    let error = error.as_transport().expect("a transport error");
    assert!(error.is_connect(), "{error:?}");
    let report = imagekit_core::error::Report::new(error).to_string();
    assert!(report.contains(&format!("could not connect to the proxy http://127.0.0.1:{port}")), "{report}");
}

#[test]
fn an_unusable_proxy_variable_fails_the_build_naming_it() {
    // Once a silent direct connection (not a URL) or a failure at the first call (SOCKS).
    for (name, value) in [
        ("HTTPS_PROXY", "socks5h://127.0.0.1:9"),
        ("ALL_PROXY", "not a url"),
        ("https_proxy", "http://user:s3cret-pass/x@127.0.0.1:9"),
    ] {
        let error = HyperTransport::builder().proxy_env_vars([(name, value)]).build().unwrap_err();
        let shown = error.to_string();
        assert!(shown.contains(&format!("invalid `{name}`")), "{shown}");
        assert!(!shown.contains(PASSWORD), "{shown}");
    }
    let error = HyperTransport::builder().proxy_env_vars([("HTTPS_PROXY", "socks5h://127.0.0.1:9")]).build();
    assert!(error.unwrap_err().to_string().contains("is a socks5h proxy, which is not supported"));
}

#[test]
fn a_bad_proxy_url_is_invalid_input_without_its_password() {
    for url in
        ["not a url", "http://", "ftp://proxy:21", "http://proxy:3128/path", "socks5://user:s3cret-pass@p:1"]
    {
        let error = HyperTransport::builder().proxy(url).unwrap_err();
        let invalid = error.as_invalid_input().unwrap_or_else(|| panic!("{url}: {error:?}"));
        assert_eq!(invalid.parameter(), "proxy");
        assert!(invalid.reason().contains("expected http://[user:password@]host[:port]"), "{invalid}");
        assert!(!format!("{error} {error:?}").contains(PASSWORD), "{error:?}");
    }
}

#[test]
fn debug_output_never_shows_the_proxy_password() {
    let url = format!("http://user:{PASSWORD}@proxy.internal:3128");
    let builder = HyperTransport::builder().proxy(&url).unwrap();
    let shown = format!("{builder:?}");
    assert!(shown.contains("http://<redacted>@proxy.internal:3128") && !shown.contains(PASSWORD), "{shown}");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _entered = runtime.enter();
    let transport = builder.build().unwrap();
    let shown = format!("{transport:?}");
    assert!(shown.contains("proxy.internal:3128") && !shown.contains(PASSWORD), "{shown}");

    let vars =
        HyperTransport::builder().proxy_env_vars([("HTTPS_PROXY", url.as_str()), ("NO_PROXY", "localhost")]);
    let shown = format!("{vars:?}");
    assert!(shown.contains("NO_PROXY") && !shown.contains(PASSWORD), "{shown}");
    let shown = format!("{:?}", vars.build().unwrap());
    assert!(!shown.contains(PASSWORD), "{shown}");
}
