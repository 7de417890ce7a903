//! Checks every operation against ImageKit's official OpenAPI spec, read at test time from the
//! file named by `IMAGEKIT_OPENAPI_SPEC`. The spec's licence does not allow a copy in this
//! repository, so these tests are `#[ignore]`d with that reason; run them with
//! `IMAGEKIT_OPENAPI_SPEC=path/to/v1.0.0.yaml cargo test -p imagekit-core --test spec_examples -- --ignored`:
//!
//! * every operationId of the spec is described here or excluded with a reason;
//! * each operation's method and path match the spec, it only sends query parameters the spec
//!   declares, and it sends a body exactly when the spec has one;
//! * every example the spec gives for a success answer (on the media type, on the schema, on the
//!   referenced component, on array items, on `oneOf`/`allOf` branches) parses into the model.
//!
//! Run with `--ignored`, a missing spec fails the tests with a message saying what to set; they
//! never skip.

use std::collections::BTreeSet;
use std::path::PathBuf;

use http::Method;
use imagekit_core::models::{
    Asset, BulkDeleteResult, BulkJob, BulkTagsResult, CustomMetadataField, CustomMetadataFieldSchema,
    CustomMetadataFieldType, Extension, File, FolderJob, Metadata, Origin, PurgeRequest, PurgeStatus,
    RenameFileResult, SavedExtension, UrlEndpoint, Usage,
};
use imagekit_core::operation::{Body, Operation};
use imagekit_core::resources::accounts::{CreateOrigin, CreateUrlEndpoint};
use imagekit_core::resources::assets::ListAssets;
use imagekit_core::resources::custom_metadata_fields::{
    CreateCustomMetadataField, ListCustomMetadataFields, UpdateCustomMetadataField,
};
use imagekit_core::resources::files::{CopyFile, MoveFile, RenameFile, UpdateFileDetails};
use imagekit_core::resources::folders::{CopyFolder, MoveFolder, RenameFolder};
use imagekit_core::resources::saved_extensions::{CreateSavedExtension, UpdateSavedExtension};
use imagekit_core::{Client, Error};
use imagekit_mock::ScriptedTransport;
use serde_json::Value;

/// Why the tests below are not in the default run.
const NEEDS_SPEC: &str = "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC";

fn spec() -> Value {
    let Some(path) = std::env::var_os("IMAGEKIT_OPENAPI_SPEC").map(PathBuf::from) else {
        panic!("{NEEDS_SPEC} to the path of ImageKit's OpenAPI document (v1.0.0.yaml)")
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read ImageKit's OpenAPI spec at {} (IMAGEKIT_OPENAPI_SPEC): {e}", path.display())
    });
    serde_norway::from_str(&text).expect("the spec is valid YAML")
}

/// Operations of the spec the table below does not describe, with the reason.
const EXCLUDED: &[(&str, &str)] = &[
    ("create-dummy-test", "internal SDK-generation endpoint"),
    ("upload-file", "a multipart form: checked field by field in the upload test below"),
    ("upload-file-v2", "a multipart form: checked field by field in the upload test below"),
];

type Parse = fn(&Value) -> Result<(), String>;

/// What the spec fixes of an operation, as this crate builds it.
struct Case {
    name: &'static str,
    method: Method,
    path: String,
    query_names: Vec<String>,
    has_body: bool,
    parse: Parse,
}

fn parses<T: serde::de::DeserializeOwned>(example: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(example.clone()).map(|_| ()).map_err(|e| e.to_string())
}

/// An operation with no success value accepts any JSON (ImageKit sends `{}` or nothing).
fn nothing(_: &Value) -> Result<(), String> {
    Ok(())
}

fn case<T>(op: Result<Operation<T>, Error>, parse: Parse) -> Case {
    let op = op.expect("valid arguments");
    let query_names = op
        .query_string()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split('=').next().unwrap_or_default().to_owned())
        .collect();
    Case {
        name: op.name(),
        method: op.method().clone(),
        path: op.path().to_owned(),
        query_names,
        has_body: !matches!(op.body(), Body::Empty),
        parse,
    }
}

fn cases(c: &Client) -> Vec<Case> {
    let auto_tagging =
        || Extension::auto_tagging(imagekit_core::models::ExtensionName::AwsAutoTagging, 70, 5);
    let every_list_param = ListAssets::new()
        .kind(imagekit_core::models::AssetType::All)
        .sort(imagekit_core::models::AssetSort::AscName)
        .path("/p")
        .search_query("q")
        .file_type(imagekit_core::models::FileTypeFilter::All)
        .limit(1)
        .skip(1);
    let schema = CustomMetadataFieldSchema::new(CustomMetadataFieldType::Number);
    vec![
        case(c.assets().list(every_list_param).into_operation(), parses::<Vec<Asset>>),
        case(c.files().get("FILE").into_operation(), parses::<File>),
        case(c.files().update("FILE", UpdateFileDetails::new().tags(["t"])).into_operation(), parses::<File>),
        case(c.files().delete("FILE").into_operation(), nothing),
        case(c.files().copy(CopyFile::new("/a", "/b")).into_operation(), nothing),
        case(c.files().r#move(MoveFile::new("/a", "/b")).into_operation(), nothing),
        case(c.files().rename(RenameFile::new("/a", "b")).into_operation(), parses::<RenameFileResult>),
        case(c.files().bulk().delete(["F"]).into_operation(), parses::<BulkDeleteResult>),
        case(c.files().bulk().add_tags(["F"], ["t"]).into_operation(), parses::<BulkTagsResult>),
        case(c.files().bulk().remove_tags(["F"], ["t"]).into_operation(), parses::<BulkTagsResult>),
        case(c.files().bulk().remove_ai_tags(["F"], ["t"]).into_operation(), parses::<BulkTagsResult>),
        case(c.files().metadata().get("FILE").into_operation(), parses::<Metadata>),
        case(c.files().metadata().get_from_url("https://x").into_operation(), parses::<Metadata>),
        case(c.files().versions().list("FILE").into_operation(), parses::<Vec<File>>),
        case(c.files().versions().get("FILE", "VERSION").into_operation(), parses::<File>),
        case(c.files().versions().delete("FILE", "VERSION").into_operation(), nothing),
        case(c.files().versions().restore("FILE", "VERSION").into_operation(), parses::<File>),
        case(c.folders().create("a", "/").into_operation(), nothing),
        case(c.folders().delete("/a").into_operation(), nothing),
        case(c.folders().copy(CopyFolder::new("/a", "/b")).into_operation(), parses::<FolderJob>),
        case(c.folders().r#move(MoveFolder::new("/a", "/b")).into_operation(), parses::<FolderJob>),
        case(c.folders().rename(RenameFolder::new("/a", "b")).into_operation(), parses::<FolderJob>),
        case(c.folders().job().get("JOB").into_operation(), parses::<BulkJob>),
        case(c.cache().invalidation().create("https://x").into_operation(), parses::<PurgeRequest>),
        case(c.cache().invalidation().get("REQUEST").into_operation(), parses::<PurgeStatus>),
        case(
            c.custom_metadata_fields()
                .create(CreateCustomMetadataField::new("n", "l", schema))
                .into_operation(),
            parses::<CustomMetadataField>,
        ),
        case(
            c.custom_metadata_fields()
                .list(ListCustomMetadataFields::new().include_deleted(true).folder_path("/"))
                .into_operation(),
            parses::<Vec<CustomMetadataField>>,
        ),
        case(
            c.custom_metadata_fields()
                .update("ID", UpdateCustomMetadataField::new().label("l"))
                .into_operation(),
            parses::<CustomMetadataField>,
        ),
        case(c.custom_metadata_fields().delete("ID").into_operation(), nothing),
        case(c.saved_extensions().list().into_operation(), parses::<Vec<SavedExtension>>),
        case(
            c.saved_extensions().create(CreateSavedExtension::new("n", "d", auto_tagging())).into_operation(),
            parses::<SavedExtension>,
        ),
        case(c.saved_extensions().get("ID").into_operation(), parses::<SavedExtension>),
        case(
            c.saved_extensions().update("ID", UpdateSavedExtension::new().name("n")).into_operation(),
            parses::<SavedExtension>,
        ),
        case(c.saved_extensions().delete("ID").into_operation(), nothing),
        case(c.accounts().usage().get("2024-01-01", "2024-02-01").into_operation(), parses::<Usage>),
        case(c.accounts().origins().list().into_operation(), parses::<Vec<Origin>>),
        case(c.accounts().origins().create(CreateOrigin::web_proxy("P")).into_operation(), parses::<Origin>),
        case(c.accounts().origins().get("ID").into_operation(), parses::<Origin>),
        case(
            c.accounts().origins().update("ID", CreateOrigin::web_proxy("P")).into_operation(),
            parses::<Origin>,
        ),
        case(c.accounts().origins().delete("ID").into_operation(), nothing),
        case(c.accounts().url_endpoints().list().into_operation(), parses::<Vec<UrlEndpoint>>),
        case(
            c.accounts().url_endpoints().create(CreateUrlEndpoint::new("d")).into_operation(),
            parses::<UrlEndpoint>,
        ),
        case(c.accounts().url_endpoints().get("ID").into_operation(), parses::<UrlEndpoint>),
        case(
            c.accounts().url_endpoints().update("ID", CreateUrlEndpoint::new("d")).into_operation(),
            parses::<UrlEndpoint>,
        ),
        case(c.accounts().url_endpoints().delete("ID").into_operation(), nothing),
    ]
}

/// Follows a local `$ref` such as `#/components/schemas/File`.
fn resolve<'s>(spec: &'s Value, node: &'s Value) -> &'s Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).map(|target| resolve(spec, target)).unwrap_or(node),
        None => node,
    }
}

/// The examples written on a schema itself: `example`, and the 3.1 `examples` list.
fn own_examples(schema: &Value) -> Vec<Value> {
    let mut found: Vec<Value> = schema.get("example").cloned().into_iter().collect();
    if let Some(list) = schema.get("examples").and_then(Value::as_array) {
        found.extend(list.iter().cloned());
    }
    found
}

/// Every example of a whole answer that a schema carries, following `$ref`s, array items and
/// `oneOf`/`anyOf`/`allOf` branches.
fn schema_examples(spec: &Value, schema: &Value, found: &mut Vec<Value>) {
    let schema = resolve(spec, schema);
    found.extend(own_examples(schema));
    if let Some(items) = schema.get("items") {
        let mut item_examples = Vec::new();
        schema_examples(spec, items, &mut item_examples);
        // Some array schemas put the whole list's example on the item schema.
        found.extend(item_examples.into_iter().map(|e| if e.is_array() { e } else { Value::Array(vec![e]) }));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for branch in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            schema_examples(spec, branch, found);
        }
    }
}

/// Every example the spec attaches to a success answer of `operation`, with its status.
fn success_examples(spec: &Value, operation: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let Some(responses) = operation["responses"].as_object() else { return found };
    for (status, response) in responses {
        if !status.starts_with('2') {
            continue;
        }
        let response = resolve(spec, response);
        let Some(media) = response["content"].get("application/json") else { continue };
        let mut examples: Vec<Value> = media.get("example").cloned().into_iter().collect();
        if let Some(named) = media.get("examples").and_then(Value::as_object) {
            examples.extend(named.values().filter_map(|e| resolve(spec, e).get("value").cloned()));
        }
        if let Some(schema) = media.get("schema") {
            schema_examples(spec, schema, &mut examples);
        }
        found.extend(examples.into_iter().map(|e| (status.clone(), e)));
    }
    found
}

/// Every (operationId, method, path template, operation) of the spec.
fn spec_operations(spec: &Value) -> Vec<(String, Method, String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            found.push((
                id.to_owned(),
                method.to_uppercase().parse().expect("method"),
                path.clone(),
                operation,
            ));
        }
    }
    found
}

fn client() -> Client {
    Client::builder().private_key("k").transport(ScriptedTransport::new()).build().unwrap()
}

#[test]
#[ignore = "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC"]
fn every_spec_operation_is_described_or_excluded() {
    let spec = spec();
    let client = client();
    let described: BTreeSet<&str> = cases(&client).iter().map(|c| c.name).collect();
    let excluded: BTreeSet<&str> = EXCLUDED.iter().map(|(id, _)| *id).collect();
    let in_spec: BTreeSet<String> = spec_operations(&spec).into_iter().map(|(id, ..)| id).collect();
    let missing: Vec<&String> = in_spec
        .iter()
        .filter(|id| !described.contains(id.as_str()) && !excluded.contains(id.as_str()))
        .collect();
    assert!(missing.is_empty(), "operations of the spec neither described nor excluded: {missing:?}");
    let unknown: Vec<&&str> =
        described.iter().chain(&excluded).filter(|id| !in_spec.contains(**id)).collect();
    assert!(unknown.is_empty(), "not operationIds of the spec: {unknown:?}");
    assert_eq!(described.len(), 45, "the 45 operations in scope");
}

#[test]
#[ignore = "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC"]
fn operations_match_the_spec_and_its_success_examples_parse() {
    let spec = spec();
    let client = client();
    let operations = spec_operations(&spec);
    let mut examples_checked = 0;
    for case in cases(&client) {
        let id = case.name;
        let (_, spec_method, template, operation) = operations
            .iter()
            .find(|(op_id, ..)| op_id == id)
            .unwrap_or_else(|| panic!("{id} is not in the spec"));
        assert_eq!(&case.method, spec_method, "{id}: method");
        let expected_path = template
            .replace("{fileId}", "FILE")
            .replace("{versionId}", "VERSION")
            .replace("{jobId}", "JOB")
            .replace("{requestId}", "REQUEST")
            .replace("{id}", "ID");
        assert_eq!(case.path, expected_path, "{id}: path");

        let declared: BTreeSet<&str> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(&spec, p))
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .collect();
        for name in &case.query_names {
            assert!(declared.contains(name.as_str()), "{id}: query parameter {name} is not in the spec");
        }
        let spec_has_body = operation.get("requestBody").is_some();
        assert_eq!(case.has_body, spec_has_body, "{id}: request body");

        for (status, example) in success_examples(&spec, operation) {
            (case.parse)(&example)
                .unwrap_or_else(|e| panic!("{id} {status}: spec example does not parse: {e}\n{example:#}"));
            examples_checked += 1;
        }
    }
    // At the time of writing the spec carries 14 whole-answer examples on the success answers of
    // the operations in scope (the rest of its samples sit on single properties).
    assert!(examples_checked >= 14, "only {examples_checked} examples found: has the spec's layout changed?");
}

#[test]
#[ignore = "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC"]
fn spec_error_examples_read_as_message_and_help() {
    let spec = spec();
    let operations = spec_operations(&spec);
    let (.., operation) =
        operations.iter().find(|(id, ..)| id == "get-file-version-details").expect("operation");
    for status in ["400", "404"] {
        let properties =
            &operation["responses"][status]["content"]["application/json"]["schema"]["properties"];
        // A property's sample sits under `example`, or is the first of `examples`.
        let sample = |name: &str| {
            let property = &properties[name];
            property.get("example").or_else(|| property["examples"].get(0)).cloned().unwrap_or(Value::Null)
        };
        let body = serde_json::json!({"message": sample("message"), "help": sample("help")});
        let transport = ScriptedTransport::new();
        transport.push_json(status.parse().unwrap(), body.clone());
        let client = Client::builder().private_key("k").transport(transport).build().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let error = runtime.block_on(client.files().versions().get("f", "v").send()).unwrap_err();
        let api = error.as_api().expect("an API error");
        assert_eq!(api.message(), body["message"].as_str(), "{status}");
        assert_eq!(api.help(), body["help"].as_str(), "{status}");
        assert!(api.message().is_some_and(|m| !m.is_empty()), "{status}: the spec example has a message");
    }
}

/// The method, path template and description of an operation of the spec.
fn find_operation<'s>(spec: &'s Value, id: &str) -> (Method, String, &'s Value) {
    spec_operations(spec)
        .into_iter()
        .find(|(found, ..)| found == id)
        .map(|(_, method, path, operation)| (method, path, operation))
        .unwrap_or_else(|| panic!("operationId {id} is not in the spec"))
}

#[test]
#[ignore = "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC"]
fn upload_operations_match_the_spec_send_its_fields_and_parse_its_examples() {
    use imagekit_core::models::{Upload, UploadOutcome};
    use imagekit_core::upload::{ResponseField, UploadSource, UploadTransformation};

    let spec = spec();
    let client = Client::builder().private_key("k").transport(ScriptedTransport::new()).build().unwrap();
    // Every parameter set, to compare the field names with the spec's form schema.
    fn every(call: imagekit_core::UploadCall) -> imagekit_core::UploadCall {
        call.use_unique_file_name(true)
            .tags(["t"])
            .folder("/")
            .is_private_file(false)
            .is_published(true)
            .custom_coordinates("1,1,1,1")
            .response_fields([ResponseField::Tags])
            .extensions([imagekit_core::models::Extension::new(
                imagekit_core::models::ExtensionName::RemoveBg,
            )])
            .webhook_url("https://example.test/w")
            .overwrite_file(true)
            .overwrite_ai_tags(true)
            .overwrite_tags(true)
            .overwrite_custom_metadata(true)
            .custom_metadata(serde_json::Map::new())
            .transformation(UploadTransformation::new().pre("w-10"))
            .checks("\"file.size\" < \"1mb\"")
            .description("d")
    }
    let params = client.helper().authentication_parameters(Some("tok"), None).unwrap();
    let v1 =
        every(client.files().upload(UploadSource::bytes("x"), "a.jpg")).client_side_auth("public_k", params);
    let v2 = every(client.files().upload_v2(UploadSource::bytes("x"), "a.jpg"))
        .jwt_auth("public_k", std::time::Duration::from_secs(60));
    let mut checked = 0;
    for (operation, schema) in
        [(v1.into_operation().unwrap(), "FileUploadV1"), (v2.into_operation().unwrap(), "FileUploadV2")]
    {
        let (method, path, spec_operation) = find_operation(&spec, operation.name());
        assert_eq!((operation.method(), operation.path()), (&method, path.as_str()));
        let imagekit_core::operation::Body::Multipart(form) = operation.body() else { panic!("a form body") };
        let mut sent: Vec<&str> = form.fields().iter().map(|(name, _)| name.as_str()).collect();
        sent.push("file");
        sent.sort_unstable();
        let properties = spec["components"]["schemas"][schema]["properties"].as_object().unwrap();
        let mut declared: Vec<&str> = properties.keys().map(String::as_str).collect();
        declared.sort_unstable();
        assert_eq!(sent, declared, "{schema}: every form field of the spec, and no other");

        for status in ["200", "202"] {
            let media = &spec_operation["responses"][status]["content"]["application/json"];
            let mut examples: Vec<Value> = media["examples"]
                .as_object()
                .map(|e| e.values().map(|e| resolve(&spec, &e["value"]).clone()).collect())
                .unwrap_or_default();
            if let Some(message) = media["schema"]["properties"]["message"].get("example") {
                examples.push(serde_json::json!({"message": message}));
            }
            for example in examples {
                let transport = ScriptedTransport::new();
                transport.push_json(status.parse().unwrap(), example.clone());
                let client = Client::builder().private_key("k").transport(transport).build().unwrap();
                let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                let outcome = runtime
                    .block_on(client.files().upload(UploadSource::bytes("x"), "a.jpg").send())
                    .unwrap();
                match (status, outcome) {
                    ("200", UploadOutcome::Uploaded(upload)) => {
                        assert!(upload.file_id.is_some());
                        serde_json::from_value::<Upload>(example).unwrap();
                    }
                    ("202", UploadOutcome::Accepted { message }) => assert!(message.is_some()),
                    (status, other) => panic!("{status}: {other:?}"),
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "three 200 examples and a 202 message per version; found {checked}");
}
