//! The transport over TLS against servers on 127.0.0.1 whose certificates are made here: a
//! private CA added through the builder, HTTP/1.1 and HTTP/2, and each kind of refused
//! certificate, which fails once, as `Tls`, without a retry.

mod common;

use common::{Authority, BASIC_KEY, Server, client, get_version, tls_server};
use imagekit_core::{Error, TransportErrorKind};
use imagekit_hyper::HyperTransport;

const HTTP1: &[&[u8]] = &[b"http/1.1"];
#[cfg(feature = "http2")]
const HTTP2_OR_1: &[&[u8]] = &[b"h2", b"http/1.1"];

/// A transport trusting `authority` (and the default roots), never through a proxy, so the
/// environment of the test run cannot change what is tested.
fn trusting(authority: &Authority) -> HyperTransport {
    HyperTransport::builder().no_proxy().add_root_certificate(authority.der()).build().unwrap()
}

fn base_url(server: &Server) -> String {
    format!("https://localhost:{}", server.port)
}

#[tokio::test]
async fn a_private_ca_added_to_the_builder_is_trusted_over_http1() {
    let authority = Authority::new("test CA");
    let server = tls_server(&authority.leaf(&["localhost"]), HTTP1).await;
    let version = get_version(&client(trusting(&authority), &base_url(&server))).await.unwrap();
    assert_eq!(version.version_id(), Some(imagekit_mock::fixtures::VERSION_2_ID));
    let requests = server.seen.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].version, http::Version::HTTP_11);
    assert_eq!(requests[0].authorization.as_deref(), Some(BASIC_KEY));
}

#[cfg(feature = "http2")]
#[tokio::test]
async fn http2_is_negotiated_when_the_server_offers_it() {
    let authority = Authority::new("test CA");
    let server = tls_server(&authority.leaf(&["localhost"]), HTTP2_OR_1).await;
    let client = client(trusting(&authority), &base_url(&server));
    for _ in 0..3 {
        get_version(&client).await.unwrap();
    }
    let requests = server.seen.requests();
    assert!(requests.iter().all(|r| r.version == http::Version::HTTP_2), "{requests:?}");
    assert_eq!(server.seen.connections(), 1, "the calls share one HTTP/2 connection");
}

#[tokio::test]
async fn the_ip_address_of_a_certificate_is_checked_too() {
    let authority = Authority::new("test CA");
    let server = tls_server(&authority.leaf(&["127.0.0.1"]), HTTP1).await;
    let base = format!("https://127.0.0.1:{}", server.port);
    get_version(&client(trusting(&authority), &base)).await.unwrap();
}

/// Calls a server presenting `leaf` with a client trusting `trusted` and allowing 3 retries;
/// the transport error, and how many connections the server saw.
async fn refused(trusted: &Authority, leaf: common::Leaf) -> (imagekit_core::TransportError, usize) {
    let server = tls_server(&leaf, HTTP1).await;
    let error = get_version(&client(trusting(trusted), &base_url(&server))).await.unwrap_err();
    assert!(server.seen.requests().is_empty(), "no request was sent");
    match error {
        Error::Transport(error) => (error, server.seen.connections()),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// The checks every refused certificate passes: `Tls`, one connection (no retry), the rustls
/// error as the source, and a message that says `what`.
fn assert_refused(error: &imagekit_core::TransportError, connections: usize, what: &str, detail: &str) {
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error:?}");
    assert!(!error.is_connect(), "a refused certificate is not a connect failure");
    assert_eq!(connections, 1, "one handshake: a refused certificate is not retried");
    let shown = error.to_string();
    assert!(shown.starts_with("could not verify the server's TLS certificate: "), "{shown}");
    assert!(shown.contains(what), "{shown}");
    let source = std::error::Error::source(error).expect("the rustls error is the source");
    assert!(source.is::<rustls::Error>(), "{source:?}");
    let report = imagekit_core::error::Report::new(error).to_string();
    assert!(report.contains(detail), "{report}");
}

#[tokio::test]
async fn a_certificate_from_another_authority_is_refused_once() {
    let (trusted, other) = (Authority::new("trusted CA"), Authority::new("other CA"));
    let (error, connections) = refused(&trusted, other.leaf(&["localhost"])).await;
    assert_refused(&error, connections, "not signed by a trusted authority (UnknownIssuer)", "UnknownIssuer");
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused_once() {
    let authority = Authority::new("test CA");
    let (error, connections) = refused(&authority, authority.leaf(&["other.example"])).await;
    assert_refused(&error, connections, "for another host name (NotValidForName)", "other.example");
}

#[tokio::test]
async fn an_expired_certificate_is_refused_once() {
    let authority = Authority::new("test CA");
    let (error, connections) = refused(&authority, authority.expired_leaf(&["localhost"])).await;
    assert_refused(&error, connections, "has expired (Expired)", "certificate expired");
}

/// The case of the original report: "invalid peer certificate: CaUsedAsEndEntity" was classed
/// as a connect failure, and retried.
#[tokio::test]
async fn a_ca_certificate_presented_as_the_servers_is_refused_once() {
    let authority = Authority::new("test CA");
    let (error, connections) = refused(&authority, authority.as_leaf()).await;
    assert_refused(&error, connections, "CaUsedAsEndEntity", "CaUsedAsEndEntity");
}

#[tokio::test]
async fn without_the_private_ca_the_default_roots_refuse_the_server() {
    let authority = Authority::new("test CA");
    let server = tls_server(&authority.leaf(&["localhost"]), HTTP1).await;
    let transport = HyperTransport::builder().no_proxy().build().unwrap();
    let error = get_version(&client(transport, &base_url(&server))).await.unwrap_err();
    assert_eq!(error.as_transport().map(|e| e.kind()), Some(TransportErrorKind::Tls), "{error:?}");
    assert_eq!(server.seen.connections(), 1);
}

#[test]
fn a_root_that_is_not_a_certificate_is_refused_when_built() {
    let garbage = rustls::pki_types::CertificateDer::from(b"not a certificate".to_vec());
    let error = HyperTransport::builder().add_root_certificate(garbage).build().unwrap_err();
    assert!(error.to_string().contains("root certificate #0 given to add_root_certificate"), "{error}");
}

#[test]
fn added_roots_and_a_whole_tls_config_do_not_mix() {
    let authority = Authority::new("test CA");
    let mut roots = rustls::RootCertStore::empty();
    roots.add(authority.der()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(common::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let error = HyperTransport::builder()
        .tls_config(config)
        .add_root_certificate(authority.der())
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("cannot be combined with tls_config"), "{error}");
}

#[tokio::test]
async fn a_whole_tls_config_still_works() {
    let authority = Authority::new("test CA");
    let server = tls_server(&authority.leaf(&["localhost"]), HTTP1).await;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(authority.der()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(common::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let transport = HyperTransport::builder().no_proxy().tls_config(config).build().unwrap();
    get_version(&client(transport, &base_url(&server))).await.unwrap();
}
