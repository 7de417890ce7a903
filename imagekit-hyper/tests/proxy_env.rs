//! The proxy variables of the real environment: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
//! `NO_PROXY`, in upper and lower case, read when a transport is built with the defaults. Each
//! case runs in a child process of this test with its own environment: changing the environment
//! of a running, multi-threaded process is unsound.

mod common;

use std::process::{Command, ExitCode};

use common::{Authority, ProxyMode, client, get_version, plain_server, proxy, tls_server};
use imagekit_hyper::HyperTransport;
use rustls::pki_types::CertificateDer;

/// Set in a child: the base URL it calls.
const CHILD: &str = "IMAGEKIT_HYPER_PROXY_ENV_CHILD";
/// Set in a child: the file with the DER certificate of the test CA.
const CA_FILE: &str = "IMAGEKIT_HYPER_PROXY_ENV_CA";

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    match std::env::var(CHILD) {
        Ok(base_url) => runtime.block_on(child(&base_url)),
        Err(_) => runtime.block_on(parent()),
    }
}

/// Calls `base_url` with a transport built with the defaults (proxies from the environment),
/// loopback included.
async fn child(base_url: &str) -> ExitCode {
    let ca = CertificateDer::from(std::fs::read(std::env::var(CA_FILE).unwrap()).unwrap());
    // The test servers are on loopback, which skips environment proxies unless asked.
    let transport = match HyperTransport::builder().add_root_certificate(ca).proxy_loopback(true).build() {
        Ok(transport) => transport,
        Err(error) => {
            println!("build error: {error}");
            return ExitCode::SUCCESS;
        }
    };
    match get_version(&client(transport, base_url)).await {
        Ok(_) => println!("ok"),
        Err(error) => println!("error: {}", error.report()),
    }
    ExitCode::SUCCESS
}

/// A child's environment, what it calls, the request line the proxy sees (`None`: it goes
/// direct), and what the child prints (`ok` when it reached the server).
struct Case<'a> {
    vars: Vec<(&'a str, &'a str)>,
    base_url: &'a str,
    proxied: Option<&'a str>,
    printed: &'a str,
}

impl<'a> Case<'a> {
    fn new(vars: Vec<(&'a str, &'a str)>, base_url: &'a str, proxied: Option<&'a str>) -> Self {
        Self { vars, base_url, proxied, printed: "ok" }
    }
}

async fn parent() -> ExitCode {
    let authority = Authority::new("proxy env test CA");
    let tls = tls_server(&authority.leaf(&["localhost"]), &[b"http/1.1"]).await;
    let plain = plain_server().await;
    let proxy = proxy(ProxyMode::Forward).await;
    let ca_file = std::env::temp_dir().join(format!("imagekit-hyper-proxy-env-{}.der", std::process::id()));
    std::fs::write(&ca_file, authority.der().as_ref()).unwrap();

    let https = format!("https://localhost:{}", tls.port);
    let http = format!("http://127.0.0.1:{}", plain.port);
    let connect = format!("CONNECT localhost:{} HTTP/1.1", tls.port);
    let absolute = format!("GET http://127.0.0.1:{}/v1/", plain.port);
    let url = proxy.url.as_str();
    let cases: Vec<Case> = vec![
        Case::new(vec![("HTTPS_PROXY", url)], &https, Some(&connect)),
        Case::new(vec![("https_proxy", url)], &https, Some(&connect)),
        Case::new(vec![("ALL_PROXY", url)], &https, Some(&connect)),
        Case::new(vec![("all_proxy", url)], &https, Some(&connect)),
        Case::new(vec![("HTTPS_PROXY", url), ("NO_PROXY", "localhost")], &https, None),
        Case::new(vec![("https_proxy", url), ("no_proxy", ".example.com,localhost")], &https, None),
        Case::new(vec![("HTTP_PROXY", url)], &https, None),
        Case::new(vec![("HTTP_PROXY", url)], &http, Some(&absolute)),
        Case::new(vec![("http_proxy", url)], &http, Some(&absolute)),
        Case::new(vec![("http_proxy", url), ("no_proxy", "127.0.0.0/8")], &http, None),
        // A CGI program, where HTTP_PROXY may come from a request's `Proxy:` header.
        Case::new(vec![("HTTP_PROXY", url), ("REQUEST_METHOD", "GET")], &http, None),
        Case::new(vec![], &https, None),
        // Unusable: the build fails, naming the variable, where it once went direct.
        Case {
            printed: "build error: transport failure: invalid `HTTPS_PROXY`",
            ..Case::new(vec![("HTTPS_PROXY", "not a url")], &https, None)
        },
        Case {
            printed: "build error: transport failure: invalid `ALL_PROXY`",
            ..Case::new(vec![("ALL_PROXY", "socks5://127.0.0.1:1")], &https, None)
        },
    ];

    let total = cases.len();
    for Case { vars, base_url, proxied, printed: expected } in cases {
        let before = proxy.seen.heads().len();
        let mut command = Command::new(std::env::current_exe().unwrap());
        for name in imagekit_core::proxy::VARIABLES {
            command.env_remove(name);
        }
        command.envs(vars.iter().copied()).env(CHILD, base_url).env(CA_FILE, &ca_file);
        let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
        let printed = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        assert!(output.status.success(), "{vars:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(printed.starts_with(expected), "{vars:?} calling {base_url}: {printed}");
        let heads = proxy.seen.heads();
        match proxied {
            Some(line) => {
                assert_eq!(heads.len(), before + 1, "{vars:?}: through the proxy");
                assert!(heads[before].starts_with(line), "{vars:?}: {}", heads[before]);
            }
            None => assert_eq!(heads.len(), before, "{vars:?}: direct"),
        }
    }
    let _ = std::fs::remove_file(&ca_file);
    println!("proxy variables from the environment: {total} passed, 0 failed");
    ExitCode::SUCCESS
}
