//! The six operations the official SDKs have beyond the public OpenAPI spec (named
//! transformations and usage analytics), tested against fixtures written from the SDKs' shapes.

use http::Method;
use imagekit_core::resources::named_transformations::{CreateNamedTransformation, UpdateNamedTransformation};
use imagekit_core::{Client, Error};
use imagekit_mock::{ScriptedTransport, fixtures};
use serde_json::{Value, json};

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder().private_key("k").transport(transport.clone()).build().unwrap()
}

fn body(transport: &ScriptedTransport) -> Value {
    transport.last_request().unwrap().json().unwrap()
}

fn invalid_field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::InvalidInput(e)) => e.parameter().to_owned(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn named_transformations_list_create_get_update_delete() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let id = fixtures::NAMED_TRANSFORMATION_ID;
    let item = format!("/v1/named-transformations/{id}");

    transport
        .expect(Method::GET, "/v1/named-transformations")
        .respond(fixtures::ok(fixtures::named_transformation_list()));
    let list = c.named_transformations().list().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].name.as_deref(), Some("product_card"));
    assert_eq!(list[1].enabled, Some(false));

    transport
        .expect(Method::POST, "/v1/named-transformations")
        .respond(fixtures::created(fixtures::named_transformation()));
    let created = c
        .named_transformations()
        .create(CreateNamedTransformation::new("product_card", "w-400,h-300,c-at_max,f-auto").enabled(true))
        .await
        .unwrap();
    assert_eq!(
        body(&transport),
        json!({"name": "product_card", "transformation": "w-400,h-300,c-at_max,f-auto", "enabled": true})
    );
    assert_eq!(created.id.as_deref(), Some(id));
    assert_eq!(created.transformation, Some("w-400,h-300,c-at_max,f-auto".to_owned()));

    transport.expect(Method::GET, &item).respond(fixtures::ok(fixtures::named_transformation()));
    assert_eq!(
        c.named_transformations().get(id).await.unwrap().created_at.as_deref(),
        Some("2024-07-02T10:11:12.000Z")
    );

    transport.expect(Method::PATCH, &item).respond(fixtures::ok(fixtures::named_transformation()));
    c.named_transformations().update(id, UpdateNamedTransformation::new().enabled(false)).await.unwrap();
    assert_eq!(body(&transport), json!({"enabled": false}));

    transport.expect(Method::DELETE, &item).respond(fixtures::no_content());
    c.named_transformations().delete(id).await.unwrap();
    transport.assert_all_consumed();
}

#[tokio::test]
async fn named_transformation_names_are_checked_before_sending() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    for name in ["", "product card", "n-thumb", "thumb/1"] {
        let create = CreateNamedTransformation::new(name, "w-100");
        assert_eq!(invalid_field(c.named_transformations().create(create).await), "name", "{name:?}");
    }
    let update = UpdateNamedTransformation::new().name("bad name");
    assert_eq!(invalid_field(c.named_transformations().update("id1", update).await), "name");
    let create = CreateNamedTransformation::new("thumb", "");
    assert_eq!(invalid_field(c.named_transformations().create(create).await), "transformation");
    let update = UpdateNamedTransformation::new().transformation("");
    assert_eq!(invalid_field(c.named_transformations().update("id1", update).await), "transformation");
    assert_eq!(invalid_field(c.named_transformations().get("").await), "id");
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn usage_analytics_reads_totals_and_breakdowns() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    transport
        .expect(Method::GET, "/v1/accounts/usage-analytics")
        .respond(fixtures::ok(fixtures::usage_analytics()));
    let analytics = c.accounts().usage_analytics().get("2024-07-01", "2024-07-08").await.unwrap();
    assert_eq!(transport.last_request().unwrap().query(), Some("startDate=2024-07-01&endDate=2024-07-08"));
    assert_eq!(analytics.request_count, Some(1_204_551.0));
    assert_eq!(analytics.start_date.as_deref(), Some("2024-07-01"));
    let cache = analytics.cache.as_ref().unwrap();
    assert_eq!(cache.hit_count, Some(1_150_020.0));
    assert_eq!(cache.miss_count, Some(51_203.0));
    assert_eq!(cache.error_count, Some(3_328.0));
    assert!(cache.extra.is_empty(), "every cache field is typed: {:?}", cache.extra);
    let browser = analytics.browser.as_ref().unwrap();
    assert_eq!(browser.by_requests[0].name.as_deref(), Some("Chrome"));
    assert_eq!(analytics.country.as_ref().unwrap().by_bandwidth[0].code.as_deref(), Some("DE"));
    assert_eq!(analytics.top_404_assets.as_ref().unwrap()[0].request_count, Some(1_200.0));
    assert_eq!(analytics.extensions.as_ref().unwrap()[0].operation_count, Some(12.0));
    assert_eq!(analytics.video_processing.as_ref().unwrap()[0].duration_seconds, Some(125.5));
    assert!(
        analytics.extra.is_empty(),
        "every field of the SDKs' shape is typed: {:?}",
        analytics.extra.keys()
    );

    assert_eq!(
        invalid_field(c.accounts().usage_analytics().get("2024-07-01", "2024-10-01").await),
        "endDate"
    );
    assert_eq!(transport.request_count(), 1);
}

#[tokio::test]
async fn account_webhooks_send_the_sdk_shape_and_refuse_bad_input() {
    use imagekit_core::models::WebhookEventType::{FileCreated, FileDeleted};
    use imagekit_core::resources::account_webhooks::{CreateWebhook, UpdateWebhook};

    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let answer = json!({"id": "wh_1", "endpoint": "https://example.com/ik", "events": ["file.created"],
        "enabled": true, "secret": "whsec_c2VjcmV0", "createdAt": "2025-01-01T00:00:00.000Z",
        "updatedAt": "2025-01-01T00:00:00.000Z", "deliveryStats": {"ok": 1}});
    transport.expect(Method::POST, "/v1/accounts/webhooks").respond(fixtures::created(answer.clone()));
    let created = c
        .accounts()
        .webhooks()
        .create(CreateWebhook::new("https://example.com/ik", [FileCreated]).enabled(true))
        .await
        .unwrap();
    assert_eq!(
        body(&transport),
        json!({"endpoint": "https://example.com/ik", "events": ["file.created"], "enabled": true})
    );
    assert_eq!(created.events.as_deref(), Some(&[FileCreated][..]));
    assert_eq!(created.extra["deliveryStats"], json!({"ok": 1}), "unknown fields are kept");
    assert!(!format!("{created:?}").contains("whsec_c2VjcmV0"));
    assert!(created.verifier().is_some());

    transport.expect(Method::PATCH, "/v1/accounts/webhooks/wh_1").respond(fixtures::ok(answer.clone()));
    c.accounts().webhooks().update("wh_1", UpdateWebhook::new().events([FileDeleted])).await.unwrap();
    assert_eq!(body(&transport), json!({"events": ["file.deleted"]}));
    transport.expect(Method::GET, "/v1/accounts/webhooks").respond(fixtures::ok(json!([answer.clone()])));
    assert_eq!(c.accounts().webhooks().list().await.unwrap().len(), 1);
    transport.expect(Method::GET, "/v1/accounts/webhooks/wh_1").respond(fixtures::ok(answer));
    c.accounts().webhooks().get("wh_1").await.unwrap();
    transport.expect(Method::DELETE, "/v1/accounts/webhooks/wh_1").respond(fixtures::no_content());
    c.accounts().webhooks().delete("wh_1").await.unwrap();
    transport.assert_all_consumed();

    let hooks = c.accounts().webhooks();
    for endpoint in ["", "example.com/ik", "ftp://example.com", "https://", "https:///path", "https://a b"] {
        let create = CreateWebhook::new(endpoint, [FileCreated]);
        assert_eq!(invalid_field(hooks.create(create).await), "endpoint", "{endpoint:?}");
    }
    assert_eq!(invalid_field(hooks.create(CreateWebhook::new("https://e.com", [])).await), "events");
    let twice = CreateWebhook::new("https://e.com", [FileCreated, FileCreated]);
    assert_eq!(invalid_field(hooks.create(twice).await), "events");
    assert_eq!(invalid_field(hooks.update("wh_1", UpdateWebhook::new()).await), "update");
    assert_eq!(invalid_field(hooks.update("wh_1", UpdateWebhook::new().endpoint("nope")).await), "endpoint");
    assert_eq!(invalid_field(hooks.get("").await), "id");
    assert!(transport.requests().len() == 5, "nothing invalid was sent");
}
