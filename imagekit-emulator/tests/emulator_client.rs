//! The emulator through the client's own operations: in process as a transport, and over HTTP
//! on 127.0.0.1 through imagekit-hyper, with the same output both ways.
#![cfg(feature = "server")]

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use common::*;
use http::StatusCode;
use imagekit_core::UploadSource;
use imagekit_core::models::File;
use imagekit_core::transport::HttpTransport;
use imagekit_core::{Client, Error, RetryPolicy};
use imagekit_emulator::{Emulator, UploadForm};
use imagekit_hyper::HyperTransport;
use imagekit_mock::InstantSleep;
use serde_json::{Value, json};

/// Sends one upload the way the integrator's tour will: a multipart request to
/// `{upload_base}/api/v1/files/upload`.
async fn upload(transport: &impl HttpTransport, upload_base: &str, content: &[u8]) -> Value {
    let form = UploadForm::new("poster.png", content.to_vec())
        .field("folder", "/tour")
        .field("useUniqueFileName", "false")
        .tags(&["tour"]);
    let response = transport
        .send(form.into_request(upload_base, KEY).map(Into::into), Default::default())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_slice(response.body()).unwrap()
}

fn line(file: &File) -> String {
    let info = file.version_info.clone().unwrap_or_default();
    format!(
        "{} {} {} {} {:?}x{:?} {} {}",
        info.id.unwrap_or_default(),
        info.name.unwrap_or_default(),
        file.kind.as_ref().map(ToString::to_string).unwrap_or_default(),
        file.file_path.clone().unwrap_or_default(),
        file.width,
        file.height,
        file.url.clone().unwrap_or_default(),
        file.created_at.clone().unwrap_or_default(),
    )
}

/// The version lifecycle the README's tour will show: upload, upload again, list, get,
/// restore the older one, delete the now-old one, list again. Returns what it would print.
async fn tour(
    client: &Client,
    transport: &impl HttpTransport,
    upload_base: &str,
) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let first = upload(transport, upload_base, &png(320, 200)).await;
    let second = upload(transport, upload_base, &png(640, 400)).await;
    let file_id = first["fileId"].as_str().unwrap().to_owned();
    assert_eq!(second["fileId"], first["fileId"]);
    out.push(format!(
        "uploaded {file_id}: {} then {}",
        first["versionInfo"]["name"], second["versionInfo"]["name"]
    ));

    let versions = client.files().versions().list(&file_id).await?;
    out.extend(versions.iter().map(line));
    let older = versions[0].version_info.clone().unwrap().id.unwrap();
    let newer = versions[1].version_info.clone().unwrap().id.unwrap();
    out.push(line(&client.files().versions().get(&file_id, &older).await?));
    out.push(line(&client.files().versions().restore(&file_id, &older).await?));
    client.files().versions().delete(&file_id, &newer).await?;
    out.extend(client.files().versions().list(&file_id).await?.iter().map(line));
    out.push(line(&client.files().get(&file_id).await?));

    let error = client.files().versions().get(&file_id, &newer).await.unwrap_err();
    out.push(format!("{:?} {error}", error.status()));
    Ok(out)
}

#[tokio::test]
async fn the_tour_prints_the_same_in_process_and_over_http() {
    let in_process = Emulator::new(KEY);
    let client = Client::builder().private_key(KEY).transport(in_process.clone()).build().unwrap();
    let local = tour(&client, &in_process, "https://upload.imagekit.io").await.unwrap();
    println!("{}", local.join("\n"));
    assert_eq!(local.len(), 9, "{local:#?}");
    assert!(local[0].contains("\"Version 1\" then \"Version 2\""), "{}", local[0]);
    assert!(local[4].contains("Version 3 file /tour/poster.png Some(320.0)x"), "{}", local[4]);
    assert!(local[8].starts_with("Some(404)"), "{}", local[8]);

    let served = Emulator::new(KEY);
    let server = served.serve_on_free_port().unwrap();
    let transport = HyperTransport::new().unwrap();
    let client = Client::builder()
        .private_key(KEY)
        .base_url(server.base_url())
        .upload_base_url(server.base_url())
        .transport(transport.clone())
        .build()
        .unwrap();
    let remote = tour(&client, &transport, server.base_url()).await.unwrap();
    assert_eq!(local, remote);
    server.shutdown();
}

#[tokio::test]
async fn client_retries_injected_faults() {
    let emulator = Emulator::new(KEY);
    let id = emulator.seed_file("/r/a.txt", &b"a"[..]).unwrap();
    let sleep = InstantSleep::new();
    let client = Client::builder()
        .private_key(KEY)
        .transport(emulator.clone())
        .sleeper(sleep.clone())
        .retry_policy(RetryPolicy::default().with_jitter(false))
        .build()
        .unwrap();
    emulator.fail_next(
        Some(http::Method::GET),
        &format!("/v1/files/{id}/versions"),
        2,
        StatusCode::INTERNAL_SERVER_ERROR,
    );
    let versions = client.files().versions().list(&id).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(sleep.waits().len(), 2);
    let attempts: Vec<u16> = emulator.requests().iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(attempts, [500, 500, 200], "seeding is not logged");
    emulator.clear_requests();

    emulator.fail_next(None, "/v1/files", 10, StatusCode::BAD_GATEWAY);
    let error = client.files().get(&id).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    emulator.clear_faults();

    let wrong = Client::builder().private_key("private_wrong").transport(emulator.clone()).build().unwrap();
    let error = wrong.files().get(&id).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    let error = client.files().versions().delete(&id, &id).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST), "the current version cannot be deleted");
}

#[tokio::test]
async fn faults_are_injected_over_http_through_the_admin_endpoint() {
    let emulator = Emulator::new(KEY);
    let id = emulator.seed_file("/h/a.txt", &b"a"[..]).unwrap();
    let server = emulator.serve_on_free_port().unwrap();
    let transport = HyperTransport::new().unwrap();
    let mut rule = request(
        http::Method::POST,
        "/__emulator/faults",
        Some(&json!({"method": "GET", "pathPrefix": "/v1/files", "times": 2, "status": 500})),
    );
    *rule.uri_mut() = format!("{}/__emulator/faults", server.base_url()).parse().unwrap();
    assert_eq!(
        transport.send(rule.map(Into::into), Default::default()).await.unwrap().status(),
        StatusCode::CREATED
    );

    let sleep = InstantSleep::new();
    let client = Client::builder()
        .private_key(KEY)
        .base_url(server.base_url())
        .transport(transport.clone())
        .sleeper(sleep.clone())
        .build()
        .unwrap();
    let file = client.files().get(&id).await.unwrap();
    assert_eq!(file.name.as_deref(), Some("a.txt"));
    assert_eq!(sleep.waits().len(), 2);
    assert!(emulator.faults().is_empty());

    let mut log = request(http::Method::GET, "/__emulator/requests", None);
    *log.uri_mut() = format!("{}/__emulator/requests", server.base_url()).parse().unwrap();
    let log: Value =
        serde_json::from_slice(transport.send(log.map(Into::into), Default::default()).await.unwrap().body())
            .unwrap();
    let seen: Vec<(u64, bool)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["status"].as_u64().unwrap(), r["injected"] == true))
        .collect();
    assert_eq!(seen, [(500, true), (500, true), (200, false)]);
    assert_eq!(log[2]["path"], format!("/v1/files/{id}/details"));
}

#[test]
fn the_binary_serves_until_killed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imagekit-emulator"))
        .args(["--port", "0", "--private-key", KEY])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let base_url = first_line.trim().to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = runtime.block_on(async {
        let transport = HyperTransport::new().unwrap();
        let form = UploadForm::new("bin.txt", &b"from the binary"[..]);
        let response = transport
            .send(form.into_request(&base_url, KEY).map(Into::into), Default::default())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut list = request(http::Method::GET, "/v1/files", None);
        *list.uri_mut() = format!("{base_url}/v1/files").parse().unwrap();
        let response = transport.send(list.map(Into::into), Default::default()).await.unwrap();
        let body: Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(body.as_array().unwrap().len(), 1);
        response.status()
    });
    assert_eq!(status, StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A v1 de-duplication token travels next to the private key, and ImageKit (here, the
/// emulator) refuses its reuse: a repeated upload cannot store the file twice.
#[tokio::test]
async fn a_v1_dedup_token_makes_a_repeated_upload_refused() {
    let emulator = Emulator::new(KEY);
    let client = Client::builder().private_key(KEY).transport(emulator.clone()).build().unwrap();
    let token = "5f0c8a8e-3d7c-4c3e-9b1a-2d4f6e8a0b1c";
    let upload = || client.files().upload(UploadSource::bytes("once"), "once.txt").dedup_token(token);
    upload().await.unwrap();
    let repeat = upload().await.unwrap_err();
    assert_eq!(repeat.status().map(|s| s.as_u16()), Some(400), "{repeat}");
    let listed = client.assets().list(imagekit_core::resources::assets::ListAssets::new()).await.unwrap();
    assert_eq!(listed.len(), 1, "stored once");

    // Where a token has another meaning, or is not a token, nothing is sent.
    let sent = emulator.requests().len();
    let refused = [
        client.files().upload_v2(UploadSource::bytes("x"), "x.txt").dedup_token(token).await,
        client.files().upload(UploadSource::bytes("x"), "x.txt").dedup_token("").await,
        client.files().upload(UploadSource::bytes("x"), "x.txt").dedup_token("has space").await,
        client.files().upload(UploadSource::bytes("x"), "x.txt").dedup_token("t".repeat(51)).await,
    ];
    for outcome in refused {
        let error = outcome.unwrap_err();
        assert_eq!(error.as_invalid_input().map(|i| i.parameter()), Some("token"), "{error}");
    }
    assert_eq!(emulator.requests().len(), sent);
}
