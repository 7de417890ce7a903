//! Shared pieces of the example programs.
//!
//! [`offline_client`] answers like ImageKit from the `imagekit-mock` fixtures, so every example
//! runs without a network or an account.

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

/// A client over [`OfflineImageKit`].
pub fn offline_client() -> Result<Client, Error> {
    Client::builder().private_key(OFFLINE_KEY).transport(OfflineImageKit).build()
}

// The README's code blocks compile and run as doctests of this crate.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
