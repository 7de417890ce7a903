//! What the measurement programs share (the upload sink of `upload_rss`), and the README's code
//! blocks as doctests.
//!
//! The README's examples (`file_versions`, `list_assets`, `upload`, `blocking`, `sans_io`,
//! `byo_transport`) use nothing from here: each stands alone, so it can be copied into a
//! project that depends on the published crates.

use http::Method;
use imagekit_core::transport::HttpResponse;
use imagekit_mock::fixtures;

/// The private key `upload_rss` gives its client; it is not a real key.
pub const OFFLINE_KEY: &str = "private_offline_example_key=";

/// How much of an upload's body the sink keeps: the form's text fields come first and fit.
const SINK_PREFIX: usize = 64 * 1024;

/// Serves a stand-in for ImageKit's upload API on a free port of 127.0.0.1 until the runtime
/// ends, and returns its base URL. It reads each upload as it arrives, keeping only the first
/// 64 KiB (where the form's text fields are) and counting the rest, so it never holds a large
/// file; it answers like the upload API, with the stored size.
pub async fn serve_upload_sink() -> std::io::Result<String> {
    use http_body_util::{BodyExt, Full};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(|request: http::Request<hyper::body::Incoming>| async {
                        let (parts, mut body) = request.into_parts();
                        let mut prefix = Vec::new();
                        let mut total = 0u64;
                        while let Some(frame) = body.frame().await {
                            if let Ok(data) = frame?.into_data() {
                                total += data.len() as u64;
                                let room = SINK_PREFIX.saturating_sub(prefix.len());
                                prefix.extend_from_slice(&data[..room.min(data.len())]);
                            }
                        }
                        let answer = upload_answer(&parts, &prefix, total);
                        Ok::<_, hyper::Error>(answer.map(Full::new))
                    });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    Ok(base_url)
}

/// What the upload API would answer to a form that starts with `prefix` and is `total` bytes.
fn upload_answer(parts: &http::request::Parts, prefix: &[u8], total: u64) -> HttpResponse {
    let error = |status: u16, message: &str| fixtures::json(status, &serde_json::json!({"message": message}));
    if parts.method != Method::POST
        || !matches!(parts.uri.path(), "/api/v1/files/upload" | "/api/v2/files/upload")
    {
        return error(404, "Not found");
    }
    let boundary = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once("boundary="))
        .map(|(_, b)| b.trim_matches('"').to_owned());
    let Some(boundary) = boundary else {
        return error(400, "Your request is not a multipart/form-data upload.");
    };
    let fields = form_prefix_fields(prefix, &boundary);
    let field = |name: &str| fields.iter().find(|(n, ..)| n == name).map(|(_, v, _)| v.as_str());
    let signed = field("signature").is_some() || field("token").is_some();
    if parts.headers.get(http::header::AUTHORIZATION).is_none() && !signed {
        return error(401, "Your request does not contain private API key.");
    }
    let Some(file_name) = field("fileName").filter(|n| !n.is_empty()) else {
        return error(400, "Your request is missing fileName parameter.");
    };
    // The file's size: the body from the start of its content to the closing delimiter.
    let tail = format!("\r\n--{boundary}--\r\n").len() as u64;
    let size = match fields.iter().find(|(n, ..)| n == "file") {
        Some((_, value, None)) => value.len() as u64,
        Some((_, _, Some(start))) => total.saturating_sub(*start as u64 + tail),
        None => return error(400, "Your request is missing file parameter."),
    };
    fixtures::ok(fixtures::uploaded(file_name, field("folder").unwrap_or("/"), size))
}

/// The parts found in the start of a form: (name, text value, where a file part's content starts).
fn form_prefix_fields(prefix: &[u8], boundary: &str) -> Vec<(String, String, Option<usize>)> {
    let text = String::from_utf8_lossy(prefix);
    let delimiter = format!("--{boundary}\r\n");
    let mut found = Vec::new();
    let mut offset = 0;
    while let Some(start) = text[offset..].find(&delimiter) {
        let headers_start = offset + start + delimiter.len();
        let Some(headers_len) = text[headers_start..].find("\r\n\r\n") else { break };
        let headers = &text[headers_start..headers_start + headers_len];
        let content_start = headers_start + headers_len + 4;
        let name = headers
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned();
        if headers.contains("filename=") {
            // Byte offset into the body: the prefix is cut from the body at the same place.
            let byte_start = text[..content_start].len();
            found.push((name, String::new(), Some(byte_start)));
            break;
        }
        let end = text[content_start..].find(&format!("\r\n--{boundary}")).map(|e| content_start + e);
        let Some(end) = end else { break };
        found.push((name, text[content_start..end].to_owned(), None));
        offset = end + 2;
    }
    found
}

// The README's code blocks compile and run as doctests of this crate.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
