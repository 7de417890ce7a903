//! The fault suite: a loopback server that misbehaves on purpose. For each fault, the documented
//! `Error` variant and the exact number of attempts the server saw; every test is bounded in
//! time, so a hang fails instead of stalling the run.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Method;
use imagekit_core::operation::{ApiPath, Operation};
use imagekit_core::{CallOptions, Client, Error, RetryPolicy, TransportErrorKind};
use imagekit_mock::fixtures;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MS: Duration = Duration::from_millis(1);

/// What the server does with one request.
#[derive(Clone)]
enum Fault {
    /// A complete answer.
    Answer { status: u16, content_type: &'static str, headers: Vec<(&'static str, String)>, body: Vec<u8> },
    /// Read the request, then reset the connection without answering.
    Reset,
    /// Send the head and part of the body, then reset.
    ResetMidBody,
    /// Wait, then answer with the fixture version.
    Slow(Duration),
    /// A body streamed in chunks with no length announced.
    Chunked { chunks: usize, chunk: Vec<u8> },
}

fn json(status: u16, body: serde_json::Value) -> Fault {
    Fault::Answer {
        status,
        content_type: "application/json",
        headers: vec![],
        body: body.to_string().into_bytes(),
    }
}

fn ok() -> Fault {
    json(200, fixtures::file_version())
}

fn status(code: u16) -> Fault {
    json(code, serde_json::json!({"message": format!("status {code}"), "help": "h"}))
}

struct Server {
    base_url: String,
    attempts: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
}

async fn serve(script: Vec<Fault>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let attempts = Arc::new(AtomicUsize::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    let (a, c) = (attempts.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(connection(stream, script.clone(), a.clone()));
        }
    });
    Server { base_url, attempts, connections }
}

async fn read_request(stream: &mut TcpStream) -> Option<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(())
}

fn reset(stream: TcpStream) {
    // Linger 0 turns the close into a TCP reset.
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn connection(mut stream: TcpStream, script: Arc<Mutex<VecDeque<Fault>>>, attempts: Arc<AtomicUsize>) {
    while read_request(&mut stream).await.is_some() {
        attempts.fetch_add(1, Ordering::SeqCst);
        let fault = script.lock().unwrap().pop_front().unwrap_or_else(|| status(599));
        match fault {
            Fault::Answer { status, content_type, headers, body } => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nx-ik-requestid: req-{status}\r\n",
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(&body).await.is_err()
                {
                    return;
                }
            }
            Fault::Reset => return reset(stream),
            Fault::ResetMidBody => {
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"fileId\":\"abc\",").await;
                let _ = stream.flush().await;
                tokio::time::sleep(20 * MS).await;
                return reset(stream);
            }
            Fault::Slow(delay) => {
                tokio::time::sleep(delay).await;
                let body = fixtures::file_version().to_string();
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(body.as_bytes()).await.is_err()
                {
                    return;
                }
            }
            Fault::Chunked { chunks, chunk } => {
                if stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n").await.is_err() {
                    return;
                }
                for _ in 0..chunks {
                    let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                    if stream.write_all(&frame).await.is_err() {
                        return; // the client stopped reading: what the cap is for
                    }
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
        }
    }
}

/// A client with fast retries (10 ms, no jitter) and a 500 ms attempt timeout.
fn client(server: &Server) -> Client {
    imagekit_hyper::builder()
        .unwrap()
        .private_key("private_fault_suite=")
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::default().with_backoff(10 * MS, 40 * MS).with_jitter(false))
        .timeout(Some(500 * MS))
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap()
}

async fn get_version(client: &Client) -> Result<imagekit_core::models::File, Error> {
    let call = client.files().versions().get(fixtures::FILE_ID, fixtures::VERSION_2_ID).send();
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the call ended on its own, without hanging")
}

async fn run(script: Vec<Fault>) -> (Result<imagekit_core::models::File, Error>, usize) {
    let server = serve(script).await;
    let outcome = get_version(&client(&server)).await;
    (outcome, server.attempts.load(Ordering::SeqCst))
}

fn transport_kind(outcome: &Result<impl std::fmt::Debug, Error>) -> TransportErrorKind {
    match outcome {
        Err(Error::Transport(e)) => e.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

fn api_status(outcome: &Result<impl std::fmt::Debug, Error>) -> u16 {
    match outcome {
        Err(Error::Api(e)) => e.status().as_u16(),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn rate_limited_with_imagekit_headers_then_served() {
    let limited = Fault::Answer {
        status: 429,
        content_type: "application/json",
        headers: vec![
            ("x-ratelimit-limit", "10".into()),
            ("x-ratelimit-reset", "30".into()),
            ("x-ratelimit-interval", "1000".into()),
        ],
        body: br#"{"message":"Too many requests"}"#.to_vec(),
    };
    let started = std::time::Instant::now();
    let (outcome, attempts) = run(vec![limited, ok()]).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(attempts, 2);
    assert!(started.elapsed() >= 30 * MS, "it waited for X-RateLimit-Reset");
}

#[tokio::test]
async fn rate_limited_past_the_cap_returns_at_once() {
    let limited = Fault::Answer {
        status: 429,
        content_type: "application/json",
        headers: vec![("x-ratelimit-reset", "3600000".into())],
        body: br#"{"message":"Too many requests"}"#.to_vec(),
    };
    let (outcome, attempts) = run(vec![limited]).await;
    assert_eq!(api_status(&outcome), 429);
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    for code in [500, 502, 503, 504] {
        let (outcome, attempts) = run(vec![status(code), status(code), status(code)]).await;
        assert_eq!(api_status(&outcome), code);
        assert_eq!(attempts, 3, "{code}: the first attempt and two retries");
        let (outcome, attempts) = run(vec![status(code), ok()]).await;
        assert!(outcome.is_ok(), "{code}: {outcome:?}");
        assert_eq!(attempts, 2);
    }
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_with_its_body() {
    let page = Fault::Answer {
        status: 502,
        content_type: "text/html",
        headers: vec![],
        body: b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
    };
    let (outcome, attempts) = run(vec![page.clone(), page.clone(), page]).await;
    match &outcome {
        Err(Error::Api(e)) => {
            assert_eq!(e.message(), None);
            assert!(e.body().starts_with(b"<html>"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(attempts, 3);
}

#[tokio::test]
async fn a_reset_connection_is_an_io_error_retried_for_safe_operations_only() {
    let (outcome, attempts) = run(vec![Fault::Reset, Fault::Reset, Fault::Reset]).await;
    assert_eq!(transport_kind(&outcome), TransportErrorKind::Io);
    assert_eq!(attempts, 3);

    let (outcome, attempts) = run(vec![Fault::Reset, ok()]).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(attempts, 2);

    // A create that may have been processed is not sent again.
    let server = serve(vec![Fault::Reset, ok()]).await;
    let create =
        Operation::<serde_json::Value>::json("create-something", Method::POST, ApiPath::new("/v1/things"));
    let outcome = client(&server).execute(create, CallOptions::default()).await;
    assert_eq!(transport_kind(&outcome), TransportErrorKind::Io);
    assert_eq!(server.attempts.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_reset_mid_body_is_an_io_error() {
    let (outcome, attempts) = run(vec![Fault::ResetMidBody, Fault::ResetMidBody, Fault::ResetMidBody]).await;
    assert_eq!(transport_kind(&outcome), TransportErrorKind::Io);
    assert_eq!(attempts, 3);
}

#[tokio::test]
async fn a_slow_answer_times_out_each_attempt() {
    let slow = Fault::Slow(Duration::from_secs(3));
    let started = std::time::Instant::now();
    let (outcome, attempts) = run(vec![slow.clone(), slow.clone(), slow]).await;
    assert_eq!(transport_kind(&outcome), TransportErrorKind::Timeout);
    assert_eq!(attempts, 3);
    assert!(started.elapsed() < Duration::from_secs(3), "three 500 ms attempts, not a 3 s wait");

    let (outcome, attempts) = run(vec![Fault::Slow(Duration::from_secs(3)), Fault::Slow(10 * MS)]).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn a_deadline_stops_retries_of_a_slow_server() {
    let server = serve(vec![Fault::Slow(Duration::from_secs(3)); 3]).await;
    let client = client(&server);
    let call = client.files().versions().get("f", "v").deadline(700 * MS);
    let started = std::time::Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(10), call.send()).await.unwrap();
    assert_eq!(transport_kind(&outcome), TransportErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    assert_eq!(server.attempts.load(Ordering::SeqCst), 2, "the deadline cut the second attempt short");
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_not_retried() {
    let mut body = fixtures::file_version().to_string().into_bytes();
    body.truncate(body.len() / 2);
    let cut = Fault::Answer { status: 200, content_type: "application/json", headers: vec![], body };
    let (outcome, attempts) = run(vec![cut, ok()]).await;
    assert!(matches!(&outcome, Err(Error::Decode(e)) if e.json_error().is_eof()), "{outcome:?}");
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn an_empty_200_is_a_decode_error() {
    let empty =
        Fault::Answer { status: 200, content_type: "application/json", headers: vec![], body: vec![] };
    let (outcome, attempts) = run(vec![empty, ok()]).await;
    assert!(matches!(&outcome, Err(Error::Decode(e)) if e.body_excerpt().is_empty()), "{outcome:?}");
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn the_body_decides_not_the_content_type() {
    let body = fixtures::file_version().to_string().into_bytes();
    let mislabelled = Fault::Answer { status: 200, content_type: "text/plain", headers: vec![], body };
    let (outcome, attempts) = run(vec![mislabelled]).await;
    assert!(outcome.is_ok(), "JSON labelled text/plain still parses: {outcome:?}");
    assert_eq!(attempts, 1);

    let html = Fault::Answer {
        status: 200,
        content_type: "text/html",
        headers: vec![],
        body: b"<html></html>".to_vec(),
    };
    let (outcome, attempts) = run(vec![html]).await;
    assert!(matches!(&outcome, Err(Error::Decode(_))), "{outcome:?}");
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn an_oversized_body_is_refused_announced_or_not() {
    let announced = Fault::Answer {
        status: 200,
        content_type: "application/json",
        headers: vec![],
        body: vec![b' '; 200 * 1024],
    };
    let (outcome, attempts) = run(vec![announced, ok()]).await;
    assert_eq!(transport_kind(&outcome), TransportErrorKind::BodyTooLarge);
    assert_eq!(attempts, 1);

    // 64 MiB streamed with no length: the client stops at its 64 KiB cap.
    let endless = Fault::Chunked { chunks: 1024, chunk: vec![b' '; 64 * 1024] };
    let (outcome, attempts) = run(vec![endless, ok()]).await;
    assert_eq!(transport_kind(&outcome), TransportErrorKind::BodyTooLarge);
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_conflict_fails_at_once() {
    let (outcome, attempts) = run(vec![status(409), ok()]).await;
    assert_eq!(api_status(&outcome), 409);
    assert_eq!(attempts, 1);
}

/// The default policy, as `imagekit_hyper::from_env()` builds it: two 500s on a GET, then the
/// third attempt succeeds; a 409 fails at once.
#[tokio::test]
async fn with_default_settings_two_500s_then_success_and_409_at_once() {
    let server = serve(vec![status(500), status(500), ok()]).await;
    let client =
        imagekit_hyper::builder().unwrap().private_key("k").base_url(&server.base_url).build().unwrap();
    let file = get_version(&client).await.unwrap();
    assert_eq!(file.file_id.as_deref(), Some(fixtures::FILE_ID));
    assert_eq!(server.attempts.load(Ordering::SeqCst), 3);

    let server = serve(vec![status(409), ok()]).await;
    let client =
        imagekit_hyper::builder().unwrap().private_key("k").base_url(&server.base_url).build().unwrap();
    assert_eq!(api_status(&get_version(&client).await), 409);
    assert_eq!(server.attempts.load(Ordering::SeqCst), 1);
    assert!(server.connections.load(Ordering::SeqCst) <= 1);
}

/// Driving an operation by hand (`to_request`, then `send` with `request_options`): the
/// timeout and the body cap hold as they do for the client.
#[tokio::test]
async fn request_options_hold_for_a_request_sent_by_hand() {
    use imagekit_core::HttpTransport as _;
    let transport = imagekit_hyper::HyperTransport::new().unwrap();
    let server = serve(vec![Fault::Slow(Duration::from_secs(3))]).await;
    let api = client(&server);
    let operation = api.files().versions().get(fixtures::FILE_ID, fixtures::VERSION_2_ID).into_operation();
    let operation = operation.unwrap();
    let request = operation.to_request(api.config()).unwrap();
    let options = operation.request_options(api.config(), Some(200 * MS));
    let started = std::time::Instant::now();
    let outcome =
        tokio::time::timeout(Duration::from_secs(10), transport.send(request, options)).await.unwrap();
    assert_eq!(outcome.unwrap_err().kind(), TransportErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(2), "cut at 200 ms, not after the 3 s wait");

    let endless = Fault::Chunked { chunks: 1024, chunk: vec![b' '; 64 * 1024] };
    let server = serve(vec![endless]).await;
    let api = client(&server);
    let operation = api.files().versions().get(fixtures::FILE_ID, fixtures::VERSION_2_ID).into_operation();
    let operation = operation.unwrap();
    let request = operation.to_request(api.config()).unwrap();
    let options = operation.request_options(api.config(), None);
    let outcome =
        tokio::time::timeout(Duration::from_secs(10), transport.send(request, options)).await.unwrap();
    assert_eq!(outcome.unwrap_err().kind(), TransportErrorKind::BodyTooLarge, "the client's 64 KiB cap");
}
