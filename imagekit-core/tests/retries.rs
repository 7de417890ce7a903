//! Retry, deadline and body-cap behaviour through the public client, with the waits recorded.

use std::time::Duration;

use http::Method;
use imagekit_core::operation::{ApiPath, Operation};
use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestOptions, TransportError};
use imagekit_core::{CallOptions, Client, Error, RetryPolicy, TransportErrorKind};
use imagekit_mock::{InstantSleep, ScriptedTransport, fixtures};

const MS: Duration = Duration::from_millis(1);

fn client(transport: &ScriptedTransport, sleep: &InstantSleep) -> Client {
    Client::builder()
        .private_key("private_k")
        .transport(transport.clone())
        .sleeper(sleep.clone())
        .retry_policy(RetryPolicy::default().with_jitter(false))
        .build()
        .unwrap()
}

fn status(code: u16) -> HttpResponse {
    fixtures::json(code, &serde_json::json!({"message": format!("status {code}")}))
}

/// A POST that is not safe to repeat, as creating something is.
fn create_something() -> Operation<serde_json::Value> {
    Operation::json("create-something", Method::POST, ApiPath::new("/v1/things"))
}

#[tokio::test]
async fn a_get_that_fails_twice_with_500_succeeds_on_the_third_attempt() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    transport
        .push_response(status(500))
        .push_response(status(500))
        .push_response(fixtures::ok(fixtures::file()));
    let file = client(&transport, &sleep).files().get(fixtures::FILE_ID).await.unwrap();
    assert_eq!(file.file_id.as_deref(), Some(fixtures::FILE_ID));
    assert_eq!(transport.request_count(), 3);
    assert_eq!(sleep.waits(), [500 * MS, 1000 * MS]);
}

#[tokio::test]
async fn retries_stop_after_the_default_two() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    for _ in 0..3 {
        transport.push_response(status(503));
    }
    let error = client(&transport, &sleep).files().get("f").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(transport.request_count(), 3);
    transport.assert_all_consumed();
}

#[tokio::test]
async fn conflicts_and_other_client_errors_fail_at_once() {
    for code in [400, 401, 403, 404, 409, 422, 423] {
        let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
        transport.push_response(status(code));
        let error = client(&transport, &sleep).files().versions().restore("f", "v").await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(transport.request_count(), 1, "{code} is not retried");
        assert!(sleep.waits().is_empty());
    }
}

#[tokio::test]
async fn a_rate_limit_waits_for_imagekits_reset_header() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    transport.push_response(fixtures::rate_limited()).push_response(fixtures::ok(fixtures::file()));
    client(&transport, &sleep).files().get("f").await.unwrap();
    assert_eq!(sleep.waits(), [Duration::from_millis(fixtures::RATE_LIMIT_RESET_MS)]);
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn a_rate_limit_beyond_the_cap_returns_at_once_with_its_reset_time() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let mut long = fixtures::rate_limited();
    long.headers_mut().insert("x-ratelimit-reset", 600_000.into());
    transport.push_response(long);
    let error = client(&transport, &sleep).files().get("f").await.unwrap_err();
    let api = error.as_api().unwrap();
    assert!(api.is_rate_limited());
    assert_eq!(api.rate_limit().unwrap().reset, Some(Duration::from_secs(600)));
    assert!(error.to_string().contains("resets in 600000 ms"), "{error}");
    assert_eq!(transport.request_count(), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn unsafe_operations_retry_only_when_nothing_was_sent() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let client = client(&transport, &sleep);
    transport.push_response(status(500));
    let error = client.execute(create_something(), CallOptions::default()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(transport.request_count(), 1, "a POST is not repeated after a 500");

    transport.push_error(TransportError::timeout("slow"));
    assert!(matches!(
        client.execute(create_something(), CallOptions::default()).await,
        Err(Error::Transport(_))
    ));
    assert_eq!(transport.request_count(), 2, "nor after a timeout: it may have been processed");

    transport
        .push_error(TransportError::connect("refused"))
        .push_response(fixtures::rate_limited())
        .push_json(201, serde_json::json!({"id": "t1"}));
    let created = client.execute(create_something(), CallOptions::default()).await.unwrap();
    assert_eq!(created.data["id"], "t1");
    assert_eq!(transport.request_count(), 5, "connect failures and 429s are retried for every operation");
}

#[tokio::test]
async fn idempotent_operations_retry_after_timeouts_and_lost_connections() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    transport
        .push_error(TransportError::timeout("slow"))
        .push_error(TransportError::io("reset"))
        .push_response(fixtures::ok(fixtures::file_version()));
    client(&transport, &sleep).files().versions().get("f", "v").await.unwrap();
    assert_eq!(transport.request_count(), 3);
}

#[tokio::test]
async fn retries_can_be_changed_per_client_and_per_call() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let client = client(&transport, &sleep);
    transport.push_response(status(502));
    let error = client.files().get("f").no_retries().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(transport.request_count(), 1);
    for _ in 0..3 {
        transport.push_response(status(502));
    }
    transport.push_response(fixtures::ok(fixtures::file()));
    let five = RetryPolicy::default().with_max_retries(5).with_backoff(10 * MS, 15 * MS).with_jitter(false);
    client.files().get("f").retry(five).await.unwrap();
    assert_eq!(transport.request_count(), 5);
    assert_eq!(sleep.waits()[..], [10 * MS, 15 * MS, 15 * MS][..]);

    let off = Client::builder()
        .private_key("k")
        .transport(transport.clone())
        .sleeper(sleep.clone())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    transport.push_response(status(500));
    assert!(off.files().get("f").await.is_err());
    assert_eq!(transport.request_count(), 6);
}

/// A client given no sleeper still retries and keeps deadlines, on the timer thread of the
/// `default-timer` feature: nothing configured is dropped.
#[cfg(feature = "default-timer")]
#[tokio::test]
async fn without_a_sleeper_the_default_timer_retries_and_keeps_deadlines() {
    let transport = ScriptedTransport::new();
    transport.push_response(status(503)).push_response(fixtures::ok(fixtures::file()));
    let quick = RetryPolicy::default().with_backoff(MS, 2 * MS);
    let client =
        Client::builder().private_key("k").transport(transport.clone()).retry_policy(quick).build().unwrap();
    client.files().get("f").await.unwrap();
    assert_eq!(transport.request_count(), 2);

    let hung = Client::builder().private_key("k").transport(Hangs).deadline(Some(50 * MS)).build().unwrap();
    let started = std::time::Instant::now();
    assert!(hung.files().get("f").await.unwrap_err().is_timeout());
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Without any timer (the `default-timer` feature off, as on wasm32), retries or a deadline
/// that were asked for are refused when the client is built, and a per-call deadline when the
/// call is sent; the default policy then makes one attempt. CI runs this file with
/// `--no-default-features` so this is exercised.
#[cfg(not(feature = "default-timer"))]
#[tokio::test]
async fn without_any_timer_retries_and_deadlines_are_refused_not_dropped() {
    let build =
        |b: imagekit_core::ClientBuilder| b.private_key("k").transport(ScriptedTransport::new()).build();
    let retries = build(Client::builder().retry_policy(RetryPolicy::default())).unwrap_err();
    assert!(retries.to_string().contains("sleeper"), "{retries}");
    let deadline = build(Client::builder().deadline(Some(MS))).unwrap_err();
    assert!(deadline.to_string().contains("sleeper"), "{deadline}");

    let transport = ScriptedTransport::new();
    transport.push_response(status(503));
    let client = Client::builder().private_key("k").transport(transport.clone()).build().unwrap();
    assert_eq!(client.call_defaults().retry.max_retries, 0);
    assert!(client.files().get("f").await.is_err());
    assert_eq!(transport.request_count(), 1);
    let error = client.files().get("f").deadline(MS).await.unwrap_err();
    assert!(error.to_string().contains("deadline") && error.to_string().contains("sleeper"), "{error}");
    assert_eq!(transport.request_count(), 1, "a refused deadline sends nothing");
}

#[tokio::test]
async fn an_oversized_body_is_a_clear_error_and_not_retried() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    transport.push_response(fixtures::ok(fixtures::file()));
    let client = Client::builder()
        .private_key("k")
        .transport(transport.clone())
        .sleeper(sleep)
        .max_response_bytes(256)
        .build()
        .unwrap();
    match client.files().get("f").await {
        Err(Error::Transport(e)) => {
            assert_eq!(e.kind(), TransportErrorKind::BodyTooLarge);
            assert!(e.to_string().contains("256-byte cap"), "{e}");
        }
        other => panic!("expected a body-too-large transport error, got {other:?}"),
    }
    assert_eq!(transport.request_count(), 1);
    assert_eq!(transport.last_request().unwrap().options.max_response_bytes, Some(256));
}

/// Never answers: what a hung server looks like.
#[derive(Debug)]
struct Hangs;

impl HttpTransport for Hangs {
    async fn send(&self, _: HttpRequest, _: RequestOptions) -> Result<HttpResponse, TransportError> {
        std::future::pending().await
    }
}

#[tokio::test]
async fn a_deadline_bounds_the_whole_call() {
    let client =
        Client::builder().private_key("k").transport(Hangs).sleeper(tokio::time::sleep).build().unwrap();
    let started = std::time::Instant::now();
    let error = client.files().get("f").deadline(100 * MS).await.unwrap_err();
    match error {
        Error::Transport(e) => assert!(e.is_timeout() && e.to_string().contains("deadline of 100 ms"), "{e}"),
        other => panic!("expected a deadline timeout, got {other:?}"),
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= 100 * MS && elapsed < Duration::from_secs(5), "{elapsed:?}");

    let client_deadline = Client::builder()
        .private_key("k")
        .transport(Hangs)
        .sleeper(tokio::time::sleep)
        .deadline(Some(50 * MS))
        .build()
        .unwrap();
    assert!(matches!(client_deadline.files().get("f").await, Err(Error::Transport(e)) if e.is_timeout()));
}

#[tokio::test]
async fn posts_that_are_idempotent_by_nature_retry_and_others_do_not() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let client = client(&transport, &sleep);

    transport
        .push_response(status(503))
        .push_json(200, serde_json::json!({"successfullyUpdatedFileIds": ["a"]}));
    client.files().bulk().add_tags(["a"], ["sale"]).await.unwrap();
    assert_eq!(transport.request_count(), 2, "adding the same tags twice is harmless");

    transport
        .push_error(TransportError::timeout("slow"))
        .push_json(201, serde_json::json!({"requestId": "r1"}));
    client.cache().invalidation().create("https://ik.imagekit.io/demo/a.jpg").await.unwrap();
    assert_eq!(transport.request_count(), 4, "purging twice is harmless");

    transport.push_response(status(503)).push_response(fixtures::no_content());
    let copy = imagekit_core::resources::files::CopyFile::new("/a.jpg", "/b/");
    assert!(client.files().copy(copy).await.is_err());
    assert_eq!(transport.request_count(), 5, "a copy may have happened: not repeated");
}

/// A call's future is named (no box) and `Send`, so it can be stored in a struct or spawned.
#[test]
fn call_futures_are_named_and_send() {
    fn assert_send<F: Send>(future: F) -> F {
        future
    }
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let client = client(&transport, &sleep);
    let _named: imagekit_core::CallFuture<imagekit_core::models::File, imagekit_core::models::File> =
        assert_send(std::future::IntoFuture::into_future(client.files().get("f")));
    let _with_meta = assert_send(client.files().get("f").send_with_meta());
    let upload = client.files().upload(imagekit_core::UploadSource::bytes("abcd"), "a.bin");
    let _upload: imagekit_core::CallFuture<_, imagekit_core::models::UploadOutcome> =
        assert_send(std::future::IntoFuture::into_future(upload));
    assert_eq!(transport.request_count(), 0, "nothing is sent until the future is polled");
}

/// Polling a call's future again after it finished is a caller's mistake; it answers with an
/// error instead of panicking, and sends nothing more.
#[tokio::test]
async fn a_finished_call_polled_again_is_an_error_not_a_panic() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    transport.push_response(fixtures::ok(fixtures::file()));
    let client = client(&transport, &sleep);
    let mut call = std::pin::pin!(client.files().get(fixtures::FILE_ID).send());
    assert!(call.as_mut().await.is_ok());
    let again = std::future::poll_fn(|cx| std::task::Poll::Ready(call.as_mut().poll(cx))).await;
    assert!(matches!(again, std::task::Poll::Ready(Err(Error::InvalidInput(_)))), "{again:?}");

    // The same for a call whose input was refused before anything was sent.
    let mut refused = std::pin::pin!(client.files().get("").send());
    assert!(matches!(refused.as_mut().await, Err(Error::InvalidInput(_))));
    let again = std::future::poll_fn(|cx| std::task::Poll::Ready(refused.as_mut().poll(cx))).await;
    assert!(matches!(again, std::task::Poll::Ready(Err(Error::InvalidInput(_)))));
    assert_eq!(transport.request_count(), 1);
}
