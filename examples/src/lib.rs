//! Shared pieces of the example programs.
//!
//! [`offline_client`] answers like ImageKit from the `imagekit-mock` fixtures, so every example
//! runs without a network or an account.

pub mod tour;

use http::{Method, StatusCode};
use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};
use imagekit_core::{Client, Error};
use imagekit_mock::fixtures;

/// The private key the offline examples use; it is not a real key.
pub const OFFLINE_KEY: &str = "private_offline_example_key=";

/// How many files the offline media library holds: `/catalog/product-000.jpg` and on.
pub const OFFLINE_CATALOG_SIZE: usize = 23;

/// Answers the file and version operations for the fixture file (other ids get ImageKit's 404),
/// and `GET /v1/files` from a catalogue of [`OFFLINE_CATALOG_SIZE`] files, honouring `skip`,
/// `limit` and, minimally, `searchQuery`: the first double-quoted text in it must appear in the
/// file name (`name : "product-01"`); anything else in the query is ignored.
#[derive(Debug, Default)]
pub struct OfflineImageKit;

#[async_trait::async_trait]
impl HttpTransport for OfflineImageKit {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let segments: Vec<&str> = request.uri().path().trim_start_matches('/').split('/').collect();
        let known_file = segments.get(2) == Some(&fixtures::FILE_ID);
        let answer = match (request.method(), &segments[..]) {
            (&Method::GET, ["v1", "files"]) => list_catalog(request.uri().query().unwrap_or_default()),
            (&Method::GET, ["v1", "files", _, "details"]) if known_file => fixtures::ok(fixtures::file()),
            (&Method::GET, ["v1", "files", _, "versions"]) if known_file => {
                fixtures::ok(fixtures::version_list())
            }
            (&Method::GET, ["v1", "files", _, "versions", version]) if known_file => match *version {
                v if v == fixtures::VERSION_2_ID => fixtures::ok(fixtures::file_version()),
                v if v == fixtures::VERSION_1_ID => fixtures::ok(fixtures::file_version_1()),
                _ => fixtures::not_found(),
            },
            (_, ["v1", "files", ..]) => fixtures::json(
                404,
                &serde_json::json!({"message": "The requested file does not exist.", "help": "For support kindly contact us at support@imagekit.io."}),
            ),
            _ => fixtures::json(StatusCode::NOT_FOUND.as_u16(), &serde_json::json!({"message": "Not found"})),
        };
        Ok(answer)
    }
}

/// One page of the offline catalogue for the query of `GET /v1/files`.
fn list_catalog(query: &str) -> HttpResponse {
    let mut skip = 0;
    let mut limit = 1000;
    let mut needle = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        let number = value.parse::<usize>();
        match (name, number) {
            ("skip", Ok(n)) => skip = n,
            ("limit", Ok(n)) if (1..=1000).contains(&n) => limit = n,
            ("limit", _) | ("skip", _) => {
                return fixtures::json(
                    400,
                    &serde_json::json!({"message": format!("Invalid {name}: {value}"), "help": "For support kindly contact us at support@imagekit.io."}),
                );
            }
            ("searchQuery", _) => needle = value.split('"').nth(1).map(str::to_owned),
            _ => {}
        }
    }
    let matching: Vec<serde_json::Value> = (0..OFFLINE_CATALOG_SIZE)
        .map(fixtures::catalog_file)
        .filter(|file| {
            needle.as_deref().is_none_or(|n| file["name"].as_str().is_some_and(|name| name.contains(n)))
        })
        .skip(skip)
        .take(limit)
        .collect();
    fixtures::ok(serde_json::Value::Array(matching))
}

/// Decodes `%XX` escapes (enough for the queries the client sends).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Serves [`OfflineImageKit`] over HTTP/1.1 on a free port of 127.0.0.1 until the runtime ends;
/// returns its base URL, e.g. `http://127.0.0.1:40123`.
pub async fn serve_offline_fixtures() -> std::io::Result<String> {
    use http_body_util::{BodyExt, Full};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(|request: http::Request<hyper::body::Incoming>| async {
                        let (parts, body) = request.into_parts();
                        let body = body.collect().await?.to_bytes();
                        let answer = OfflineImageKit.send(HttpRequest::from_parts(parts, body)).await;
                        let answer = answer.unwrap_or_else(|_| fixtures::server_error());
                        Ok::<_, hyper::Error>(answer.map(Full::new))
                    });
                let io = hyper_util::rt::TokioIo::new(stream);
                // A client hanging up mid-answer is not the server's problem.
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    Ok(base_url)
}

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

/// A client over [`OfflineImageKit`].
pub fn offline_client() -> Result<Client, Error> {
    Client::builder().private_key(OFFLINE_KEY).transport(OfflineImageKit).build()
}

// The README's code blocks compile and run as doctests of this crate.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
