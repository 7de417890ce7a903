//! Helpers shared by the emulator's tests: raw requests and their JSON answers.
#![allow(dead_code)]

use base64::Engine as _;
use bytes::Bytes;
use http::{Method, StatusCode};
use imagekit_emulator::{Emulator, UploadForm};
use serde_json::Value;

pub const KEY: &str = "private_test_key";

/// A 1x1... no: a 3x2 RGBA PNG header (enough for the emulator to read its size).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

pub fn auth_header(key: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{key}:")))
}

/// A request to `path` with Basic auth for `KEY` and an optional JSON body.
pub fn request(method: Method, path: &str, body: Option<&Value>) -> http::Request<Bytes> {
    let mut builder = http::Request::builder()
        .method(method)
        .uri(format!("https://api.imagekit.io{path}"))
        .header("authorization", auth_header(KEY));
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    builder.body(body.map(|b| Bytes::from(b.to_string())).unwrap_or_default()).unwrap()
}

/// Status and JSON body (`Null` when the body is empty).
pub fn parse(response: http::Response<Bytes>) -> (StatusCode, Value) {
    let status = response.status();
    let body = if response.body().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(response.body())
            .unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {:?}", response.body()))
    };
    (status, body)
}

pub fn call(emulator: &Emulator, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    parse(emulator.handle(request(method, path, body.as_ref())))
}

/// Uploads `content` as `/folder/name` without a unique suffix; returns the upload answer.
pub fn upload(emulator: &Emulator, folder: &str, name: &str, content: &[u8]) -> Value {
    let form =
        UploadForm::new(name, content.to_vec()).field("folder", folder).field("useUniqueFileName", "false");
    let (status, body) = parse(emulator.handle(form.into_request("https://upload.imagekit.io", KEY)));
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub fn id_of(body: &Value) -> String {
    body["fileId"].as_str().unwrap().to_owned()
}

pub fn version_id_of(body: &Value) -> String {
    body["versionInfo"]["id"].as_str().unwrap().to_owned()
}
