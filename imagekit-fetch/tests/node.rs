//! The crate in a real JavaScript host: Node, through `wasm-bindgen-test-runner`, against the
//! emulator's HTTP server.
//!
//! `.ci/run` starts `imagekit-emulator` and `.ci/dead_ports.py` (a port that never answers, one
//! that refuses connections) and passes their URLs in `IMAGEKIT_EMULATOR_URL`,
//! `IMAGEKIT_SILENT_URL` and `IMAGEKIT_REFUSED_URL`. The tests read them from Node's
//! `process.env` and fail, naming the variable, when one is missing. By hand:
//!
//! ```text
//! cargo run -p imagekit-emulator &   # prints its URL
//! python3 .ci/dead_ports.py &                            # prints two URLs
//! export IMAGEKIT_EMULATOR_URL=... IMAGEKIT_SILENT_URL=... IMAGEKIT_REFUSED_URL=...
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test -p imagekit-fetch --target wasm32-unknown-unknown
//! ```
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use imagekit_core::models::FileKind;
use imagekit_core::runtime::Random;
use imagekit_core::transport::{HttpTransport, RequestBody, RequestOptions};
use imagekit_core::url::SrcOptions;
use imagekit_core::webhook::{WebhookError, WebhookEvent, WebhookVerifier};
use imagekit_core::{Client, Clock, Error, RetryPolicy, TransportErrorKind, UploadSource};
use imagekit_fetch::{CryptoRandom, DateClock, FetchTransport};
use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// The emulator's default private key (`imagekit-emulator` without `--private-key`).
const EMULATOR_KEY: &str = "private_emulator";

/// A variable of Node's environment; `None` where there is no `process` (a browser).
fn env_var(name: &str) -> Option<String> {
    let process = Reflect::get(&js_sys::global(), &JsValue::from_str("process")).ok()?;
    let env = Reflect::get(&process, &JsValue::from_str("env")).ok()?;
    Reflect::get(&env, &JsValue::from_str(name)).ok()?.as_string().filter(|v| !v.is_empty())
}

fn required_url(name: &str, what: &str) -> String {
    env_var(name).unwrap_or_else(|| {
        panic!(
            "{name} is not set: these tests need {what}. Run them through .ci/run, or start it \
             and export {name}=http://127.0.0.1:PORT (see the top of tests/node.rs)"
        )
    })
}

fn emulator_url() -> String {
    required_url("IMAGEKIT_EMULATOR_URL", "the emulator's HTTP server (imagekit-emulator)")
}

fn emulator_client() -> Client {
    let url = emulator_url();
    imagekit_fetch::builder()
        .private_key(EMULATOR_KEY)
        .base_url(&url)
        .upload_base_url(&url)
        .build()
        .expect("a client for the emulator")
}

/// A random hex name, so a test run again against the same emulator starts from nothing.
fn unique() -> String {
    let mut bytes = [0u8; 6];
    assert!(CryptoRandom.fill(&mut bytes), "crypto.getRandomValues is available in Node");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Uploads `photo.jpg` twice to a new folder: a file with two versions. Returns its id and path.
async fn file_with_two_versions(client: &Client) -> (String, String) {
    let folder = format!("/wasm-{}", unique());
    let first = client
        .files()
        .upload(UploadSource::bytes(&b"first version"[..]), "photo.jpg")
        .folder(&folder)
        .use_unique_file_name(false)
        .await
        .expect("the first upload")
        .into_uploaded()
        .expect("the emulator stores uploads at once");
    let file_id = first.file_id.clone().expect("an uploaded file has an id");
    let second = client
        .files()
        .upload(UploadSource::bytes(&b"second, longer version"[..]), "photo.jpg")
        .folder(&folder)
        .use_unique_file_name(false)
        .await
        .expect("the second upload")
        .into_uploaded()
        .expect("the emulator stores uploads at once");
    assert_eq!(second.file_id.as_deref(), Some(file_id.as_str()), "same path, same file");
    (file_id, format!("{folder}/photo.jpg"))
}

#[wasm_bindgen_test]
async fn gets_a_file_versions_details() {
    let client = emulator_client();
    let (file_id, path) = file_with_two_versions(&client).await;

    let versions = client.files().versions().list(&file_id).await.expect("list the versions");
    assert_eq!(versions.len(), 2, "{versions:?}");
    let first = versions.iter().find(|v| v.version_name() == Some("Version 1")).expect("Version 1 is listed");
    let version_id = first.version_id().expect("a listed version has an id").to_owned();

    let version = client.files().versions().get(&file_id, &version_id).await.expect("get the version");
    assert_eq!(version.file_id.as_deref(), Some(file_id.as_str()));
    assert_eq!(version.kind, Some(FileKind::FileVersion));
    assert_eq!(version.version_id(), Some(version_id.as_str()));
    assert_eq!(version.version_name(), Some("Version 1"));
    assert_eq!(version.name.as_deref(), Some("photo.jpg"));
    assert_eq!(version.file_path.as_deref(), Some(path.as_str()));
    assert_eq!(version.size, Some(b"first version".len() as f64), "the first upload's size");
}

/// `v7-119` and `v7-120` of `imagekit-core/tests/vectors/url-v7.json`: the official Node SDK's expected
/// output, so the wasm build signs byte for byte as the SDKs do.
#[wasm_bindgen_test]
fn signs_urls_as_the_sdks_do() {
    let client = imagekit_fetch::client("dummy-key").expect("a client needs no network");
    let signed = |src: &str| {
        let options = SrcOptions::new("https://ik.imagekit.io/demo/", src).signed(true);
        client.helper().build_src(&options).expect("a valid URL")
    };
    assert_eq!(
        signed("sdk-testing-files/future-search.png"),
        "https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?ik-s=32dbbbfc5f945c0403c71b54c38e76896ef2d6b0"
    );
    assert_eq!(
        signed("sdk-testing-files/\u{939}\u{93f}\u{928}\u{94d}\u{926}\u{940}.png"),
        "https://ik.imagekit.io/demo/sdk-testing-files/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80.png\
         ?ik-s=3fff2f31da1f45e007adcdbe95f88c8c330e743c"
    );

    // An expiring URL takes "now" from Date.now(), through the DateClock the builder set.
    let options = SrcOptions::new("https://ik.imagekit.io/demo/", "a.png").expires_in(300);
    let url = client.helper().build_src(&options).expect("a valid URL");
    let expiry: f64 = url
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("ik-t="))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no ik-t in {url}"));
    let expected = (now_ms() / 1000.0).floor() + 300.0;
    assert!((expiry - expected).abs() <= 5.0, "ik-t {expiry} is not now + 300 s ({expected})");
}

fn webhook_headers(id: &str, timestamp: &str, signature: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert("webhook-id", id.parse().expect("header"));
    headers.insert("webhook-timestamp", timestamp.parse().expect("header"));
    headers.insert("webhook-signature", signature.parse().expect("header"));
    headers
}

#[wasm_bindgen_test]
fn verifies_webhooks_and_refuses_tampered_ones() {
    // `webhook-std-001` of imagekit-core/tests/vectors/signatures-misc.json, accepted by the Node SDK.
    let secret = "whsec_c2VjcmV0Cg==";
    let body = r#"{"id":"id","type":"file.deleted","created_at":"2023-11-14T22:13:20.000Z","data":{"fileId":"598821f949c0a938d57563bd"}}"#;
    let headers = webhook_headers(
        "msg_2Lh9KRb0pzN4LePd3XiA4xN6VJZ",
        "1700000000",
        "v1,ISMOMVthL1XrSmlZhf/32IFQDXlJB11kw2BA081WDSg=",
    );
    let at_signing = WebhookVerifier::new(secret).now_unix(1_700_000_060);
    let verified = at_signing.verify(&headers, body).expect("the SDK's vector verifies");
    assert_eq!(verified.webhook_id.as_deref(), Some("msg_2Lh9KRb0pzN4LePd3XiA4xN6VJZ"));
    match verified.event {
        WebhookEvent::FileDeleted(event) => {
            assert_eq!(event.data.file_id, "598821f949c0a938d57563bd")
        }
        other => panic!("expected file.deleted, got {other:?}"),
    }
    let tampered = body.replace("598821f949c0a938d57563bd", "598821f949c0a938d57563be");
    assert!(matches!(at_signing.verify(&headers, &tampered), Err(WebhookError::SignatureMismatch)));

    // Through the client, on the host's clock: the 2023 vector is too old now, and a body
    // signed this second verifies (signed here as ImageKit signs: HMAC-SHA256 keyed with the
    // whole secret, over id.timestamp.body).
    let client = imagekit_fetch::builder()
        .private_key("private_key")
        .webhook_secret(secret)
        .build()
        .expect("a client needs no network");
    assert!(matches!(
        client.webhooks().unwrap(&headers, body),
        Err(WebhookError::TimestampOutOfTolerance { .. })
    ));
    let now = DateClock.now_unix().expect("Date.now() is a time").to_string();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("msg_fresh.{now}.{body}").as_bytes());
    let signature =
        format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
    let fresh = webhook_headers("msg_fresh", &now, &signature);
    let verified = client.webhooks().unwrap(&fresh, body).expect("a fresh webhook verifies");
    assert_eq!(verified.event.event_type(), "file.deleted");
    assert!(matches!(client.webhooks().unwrap(&fresh, &tampered), Err(WebhookError::SignatureMismatch)));
}

#[wasm_bindgen_test]
async fn a_missing_file_is_a_typed_404() {
    let client = emulator_client();
    let error = client.files().get("000000000000000000000000").await.expect_err("no such file");
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let api = error.as_api().expect("an API error");
    assert_eq!(api.message(), Some("The requested file does not exist."));

    let error =
        client.files().versions().get("000000000000000000000000", "1").await.expect_err("no such file");
    assert!(error.is_not_found(), "{error:?}");
}

/// The README's browser flow: a server computes v1 upload credentials with the private key
/// (a random token from crypto.getRandomValues, an expiry on Date.now()), and a page's client,
/// which has only a placeholder key, uploads with them and the public key.
#[wasm_bindgen_test]
async fn a_page_uploads_with_credentials_its_server_computed() {
    let server = emulator_client();
    let params = server.helper().authentication_parameters(None, None).expect("credentials from the server");
    assert_eq!(params.token.len(), 36, "a UUIDv4 token: {}", params.token);

    let url = emulator_url();
    let page = imagekit_fetch::builder()
        .private_key("placeholder-never-sent")
        .base_url(&url)
        .upload_base_url(&url)
        .build()
        .expect("a client for the page");
    let folder = format!("/wasm-{}", unique());
    let uploaded = page
        .files()
        .upload(UploadSource::bytes(&b"from the page"[..]), "page.jpg")
        .folder(&folder)
        .use_unique_file_name(false)
        .client_side_auth("public_emulator", params)
        .await
        .expect("the emulator accepts the server's signature")
        .into_uploaded()
        .expect("stored at once");
    let file_id = uploaded.file_id.expect("an uploaded file has an id");

    let file = server.files().get(&file_id).await.expect("the server sees the page's upload");
    assert_eq!(file.file_path.as_deref(), Some(format!("{folder}/page.jpg").as_str()));
    // The page's placeholder is no key: anything else it tries is refused.
    let refused = page.files().get(&file_id).await.expect_err("the placeholder is not the key");
    assert!(refused.is_forbidden(), "{refused:?}");
}

/// What the emulator's admin endpoints say, through the transport alone.
async fn admin(method: http::Method, path: &str, body: serde_json::Value) -> serde_json::Value {
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    let request = http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", emulator_url()))
        .header("content-type", "application/json")
        .body(RequestBody::Full(body.into()))
        .expect("a valid request");
    let response =
        FetchTransport::new().send(request, RequestOptions::default()).await.expect("the admin answer");
    assert!(response.status().is_success(), "{path}: {}", response.status());
    serde_json::from_slice(response.body()).expect("JSON from the admin endpoint")
}

#[wasm_bindgen_test]
async fn retries_injected_5xx_after_waiting_on_set_timeout() {
    let client = emulator_client();
    let (file_id, path) = file_with_two_versions(&client).await;
    let details = format!("/v1/files/{file_id}/details");
    let rule = serde_json::json!({"method": "GET", "pathPrefix": details, "times": 2, "status": 503});
    admin(http::Method::POST, "/__emulator/faults", rule).await;

    let backoff = Duration::from_millis(100);
    let patient = client
        .to_builder()
        .retry_policy(RetryPolicy::default().with_backoff(backoff, backoff).with_jitter(false))
        .build()
        .expect("a client with retries");
    let started = now_ms();
    let file = patient.files().get(&file_id).await.expect("the third attempt succeeds");
    let waited = now_ms() - started;
    assert_eq!(file.file_path.as_deref(), Some(path.as_str()));
    assert!(waited >= 190.0, "two waits of 100 ms on setTimeout, took {waited} ms");

    let log = admin(http::Method::GET, "/__emulator/requests", serde_json::Value::Null).await;
    let attempts: Vec<_> = log
        .as_array()
        .expect("the request log is a list")
        .iter()
        .filter(|r| r["method"] == "GET" && r["path"] == details.as_str())
        .map(|r| (r["status"].as_u64(), r["injected"].as_bool()))
        .collect();
    assert_eq!(attempts, [(Some(503), Some(true)), (Some(503), Some(true)), (Some(200), Some(false))]);
}

#[wasm_bindgen_test]
async fn an_answer_over_the_body_cap_is_refused() {
    let client = emulator_client();
    let (file_id, _) = file_with_two_versions(&client).await;
    let capped = client.to_builder().max_response_bytes(64).build().expect("a capped client");
    let error = capped.files().versions().list(&file_id).await.expect_err("two versions are over 64 bytes");
    let kind = error.as_transport().map(|e| e.kind());
    assert_eq!(kind, Some(TransportErrorKind::BodyTooLarge), "{error:?}");
}

fn silent_client() -> imagekit_core::ClientBuilder {
    let url = required_url("IMAGEKIT_SILENT_URL", "a loopback port that accepts and never answers");
    imagekit_fetch::builder().private_key("private_key").base_url(url).retry_policy(RetryPolicy::none())
}

fn assert_timed_out(error: &Error, started: f64, at_least_ms: f64) {
    let elapsed = now_ms() - started;
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.as_transport().map(|e| e.kind()), Some(TransportErrorKind::Timeout));
    assert!(elapsed >= at_least_ms - 5.0, "gave up after {elapsed} ms, before its {at_least_ms} ms");
    assert!(elapsed < 10_000.0, "took {elapsed} ms to give up");
}

#[wasm_bindgen_test]
async fn an_attempt_past_its_timeout_is_aborted_as_a_timeout() {
    let client = silent_client().timeout(Some(Duration::from_millis(300))).build().expect("a client");
    let started = now_ms();
    let error = client.files().get("f1").await.expect_err("nothing answers");
    assert_timed_out(&error, started, 300.0);
}

#[wasm_bindgen_test]
async fn a_call_past_its_deadline_ends_as_a_timeout() {
    let client =
        silent_client().timeout(None).deadline(Some(Duration::from_millis(300))).build().expect("a client");
    let started = now_ms();
    let error = client.files().get("f1").await.expect_err("nothing answers");
    assert_timed_out(&error, started, 300.0);
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_connect_in_node() {
    // Node names the cause (ECONNREFUSED), so this failure is known to have sent nothing.
    let url = required_url("IMAGEKIT_REFUSED_URL", "a loopback port that refuses connections");
    let client = imagekit_fetch::builder()
        .private_key("private_key")
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");
    let error = client.files().get("f1").await.expect_err("nothing listens there");
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.is_timeout(), "{error:?}");
}

#[wasm_bindgen_test]
fn the_random_source_fills_past_the_web_crypto_quota() {
    let (mut a, mut b) = (vec![0u8; 100_000], vec![0u8; 100_000]);
    assert!(CryptoRandom.fill(&mut a) && CryptoRandom.fill(&mut b));
    assert_ne!(a, b);
    // The second 64 KiB chunk is filled too, not left zero.
    assert!(a[65_536..].iter().any(|&byte| byte != 0));
}
