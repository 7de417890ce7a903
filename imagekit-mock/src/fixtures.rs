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

/// A 201 JSON answer, as the create operations send.
pub fn created(body: Value) -> HttpResponse {
    json(201, &body)
}

/// A 202 JSON answer, as the folder rename sends.
pub fn accepted(body: Value) -> HttpResponse {
    json(202, &body)
}

/// A 207 JSON answer: a partial success.
pub fn multi_status(body: Value) -> HttpResponse {
    json(207, &body)
}

/// A file of the asset catalogue used by the listing fixtures: `/catalog/product-<n>.jpg`.
pub fn catalog_file(n: usize) -> Value {
    let name = format!("product-{n:03}.jpg");
    json!({
        "fileId": format!("6690a1c2d3e4f5a6b7c8{n:04x}"),
        "type": "file",
        "name": name,
        "filePath": format!("/catalog/{name}"),
        "tags": if n % 3 == 0 { json!(["sale"]) } else { Value::Null },
        "AITags": null,
        "versionInfo": {"id": format!("6690a1c2d3e4f5a6b7c8{n:04x}"), "name": "Version 1"},
        "isPrivateFile": false,
        "isPublished": true,
        "customCoordinates": null,
        "url": format!("https://ik.imagekit.io/demo_shop/catalog/{name}"),
        "thumbnail": format!("https://ik.imagekit.io/demo_shop/tr:n-ik_ml_thumbnail/catalog/{name}"),
        "fileType": "image",
        "mime": "image/jpeg",
        "width": 1200,
        "height": 900,
        "size": 150_000 + n * 1_000,
        "hasAlpha": false,
        "customMetadata": {},
        "createdAt": format!("2024-07-{:02}T08:00:00.000Z", 1 + n % 28),
        "updatedAt": format!("2024-07-{:02}T08:00:00.000Z", 1 + n % 28),
    })
}

/// A folder as the asset listing returns it.
pub fn folder() -> Value {
    json!({
        "type": "folder",
        "folderId": "6690a0f1d3e4f5a6b7c80001",
        "name": "catalog",
        "folderPath": "/catalog",
        "customMetadata": {},
        "createdAt": "2024-06-30T18:21:05.000Z",
        "updatedAt": "2024-06-30T18:21:05.000Z",
    })
}

/// The files `skip..skip + limit` of a catalogue of `total` files, as one page of `GET /v1/files`.
pub fn asset_page(total: usize, skip: usize, limit: usize) -> Value {
    Value::Array((skip..total.min(skip.saturating_add(limit))).map(catalog_file).collect())
}

/// 207 of a bulk delete: one file deleted, one not.
pub fn bulk_delete_partial(deleted: &str, failed: &str) -> Value {
    json!({
        "successfullyDeletedFileIds": [deleted],
        "errors": [{"fileId": failed, "error": "Internal error while deleting the file."}],
    })
}

/// 404 of a bulk operation naming the ids it could not find.
pub fn missing_files(ids: &[&str]) -> HttpResponse {
    json(
        404,
        &json!({"message": "The requested file(s) does not exist.", "help": HELP, "missingFileIds": ids}),
    )
}

/// The id of [`named_transformation`].
pub const NAMED_TRANSFORMATION_ID: &str = "6690b7e2f1a2b3c4d5e6f701";

/// A named transformation, in the shape the official SDKs read (the public spec lacks it).
pub fn named_transformation() -> Value {
    json!({
        "id": NAMED_TRANSFORMATION_ID,
        "name": "product_card",
        "transformation": "w-400,h-300,c-at_max,f-auto",
        "enabled": true,
        "createdAt": "2024-07-02T10:11:12.000Z",
    })
}

/// All named transformations of the fixture account.
pub fn named_transformation_list() -> Value {
    json!([
        named_transformation(),
        {
            "id": "6690b7e2f1a2b3c4d5e6f702",
            "name": "thumb_square",
            "transformation": "w-150,h-150,fo-auto",
            "enabled": false,
            "createdAt": "2024-07-03T09:00:00.000Z",
        }
    ])
}

/// Usage analytics, in the shape the official SDKs read (the public spec lacks it).
pub fn usage_analytics() -> Value {
    json!({
        "startDate": "2024-07-01",
        "endDate": "2024-07-08",
        "generatedAt": "2024-07-08T00:05:00.000Z",
        "bandwidthBytes": 48_213_004_211_u64,
        "requestCount": 1_204_551,
        "cache": {"hitCount": 1_150_020, "missCount": 51_203, "errorCount": 3_328},
        "browser": {
            "byBandwidth": [{"name": "Chrome", "bandwidthBytes": 28_104_220_011_u64, "requestCount": 702_110}],
            "byRequests": [{"name": "Chrome", "bandwidthBytes": 28_104_220_011_u64, "requestCount": 702_110}],
        },
        "country": {
            "byBandwidth": [{"code": "DE", "name": "Germany", "bandwidthBytes": 16_001_002_003_u64, "requestCount": 402_118}],
            "byRequests": [{"code": "DE", "name": "Germany", "bandwidthBytes": 16_001_002_003_u64, "requestCount": 402_118}],
        },
        "device": {"byBandwidth": [], "byRequests": [{"name": "mobile", "bandwidthBytes": 30_000_000_000_u64, "requestCount": 801_223}]},
        "errorReasons": [{"name": "origin_timeout", "requestCount": 210}],
        "extensions": [{"name": "remove-bg", "operationCount": 12}],
        "format": {"byBandwidth": [], "byRequests": [{"name": "webp", "bandwidthBytes": 31_000_000_000_u64, "requestCount": 911_000}]},
        "statusCodes": [{"name": "200", "requestCount": 1_180_000}, {"name": "404", "requestCount": 3_100}],
        "top404Assets": [{"name": "/catalog/old-banner.png", "requestCount": 1_200}],
        "topImages": {"byBandwidth": [], "byRequests": [{"name": "/catalog/product-001.jpg", "bandwidthBytes": 2_100_000_000_u64, "requestCount": 52_000}]},
        "topImageTransforms": {"byBandwidth": [], "byRequests": []},
        "topOtherAssets": {"byBandwidth": [], "byRequests": []},
        "topReferrers": {"byBandwidth": [], "byRequests": []},
        "topUserAgents": {"byBandwidth": [], "byRequests": []},
        "topVideos": {"byBandwidth": [], "byRequests": []},
        "topVideoTransforms": {"byBandwidth": [], "byRequests": []},
        "urlEndpoints": {"byBandwidth": [], "byRequests": []},
        "videoProcessing": [{"codec": "h264", "durationSeconds": 125.5, "resolution": "1080p"}],
    })
}
