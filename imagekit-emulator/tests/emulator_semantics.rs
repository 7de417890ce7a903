//! What the emulator does, call by call, on the wire: versions, updates, copy/move/rename,
//! folders, bulk tags, list and search, purge, auth, faults, determinism, the storage limit.

mod common;

use base64::Engine as _;
use common::*;
use http::{Method, StatusCode};
use imagekit_core::Error;
use imagekit_emulator::{Emulator, FaultRule, UploadForm};
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn the_version_lifecycle() {
    let emulator = Emulator::new(KEY);
    let first = upload(&emulator, "/docs", "guide.pdf", b"%PDF-1.4 one");
    let file_id = id_of(&first);
    assert_eq!(first["versionInfo"], json!({"id": file_id, "name": "Version 1"}));
    assert_eq!(first["filePath"], "/docs/guide.pdf");
    assert_eq!(first["fileType"], "non-image");
    let second = upload(&emulator, "/docs", "guide.pdf", b"%PDF-1.4 two!");
    assert_eq!(id_of(&second), file_id, "overwriting keeps the file");
    assert_eq!(second["versionInfo"]["name"], "Version 2");
    let (v1, v2) = (version_id_of(&first), version_id_of(&second));

    let (status, versions) = call(&emulator, Method::GET, &format!("/v1/files/{file_id}/versions"), None);
    assert_eq!(status, 200);
    let list = versions.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|v| v["type"] == "file-version"));
    assert!(list[0]["url"].as_str().unwrap().contains("ik-obj-version="));
    assert_eq!(list[0]["size"], 12);
    assert_eq!(list[1]["size"], 13);

    let (_, details) = call(&emulator, Method::GET, &format!("/v1/files/{file_id}/details"), None);
    assert_eq!(details["type"], "file");
    assert_eq!(details["versionInfo"]["id"], v2.as_str());
    assert!(
        details["url"]
            .as_str()
            .unwrap()
            .starts_with("https://ik.imagekit.io/emulator/docs/guide.pdf?updatedAt=")
    );

    let (status, body) = call(&emulator, Method::DELETE, &format!("/v1/files/{file_id}/versions/{v2}"), None);
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::BAD_REQUEST, Some("You cannot delete current version of a file."))
    );

    let (status, restored) =
        call(&emulator, Method::PUT, &format!("/v1/files/{file_id}/versions/{v1}/restore"), None);
    assert_eq!(status, 200);
    assert_eq!(restored["versionInfo"]["name"], "Version 3");
    assert_eq!(restored["size"], 12, "the restored copy has the old content");
    let v3 = version_id_of(&restored);

    let (status, body) = call(&emulator, Method::DELETE, &format!("/v1/files/{file_id}/versions/{v2}"), None);
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (_, versions) = call(&emulator, Method::GET, &format!("/v1/files/{file_id}/versions"), None);
    let ids: Vec<&str> =
        versions.as_array().unwrap().iter().map(|v| v["versionInfo"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [v1.as_str(), v3.as_str()]);

    let (status, body) = call(&emulator, Method::GET, &format!("/v1/files/{file_id}/versions/{v2}"), None);
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"message": "The requested file version does not exist.", "help": "For support kindly contact us at support@imagekit.io."})
    );

    let (status, _) = call(&emulator, Method::DELETE, &format!("/v1/files/{file_id}"), None);
    assert_eq!(status, 204);
    let (status, body) = call(&emulator, Method::GET, &format!("/v1/files/{file_id}/versions"), None);
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("The requested file does not exist."))
    );
}

#[test]
fn uploads_get_unique_names_unless_told_not_to() {
    let emulator = Emulator::new(KEY);
    let send = |form: UploadForm| parse(emulator.handle(form.into_request("", KEY)));
    let (_, a) = send(UploadForm::new("cat.png", png(3, 2)));
    let (_, b) = send(UploadForm::new("cat.png", png(3, 2)));
    assert_ne!(a["name"], b["name"]);
    assert_ne!(a["fileId"], b["fileId"]);
    let name = a["name"].as_str().unwrap();
    assert!(
        name.starts_with("cat_") && name.ends_with(".png") && name.len() == "cat_.png".len() + 9,
        "{name}"
    );
    assert_eq!((a["width"].as_u64(), a["height"].as_u64()), (Some(3), Some(2)));
    assert_eq!(a["fileType"], "image");
    assert!(a["thumbnailUrl"].as_str().unwrap().contains("tr:n-ik_ml_thumbnail"));
    assert!(a.get("tags").is_none(), "fields outside responseFields are left out");

    let (status, body) = send(
        UploadForm::new("cat.png", png(1, 1))
            .field("useUniqueFileName", "false")
            .field("overwriteFile", "false"),
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = send(
        UploadForm::new("cat.png", png(1, 1))
            .field("useUniqueFileName", "false")
            .field("overwriteFile", "false"),
    );
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("A file with the same name already exists"));

    // Text forms of `file`.
    let (_, from_url) = send(UploadForm::with_file_text("remote.jpg", "https://example.com/a.jpg"));
    assert_eq!(from_url["size"], "https://example.com/a.jpg".len());
    let data_uri =
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png(7, 9)));
    let (_, from_data) = send(UploadForm::with_file_text("inline.png", &data_uri));
    assert_eq!((from_data["width"].as_u64(), from_data["height"].as_u64()), (Some(7), Some(9)));
    let (status, _) = send(UploadForm::with_file_text("bad.png", "!!! not base64"));
    assert_eq!(status, 400);
}

#[test]
fn upload_fields_are_read_as_the_sdks_encode_them() {
    let emulator = Emulator::new(KEY);
    let form = UploadForm::new("shoe.jpg", &b"jpeg-ish"[..])
        .field("folder", "/catalog/shoes/")
        .tags(&["red", "sale"])
        .field("customCoordinates", "1,2,30,40")
        .field("isPrivateFile", "true")
        .field("isPublished", "false")
        .json_field("customMetadata", &json!({"sku": "S-1", "stock": 3}))
        .json_field(
            "extensions",
            &json!([{"name": "google-auto-tagging", "maxTags": 5, "minConfidence": 80}]),
        )
        .field("responseFields", "tags,customCoordinates,isPrivateFile,isPublished,customMetadata")
        .field("useUniqueFileName", "false");
    let (status, body) = parse(emulator.upload(form));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["filePath"], "/catalog/shoes/shoe.jpg");
    assert_eq!(body["tags"], json!(["red", "sale"]));
    assert_eq!(body["customCoordinates"], "1,2,30,40");
    assert_eq!(body["isPrivateFile"], true);
    assert_eq!(body["isPublished"], false);
    assert_eq!(body["customMetadata"], json!({"sku": "S-1", "stock": 3}));

    // overwriteTags=false keeps the tags when none are sent.
    let again = UploadForm::new("shoe.jpg", &b"v2"[..])
        .field("folder", "/catalog/shoes")
        .field("useUniqueFileName", "false")
        .field("overwriteTags", "false")
        .field("responseFields", "tags");
    let (_, body) = parse(emulator.upload(again));
    assert_eq!(body["tags"], json!(["red", "sale"]));
    let (status, _) =
        parse(emulator.upload(UploadForm::new("x.txt", &b"x"[..]).field("isPrivateFile", "yes")));
    assert_eq!(status, 400);
    let (status, _) =
        parse(emulator.upload(UploadForm::new("x.txt", &b"x"[..]).field("customMetadata", "{not json")));
    assert_eq!(status, 400);
}

#[test]
fn upload_v2_tokens_must_sign_exactly_the_form_fields() {
    use hmac::{Hmac, Mac};
    let emulator = Emulator::new(KEY);
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let jwt = |payload: Value| {
        let header = engine.encode(br#"{"alg":"HS256","typ":"JWT","kid":"public_test"}"#);
        let payload = engine.encode(payload.to_string());
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
        mac.update(format!("{header}.{payload}").as_bytes());
        format!("{header}.{payload}.{}", engine.encode(mac.finalize().into_bytes()))
    };
    let send = |token: String| {
        let form =
            UploadForm::new("a.txt", &b"a"[..]).field("useUniqueFileName", "false").field("token", &token);
        let mut request = form.into_request("", KEY);
        request.headers_mut().remove("authorization");
        *request.uri_mut() = http::Uri::from_static("/api/v2/files/upload");
        parse(emulator.handle(request)).0
    };
    let fields = json!({"fileName": "a.txt", "useUniqueFileName": "false", "exp": 1, "iat": 0});
    assert_eq!(send(jwt(fields)), 200);
    assert_eq!(send(jwt(json!({"fileName": "a.txt", "useUniqueFileName": "true"}))), 403, "a value differs");
    assert_eq!(send(jwt(json!({"fileName": "a.txt"}))), 403, "a field is not signed");
    assert_eq!(send("not.a.jwt".to_owned()), 403);
}

#[test]
fn details_are_updated_on_the_current_version() {
    let emulator = Emulator::new(KEY);
    let id = id_of(&upload(&emulator, "/", "a.png", &png(2, 2)));
    let path = format!("/v1/files/{id}/details");
    let (status, body) = call(
        &emulator,
        Method::PATCH,
        &path,
        Some(
            json!({"tags": ["x"], "customCoordinates": "0,0,1,1", "customMetadata": {"color": "red", "n": 1}}),
        ),
    );
    assert_eq!(status, 200);
    assert_eq!((body["tags"].clone(), body["customCoordinates"].clone()), (json!(["x"]), json!("0,0,1,1")));
    let (_, body) =
        call(&emulator, Method::PATCH, &path, Some(json!({"customMetadata": {"n": null, "size": "L"}})));
    assert_eq!(body["customMetadata"], json!({"color": "red", "size": "L"}));
    let (_, body) = call(&emulator, Method::PATCH, &path, Some(json!({"tags": null})));
    assert_eq!(body["tags"], Value::Null);
    let (status, _) =
        call(&emulator, Method::PATCH, &path, Some(json!({"publish": {"isPublished": false}, "tags": []})));
    assert_eq!(status, 400);
    let (_, body) = call(&emulator, Method::PATCH, &path, Some(json!({"publish": {"isPublished": false}})));
    assert_eq!(body["isPublished"], false);
    assert!(emulator.set_ai_tags(&id, &["Cat", "Pet"]));
    let (_, body) = call(&emulator, Method::PATCH, &path, Some(json!({"removeAITags": ["Cat"]})));
    assert_eq!(body["AITags"][0]["name"], "Pet");
    assert_eq!(body["AITags"].as_array().unwrap().len(), 1);
}

#[test]
fn copy_move_and_rename() {
    let emulator = Emulator::new(KEY);
    let a = id_of(&upload(&emulator, "/src", "a.txt", b"one"));
    upload(&emulator, "/src", "a.txt", b"two");
    let body =
        json!({"sourceFilePath": "/src/a.txt", "destinationPath": "/dst", "includeFileVersions": true});
    assert_eq!(call(&emulator, Method::POST, "/v1/files/copy", Some(body)).0, 204);
    let (_, list) = call(&emulator, Method::GET, "/v1/files?path=/dst", None);
    let copy_id = list[0]["fileId"].as_str().unwrap().to_owned();
    assert_ne!(copy_id, a);
    let (_, versions) = call(&emulator, Method::GET, &format!("/v1/files/{copy_id}/versions"), None);
    assert_eq!(versions.as_array().unwrap().len(), 2, "includeFileVersions copies the history");

    let body = json!({"sourceFilePath": "/src/a.txt", "destinationPath": "/moved"});
    assert_eq!(call(&emulator, Method::POST, "/v1/files/move", Some(body)).0, 204);
    let (_, details) = call(&emulator, Method::GET, &format!("/v1/files/{a}/details"), None);
    assert_eq!(details["filePath"], "/moved/a.txt", "a move keeps the file id");

    let (status, body) = call(
        &emulator,
        Method::POST,
        "/v1/files/copy",
        Some(json!({"sourceFilePath": "/src/a.txt", "destinationPath": "/x"})),
    );
    assert_eq!((status.as_u16(), body["reason"].as_str()), (404, Some("SOURCE_FILE_MISSING")));

    upload(&emulator, "/moved", "b.txt", b"b");
    let rename = |name: &str| {
        call(
            &emulator,
            Method::PUT,
            "/v1/files/rename",
            Some(json!({"filePath": "/moved/a.txt", "newFileName": name})),
        )
    };
    let (status, body) = rename("b.txt");
    assert_eq!((status.as_u16(), body["reason"].as_str()), (409, Some("FILE_ALREADY_EXISTS")));
    let (status, body) = rename("c.txt");
    assert_eq!((status.as_u16(), body), (200, json!({})));
    let (_, details) = call(&emulator, Method::GET, &format!("/v1/files/{a}/details"), None);
    assert_eq!(details["name"], "c.txt");
}

#[test]
fn folders_and_bulk_jobs() {
    let emulator = Emulator::new(KEY);
    assert_eq!(
        call(
            &emulator,
            Method::POST,
            "/v1/folder",
            Some(json!({"folderName": "c", "parentFolderPath": "/a/b"}))
        )
        .0,
        201
    );
    upload(&emulator, "/a/b/c", "f.txt", b"f");
    let (_, folders) = call(&emulator, Method::GET, "/v1/files?type=folder", None);
    let paths: Vec<&str> =
        folders.as_array().unwrap().iter().map(|f| f["folderPath"].as_str().unwrap()).collect();
    assert_eq!(paths, ["/a", "/a/b", "/a/b/c"]);

    let (status, job) = call(
        &emulator,
        Method::POST,
        "/v1/bulkJobs/copyFolder",
        Some(json!({"sourceFolderPath": "/a/b", "destinationPath": "/z"})),
    );
    assert_eq!(status, 200);
    let (_, state) =
        call(&emulator, Method::GET, &format!("/v1/bulkJobs/{}", job["jobId"].as_str().unwrap()), None);
    assert_eq!((state["type"].as_str(), state["status"].as_str()), (Some("COPY_FOLDER"), Some("Completed")));
    let (_, copied) = call(&emulator, Method::GET, "/v1/files?path=/z/b/c", None);
    assert_eq!(names(&copied), ["f.txt"]);

    let (status, _) = call(
        &emulator,
        Method::POST,
        "/v1/bulkJobs/renameFolder",
        Some(json!({"folderPath": "/z/b", "newFolderName": "y"})),
    );
    assert_eq!(status, 202);
    let (_, renamed) = call(&emulator, Method::GET, "/v1/files?path=/z/y/c", None);
    assert_eq!(names(&renamed), ["f.txt"]);

    let (status, _) = call(
        &emulator,
        Method::POST,
        "/v1/bulkJobs/moveFolder",
        Some(json!({"sourceFolderPath": "/z/y", "destinationPath": "/m"})),
    );
    assert_eq!(status, 200);
    assert_eq!(names(&call(&emulator, Method::GET, "/v1/files?path=/m/y/c", None).1), ["f.txt"]);
    assert!(call(&emulator, Method::GET, "/v1/files?path=/z/y/c", None).1.as_array().unwrap().is_empty());

    assert_eq!(call(&emulator, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/a"}))).0, 204);
    let (status, body) = call(&emulator, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/a"})));
    assert_eq!((status.as_u16(), body["reason"].as_str()), (404, Some("FOLDER_NOT_FOUND")));
    assert_eq!(emulator.file_count(), 1, "the file under /a went with it; its moved copy stays");
}

#[test]
fn bulk_tags_report_missing_files_and_partial_success() {
    let emulator = Emulator::new(KEY);
    let a = id_of(&upload(&emulator, "/", "a.txt", b"a"));
    let b = id_of(&upload(&emulator, "/", "b.txt", b"b"));
    let (status, body) = call(
        &emulator,
        Method::POST,
        "/v1/files/addTags",
        Some(json!({"fileIds": [a, b], "tags": ["t1", "t2"]})),
    );
    assert_eq!((status.as_u16(), body), (200, json!({"successfullyUpdatedFileIds": [a, b]})));
    let missing = "ffffffffffffffffffffffff";
    let (status, body) = call(
        &emulator,
        Method::POST,
        "/v1/files/removeTags",
        Some(json!({"fileIds": [a, missing], "tags": ["t1"]})),
    );
    assert_eq!((status.as_u16(), body["missingFileIds"].clone()), (404, json!([missing])));
    let long = "x".repeat(490);
    call(&emulator, Method::PATCH, &format!("/v1/files/{b}/details"), Some(json!({"tags": [long]})));
    let (status, body) = call(
        &emulator,
        Method::POST,
        "/v1/files/addTags",
        Some(json!({"fileIds": [a, b], "tags": ["more-than-ten"]})),
    );
    assert_eq!(status.as_u16(), 207);
    assert_eq!(body["successfullyUpdatedFileIds"], json!([a]));
    assert_eq!(body["errors"][0]["fileId"], b.as_str());
    let (status, body) =
        call(&emulator, Method::POST, "/v1/files/batch/deleteByFileIds", Some(json!({"fileIds": [a, b]})));
    assert_eq!((status.as_u16(), body), (200, json!({"successfullyDeletedFileIds": [a, b]})));
}

#[test]
fn list_and_search() {
    let emulator = Emulator::new(KEY);
    upload(&emulator, "/p", "b.png", &png(10, 10));
    upload(&emulator, "/p", "a.txt", b"some longer text");
    upload(&emulator, "/q", "c.png", &png(20, 5));
    upload(&emulator, "/p", "b.png", &png(30, 30));
    let a_id = {
        let (_, list) = call(&emulator, Method::GET, "/v1/files?searchQuery=name%3D%22a.txt%22", None);
        list[0]["fileId"].as_str().unwrap().to_owned()
    };
    call(&emulator, Method::PATCH, &format!("/v1/files/{a_id}/details"), Some(json!({"tags": ["keep"]})));
    let get = |query: &str| call(&emulator, Method::GET, &format!("/v1/files?{query}"), None).1;
    assert_eq!(names(&get("")), ["b.png", "a.txt", "c.png"]);
    assert_eq!(names(&get("path=/p")), ["b.png", "a.txt"]);
    assert_eq!(names(&get("fileType=image&sort=DESC_WIDTH")), ["b.png", "c.png"]);
    assert_eq!(names(&get("fileType=non-image")), ["a.txt"]);
    assert_eq!(names(&get("sort=ASC_NAME&skip=1&limit=1")), ["b.png"]);
    // The sorts the SDKs added: accepted; the upload time stands in for the embedded date.
    assert_eq!(names(&get("sort=DESC_ORIGINAL_CREATION_DATE")), names(&get("sort=DESC_CREATED")));
    assert_eq!(get("sort=ASC_DURATION").as_array().unwrap().len(), 3);
    assert_eq!(call(&emulator, Method::GET, "/v1/files?sort=ASC_LENGTH", None).0, 400);
    assert_eq!(names(&get("type=file-version")), ["b.png"]);
    assert_eq!(get("type=file-version")[0]["type"], "file-version");
    assert_eq!(
        get("type=all").as_array().unwrap().len(),
        5,
        "2 folders and 3 files; versions are not in `all`"
    );
    assert_eq!(
        names(&get("type=folder&searchQuery=name%20%3D%20%22b.png%22")),
        ["b.png"],
        "searchQuery ignores `type`"
    );
    let kinds = get("searchQuery=type%20IN%20%5B%22folder%22%2C%20%22file-version%22%5D");
    let kinds: Vec<&str> = kinds.as_array().unwrap().iter().map(|f| f["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["folder", "file-version", "folder"]);
    assert_eq!(names(&get("searchQuery=path%20%3D%20%22%2Fq%22")), ["c.png"]);
    assert_eq!(names(&get("searchQuery=tags%20IN%20%5B%22keep%22%5D")), ["a.txt"]);
    // The clock: 4 uploads and an update, one second each; "3s" reaches back to the 3rd upload.
    assert_eq!(names(&get("searchQuery=createdAt%20%3E%20%223s%22")), ["c.png"]);
    assert_eq!(names(&get("searchQuery=createdAt%20%3E%3D%20%222025-01-01T00%3A00%3A03Z%22")), ["c.png"]);
    assert_eq!(names(&get("searchQuery=name%20%3A%20%22PN%22%20AND%20size%20%3E%2020")), ["b.png", "c.png"]);
    let (status, body) = call(&emulator, Method::GET, "/v1/files?searchQuery=colour%20%3D%20red", None);
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("searchQuery"));
}

#[test]
fn purge_requests_complete() {
    let emulator = Emulator::new(KEY);
    let (status, body) = call(
        &emulator,
        Method::POST,
        "/v1/files/purge",
        Some(json!({"url": "https://ik.imagekit.io/emulator/a.png*"})),
    );
    assert_eq!(status, 201);
    let id = body["requestId"].as_str().unwrap();
    assert_eq!(
        call(&emulator, Method::GET, &format!("/v1/files/purge/{id}"), None).1,
        json!({"status": "Completed"})
    );
}

#[test]
fn auth_is_checked_as_the_api_does() {
    let emulator = Emulator::new(KEY);
    let mut anonymous = request(Method::GET, "/v1/files", None);
    anonymous.headers_mut().remove("authorization");
    let (status, body) = parse(emulator.handle(anonymous));
    assert_eq!(status, 401);
    assert_eq!(body["message"], "Your request does not contain private API key.");
    let mut wrong = request(Method::GET, "/v1/files", None);
    wrong.headers_mut().insert("authorization", auth_header("private_other").parse().unwrap());
    assert_eq!(parse(emulator.handle(wrong)).0, 403);
    // The raw key after `Basic`, and any password, are accepted.
    for header in [
        format!("Basic {KEY}"),
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:do_not_set"))),
    ] {
        let mut ok = request(Method::GET, "/v1/files", None);
        ok.headers_mut().insert("authorization", header.parse().unwrap());
        assert_eq!(parse(emulator.handle(ok)).0, 200);
    }
}

#[test]
fn faults_answer_then_run_out() {
    let emulator = Emulator::new(KEY);
    emulator.fail_next(None, "/v1/files", 2, StatusCode::INTERNAL_SERVER_ERROR);
    emulator.add_fault(
        FaultRule::new(Some(Method::POST), "/v1/folder", 1, StatusCode::SERVICE_UNAVAILABLE)
            .with_body(json!({"message": "down"})),
    );
    assert_eq!(call(&emulator, Method::GET, "/v1/files", None).0, 500);
    assert_eq!(call(&emulator, Method::GET, "/v1/folder", None).0, 404, "method must fit");
    assert_eq!(call(&emulator, Method::GET, "/v1/files?type=all", None).0, 500);
    assert_eq!(call(&emulator, Method::GET, "/v1/files", None).0, 200);
    let (status, body) = call(&emulator, Method::POST, "/v1/folder", Some(json!({"folderName": "x"})));
    assert_eq!((status.as_u16(), body), (503, json!({"message": "down"})));
    assert!(emulator.faults().is_empty());

    // The same through the admin endpoints.
    let admin = |method: Method, path: &str, body: Option<Value>| call(&emulator, method, path, body);
    let (status, rule) = admin(
        Method::POST,
        "/__emulator/faults",
        Some(json!({"method": "ANY", "pathPrefix": "/v1/files", "times": 1, "status": 429})),
    );
    assert_eq!(status, 201);
    assert_eq!(rule["times"], 1);
    assert_eq!(admin(Method::GET, "/__emulator/faults", None).1.as_array().unwrap().len(), 1);
    let limited = emulator.handle(request(Method::GET, "/v1/files", None));
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["x-ratelimit-reset"], "1000");
    assert_eq!(admin(Method::POST, "/__emulator/faults", Some(json!({"status": 99}))).0, 400);
    // A misspelt field is refused, not ignored: the rule would otherwise match every path.
    let (status, body) =
        admin(Method::POST, "/__emulator/faults", Some(json!({"status": 500, "pathPrefx": "/v1"})));
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("pathPrefx"), "{body}");
    admin(Method::POST, "/__emulator/faults", Some(json!({"status": 500})));
    assert_eq!(admin(Method::DELETE, "/__emulator/faults", None).0, 204);
    assert!(emulator.faults().is_empty());
    upload(&emulator, "/", "a.txt", b"a");
    assert_eq!(admin(Method::POST, "/__emulator/reset", None).0, 204);
    assert_eq!(emulator.file_count(), 0);
}

#[test]
fn a_fault_can_pick_the_upload_of_one_file() {
    let emulator = Emulator::new(KEY);
    emulator.add_fault(FaultRule::for_upload_named("broken.png", 1, StatusCode::INTERNAL_SERVER_ERROR));
    let send = |folder: &str, name: &str| {
        let form = UploadForm::new(name, &b"content"[..]).field("folder", folder);
        emulator.handle(form.into_request("https://upload.imagekit.io", KEY)).status()
    };
    // Other files, the same name in another field, and other paths go through.
    assert_eq!(send("/a", "fine.png"), 200);
    assert_eq!(send("/broken.png", "fine2.png"), 200);
    assert_eq!(call(&emulator, Method::GET, "/v1/files", None).0, 200);
    assert_eq!(emulator.faults().len(), 1, "not used up by requests it did not match");
    // The named file, in any folder, once.
    assert_eq!(send("/b", "broken.png"), 500);
    assert!(emulator.faults().is_empty());
    assert_eq!(send("/b", "broken.png"), 200);
    let injected: Vec<_> = emulator.requests().into_iter().filter(|r| r.injected).collect();
    assert_eq!(injected.len(), 1);
    assert_eq!(injected[0].path, "/api/v1/files/upload");

    // Through the admin endpoint, `fileName` is kept and shown; a wrong type is refused.
    let (status, rule) = call(
        &emulator,
        Method::POST,
        "/__emulator/faults",
        Some(json!({"method": "POST", "pathPrefix": "/api/", "status": 503, "fileName": "x.png"})),
    );
    assert_eq!((status.as_u16(), &rule["fileName"]), (201, &json!("x.png")));
    assert_eq!(emulator.faults()[0].file_name.as_deref(), Some("x.png"));
    assert_eq!(send("/", "y.png"), 200);
    assert_eq!(send("/", "x.png"), 503);
    let refused =
        call(&emulator, Method::POST, "/__emulator/faults", Some(json!({"status": 500, "fileName": 3})));
    assert_eq!(refused.0, 400);
}

#[test]
fn the_same_calls_give_the_same_answers() {
    let run = || {
        let emulator = Emulator::new(KEY);
        let mut answers = Vec::new();
        let a = upload(&emulator, "/x", "a.png", &png(4, 4));
        answers.push(a.clone());
        answers.push(upload(&emulator, "/x", "a.png", &png(5, 5)));
        answers.push(parse(emulator.upload(UploadForm::new("u.txt", &b"u"[..]))).1);
        answers.push(call(&emulator, Method::GET, &format!("/v1/files/{}/versions", id_of(&a)), None).1);
        answers.push(call(&emulator, Method::GET, "/v1/files?type=all", None).1);
        answers
    };
    assert_eq!(run(), run());
    let emulator = Emulator::new(KEY);
    let first = upload(&emulator, "/", "a.txt", b"a");
    assert_eq!(first["fileId"].as_str().unwrap().len(), 24);
    let (_, details) = call(&emulator, Method::GET, &format!("/v1/files/{}/details", id_of(&first)), None);
    assert_eq!(details["createdAt"], "2025-01-01T00:00:01.000Z");
    emulator.reset();
    assert_eq!(upload(&emulator, "/", "a.txt", b"a"), first, "reset starts the ids and the clock again");
}

#[test]
fn uploads_over_the_storage_limit_are_refused_and_store_nothing() {
    let emulator = Emulator::new(KEY).with_storage_limit(10);
    emulator.seed_file("/a.txt", &b"12345678"[..]).unwrap();
    let refused = emulator.seed_file("/b.txt", &b"123"[..]).unwrap_err();
    let Error::Api(api) = &refused else { panic!("{refused}") };
    assert_eq!((api.status(), api.message()), (StatusCode::BAD_REQUEST, Some("Upload Limit Exceeded.")));
    assert_eq!((emulator.file_count(), emulator.stored_bytes()), (1, 8));
    // Versions count: a new one fills the library up to the limit, and not past it.
    emulator.seed_file("/a.txt", &b"12"[..]).unwrap();
    assert!(emulator.seed_file("/a.txt", &b"1"[..]).is_err());
    assert_eq!(emulator.stored_bytes(), 10);
    // The limit is configuration: a reset keeps it.
    emulator.reset();
    assert!(emulator.seed_file("/big.txt", &[0u8; 11][..]).is_err());
    assert_eq!(emulator.file_count(), 0);
}

#[test]
fn copies_and_restores_count_against_the_storage_limit_and_moves_do_not() {
    let emulator = Emulator::new(KEY).with_storage_limit(10);
    let file_id = emulator.seed_file("/a/x.txt", &b"12345678"[..]).unwrap();
    let refused = |(status, body): (StatusCode, Value)| {
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body["message"].as_str().unwrap().contains("Storage limit exceeded"), "{body}");
    };
    let copy = json!({"sourceFilePath": "/a/x.txt", "destinationPath": "/b"});
    refused(call(&emulator, Method::POST, "/v1/files/copy", Some(copy)));
    let folder = json!({"sourceFolderPath": "/a", "destinationPath": "/c"});
    refused(call(&emulator, Method::POST, "/v1/bulkJobs/copyFolder", Some(folder)));
    // A second version fills the library; restoring the first would copy its 8 bytes again.
    emulator.seed_file("/a/x.txt", &b"12"[..]).unwrap();
    let (_, versions) = call(&emulator, Method::GET, &format!("/v1/files/{file_id}/versions"), None);
    let first = versions[0]["versionInfo"]["id"].as_str().unwrap().to_owned();
    refused(call(&emulator, Method::PUT, &format!("/v1/files/{file_id}/versions/{first}/restore"), None));
    assert_eq!((emulator.file_count(), emulator.stored_bytes()), (1, 10), "nothing was stored");
    // A move stores nothing more: it goes through at the limit.
    let moved = json!({"sourceFilePath": "/a/x.txt", "destinationPath": "/d"});
    assert_eq!(call(&emulator, Method::POST, "/v1/files/move", Some(moved)).0, StatusCode::NO_CONTENT);
    assert_eq!(emulator.stored_bytes(), 10);
}
