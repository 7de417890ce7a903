//! What the suite calls, with realistic arguments, and what it leaves out and why.

use imagekit_core::models::UploadOutcome;
use imagekit_core::models::{
    Asset, AssetSort, AssetType, CustomMetadataFieldSchema, CustomMetadataFieldType, Extension,
    ExtensionName, FileTypeFilter, JobStatus, UrlRewriter, UrlRewriterType,
};
use imagekit_core::resources::accounts::{CreateOrigin, CreateUrlEndpoint};
use imagekit_core::resources::assets::ListAssets;
use imagekit_core::resources::custom_metadata_fields::{
    CreateCustomMetadataField, ListCustomMetadataFields, UpdateCustomMetadataField, UpdateFieldSchema,
};
use imagekit_core::resources::files::{
    CopyFile, MoveFile, RemoveAiTags, RenameFile, UpdateFileDetails, UpdateFilePublication,
};
use imagekit_core::resources::folders::{CopyFolder, MoveFolder, RenameFolder};
use imagekit_core::resources::saved_extensions::{CreateSavedExtension, UpdateSavedExtension};
use imagekit_core::runtime::BoxFuture;
use imagekit_core::upload::{PostTransformation, ResponseField, UploadSource, UploadTransformation};
use imagekit_core::{Client, Error, UploadCall};
use serde_json::json;

/// One operation to call.
pub struct Case {
    pub operation: &'static str,
    /// The documented success status to ask the mock for, when not its default.
    pub status: Option<u16>,
    pub run: Box<dyn Fn(Client) -> BoxFuture<'static, Result<(), Error>>>,
    /// The request fields Prism is expected to flag, and nothing else: see [`MULTIPART_AS_STRING`].
    pub expected_violations: &'static [&'static str],
}

fn case<F>(operation: &'static str, run: fn(Client) -> F) -> Case
where
    F: std::future::Future<Output = Result<(), Error>> + Send + 'static,
{
    Case {
        operation,
        status: None,
        run: Box::new(move |client| Box::pin(run(client))),
        expected_violations: &[],
    }
}

/// A case that asks for the 207 partial-success answer the spec documents, and checks that it is
/// a success value marked as partial.
fn partial<F>(operation: &'static str, run: fn(Client) -> F) -> Case
where
    F: std::future::Future<Output = Result<bool, Error>> + Send + 'static,
{
    Case {
        operation,
        status: Some(207),
        expected_violations: &[],
        run: Box::new(move |client| {
            Box::pin(async move {
                if run(client).await? {
                    Ok(())
                } else {
                    Err(Error::invalid_input(operation, "a 207 answer was not marked as a partial success"))
                }
            })
        }),
    }
}

/// The upload form fields that the spec declares as arrays or objects. The API takes them as the
/// official SDKs send them: `tags` and `responseFields` joined with commas, the others as JSON
/// text. Prism reads every multipart part as a plain string, so it flags exactly these fields
/// even in that wire format; the suite expects these violations, by field name, and fails on
/// any other.
pub const MULTIPART_AS_STRING: &[&str] =
    &["tags", "responseFields", "extensions", "customMetadata", "transformation"];

/// Every upload field set, with realistic values.
fn every_field(call: UploadCall) -> UploadCall {
    let mut metadata = serde_json::Map::new();
    metadata.insert("brand".into(), json!("Acme"));
    metadata.insert("color".into(), json!("red"));
    scalar_fields(call)
        .tags(["shoe", "summer"])
        .response_fields([
            ResponseField::Tags,
            ResponseField::CustomCoordinates,
            ResponseField::IsPrivateFile,
        ])
        .extensions([
            Extension::auto_tagging(ExtensionName::GoogleAutoTagging, 95, 5),
            Extension::new(ExtensionName::RemoveBg).option("options", json!({"add_shadow": true})),
        ])
        .custom_metadata(metadata)
        .transformation(
            UploadTransformation::new()
                .pre("w-1200,q-80")
                .post(PostTransformation::transformation("w-300,h-300"))
                .post(PostTransformation::thumbnail(Some("w-150".into()))),
        )
}

/// Every upload field but those in [`MULTIPART_AS_STRING`]: what Prism can validate cleanly.
fn scalar_fields(call: UploadCall) -> UploadCall {
    call.use_unique_file_name(false)
        .folder("/catalog/shoes")
        .is_private_file(false)
        .is_published(true)
        .custom_coordinates("10,10,200,200")
        .webhook_url("https://example.test/imagekit-webhook")
        .overwrite_file(true)
        .overwrite_ai_tags(false)
        .overwrite_tags(true)
        .overwrite_custom_metadata(false)
        .checks(r#""file.size" < "10mb""#)
        .description("A red shoe on white")
}

/// Prism answers a request it flags with an error status: with every field set, that is the
/// expected outcome (the harness checks the flags are exactly the expected ones).
fn flagged(outcome: Result<UploadOutcome, Error>) -> Result<(), Error> {
    match outcome {
        Ok(_) => Ok(()),
        Err(Error::Api(e)) if e.status().is_client_error() => Ok(()),
        Err(other) => Err(other),
    }
}

/// A small PNG header, enough to be a file; Prism does not read the content.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn upload_case<F>(operation: &'static str, run: fn(Client) -> F) -> Case
where
    F: std::future::Future<Output = Result<(), Error>> + Send + 'static,
{
    Case { expected_violations: MULTIPART_AS_STRING, ..case(operation, run) }
}

fn uploaded(outcome: UploadOutcome) -> Result<(), Error> {
    match outcome {
        UploadOutcome::Uploaded(file) if file.file_id.is_some() => Ok(()),
        other => Err(Error::invalid_input(
            "upload",
            format!("the spec's 200 example did not parse as a stored file: {other:?}"),
        )),
    }
}

const FILE_ID: &str = "598821f949c0a938d57563bd";
const VERSION_ID: &str = "598821f949c0a938d57563dd";

/// Operations the SDKs have but the public spec lacks; tested against fixtures instead
/// (`imagekit-core/tests/beyond_spec.rs`), so the suite does not call them.
pub const BEYOND_SPEC: &[&str] = &[];

const FIELD_ID: &str = "6682b1f0e4c9a2d3f1b7c8a9";
const EXTENSION_ID: &str = "ext_product_tags";
const ORIGIN_ID: &str = "origin_s3_products";
const URL_ENDPOINT_ID: &str = "endpoint_products";
const JOB_ID: &str = "6682b2a4e4c9a2d3f1b7c8b0";
const PURGE_ID: &str = "6682b2d9e4c9a2d3f1b7c8b1";

fn auto_tagging() -> Extension {
    Extension::auto_tagging(ExtensionName::GoogleAutoTagging, 80, 10)
}

pub fn cases() -> Vec<Case> {
    vec![
        // Files.
        case("list-and-search-assets", |c| async move {
            let params = ListAssets::new()
                .kind(AssetType::All)
                .sort(AssetSort::DescCreated)
                .path("/catalog/")
                .search_query(r#"createdAt > "7d" AND size < "2mb""#)
                .file_type(FileTypeFilter::Image)
                .limit(50)
                .skip(100);
            let assets = c.assets().list(params).await?;
            assert_not_empty(assets.len(), "asset list")?;
            if let Some(unknown) = assets.iter().find(|a| matches!(a, Asset::Unknown(_))) {
                return Err(Error::invalid_input(
                    "asset list",
                    format!("an asset of unknown type: {unknown:?}"),
                ));
            }
            Ok(())
        }),
        case("get-file-details", |c| async move {
            c.files().get(FILE_ID).await?;
            // Per-call extras, as the SDKs' `headers` option: a header the spec does not know.
            c.files().get(FILE_ID).header("x-request-source", "conformance").await.map(drop)
        }),
        case("update-file-details", |c| async move {
            let update = UpdateFileDetails::new()
                .tags(["sneaker", "summer-sale"])
                .custom_coordinates("10,10,400,300")
                .custom_metadata("sku", "SNK-42")
                .description("Red canvas sneaker")
                .remove_ai_tags(RemoveAiTags::Tags(vec!["Footwear".into()]))
                .extension(auto_tagging())
                .webhook_url("https://hooks.example.com/imagekit");
            c.files().update(FILE_ID, update).await.map(drop)
        }),
        case("update-file-details", |c| async move {
            c.files()
                .update(FILE_ID, UpdateFilePublication::new(false).include_file_versions(true))
                .await
                .map(drop)
        }),
        case("delete-file", |c| async move { c.files().delete(FILE_ID).await }),
        case("copy-file", |c| async move {
            c.files()
                .copy(CopyFile::new("/catalog/red-sneaker.jpg", "/archive/").include_file_versions(true))
                .await
        }),
        case("move-file", |c| async move {
            c.files().r#move(MoveFile::new("/catalog/red-sneaker.jpg", "/archive/")).await
        }),
        case("rename-file", |c| async move {
            c.files()
                .rename(RenameFile::new("/catalog/red-sneaker.jpg", "sneaker-red.jpg").purge_cache(true))
                .await
                .map(drop)
        }),
        partial("rename-file", |c| async move {
            Ok(c.files()
                .rename(RenameFile::new("/catalog/red-sneaker.jpg", "sneaker-red.jpg").purge_cache(true))
                .await?
                .partial)
        }),
        case("delete-multiple-files", |c| async move {
            c.files().bulk().delete([FILE_ID, "6682b1f0e4c9a2d3f1b7c8aa"]).await.map(drop)
        }),
        partial("delete-multiple-files", |c| async move {
            let result = c.files().bulk().delete([FILE_ID]).await?;
            Ok(result.partial && !result.is_complete())
        }),
        case("add-tags-bulk", |c| async move {
            c.files().bulk().add_tags([FILE_ID], ["summer-sale", "featured"]).await.map(drop)
        }),
        partial("add-tags-bulk", |c| async move {
            Ok(c.files().bulk().add_tags([FILE_ID], ["featured"]).await?.partial)
        }),
        case("remove-tags-bulk", |c| async move {
            c.files().bulk().remove_tags([FILE_ID], ["summer-sale"]).await.map(drop)
        }),
        partial("remove-tags-bulk", |c| async move {
            Ok(c.files().bulk().remove_tags([FILE_ID], ["featured"]).await?.partial)
        }),
        case("remove-ai-tags-bulk", |c| async move {
            c.files().bulk().remove_ai_tags([FILE_ID], ["Footwear"]).await.map(drop)
        }),
        partial("remove-ai-tags-bulk", |c| async move {
            Ok(c.files().bulk().remove_ai_tags([FILE_ID], ["Footwear"]).await?.partial)
        }),
        case(
            "get-uploaded-file-metadata",
            |c| async move { c.files().metadata().get(FILE_ID).await.map(drop) },
        ),
        case("get-metadata-from-url", |c| async move {
            c.files()
                .metadata()
                .get_from_url("https://ik.imagekit.io/demo_shop/catalog/red-sneaker.jpg")
                .await
                .map(drop)
        }),
        // Versions.
        case("list-file-versions", |c| async move {
            let versions = c.files().versions().list(FILE_ID).await?;
            assert_not_empty(versions.len(), "version list")
        }),
        case("get-file-version-details", |c| async move {
            c.files().versions().get(FILE_ID, VERSION_ID).await.map(drop)
        }),
        case(
            "delete-file-version",
            |c| async move { c.files().versions().delete(FILE_ID, VERSION_ID).await },
        ),
        case("restore-file-version", |c| async move {
            c.files().versions().restore(FILE_ID, VERSION_ID).await.map(drop)
        }),
        // Folders.
        case("create-folder", |c| async move { c.folders().create("summer", "/catalog/").await }),
        case("delete-folder", |c| async move { c.folders().delete("/catalog/winter").await }),
        case("copy-folder", |c| async move {
            let job = c
                .folders()
                .copy(CopyFolder::new("/catalog/summer", "/archive").include_versions(true))
                .await?;
            assert_not_empty(job.job_id.len(), "job id")
        }),
        case("move-folder", |c| async move {
            c.folders().r#move(MoveFolder::new("/catalog/summer", "/archive")).await.map(drop)
        }),
        case("rename-folder", |c| async move {
            c.folders()
                .rename(RenameFolder::new("/catalog/summer", "summer-2024").purge_cache(true))
                .await
                .map(drop)
        }),
        case("bulk-job-status", |c| async move {
            let job = c.folders().job().get(JOB_ID).await?;
            known(
                job.status.as_ref().map(JobStatus::as_str),
                matches!(job.status, Some(JobStatus::Unknown(_))),
                "job status",
            )
        }),
        partial("bulk-job-status", |c| async move { Ok(c.folders().job().get(JOB_ID).await?.partial) }),
        // Cache.
        case("purge-cache", |c| async move {
            c.cache()
                .invalidation()
                .create("https://ik.imagekit.io/demo_shop/catalog/red-sneaker.jpg")
                .await
                .map(drop)
        }),
        case("purge-status", |c| async move {
            let status = c.cache().invalidation().get(PURGE_ID).await?;
            known(
                status.status.as_ref().map(JobStatus::as_str),
                matches!(status.status, Some(JobStatus::Unknown(_))),
                "purge status",
            )
        }),
        // Custom metadata fields.
        case("create-new-field", |c| async move {
            let schema = CustomMetadataFieldSchema::new(CustomMetadataFieldType::SingleSelect)
                .select_options(["small", "medium", "large"])
                .default_value("medium")
                .is_value_required(false);
            let field = CreateCustomMetadataField::new("size", "Size", schema.clone());
            c.custom_metadata_fields().create(field).await?;
            // The SDKs' newer `description`, which the spec does not list yet: accepted.
            let described =
                CreateCustomMetadataField::new("size", "Size", schema).description("EU shoe size");
            c.custom_metadata_fields().create(described).await.map(drop)
        }),
        case("list-all-fields", |c| async move {
            let params = ListCustomMetadataFields::new().include_deleted(true).folder_path("/catalog");
            c.custom_metadata_fields().list(params).await.map(drop)
        }),
        case("update-existing-field", |c| async move {
            let params = UpdateCustomMetadataField::new()
                .label("Shoe size")
                .schema(UpdateFieldSchema::new().min_value(35).max_value(48).is_value_required(true));
            c.custom_metadata_fields().update(FIELD_ID, params).await.map(drop)
        }),
        case("delete-a-field", |c| async move { c.custom_metadata_fields().delete(FIELD_ID).await }),
        // Saved extensions.
        case("list-extensions", |c| async move { c.saved_extensions().list().await.map(drop) }),
        case("create-extension", |c| async move {
            let params = CreateSavedExtension::new("Product tags", "Tags product shots", auto_tagging());
            c.saved_extensions().create(params).await.map(drop)
        }),
        case("get-extension", |c| async move { c.saved_extensions().get(EXTENSION_ID).await.map(drop) }),
        case("update-extension", |c| async move {
            let params = UpdateSavedExtension::new().description("Tags product shots and lifestyle images");
            c.saved_extensions().update(EXTENSION_ID, params).await.map(drop)
        }),
        case("delete-extension", |c| async move { c.saved_extensions().delete(EXTENSION_ID).await }),
        // Accounts.
        case(
            "get-usage",
            |c| async move { c.accounts().usage().get("2024-06-01", "2024-07-01").await.map(drop) },
        ),
        case("list-origins", |c| async move { c.accounts().origins().list().await.map(drop) }),
        case("create-origin", |c| async move {
            let origin =
                CreateOrigin::s3("Product images", "shop-products", "AKIAEXAMPLEKEY01", "example-secret-key")
                    .prefix("originals");
            c.accounts().origins().create(origin).await?;
            // An IAM-role bucket (empty keys, as the API asks) with the canonical header off.
            let role = CreateOrigin::s3_iam_role("Role images", "shop-products")
                .include_canonical_header(false)
                .base_url_for_canonical_header("https://shop.example.com");
            c.accounts().origins().create(role).await.map(drop)
        }),
        case("get-origin", |c| async move { c.accounts().origins().get(ORIGIN_ID).await.map(drop) }),
        case("update-origin", |c| async move {
            let origin = CreateOrigin::web_folder("Shop web folder", "https://shop.example.com/media")
                .forward_host_header_to_origin(false);
            c.accounts().origins().update(ORIGIN_ID, origin).await.map(drop)
        }),
        case("delete-origin", |c| async move { c.accounts().origins().delete(ORIGIN_ID).await }),
        case("list-url-endpoints", |c| async move { c.accounts().url_endpoints().list().await.map(drop) }),
        case("create-url-endpoint", |c| async move {
            let endpoint =
                CreateUrlEndpoint::new("Product images").url_prefix("products").origins([ORIGIN_ID]);
            c.accounts().url_endpoints().create(endpoint).await.map(drop)
        }),
        case("get-url-endpoint", |c| async move {
            c.accounts().url_endpoints().get(URL_ENDPOINT_ID).await.map(drop)
        }),
        case("update-url-endpoint", |c| async move {
            let endpoint = CreateUrlEndpoint::new("Product images, Imgix URLs")
                .url_prefix("products")
                .origins([ORIGIN_ID])
                .url_rewriter(UrlRewriter::new(UrlRewriterType::Imgix));
            c.accounts().url_endpoints().update(URL_ENDPOINT_ID, endpoint).await.map(drop)
        }),
        case(
            "delete-url-endpoint",
            |c| async move { c.accounts().url_endpoints().delete(URL_ENDPOINT_ID).await },
        ),
        upload_case("upload-file", |c| async move {
            flagged(every_field(c.files().upload(UploadSource::bytes(PNG), "red-shoe.png")).await)?;
            uploaded(scalar_fields(c.files().upload(UploadSource::bytes(PNG), "red-shoe.png")).await?)?;
            // A de-duplication token next to the private key.
            let deduplicated = c
                .files()
                .upload(UploadSource::bytes(PNG), "red-shoe.png")
                .dedup_token("6f1c1f9e-2b7a-4c59-9d7e-0f6b1f4b2a11");
            uploaded(scalar_fields(deduplicated).await?)
        }),
        upload_case("upload-file-v2", |c| async move {
            // From a file on disk, so the streamed path through the hyper transport is the one tested.
            let path = std::env::temp_dir().join(format!("imagekit-conformance-{}.png", std::process::id()));
            std::fs::write(&path, PNG).map_err(|e| Error::invalid_input("file", e.to_string()))?;
            let outcome = async {
                let source = imagekit_hyper::upload::file(&path).await?;
                flagged(every_field(c.files().upload_v2(source.clone(), "red-shoe.png")).await)?;
                scalar_fields(c.files().upload_v2(source, "red-shoe.png")).await
            }
            .await;
            let _ = std::fs::remove_file(&path);
            uploaded(outcome?)
        }),
    ]
}

fn assert_not_empty(len: usize, what: &str) -> Result<(), Error> {
    if len == 0 {
        return Err(Error::invalid_input(what.to_owned(), "the spec's example should not parse as empty"));
    }
    Ok(())
}

/// A closed-set value from the spec's example must be one the client knows.
fn known(value: Option<&str>, unknown: bool, what: &str) -> Result<(), Error> {
    if unknown {
        return Err(Error::invalid_input(
            what.to_owned(),
            format!("the spec's example has an unknown value {value:?}"),
        ));
    }
    Ok(())
}

/// Operations of the spec the suite does not call, each with its reason.
pub const EXCLUDED: &[(&str, &str)] =
    &[("create-dummy-test", "internal SDK-generation endpoint, not part of the API")];
