//! Request shape (method, path, query, JSON body) and answer parsing of every resource, over the
//! scripted transport: 200/201/202/204/207 successes, error bodies, and inputs rejected before
//! anything is sent.

use http::Method;
use imagekit_core::models::{
    Asset, AssetSort, AssetType, BulkJobType, CustomMetadataFieldSchema, CustomMetadataFieldType, Extension,
    ExtensionName, ExtensionStatus, FileTypeFilter, JobStatus, OriginType, UrlRewriter, UrlRewriterType,
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
use imagekit_core::{Client, Error};
use imagekit_mock::{RecordedRequest, ScriptedTransport, fixtures};
use serde_json::{Value, json};

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder().private_key("private_test_key=").transport(transport.clone()).build().unwrap()
}

fn sent(transport: &ScriptedTransport) -> RecordedRequest {
    transport.last_request().expect("a request was sent")
}

fn body(request: &RecordedRequest) -> Value {
    request.json().expect("a JSON body")
}

/// The field an invalid-input error names; panics on anything else.
fn invalid_field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::InvalidInput(e)) => e.parameter().to_owned(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn list_assets_sends_every_filter_and_reads_files_and_folders() {
    let transport = ScriptedTransport::new();
    let mut page = fixtures::asset_page(10, 0, 2);
    page.as_array_mut().unwrap().push(fixtures::folder());
    page.as_array_mut().unwrap().push(json!({"type": "collection", "id": "c1"}));
    transport.expect(Method::GET, "/v1/files").respond(fixtures::ok(page));
    let params = ListAssets::new()
        .kind(AssetType::All)
        .sort(AssetSort::DescSize)
        .path("/catalog/")
        .search_query(r#"name : "product" AND size > "100kb""#)
        .file_type(FileTypeFilter::NonImage)
        .limit(4)
        .skip(8);
    let assets = client(&transport).assets().list(params).await.unwrap();
    let request = sent(&transport);
    assert_eq!(
        request.query(),
        Some(
            "type=all&sort=DESC_SIZE&path=%2Fcatalog%2F&searchQuery=name%20%3A%20%22product%22%20AND%20size%20%3E%20%22100kb%22\
             &fileType=non-image&limit=4&skip=8"
        )
    );
    assert_eq!(assets.len(), 4);
    assert_eq!(assets[0].as_file().unwrap().name.as_deref(), Some("product-000.jpg"));
    assert_eq!(assets[2].as_folder().unwrap().folder_path.as_deref(), Some("/catalog"));
    assert!(matches!(&assets[3], Asset::Unknown(v) if v["type"] == "collection"));
}

#[tokio::test]
async fn list_assets_without_filters_sends_no_query() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(json!([])));
    let assets = client(&transport).assets().list(ListAssets::new()).await.unwrap();
    assert!(assets.is_empty());
    assert_eq!(sent(&transport).query(), None);
}

#[tokio::test]
async fn out_of_range_limits_are_rejected_before_sending() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    for limit in [0, 1001, u32::MAX] {
        assert_eq!(invalid_field(c.assets().list(ListAssets::new().limit(limit)).await), "limit");
    }
    for limit in [1, 1000] {
        transport.push_response(fixtures::ok(json!([])));
        c.assets().list(ListAssets::new().limit(limit)).await.unwrap();
    }
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn file_update_sends_only_what_is_set_and_reads_extension_status() {
    let transport = ScriptedTransport::new();
    let path = format!("/v1/files/{}/details", fixtures::FILE_ID);
    let mut answer = fixtures::file();
    answer["extensionStatus"] = json!({"google-auto-tagging": "pending", "remove-bg": "queued"});
    transport.expect(Method::PATCH, &path).respond(fixtures::ok(answer));
    let update = UpdateFileDetails::new()
        .tags(["a", "b"])
        .clear_custom_coordinates()
        .custom_metadata("sku", "X-1")
        .remove_ai_tags(RemoveAiTags::All)
        .extension(Extension::auto_tagging(ExtensionName::GoogleAutoTagging, 75, 5))
        .extension(Extension::saved("ext_1"))
        .webhook_url("https://hooks.example.com/ik");
    let file = client(&transport).files().update(fixtures::FILE_ID, update).await.unwrap();
    let request = sent(&transport);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        body(&request),
        json!({
            "removeAITags": "all",
            "webhookUrl": "https://hooks.example.com/ik",
            "extensions": [
                {"name": "google-auto-tagging", "minConfidence": 75, "maxTags": 5},
                {"name": "saved-extension", "id": "ext_1"}
            ],
            "tags": ["a", "b"],
            "customCoordinates": null,
            "customMetadata": {"sku": "X-1"}
        })
    );
    let status = file.extension_status.unwrap();
    assert_eq!(status["google-auto-tagging"], ExtensionStatus::Pending);
    assert_eq!(status["remove-bg"], ExtensionStatus::Unknown("queued".into()));
}

#[tokio::test]
async fn publish_update_sends_only_the_publish_object() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(fixtures::file()));
    let c = client(&transport);
    c.files().update("f1", UpdateFilePublication::new(true).include_file_versions(true)).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"publish": {"isPublished": true, "includeFileVersions": true}})
    );
    transport.push_response(fixtures::ok(fixtures::file()));
    c.files().update("f1", UpdateFileDetails::new().clear_tags().description("d")).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"tags": null, "description": "d"}));
}

#[tokio::test]
async fn delete_copy_move_accept_204_with_or_without_a_body() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    transport.expect(Method::DELETE, "/v1/files/f%2F1").respond(fixtures::no_content());
    c.files().delete("f/1").await.unwrap();

    transport.expect(Method::POST, "/v1/files/copy").respond_json(204, json!({}));
    c.files().copy(CopyFile::new("/a/x.jpg", "/b/").include_file_versions(false)).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"sourceFilePath": "/a/x.jpg", "destinationPath": "/b/", "includeFileVersions": false})
    );

    transport.expect(Method::POST, "/v1/files/move").respond(fixtures::no_content());
    c.files().r#move(MoveFile::new("/a/x.jpg", "/b/")).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"sourceFilePath": "/a/x.jpg", "destinationPath": "/b/"}));
    transport.assert_all_consumed();
}

#[tokio::test]
async fn copy_errors_carry_the_reason() {
    let transport = ScriptedTransport::new();
    transport.push_json(
        404,
        json!({"message": "No file found with filePath /a/x.jpg", "reason": "SOURCE_FILE_MISSING", "help": "h"}),
    );
    let error = client(&transport).files().copy(CopyFile::new("/a/x.jpg", "/b/")).await.unwrap_err();
    let api = error.as_api().unwrap();
    assert_eq!(api.reason(), Some("SOURCE_FILE_MISSING"));
    assert!(error.to_string().contains("reason: SOURCE_FILE_MISSING"), "{error}");
}

#[tokio::test]
async fn rename_reads_200_and_207_as_successes() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    transport.expect(Method::PUT, "/v1/files/rename").respond_json(200, json!({"purgeRequestId": "p1"}));
    let done = c.files().rename(RenameFile::new("/a/x.jpg", "y.jpg").purge_cache(true)).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"filePath": "/a/x.jpg", "newFileName": "y.jpg", "purgeCache": true})
    );
    assert_eq!(done.purge_request_id.as_deref(), Some("p1"));
    assert!(!done.partial);

    transport.push_response(fixtures::multi_status(
        json!({"message": "File renamed, but the cache purge limit is reached.", "reason": "PURGE_LIMIT"}),
    ));
    let partial = c.files().rename(RenameFile::new("/a/x.jpg", "y.jpg")).await.unwrap();
    assert!(partial.partial);
    assert_eq!(partial.reason.as_deref(), Some("PURGE_LIMIT"));

    transport.push_json(
        409,
        json!({"message": "File with the same name exists", "reason": "FILE_ALREADY_EXISTS"}),
    );
    let conflict = c.files().rename(RenameFile::new("/a/x.jpg", "y.jpg")).await.unwrap_err();
    assert_eq!(conflict.status(), Some(http::StatusCode::CONFLICT));
    assert_eq!(conflict.as_api().unwrap().reason(), Some("FILE_ALREADY_EXISTS"));
}

#[tokio::test]
async fn bulk_delete_207_lists_what_failed_and_404_lists_missing_ids() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    transport
        .expect(Method::POST, "/v1/files/batch/deleteByFileIds")
        .respond(fixtures::multi_status(fixtures::bulk_delete_partial("f1", "f2")));
    let result = c.files().bulk().delete(["f1", "f2"]).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"fileIds": ["f1", "f2"]}));
    assert!(result.partial && !result.is_complete());
    assert_eq!(result.file_ids, ["f1"]);
    assert_eq!(result.errors[0].file_id.as_deref(), Some("f2"));
    assert!(result.errors[0].error.is_some());

    transport.push_json(200, json!({"successfullyDeletedFileIds": ["f1"]}));
    assert!(c.files().bulk().delete(["f1"]).await.unwrap().is_complete());

    transport.push_response(fixtures::missing_files(&["f9", "f8"]));
    let error = c.files().bulk().delete(["f9", "f8"]).await.unwrap_err();
    assert_eq!(error.as_api().unwrap().missing_file_ids(), ["f9", "f8"]);
}

#[tokio::test]
async fn bulk_tag_operations_send_their_bodies_and_read_207() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let partial =
        json!({"successfullyUpdatedFileIds": ["f1"], "errors": [{"fileId": "f2", "error": "locked"}]});
    transport.expect(Method::POST, "/v1/files/addTags").respond(fixtures::multi_status(partial.clone()));
    let added = c.files().bulk().add_tags(["f1", "f2"], ["sale"]).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"fileIds": ["f1", "f2"], "tags": ["sale"]}));
    assert!(added.partial);
    assert_eq!(added.errors[0].error.as_deref(), Some("locked"));

    transport
        .expect(Method::POST, "/v1/files/removeTags")
        .respond_json(200, json!({"successfullyUpdatedFileIds": ["f1"]}));
    let removed = c.files().bulk().remove_tags(["f1"], ["sale"]).await.unwrap();
    assert!(removed.is_complete());
    assert_eq!(removed.file_ids, ["f1"]);

    transport.expect(Method::POST, "/v1/files/removeAITags").respond(fixtures::multi_status(partial));
    let ai = c.files().bulk().remove_ai_tags(["f1", "f2"], ["Shoe"]).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"fileIds": ["f1", "f2"], "AITags": ["Shoe"]}));
    assert!(ai.partial);
    transport.assert_all_consumed();
}

#[tokio::test]
async fn bulk_sizes_are_checked_before_sending() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let ids = |n: usize| (0..n).map(|i| format!("f{i}")).collect::<Vec<_>>();
    assert_eq!(invalid_field(c.files().bulk().delete(ids(101)).await), "fileIds");
    assert_eq!(invalid_field(c.files().bulk().delete(ids(0)).await), "fileIds");
    assert_eq!(invalid_field(c.files().bulk().add_tags(ids(51), ["t"]).await), "fileIds");
    assert_eq!(invalid_field(c.files().bulk().remove_tags(ids(51), ["t"]).await), "fileIds");
    assert_eq!(invalid_field(c.files().bulk().remove_ai_tags(ids(51), ["t"]).await), "fileIds");
    assert_eq!(invalid_field(c.files().bulk().add_tags(ids(1), Vec::<String>::new()).await), "tags");
    assert_eq!(invalid_field(c.files().bulk().remove_ai_tags(ids(1), Vec::<String>::new()).await), "AITags");
    assert_eq!(transport.request_count(), 0);

    transport.push_json(200, json!({"successfullyDeletedFileIds": []}));
    transport.push_json(200, json!({"successfullyUpdatedFileIds": []}));
    c.files().bulk().delete(ids(100)).await.unwrap();
    c.files().bulk().add_tags(ids(50), ["t"]).await.unwrap();
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn metadata_of_a_file_and_of_a_url() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let metadata = json!({"height": 900, "width": 1200, "size": 150000, "format": "jpg", "pHash": "f06830ca9f1e3e90",
        "exif": {"image": {"Make": "Canon"}}, "density": 72, "newField": true});
    transport.expect(Method::GET, "/v1/files/f1/metadata").respond(fixtures::ok(metadata.clone()));
    let read = c.files().metadata().get("f1").await.unwrap();
    assert_eq!(read.p_hash.as_deref(), Some("f06830ca9f1e3e90"));
    assert_eq!(read.extra["newField"], true);
    assert_eq!(read.exif.unwrap().image.unwrap()["Make"], "Canon");
    transport.expect(Method::GET, "/v1/metadata").respond(fixtures::ok(metadata));
    c.files().metadata().get_from_url("https://ik.imagekit.io/demo/a b.jpg?tr=w-10").await.unwrap();
    assert_eq!(
        sent(&transport).query(),
        Some("url=https%3A%2F%2Fik.imagekit.io%2Fdemo%2Fa%20b.jpg%3Ftr%3Dw-10")
    );
}

#[tokio::test]
async fn folders_create_201_delete_with_body_and_jobs() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    transport.expect(Method::POST, "/v1/folder").respond(fixtures::created(json!({})));
    c.folders().create("summer", "/catalog").await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"folderName": "summer", "parentFolderPath": "/catalog"}));

    transport.expect(Method::DELETE, "/v1/folder").respond(fixtures::no_content());
    c.folders().delete("/catalog/summer").await.unwrap();
    let request = sent(&transport);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(body(&request), json!({"folderPath": "/catalog/summer"}));

    transport.expect(Method::POST, "/v1/bulkJobs/copyFolder").respond_json(200, json!({"jobId": "j1"}));
    let job = c.folders().copy(CopyFolder::new("/a", "/b").include_versions(true)).await.unwrap();
    assert_eq!(job.job_id, "j1");
    assert_eq!(
        body(&sent(&transport)),
        json!({"sourceFolderPath": "/a", "destinationPath": "/b", "includeVersions": true})
    );

    transport.expect(Method::POST, "/v1/bulkJobs/moveFolder").respond_json(200, json!({"jobId": "j2"}));
    assert_eq!(c.folders().r#move(MoveFolder::new("/a", "/b")).await.unwrap().job_id, "j2");

    transport
        .expect(Method::POST, "/v1/bulkJobs/renameFolder")
        .respond(fixtures::accepted(json!({"jobId": "j3"})));
    let job = c.folders().rename(RenameFolder::new("/a", "b").purge_cache(true)).await.unwrap();
    assert_eq!(job.job_id, "j3");
    assert_eq!(
        body(&sent(&transport)),
        json!({"folderPath": "/a", "newFolderName": "b", "purgeCache": true})
    );

    transport.push_json(423, json!({"message": "Another bulk job is running on this folder.", "help": "h"}));
    let locked = c.folders().rename(RenameFolder::new("/a", "b")).await.unwrap_err();
    assert_eq!(locked.status().map(|s| s.as_u16()), Some(423));

    assert_eq!(invalid_field(c.folders().delete("").await), "folderPath");
    assert_eq!(invalid_field(c.folders().create("", "/").await), "folderName");
    transport.assert_all_consumed();
}

#[tokio::test]
async fn job_status_is_an_enum_that_keeps_unknown_values_and_reads_207() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    transport.expect(Method::GET, "/v1/bulkJobs/j1").respond_json(
        200,
        json!({"jobId": "j1", "type": "RENAME_FOLDER", "status": "Completed", "purgeRequestId": "p1"}),
    );
    let job = c.folders().job().get("j1").await.unwrap();
    assert_eq!(job.kind, Some(BulkJobType::RenameFolder));
    assert_eq!(job.status, Some(JobStatus::Completed));
    assert!(!job.partial);

    transport.push_response(fixtures::multi_status(
        json!({"jobId": "j1", "type": "ARCHIVE_FOLDER", "status": "Failed", "message": "purge failed"}),
    ));
    let job = c.folders().job().get("j1").await.unwrap();
    assert!(job.partial);
    assert_eq!(job.kind, Some(BulkJobType::Unknown("ARCHIVE_FOLDER".into())));
    assert_eq!(job.status, Some(JobStatus::Unknown("Failed".into())));
    assert_eq!(job.message.as_deref(), Some("purge failed"));
}

#[tokio::test]
async fn cache_purge_201_and_status() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    transport.expect(Method::POST, "/v1/files/purge").respond(fixtures::created(json!({"requestId": "r1"})));
    let purge = c.cache().invalidation().create("https://ik.imagekit.io/demo/a.jpg").await.unwrap();
    assert_eq!(purge.request_id.as_deref(), Some("r1"));
    assert_eq!(body(&sent(&transport)), json!({"url": "https://ik.imagekit.io/demo/a.jpg"}));

    transport.expect(Method::GET, "/v1/files/purge/r1").respond_json(200, json!({"status": "Pending"}));
    assert_eq!(c.cache().invalidation().get("r1").await.unwrap().status, Some(JobStatus::Pending));
    transport.push_json(200, json!({"status": "Cancelled"}));
    assert_eq!(
        c.cache().invalidation().get("r1").await.unwrap().status,
        Some(JobStatus::Unknown("Cancelled".into()))
    );
}

#[tokio::test]
async fn custom_metadata_fields_crud() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let field = json!({"id": "cm1", "name": "size", "label": "Size",
        "schema": {"type": "SingleSelect", "selectOptions": ["S", "M", 42, true], "defaultValue": "M"}});
    transport.expect(Method::POST, "/v1/customMetadataFields").respond(fixtures::created(field.clone()));
    let schema = CustomMetadataFieldSchema::new(CustomMetadataFieldType::SingleSelect)
        .select_options(vec![json!("S"), json!("M"), json!(42), json!(true)])
        .default_value("M");
    let created = c
        .custom_metadata_fields()
        .create(CreateCustomMetadataField::new("size", "Size", schema))
        .await
        .unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"name": "size", "label": "Size",
            "schema": {"type": "SingleSelect", "selectOptions": ["S", "M", 42, true], "defaultValue": "M"}})
    );
    assert_eq!(created.schema.kind, CustomMetadataFieldType::SingleSelect);

    transport.expect(Method::GET, "/v1/customMetadataFields").respond(fixtures::ok(json!([field.clone()])));
    let list = c
        .custom_metadata_fields()
        .list(ListCustomMetadataFields::new().include_deleted(true).folder_path("/a b"))
        .await
        .unwrap();
    assert_eq!(sent(&transport).query(), Some("includeDeleted=true&folderPath=%2Fa%20b"));
    assert_eq!(list[0].name, "size");

    transport.expect(Method::PATCH, "/v1/customMetadataFields/cm1").respond(fixtures::ok(field.clone()));
    let update = UpdateCustomMetadataField::new()
        .label("T-shirt size")
        .schema(UpdateFieldSchema::new().is_value_required(true));
    c.custom_metadata_fields().update("cm1", update).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"label": "T-shirt size", "schema": {"isValueRequired": true}})
    );

    transport.expect(Method::DELETE, "/v1/customMetadataFields/cm1").respond_json(204, json!({}));
    c.custom_metadata_fields().delete("cm1").await.unwrap();

    transport.push_json(
        400,
        json!({"message": "Invalid schema", "help": "h", "errors": {"schema.minValue": "must be a number"}}),
    );
    let update = UpdateCustomMetadataField::new().schema(UpdateFieldSchema::new().min_value("x"));
    let error = c.custom_metadata_fields().update("cm1", update).await.unwrap_err();
    assert_eq!(error.as_api().unwrap().errors().unwrap()["schema.minValue"], "must be a number");
    transport.assert_all_consumed();

    // An update that changes nothing goes out as `{}`, as the SDKs send it: the API decides.
    transport.expect(Method::PATCH, "/v1/customMetadataFields/cm1").respond(fixtures::ok(field));
    c.custom_metadata_fields().update("cm1", UpdateCustomMetadataField::new()).await.unwrap();
    assert_eq!(transport.requests().last().unwrap().body.as_ref(), b"{}");

    // Refused before anything is sent: an empty label, a long description.
    let sent_before = transport.requests().len();
    let unlabelled = UpdateCustomMetadataField::new().label("");
    let error = c.custom_metadata_fields().update("cm1", unlabelled).await.unwrap_err();
    assert_eq!(error.as_invalid_input().map(|i| i.parameter()), Some("label"));
    let long = "d".repeat(imagekit_core::resources::custom_metadata_fields::MAX_DESCRIPTION_CHARS + 1);
    let error = c
        .custom_metadata_fields()
        .update("cm1", UpdateCustomMetadataField::new().description(long.clone()))
        .await
        .unwrap_err();
    assert_eq!(error.as_invalid_input().map(|i| i.parameter()), Some("description"));
    let create = CreateCustomMetadataField::new(
        "n",
        "l",
        CustomMetadataFieldSchema::new(CustomMetadataFieldType::Text),
    )
    .description(long);
    let error = c.custom_metadata_fields().create(create).await.unwrap_err();
    assert_eq!(error.as_invalid_input().map(|i| i.parameter()), Some("description"));
    // The name of the field ImageKit manages itself cannot be taken.
    let reserved = CreateCustomMetadataField::new(
        imagekit_core::resources::custom_metadata_fields::RESERVED_FIELD_NAME,
        "Original creation date",
        CustomMetadataFieldSchema::new(CustomMetadataFieldType::Date),
    );
    let error = c.custom_metadata_fields().create(reserved).await.unwrap_err();
    assert_eq!(error.as_invalid_input().map(|i| i.parameter()), Some("name"));
    assert_eq!(transport.requests().len(), sent_before, "nothing more was sent");
}

#[tokio::test]
async fn saved_extensions_crud() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let saved = json!({"id": "ext_1", "name": "Tags", "description": "Tags shots",
        "config": {"name": "aws-auto-tagging", "minConfidence": 80, "maxTags": 10},
        "createdAt": "2024-07-01T00:00:00.000Z", "updatedAt": "2024-07-01T00:00:00.000Z"});
    transport.expect(Method::GET, "/v1/saved-extensions").respond(fixtures::ok(json!([saved.clone()])));
    let list = c.saved_extensions().list().await.unwrap();
    assert_eq!(list[0].config.as_ref().unwrap().name, ExtensionName::AwsAutoTagging);

    transport.expect(Method::POST, "/v1/saved-extensions").respond(fixtures::created(saved.clone()));
    let config = Extension::auto_tagging(ExtensionName::AwsAutoTagging, 80, 10);
    c.saved_extensions().create(CreateSavedExtension::new("Tags", "Tags shots", config)).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"name": "Tags", "description": "Tags shots",
            "config": {"name": "aws-auto-tagging", "minConfidence": 80, "maxTags": 10}})
    );

    transport.expect(Method::GET, "/v1/saved-extensions/ext_1").respond(fixtures::ok(saved.clone()));
    assert_eq!(c.saved_extensions().get("ext_1").await.unwrap().id.as_deref(), Some("ext_1"));

    transport.expect(Method::PATCH, "/v1/saved-extensions/ext_1").respond(fixtures::ok(saved));
    c.saved_extensions()
        .update("ext_1", UpdateSavedExtension::new().config(Extension::ai_auto_description()))
        .await
        .unwrap();
    assert_eq!(body(&sent(&transport)), json!({"config": {"name": "ai-auto-description"}}));

    transport.expect(Method::DELETE, "/v1/saved-extensions/ext_1").respond(fixtures::no_content());
    c.saved_extensions().delete("ext_1").await.unwrap();

    assert_eq!(
        invalid_field(c.saved_extensions().update("ext_1", UpdateSavedExtension::new().name("")).await),
        "name"
    );
    let pointer = CreateSavedExtension::new("Alias", "Points elsewhere", Extension::saved("ext_1"));
    assert_eq!(invalid_field(c.saved_extensions().create(pointer).await), "config.name");
    let pointer = UpdateSavedExtension::new().config(Extension::saved("ext_1"));
    assert_eq!(invalid_field(c.saved_extensions().update("ext_1", pointer).await), "config.name");
    transport.assert_all_consumed();
}

#[tokio::test]
async fn usage_checks_its_date_range_before_sending() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    for (start, end, field) in [
        ("2024-06-01", "2024-08-30", "endDate"), // 90 days
        ("2024-06-02", "2024-06-01", "endDate"),
        ("2024-6-01", "2024-06-20", "startDate"),
        ("2024-06-01", "2024-02-30", "endDate"),
    ] {
        assert_eq!(invalid_field(c.accounts().usage().get(start, end).await), field, "{start}..{end}");
    }
    assert_eq!(transport.request_count(), 0);

    transport.expect(Method::GET, "/v1/accounts/usage").respond_json(
        200,
        json!({"bandwidthBytes": 21_474_836_480_u64, "mediaLibraryStorageBytes": 1_073_741_824, "videoProcessingUnitsCount": 12,
            "extensionUnitsCount": 3, "originalCacheStorageBytes": 5_368_709_120_u64}),
    );
    let usage = c.accounts().usage().get("2024-06-01", "2024-08-29").await.unwrap();
    assert_eq!(sent(&transport).query(), Some("startDate=2024-06-01&endDate=2024-08-29"));
    assert_eq!(usage.bandwidth_bytes, Some(21_474_836_480));

    // One day, start and end the same: the spec's mock accepts it, so the client does too.
    transport.expect(Method::GET, "/v1/accounts/usage").respond_json(200, json!({}));
    c.accounts().usage().get("2024-06-01", "2024-06-01").await.unwrap();
}

#[tokio::test]
async fn origins_send_only_the_settings_of_their_kind() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let answer = json!({"id": "o1", "type": "S3", "name": "Products", "bucket": "shop", "prefix": "raw",
        "includeCanonicalHeader": false, "useIAMRole": false});
    transport.expect(Method::POST, "/v1/accounts/origins").respond(fixtures::created(answer.clone()));
    let origin = CreateOrigin::s3("Products", "shop", "AKIA1", "secret")
        .prefix("raw")
        .forward_host_header_to_origin(true) // not an S3 setting: not sent
        .canonical_header("https://shop.example.com");
    let created = c.accounts().origins().create(origin).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"name": "Products", "type": "S3", "includeCanonicalHeader": true,
            "baseUrlForCanonicalHeader": "https://shop.example.com", "bucket": "shop", "prefix": "raw",
            "accessKey": "AKIA1", "secretKey": "secret"})
    );
    assert_eq!(created.kind, Some(OriginType::S3));

    transport.expect(Method::PUT, "/v1/accounts/origins/o1").respond(fixtures::ok(answer.clone()));
    c.accounts().origins().update("o1", CreateOrigin::web_proxy("Proxy").prefix("ignored")).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"name": "Proxy", "type": "WEB_PROXY"}));

    transport
        .expect(Method::GET, "/v1/accounts/origins")
        .respond(fixtures::ok(json!([answer.clone(), {"id": "o2", "type": "FTP"}])));
    let list = c.accounts().origins().list().await.unwrap();
    assert_eq!(list[1].kind, Some(OriginType::Unknown("FTP".into())));
    transport.expect(Method::GET, "/v1/accounts/origins/o1").respond(fixtures::ok(answer));
    c.accounts().origins().get("o1").await.unwrap();
    transport.expect(Method::DELETE, "/v1/accounts/origins/o1").respond(fixtures::no_content());
    c.accounts().origins().delete("o1").await.unwrap();

    // An IAM-role bucket sends empty keys, as the API asks; the canonical header can be
    // turned off while its base URL stays.
    transport.expect(Method::POST, "/v1/accounts/origins").respond(fixtures::created(json!({"id": "o3"})));
    let origin = CreateOrigin::s3_iam_role("Role", "shop")
        .include_canonical_header(false)
        .base_url_for_canonical_header("https://shop.example.com");
    c.accounts().origins().create(origin).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"name": "Role", "type": "S3", "bucket": "shop", "useIAMRole": true, "accessKey": "",
            "secretKey": "", "includeCanonicalHeader": false,
            "baseUrlForCanonicalHeader": "https://shop.example.com"})
    );
    // Other kinds have no IAM role: the setting is not sent.
    transport.expect(Method::POST, "/v1/accounts/origins").respond(fixtures::created(json!({"id": "o4"})));
    c.accounts().origins().create(CreateOrigin::web_proxy("Proxy").use_iam_role(true)).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"name": "Proxy", "type": "WEB_PROXY"}));

    for name in ["", "bad-name!", &"x".repeat(101)] {
        assert_eq!(invalid_field(c.accounts().origins().create(CreateOrigin::web_proxy(name)).await), "name");
    }
    transport.assert_all_consumed();
}

#[tokio::test]
async fn url_endpoints_crud_and_bounds() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let answer = json!({"id": "e1", "description": "Products", "urlPrefix": "products", "origins": ["o1"],
        "urlRewriter": {"type": "CLOUDINARY", "preserveAssetDeliveryTypes": true}});
    transport.expect(Method::POST, "/v1/accounts/url-endpoints").respond(fixtures::created(answer.clone()));
    let endpoint = CreateUrlEndpoint::new("Products")
        .url_prefix("products")
        .origins(["o1"])
        .url_rewriter(UrlRewriter::new(UrlRewriterType::Cloudinary));
    let created = c.accounts().url_endpoints().create(endpoint).await.unwrap();
    assert_eq!(
        body(&sent(&transport)),
        json!({"description": "Products", "urlPrefix": "products", "origins": ["o1"], "urlRewriter": {"type": "CLOUDINARY"}})
    );
    assert_eq!(created.url_rewriter.unwrap().preserve_asset_delivery_types, Some(true));

    transport
        .expect(Method::GET, "/v1/accounts/url-endpoints")
        .respond(fixtures::ok(json!([answer.clone()])));
    c.accounts().url_endpoints().list().await.unwrap();
    transport.expect(Method::GET, "/v1/accounts/url-endpoints/default").respond(fixtures::ok(answer.clone()));
    c.accounts().url_endpoints().get("default").await.unwrap();
    transport.expect(Method::PUT, "/v1/accounts/url-endpoints/e1").respond(fixtures::ok(answer));
    c.accounts().url_endpoints().update("e1", CreateUrlEndpoint::new("Products")).await.unwrap();
    assert_eq!(body(&sent(&transport)), json!({"description": "Products"}));
    transport.expect(Method::DELETE, "/v1/accounts/url-endpoints/e1").respond(fixtures::no_content());
    c.accounts().url_endpoints().delete("e1").await.unwrap();

    let too_many = CreateUrlEndpoint::new("d").origins((0..11).map(|i| format!("o{i}")));
    assert_eq!(invalid_field(c.accounts().url_endpoints().create(too_many).await), "origins");
    assert_eq!(
        invalid_field(c.accounts().url_endpoints().create(CreateUrlEndpoint::new("")).await),
        "description"
    );
    transport.assert_all_consumed();
}

#[tokio::test]
async fn ids_are_checked_and_encoded_on_every_resource() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    assert_eq!(invalid_field(c.files().delete("").await), "fileId");
    assert_eq!(invalid_field(c.files().update("..", UpdateFileDetails::new()).await), "fileId");
    assert_eq!(invalid_field(c.folders().job().get("").await), "jobId");
    assert_eq!(invalid_field(c.cache().invalidation().get(".").await), "requestId");
    assert_eq!(invalid_field(c.saved_extensions().get("").await), "id");
    assert_eq!(invalid_field(c.accounts().origins().delete("").await), "id");
    assert_eq!(transport.request_count(), 0);
    transport.expect(Method::GET, "/v1/saved-extensions/a%2F..%2Fb").respond_json(200, json!({}));
    c.saved_extensions().get("a/../b").await.unwrap();
}
