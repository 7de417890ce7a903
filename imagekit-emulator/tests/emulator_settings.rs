//! The account's settings through the client's own operations where it has them (custom
//! metadata fields, saved extensions, origins, URL endpoints, usage, named transformations,
//! account webhooks) and raw requests for what the client refuses to send: lifecycles,
//! uniqueness, secrets kept back, reset, faults and the request log.

mod common;

use common::*;
use http::{Method, StatusCode};
use imagekit_core::Client;
use imagekit_core::models::{
    CustomMetadataFieldSchema, CustomMetadataFieldType, Extension, ExtensionName, OriginType,
    WebhookEventType,
};
use imagekit_core::resources::account_webhooks::{CreateWebhook, UpdateWebhook};
use imagekit_core::resources::accounts::{CreateOrigin, CreateUrlEndpoint};
use imagekit_core::resources::custom_metadata_fields::{
    CreateCustomMetadataField, ListCustomMetadataFields, UpdateCustomMetadataField, UpdateFieldSchema,
};
use imagekit_core::resources::named_transformations::{CreateNamedTransformation, UpdateNamedTransformation};
use imagekit_core::resources::saved_extensions::{CreateSavedExtension, UpdateSavedExtension};
use imagekit_emulator::Emulator;
use serde_json::{Value, json};

fn client(emulator: &Emulator) -> Client {
    Client::builder().private_key(KEY).transport(emulator.clone()).build().unwrap()
}

fn status(error: imagekit_core::Error) -> Option<u16> {
    error.status().map(|s| s.as_u16())
}

#[tokio::test]
async fn custom_metadata_fields_are_hidden_when_deleted_and_their_names_never_reused() {
    let emulator = Emulator::new(KEY);
    let client = client(&emulator);
    let fields = client.custom_metadata_fields();
    let schema = CustomMetadataFieldSchema::new(CustomMetadataFieldType::Number).min_value(1).max_value(10);
    let price = fields.create(CreateCustomMetadataField::new("price", "Price", schema)).await.unwrap();
    assert_eq!((price.name.as_str(), price.label.as_str()), ("price", "Price"));
    assert_eq!(price.schema.min_value, Some(json!(1)));

    let duplicate = CreateCustomMetadataField::new("price", "Other", CustomMetadataFieldSchema::default());
    assert_eq!(status(fields.create(duplicate).await.unwrap_err()), Some(400));

    let update =
        UpdateCustomMetadataField::new().label("Cost").schema(UpdateFieldSchema::new().max_value(20));
    let updated = fields.update(&price.id, update).await.unwrap();
    assert_eq!(updated.label, "Cost");
    assert_eq!(updated.schema.kind, CustomMetadataFieldType::Number, "the type stays");
    assert_eq!((updated.schema.min_value, updated.schema.max_value), (None, Some(json!(20))));

    fields.delete(&price.id).await.unwrap();
    assert!(fields.list(ListCustomMetadataFields::new()).await.unwrap().is_empty());
    let all = fields.list(ListCustomMetadataFields::new().include_deleted(true)).await.unwrap();
    assert_eq!(all.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), [price.id.as_str()]);
    let again = CreateCustomMetadataField::new("price", "Price", CustomMetadataFieldSchema::default());
    assert_eq!(status(fields.create(again).await.unwrap_err()), Some(400), "the name stays taken");
    let relabel = UpdateCustomMetadataField::new().label("Back");
    assert_eq!(status(fields.update(&price.id, relabel).await.unwrap_err()), Some(400));
    assert_eq!(status(fields.delete(&price.id).await.unwrap_err()), Some(404));
    // The label of a deleted field is free again.
    fields
        .create(CreateCustomMetadataField::new("cost", "Cost", CustomMetadataFieldSchema::default()))
        .await
        .unwrap();
}

#[tokio::test]
async fn saved_extensions_carry_times_from_the_logical_clock() {
    let emulator = Emulator::new(KEY);
    let client = client(&emulator);
    let extensions = client.saved_extensions();
    let tagging = Extension::auto_tagging(ExtensionName::GoogleAutoTagging, 80, 10);
    let created =
        extensions.create(CreateSavedExtension::new("Tags", "Tags products.", tagging)).await.unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(created.created_at.as_deref(), Some("2025-01-01T00:00:01.000Z"));
    assert_eq!(created.updated_at, created.created_at);

    let updated =
        extensions.update(&id, UpdateSavedExtension::new().description("More tags.")).await.unwrap();
    assert_eq!(updated.created_at.as_deref(), Some("2025-01-01T00:00:01.000Z"));
    assert_eq!(updated.updated_at.as_deref(), Some("2025-01-01T00:00:02.000Z"));
    assert_eq!(updated.name.as_deref(), Some("Tags"), "a PATCH keeps what it does not send");
    assert_eq!(extensions.get(&id).await.unwrap(), updated);
    assert_eq!(extensions.list().await.unwrap(), [updated]);

    let bad = Extension::new(ExtensionName::GoogleAutoTagging);
    assert_eq!(
        status(extensions.create(CreateSavedExtension::new("x", "y", bad)).await.unwrap_err()),
        Some(400)
    );
    extensions.delete(&id).await.unwrap();
    assert_eq!(status(extensions.get(&id).await.unwrap_err()), Some(404));
    assert_eq!(status(extensions.get("ext_not_an_id").await.unwrap_err()), Some(400));
}

#[tokio::test]
async fn origins_never_answer_their_secrets_and_url_endpoints_need_them() {
    let emulator = Emulator::new(KEY);
    let client = client(&emulator);
    let origins = client.accounts().origins();
    let endpoints = client.accounts().url_endpoints();

    let s3 = origins.create(CreateOrigin::s3("Main", "media", "AKIA", "very secret")).await.unwrap();
    assert_eq!(s3.kind, Some(OriginType::S3));
    assert_eq!(
        (s3.prefix.as_deref(), s3.include_canonical_header, s3.use_iam_role),
        (Some(""), Some(false), Some(false))
    );
    assert!(s3.extra.is_empty(), "no credentials in {:?}", s3.extra);
    let akeneo =
        CreateOrigin::akeneo_pim("Pim", "https://pim.example.com", "client", "secret", "user", "pass");
    let akeneo = origins.create(akeneo).await.unwrap();
    assert!(akeneo.extra.is_empty(), "no credentials in {:?}", akeneo.extra);
    let raw =
        call(&emulator, Method::GET, &format!("/v1/accounts/origins/{}", akeneo.id.clone().unwrap()), None).1;
    assert!(!raw.to_string().contains("secret") && !raw.to_string().contains("pass"), "{raw}");

    let default = endpoints.get("default").await.unwrap();
    assert_eq!((default.url_prefix.as_deref(), default.origins.as_deref()), (Some(""), Some(&[][..])));
    assert_eq!(status(endpoints.delete("default").await.unwrap_err()), Some(400));

    let s3_id = s3.id.clone().unwrap();
    let ghost = CreateUrlEndpoint::new("Ghost").url_prefix("ghost").origins(["0123456789abcdef01234567"]);
    assert_eq!(status(endpoints.create(ghost).await.unwrap_err()), Some(400));
    let products = endpoints
        .create(CreateUrlEndpoint::new("Products").url_prefix("products").origins([&s3_id]))
        .await
        .unwrap();
    assert_eq!(endpoints.list().await.unwrap().len(), 2);
    assert_eq!(status(origins.delete(&s3_id).await.unwrap_err()), Some(400), "in use");
    let products_id = products.id.clone().unwrap();
    let moved =
        endpoints.update(&products_id, CreateUrlEndpoint::new("Products").url_prefix("shop")).await.unwrap();
    assert_eq!((moved.url_prefix.as_deref(), moved.origins.as_deref()), (Some("shop"), Some(&[][..])));
    origins.delete(&s3_id).await.unwrap();
    assert_eq!(status(origins.get(&s3_id).await.unwrap_err()), Some(404));
    endpoints.delete(&products_id).await.unwrap();
    assert_eq!(status(endpoints.get(&products_id).await.unwrap_err()), Some(404));
}

#[tokio::test]
async fn usage_counts_the_library_and_checks_its_dates() {
    let emulator = Emulator::new(KEY);
    emulator.seed_file("/a.txt", &b"12345"[..]).unwrap();
    emulator.seed_file("/a.txt", &b"123"[..]).unwrap();
    let client = client(&emulator);
    let usage = client.accounts().usage().get("2025-01-01", "2025-01-11").await.unwrap();
    assert_eq!(usage.media_library_storage_bytes, Some(8));
    assert_eq!(usage.bandwidth_bytes, Some(80));
    assert_eq!(emulator.stored_bytes(), 8);
    let analytics = client.accounts().usage_analytics().get("2025-01-01", "2025-01-11").await.unwrap();
    assert_eq!(analytics.start_date.as_deref(), Some("2025-01-01"));
    assert_eq!(analytics.request_count, Some(10.0));

    // The client checks the dates before sending; the emulator checks them too.
    for query in [
        "startDate=2025-01-02&endDate=2025-01-01",
        "startDate=2025-1-1&endDate=2025-01-02",
        "endDate=2025-01-01",
    ] {
        for path in ["/v1/accounts/usage", "/v1/accounts/usage-analytics"] {
            let (status, body) = call(&emulator, Method::GET, &format!("{path}?{query}"), None);
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}?{query}: {body}");
        }
    }
}

#[tokio::test]
async fn named_transformations_have_unique_names() {
    let emulator = Emulator::new(KEY);
    let client = client(&emulator);
    let named = client.named_transformations();
    let thumb = named.create(CreateNamedTransformation::new("thumb", "w-100,h-100")).await.unwrap();
    assert_eq!(thumb.enabled, Some(true));
    assert_eq!(thumb.created_at.as_deref(), Some("2025-01-01T00:00:01.000Z"));
    let hero = named.create(CreateNamedTransformation::new("hero", "w-1200").enabled(false)).await.unwrap();
    assert_eq!(hero.enabled, Some(false));
    let taken = CreateNamedTransformation::new("thumb", "w-1");
    assert_eq!(status(named.create(taken).await.unwrap_err()), Some(400));
    let hero_id = hero.id.clone().unwrap();
    let rename = UpdateNamedTransformation::new().name("thumb");
    assert_eq!(status(named.update(&hero_id, rename).await.unwrap_err()), Some(400));
    let enabled = named.update(&hero_id, UpdateNamedTransformation::new().enabled(true)).await.unwrap();
    assert_eq!((enabled.name.as_deref(), enabled.enabled), (Some("hero"), Some(true)));
    assert_eq!(named.get(&hero_id).await.unwrap(), enabled);
    assert_eq!(named.list().await.unwrap().len(), 2);
    named.delete(&hero_id).await.unwrap();
    assert_eq!(status(named.get(&hero_id).await.unwrap_err()), Some(404));
    assert_eq!(status(named.delete(&hero_id).await.unwrap_err()), Some(404));
}

#[tokio::test]
async fn account_webhooks_generate_their_secret_and_check_their_endpoint() {
    let emulator = Emulator::new(KEY);
    let client = client(&emulator);
    let hooks = client.accounts().webhooks();
    let events = [WebhookEventType::FileCreated, WebhookEventType::FolderDeleted];
    let created =
        hooks.create(CreateWebhook::new("https://hooks.example.com/ik", events.clone())).await.unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(created.enabled, Some(true), "enabled unless said otherwise");
    assert_eq!(created.events.as_deref(), Some(&events[..]));
    let secret = created.secret.clone().unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(!format!("{created:?}").contains(&secret), "Debug hides the secret");
    // The secret signs what the endpoint receives.
    let body = br#"{"type":"file.created","id":"e1","created_at":"2025-01-01T00:00:00Z","data":{}}"#;
    let headers = imagekit_mock::webhooks::sign_standard(&secret, "msg_1", 1_735_689_600, body);
    let verified = created.verifier().unwrap().now_unix(1_735_689_600).verify(&headers, body);
    assert!(verified.is_ok(), "{verified:?}");

    let update = UpdateWebhook::new().events([WebhookEventType::FileUpdated]).enabled(false);
    let updated = hooks.update(&id, update).await.unwrap();
    assert_eq!(updated.endpoint.as_deref(), Some("https://hooks.example.com/ik"));
    assert_eq!(
        (updated.events.as_deref(), updated.enabled),
        (Some(&[WebhookEventType::FileUpdated][..]), Some(false))
    );
    assert_eq!(updated.secret, created.secret, "the secret never changes");
    assert_eq!(updated.updated_at.as_deref(), Some("2025-01-01T00:00:02.000Z"));
    assert_eq!(hooks.get(&id).await.unwrap(), updated);
    assert_eq!(hooks.list().await.unwrap(), [updated]);

    // A second subscription to the same endpoint is refused; another gets its own secret.
    let same = CreateWebhook::new("https://hooks.example.com/ik", [WebhookEventType::FileDeleted]);
    assert_eq!(status(hooks.create(same).await.unwrap_err()), Some(400));
    let other = hooks.create(CreateWebhook::new("https://other.example.com", events.clone())).await.unwrap();
    assert_ne!(other.secret, created.secret);

    // What the client would refuse, sent raw: the emulator refuses it too.
    for bad in [
        json!({"endpoint": "https://hooks.example.com", "events": ["file.exploded"]}),
        json!({"endpoint": "ftp://hooks.example.com", "events": ["file.created"]}),
        json!({"endpoint": "https://hooks.example.com", "events": []}),
        json!({"events": ["file.created"]}),
        json!({"endpoint": "https://h2.example.com", "events": ["file.created"], "secret": "whsec_mine"}),
        json!({"endpoint": "https://h3.example.com", "events": ["file.created"], "enabled": "yes"}),
    ] {
        let (status, body) = call(&emulator, Method::POST, "/v1/accounts/webhooks", Some(bad.clone()));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert!(body["message"].is_string() && body["help"].is_string(), "{body}");
    }
    hooks.delete(&id).await.unwrap();
    assert_eq!(status(hooks.get(&id).await.unwrap_err()), Some(404));
    assert_eq!(status(hooks.delete(&id).await.unwrap_err()), Some(404));
}

#[test]
fn reset_forgets_the_settings_but_not_the_default_endpoint() {
    let emulator = Emulator::new(KEY);
    let requests: [(&str, Value); 6] = [
        ("/v1/customMetadataFields", json!({"name": "n", "label": "l", "schema": {"type": "Text"}})),
        (
            "/v1/saved-extensions",
            json!({"name": "n", "description": "d", "config": {"name": "ai-auto-description"}}),
        ),
        ("/v1/accounts/origins", json!({"name": "n", "type": "WEB_PROXY"})),
        ("/v1/accounts/url-endpoints", json!({"description": "d", "urlPrefix": "p"})),
        ("/v1/named-transformations", json!({"name": "n", "transformation": "w-1"})),
        ("/v1/accounts/webhooks", json!({"endpoint": "https://h.example.com", "events": ["file.created"]})),
    ];
    for (path, body) in &requests {
        assert_eq!(call(&emulator, Method::POST, path, Some(body.clone())).0, StatusCode::CREATED, "{path}");
    }
    emulator.reset();
    for (path, _) in &requests {
        let listed = call(&emulator, Method::GET, path, None).1;
        let expected = if path.ends_with("url-endpoints") { 1 } else { 0 };
        assert_eq!(listed.as_array().unwrap().len(), expected, "{path}: {listed}");
    }
    assert_eq!(call(&emulator, Method::GET, "/v1/accounts/url-endpoints/default", None).0, StatusCode::OK);
    // The same calls after a reset give the same ids.
    let (_, first) = call(&emulator, Method::POST, requests[2].0, Some(requests[2].1.clone()));
    emulator.reset();
    assert_eq!(call(&emulator, Method::POST, requests[2].0, Some(requests[2].1.clone())).1, first);
}

#[test]
fn faults_and_the_request_log_cover_the_settings() {
    let emulator = Emulator::new(KEY);
    let paths = [
        "/v1/customMetadataFields",
        "/v1/saved-extensions",
        "/v1/accounts/origins",
        "/v1/accounts/url-endpoints",
        "/v1/named-transformations",
        "/v1/accounts/webhooks",
        "/v1/accounts/usage",
        "/v1/accounts/usage-analytics",
    ];
    for path in paths {
        emulator.fail_next(Some(Method::GET), path, 1, StatusCode::SERVICE_UNAVAILABLE);
    }
    for path in paths {
        let query = if path.contains("usage") { "?startDate=2025-01-01&endDate=2025-01-02" } else { "" };
        assert_eq!(call(&emulator, Method::GET, &format!("{path}{query}"), None).0, 503, "{path}");
        assert_eq!(call(&emulator, Method::GET, &format!("{path}{query}"), None).0, 200, "{path}");
    }
    let log = emulator.requests();
    assert_eq!(log.len(), paths.len() * 2);
    for (pair, path) in log.chunks(2).zip(paths) {
        assert_eq!((pair[0].path.as_str(), pair[0].injected, pair[1].injected), (path, true, false));
        assert_eq!(pair[1].status, StatusCode::OK);
    }
    // Unknown ids of every record-style resource are 404s in ImageKit's shape; a wrong key is
    // refused before anything else.
    for path in &paths[..6] {
        let (status, body) =
            call(&emulator, Method::DELETE, &format!("{path}/0123456789abcdef01234567"), None);
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["help"], "For support kindly contact us at support@imagekit.io.");
        let mut anonymous = request(Method::GET, path, None);
        anonymous.headers_mut().remove("authorization");
        assert_eq!(parse(emulator.handle(anonymous)).0, StatusCode::UNAUTHORIZED, "{path}");
    }
}
