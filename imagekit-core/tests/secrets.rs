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
    let request = operation.to_http_request(&client, None).unwrap();
    // The header is there, and correct, but a logged request does not show it.
    assert!(leaks(request.headers()["authorization"].to_str().unwrap()));
    assert_clean("HttpRequest", format!("{request:?} {request:#?}"));
    assert_clean("headers", format!("{:?}", request.headers()));
    let url_builder = client.url_builder();
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

/// With the `tracing` feature: one span per call carrying operation, attempt, status and
/// request id, and nothing secret.
#[cfg(feature = "tracing")]
mod spans {
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    use super::*;

    /// Spans and events by name, each with its recorded fields.
    type Recorded = Vec<(String, Vec<(String, String)>)>;

    #[derive(Clone, Default)]
    struct Capture {
        spans: Arc<Mutex<Recorded>>,
    }

    struct Fields<'a>(&'a mut Vec<(String, String)>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.push((field.name().to_owned(), value.to_owned()));
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, attributes: &Attributes<'_>) -> Id {
            let mut spans = self.spans.lock().unwrap();
            let mut fields = Vec::new();
            attributes.record(&mut Fields(&mut fields));
            spans.push((attributes.metadata().name().to_owned(), fields));
            Id::from_u64(spans.len() as u64)
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut spans = self.spans.lock().unwrap();
            let index = span.into_u64() as usize - 1;
            values.record(&mut Fields(&mut spans[index].1));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut fields = Vec::new();
            event.record(&mut Fields(&mut fields));
            self.spans.lock().unwrap().push(("event".to_owned(), fields));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[tokio::test]
    async fn one_span_per_call_with_its_outcome_and_no_secret() {
        let capture = Capture::default();
        // The only test in this binary that sets a subscriber, so a global one is safe.
        tracing::subscriber::set_global_default(capture.clone()).unwrap();
        let transport = ScriptedTransport::new();
        transport
            .push_response(fixtures::server_error())
            .push_response(fixtures::ok(fixtures::file_version()));
        client(&transport).files().versions().get("f", "v").await.unwrap();

        let spans = capture.spans.lock().unwrap().clone();
        let calls: Vec<_> = spans.iter().filter(|(name, _)| name == "imagekit.call").collect();
        assert_eq!(calls.len(), 1, "{spans:?}");
        let fields = &calls[0].1;
        let last = |name: &str| fields.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        assert_eq!(last("operation").as_deref(), Some("get-file-version-details"));
        assert_eq!(last("attempt").as_deref(), Some("2"));
        assert_eq!(last("status").as_deref(), Some("200"));
        assert_eq!(last("request_id").as_deref(), Some(fixtures::REQUEST_ID));
        assert_clean("spans", format!("{spans:?}"));
    }
}
