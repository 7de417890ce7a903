//! Uploads through the hyper transport to a server on 127.0.0.1 that reads the form part by
//! part: every field and source, streaming as the server reads, and bad paths refused.

use std::convert::Infallible;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use imagekit_core::models::{Extension, ExtensionName, UploadOutcome};
use imagekit_core::upload::{PostTransformation, ResponseField, UploadSource, UploadTransformation};
use imagekit_core::{Client, Error, FixedClock, TransportErrorKind};
use imagekit_hyper::HyperTransport;
use imagekit_mock::fixtures;
use imagekit_mock::multipart::{self, Part};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

/// One request as the server received it.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Received {
    fn parts(&self) -> Vec<Part> {
        let content_type = self.headers["content-type"].to_str().unwrap();
        multipart::parse(content_type, &self.body).expect("a well-formed form")
    }
}

struct Server {
    base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
    /// Body bytes received so far by the request in progress, updated as frames arrive.
    progress: watch::Receiver<u64>,
}

async fn serve() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let (progress_tx, progress) = watch::channel(0u64);
    let progress_tx = Arc::new(progress_tx);
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let (store, progress_tx) = (store.clone(), progress_tx.clone());
            tokio::spawn(async move {
                let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let (store, progress_tx) = (store.clone(), progress_tx.clone());
                    async move {
                        let (parts, mut body) = request.into_parts();
                        let mut collected = Vec::new();
                        while let Some(frame) = body.frame().await {
                            let Ok(frame) = frame else { break };
                            if let Ok(data) = frame.into_data() {
                                collected.extend_from_slice(&data);
                                progress_tx.send_replace(collected.len() as u64);
                            }
                        }
                        let size = collected.len() as u64;
                        store.lock().unwrap().push(Received {
                            path: parts.uri.path().to_owned(),
                            headers: parts.headers,
                            body: collected.into(),
                        });
                        let answer = fixtures::ok(fixtures::uploaded("a.bin", "/", size));
                        Ok::<_, Infallible>(answer.map(Full::new))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Server { base_url, received, progress }
}

fn client(server: &Server) -> Client {
    Client::builder()
        .private_key("private_upload=")
        .upload_base_url(&server.base_url)
        .transport(HyperTransport::new().unwrap())
        .clock(FixedClock(1_700_000_000))
        .build()
        .unwrap()
}

fn temp_file(name: &str, content: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("imagekit-hyper-test-{}-{name}", std::process::id()));
    std::fs::write(&path, content).unwrap();
    path
}

#[tokio::test]
async fn a_file_upload_arrives_part_by_part_with_every_field() {
    let server = serve().await;
    let content: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
    let path = temp_file("every-field.mp4", &content);
    let mut metadata = serde_json::Map::new();
    metadata.insert("sku".into(), json!("X-1"));
    let outcome = client(&server)
        .files()
        .upload(imagekit_hyper::upload::file(&path).await.unwrap(), "every-field.mp4")
        .use_unique_file_name(true)
        .tags(["a", "b"])
        .folder("/videos/2024")
        .is_private_file(false)
        .is_published(true)
        .custom_coordinates("0,0,10,10")
        .response_fields([ResponseField::Metadata, ResponseField::SelectedFieldsSchema])
        .extensions([Extension::new(ExtensionName::RemoveBg).option("options", json!({"add_shadow": true}))])
        .webhook_url("https://example.test/w")
        .overwrite_file(true)
        .overwrite_ai_tags(true)
        .overwrite_tags(false)
        .overwrite_custom_metadata(true)
        .custom_metadata(metadata)
        .transformation(UploadTransformation::new().post(PostTransformation::thumbnail(Some("w-100".into()))))
        .checks("\"file.size\" < \"10mb\"")
        .description("clip")
        .await
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(&outcome, UploadOutcome::Uploaded(u) if u.size.is_some()));

    let received = server.received.lock().unwrap()[0].clone();
    assert_eq!(received.path, "/api/v1/files/upload");
    assert_eq!(received.headers["content-length"], received.body.len().to_string().as_str());
    assert!(!received.headers.contains_key("transfer-encoding"));
    assert!(received.headers["authorization"].to_str().unwrap().starts_with("Basic "));
    let parts = received.parts();
    let text = |name: &str| parts.iter().find(|p| p.name == name).map(Part::text);
    for (name, value) in [
        ("fileName", "every-field.mp4"),
        ("useUniqueFileName", "true"),
        ("tags", "a,b"),
        ("folder", "/videos/2024"),
        ("isPrivateFile", "false"),
        ("isPublished", "true"),
        ("customCoordinates", "0,0,10,10"),
        ("responseFields", "metadata,selectedFieldsSchema"),
        ("extensions", r#"[{"name":"remove-bg","options":{"add_shadow":true}}]"#),
        ("webhookUrl", "https://example.test/w"),
        ("overwriteFile", "true"),
        ("overwriteAITags", "true"),
        ("overwriteTags", "false"),
        ("overwriteCustomMetadata", "true"),
        ("customMetadata", r#"{"sku":"X-1"}"#),
        ("transformation", r#"{"post":[{"type":"thumbnail","value":"w-100"}]}"#),
        ("checks", "\"file.size\" < \"10mb\""),
        ("description", "clip"),
    ] {
        assert_eq!(text(name).as_deref(), Some(value), "field {name}");
    }
    assert_eq!(parts.len(), 19);
    let file = parts.last().unwrap();
    assert_eq!((file.name.as_str(), file.filename.as_deref()), ("file", Some("every-field.mp4")));
    assert_eq!(file.content_type.as_deref(), Some("video/mp4"));
    assert!(file.data == content, "the file arrives byte for byte");
}

/// A stream fed from a channel, so the test decides when each chunk exists.
struct Channel(mpsc::Receiver<Bytes>);

impl futures_core::Stream for Channel {
    type Item = Result<Bytes, io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(Ok))
    }
}

#[tokio::test]
async fn the_body_streams_as_the_server_reads_it() {
    let mut server = serve().await;
    let client = client(&server);
    let (tx, rx) = mpsc::channel(1);
    let first = Bytes::from(vec![1u8; 100_000]);
    let second = Bytes::from(vec![2u8; 100_000]);
    let source = UploadSource::stream(200_000, Box::pin(Channel(rx)));
    let upload = tokio::spawn(async move { client.files().upload(source, "live.bin").await });
    tx.send(first).await.unwrap();
    // The second chunk does not exist yet: a transport that buffered the body would send
    // nothing, and the server would never see the first one.
    tokio::time::timeout(Duration::from_secs(10), server.progress.wait_for(|n| *n >= 100_000))
        .await
        .expect("the first chunk reached the server before the second was produced")
        .unwrap();
    tx.send(second).await.unwrap();
    drop(tx);
    upload.await.unwrap().unwrap();
    let received = server.received.lock().unwrap()[0].clone();
    let data = received.parts().last().unwrap().data.clone();
    assert_eq!(data.len(), 200_000);
    assert!(data[..100_000].iter().all(|b| *b == 1) && data[100_000..].iter().all(|b| *b == 2));
}

#[tokio::test]
async fn a_tokio_reader_uploads_with_progress() {
    let server = serve().await;
    let content = vec![9u8; 300_000];
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    client(&server)
        .files()
        .upload_v2(imagekit_hyper::upload::reader(std::io::Cursor::new(content.clone()), 300_000), "r.bin")
        .jwt_auth("public_test", Duration::from_secs(300))
        .on_progress(move |sent, total| record.lock().unwrap().push((sent, total)))
        .await
        .unwrap();
    let received = server.received.lock().unwrap()[0].clone();
    assert_eq!(received.path, "/api/v2/files/upload");
    assert!(!received.headers.contains_key("authorization"), "a JWT upload carries no private key");
    let parts = received.parts();
    assert!(parts.iter().any(|p| p.name == "token" && p.text().split('.').count() == 3));
    assert!(parts.last().unwrap().data == content);
    let seen = seen.lock().unwrap();
    let total = received.body.len() as u64;
    assert_eq!(*seen.last().unwrap(), (total, total));
    assert!(seen.len() > 2);
}

#[tokio::test]
async fn unreadable_paths_are_refused_before_sending() {
    let missing = std::env::temp_dir().join("imagekit-hyper-test-does-not-exist.jpg");
    let empty = temp_file("empty.jpg", b"");
    for path in [missing, std::env::temp_dir(), empty.clone()] {
        match imagekit_hyper::upload::file(&path).await {
            Err(Error::InvalidInput(e)) => {
                assert_eq!(e.parameter(), "file");
                assert!(e.reason().contains(&path.display().to_string()), "{e}");
            }
            other => panic!("{}: expected invalid input, got {other:?}", path.display()),
        }
    }
    std::fs::remove_file(empty).unwrap();
}

#[tokio::test]
async fn a_file_that_shrinks_after_it_was_checked_fails_as_a_body_source_error() {
    let server = serve().await;
    let path = temp_file("shrinks.bin", &[5u8; 1000]);
    let source = imagekit_hyper::upload::file(&path).await.unwrap();
    std::fs::write(&path, [5u8; 10]).unwrap();
    let error = client(&server).files().upload(source, "shrinks.bin").await.unwrap_err();
    std::fs::remove_file(&path).unwrap();
    match error {
        Error::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::BodySource, "{e}"),
        other => panic!("expected a body source error, got {other:?}"),
    }
}
