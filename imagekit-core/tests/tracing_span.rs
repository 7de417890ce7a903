//! With the `tracing` feature: one span per call carrying operation, attempt, status and
//! request id, and nothing secret. Its own test binary, because it installs a global
//! subscriber that would also see the spans of tests running beside it.
#![cfg(feature = "tracing")]

use base64::Engine as _;
use imagekit_core::Client;
use imagekit_mock::{InstantSleep, ScriptedTransport, fixtures};

const KEY: &str = "private_Zx8SECRETqQ1w=";

fn assert_clean(what: &str, text: String) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"));
    assert!(!text.contains("SECRET") && !text.contains(&basic[..16]), "{what} shows the key: {text}");
}

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key(KEY)
        .transport(transport.clone())
        .sleeper(InstantSleep::new())
        .build()
        .unwrap()
}

use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

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
        self.spans.lock().unwrap().push((format!("event {}", event.metadata().level()), fields));
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
    transport.push_response(fixtures::server_error()).push_response(fixtures::ok(fixtures::file_version()));
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

/// A client allowed to send the key in cleartext says so at `warn` when it is built.
#[test]
fn allowed_cleartext_is_a_warning() {
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        for url in ["http://127.0.0.1:4010", "http://emulator:4010"] {
            let builder = Client::builder().private_key(KEY).base_url(url).allow_insecure_http(true);
            builder.transport(ScriptedTransport::new()).build().unwrap();
        }
    });
    let spans = capture.spans.lock().unwrap().clone();
    let warnings: Vec<_> = spans.iter().filter(|(name, _)| name == "event WARN").collect();
    // One for the base URL uploads share; none for loopback.
    assert_eq!(warnings.len(), 1, "{spans:?}");
    let fields = &warnings[0].1;
    assert!(fields.iter().any(|(n, v)| n == "url" && v == "http://emulator:4010"), "{fields:?}");
    assert!(fields.iter().any(|(n, v)| n == "message" && v.contains("cleartext")), "{fields:?}");
    assert_clean("the warning", format!("{spans:?}"));
}

/// `trace` shows bodies, but not the secrets in them: an origin's secret key going out, a
/// webhook's signing secret coming back.
#[tokio::test]
async fn trace_bodies_redact_secret_fields() {
    use imagekit_core::resources::account_webhooks::CreateWebhook;
    use imagekit_core::resources::accounts::CreateOrigin;

    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let transport = ScriptedTransport::new();
    let origin = serde_json::json!({"id": "o1", "type": "S3", "name": "media", "bucket": "b", "prefix": "",
        "includeCanonicalHeader": false, "baseUrlForCanonicalHeader": null});
    transport.push_json(200, origin);
    let hook = serde_json::json!({"id": "w1", "endpoint": "https://example.com/hook", "events": ["upload.pre-transform.success"],
        "enabled": true, "secret": "whsec_TOPSECRETvalue"});
    transport.push_json(200, hook.clone());
    transport.push_json(200, serde_json::json!([hook]));
    let client = client(&transport);
    let s3 = CreateOrigin::s3("media", "b", "AKIAEXAMPLE", "s3SECRETkey");
    client.accounts().origins().create(s3).await.unwrap();
    let events = vec![imagekit_core::models::WebhookEventType::UploadPreTransformSuccess];
    client
        .accounts()
        .webhooks()
        .create(CreateWebhook::new("https://example.com/hook", events))
        .await
        .unwrap();
    client.accounts().webhooks().list().await.unwrap();

    let spans = capture.spans.lock().unwrap().clone();
    let bodies: Vec<_> = spans
        .iter()
        .filter(|(name, _)| name == "event TRACE")
        .flat_map(|(_, fields)| fields.iter().filter(|(n, _)| n == "body").map(|(_, v)| v.clone()))
        .collect();
    assert_eq!(bodies.len(), 6, "three requests and three answers: {bodies:?}");
    let all = bodies.join("\n");
    assert!(!all.contains("s3SECRETkey") && !all.contains("TOPSECRET"), "{all}");
    assert!(all.contains(r#""secretKey":"<redacted>""#) && all.contains(r#""secret":"<redacted>""#), "{all}");
    assert!(
        all.contains("AKIAEXAMPLE") && all.contains("https://example.com/hook"),
        "the rest is shown: {all}"
    );
}
