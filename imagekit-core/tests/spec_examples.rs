//! Checks the version operations against ImageKit's official OpenAPI spec, read at test time from
//! `../shared/imagekit-openapi/v1.0.0.yaml` (or the file named by `IMAGEKIT_OPENAPI_SPEC`):
//! every operation's method and path match the spec, and every example the spec gives for a
//! success answer parses into the operation's model.

use std::path::PathBuf;

use http::Method;
use imagekit_core::models::File;
use imagekit_core::operation::Operation;
use imagekit_core::{Client, Error};
use imagekit_mock::ScriptedTransport;
use serde_json::Value;

fn spec() -> Value {
    let path = std::env::var_os("IMAGEKIT_OPENAPI_SPEC").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/imagekit-openapi/v1.0.0.yaml")
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "this test needs ImageKit's OpenAPI spec at {} ({e}); check out the shared/ folder beside \
             the repository or set IMAGEKIT_OPENAPI_SPEC",
            path.display()
        )
    });
    serde_norway::from_str(&text).expect("the spec is valid YAML")
}

/// (operationId, method, encoded path, a check that an example parses).
type Case = (&'static str, Method, String, fn(&Value) -> Result<(), String>);

fn parses<T: serde::de::DeserializeOwned>(example: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(example.clone()).map(|_| ()).map_err(|e| e.to_string())
}

/// What the spec fixes of an operation: its name, method and path.
fn case<T>(op: Result<Operation<T>, Error>, parse: fn(&Value) -> Result<(), String>) -> Case {
    let op = op.expect("valid ids");
    (op.name(), op.method().clone(), op.path().to_owned(), parse)
}

fn cases(client: &Client) -> Vec<Case> {
    let versions = client.files().versions();
    vec![
        case(client.files().get("FILE").into_operation(), parses::<File>),
        case(versions.list("FILE").into_operation(), parses::<Vec<File>>),
        case(versions.get("FILE", "VERSION").into_operation(), parses::<File>),
        case(versions.delete("FILE", "VERSION").into_operation(), |_| Ok(())),
        case(versions.restore("FILE", "VERSION").into_operation(), parses::<File>),
    ]
}

/// Every example the spec attaches to a success answer, wherever it sits.
fn success_examples(operation: &Value) -> Vec<Value> {
    let mut found = Vec::new();
    let Some(responses) = operation["responses"].as_object() else { return found };
    for (status, response) in responses {
        if !status.starts_with('2') {
            continue;
        }
        let Some(media) = response["content"].get("application/json") else { continue };
        if let Some(example) = media.get("example") {
            found.push(example.clone());
        }
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            found.extend(examples.values().filter_map(|e| e.get("value").cloned()));
        }
        let schema = &media["schema"];
        if let Some(example) = schema.get("example") {
            found.push(example.clone());
        }
        if let Some(example) = schema.get("items").and_then(|items| items.get("example")) {
            // Some array schemas put the whole list's example on the item schema.
            found.push(if example.is_array() {
                example.clone()
            } else {
                Value::Array(vec![example.clone()])
            });
        }
    }
    found
}

fn find_operation<'s>(spec: &'s Value, id: &str) -> (Method, String, &'s Value) {
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if operation.get("operationId").and_then(Value::as_str) == Some(id) {
                return (method.to_uppercase().parse().expect("method"), path.clone(), operation);
            }
        }
    }
    panic!("operationId {id} is not in the spec");
}

#[test]
fn version_operations_match_the_spec_and_its_examples_parse() {
    let spec = spec();
    let client = Client::builder().private_key("k").transport(ScriptedTransport::new()).build().unwrap();
    let mut examples_checked = 0;
    let mut ids = Vec::new();
    for (id, method, path, parse) in cases(&client) {
        ids.push(id);
        let (spec_method, template, spec_operation) = find_operation(&spec, id);
        assert_eq!(method, spec_method, "{id}: method");
        let expected_path = template.replace("{fileId}", "FILE").replace("{versionId}", "VERSION");
        assert_eq!(path, expected_path, "{id}: path");
        for example in success_examples(spec_operation) {
            parse(&example).unwrap_or_else(|e| panic!("{id}: spec example does not parse: {e}\n{example:#}"));
            examples_checked += 1;
        }
    }
    assert_eq!(
        ids,
        [
            "get-file-details",
            "list-file-versions",
            "get-file-version-details",
            "delete-file-version",
            "restore-file-version"
        ]
    );
    // get details, get version and restore each carry one example, the version list one more.
    assert!(examples_checked >= 4, "only {examples_checked} examples found: has the spec's layout changed?");
}

#[test]
fn spec_error_examples_read_as_message_and_help() {
    let spec = spec();
    let (_, _, operation) = find_operation(&spec, "get-file-version-details");
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

/// Follows a local `$ref` such as `#/components/examples/Name`.
fn resolve<'s>(spec: &'s Value, value: &'s Value) -> &'s Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/")) {
        Some(pointer) => spec.pointer(&format!("/{pointer}")).expect("a $ref into the spec"),
        None => value,
    }
}

#[test]
fn upload_operations_match_the_spec_send_its_fields_and_parse_its_examples() {
    use imagekit_core::models::{Upload, UploadOutcome};
    use imagekit_core::upload::{ResponseField, UploadSource, UploadTransformation};

    let spec = spec();
    let client = Client::builder().private_key("k").transport(ScriptedTransport::new()).build().unwrap();
    // Every parameter set, to compare the field names with the spec's form schema.
    fn every(call: imagekit_core::UploadCall<'_>) -> imagekit_core::UploadCall<'_> {
        call.use_unique_file_name(true)
            .tags(["t"])
            .folder("/")
            .is_private_file(false)
            .is_published(true)
            .custom_coordinates("1,1,1,1")
            .response_fields([ResponseField::Tags])
            .extensions([serde_json::json!({"name": "remove-bg"})])
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
    let params = client.authentication_parameters(Some("tok"), None).unwrap();
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
