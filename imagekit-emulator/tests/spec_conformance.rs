//! Every answer the emulator gives, checked against the official OpenAPI spec: the status must
//! be one the spec documents for that operation, and the body must validate against the
//! spec's response schema for that status (JSON Schema 2020-12, `$ref`s resolved within the
//! spec).
//!
//! The spec is read from the file named by `IMAGEKIT_OPENAPI_SPEC`. Its licence does not allow a
//! copy in this repository, so these tests are `#[ignore]`d with that reason; run them with
//! `IMAGEKIT_OPENAPI_SPEC=path/to/v1.0.0.yaml cargo test -p imagekit-emulator --test spec_conformance -- --ignored`.
//! Run so, a missing spec fails them; they never skip.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use bytes::Bytes;
use common::*;
use hmac::{Hmac, Mac};
use http::{Method, StatusCode};
use imagekit_emulator::{Emulator, UploadForm};
use serde_json::{Value, json};

fn load_spec() -> Value {
    let Ok(path) = std::env::var("IMAGEKIT_OPENAPI_SPEC") else {
        panic!(
            "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC to the path of ImageKit's OpenAPI \
             document (v1.0.0.yaml)"
        )
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read ImageKit's OpenAPI spec at {path} (IMAGEKIT_OPENAPI_SPEC): {e}")
    });
    let mut spec = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"));
    null_types_as_text(&mut spec);
    spec
}

/// YAML reads `type: [string, null]` as a list holding a null; JSON Schema means the type
/// named `"null"`.
fn null_types_as_text(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "type" {
                    match item {
                        Value::Null => *item = json!("null"),
                        Value::Array(types) => {
                            types.iter_mut().filter(|t| t.is_null()).for_each(|t| *t = json!("null"))
                        }
                        _ => {}
                    }
                }
                null_types_as_text(item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(null_types_as_text),
        _ => {}
    }
}

/// Statuses the emulator answers that the spec does not document for the operation, with why.
const UNDOCUMENTED: &[(&str, &str, u16, &str)] = &[(
    "delete",
    "/v1/accounts/origins/{id}",
    400,
    "the spec says deleting an origin a URL endpoint uses is refused, but documents no status for it",
)];

struct Checker {
    spec: Value,
    emulator: Emulator,
    /// (method, path template) -> statuses validated.
    covered: BTreeMap<(String, String), BTreeSet<u16>>,
}

impl Checker {
    fn new() -> Self {
        Self { spec: load_spec(), emulator: Emulator::new(KEY), covered: BTreeMap::new() }
    }

    fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("external $ref {reference}"));
            value = self.spec.pointer(pointer).unwrap_or_else(|| panic!("dangling $ref {reference}"));
        }
        value
    }

    /// Sends `request` (whose path fits `template`) and validates the answer.
    fn send(&mut self, template: &str, request: http::Request<Bytes>) -> (StatusCode, Value) {
        let method = request.method().as_str().to_ascii_lowercase();
        let response = self.emulator.handle(request);
        let raw = response.body().clone();
        let (status, body) = parse(response);
        self.validate(&method, template, status, &raw, &body);
        (status, body)
    }

    fn validate(&mut self, method: &str, template: &str, status: StatusCode, raw: &Bytes, body: &Value) {
        let operation = self
            .spec
            .pointer(&format!("/paths/{}/{method}", template.replace('~', "~0").replace('/', "~1")))
            .unwrap_or_else(|| panic!("the spec has no operation {method} {template}"));
        let code = status.as_u16();
        let Some(documented) = operation["responses"].get(code.to_string()) else {
            if UNDOCUMENTED.iter().any(|(m, t, s, _)| *m == method && *t == template && *s == code) {
                return;
            }
            panic!("{method} {template} answered {status}, which the spec does not document: {body}");
        };
        let documented = self.resolve(documented);
        let schema = documented.pointer("/content/application~1json/schema");
        match schema {
            None => assert!(
                raw.is_empty(),
                "{method} {template} {status}: the spec documents no body, got {body}"
            ),
            // The API sends 204 without a body although the spec declares an empty JSON object.
            Some(_) if code == 204 => assert!(raw.is_empty(), "{method} {template} 204 with a body: {body}"),
            Some(schema) => {
                let mut root = schema.clone();
                let Value::Object(map) = &mut root else {
                    panic!("{method} {template} {status}: schema is not an object")
                };
                map.insert(
                    "components".into(),
                    json!({"schemas": self.spec["components"]["schemas"].clone()}),
                );
                let validator = jsonschema::draft202012::new(&root).unwrap_or_else(|e| {
                    panic!(
                        "{method} {template} {status}: cannot compile schema: {e} at {}",
                        e.instance_path()
                    )
                });
                let errors: Vec<String> =
                    validator.iter_errors(body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
                assert!(
                    errors.is_empty(),
                    "{method} {template} {status}: {body}\nviolates the spec:\n{}",
                    errors.join("\n")
                );
            }
        }
        self.covered.entry((method.to_uppercase(), template.to_owned())).or_default().insert(code);
    }

    fn call(
        &mut self,
        method: Method,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let request = request(method, path, body.as_ref());
        self.send(template, request)
    }

    fn expect(
        &mut self,
        method: Method,
        template: &str,
        path: &str,
        body: Option<Value>,
        want: u16,
    ) -> Value {
        let (status, answer) = self.call(method.clone(), template, path, body);
        assert_eq!(status.as_u16(), want, "{method} {path}: {answer}");
        answer
    }

    fn upload(&mut self, version: &str, form: UploadForm, auth: Option<&str>, want: u16) -> Value {
        let mut request = form.into_request("https://upload.imagekit.io", KEY);
        *request.uri_mut() =
            format!("https://upload.imagekit.io/api/{version}/files/upload").parse().unwrap();
        match auth {
            Some(key) => {
                request.headers_mut().insert("authorization", auth_header(key).parse().unwrap());
            }
            None => {
                request.headers_mut().remove("authorization");
            }
        }
        let (status, body) = self.send(&format!("/api/{version}/files/upload"), request);
        assert_eq!(status.as_u16(), want, "upload {version}: {body}");
        body
    }
}

fn sha1_signature(key: &str, token: &str, expire: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(format!("{token}{expire}").as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn jwt(key: &str, payload: &Value) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(br#"{"alg":"HS256","typ":"JWT","kid":"public_test"}"#);
    let payload = engine.encode(payload.to_string());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(format!("{header}.{payload}").as_bytes());
    format!("{header}.{payload}.{}", engine.encode(mac.finalize().into_bytes()))
}

const MISSING_ID: &str = "0123456789abcdef01234567";

#[test]
#[ignore = "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC"]
fn every_answer_matches_the_spec() {
    let mut c = Checker::new();
    let (get, post, put, patch, delete) =
        (Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE);

    // Uploads, v1 and v2, every way of sending the file and of authenticating.
    let all_fields = "tags,customCoordinates,isPrivateFile,embeddedMetadata,isPublished,customMetadata,metadata,selectedFieldsSchema";
    let first = c.upload(
        "v1",
        UploadForm::new("hero.png", png(640, 480))
            .field("folder", "/site/images")
            .field("useUniqueFileName", "false")
            .tags(&["hero", "home"])
            .field("customCoordinates", "10,10,100,100")
            .json_field("customMetadata", &json!({"brand": "acme"}))
            .field("responseFields", all_fields),
        Some(KEY),
        200,
    );
    let file_id = id_of(&first);
    let v1 = version_id_of(&first);
    let second = c.upload(
        "v1",
        UploadForm::new("hero.png", png(800, 600))
            .field("folder", "/site/images")
            .field("useUniqueFileName", "false"),
        Some(KEY),
        200,
    );
    let v2 = version_id_of(&second);
    c.upload(
        "v1",
        UploadForm::with_file_text("remote.jpg", "https://example.com/remote.jpg"),
        Some(KEY),
        200,
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(b"plain text");
    c.upload(
        "v1",
        UploadForm::with_file_text("notes.txt", &encoded).field("folder", "/docs"),
        Some(KEY),
        200,
    );
    c.upload(
        "v1",
        UploadForm::with_file_text(
            "dot.gif",
            &format!(
                "data:image/gif;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(b"GIF89a\x01\x00\x01\x00")
            ),
        ),
        Some(KEY),
        200,
    );
    let signature = sha1_signature(KEY, "token-1", "1893456000");
    c.upload(
        "v1",
        UploadForm::new("client.txt", &b"client side"[..])
            .field("publicKey", "public_test")
            .field("token", "token-1")
            .field("expire", "1893456000")
            .field("signature", &signature),
        None,
        200,
    );
    let token = jwt(KEY, &json!({"fileName": "v2.txt", "exp": 1893456000}));
    c.upload("v2", UploadForm::new("v2.txt", &b"v2"[..]).field("token", &token), None, 200);
    c.upload("v2", UploadForm::new("v2.txt", &b"v2"[..]), Some(KEY), 200);
    // Upload errors.
    c.upload("v1", UploadForm::new("", &b"x"[..]), Some(KEY), 400);
    c.upload(
        "v1",
        UploadForm::new("hero.png", &b"x"[..])
            .field("folder", "/site/images")
            .field("useUniqueFileName", "false")
            .field("overwriteFile", "false"),
        Some(KEY),
        400,
    );
    c.upload(
        "v1",
        UploadForm::new("a.txt", &b"x"[..])
            .field("signature", &signature)
            .field("token", "token-1")
            .field("expire", "1893456000"),
        Some(KEY),
        400,
    );
    c.upload(
        "v1",
        UploadForm::new("a.txt", &b"x"[..])
            .field("signature", "00")
            .field("token", "t")
            .field("expire", "1893456000"),
        None,
        403,
    );
    c.upload(
        "v2",
        UploadForm::new("a.txt", &b"x"[..]).field("token", &jwt("another key", &json!({}))),
        None,
        403,
    );
    c.upload("v2", UploadForm::new("a.txt", &b"x"[..]).field("token", &token), Some(KEY), 400);
    // Over the storage limit: ImageKit's 400 for an upload over the account's limits.
    let limit = c.emulator.stored_bytes() + 4;
    let _ = c.emulator.clone().with_storage_limit(limit);
    c.upload("v1", UploadForm::new("big.txt", &b"0123456789"[..]), Some(KEY), 400);
    let _ = c.emulator.clone().with_storage_limit(u64::MAX);
    for version in ["v1", "v2"] {
        c.upload(version, UploadForm::new("a.txt", &b"x"[..]), None, 401);
        c.upload(version, UploadForm::new("a.txt", &b"x"[..]), Some("private_wrong"), 403);
    }

    // Details, update, metadata.
    let details = "/v1/files/{fileId}/details";
    c.expect(get.clone(), details, &format!("/v1/files/{file_id}/details"), None, 200);
    c.expect(get.clone(), details, &format!("/v1/files/{MISSING_ID}/details"), None, 404);
    c.expect(get.clone(), details, "/v1/files/not-an-id/details", None, 400);
    let update = json!({"tags": ["a", "b"], "customCoordinates": "1,2,3,4", "customMetadata": {"k": "v"}, "description": "d", "removeAITags": "all"});
    c.expect(patch.clone(), details, &format!("/v1/files/{file_id}/details"), Some(update.clone()), 200);
    c.expect(
        patch.clone(),
        details,
        &format!("/v1/files/{file_id}/details"),
        Some(json!({"tags": null, "customCoordinates": null})),
        200,
    );
    c.expect(
        patch.clone(),
        details,
        &format!("/v1/files/{file_id}/details"),
        Some(json!({"publish": {"isPublished": false, "includeFileVersions": true}})),
        200,
    );
    c.expect(
        patch.clone(),
        details,
        &format!("/v1/files/{file_id}/details"),
        Some(json!({"tags": "no"})),
        400,
    );
    c.expect(patch.clone(), details, &format!("/v1/files/{MISSING_ID}/details"), Some(update), 404);
    let metadata = "/v1/files/{fileId}/metadata";
    c.expect(get.clone(), metadata, &format!("/v1/files/{file_id}/metadata"), None, 200);
    c.expect(get.clone(), metadata, &format!("/v1/files/{MISSING_ID}/metadata"), None, 404);
    c.expect(get.clone(), metadata, "/v1/files/x/metadata", None, 400);

    // Versions.
    let versions = "/v1/files/{fileId}/versions";
    let version = "/v1/files/{fileId}/versions/{versionId}";
    let restore = "/v1/files/{fileId}/versions/{versionId}/restore";
    c.expect(get.clone(), versions, &format!("/v1/files/{file_id}/versions"), None, 200);
    c.expect(get.clone(), versions, &format!("/v1/files/{MISSING_ID}/versions"), None, 404);
    c.expect(get.clone(), versions, "/v1/files/x/versions", None, 400);
    c.expect(get.clone(), version, &format!("/v1/files/{file_id}/versions/{v1}"), None, 200);
    c.expect(get.clone(), version, &format!("/v1/files/{file_id}/versions/{MISSING_ID}"), None, 404);
    c.expect(get.clone(), version, &format!("/v1/files/{file_id}/versions/x"), None, 400);
    c.expect(put.clone(), restore, &format!("/v1/files/{file_id}/versions/{v1}/restore"), None, 200);
    c.expect(put.clone(), restore, &format!("/v1/files/{file_id}/versions/{MISSING_ID}/restore"), None, 404);
    c.expect(put.clone(), restore, &format!("/v1/files/x/versions/{v1}/restore"), None, 400);
    c.expect(delete.clone(), version, &format!("/v1/files/{file_id}/versions/{v2}"), None, 204);
    c.expect(delete.clone(), version, &format!("/v1/files/{file_id}/versions/{v2}"), None, 404);
    let current =
        version_id_of(&c.expect(get.clone(), details, &format!("/v1/files/{file_id}/details"), None, 200));
    c.expect(delete.clone(), version, &format!("/v1/files/{file_id}/versions/{current}"), None, 400);

    // List and search.
    let list = "/v1/files";
    for query in [
        "",
        "?type=all",
        "?type=folder",
        "?type=file-version",
        "?path=/site/images&fileType=image&sort=DESC_SIZE&skip=0&limit=10",
        "?fileType=non-image&sort=ASC_NAME",
        "?searchQuery=name%20%3D%20%22hero.png%22",
        "?searchQuery=tags%20IN%20%5B%22a%22%5D%20AND%20createdAt%20%3E%20%227d%22&type=all",
    ] {
        c.expect(get.clone(), list, &format!("/v1/files{query}"), None, 200);
    }
    for query in ["?sort=SIDEWAYS", "?limit=0", "?type=nope", "?searchQuery=name%20~%20x"] {
        c.expect(get.clone(), list, &format!("/v1/files{query}"), None, 400);
    }

    // Bulk tags.
    let other = id_of(&upload(&c.emulator, "/site", "other.txt", b"other"));
    c.emulator.set_ai_tags(&other, &["Document", "Text"]);
    for (path, field) in [
        ("/v1/files/addTags", "tags"),
        ("/v1/files/removeTags", "tags"),
        ("/v1/files/removeAITags", "AITags"),
    ] {
        c.expect(
            post.clone(),
            path,
            path,
            Some(json!({"fileIds": [file_id, other], field: ["x", "Text"]})),
            200,
        );
        c.expect(
            post.clone(),
            path,
            path,
            Some(json!({"fileIds": [file_id, MISSING_ID], field: ["x"]})),
            404,
        );
        c.expect(post.clone(), path, path, Some(json!({"fileIds": "nope"})), 400);
    }
    let long = "t".repeat(300);
    c.expect(
        post.clone(),
        "/v1/files/addTags",
        "/v1/files/addTags",
        Some(json!({"fileIds": [other], "tags": [long.clone()]})),
        200,
    );
    c.expect(
        post.clone(),
        "/v1/files/addTags",
        "/v1/files/addTags",
        Some(json!({"fileIds": [file_id, other], "tags": [format!("{long}2")]})),
        207,
    );

    // Copy, move, rename.
    for path in ["/v1/files/copy", "/v1/files/move"] {
        let source = if path.ends_with("copy") { "/site/images/hero.png" } else { "/site/other.txt" };
        c.expect(
            post.clone(),
            path,
            path,
            Some(
                json!({"sourceFilePath": source, "destinationPath": "/archive", "includeFileVersions": true}),
            ),
            204,
        );
        c.expect(
            post.clone(),
            path,
            path,
            Some(json!({"sourceFilePath": "/missing.png", "destinationPath": "/archive"})),
            404,
        );
        c.expect(post.clone(), path, path, Some(json!({"destinationPath": "/archive"})), 400);
    }
    let rename = "/v1/files/rename";
    upload(&c.emulator, "/archive", "taken.png", &png(1, 1));
    c.expect(
        put.clone(),
        rename,
        rename,
        Some(json!({"filePath": "/archive/hero.png", "newFileName": "hero-2.png"})),
        200,
    );
    c.expect(
        put.clone(),
        rename,
        rename,
        Some(json!({"filePath": "/archive/hero-2.png", "newFileName": "hero-3.png", "purgeCache": true})),
        200,
    );
    c.expect(
        put.clone(),
        rename,
        rename,
        Some(json!({"filePath": "/archive/hero-3.png", "newFileName": "taken.png"})),
        409,
    );
    c.expect(
        put.clone(),
        rename,
        rename,
        Some(json!({"filePath": "/archive/none.png", "newFileName": "x.png"})),
        404,
    );
    c.expect(
        put.clone(),
        rename,
        rename,
        Some(json!({"filePath": "/archive/hero-3.png", "newFileName": "hero-3.png"})),
        400,
    );

    // Folders and bulk jobs.
    let folder = "/v1/folder";
    c.expect(
        post.clone(),
        folder,
        folder,
        Some(json!({"folderName": "summer", "parentFolderPath": "/campaigns/2025"})),
        201,
    );
    c.expect(post.clone(), folder, folder, Some(json!({"folderName": "a/b", "parentFolderPath": "/"})), 400);
    let copy_folder = "/v1/bulkJobs/copyFolder";
    let move_folder = "/v1/bulkJobs/moveFolder";
    let rename_folder = "/v1/bulkJobs/renameFolder";
    let job = "/v1/bulkJobs/{jobId}";
    let copied = c.expect(
        post.clone(),
        copy_folder,
        copy_folder,
        Some(json!({"sourceFolderPath": "/site", "destinationPath": "/backup", "includeVersions": true})),
        200,
    );
    c.expect(
        post.clone(),
        copy_folder,
        copy_folder,
        Some(json!({"sourceFolderPath": "/nowhere", "destinationPath": "/backup"})),
        404,
    );
    c.expect(
        post.clone(),
        copy_folder,
        copy_folder,
        Some(json!({"sourceFolderPath": "/site", "destinationPath": "/site/inner"})),
        400,
    );
    c.expect(
        post.clone(),
        move_folder,
        move_folder,
        Some(json!({"sourceFolderPath": "/backup/site", "destinationPath": "/old"})),
        200,
    );
    c.expect(
        post.clone(),
        move_folder,
        move_folder,
        Some(json!({"sourceFolderPath": "/backup/site", "destinationPath": "/old"})),
        404,
    );
    c.expect(post.clone(), move_folder, move_folder, Some(json!({"sourceFolderPath": "/"})), 400);
    let renamed = c.expect(
        post.clone(),
        rename_folder,
        rename_folder,
        Some(json!({"folderPath": "/old/site", "newFolderName": "legacy", "purgeCache": true})),
        202,
    );
    c.expect(
        post.clone(),
        rename_folder,
        rename_folder,
        Some(json!({"folderPath": "/old/site", "newFolderName": "x"})),
        404,
    );
    c.expect(
        post.clone(),
        folder,
        folder,
        Some(json!({"folderName": "taken", "parentFolderPath": "/old"})),
        201,
    );
    c.expect(
        post.clone(),
        rename_folder,
        rename_folder,
        Some(json!({"folderPath": "/old/legacy", "newFolderName": "taken"})),
        409,
    );
    c.expect(post.clone(), rename_folder, rename_folder, Some(json!({"folderPath": "/old/legacy"})), 400);
    for answer in [&copied, &renamed] {
        let id = answer["jobId"].as_str().unwrap();
        c.expect(get.clone(), job, &format!("/v1/bulkJobs/{id}"), None, 200);
    }
    c.expect(get.clone(), job, &format!("/v1/bulkJobs/{MISSING_ID}"), None, 404);
    c.expect(delete.clone(), folder, folder, Some(json!({"folderPath": "/old"})), 204);
    c.expect(delete.clone(), folder, folder, Some(json!({"folderPath": "/old"})), 404);
    c.expect(delete.clone(), folder, folder, Some(json!({})), 400);

    // Purge.
    let purge = "/v1/files/purge";
    let purge_status = "/v1/files/purge/{requestId}";
    let answer = c.expect(
        post.clone(),
        purge,
        purge,
        Some(json!({"url": "https://ik.imagekit.io/emulator/site/images/hero.png"})),
        201,
    );
    c.expect(post.clone(), purge, purge, Some(json!({"url": "not a url"})), 400);
    let request_id = answer["requestId"].as_str().unwrap();
    c.expect(get.clone(), purge_status, &format!("/v1/files/purge/{request_id}"), None, 200);
    c.expect(get.clone(), purge_status, "/v1/files/purge/unknown", None, 400);

    // Deletes.
    let batch = "/v1/files/batch/deleteByFileIds";
    let one = id_of(&upload(&c.emulator, "/tmp", "one.txt", b"1"));
    let two = id_of(&upload(&c.emulator, "/tmp", "two.txt", b"2"));
    c.expect(post.clone(), batch, batch, Some(json!({"fileIds": [one, MISSING_ID]})), 404);
    c.expect(post.clone(), batch, batch, Some(json!({"fileIds": [one]})), 200);
    c.expect(post.clone(), batch, batch, Some(json!({})), 400);
    let file = "/v1/files/{fileId}";
    c.expect(delete.clone(), file, &format!("/v1/files/{two}"), None, 204);
    c.expect(delete.clone(), file, &format!("/v1/files/{two}"), None, 404);
    c.expect(delete.clone(), file, "/v1/files/x", None, 400);

    // Custom metadata fields.
    let fields = "/v1/customMetadataFields";
    let field = "/v1/customMetadataFields/{id}";
    let price = c.expect(
        post.clone(),
        fields,
        fields,
        Some(json!({"name": "price", "label": "Price", "schema": {"type": "Number", "minValue": 1000, "maxValue": 3000, "defaultValue": 1500, "isValueRequired": true}})),
        201,
    );
    for schema in [
        json!({"type": "Text", "minLength": 1, "maxLength": 20, "defaultValue": "n/a"}),
        json!({"type": "Textarea"}),
        json!({"type": "Date", "minValue": "2025-01-01T00:00:00.000Z", "maxValue": "2026-01-01"}),
        json!({"type": "Boolean", "defaultValue": false}),
        json!({"type": "SingleSelect", "selectOptions": ["S", "M", 3, true], "defaultValue": "M"}),
        json!({"type": "MultiSelect", "selectOptions": ["a", "b"], "defaultValue": ["a", "b"]}),
    ] {
        let kind = schema["type"].as_str().unwrap().to_owned();
        c.expect(
            post.clone(),
            fields,
            fields,
            Some(json!({"name": format!("f{kind}"), "label": format!("L {kind}"), "schema": schema})),
            201,
        );
    }
    for bad in [
        json!({"name": "price", "label": "Another", "schema": {"type": "Text"}}),
        json!({"name": "other", "label": "Price", "schema": {"type": "Text"}}),
        json!({"name": "other", "label": "Other", "schema": {"type": "Colour"}}),
        json!({"name": "other", "label": "Other", "schema": {"type": "SingleSelect"}}),
        json!({"name": "other", "label": "Other", "schema": {"type": "Number", "minLength": 2}}),
        json!({"name": "other", "label": "Other", "schema": {"type": "Number", "minValue": 5, "maxValue": 1}}),
        json!({"name": "other", "label": "Other", "schema": {"type": "Boolean", "isValueRequired": true}}),
        json!({"label": "Other", "schema": {"type": "Text"}}),
    ] {
        c.expect(post.clone(), fields, fields, Some(bad), 400);
    }
    c.expect(get.clone(), fields, fields, None, 200);
    c.expect(get.clone(), fields, "/v1/customMetadataFields?includeDeleted=true&folderPath=/site", None, 200);
    let price_id = price["id"].as_str().unwrap().to_owned();
    let price_path = format!("/v1/customMetadataFields/{price_id}");
    c.expect(
        patch.clone(),
        field,
        &price_path,
        Some(json!({"label": "Cost", "schema": {"type": "Text", "minValue": 10, "maxValue": 20}})),
        200,
    );
    c.expect(patch.clone(), field, &price_path, Some(json!({})), 400);
    c.expect(patch.clone(), field, &price_path, Some(json!({"name": "cost"})), 400);
    c.expect(patch.clone(), field, &price_path, Some(json!({"label": "L Text"})), 400);
    c.expect(
        patch.clone(),
        field,
        &format!("/v1/customMetadataFields/{MISSING_ID}"),
        Some(json!({"label": "x"})),
        404,
    );
    c.expect(patch.clone(), field, "/v1/customMetadataFields/not-an-id", Some(json!({"label": "x"})), 400);
    c.expect(delete.clone(), field, &price_path, None, 204);
    c.expect(delete.clone(), field, &price_path, None, 404);
    c.expect(delete.clone(), field, "/v1/customMetadataFields/x", None, 400);
    c.expect(patch.clone(), field, &price_path, Some(json!({"label": "Again"})), 400);
    c.expect(
        post.clone(),
        fields,
        fields,
        Some(json!({"name": "price", "label": "Price", "schema": {"type": "Text"}})),
        400,
    );

    // Saved extensions.
    let extensions = "/v1/saved-extensions";
    let extension = "/v1/saved-extensions/{id}";
    let mut saved = Vec::new();
    for config in [
        json!({"name": "remove-bg", "options": {"add_shadow": true, "bg_color": "81d4fa"}}),
        json!({"name": "google-auto-tagging", "minConfidence": 80, "maxTags": 10}),
        json!({"name": "aws-auto-tagging", "minConfidence": 70, "maxTags": 5}),
        json!({"name": "ai-auto-description"}),
        json!({"name": "ai-tasks", "tasks": [
            {"type": "select_tags", "instruction": "What is worn?", "vocabulary": ["shirt", "dress"], "max_selections": 2},
            {"type": "select_metadata", "instruction": "Main colour?", "field": "colour", "vocabulary": ["red", 1, true]},
            {"type": "yes_no", "instruction": "Luxury?", "on_yes": {"add_tags": ["luxury"], "set_metadata": [{"field": "tier", "value": "high"}]}, "on_no": {"unset_metadata": [{"field": "tier"}]}},
        ]}),
    ] {
        let name = config["name"].as_str().unwrap().to_owned();
        saved.push(c.expect(
            post.clone(),
            extensions,
            extensions,
            Some(json!({"name": format!("Saved {name}"), "description": "Runs it.", "config": config})),
            201,
        ));
    }
    for bad in [
        json!({"name": "x", "description": "d", "config": {"name": "google-auto-tagging", "maxTags": 10}}),
        json!({"name": "x", "description": "d", "config": {"name": "unknown"}}),
        json!({"name": "x", "description": "d", "config": {"name": "ai-tasks", "tasks": []}}),
        json!({"name": "x", "config": {"name": "ai-auto-description"}}),
    ] {
        c.expect(post.clone(), extensions, extensions, Some(bad), 400);
    }
    c.expect(get.clone(), extensions, extensions, None, 200);
    let saved_path = format!("/v1/saved-extensions/{}", saved[1]["id"].as_str().unwrap());
    let missing_extension = format!("/v1/saved-extensions/{MISSING_ID}");
    c.expect(get.clone(), extension, &saved_path, None, 200);
    c.expect(get.clone(), extension, &missing_extension, None, 404);
    c.expect(get.clone(), extension, "/v1/saved-extensions/ext_abc", None, 400);
    c.expect(
        patch.clone(),
        extension,
        &saved_path,
        Some(json!({"description": "Tags more.", "config": {"name": "google-auto-tagging", "minConfidence": 50, "maxTags": 20}})),
        200,
    );
    c.expect(
        patch.clone(),
        extension,
        &saved_path,
        Some(json!({"config": {"name": "remove-bg", "options": 3}})),
        400,
    );
    c.expect(patch.clone(), extension, &missing_extension, Some(json!({"name": "x"})), 404);
    c.expect(delete.clone(), extension, &saved_path, None, 204);
    c.expect(delete.clone(), extension, &saved_path, None, 404);
    c.expect(delete.clone(), extension, "/v1/saved-extensions/x", None, 400);

    // Origins, one of each kind; answers never carry credentials (the response schemas forbid
    // any property they do not list).
    let origins = "/v1/accounts/origins";
    let origin = "/v1/accounts/origins/{id}";
    let mut origin_ids = Vec::new();
    for request in [
        json!({"name": "S3 main", "type": "S3", "bucket": "media", "accessKey": "AKIA", "secretKey": "secret", "prefix": "raw"}),
        json!({"name": "S3 role", "type": "S3", "bucket": "media", "useIAMRole": true, "accessKey": "", "secretKey": ""}),
        json!({"name": "Wasabi", "type": "S3_COMPATIBLE", "bucket": "b", "accessKey": "a", "secretKey": "s", "endpoint": "https://s3.wasabisys.com", "s3ForcePathStyle": true}),
        json!({"name": "Cloudinary", "type": "CLOUDINARY_BACKUP", "bucket": "b", "accessKey": "a", "secretKey": "s"}),
        json!({"name": "Web", "type": "WEB_FOLDER", "baseUrl": "https://images.example.com/assets", "includeCanonicalHeader": true, "baseUrlForCanonicalHeader": "https://cdn.example.com"}),
        json!({"name": "Proxy", "type": "WEB_PROXY"}),
        json!({"name": "Google", "type": "GCS", "bucket": "g", "clientEmail": "svc@project.iam.gserviceaccount.com", "privateKey": "-----BEGIN PRIVATE KEY-----"}),
        json!({"name": "Azure", "type": "AZURE_BLOB", "container": "c", "accountName": "acct", "sasToken": "?sv=1&sig=x"}),
        json!({"name": "Akeneo", "type": "AKENEO_PIM", "baseUrl": "https://akeneo.example.com", "clientId": "id", "clientSecret": "cs", "username": "u", "password": "p"}),
    ] {
        let answer = c.expect(post.clone(), origins, origins, Some(request), 201);
        origin_ids.push(answer["id"].as_str().unwrap().to_owned());
    }
    for bad in [
        json!({"name": "x", "type": "FTP"}),
        json!({"type": "WEB_PROXY"}),
        json!({"name": "bad-name!", "type": "WEB_PROXY"}),
        json!({"name": "x", "type": "S3", "accessKey": "a", "secretKey": "s"}),
        json!({"name": "x", "type": "S3", "bucket": "b", "useIAMRole": true, "accessKey": "a", "secretKey": "s"}),
        json!({"name": "x", "type": "WEB_FOLDER", "baseUrl": "not a url"}),
        json!({"name": "x", "type": "WEB_PROXY", "bucket": "b"}),
        json!({"name": "x", "type": "GCS", "bucket": "b", "clientEmail": ".a@b.c", "privateKey": "k"}),
    ] {
        c.expect(post.clone(), origins, origins, Some(bad), 400);
    }
    c.expect(get.clone(), origins, origins, None, 200);
    let proxy = format!("/v1/accounts/origins/{}", origin_ids[5]);
    let missing_origin = format!("/v1/accounts/origins/{MISSING_ID}");
    c.expect(get.clone(), origin, &proxy, None, 200);
    c.expect(get.clone(), origin, &missing_origin, None, 404);
    c.expect(
        put.clone(),
        origin,
        &proxy,
        Some(json!({"name": "Proxy", "type": "WEB_FOLDER", "baseUrl": "http://example.com"})),
        200,
    );
    c.expect(put.clone(), origin, &proxy, Some(json!({"name": "Proxy", "type": "S3"})), 400);
    c.expect(put.clone(), origin, &missing_origin, Some(json!({"name": "x", "type": "WEB_PROXY"})), 404);

    // URL endpoints, the default one from the start.
    let endpoints = "/v1/accounts/url-endpoints";
    let endpoint = "/v1/accounts/url-endpoints/{id}";
    c.expect(get.clone(), endpoint, "/v1/accounts/url-endpoints/default", None, 200);
    let created = c.expect(
        post.clone(),
        endpoints,
        endpoints,
        Some(json!({"description": "Products", "urlPrefix": "products", "origins": [origin_ids[0], origin_ids[5]], "urlRewriter": {"type": "CLOUDINARY"}})),
        201,
    );
    c.expect(
        post.clone(),
        endpoints,
        endpoints,
        Some(json!({"description": "Legacy", "urlPrefix": "legacy", "urlRewriter": {"type": "IMGIX"}})),
        201,
    );
    for bad in [
        json!({"urlPrefix": "x"}),
        json!({"description": "No prefix"}),
        json!({"description": "Taken", "urlPrefix": "products"}),
        json!({"description": "Ghost", "urlPrefix": "ghost", "origins": [MISSING_ID]}),
        json!({"description": "Odd", "urlPrefix": "odd", "urlRewriter": {"type": "S3"}}),
    ] {
        c.expect(post.clone(), endpoints, endpoints, Some(bad), 400);
    }
    c.expect(get.clone(), endpoints, endpoints, None, 200);
    let products = format!("/v1/accounts/url-endpoints/{}", created["id"].as_str().unwrap());
    let missing_endpoint = format!("/v1/accounts/url-endpoints/{MISSING_ID}");
    c.expect(get.clone(), endpoint, &products, None, 200);
    c.expect(get.clone(), endpoint, &missing_endpoint, None, 404);
    c.expect(
        put.clone(),
        endpoint,
        &products,
        Some(json!({"description": "Products", "urlPrefix": "products", "origins": [origin_ids[5]], "urlRewriter": {"type": "AKAMAI"}})),
        200,
    );
    c.expect(
        put.clone(),
        endpoint,
        "/v1/accounts/url-endpoints/default",
        Some(json!({"description": "Default", "origins": [origin_ids[1]]})),
        200,
    );
    c.expect(put.clone(), endpoint, &products, Some(json!({"description": ""})), 400);
    c.expect(
        put.clone(),
        endpoint,
        &missing_endpoint,
        Some(json!({"description": "x", "urlPrefix": "x"})),
        404,
    );
    c.expect(delete.clone(), endpoint, "/v1/accounts/url-endpoints/default", None, 400);
    // The origin is in use until its endpoint goes.
    let (status, _) = c.call(delete.clone(), origin, &proxy, None);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    c.expect(delete.clone(), endpoint, &products, None, 204);
    c.expect(delete.clone(), endpoint, &products, None, 404);
    c.expect(delete.clone(), origin, &proxy, None, 204);
    c.expect(delete.clone(), origin, &proxy, None, 404);

    // Usage.
    let usage = "/v1/accounts/usage";
    c.expect(get.clone(), usage, "/v1/accounts/usage?startDate=2025-01-01&endDate=2025-02-01", None, 200);
    c.expect(get.clone(), usage, "/v1/accounts/usage?startDate=2025-01-01&endDate=2025-01-01", None, 200);
    for query in [
        "",
        "?startDate=2025-01-01",
        "?startDate=2025-02-30&endDate=2025-03-01",
        "?startDate=20250101&endDate=2025-03-01",
        "?startDate=2025-03-01&endDate=2025-01-01",
        "?startDate=2025-01-01&endDate=2025-04-01",
    ] {
        c.expect(get.clone(), usage, &format!("/v1/accounts/usage{query}"), None, 400);
    }

    // Authentication, and an injected rate limit, on every non-upload operation.
    let operations: Vec<(Method, &str, String)> = vec![
        (get.clone(), list, "/v1/files".into()),
        (get.clone(), details, format!("/v1/files/{file_id}/details")),
        (patch.clone(), details, format!("/v1/files/{file_id}/details")),
        (get.clone(), metadata, format!("/v1/files/{file_id}/metadata")),
        (delete.clone(), file, format!("/v1/files/{file_id}")),
        (get.clone(), versions, format!("/v1/files/{file_id}/versions")),
        (get.clone(), version, format!("/v1/files/{file_id}/versions/{v1}")),
        (delete.clone(), version, format!("/v1/files/{file_id}/versions/{v1}")),
        (put.clone(), restore, format!("/v1/files/{file_id}/versions/{v1}/restore")),
        (post.clone(), batch, batch.into()),
        (post.clone(), "/v1/files/copy", "/v1/files/copy".into()),
        (post.clone(), "/v1/files/move", "/v1/files/move".into()),
        (put.clone(), rename, rename.into()),
        (post.clone(), "/v1/files/addTags", "/v1/files/addTags".into()),
        (post.clone(), "/v1/files/removeTags", "/v1/files/removeTags".into()),
        (post.clone(), "/v1/files/removeAITags", "/v1/files/removeAITags".into()),
        (post.clone(), folder, folder.into()),
        (delete.clone(), folder, folder.into()),
        (post.clone(), copy_folder, copy_folder.into()),
        (post.clone(), move_folder, move_folder.into()),
        (post.clone(), rename_folder, rename_folder.into()),
        (get.clone(), job, format!("/v1/bulkJobs/{MISSING_ID}")),
        (post.clone(), purge, purge.into()),
        (get.clone(), purge_status, "/v1/files/purge/x".into()),
        (get.clone(), fields, fields.into()),
        (post.clone(), fields, fields.into()),
        (patch.clone(), field, format!("/v1/customMetadataFields/{MISSING_ID}")),
        (delete.clone(), field, format!("/v1/customMetadataFields/{MISSING_ID}")),
        (get.clone(), extensions, extensions.into()),
        (post.clone(), extensions, extensions.into()),
        (get.clone(), extension, missing_extension.clone()),
        (patch.clone(), extension, missing_extension.clone()),
        (delete.clone(), extension, missing_extension.clone()),
        (get.clone(), usage, "/v1/accounts/usage?startDate=2025-01-01&endDate=2025-01-02".into()),
        (get.clone(), origins, origins.into()),
        (post.clone(), origins, origins.into()),
        (get.clone(), origin, missing_origin.clone()),
        (put.clone(), origin, missing_origin.clone()),
        (delete.clone(), origin, missing_origin.clone()),
        (get.clone(), endpoints, endpoints.into()),
        (post.clone(), endpoints, endpoints.into()),
        (get.clone(), endpoint, missing_endpoint.clone()),
        (put.clone(), endpoint, missing_endpoint.clone()),
        (delete.clone(), endpoint, missing_endpoint.clone()),
    ];
    for (method, template, path) in &operations {
        let mut anonymous = request(method.clone(), path, None);
        anonymous.headers_mut().remove("authorization");
        assert_eq!(c.send(template, anonymous).0, StatusCode::UNAUTHORIZED);
        let mut wrong = request(method.clone(), path, None);
        wrong.headers_mut().insert("authorization", auth_header("private_wrong").parse().unwrap());
        assert_eq!(c.send(template, wrong).0, StatusCode::FORBIDDEN);
        let prefix = path.split('?').next().unwrap_or_default();
        c.emulator.fail_next(Some(method.clone()), prefix, 1, StatusCode::TOO_MANY_REQUESTS);
        let (status, _) = c.call(method.clone(), template, path, None);
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    }

    // Every implemented operation was checked on its success status and at least one error.
    let successes = [
        ("POST", "/api/v1/files/upload", 200),
        ("POST", "/api/v2/files/upload", 200),
        ("GET", list, 200),
        ("GET", details, 200),
        ("PATCH", details, 200),
        ("GET", metadata, 200),
        ("DELETE", file, 204),
        ("GET", versions, 200),
        ("GET", version, 200),
        ("DELETE", version, 204),
        ("PUT", restore, 200),
        ("POST", batch, 200),
        ("POST", "/v1/files/copy", 204),
        ("POST", "/v1/files/move", 204),
        ("PUT", rename, 200),
        ("POST", "/v1/files/addTags", 207),
        ("POST", "/v1/files/removeTags", 200),
        ("POST", "/v1/files/removeAITags", 200),
        ("POST", folder, 201),
        ("DELETE", folder, 204),
        ("POST", copy_folder, 200),
        ("POST", move_folder, 200),
        ("POST", rename_folder, 202),
        ("GET", job, 200),
        ("POST", purge, 201),
        ("GET", purge_status, 200),
        ("POST", fields, 201),
        ("GET", fields, 200),
        ("PATCH", field, 200),
        ("DELETE", field, 204),
        ("GET", extensions, 200),
        ("POST", extensions, 201),
        ("GET", extension, 200),
        ("PATCH", extension, 200),
        ("DELETE", extension, 204),
        ("GET", usage, 200),
        ("GET", origins, 200),
        ("POST", origins, 201),
        ("GET", origin, 200),
        ("PUT", origin, 200),
        ("DELETE", origin, 204),
        ("GET", endpoints, 200),
        ("POST", endpoints, 201),
        ("GET", endpoint, 200),
        ("PUT", endpoint, 200),
        ("DELETE", endpoint, 204),
    ];
    for (method, template, status) in successes {
        let statuses = c.covered.get(&(method.to_owned(), template.to_owned()));
        assert!(
            statuses.is_some_and(|s| s.contains(&status)),
            "{method} {template} {status} was not checked"
        );
        assert!(
            statuses.is_some_and(|s| s.iter().any(|s| *s >= 400)),
            "{method} {template}: no error answer checked"
        );
    }
    let pairs: usize = c.covered.values().map(BTreeSet::len).sum();
    println!("validated {} operations, {pairs} (operation, status) pairs:", c.covered.len());
    for ((method, template), statuses) in &c.covered {
        println!("  {method:6} {template:45} {statuses:?}");
    }
    assert_eq!(c.covered.len(), successes.len());
}

#[test]
#[ignore = "needs ImageKit's OpenAPI spec: set IMAGEKIT_OPENAPI_SPEC"]
fn the_check_rejects_answers_the_spec_does_not_allow() {
    let mut c = Checker::new();
    let template = "/v1/files/{fileId}/details";
    let wrong = json!({"fileId": 7, "tags": "not a list", "versionInfo": {"id": 1}});
    let raw = Bytes::from(wrong.to_string());
    let bad_body = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        c.validate("get", template, StatusCode::OK, &raw, &wrong);
    }));
    assert!(bad_body.is_err(), "a File with wrong types passed the schema check");
    let bad_status = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        c.validate("get", template, StatusCode::CONFLICT, &raw, &wrong);
    }));
    assert!(bad_status.is_err(), "an undocumented status passed");
    let origin = "/v1/accounts/origins/{id}";
    let leaked = json!({"id": "o", "name": "S3", "type": "S3", "includeCanonicalHeader": false, "bucket": "b", "prefix": "", "secretKey": "s"});
    let raw = Bytes::from(leaked.to_string());
    let leak = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        c.validate("get", origin, StatusCode::OK, &raw, &leaked);
    }));
    assert!(leak.is_err(), "an origin answer with a secret passed the schema check");
    let ok = json!({"fileId": "f", "tags": null, "type": "file"});
    c.validate("get", template, StatusCode::OK, &Bytes::from(ok.to_string()), &ok);
}
