//! One test per answer shape of the version operations, each asserting the exact error variant.

use std::time::Duration;

use http::{Method, StatusCode};
use imagekit_core::models::{FileKind, FileType};
use imagekit_core::{Client, Error};
use imagekit_mock::{ScriptedTransport, fixtures};

/// One attempt per call: these tests are about reading each answer, not retrying it.
fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key("private_test_key=")
        .transport(transport.clone())
        .retry_policy(imagekit_core::RetryPolicy::none())
        .build()
        .unwrap()
}

fn version_path() -> String {
    format!("/v1/files/{}/versions/{}", fixtures::FILE_ID, fixtures::VERSION_2_ID)
}

async fn get_version(transport: &ScriptedTransport) -> Result<imagekit_core::models::File, Error> {
    client(transport).files().versions().get(fixtures::FILE_ID, fixtures::VERSION_2_ID).await
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> Box<imagekit_core::ApiError> {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn ok_200_parses_the_version_and_sends_the_documented_request() {
    let transport = ScriptedTransport::new();
    transport.expect(Method::GET, &version_path()).respond(fixtures::ok(fixtures::file_version()));
    let file = get_version(&transport).await.unwrap();
    assert_eq!(file.kind, Some(FileKind::FileVersion));
    assert_eq!(file.file_type, Some(FileType::Image));
    let info = file.version_info.unwrap();
    assert_eq!(info.id.as_deref(), Some(fixtures::VERSION_2_ID));
    assert_eq!(info.name.as_deref(), Some("Version 2"));
    assert_eq!(file.width, Some(1600.0));

    let sent = transport.last_request().unwrap();
    assert_eq!(sent.method, Method::GET);
    assert_eq!(sent.uri.to_string(), format!("https://api.imagekit.io{}", version_path()));
    assert_eq!(sent.header("authorization"), Some("Basic cHJpdmF0ZV90ZXN0X2tleT06"));
    assert_eq!(sent.basic_auth_user().as_deref(), Some("private_test_key="));
    assert_eq!(sent.header("user-agent"), Some(concat!("imagekit-rs/", env!("CARGO_PKG_VERSION"))));
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert!(sent.body.is_empty());
    assert_eq!(sent.timeout(), Some(Duration::from_secs(60)));
    transport.assert_all_consumed();
}

#[tokio::test]
async fn meta_carries_status_request_id_rate_limit_and_raw_body() {
    let transport = ScriptedTransport::new();
    let mut answer = fixtures::ok(fixtures::file_version());
    answer.headers_mut().insert("x-ratelimit-limit", 50.into());
    answer.headers_mut().insert("x-ratelimit-reset", 250.into());
    answer.headers_mut().insert("x-ratelimit-interval", 1000.into());
    transport.push_response(answer);
    let response = client(&transport)
        .files()
        .versions()
        .get(fixtures::FILE_ID, fixtures::VERSION_2_ID)
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(response.meta.status(), StatusCode::OK);
    assert_eq!(response.meta.request_id(), Some(fixtures::REQUEST_ID));
    let limit = response.meta.rate_limit().unwrap();
    assert_eq!(limit.limit, Some(50));
    assert_eq!(limit.reset, Some(Duration::from_millis(250)));
    assert_eq!(limit.interval, Some(Duration::from_secs(1)));
    let raw: serde_json::Value = serde_json::from_slice(response.meta.body()).unwrap();
    assert_eq!(raw, fixtures::file_version());
    assert_eq!(response.data.file_id.as_deref(), Some(fixtures::FILE_ID));
}

#[tokio::test]
async fn list_restore_and_details_reach_their_endpoints() {
    let transport = ScriptedTransport::new();
    let base = format!("/v1/files/{}", fixtures::FILE_ID);
    transport
        .expect(Method::GET, &format!("{base}/versions"))
        .respond(fixtures::ok(fixtures::version_list()));
    transport
        .expect(Method::PUT, &format!("{base}/versions/{}/restore", fixtures::VERSION_1_ID))
        .respond(fixtures::ok(fixtures::file()));
    transport.expect(Method::GET, &format!("{base}/details")).respond(fixtures::ok(fixtures::file()));
    let client = client(&transport);
    let versions = client.files().versions().list(fixtures::FILE_ID).await.unwrap();
    assert_eq!(versions.len(), 2);
    let restored =
        client.files().versions().restore(fixtures::FILE_ID, fixtures::VERSION_1_ID).await.unwrap();
    assert_eq!(restored.kind, Some(FileKind::File));
    let current = client.files().get(fixtures::FILE_ID).await.unwrap();
    assert_eq!(current.name.as_deref(), Some("red-sneaker.jpg"));
    let methods: Vec<_> = transport.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, [Method::GET, Method::PUT, Method::GET]);
    transport.assert_all_consumed();
}

#[tokio::test]
async fn delete_accepts_204_and_an_empty_200_and_a_json_object() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::no_content());
    let mut empty_200 = fixtures::no_content();
    *empty_200.status_mut() = StatusCode::OK;
    transport.push_response(empty_200);
    transport.push_json(204, serde_json::json!({}));
    let client = client(&transport);
    for _ in 0..3 {
        let deleted: () =
            client.files().versions().delete(fixtures::FILE_ID, fixtures::VERSION_1_ID).await.unwrap();
        assert_eq!(deleted, ());
    }
    assert!(transport.requests().iter().all(|r| r.method == Method::DELETE));
    transport.assert_all_consumed();
}

#[tokio::test]
async fn status_400_401_403_404_are_api_errors_with_message_and_help() {
    for (answer, status, message) in [
        (fixtures::bad_request(), 400, "Your request contains invalid fileId parameter."),
        (fixtures::unauthorized(), 401, "Your request does not contain private API key."),
        (fixtures::forbidden(), 403, "Your account cannot be authenticated."),
        (fixtures::not_found(), 404, "The requested file version does not exist."),
    ] {
        let transport = ScriptedTransport::new();
        transport.push_response(answer);
        let error = api_error(get_version(&transport).await);
        assert_eq!(error.status().as_u16(), status);
        assert_eq!(error.message(), Some(message));
        assert_eq!(error.help(), Some("For support kindly contact us at support@imagekit.io."));
        assert_eq!(error.request_id(), Some(fixtures::REQUEST_ID));
        assert!(error.extra().is_empty());
        assert!(!error.is_rate_limited());
        let shown = error.to_string();
        assert!(shown.contains(message) && shown.contains(fixtures::REQUEST_ID), "{shown}");
    }
}

#[tokio::test]
async fn status_429_carries_the_rate_limit_headers() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::rate_limited());
    let error = api_error(get_version(&transport).await);
    assert_eq!(error.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(error.is_rate_limited());
    assert_eq!(error.message(), Some("Too many requests."));
    assert_eq!(error.help(), None);
    let limit = error.rate_limit().unwrap();
    assert_eq!(limit.limit, Some(fixtures::RATE_LIMIT_LIMIT));
    assert_eq!(limit.reset, Some(Duration::from_millis(fixtures::RATE_LIMIT_RESET_MS)));
    assert_eq!(limit.interval, Some(Duration::from_millis(fixtures::RATE_LIMIT_INTERVAL_MS)));
    assert!(error.to_string().contains("resets in 1200 ms"), "{error}");
}

#[tokio::test]
async fn status_500_is_an_api_error() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::server_error());
    let error = api_error(get_version(&transport).await);
    assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(error.message().unwrap().starts_with("We have encountered an error"));
}

#[tokio::test]
async fn status_502_with_html_keeps_the_raw_body() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::bad_gateway_html());
    let error = api_error(get_version(&transport).await);
    assert_eq!(error.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(error.message(), None);
    assert_eq!(error.help(), None);
    assert!(error.body().starts_with(b"<html>"));
    assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
}

#[tokio::test]
async fn extra_error_fields_reach_the_caller() {
    let transport = ScriptedTransport::new();
    transport.push_json(
        404,
        serde_json::json!({"message": "Files not found", "help": "h", "missingFileIds": ["a", "b"], "reason": "NOT_FOUND"}),
    );
    let error = api_error(get_version(&transport).await);
    assert_eq!(error.missing_file_ids(), ["a", "b"]);
    assert_eq!(error.reason(), Some("NOT_FOUND"));
}

#[tokio::test]
async fn malformed_json_on_200_is_a_decode_error_with_path_and_excerpt() {
    let transport = ScriptedTransport::new();
    transport.push_json(200, serde_json::json!({"fileId": "f", "versionInfo": {"id": 42}}));
    match get_version(&transport).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), StatusCode::OK);
            assert_eq!(e.path(), "versionInfo.id");
            assert!(e.body_excerpt().starts_with("{\"fileId\""), "{}", e.body_excerpt());
            assert!(e.to_string().contains("versionInfo.id"), "{e}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }

    let transport = ScriptedTransport::new();
    let mut truncated = fixtures::ok(fixtures::file_version());
    let cut = truncated.body().slice(..40);
    *truncated.body_mut() = cut;
    transport.push_response(truncated);
    assert!(matches!(get_version(&transport).await, Err(Error::Decode(e)) if e.json_error().is_eof()));
}

#[tokio::test]
async fn empty_body_on_200_is_a_decode_error() {
    let transport = ScriptedTransport::new();
    let mut empty = fixtures::no_content();
    *empty.status_mut() = StatusCode::OK;
    transport.push_response(empty);
    match get_version(&transport).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), StatusCode::OK);
            assert_eq!(e.body_excerpt(), "");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn transport_failures_are_transport_errors() {
    let transport = ScriptedTransport::new();
    transport.push_error(imagekit_core::TransportError::timeout("deadline passed"));
    match get_version(&transport).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout() && !e.is_connect()),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_ids_are_rejected_before_anything_is_sent() {
    let transport = ScriptedTransport::new();
    let client = client(&transport);
    let versions = client.files().versions();
    for (result, parameter) in [
        (versions.get("", "v").await.map(|_| ()), "fileId"),
        (versions.get("f", "").await.map(|_| ()), "versionId"),
        (versions.list("").await.map(|_| ()), "fileId"),
        (versions.delete("f", "").await, "versionId"),
        (versions.restore("", "v").await.map(|_| ()), "fileId"),
        (client.files().get("..").await.map(|_| ()), "fileId"),
    ] {
        match result {
            Err(Error::InvalidInput(e)) => assert_eq!(e.parameter(), parameter),
            other => panic!("expected invalid input for {parameter}, got {other:?}"),
        }
    }
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn hostile_ids_stay_in_their_own_segment() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(fixtures::file_version()));
    let client = client(&transport);
    client.files().versions().get("a/b?c#d ../é", "v?1").await.unwrap();
    let sent = transport.last_request().unwrap();
    assert_eq!(sent.path(), "/v1/files/a%2Fb%3Fc%23d%20..%2F%C3%A9/versions/v%3F1");
    assert_eq!(sent.query(), None);
    assert_eq!(sent.path().split('/').count(), 6);
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_default() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(fixtures::file_version()));
    let client = client(&transport);
    client
        .files()
        .versions()
        .get(fixtures::FILE_ID, fixtures::VERSION_2_ID)
        .timeout(Duration::from_millis(1500))
        .await
        .unwrap();
    assert_eq!(transport.last_request().unwrap().timeout(), Some(Duration::from_millis(1500)));
}

#[tokio::test]
async fn errors_never_show_the_private_key() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::unauthorized());
    let client =
        Client::builder().private_key("private_SECRET_KEY").transport(transport.clone()).build().unwrap();
    let error = client.files().versions().get("f", "v").await.unwrap_err();
    for shown in [format!("{error}"), format!("{error:?}"), format!("{client:?}"), format!("{transport:?}")] {
        assert!(!shown.contains("SECRET"), "{shown}");
    }
    let sent = format!("{:?}", transport.last_request().unwrap());
    assert!(!sent.contains("SECRET") && !sent.contains("cHJpdmF0ZV9TRUNSRVRfS0VZOg"), "{sent}");
}
