//! Uploads through the scripted transport: the form part by part, every source, the answers,
//! client-side credentials, checks before sending, retries and progress.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::Method;
use imagekit_core::models::{Extension, ExtensionName, UploadOutcome};
use imagekit_core::transport::{ByteStream, RequestBody};
use imagekit_core::upload::{
    BodySource, PostTransformation, ResponseField, UploadFile, UploadSource, UploadTransformation,
};
use imagekit_core::{Client, Error, FixedClock, RetryPolicy, TransportError, TransportErrorKind};
use imagekit_mock::multipart::Part;
use imagekit_mock::{InstantSleep, RecordedRequest, ScriptedTransport, fixtures};
use serde_json::json;

const NOW: u64 = 1_700_000_000;
const KEY: &str = "private_upload_test";

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key(KEY)
        .transport(transport.clone())
        .sleeper(InstantSleep::new())
        .clock(FixedClock(NOW))
        .retry_policy(RetryPolicy::default().with_jitter(false))
        .build()
        .unwrap()
}

fn ok_upload(transport: &ScriptedTransport) {
    transport
        .expect(Method::POST, "/api/v1/files/upload")
        .respond(fixtures::ok(fixtures::uploaded("shoe.jpg", "/catalog", 4)));
}

fn parts(request: &RecordedRequest) -> Vec<Part> {
    request.form_parts().expect("a well-formed multipart body")
}

fn texts(parts: &[Part]) -> Vec<(String, String)> {
    parts.iter().filter(|p| p.filename.is_none()).map(|p| (p.name.clone(), p.text())).collect()
}

fn invalid(result: Result<UploadOutcome, Error>) -> String {
    match result {
        Err(Error::InvalidInput(e)) => e.parameter().to_owned(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn every_field_is_sent_as_the_sdks_encode_it() {
    let transport = ScriptedTransport::new();
    ok_upload(&transport);
    let client = client(&transport);
    let mut metadata = serde_json::Map::new();
    metadata.insert("brand".into(), json!("Acme"));
    metadata.insert("price".into(), json!(12.5));
    let outcome = client
        .files()
        .upload(UploadSource::bytes(&b"\x89PNG"[..]), "shoe.png")
        .use_unique_file_name(false)
        .tags(["shoe", "red sole"])
        .folder("/catalog")
        .is_private_file(true)
        .is_published(false)
        .custom_coordinates("10,10,100,100")
        .response_fields([ResponseField::Tags, ResponseField::CustomMetadata])
        .extensions([Extension::auto_tagging(ExtensionName::GoogleAutoTagging, 95, 5)])
        .webhook_url("https://example.test/hook")
        .overwrite_file(false)
        .overwrite_ai_tags(false)
        .overwrite_tags(true)
        .overwrite_custom_metadata(false)
        .custom_metadata(metadata)
        .transformation(
            UploadTransformation::new()
                .pre("w-1200")
                .post(PostTransformation::transformation("w-300"))
                .post(PostTransformation::abs("hls", "sr-240_360")),
        )
        .checks(r#""file.size" < "1mb""#)
        .description("A shoe")
        .await
        .unwrap();
    assert_eq!(outcome.uploaded().unwrap().name.as_deref(), Some("shoe.jpg"));

    let request = transport.last_request().unwrap();
    assert_eq!(request.uri.to_string(), "https://upload.imagekit.io/api/v1/files/upload");
    assert_eq!(
        request.timeout(),
        Some(imagekit_core::config::DEFAULT_UPLOAD_TIMEOUT),
        "not the 60 s of calls"
    );
    assert_eq!(request.basic_auth_user().as_deref(), Some(KEY));
    assert_eq!(request.header("content-length"), Some(request.body.len().to_string().as_str()));
    assert_eq!(request.options.operation, "upload-file");
    let parts = parts(&request);
    let expected: Vec<(String, String)> = [
        ("fileName", "shoe.png"),
        ("useUniqueFileName", "false"),
        ("tags", "shoe,red sole"),
        ("folder", "/catalog"),
        ("isPrivateFile", "true"),
        ("isPublished", "false"),
        ("customCoordinates", "10,10,100,100"),
        ("responseFields", "tags,customMetadata"),
        ("extensions", r#"[{"name":"google-auto-tagging","minConfidence":95,"maxTags":5}]"#),
        ("webhookUrl", "https://example.test/hook"),
        ("overwriteFile", "false"),
        ("overwriteAITags", "false"),
        ("overwriteTags", "true"),
        ("overwriteCustomMetadata", "false"),
        ("customMetadata", r#"{"brand":"Acme","price":12.5}"#),
        (
            "transformation",
            r#"{"pre":"w-1200","post":[{"type":"transformation","value":"w-300"},{"type":"abs","value":"sr-240_360","protocol":"hls"}]}"#,
        ),
        ("checks", r#""file.size" < "1mb""#),
        ("description", "A shoe"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    assert_eq!(texts(&parts), expected);
    let file = parts.last().unwrap();
    assert_eq!(file.name, "file");
    assert_eq!(file.filename.as_deref(), Some("shoe.png"));
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert_eq!(&file.data[..], b"\x89PNG");
}

#[tokio::test]
async fn the_upload_timeout_is_the_clients_or_the_calls() {
    let transport = ScriptedTransport::new();
    ok_upload(&transport);
    ok_upload(&transport);
    let client = Client::builder()
        .private_key(KEY)
        .transport(transport.clone())
        .upload_timeout(std::time::Duration::from_secs(600))
        .build()
        .unwrap();
    client.files().upload(UploadSource::bytes("abcd"), "a.bin").await.unwrap();
    client
        .files()
        .upload(UploadSource::bytes("abcd"), "a.bin")
        .timeout(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    let timeouts: Vec<_> = transport.requests().iter().map(RecordedRequest::timeout).collect();
    assert_eq!(
        timeouts,
        [Some(std::time::Duration::from_secs(600)), Some(std::time::Duration::from_secs(5))]
    );
}

#[tokio::test]
async fn unset_fields_are_not_sent() {
    let transport = ScriptedTransport::new();
    ok_upload(&transport);
    client(&transport).files().upload(UploadSource::bytes("abcd"), "a.bin").await.unwrap();
    let parts = parts(&transport.last_request().unwrap());
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["fileName", "file"]);
    assert_eq!(parts[1].content_type.as_deref(), Some("application/octet-stream"));
}

#[tokio::test]
async fn url_and_base64_sources_are_text_fields() {
    for (source, value) in [
        (UploadSource::url("https://example.test/shoe.jpg"), "https://example.test/shoe.jpg"),
        (UploadSource::base64("iVBORw0KGgo="), "iVBORw0KGgo="),
        (UploadSource::base64("data:image/png;base64,iVBORw0KGgo="), "data:image/png;base64,iVBORw0KGgo="),
    ] {
        let transport = ScriptedTransport::new();
        ok_upload(&transport);
        client(&transport).files().upload(source, "shoe.jpg").await.unwrap();
        let parts = parts(&transport.last_request().unwrap());
        assert_eq!(texts(&parts), [("fileName".into(), "shoe.jpg".into()), ("file".into(), value.into())]);
        assert!(parts.iter().all(|p| p.filename.is_none()));
    }
}

/// A re-openable source that counts how often it was opened, in chunks of 3 bytes.
#[derive(Debug, Default)]
struct Counted {
    content: &'static [u8],
    opened: AtomicUsize,
    lie_about_length: Option<u64>,
}

impl BodySource for Counted {
    fn length(&self) -> u64 {
        self.lie_about_length.unwrap_or(self.content.len() as u64)
    }
    fn open(&self) -> Result<ByteStream, io::Error> {
        self.opened.fetch_add(1, Ordering::SeqCst);
        let chunks: Vec<Result<Bytes, io::Error>> =
            self.content.chunks(3).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        Ok(Box::pin(Chunks(chunks.into_iter())))
    }
}

struct Chunks(std::vec::IntoIter<Result<Bytes, io::Error>>);
impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.next())
    }
}

#[tokio::test]
async fn a_reopenable_source_is_streamed_again_on_a_connect_retry() {
    let transport = ScriptedTransport::new();
    transport.push_error(TransportError::connect(io::Error::other("refused")));
    ok_upload(&transport);
    let source = Arc::new(Counted { content: b"0123456789", ..Counted::default() });
    let outcome = client(&transport)
        .files()
        .upload(UploadSource::shared_source(source.clone()), "digits.txt")
        .await
        .unwrap();
    assert!(!outcome.is_accepted());
    assert_eq!(source.opened.load(Ordering::SeqCst), 2);
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(&parts(&requests[1]).last().unwrap().data[..], b"0123456789");
}

#[tokio::test]
async fn a_one_shot_stream_is_never_retried() {
    let transport = ScriptedTransport::new();
    transport.push_error(TransportError::connect(io::Error::other("refused")));
    ok_upload(&transport);
    let stream = RequestBody::Full(Bytes::from_static(b"once")).into_stream();
    let error =
        client(&transport).files().upload(UploadSource::stream(4, stream), "a.bin").await.unwrap_err();
    assert!(matches!(&error, Error::Transport(e) if e.is_connect()), "{error:?}");
    assert_eq!(transport.request_count(), 1);
}

#[tokio::test]
async fn uploads_retry_429_but_not_server_errors() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::rate_limited());
    ok_upload(&transport);
    client(&transport).files().upload(UploadSource::bytes("abcd"), "a.bin").await.unwrap();
    assert_eq!(transport.request_count(), 2);

    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::server_error());
    let error = client(&transport).files().upload(UploadSource::bytes("abcd"), "a.bin").await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(transport.request_count(), 1);
    for kind in [TransportErrorKind::Timeout, TransportErrorKind::Io] {
        let transport = ScriptedTransport::new();
        transport.push_error(TransportError::with_message(kind, "lost"));
        ok_upload(&transport);
        client(&transport).files().upload(UploadSource::bytes("abcd"), "a.bin").await.unwrap_err();
        assert_eq!(transport.request_count(), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn a_source_that_breaks_its_length_fails_the_upload() {
    for lie in [4, 20] {
        let transport = ScriptedTransport::new();
        ok_upload(&transport);
        let source = Counted { content: b"0123456789", lie_about_length: Some(lie), ..Counted::default() };
        let error =
            client(&transport).files().upload(UploadSource::source(source), "a.bin").await.unwrap_err();
        match error {
            Error::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::BodySource, "{e}"),
            other => panic!("expected a body source error, got {other:?}"),
        }
        assert_eq!(transport.request_count(), 0, "the default transport buffers, so nothing was sent");
    }
}

#[tokio::test]
async fn progress_reaches_the_total() {
    let transport = ScriptedTransport::new();
    ok_upload(&transport);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let content = Bytes::from(vec![7u8; 600 * 1024]);
    client(&transport)
        .files()
        .upload(UploadSource::bytes(content), "big.bin")
        .on_progress(move |sent, total| record.lock().unwrap().push((sent, total)))
        .await
        .unwrap();
    let body_length = transport.last_request().unwrap().body.len() as u64;
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 3, "reported in chunks: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 == w[1].1));
    assert_eq!(*seen.last().unwrap(), (body_length, body_length));
}

#[tokio::test]
async fn ok_and_accepted_answers_are_typed() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::upload_accepted());
    let outcome = client(&transport).files().upload_v2(UploadSource::bytes("v"), "v.mp4").await.unwrap();
    assert_eq!(
        outcome,
        UploadOutcome::Accepted { message: Some("The pre-transformation has been queued.".into()) }
    );
    assert_eq!(transport.last_request().unwrap().path(), "/api/v2/files/upload");

    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(json!({"fileId": "f1", "duration": 3, "newField": true})));
    let upload =
        client(&transport).files().upload(UploadSource::bytes("v"), "v.mp4").send_with_meta().await.unwrap();
    assert_eq!(upload.meta.status(), 200);
    let upload = upload.data.into_uploaded().unwrap();
    assert_eq!((upload.file_id.as_deref(), upload.duration), (Some("f1"), Some(3.0)));
    assert_eq!(upload.extra["newField"], true);

    let transport = ScriptedTransport::new();
    transport.push_json(400, json!({"message": "Your request contains invalid file parameter."}));
    let error = client(&transport).files().upload(UploadSource::bytes("v"), "v.mp4").await.unwrap_err();
    assert_eq!(error.as_api().unwrap().message(), Some("Your request contains invalid file parameter."));
}

#[tokio::test]
async fn bad_input_is_refused_before_any_byte_is_sent() {
    let transport = ScriptedTransport::new();
    let client = client(&transport);
    let files = client.files();
    let bytes = || UploadSource::bytes("abc");
    assert_eq!(invalid(files.upload(bytes(), "").await), "fileName");
    assert_eq!(invalid(files.upload(bytes(), "  ").await), "fileName");
    assert_eq!(invalid(files.upload(UploadSource::bytes(""), "a.jpg").await), "file");
    let empty_stream = RequestBody::Full(Bytes::new()).into_stream();
    assert_eq!(invalid(files.upload(UploadSource::stream(0, empty_stream), "a.jpg").await), "file");
    assert_eq!(invalid(files.upload(UploadSource::url(""), "a.jpg").await), "file");
    assert_eq!(invalid(files.upload(UploadSource::url("ftp://x/a.jpg"), "a.jpg").await), "file");
    assert_eq!(invalid(files.upload(UploadSource::base64(" "), "a.jpg").await), "file");
    assert_eq!(invalid(files.upload(bytes(), "a.jpg").tags(["50%"]).await), "tags");
    assert_eq!(invalid(files.upload(bytes(), "a.jpg").tags(["a,b"]).await), "tags");
    assert_eq!(invalid(files.upload(bytes(), "a.jpg").tags([""]).await), "tags");
    let long: Vec<String> = (0..11).map(|_| "x".repeat(50)).collect();
    assert_eq!(invalid(files.upload(bytes(), "a.jpg").tags(long).await), "tags");
    let exactly: Vec<String> = (0..10).map(|_| "é".repeat(50)).collect();
    assert!(UploadFile::new("a.jpg").tags(exactly).validate().is_ok(), "500 characters are allowed");

    let past = client.helper().authentication_parameters(Some("t"), Some(NOW + 60)).unwrap();
    let late = Client::builder()
        .private_key(KEY)
        .transport(transport.clone())
        .clock(FixedClock(NOW + 120))
        .build()
        .unwrap();
    let upload = late.files().upload(bytes(), "a.jpg").client_side_auth("public_k", past);
    assert_eq!(invalid(upload.await), "expire");
    assert_eq!(transport.request_count(), 0);
}

#[test]
fn authentication_parameters_match_the_sdk_vector() {
    let vectors: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/signatures-misc.json"),
        )
        .expect("the signature vectors in tests/vectors"),
    )
    .unwrap();
    let vector = vectors["vectors"].as_array().unwrap().iter().find(|v| v["id"] == "auth-001").unwrap();
    let token = vector["input"]["token"].as_str().unwrap();
    let expire = vector["input"]["expire"].as_u64().unwrap();
    let client = Client::builder()
        .private_key(vector["private_key"].as_str().unwrap())
        .transport(ScriptedTransport::new())
        .clock(FixedClock(expire - 1800))
        .build()
        .unwrap();
    let params = client.helper().authentication_parameters(Some(token), Some(expire)).unwrap();
    assert_eq!(serde_json::to_value(&params).unwrap(), vector["expected"]);
}

#[test]
fn authentication_parameters_defaults_and_limits() {
    let client = client(&ScriptedTransport::new());
    let params = client.helper().authentication_parameters(None, None).unwrap();
    assert_eq!(params.expire, NOW + 1800);
    assert_eq!(params.token.len(), 36);
    assert_eq!(params.token.as_bytes()[14], b'4', "a UUIDv4: {}", params.token);
    assert_eq!(params.signature, imagekit_core::url::sign_upload_params(KEY, &params.token, params.expire));
    let other = client.helper().authentication_parameters(Some(""), Some(0)).unwrap();
    assert_ne!(other.token, params.token, "a fresh token each time");
    assert_eq!(other.expire, NOW + 1800, "0 and \"\" fall back to the defaults, as in the SDKs");
    for expire in [NOW - 1, NOW, NOW + 3600, NOW + 86_400] {
        match client.helper().authentication_parameters(Some("t"), Some(expire)) {
            Err(Error::InvalidInput(e)) => assert_eq!(e.parameter(), "expire"),
            other => panic!("{expire}: {other:?}"),
        }
    }
    assert!(client.helper().authentication_parameters(Some("t"), Some(NOW + 3599)).is_ok());
}

#[tokio::test]
async fn v1_client_side_auth_sends_signed_fields_and_no_private_key() {
    let transport = ScriptedTransport::new();
    ok_upload(&transport);
    let client = client(&transport);
    let params = client.helper().authentication_parameters(Some("tok-1"), None).unwrap();
    client
        .files()
        .upload(UploadSource::bytes("abc"), "a.jpg")
        .client_side_auth("public_abc", params.clone())
        .await
        .unwrap();
    let request = transport.last_request().unwrap();
    assert_eq!(request.header("authorization"), None);
    let texts = texts(&parts(&request));
    let field = |name: &str| texts.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert_eq!(field("publicKey").as_deref(), Some("public_abc"));
    assert_eq!(field("token").as_deref(), Some("tok-1"));
    assert_eq!(field("expire"), Some((NOW + 1800).to_string()));
    assert_eq!(field("signature"), Some(params.signature));
}

#[tokio::test]
async fn a_v1_dedup_token_goes_next_to_the_private_key() {
    let transport = ScriptedTransport::new();
    ok_upload(&transport);
    let client = client(&transport);
    client.files().upload(UploadSource::bytes("abc"), "a.jpg").dedup_token("tok-42").await.unwrap();
    let request = transport.last_request().unwrap();
    assert!(request.header("authorization").is_some_and(|v| v.starts_with("Basic ")));
    let texts = texts(&parts(&request));
    assert_eq!(texts.iter().filter(|(n, _)| n == "token").count(), 1);
    assert!(texts.contains(&("token".to_owned(), "tok-42".to_owned())));
    assert!(!texts.iter().any(|(n, _)| n == "signature" || n == "publicKey"));

    // With client-side credentials the token is the signed one: a second is refused.
    let params = client.helper().authentication_parameters(Some("tok-1"), None).unwrap();
    let both = client
        .files()
        .upload(UploadSource::bytes("abc"), "a.jpg")
        .client_side_auth("public_abc", params)
        .dedup_token("tok-42")
        .await
        .unwrap_err();
    assert_eq!(both.as_invalid_input().map(|i| i.parameter()), Some("token"));
    assert_eq!(transport.requests().len(), 1);
}

#[test]
fn the_v2_token_is_an_hs256_jwt_over_the_fields() {
    // Computed independently (Python hmac/base64/json) for these inputs.
    const EXPECTED: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InB1YmxpY19rZXlfdGVzdCJ9.\
        eyJmaWxlTmFtZSI6InNob2UuanBnIiwidXNlVW5pcXVlRmlsZU5hbWUiOiJmYWxzZSIsInRhZ3MiOiJhLGIiLCJmb2xkZXIiOiIvY2F0YWxvZyIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAxODAwfQ.\
        g_5Jg07QaoymKWjrEYWRXL7lhPdjhw0ErMtbMarVtSE";
    let params = UploadFile::new("shoe.jpg").use_unique_file_name(false).tags(["a", "b"]).folder("/catalog");
    let jwt = imagekit_core::upload::auth::upload_v2_token(
        "private_key_test",
        "public_key_test",
        &params,
        1_700_000_000,
        1_700_001_800,
    )
    .unwrap();
    assert_eq!(jwt, EXPECTED);
    let client = Client::builder()
        .private_key("private_key_test")
        .transport(ScriptedTransport::new())
        .clock(FixedClock(1_700_000_000))
        .build()
        .unwrap();
    let from_client = client
        .helper()
        .upload_v2_token("public_key_test", &params, std::time::Duration::from_secs(1800))
        .unwrap();
    assert_eq!(from_client, EXPECTED);
    assert!(
        client
            .helper()
            .upload_v2_token("public_key_test", &params, std::time::Duration::from_secs(3600))
            .is_err()
    );
    assert!(client.helper().upload_v2_token("", &params, std::time::Duration::from_secs(60)).is_err());
}

#[tokio::test]
async fn v2_jwt_auth_sends_the_token_over_the_same_fields() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(fixtures::uploaded("shoe.jpg", "/", 3)));
    let client = client(&transport);
    client
        .files()
        .upload_v2(UploadSource::bytes("abc"), "shoe.jpg")
        .folder("/catalog")
        .jwt_auth("public_key_test", std::time::Duration::from_secs(600))
        .await
        .unwrap();
    let request = transport.last_request().unwrap();
    assert_eq!(request.header("authorization"), None);
    let texts = texts(&parts(&request));
    let token = texts.iter().find(|(n, _)| n == "token").map(|(_, v)| v.clone()).unwrap();
    let expected = imagekit_core::upload::auth::upload_v2_token(
        KEY,
        "public_key_test",
        &UploadFile::new("shoe.jpg").folder("/catalog"),
        NOW,
        NOW + 600,
    )
    .unwrap();
    assert_eq!(token, expected);
    // v1 credentials on v2, and the reverse, are mistakes caught before sending.
    let params = client.helper().authentication_parameters(None, None).unwrap();
    let wrong = client.files().upload_v2(UploadSource::bytes("a"), "a").client_side_auth("pk", params).await;
    assert_eq!(invalid(wrong), "signature");
    let wrong = client
        .files()
        .upload(UploadSource::bytes("a"), "a")
        .jwt_auth("pk", std::time::Duration::from_secs(60))
        .await;
    assert_eq!(invalid(wrong), "token");
    assert_eq!(transport.request_count(), 1);
}

#[tokio::test]
async fn a_form_with_a_file_is_a_streamed_request() {
    let client = client(&ScriptedTransport::new());
    let source = Counted { content: b"abc", ..Counted::default() };
    let operation = client.files().upload(UploadSource::source(source), "a").into_operation().unwrap();
    assert!(operation.body().is_streamed());
    let request = operation.to_request(client.config()).unwrap();
    assert!(matches!(request.body(), imagekit_core::transport::RequestBody::Stream(_)));
    let length = request.body().length();
    assert_eq!(request.headers()["content-length"], length.to_string().as_str());
    assert_eq!(request.into_body().collect().await.unwrap().len() as u64, length);
}
