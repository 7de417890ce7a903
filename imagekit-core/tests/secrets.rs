//! The private key appears in no `Debug` or `Display` output: clients, builders, calls,
//! operations, requests as logged, errors, URL builders, webhook verifiers.

use base64::Engine as _;
use imagekit_core::{Client, Error};
use imagekit_mock::{InstantSleep, ScriptedTransport, fixtures};

const KEY: &str = "private_Zx8SECRETqQ1w=";

/// Every form the key could leak in.
fn leaks(text: &str) -> bool {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"));
    text.contains("SECRET") || text.contains(&basic) || text.contains(&basic[..16])
}

fn assert_clean(what: &str, text: String) {
    assert!(!leaks(&text), "{what} shows the key: {text}");
}

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key(KEY)
        .transport(transport.clone())
        .sleeper(InstantSleep::new())
        .build()
        .unwrap()
}

#[test]
fn clients_builders_calls_and_requests_hide_the_key() {
    let builder = Client::builder().private_key(KEY).transport(ScriptedTransport::new());
    assert_clean("ClientBuilder", format!("{builder:?} {builder:#?}"));
    let client = builder.build().unwrap();
    assert_clean("Client", format!("{client:?} {client:#?}"));
    let call = client.files().versions().get("f", "v");
    assert_clean("Call", format!("{call:?}"));
    let operation = call.into_operation().unwrap();
    assert_clean("Operation", format!("{operation:?}"));
    let request = operation.to_request(client.config()).unwrap();
    // The header is there, and correct, but a logged request does not show it.
    assert!(leaks(request.headers()["authorization"].to_str().unwrap()));
    assert_clean("HttpRequest", format!("{request:?} {request:#?}"));
    assert_clean("headers", format!("{:?}", request.headers()));
    let url_builder = client.helper().url_builder();
    assert_clean("UrlBuilder", format!("{url_builder:?}"));
}

#[test]
fn webhook_verifiers_hide_their_secret() {
    let verifier = imagekit_core::webhook::WebhookVerifier::new("whsec_SECRET");
    assert_clean("WebhookVerifier", format!("{verifier:?}"));
}

#[tokio::test]
async fn errors_of_every_kind_hide_the_key() {
    let transport = ScriptedTransport::new();
    let client = client(&transport);
    transport
        .push_response(fixtures::unauthorized())
        .push_json(200, serde_json::json!({"versionInfo": 5}))
        .push_error(imagekit_core::TransportError::other("boom"))
        .push_response(fixtures::bad_gateway_html());
    let mut shown = Vec::new();
    for _ in 0..3 {
        let error = client.files().versions().get("f", "v").no_retries().await.unwrap_err();
        shown.push(format!("{error} {error:?} {error:#?}"));
    }
    let error = client.files().get("f").no_retries().await.unwrap_err();
    shown.push(format!("{error} {error:?}"));
    let invalid = client.files().get("").await.unwrap_err();
    shown.push(format!("{invalid} {invalid:?}"));
    for text in shown {
        assert_clean("Error", text);
    }
}

#[test]
fn rejected_keys_are_not_echoed() {
    for bad in ["private_SECRET\n", "private:SECRET", "\tSECRET"] {
        let error =
            Client::builder().private_key(bad).transport(ScriptedTransport::new()).build().unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)));
        assert_clean("InvalidInput", format!("{error} {error:?}"));
    }
}
