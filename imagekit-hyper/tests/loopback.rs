//! The hyper transport against a real server on 127.0.0.1.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use imagekit_core::{Client, Error};
use imagekit_hyper::HyperTransport;
use imagekit_mock::fixtures;
use tokio::net::TcpListener;

/// What the server saw.
#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    requests: Mutex<Vec<(String, String, Option<String>)>>,
}

/// Serves `answer` for every request after `delay`, recording each request.
async fn serve(delay: Duration, answer: fn() -> http::Response<Bytes>) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let server_seen = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            server_seen.connections.fetch_add(1, Ordering::SeqCst);
            let seen = server_seen.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let seen = seen.clone();
                    async move {
                        let auth =
                            request.headers().get("authorization").map(|v| v.to_str().unwrap().to_owned());
                        let target =
                            request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
                        seen.requests.lock().unwrap().push((request.method().to_string(), target, auth));
                        tokio::time::sleep(delay).await;
                        Ok::<_, Infallible>(answer().map(Full::new))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (format!("http://{address}"), seen)
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .private_key("private_loopback=")
        .base_url(base_url)
        .transport(HyperTransport::new().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn gets_a_version_over_http_with_basic_auth() {
    let (base, seen) = serve(Duration::ZERO, || fixtures::ok(fixtures::file_version())).await;
    let file = client(&base).files().versions().get(fixtures::FILE_ID, fixtures::VERSION_2_ID).await.unwrap();
    assert_eq!(file.version_info.unwrap().id.as_deref(), Some(fixtures::VERSION_2_ID));
    let requests = seen.requests.lock().unwrap();
    let (method, target, auth) = &requests[0];
    assert_eq!(method, "GET");
    assert_eq!(target, &format!("/v1/files/{}/versions/{}", fixtures::FILE_ID, fixtures::VERSION_2_ID));
    // base64("private_loopback=:")
    assert_eq!(auth.as_deref(), Some("Basic cHJpdmF0ZV9sb29wYmFjaz06"));
}

#[tokio::test]
async fn a_hostile_id_reaches_the_server_as_one_encoded_segment() {
    let (base, seen) = serve(Duration::ZERO, || fixtures::ok(fixtures::file_version())).await;
    client(&base).files().versions().get("a/b?c#d ../é", "v1").await.unwrap();
    let target = seen.requests.lock().unwrap()[0].1.clone();
    assert_eq!(target, "/v1/files/a%2Fb%3Fc%23d%20..%2F%C3%A9/versions/v1");
}

#[tokio::test]
async fn connections_are_reused_across_calls() {
    let (base, seen) = serve(Duration::ZERO, || fixtures::ok(fixtures::file_version())).await;
    let client = client(&base);
    for _ in 0..5 {
        client.files().versions().get("f", "v").await.unwrap();
    }
    assert_eq!(seen.requests.lock().unwrap().len(), 5);
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1, "all five calls share one connection");
}

#[tokio::test]
async fn error_statuses_come_back_as_api_errors() {
    let (base, _) = serve(Duration::ZERO, fixtures::rate_limited).await;
    let error = client(&base).files().versions().get("f", "v").await.unwrap_err();
    let api = error.as_api().expect("an API error");
    assert!(api.is_rate_limited());
    assert_eq!(api.rate_limit().unwrap().reset, Some(Duration::from_millis(fixtures::RATE_LIMIT_RESET_MS)));
    assert_eq!(api.request_id(), Some(fixtures::REQUEST_ID));
}

#[tokio::test]
async fn a_slow_answer_times_out_as_a_timeout() {
    let (base, _) = serve(Duration::from_secs(5), || fixtures::ok(fixtures::file_version())).await;
    let started = std::time::Instant::now();
    let error =
        client(&base).files().versions().get("f", "v").timeout(Duration::from_millis(200)).await.unwrap_err();
    match error {
        Error::Transport(e) => assert!(e.is_timeout() && !e.is_connect(), "{e:?}"),
        other => panic!("expected a transport timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(3), "the timeout cut the wait short");
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    // Bind and drop a listener to find a port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let error = client(&format!("http://127.0.0.1:{port}")).files().get("f").await.unwrap_err();
    match error {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected a connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_one_line_constructors_build_clients() {
    let client = imagekit_hyper::client("private_key_x").unwrap();
    assert_eq!(client.base_url(), "https://api.imagekit.io");
    assert!(!format!("{client:?}").contains("private_key_x"));
    assert!(imagekit_hyper::client("").is_err());
}
