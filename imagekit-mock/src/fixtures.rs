//! Realistic ImageKit answers: a file, a file version, a version list, and the error answers.
//!
//! Ids are stable so tests can refer to them: [`FILE_ID`], [`VERSION_1_ID`], [`VERSION_2_ID`].

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use imagekit_core::transport::HttpResponse;
use serde_json::{Value, json};

/// The id of the fixture file.
pub const FILE_ID: &str = "6673f2b6b2c3e4a1d9f1a2b3";
/// The id of the fixture file's first (older) version.
pub const VERSION_1_ID: &str = "6673f2b6b2c3e4a1d9f1a2b3";
/// The id of the fixture file's second (current) version.
pub const VERSION_2_ID: &str = "6673f9c2e7d8a5b4c3f2e1d0";
/// The request id the fixture answers carry in `x-ik-requestid`.
pub const REQUEST_ID: &str = "9d1c7f3e-2b4a-4c8e-a6f1-0e5d3b2a1c9f";

const HELP: &str = "For support kindly contact us at support@imagekit.io.";

fn file_body(
    kind: &str,
    version_id: &str,
    version_name: &str,
    created_at: &str,
    version_token: Option<&str>,
) -> Value {
    let query = match version_token {
        Some(token) => format!("?ik-obj-version={token}&updatedAt=1718875000123"),
        None => "?updatedAt=1718875000123".to_owned(),
    };
    json!({
        "fileId": FILE_ID,
        "type": kind,
        "name": "red-sneaker.jpg",
        "filePath": "/catalog/shoes/red-sneaker.jpg",
        "tags": ["sneaker", "summer-2024"],
        "AITags": [
            {"name": "Shoe", "confidence": 97.41, "source": "google-auto-tagging"},
            {"name": "Footwear", "confidence": 88.2, "source": "aws-auto-tagging"}
        ],
        "versionInfo": {"id": version_id, "name": version_name},
        "isPrivateFile": false,
        "isPublished": true,
        "customCoordinates": null,
        "url": format!("https://ik.imagekit.io/demo_shop/catalog/shoes/red-sneaker.jpg{query}"),
        "thumbnail": format!("https://ik.imagekit.io/demo_shop/tr:n-ik_ml_thumbnail/catalog/shoes/red-sneaker.jpg{query}"),
        "fileType": "image",
        "mime": "image/jpeg",
        "width": 1600,
        "height": 1200,
        "size": 284_913,
        "hasAlpha": false,
        "customMetadata": {"sku": "SNK-RED-42", "inStock": true},
        "embeddedMetadata": {"Make": "Canon", "Model": "EOS R6", "DateTimeOriginal": "2024:06:19 10:12:44"},
        "description": "A red canvas sneaker on a white background",
        "createdAt": created_at,
        "updatedAt": created_at,
    })
}

/// The current version of the fixture file, as `GET /v1/files/{fileId}/details` returns it.
pub fn file() -> Value {
    file_body("file", VERSION_2_ID, "Version 2", "2024-06-20T09:16:40.123Z", None)
}

/// The second (current) version, as `GET /v1/files/{fileId}/versions/{versionId}` returns it.
pub fn file_version() -> Value {
    file_body(
        "file-version",
        VERSION_2_ID,
        "Version 2",
        "2024-06-20T09:16:40.123Z",
        Some("Zk8rT2xq9VbN3mLpQ7sY1aC5dE0fG4hJ"),
    )
}

/// The first (older) version.
pub fn file_version_1() -> Value {
    file_body(
        "file-version",
        VERSION_1_ID,
        "Version 1",
        "2024-06-20T09:03:18.412Z",
        Some("Aq1wS2ed3RF4tg5YH6uj7IK8ol9P0zXc"),
    )
}

/// All versions of the fixture file, oldest first, as `GET /v1/files/{fileId}/versions` returns it.
pub fn version_list() -> Value {
    json!([file_version_1(), file_version()])
}

/// What the upload endpoints answer (200) for a file stored as `file_name` in `folder`
/// (`/`-separated, e.g. `/catalog/shoes`) with `size` bytes.
pub fn uploaded(file_name: &str, folder: &str, size: u64) -> Value {
    let folder = folder.trim_end_matches('/');
    let file_path = format!("{folder}/{file_name}");
    json!({
        "fileId": FILE_ID,
        "name": file_name,
        "filePath": file_path,
        "url": format!("https://ik.imagekit.io/your_imagekit_id{file_path}"),
        "thumbnailUrl": format!("https://ik.imagekit.io/your_imagekit_id/tr:n-ik_ml_thumbnail{file_path}"),
        "size": size,
        "fileType": "non-image",
        "versionInfo": {"id": VERSION_2_ID, "name": "Version 1"},
        "AITags": null,
    })
}

/// The upload endpoints' 202: the file was accepted, a video pre-transformation is queued.
pub fn upload_accepted() -> HttpResponse {
    json(202, &json!({"message": "The pre-transformation has been queued."}))
}

/// A JSON answer with this status and ImageKit's usual headers.
pub fn json(status: u16, body: &Value) -> HttpResponse {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = HttpResponse::new(Bytes::from(bytes));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers.insert("x-ik-requestid", HeaderValue::from_static(REQUEST_ID));
    response
}

/// A 200 JSON answer.
pub fn ok(body: Value) -> HttpResponse {
    json(200, &body)
}

/// A 204 answer with no body, as the delete endpoints send.
pub fn no_content() -> HttpResponse {
    let mut response = json(204, &Value::Null);
    *response.body_mut() = Bytes::new();
    response.headers_mut().remove(CONTENT_TYPE);
    response
}

/// 400: a malformed id.
pub fn bad_request() -> HttpResponse {
    json(400, &json!({"message": "Your request contains invalid fileId parameter.", "help": HELP}))
}

/// 401: no or an invalid private key.
pub fn unauthorized() -> HttpResponse {
    json(401, &json!({"message": "Your request does not contain private API key.", "help": HELP}))
}

/// 403: the key cannot be used (expired, or the account is disabled).
pub fn forbidden() -> HttpResponse {
    json(403, &json!({"message": "Your account cannot be authenticated.", "help": HELP}))
}

/// 404: the file version does not exist.
pub fn not_found() -> HttpResponse {
    json(404, &json!({"message": "The requested file version does not exist.", "help": HELP}))
}

/// The value of `X-RateLimit-Limit` in [`rate_limited`].
pub const RATE_LIMIT_LIMIT: u64 = 100;
/// The value of `X-RateLimit-Reset` (milliseconds) in [`rate_limited`].
pub const RATE_LIMIT_RESET_MS: u64 = 1_200;
/// The value of `X-RateLimit-Interval` (milliseconds) in [`rate_limited`].
pub const RATE_LIMIT_INTERVAL_MS: u64 = 60_000;

/// 429 with ImageKit's rate-limit headers.
pub fn rate_limited() -> HttpResponse {
    let mut response = json(429, &json!({"message": "Too many requests."}));
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(RATE_LIMIT_LIMIT));
    headers.insert("x-ratelimit-reset", HeaderValue::from(RATE_LIMIT_RESET_MS));
    headers.insert("x-ratelimit-interval", HeaderValue::from(RATE_LIMIT_INTERVAL_MS));
    response
}

/// 500 with ImageKit's generic message.
pub fn server_error() -> HttpResponse {
    json(
        500,
        &json!({"message": "We have encountered an error on our side. Please try again.", "help": HELP}),
    )
}

/// 502 with an HTML page, as a proxy in front of the API answers.
pub fn bad_gateway_html() -> HttpResponse {
    let mut response = HttpResponse::new(Bytes::from_static(
        b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
    ));
    *response.status_mut() = http::StatusCode::BAD_GATEWAY;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}
