//! What a user of the official SDKs reaches for: per-call extras, default headers and query,
//! deriving a client, the SDKs' environment names, and per-status error helpers.

use std::time::Duration;

use imagekit_core::resources::files::CopyFile;
use imagekit_core::{Client, ClientBuilder, Error, RetryPolicy, UploadSource};
use imagekit_mock::{InstantSleep, ScriptedTransport, fixtures};
use serde_json::json;

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key("private_k")
        .transport(transport.clone())
        .retry_policy(RetryPolicy::none())
        .default_header("x-team", "media")
        .default_query("trace", "1")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_call_takes_extra_headers_query_and_body_fields() {
    let transport = ScriptedTransport::new();
    let client = client(&transport);
    transport.push_response(fixtures::no_content());
    client
        .files()
        .copy(CopyFile::new("/a.jpg", "/b"))
        .header("x-request-tag", "t1")
        .header("x-team", "video")
        .query("beta", "yes")
        .body_field("newApiField", json!({"x": 1}))
        .body_field("destinationPath", "/c")
        .await
        .unwrap();
    let sent = transport.last_request().unwrap();
    assert_eq!(sent.header("x-request-tag"), Some("t1"));
    assert_eq!(sent.header("x-team"), Some("video"), "the call's header wins over the default");
    assert_eq!(sent.headers.get_all("x-team").iter().count(), 1);
    assert_eq!(sent.query(), Some("trace=1&beta=yes"), "default query first, then the call's");
    let body: serde_json::Value = sent.json().unwrap();
    assert_eq!(body, json!({"sourceFilePath": "/a.jpg", "destinationPath": "/c", "newApiField": {"x": 1}}));

    // On an upload, body fields are more form fields.
    transport.push_response(fixtures::ok(fixtures::uploaded("a.jpg", "/", 3)));
    client.files().upload(UploadSource::bytes("abc"), "a.jpg").body_field("newFormField", "v").await.unwrap();
    let parts = transport.last_request().unwrap().form_parts().unwrap();
    assert_eq!(parts.iter().find(|p| p.name == "newFormField").map(|p| p.text()).as_deref(), Some("v"));
}

#[tokio::test]
async fn authorization_cannot_be_replaced_per_call_or_by_default() {
    let transport = ScriptedTransport::new();
    let client = client(&transport);
    let error = client.files().get("f").header("Authorization", "Basic ZXZpbDo=").await.unwrap_err();
    assert!(matches!(&error, Error::InvalidInput(e) if e.parameter() == "header"), "{error:?}");
    assert!(error.to_string().contains("private key"), "{error}");
    assert_eq!(transport.request_count(), 0, "nothing is sent");
    let built = Client::builder()
        .private_key("k")
        .transport(ScriptedTransport::new())
        .default_header("authorization", "Basic x")
        .build();
    assert!(built.is_err());
}

#[tokio::test]
async fn a_derived_client_shares_the_transport_and_changes_only_what_it_says() {
    let transport = ScriptedTransport::new();
    let base = client(&transport);
    let derived = base
        .to_builder()
        .timeout(Some(Duration::from_secs(5)))
        .default_header("x-extra", "1")
        .build()
        .unwrap();
    transport.push_response(fixtures::ok(fixtures::file())).push_response(fixtures::ok(fixtures::file()));
    base.files().get("f").await.unwrap();
    derived.files().get("f").await.unwrap();
    let sent = transport.requests();
    assert_eq!(sent.len(), 2, "one transport, both clients");
    assert_eq!(sent[0].timeout(), Some(Duration::from_secs(60)));
    assert_eq!(sent[1].timeout(), Some(Duration::from_secs(5)));
    assert_eq!(sent[1].header("x-team"), Some("media"), "settings carried over");
    assert_eq!(sent[1].header("x-extra"), Some("1"));
    assert_eq!(sent[0].header("x-extra"), None, "the original is unchanged");
    assert_eq!(sent[1].basic_auth_user().as_deref(), Some("private_k"));
}

#[test]
fn the_sdks_environment_names_are_read_with_a_documented_precedence() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    };
    // The SDKs' name alone: uploads follow the base URL, as in the SDKs.
    let sdk = ClientBuilder::from_vars(env(&[
        ("IMAGEKIT_PRIVATE_KEY", "k"),
        ("IMAGE_KIT_BASE_URL", "http://127.0.0.1:4010"),
    ]))
    .transport(ScriptedTransport::new())
    .build()
    .unwrap();
    assert_eq!(sdk.base_url(), "http://127.0.0.1:4010");
    assert_eq!(sdk.upload_base_url(), "http://127.0.0.1:4010");
    // This crate's name wins, and uploads follow it too.
    let both = ClientBuilder::from_vars(env(&[
        ("IMAGEKIT_PRIVATE_KEY", "k"),
        ("IMAGEKIT_BASE_URL", "http://127.0.0.1:1"),
        ("IMAGE_KIT_BASE_URL", "http://127.0.0.1:2"),
    ]))
    .transport(ScriptedTransport::new())
    .build()
    .unwrap();
    assert_eq!(both.base_url(), "http://127.0.0.1:1");
    assert_eq!(both.upload_base_url(), "http://127.0.0.1:1");
    // Custom headers, one per line, trimmed; a line without a colon is skipped.
    let headers = ClientBuilder::from_vars(env(&[
        ("IMAGEKIT_PRIVATE_KEY", "k"),
        ("IMAGE_KIT_CUSTOM_HEADERS", "X-Team: media\n  X-Env :  staging \nnot a header"),
    ]))
    .transport(ScriptedTransport::new())
    .default_header("x-env", "prod")
    .build()
    .unwrap();
    let defaults = headers.config().default_headers();
    assert_eq!(defaults["x-team"], "media");
    assert_eq!(defaults["x-env"], "prod", "the builder wins over the environment");
    assert_eq!(defaults.len(), 2);
    // An Authorization line is refused like any other attempt to replace it.
    let refused = ClientBuilder::from_vars(env(&[
        ("IMAGEKIT_PRIVATE_KEY", "k"),
        ("IMAGE_KIT_CUSTOM_HEADERS", "Authorization: x"),
    ]))
    .transport(ScriptedTransport::new())
    .build();
    assert!(refused.is_err());
}

#[tokio::test]
async fn each_status_has_its_helper() {
    type Check = fn(&Error) -> bool;
    let helpers: [(&str, Check); 6] = [
        ("is_not_found", Error::is_not_found),
        ("is_conflict", Error::is_conflict),
        ("is_unauthorized", Error::is_unauthorized),
        ("is_forbidden", Error::is_forbidden),
        ("is_rate_limited", Error::is_rate_limited),
        ("is_server_error", Error::is_server_error),
    ];
    for (status, expected) in [
        (404, "is_not_found"),
        (409, "is_conflict"),
        (401, "is_unauthorized"),
        (403, "is_forbidden"),
        (429, "is_rate_limited"),
        (500, "is_server_error"),
        (503, "is_server_error"),
        (400, ""),
    ] {
        let transport = ScriptedTransport::new();
        transport.push_json(status, json!({"message": "m"}));
        let error = client(&transport).files().get("f").await.unwrap_err();
        for (name, helper) in helpers {
            assert_eq!(helper(&error), name == expected, "{status}: {name}");
        }
        assert!(!error.is_timeout() && !error.is_connect(), "{status}");
    }
    let transport = ScriptedTransport::new();
    transport.push_error(imagekit_core::TransportError::timeout("slow"));
    transport.push_error(imagekit_core::TransportError::connect("refused"));
    let client = client(&transport);
    let timeout = client.files().get("f").await.unwrap_err();
    assert!(timeout.is_timeout() && !timeout.is_connect() && timeout.status().is_none());
    let connect = client.files().get("f").await.unwrap_err();
    assert!(connect.is_connect() && !connect.is_timeout());
}

#[tokio::test]
async fn retry_after_is_the_wait_the_retry_loop_would_use() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::rate_limited());
    let error = client(&transport).files().get("f").await.unwrap_err();
    assert!(error.is_rate_limited());
    let headers = error.as_api().unwrap().headers().clone();
    assert_eq!(error.retry_after(), imagekit_core::retry::server_wait(&headers));
    assert!(error.retry_after().is_some());

    // And that is the wait the loop then takes.
    let sleep = InstantSleep::new();
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::rate_limited()).push_response(fixtures::ok(fixtures::file()));
    let retrying =
        Client::builder().private_key("k").transport(transport).sleeper(sleep.clone()).build().unwrap();
    retrying.files().get("f").await.unwrap();
    assert_eq!(sleep.waits(), [error.retry_after().unwrap()]);
}
