//! The answers every endpoint builds: JSON with ImageKit's headers, and its error shape.

use bytes::Bytes;
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderValue};
use imagekit_core::transport::HttpResponse;
use serde_json::{Value, json};

/// The `help` text of ImageKit's error answers.
pub(crate) const HELP: &str = "For support kindly contact us at support@imagekit.io.";

/// A JSON answer with this status.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> HttpResponse {
    let mut response = HttpResponse::new(Bytes::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// `{message, help}` with this status.
pub(crate) fn error(status: StatusCode, message: &str) -> HttpResponse {
    json_response(status, &json!({"message": message, "help": HELP}))
}
