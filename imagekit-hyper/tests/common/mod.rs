//! Shared by the TLS and proxy tests: certificates made at test time, servers on 127.0.0.1 that
//! answer like ImageKit (over TLS or plain), and a small recording proxy.

// Each test binary uses part of it.
#![allow(dead_code)]

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use imagekit_core::{Client, Error, RetryPolicy};
use imagekit_hyper::HyperTransport;
use imagekit_mock::fixtures;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The private key of the test clients; `Basic` of it is what the servers expect.
pub const KEY: &str = "private_tls_test=";

/// A certificate authority made for one test.
pub struct Authority {
    certificate: rcgen::Certificate,
    issuer: Issuer<'static, KeyPair>,
}

/// A server's certificate chain and key.
pub struct Leaf {
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

impl Leaf {
    fn key(&self) -> PrivateKeyDer<'static> {
        PrivatePkcs8KeyDer::from(self.key.clone()).into()
    }
}

impl Authority {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        Self { certificate, issuer: Issuer::new(params, key) }
    }

    /// The authority's certificate, for a client's roots.
    pub fn der(&self) -> CertificateDer<'static> {
        self.certificate.der().clone()
    }

    pub fn pem(&self) -> String {
        self.certificate.pem()
    }

    /// A server certificate for `names`, signed by this authority, valid from 1975 to 4096.
    pub fn leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_with(names, |_| {})
    }

    /// A server certificate for `names` that expired in 2001.
    pub fn expired_leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_with(names, |params| {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2001, 1, 1);
        })
    }

    fn leaf_with(&self, names: &[&str], adjust: impl FnOnce(&mut CertificateParams)) -> Leaf {
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(DnType::CommonName, names[0]);
        adjust(&mut params);
        let key = KeyPair::generate().unwrap();
        let certificate = params.signed_by(&key, &self.issuer).unwrap();
        Leaf { chain: vec![certificate.der().clone()], key: key.serialize_der() }
    }

    /// The authority's own certificate and key as a server's: a CA used as an end entity.
    pub fn as_leaf(&self) -> Leaf {
        Leaf { chain: vec![self.der()], key: self.issuer.key().serialize_der() }
    }
}

/// The crypto provider of the enabled feature, for the test servers.
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "rustls-aws-lc-rs")]
    return Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    // ring is deprecated for lacking post-quantum key exchange, which these tests do not need.
    #[cfg(not(feature = "rustls-aws-lc-rs"))]
    #[allow(deprecated)]
    return Arc::new(rustls::crypto::ring::default_provider());
}

/// One request as a server saw it.
#[derive(Clone, Debug)]
pub struct SeenRequest {
    pub method: String,
    pub target: String,
    pub version: http::Version,
    pub authorization: Option<String>,
    pub proxy_authorization: Option<String>,
}

/// What a server saw.
#[derive(Default)]
pub struct Seen {
    /// TCP connections accepted (for a TLS server, each one a handshake).
    pub connections: AtomicUsize,
    pub requests: Mutex<Vec<SeenRequest>>,
}

impl Seen {
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<SeenRequest> {
        self.requests.lock().unwrap().clone()
    }
}

/// A server on 127.0.0.1 answering every request with a file version.
pub struct Server {
    pub port: u16,
    pub seen: Arc<Seen>,
}

/// A TLS server presenting `leaf` and offering the `alpn` protocols.
pub async fn tls_server(leaf: &Leaf, alpn: &[&[u8]]) -> Server {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(leaf.chain.clone(), leaf.key())
        .unwrap();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let server_seen = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            server_seen.connections.fetch_add(1, Ordering::SeqCst);
            let (acceptor, seen) = (acceptor.clone(), server_seen.clone());
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake here.
                let Ok(tls) = acceptor.accept(stream).await else { return };
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2".as_slice());
                serve_http(tls, h2, seen).await;
            });
        }
    });
    Server { port, seen }
}

/// A plain HTTP/1.1 server.
pub async fn plain_server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let server_seen = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            server_seen.connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve_http(stream, false, server_seen.clone()));
        }
    });
    Server { port, seen }
}

async fn serve_http<IO>(io: IO, h2: bool, seen: Arc<Seen>)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
        let header = |name: &str| request.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        seen.requests.lock().unwrap().push(SeenRequest {
            method: request.method().to_string(),
            target: request.uri().to_string(),
            version: request.version(),
            authorization: header("authorization"),
            proxy_authorization: header("proxy-authorization"),
        });
        async { Ok::<_, Infallible>(fixtures::ok(fixtures::file_version()).map(Full::new)) }
    });
    let io = TokioIo::new(io);
    if h2 {
        let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
            .serve_connection(io, service)
            .await;
    } else {
        let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
    }
}

/// What the test proxy does with a request.
#[derive(Clone)]
pub enum ProxyMode {
    /// Carry it: a CONNECT tunnel, or the request forwarded in origin form.
    Forward,
    /// Answer 407 unless `Proxy-Authorization` is this value.
    Require(String),
    /// Read the request and never answer.
    Silent,
}

/// What the proxy saw: each request's head (request line and headers), as sent.
#[derive(Default)]
pub struct ProxySeen {
    pub connections: AtomicUsize,
    pub heads: Mutex<Vec<String>>,
}

impl ProxySeen {
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// The value of `name` in the head, if it is there (names compared in any case).
    pub fn header(head: &str, name: &str) -> Option<String> {
        head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }
}

/// A proxy on 127.0.0.1. Whatever host a request names, it connects to 127.0.0.1 (the port is
/// kept), so tests reach no other machine. It records the first request of each connection.
pub struct Proxy {
    pub url: String,
    pub port: u16,
    pub seen: Arc<ProxySeen>,
}

pub async fn proxy(mode: ProxyMode) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(ProxySeen::default());
    let proxy_seen = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            proxy_seen.connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(carry(stream, mode.clone(), proxy_seen.clone()));
        }
    });
    Proxy { url: format!("http://127.0.0.1:{port}"), port, seen }
}

/// Reads up to the end of a request head; the head, and what was read past it.
async fn read_head(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            return Some((String::from_utf8_lossy(&buffer).into_owned(), rest));
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

async fn carry(mut client: TcpStream, mode: ProxyMode, seen: Arc<ProxySeen>) {
    let Some((head, rest)) = read_head(&mut client).await else { return };
    seen.heads.lock().unwrap().push(head.clone());
    match &mode {
        ProxyMode::Silent => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            return;
        }
        ProxyMode::Require(expected) => {
            if ProxySeen::header(&head, "proxy-authorization").as_deref() != Some(expected.as_str()) {
                let _ = client
                    .write_all(
                        b"HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm=\"test\"\r\n\
                          content-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
                return;
            }
        }
        ProxyMode::Forward => {}
    }
    let mut request_line = head.lines().next().unwrap_or_default().split(' ');
    let (method, target) = (request_line.next().unwrap_or_default(), request_line.next().unwrap_or_default());
    if method == "CONNECT" {
        let port: u16 = target.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(443);
        let Ok(mut origin) = TcpStream::connect(("127.0.0.1", port)).await else { return };
        if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_err()
            || origin.write_all(&rest).await.is_err()
        {
            return;
        }
        let _ = tokio::io::copy_bidirectional(&mut client, &mut origin).await;
    } else {
        // Absolute form: the request goes on in origin form, without the proxy's own headers.
        let Ok(uri) = target.parse::<http::Uri>() else { return };
        let Ok(mut origin) = TcpStream::connect(("127.0.0.1", uri.port_u16().unwrap_or(80))).await else {
            return;
        };
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let mut forwarded = format!("{method} {path} HTTP/1.1\r\n");
        for line in head.lines().skip(1).filter(|l| !l.is_empty()) {
            if !line.to_ascii_lowercase().starts_with("proxy-") {
                forwarded.push_str(line);
                forwarded.push_str("\r\n");
            }
        }
        forwarded.push_str("\r\n");
        if origin.write_all(forwarded.as_bytes()).await.is_err() || origin.write_all(&rest).await.is_err() {
            return;
        }
        let _ = tokio::io::copy_bidirectional(&mut client, &mut origin).await;
    }
}

/// A client over `transport` with fast retries (up to 3, 10 ms apart).
pub fn client(transport: HyperTransport, base_url: &str) -> Client {
    Client::builder()
        .private_key(KEY)
        .base_url(base_url)
        .transport(transport)
        .sleeper(tokio::time::sleep)
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(3)
                .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
                .with_jitter(false),
        )
        .build()
        .unwrap()
}

/// Gets the fixture version, failing the test instead of hanging.
pub async fn get_version(client: &Client) -> Result<imagekit_core::models::File, Error> {
    let call = client.files().versions().get(fixtures::FILE_ID, fixtures::VERSION_2_ID).send();
    tokio::time::timeout(Duration::from_secs(20), call).await.expect("the call ended on its own")
}

/// The `Authorization` the servers see for [`KEY`]: `Basic` and base64 of `private_tls_test=:`.
pub const BASIC_KEY: &str = "Basic cHJpdmF0ZV90bHNfdGVzdD06";
