//! What an answer may become in memory is bounded before it is decoded: the body cap bounds the
//! bytes, and a body of 2M empty objects (6 MB, answered to a versions list) would otherwise
//! become 2M 872-byte files, 2.7 GB. Real pages of files still decode.

use http::Method;
use imagekit_core::{Client, Error};
use imagekit_mock::{ScriptedTransport, fixtures};

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key("private_test_key=")
        .transport(transport.clone())
        .retry_policy(imagekit_core::RetryPolicy::none())
        .build()
        .unwrap()
}

fn versions_path() -> String {
    format!("/v1/files/{}/versions", fixtures::FILE_ID)
}

fn answer(body: String) -> imagekit_core::transport::HttpResponse {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(bytes::Bytes::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_list_of_millions_of_empty_objects_is_refused_before_decoding() {
    let body = format!("[{}]", vec!["{}"; 2_000_000].join(","));
    assert!(body.len() > 5_000_000 && body.len() < 64 * 1024 * 1024);
    let transport = ScriptedTransport::new();
    transport.expect(Method::GET, &versions_path()).respond(answer(body));
    let error = client(&transport).files().versions().list(fixtures::FILE_ID).await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("expected a decode error, got {error:?}") };
    assert!(error.report().to_string().contains("lists 2000000 items"), "{error}");
    assert_eq!(decode.meta().body().len(), 6_000_001, "the raw body is kept");
}

#[tokio::test]
async fn values_packed_densely_inside_an_answer_are_refused() {
    // One file whose AI tags are a million empty objects: each would become a 136-byte tag.
    let mut file = fixtures::file_version();
    file["AITags"] = serde_json::Value::Array(vec![serde_json::json!({}); 1_000_000]);
    let transport = ScriptedTransport::new();
    let path = format!("/v1/files/{}/versions/{}", fixtures::FILE_ID, fixtures::VERSION_2_ID);
    transport.expect(Method::GET, &path).respond(answer(file.to_string()));
    let error = client(&transport)
        .files()
        .versions()
        .get(fixtures::FILE_ID, fixtures::VERSION_2_ID)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(error.report().to_string().contains("bytes per byte of body"), "{error}");

    // An error answer as dense is kept raw, not decoded into JSON values.
    let dense = format!(r#"{{"message":"no","x":[{}]}}"#, vec!["0"; 1_000_000].join(","));
    let transport = ScriptedTransport::new();
    transport
        .expect(Method::GET, &versions_path())
        .respond(http::Response::builder().status(400).body(bytes::Bytes::from(dense)).unwrap());
    let error = client(&transport).files().versions().list(fixtures::FILE_ID).await.unwrap_err();
    let api = error.as_api().expect("an API error");
    assert_eq!(api.message(), None, "a body this dense is not interpreted");
    assert_eq!(api.status(), 400);
}

#[tokio::test]
async fn real_pages_of_files_still_decode() {
    // The largest real page: 1,000 files (ImageKit's maximum), some with tags and metadata.
    let page: Vec<serde_json::Value> = (0..1_000)
        .map(|n| if n % 2 == 0 { fixtures::catalog_file(n) } else { fixtures::file_version() })
        .collect();
    let body = serde_json::to_string(&page).unwrap();
    assert!(body.len() > 64 * 1024, "large enough to be checked");
    let transport = ScriptedTransport::new();
    transport.expect(Method::GET, &versions_path()).respond(answer(body));
    let versions = client(&transport).files().versions().list(fixtures::FILE_ID).await.unwrap();
    assert_eq!(versions.len(), 1_000);
}
