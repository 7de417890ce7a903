//! The blocking client over ureq against the emulator's HTTP server: plain synchronous tests,
//! no async runtime in this process but the emulator's own thread.

use std::io::Write as _;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use imagekit_core::{BlockingClient, RetryPolicy, TransportErrorKind};
use imagekit_mock::emulator::Emulator;
use imagekit_ureq::UreqTransport;

const KEY: &str = "private_ureq_test_key";

fn client(base_url: &str) -> BlockingClient {
    imagekit_ureq::builder()
        .unwrap()
        .private_key(KEY)
        .base_url(base_url)
        .upload_base_url(base_url)
        .retry_policy(RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)))
        .build()
        .unwrap()
}

#[test]
fn versions_come_back_as_values_and_a_missing_file_is_a_typed_404() {
    let emulator = Emulator::new(KEY);
    let file_id = emulator.seed_file("/docs/a.txt", &b"one"[..]).unwrap();
    emulator.seed_file("/docs/a.txt", &b"two"[..]).unwrap();
    let server = emulator.serve_on_free_port().unwrap();
    let client = client(server.base_url());

    let versions = client.files().versions().list(&file_id).unwrap();
    assert_eq!(versions.len(), 2);
    let first = versions[0].version_id().unwrap();
    let version = client.files().versions().get(&file_id, first).unwrap();
    assert_eq!(version.version_name(), Some("Version 1"));
    assert_eq!(version.path(), Some("/docs/a.txt"));

    let missing = client.files().get("0123456789abcdef01234567").unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
}

#[test]
fn a_file_is_uploaded_from_disk_and_a_429_is_waited_out_on_this_thread() {
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_on_free_port().unwrap();
    let client = client(server.base_url());
    let mut file = tempfile();
    let content = vec![7u8; 300 * 1024]; // more than one chunk
    file.1.write_all(&content).unwrap();
    file.1.flush().unwrap();

    // A 429 says nothing was done: even an upload is sent again (the file re-read from disk).
    emulator.fail_next(
        Some(http::Method::POST),
        "/api/v1/files/upload",
        1,
        http::StatusCode::TOO_MANY_REQUESTS,
    );
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = sent.clone();
    let outcome = client
        .files()
        .upload(imagekit_ureq::upload::file(&file.0).unwrap(), "big.bin")
        .folder("/up")
        .on_progress(move |done, _| seen.store(done, std::sync::atomic::Ordering::Relaxed))
        .send()
        .unwrap();
    let upload = outcome.uploaded().expect("stored at once");
    assert_eq!(upload.size, Some(content.len() as f64));
    assert_eq!(emulator.requests().iter().filter(|r| r.path == "/api/v1/files/upload").count(), 2);
    assert!(sent.load(std::sync::atomic::Ordering::Relaxed) >= content.len() as u64);
    std::fs::remove_file(&file.0).unwrap();
}

#[test]
fn failures_are_classified_as_the_core_needs() {
    // Nothing listens: a connect failure (retried, then reported).
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let error = client(&format!("http://{closed}")).files().get("f").unwrap_err();
    assert_eq!(error.as_transport().map(|e| e.kind()), Some(TransportErrorKind::Connect), "{error}");

    // A server that accepts and never answers: the attempt's timeout ends it.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    let client = imagekit_ureq::builder()
        .unwrap()
        .private_key(KEY)
        .base_url(format!("http://{addr}"))
        .retry_policy(RetryPolicy::none())
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.files().get("f").unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(silent);
}

#[test]
fn the_transport_follows_no_redirect_and_hides_nothing_in_debug() {
    // A redirect is an answer the core sees, not a hop the agent takes with the key.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = [0u8; 4096];
        let _ = std::io::Read::read(&mut stream, &mut head);
        stream
            .write_all(
                b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n\r\n",
            )
            .unwrap();
    });
    let client = imagekit_ureq::builder()
        .unwrap()
        .private_key(KEY)
        .base_url(format!("http://{addr}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.files().get("f").unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302), "{error}");
    server.join().unwrap();
    let direct = UreqTransport::with_proxy_rules(imagekit_core::proxy::ProxyRules::direct()).unwrap();
    assert_eq!(format!("{direct:?}"), "UreqTransport { proxies: None, .. }");
}

/// A file in the system's temporary directory, unique to this process and test.
fn tempfile() -> (std::path::PathBuf, std::fs::File) {
    let path =
        std::env::temp_dir().join(format!("imagekit-ureq-{}-{:?}.bin", std::process::id(), Instant::now()));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}
