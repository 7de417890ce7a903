//! The transport's proxies follow the workspace's rule (`imagekit_core::proxy`), as
//! imagekit-hyper's do: loopback is reached directly (the key never goes through a proxy in
//! cleartext), a CGI program reads no proxy variable, `NO_PROXY` takes curl's forms, and an
//! unusable proxy variable fails the build. A recording proxy on 127.0.0.1 shows what reached
//! it.
//!
//! The cases that read the real environment run in child processes of this test with their
//! own environment, since changing the environment of a running, multi-threaded process is
//! unsound; hence `harness = false`.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::process::{Command, ExitCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use imagekit_core::proxy::{Proxy, ProxyRules};
use imagekit_core::{BlockingClient, RetryPolicy, TransportErrorKind};
use imagekit_mock::emulator::Emulator;
use imagekit_ureq::UreqTransport;

const KEY: &str = "private_ureq_proxy_key";
/// Set in a child: the base URL it calls with `UreqTransport::new()`.
const CHILD: &str = "IMAGEKIT_UREQ_PROXY_CHILD";

/// A proxy that records each request line (and whether an `Authorization` header came with
/// it) and refuses everything with 403.
struct RecordingProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = BufReader::new(&stream);
                let mut head = String::new();
                while reader.read_line(&mut head).is_ok_and(|n| n > 2) {}
                let line = head.lines().next().unwrap_or_default().to_owned();
                let authorization =
                    head.lines().any(|l| l.to_ascii_lowercase().starts_with("authorization:"));
                record.lock().unwrap().push(if authorization {
                    format!("{line} +authorization")
                } else {
                    line
                });
                let _ = (&stream)
                    .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        Self { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn client(transport: UreqTransport, base_url: &str) -> BlockingClient {
    BlockingClient::builder()
        .transport(transport)
        .private_key(KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn rules(vars: &[(&str, &str)]) -> UreqTransport {
    UreqTransport::with_proxy_rules(ProxyRules::from_vars(vars.iter().copied()).unwrap()).unwrap()
}

/// Each case: a transport, and the request line the proxy should see (`None`: the call goes
/// direct and the emulator answers).
fn given_rules(proxy: &RecordingProxy, base_url: &str, port: u16) -> usize {
    let url = proxy.url.as_str();
    let connect = format!("CONNECT 127.0.0.1:{port} HTTP/1.1");
    let cases: Vec<(&str, UreqTransport, Option<&str>)> = vec![
        ("loopback skips the variables' proxy", rules(&[("HTTP_PROXY", url), ("ALL_PROXY", url)]), None),
        (
            "a CGI program reads no proxy variable",
            UreqTransport::with_proxy_rules(
                ProxyRules::from_vars([("REQUEST_METHOD", "GET"), ("HTTP_PROXY", url)])
                    .unwrap()
                    .proxy_loopback(true),
            )
            .unwrap(),
            None,
        ),
        (
            "NO_PROXY host:port",
            UreqTransport::with_proxy_rules(
                ProxyRules::from_vars([("HTTP_PROXY", url), ("NO_PROXY", &format!("127.0.0.1:{port}"))])
                    .unwrap()
                    .proxy_loopback(true),
            )
            .unwrap(),
            None,
        ),
        ("direct rules", UreqTransport::with_proxy_rules(ProxyRules::direct()).unwrap(), None),
        (
            "loopback through the proxy when asked",
            UreqTransport::with_proxy_rules(
                ProxyRules::from_vars([("HTTP_PROXY", url)]).unwrap().proxy_loopback(true),
            )
            .unwrap(),
            Some(&connect),
        ),
        (
            // Whatever NO_PROXY names, a destination it does not name goes through the proxy.
            "NO_PROXY *.invalid, imagekit.invalid",
            UreqTransport::with_proxy_rules(
                ProxyRules::from_vars([("HTTP_PROXY", url), ("NO_PROXY", "*.invalid, imagekit.invalid")])
                    .unwrap()
                    .proxy_loopback(true),
            )
            .unwrap(),
            Some(&connect),
        ),
        (
            "an explicit proxy is for every destination",
            UreqTransport::with_proxy_rules(ProxyRules::all(Proxy::parse(url).unwrap())).unwrap(),
            Some(&connect),
        ),
    ];
    let total = cases.len();
    for (name, transport, proxied) in cases {
        let before = proxy.seen().len();
        let outcome = client(transport, base_url).files().versions().list("no-such-file");
        let seen = proxy.seen();
        match proxied {
            None => {
                // The emulator answered (400: no such file id): the call went direct.
                let error = outcome.unwrap_err();
                assert!(error.status().is_some(), "{name}: {error}");
                assert_eq!(seen.len(), before, "{name}: {seen:?}");
            }
            Some(line) => {
                let error = outcome.unwrap_err();
                assert_eq!(
                    error.as_transport().map(|e| e.kind()),
                    Some(TransportErrorKind::Proxy),
                    "{name}: {error}"
                );
                assert_eq!(seen.len(), before + 1, "{name}: {seen:?}");
                // The tunnel was refused: nothing of the request, the key least of all, went in.
                assert_eq!(seen[before], line, "{name}");
            }
        }
    }
    total
}

/// Calls `base_url` with a transport built from the environment; prints what happened.
fn child(base_url: &str) -> ExitCode {
    let transport = match UreqTransport::new() {
        Ok(transport) => transport,
        Err(error) => {
            println!("build error: {error}");
            return ExitCode::SUCCESS;
        }
    };
    match client(transport, base_url).files().versions().list("no-such-file") {
        Err(error) if error.status().is_some() => println!("answered"),
        Err(error) => println!("error: {}", error.report()),
        Ok(_) => println!("unexpected success"),
    }
    ExitCode::SUCCESS
}

fn from_the_environment(proxy: &RecordingProxy, base_url: &str) -> usize {
    let url = proxy.url.as_str();
    let secret = "http://user:pa/ss@127.0.0.1:9";
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        // The review's case: a loopback base URL with HTTP_PROXY set went through the proxy.
        (vec![("HTTP_PROXY", url)], "answered"),
        (vec![("http_proxy", url), ("ALL_PROXY", url)], "answered"),
        (vec![("HTTP_PROXY", url), ("REQUEST_METHOD", "GET")], "answered"),
        (vec![], "answered"),
        // Unusable variables fail the build, named, the password unshown.
        (vec![("HTTPS_PROXY", secret)], "build error: transport failure: invalid `HTTPS_PROXY`"),
        (
            vec![("ALL_PROXY", "socks5://127.0.0.1:1080")],
            "build error: transport failure: invalid `ALL_PROXY`",
        ),
        (vec![("http_proxy", "not a url")], "build error: transport failure: invalid `http_proxy`"),
    ];
    let total = cases.len();
    for (vars, expected) in cases {
        let mut command = Command::new(std::env::current_exe().unwrap());
        for name in imagekit_core::proxy::VARIABLES {
            command.env_remove(name);
        }
        command.envs(vars.iter().copied()).env(CHILD, base_url);
        let output = command.output().unwrap();
        assert!(output.status.success(), "{vars:?}: {}", String::from_utf8_lossy(&output.stderr));
        let printed = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        assert!(printed.starts_with(expected), "{vars:?}: {printed}");
        assert!(!printed.contains("pa/ss"), "{vars:?}: {printed}");
    }
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    total
}

fn main() -> ExitCode {
    if let Ok(base_url) = std::env::var(CHILD) {
        return child(&base_url);
    }
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_on_free_port().unwrap();
    let base_url = server.base_url().to_owned();
    let port: u16 = base_url.rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok()).unwrap();
    let proxy = RecordingProxy::start();
    let from_env = from_the_environment(&proxy, &base_url);
    let given = given_rules(&proxy, &base_url, port);
    println!("ureq proxies: {} passed, 0 failed", from_env + given);
    ExitCode::SUCCESS
}
