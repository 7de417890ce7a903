//! Every answer the emulator gives, checked against the official OpenAPI spec: the status must
//! be one the spec documents for that operation, and the body must validate against the
//! spec's response schema for that status (JSON Schema 2020-12, `$ref`s resolved within the
//! spec).
//!
//! The spec is read from `../shared/imagekit-openapi/v1.0.0.yaml` next to the workspace, or from
//! the file named by `IMAGEKIT_OPENAPI_SPEC`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use bytes::Bytes;
use common::*;
use hmac::{Hmac, Mac};
use http::{Method, StatusCode};
use imagekit_mock::emulator::{Emulator, UploadForm};
use serde_json::{Value, json};

const DEFAULT_SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/imagekit-openapi/v1.0.0.yaml");

fn load_spec() -> Value {
    let path = std::env::var("IMAGEKIT_OPENAPI_SPEC").unwrap_or_else(|_| DEFAULT_SPEC.to_owned());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the ImageKit OpenAPI spec at {path}: {e}. \
             Put it there or point IMAGEKIT_OPENAPI_SPEC at v1.0.0.yaml."
        )
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
const UNDOCUMENTED: &[(&str, &str, u16, &str)] = &[];

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
    ];
    for (method, template, path) in &operations {
        let mut anonymous = request(method.clone(), path, None);
        anonymous.headers_mut().remove("authorization");
        assert_eq!(c.send(template, anonymous).0, StatusCode::UNAUTHORIZED);
        let mut wrong = request(method.clone(), path, None);
        wrong.headers_mut().insert("authorization", auth_header("private_wrong").parse().unwrap());
        assert_eq!(c.send(template, wrong).0, StatusCode::FORBIDDEN);
        c.emulator.fail_next(Some(method.clone()), path, 1, StatusCode::TOO_MANY_REQUESTS);
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
    let ok = json!({"fileId": "f", "tags": null, "type": "file"});
    c.validate("get", template, StatusCode::OK, &Bytes::from(ok.to_string()), &ok);
}
