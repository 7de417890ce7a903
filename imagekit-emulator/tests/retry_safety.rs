//! Retry safety per operation: the server acts, then its answer is lost (a timeout, a dropped
//! connection, a 503 from a proxy). What the client does next depends on what repeating the
//! operation would do, not on its HTTP method:
//!
//! * an idempotent operation is retried and succeeds;
//! * a deletion is retried, and the 404 the repeat gets says an earlier attempt may have
//!   deleted it;
//! * anything else (creates, uploads, copies, moves, renames, restores) is not retried: the
//!   caller gets the failure, and the server acted exactly once.
//!
//! Every operation runs through the emulator, which really acts on the first attempt.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::KEY;
use imagekit_core::models::{
    CustomMetadataFieldSchema, CustomMetadataFieldType, Extension, WebhookEventType,
};
use imagekit_core::resources::account_webhooks::{CreateWebhook, UpdateWebhook};
use imagekit_core::resources::accounts::{CreateOrigin, CreateUrlEndpoint};
use imagekit_core::resources::custom_metadata_fields::{
    CreateCustomMetadataField, UpdateCustomMetadataField,
};
use imagekit_core::resources::files::{
    CopyFile, MoveFile, RenameFile, UpdateFileDetails, UpdateFilePublication,
};
use imagekit_core::resources::folders::{CopyFolder, MoveFolder, RenameFolder};
use imagekit_core::resources::named_transformations::{CreateNamedTransformation, UpdateNamedTransformation};
use imagekit_core::resources::saved_extensions::{CreateSavedExtension, UpdateSavedExtension};
use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestOptions};
use imagekit_core::{Client, Error, RetryPolicy, TransportError, TransportErrorKind, UploadSource};
use imagekit_emulator::Emulator;
use imagekit_mock::InstantSleep;

/// How the first answer is lost after the emulator acted.
#[derive(Clone, Copy, Debug)]
enum Loss {
    Timeout,
    ConnectionLost,
    BadGateway,
}

/// Passes every request to the emulator, and loses the first answer.
#[derive(Debug, Clone)]
struct LosesFirstAnswer {
    emulator: Emulator,
    loss: Loss,
    lost: Arc<AtomicBool>,
}

impl HttpTransport for LosesFirstAnswer {
    async fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        let answer = HttpTransport::send(&self.emulator, request, options).await?;
        if self.lost.swap(true, Ordering::SeqCst) {
            return Ok(answer);
        }
        match self.loss {
            Loss::Timeout => {
                Err(TransportError::with_message(TransportErrorKind::Timeout, "the answer was lost"))
            }
            Loss::ConnectionLost => {
                Err(TransportError::with_message(TransportErrorKind::Io, "connection reset"))
            }
            Loss::BadGateway => {
                Ok(imagekit_mock::fixtures::json(502, &serde_json::json!({"message": "Bad gateway"})))
            }
        }
    }
}

/// What a repeat of the operation does, as the client must treat it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    RetriedAndSucceeds,
    RetriedAndSaysDoneEarlier,
    NotRetried,
}

type Run = Box<dyn Fn(Client, Seeded) -> Pin<Box<dyn Future<Output = Result<(), Error>>>>>;

/// What each case starts from.
#[derive(Clone, Debug)]
struct Seeded {
    file_id: String,
    old_version: String,
    purge_id: String,
    job_id: String,
    field_id: String,
    extension_id: String,
    origin_id: String,
    endpoint_id: String,
    transformation_id: String,
    webhook_id: String,
}

fn seed(emulator: &Emulator) -> Seeded {
    let file_id = emulator.seed_file("/safe/a.txt", &b"one"[..]).unwrap();
    emulator.seed_file("/safe/a.txt", &b"two"[..]).unwrap();
    emulator.seed_file("/safe/b.txt", &b"b"[..]).unwrap();
    let setup = Client::builder().private_key(KEY).transport(emulator.clone()).build().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let versions = setup.files().versions().list(&file_id).await.unwrap();
        let old_version = versions[0].version_id().unwrap().to_owned();
        setup.folders().create("keep", "/").await.unwrap();
        setup.folders().create("gone", "/").await.unwrap();
        let purge_id =
            setup.cache().invalidation().create("https://ik.imagekit.io/emulator/safe/a.txt").await.unwrap();
        let job = setup.folders().copy(CopyFolder::new("/keep", "/copies")).await.unwrap();
        let field = setup.custom_metadata_fields().create(new_field("size")).await.unwrap();
        let extension = setup.saved_extensions().create(new_extension("Describe")).await.unwrap();
        let origin = setup.accounts().origins().create(CreateOrigin::web_proxy("Proxy")).await.unwrap();
        let endpoint = setup
            .accounts()
            .url_endpoints()
            .create(CreateUrlEndpoint::new("Old").url_prefix("old"))
            .await
            .unwrap();
        let transformation = setup
            .named_transformations()
            .create(CreateNamedTransformation::new("thumb", "w-100"))
            .await
            .unwrap();
        let webhook =
            setup.accounts().webhooks().create(new_webhook("https://hooks.example.com")).await.unwrap();
        Seeded {
            file_id,
            old_version,
            purge_id: purge_id.request_id.unwrap(),
            job_id: job.job_id,
            field_id: field.id,
            extension_id: extension.id.unwrap(),
            origin_id: origin.id.unwrap(),
            endpoint_id: endpoint.id.unwrap(),
            transformation_id: transformation.id.unwrap(),
            webhook_id: webhook.id.unwrap(),
        }
    })
}

fn new_field(name: &str) -> CreateCustomMetadataField {
    CreateCustomMetadataField::new(name, name, CustomMetadataFieldSchema::new(CustomMetadataFieldType::Text))
}

fn new_extension(name: &str) -> CreateSavedExtension {
    CreateSavedExtension::new(name, "d", Extension::ai_auto_description())
}

fn new_webhook(endpoint: &str) -> CreateWebhook {
    CreateWebhook::new(endpoint, [WebhookEventType::FileCreated])
}

macro_rules! case {
    ($name:literal, $expect:expr, |$client:ident, $seeded:ident| $body:expr) => {
        (
            $name,
            $expect,
            Box::new(
                move |$client: Client, $seeded: Seeded| -> Pin<Box<dyn Future<Output = Result<(), Error>>>> {
                    Box::pin(async move { $body.map(|_| ()) })
                },
            ) as Run,
        )
    };
}

fn cases() -> Vec<(&'static str, Expect, Run)> {
    use Expect::*;
    vec![
        case!("get-file-details", RetriedAndSucceeds, |c, s| c.files().get(&s.file_id).await),
        case!("update-file-details (tags)", RetriedAndSucceeds, |c, s| {
            c.files().update(&s.file_id, UpdateFileDetails::new().tags(["x"])).await
        }),
        case!("update-file-details (publish)", RetriedAndSucceeds, |c, s| {
            c.files().update(&s.file_id, UpdateFilePublication::new(true)).await
        }),
        case!("list-file-versions", RetriedAndSucceeds, |c, s| c.files().versions().list(&s.file_id).await),
        case!("get-file-version-details", RetriedAndSucceeds, |c, s| {
            c.files().versions().get(&s.file_id, &s.old_version).await
        }),
        case!("get-uploaded-file-metadata", RetriedAndSucceeds, |c, s| c
            .files()
            .metadata()
            .get(&s.file_id)
            .await),
        case!("list-and-search-assets", RetriedAndSucceeds, |c, _s| {
            c.assets().list(imagekit_core::resources::assets::ListAssets::new()).await
        }),
        case!("add-tags-bulk", RetriedAndSucceeds, |c, s| c
            .files()
            .bulk()
            .add_tags([s.file_id.as_str()], ["t"])
            .await),
        case!("remove-tags-bulk", RetriedAndSucceeds, |c, s| {
            c.files().bulk().remove_tags([s.file_id.as_str()], ["t"]).await
        }),
        case!("remove-ai-tags-bulk", RetriedAndSucceeds, |c, s| {
            c.files().bulk().remove_ai_tags([s.file_id.as_str()], ["t"]).await
        }),
        case!("purge-cache", RetriedAndSucceeds, |c, _s| {
            c.cache().invalidation().create("https://ik.imagekit.io/emulator/safe/b.txt").await
        }),
        case!("purge-status", RetriedAndSucceeds, |c, s| c.cache().invalidation().get(&s.purge_id).await),
        case!("bulk-job-status", RetriedAndSucceeds, |c, s| c.folders().job().get(&s.job_id).await),
        case!("delete-file", RetriedAndSaysDoneEarlier, |c, s| c.files().delete(&s.file_id).await),
        case!("delete-file-version", RetriedAndSaysDoneEarlier, |c, s| {
            c.files().versions().delete(&s.file_id, &s.old_version).await
        }),
        case!("delete-multiple-files", RetriedAndSaysDoneEarlier, |c, s| {
            c.files().bulk().delete([s.file_id.as_str()]).await
        }),
        case!("delete-folder", RetriedAndSaysDoneEarlier, |c, _s| c.folders().delete("/gone").await),
        case!("rename-file", NotRetried, |c, _s| c
            .files()
            .rename(RenameFile::new("/safe/a.txt", "c.txt"))
            .await),
        case!("restore-file-version", NotRetried, |c, s| {
            c.files().versions().restore(&s.file_id, &s.old_version).await
        }),
        case!("copy-file", NotRetried, |c, _s| c.files().copy(CopyFile::new("/safe/a.txt", "/copies")).await),
        case!("move-file", NotRetried, |c, _s| c
            .files()
            .r#move(MoveFile::new("/safe/b.txt", "/moved"))
            .await),
        case!("create-folder", NotRetried, |c, _s| c.folders().create("new", "/").await),
        case!("copy-folder", NotRetried, |c, _s| c
            .folders()
            .copy(CopyFolder::new("/keep", "/elsewhere"))
            .await),
        case!("move-folder", NotRetried, |c, _s| c
            .folders()
            .r#move(MoveFolder::new("/keep", "/elsewhere"))
            .await),
        case!("rename-folder", NotRetried, |c, _s| c
            .folders()
            .rename(RenameFolder::new("/keep", "kept"))
            .await),
        case!("upload-file", NotRetried, |c, _s| {
            c.files().upload(UploadSource::bytes("new"), "n.txt").folder("/up").await
        }),
        case!("upload-file-v2", NotRetried, |c, _s| {
            c.files().upload_v2(UploadSource::bytes("new"), "n2.txt").folder("/up").await
        }),
        // The account's settings.
        case!("get-usage", RetriedAndSucceeds, |c, _s| c
            .accounts()
            .usage()
            .get("2025-01-01", "2025-01-02")
            .await),
        case!("list-all-fields", RetriedAndSucceeds, |c, _s| {
            c.custom_metadata_fields().list(Default::default()).await
        }),
        case!("update-existing-field", RetriedAndSucceeds, |c, s| {
            c.custom_metadata_fields()
                .update(&s.field_id, UpdateCustomMetadataField::new().label("Size"))
                .await
        }),
        case!("delete-a-field", RetriedAndSaysDoneEarlier, |c, s| {
            c.custom_metadata_fields().delete(&s.field_id).await
        }),
        case!("create-new-field", NotRetried, |c, _s| c
            .custom_metadata_fields()
            .create(new_field("colour"))
            .await),
        case!("get-extension", RetriedAndSucceeds, |c, s| c.saved_extensions().get(&s.extension_id).await),
        case!("update-extension", RetriedAndSucceeds, |c, s| {
            c.saved_extensions()
                .update(&s.extension_id, UpdateSavedExtension::new().name("Describe it"))
                .await
        }),
        case!("delete-extension", RetriedAndSaysDoneEarlier, |c, s| {
            c.saved_extensions().delete(&s.extension_id).await
        }),
        case!("create-extension", NotRetried, |c, _s| c
            .saved_extensions()
            .create(new_extension("Again"))
            .await),
        case!("update-origin", RetriedAndSucceeds, |c, s| {
            c.accounts().origins().update(&s.origin_id, CreateOrigin::web_proxy("Renamed")).await
        }),
        case!("delete-origin", RetriedAndSaysDoneEarlier, |c, s| {
            c.accounts().origins().delete(&s.origin_id).await
        }),
        case!("create-origin", NotRetried, |c, _s| {
            c.accounts().origins().create(CreateOrigin::web_proxy("Another")).await
        }),
        case!("update-url-endpoint", RetriedAndSucceeds, |c, s| {
            c.accounts()
                .url_endpoints()
                .update(&s.endpoint_id, CreateUrlEndpoint::new("New").url_prefix("new"))
                .await
        }),
        case!("delete-url-endpoint", RetriedAndSaysDoneEarlier, |c, s| {
            c.accounts().url_endpoints().delete(&s.endpoint_id).await
        }),
        case!("update-named-transformation", RetriedAndSucceeds, |c, s| {
            let update = UpdateNamedTransformation::new().transformation("w-200");
            c.named_transformations().update(&s.transformation_id, update).await
        }),
        case!("delete-named-transformation", RetriedAndSaysDoneEarlier, |c, s| {
            c.named_transformations().delete(&s.transformation_id).await
        }),
        case!("create-named-transformation", NotRetried, |c, _s| {
            c.named_transformations().create(CreateNamedTransformation::new("card", "w-300")).await
        }),
        case!("update-webhook", RetriedAndSucceeds, |c, s| {
            c.accounts().webhooks().update(&s.webhook_id, UpdateWebhook::new().enabled(false)).await
        }),
        case!("delete-webhook", RetriedAndSaysDoneEarlier, |c, s| c
            .accounts()
            .webhooks()
            .delete(&s.webhook_id)
            .await),
        case!("create-webhook", NotRetried, |c, _s| {
            c.accounts().webhooks().create(new_webhook("https://other.example.com")).await
        }),
    ]
}

#[test]
fn every_operation_is_retried_only_when_a_repeat_is_safe() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for loss in [Loss::Timeout, Loss::ConnectionLost, Loss::BadGateway] {
        for (name, expect, run) in cases() {
            let emulator = Emulator::new(KEY);
            let seeded = seed(&emulator);
            emulator.clear_requests();
            let transport = LosesFirstAnswer { emulator: emulator.clone(), loss, lost: Arc::default() };
            let client = Client::builder()
                .private_key(KEY)
                .transport(transport)
                .sleeper(InstantSleep::new())
                .retry_policy(RetryPolicy::default())
                .build()
                .unwrap();
            let outcome = runtime.block_on(run(client, seeded));
            let attempts = emulator.requests().len();
            let context =
                format!("{name} after {loss:?}: {:?}", outcome.as_ref().map_err(|e| e.report().to_string()));
            match expect {
                Expect::RetriedAndSucceeds => {
                    assert!(outcome.is_ok(), "{context}");
                    assert_eq!(attempts, 2, "{context}");
                }
                Expect::RetriedAndSaysDoneEarlier => {
                    let error = outcome.expect_err(&context);
                    assert!(error.is_not_found(), "{context}");
                    let api = error.as_api().expect("an API error");
                    assert!(api.earlier_attempt_may_have_succeeded(), "{context}");
                    assert!(error.to_string().contains("earlier attempt"), "{context}");
                    assert_eq!(attempts, 2, "{context}");
                }
                Expect::NotRetried => {
                    assert!(outcome.is_err(), "{context}");
                    assert_eq!(
                        attempts, 1,
                        "{context}: the server acted once, and the client did not repeat it"
                    );
                }
            }
        }
    }
}

/// A 404 on a first attempt is a plain not-found: nothing earlier can have done it.
#[tokio::test]
async fn a_first_attempt_not_found_is_a_plain_not_found() {
    let emulator = Emulator::new(KEY);
    let client =
        Client::builder().private_key(KEY).transport(emulator).sleeper(InstantSleep::new()).build().unwrap();
    let error = client.files().delete("598821f949c0a938d57563bd").await.unwrap_err();
    assert!(error.is_not_found());
    assert!(!error.as_api().unwrap().earlier_attempt_may_have_succeeded());
}
