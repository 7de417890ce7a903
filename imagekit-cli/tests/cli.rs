//! The `imagekit` binary against the emulator's HTTP server, started in this process: every
//! command, its output and its exit code.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assert_cmd::Command;
use bytes::Bytes;
use http::{Method, StatusCode};
use imagekit_core::url::{SrcOptions, Transformation, UrlBuilder};
use imagekit_mock::emulator::{Emulator, FaultRule, ServerHandle};
use predicates::prelude::*;
use serde_json::Value;

const KEY: &str = "private_cli_test";
const ENDPOINT: &str = "https://ik.imagekit.io/demo";

/// The variables the tool reads, unset so the machine's environment cannot leak into a test.
const ENV: [&str; 9] = [
    "IMAGEKIT_PRIVATE_KEY",
    "IMAGEKIT_BASE_URL",
    "IMAGE_KIT_BASE_URL",
    "IMAGEKIT_UPLOAD_BASE_URL",
    "IMAGEKIT_URL_ENDPOINT",
    "IMAGEKIT_WEBHOOK_SECRET",
    "IMAGE_KIT_CUSTOM_HEADERS",
    "IMAGE_KIT_LOG",
    "WEBHOOK_SECRET_ELSEWHERE",
];

/// The binary with a clean environment.
fn bare() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_imagekit"));
    for name in ENV {
        command.env_remove(name);
    }
    command.timeout(Duration::from_secs(30));
    command
}

/// The binary pointed at `server` with its key, as `imagekit emulator`'s exports do: one base
/// URL, which uploads follow.
fn imagekit(server: &ServerHandle) -> Command {
    let mut command = bare();
    command.env("IMAGEKIT_PRIVATE_KEY", KEY).env("IMAGEKIT_BASE_URL", server.base_url());
    command
}

fn serve() -> (Emulator, ServerHandle) {
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_on_free_port().unwrap();
    (emulator, server)
}

/// Every current file's path in the emulator's library, through its listing API.
fn remote_paths(emulator: &Emulator) -> Vec<String> {
    let request = http::Request::builder()
        .uri("/v1/files?limit=1000")
        .header("authorization", format!("Basic {KEY}"))
        .body(Bytes::new())
        .unwrap();
    let response = emulator.handle(request);
    assert_eq!(response.status(), StatusCode::OK);
    let list: Value = serde_json::from_slice(response.body()).unwrap();
    list.as_array().unwrap().iter().map(|f| f["filePath"].as_str().unwrap().to_owned()).collect()
}

/// How many requests the emulator answered with this method and path prefix.
fn requests(emulator: &Emulator, method: Method, prefix: &str) -> usize {
    emulator.requests().iter().filter(|r| r.method == method && r.path.starts_with(prefix)).count()
}

/// `count` small files in a tree under `root/dir`: `dir/sN/NN.txt`, ten per subfolder.
fn tree(root: &Path, count: usize) -> BTreeSet<String> {
    let mut remote = BTreeSet::new();
    for i in 0..count {
        let relative = format!("dir/s{}/{i:02}.txt", i / 10);
        let path = root.join(&relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("file number {i}")).unwrap();
        remote.insert(format!("/x/{relative}"));
    }
    remote
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn a_tree_rate_limited_on_the_way_still_lands_every_file_once() {
    let (emulator, server) = serve();
    let dir = tempfile::tempdir().unwrap();
    let expected = tree(dir.path(), 50);
    // Five uploads answered 429 first (the emulator's X-RateLimit-Reset: 1 s); the client's
    // policy retries them, and a 429 stored nothing.
    emulator.add_fault(FaultRule::new(
        Some(Method::POST),
        "/api/v1/files/upload",
        5,
        StatusCode::TOO_MANY_REQUESTS,
    ));
    let output = imagekit(&server)
        .args(["upload", "--folder", "/x", "--concurrency", "4"])
        .arg(dir.path().join("dir"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = stdout_of(&output);
    let uploaded: BTreeSet<String> = stdout
        .lines()
        .map(|line| line.strip_prefix("uploaded ").unwrap().split(" (fileId ").next().unwrap().to_owned())
        .collect();
    assert_eq!(uploaded, expected);
    let stored = remote_paths(&emulator);
    assert_eq!(stored.len(), 50, "no duplicates");
    assert_eq!(stored.into_iter().collect::<BTreeSet<_>>(), expected);
    assert_eq!(requests(&emulator, Method::POST, "/api/"), 55, "50 uploads and 5 retries");
    assert!(emulator.faults().is_empty());
    assert!(stderr_of(&output).contains("uploaded 50, skipped 0, failed 0"), "{}", stderr_of(&output));
}

#[test]
fn a_file_that_fails_is_named_and_the_others_are_uploaded() {
    let (emulator, server) = serve();
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 50);
    emulator.add_fault(FaultRule::for_upload_named("17.txt", 1, StatusCode::INTERNAL_SERVER_ERROR));
    let output =
        imagekit(&server).args(["upload", "--folder", "/x"]).arg(dir.path().join("dir")).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("uploaded 49, skipped 0, failed 1"), "{stderr}");
    let summary = stderr.split("these files were not uploaded:").nth(1).unwrap();
    assert!(summary.contains("/x/dir/s1/17.txt: ImageKit answered 500"), "{summary}");
    assert!(summary.contains("help: "), "ImageKit's help is shown: {summary}");
    // A 500 to an upload is not repeated (the file may have been stored): one attempt each.
    assert_eq!(requests(&emulator, Method::POST, "/api/"), 50);
    let stored = remote_paths(&emulator);
    assert_eq!(stored.len(), 49);
    assert!(!stored.contains(&"/x/dir/s1/17.txt".to_owned()));
}

/// A link in the tree to a file outside it (an unpacked archive's `photo.jpg -> ../../id_rsa`)
/// is skipped and named, and nothing of it is read; `--follow-links` uploads it.
#[cfg(unix)]
#[test]
fn links_out_of_the_tree_are_skipped_unless_asked_for() {
    let (emulator, server) = serve();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("outside")).unwrap();
    std::fs::create_dir_all(dir.path().join("tree/sub")).unwrap();
    std::fs::write(dir.path().join("outside/id_rsa"), "PRIVATE KEY").unwrap();
    std::fs::write(dir.path().join("tree/sub/kept.txt"), "kept").unwrap();
    std::os::unix::fs::symlink("../../outside/id_rsa", dir.path().join("tree/sub/photo.jpg")).unwrap();

    let output =
        imagekit(&server).args(["upload", "--folder", "/x"]).arg(dir.path().join("tree")).output().unwrap();
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "a skipped link is not a failure: {stderr}");
    assert!(
        stderr.contains("photo.jpg: a link to a file outside the tree (--follow-links follows it)"),
        "{stderr}"
    );
    assert!(stderr.contains("uploaded 1, skipped 1, failed 0"), "{stderr}");
    assert_eq!(remote_paths(&emulator), ["/x/tree/sub/kept.txt"]);

    let json = imagekit(&server)
        .args(["upload", "--folder", "/j", "--json"])
        .arg(dir.path().join("tree"))
        .output()
        .unwrap();
    let lines = json_lines(&stdout_of(&json));
    assert!(
        lines
            .iter()
            .any(|l| l["status"] == "skipped" && l["localPath"].as_str().unwrap().ends_with("photo.jpg"))
    );

    let followed = imagekit(&server)
        .args(["upload", "--folder", "/f", "--follow-links"])
        .arg(dir.path().join("tree"))
        .output()
        .unwrap();
    assert!(followed.status.success(), "{}", stderr_of(&followed));
    assert!(remote_paths(&emulator).contains(&"/f/tree/sub/photo.jpg".to_owned()));
}

#[test]
fn skip_existing_lists_each_folder_once_and_json_lines_say_what_happened() {
    let (emulator, server) = serve();
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 20);
    emulator.seed_file("/x/dir/s0/03.txt", &b"already"[..]).unwrap();
    emulator.clear_requests();
    let output = imagekit(&server)
        .args(["upload", "--folder", "/x", "--skip-existing", "--tags", "a,b", "--json"])
        .arg(dir.path().join("dir"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let lines = json_lines(&stdout_of(&output));
    assert_eq!(lines.len(), 20);
    let skipped: Vec<_> = lines.iter().filter(|l| l["status"] == "skipped").collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["remotePath"], "/x/dir/s0/03.txt");
    assert!(lines.iter().filter(|l| l["status"] == "uploaded").all(|l| l["fileId"].is_string()));
    assert_eq!(requests(&emulator, Method::GET, "/v1/files"), 2, "one listing per folder");
    let file_id = lines.iter().find(|l| l["status"] == "uploaded").unwrap()["fileId"].as_str().unwrap();
    let details = imagekit(&server).args(["get", file_id, "--json"]).output().unwrap();
    let details: Value = serde_json::from_slice(&details.stdout).unwrap();
    assert_eq!(details["tags"], serde_json::json!(["a", "b"]));
}

#[test]
fn ls_streams_every_page() {
    let (emulator, server) = serve();
    for i in 0..25 {
        emulator.seed_file(&format!("/list/f{i:02}.txt"), format!("file {i}")).unwrap();
    }
    emulator.seed_file("/other/big.txt", "a larger file than the others").unwrap();
    emulator.clear_requests();
    let output =
        imagekit(&server).args(["ls", "--path", "/list", "--page-size", "10", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let lines = json_lines(&stdout_of(&output));
    assert_eq!(lines.len(), 25);
    let paths: BTreeSet<_> = lines.iter().map(|l| l["filePath"].as_str().unwrap().to_owned()).collect();
    assert_eq!(paths.len(), 25);
    assert_eq!(requests(&emulator, Method::GET, "/v1/files"), 3, "pages of 10, 10 and 5");

    let table = imagekit(&server).args(["ls", "--page-size", "7"]).output().unwrap();
    let text = stdout_of(&table);
    assert!(text.starts_with("TYPE"), "{text}");
    assert_eq!(
        text.lines().count(),
        1 + 26,
        "a header and every file (the API's default lists files): {text}"
    );
    assert!(text.contains("/other/big.txt") && text.contains("/list/"), "{text}");

    let found = imagekit(&server).args(["ls", "--search", r#"name = "big.txt""#, "--json"]).output().unwrap();
    let found = json_lines(&stdout_of(&found));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["filePath"], "/other/big.txt");
}

#[test]
fn get_versions_and_restore() {
    let (emulator, server) = serve();
    let file_id = emulator.seed_file("/docs/guide.txt", &b"first"[..]).unwrap();
    emulator.seed_file("/docs/guide.txt", &b"second, longer"[..]).unwrap();

    imagekit(&server)
        .args(["get", &file_id])
        .assert()
        .success()
        .stdout(predicate::str::contains("/docs/guide.txt").and(predicate::str::contains("Version 2")));

    let output = imagekit(&server).args(["versions", &file_id, "--json"]).output().unwrap();
    let versions: Value = serde_json::from_slice(&output.stdout).unwrap();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    let first = versions.iter().find(|v| v["versionInfo"]["name"] == "Version 1").unwrap();
    let first_id = first["versionInfo"]["id"].as_str().unwrap();
    let table = imagekit(&server).args(["versions", &file_id]).output().unwrap();
    assert_eq!(stdout_of(&table).lines().count(), 3, "header and two versions");

    imagekit(&server)
        .args(["versions", &file_id, first_id])
        .assert()
        .success()
        .stdout(predicate::str::contains("Version 1").and(predicate::str::contains("5 B")));

    imagekit(&server)
        .args(["restore", &file_id, first_id])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("restored /docs/guide.txt to version "));
    let output = imagekit(&server).args(["get", &file_id, "--json"]).output().unwrap();
    let current: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(current["size"].as_f64(), Some(5.0), "the first version's content is current again");

    // An id that does not exist: ImageKit's message, exit 1.
    imagekit(&server)
        .args(["versions", &file_id, "ffffffffffffffffffffffff"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error: ImageKit answered 404"));
}

#[test]
fn rm_deletes_in_chunks_and_reports_what_it_could_not() {
    let (emulator, server) = serve();
    let ids: Vec<String> =
        (0..120).map(|i| emulator.seed_file(&format!("/bulk/f{i}.txt"), format!("{i}")).unwrap()).collect();
    emulator.clear_requests();
    imagekit(&server).arg("rm").args(&ids).assert().success().stdout("deleted 120 of 120 files\n");
    assert_eq!(emulator.file_count(), 0);
    assert_eq!(requests(&emulator, Method::POST, "/v1/files/batch/deleteByFileIds"), 2, "100, then 20");

    let kept = emulator.seed_file("/bulk/kept.txt", &b"kept"[..]).unwrap();
    let output =
        imagekit(&server).args(["rm", &kept, "0123456789abcdef01234567", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["successfullyDeletedFileIds"], serde_json::json!([kept]));
    assert!(stderr_of(&output).contains("0123456789abcdef01234567: "), "{}", stderr_of(&output));
}

#[test]
fn purge_waits_until_completed() {
    let emulator = Emulator::new(KEY).with_pending_polls(2);
    let server = emulator.serve_on_free_port().unwrap();
    let output =
        imagekit(&server).args(["purge", "https://ik.imagekit.io/demo/img/*", "--wait"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = stdout_of(&output);
    assert!(stdout.lines().last().unwrap().ends_with(" completed"), "{stdout}");
    assert_eq!(requests(&emulator, Method::GET, "/v1/files/purge/"), 3, "pending twice, then completed");

    let output =
        imagekit(&server).args(["purge", "https://ik.imagekit.io/demo/a.jpg", "--json"]).output().unwrap();
    let request: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(request["requestId"].is_string());
    // Refused by the library before sending: a usage error.
    imagekit(&server).args(["purge", ""]).assert().code(2).stderr(predicate::str::contains("url"));
}

#[test]
fn url_builds_and_signs_as_the_library_does() {
    let transformation = Transformation::new().raw("w-300,h-200");
    let expected = UrlBuilder::new(KEY)
        .build_src(
            &SrcOptions::new(ENDPOINT, "/img/a.jpg").transformation(transformation.clone()).signed(true),
        )
        .unwrap();
    bare()
        .env("IMAGEKIT_PRIVATE_KEY", KEY)
        .env("IMAGEKIT_URL_ENDPOINT", ENDPOINT)
        .args(["url", "/img/a.jpg", "--tr", "w-300,h-200", "--sign"])
        .assert()
        .success()
        .stdout(format!("{expected}\n"));

    // Expiring: ik-t is now + 60, and the signature is the library's for that time.
    let before = now();
    let output = bare()
        .env("IMAGEKIT_PRIVATE_KEY", KEY)
        .args([
            "url",
            "/img/a.jpg",
            "--tr",
            "w-300,h-200",
            "--sign",
            "--expires",
            "60",
            "--url-endpoint",
            ENDPOINT,
        ])
        .output()
        .unwrap();
    let url = stdout_of(&output).trim().to_owned();
    let expiry: u64 = url.split("ik-t=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    assert!((before + 60..=now() + 60).contains(&expiry), "{url}");
    let options = SrcOptions::new(ENDPOINT, "/img/a.jpg").transformation(transformation).expires_in(60);
    assert_eq!(url, UrlBuilder::new(KEY).now_unix(expiry - 60).build_src(&options).unwrap());

    // Unsigned needs no key; a chain and the path position.
    bare()
        .args(["url", "/a.jpg", "--tr", "w-100", "--tr", "rt-90", "--tr-in-path", "--url-endpoint", ENDPOINT])
        .assert()
        .success()
        .stdout(format!("{ENDPOINT}/tr:w-100:rt-90/a.jpg\n"));
    // Signing without a key, or no endpoint at all: usage errors.
    bare()
        .args(["url", "/a.jpg", "--sign", "--url-endpoint", ENDPOINT])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("IMAGEKIT_PRIVATE_KEY is not set"));
    bare().args(["url", "/a.jpg"]).assert().code(2).stderr(predicate::str::contains("IMAGEKIT_URL_ENDPOINT"));
    bare().args(["url", "/a.jpg", "--expires", "60", "--url-endpoint", ENDPOINT]).assert().code(2);
}

#[test]
fn webhook_verify_accepts_the_signed_body_and_refuses_a_tampered_one() {
    let secret = "whsec_cli_test_secret";
    let body = imagekit_mock::webhooks::event_body("file.deleted", serde_json::json!({"fileId": "f1"}));
    let timestamp = now();
    let headers = imagekit_mock::webhooks::sign_standard(secret, "msg_1", timestamp, &body);
    let header = |name: &str| headers[name].to_str().unwrap().to_owned();
    let verify = |body: &str| {
        let mut command = bare();
        command
            .env("IMAGEKIT_WEBHOOK_SECRET", secret)
            .args([
                "webhook",
                "verify",
                "--id",
                &header("webhook-id"),
                "--timestamp",
                &header("webhook-timestamp"),
            ])
            .args(["--signature", &header("webhook-signature")])
            .write_stdin(body.to_owned());
        command
    };
    verify(&body).assert().success().stdout("file.deleted b3f2e1d0-0000-4000-8000-000000000001\n");
    let output = verify(&body).arg("--json").output().unwrap();
    let event: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(event["data"]["fileId"], "f1");
    let tampered = body.replace("\"f1\"", "\"f2\"");
    verify(&tampered).assert().code(1).stderr(predicate::str::contains("signature does not match"));

    // The legacy scheme as a raw header, and the secret from another variable.
    let legacy = imagekit_mock::webhooks::sign_legacy(secret, timestamp * 1000, &body);
    bare()
        .env("WEBHOOK_SECRET_ELSEWHERE", secret)
        .args(["webhook", "verify", "--secret-env", "WEBHOOK_SECRET_ELSEWHERE"])
        .args(["--header", &format!("x-ik-signature: {}", legacy["x-ik-signature"].to_str().unwrap())])
        .write_stdin(body.clone())
        .assert()
        .success()
        .stdout(predicate::str::starts_with("file.deleted "));
    // No secret: usage.
    bare()
        .args(["webhook", "verify", "--signature", "v1,x"])
        .write_stdin(body)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("IMAGEKIT_WEBHOOK_SECRET is not set"));
}

#[test]
fn the_emulator_command_serves_until_killed() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_imagekit"))
        .args(["emulator", "--port", "0", "--private-key", KEY])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (mut url, mut exports) = (String::new(), String::new());
    stdout.read_line(&mut url).unwrap();
    stdout.read_line(&mut exports).unwrap();
    let url = url.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(exports.trim(), format!("export IMAGEKIT_BASE_URL={url} IMAGEKIT_PRIVATE_KEY={KEY}"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hello.txt"), "hello").unwrap();
    // `--base-url` alone: uploads go there too, never to upload.imagekit.io.
    let run = |args: &[&str]| {
        let mut command = bare();
        command.env("IMAGEKIT_PRIVATE_KEY", KEY).arg("--base-url").arg(&url);
        command.args(args).output().unwrap()
    };
    let uploaded = run(&["upload", dir.path().join("hello.txt").to_str().unwrap(), "--folder", "/e"]);
    let listed = run(&["ls", "--json"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(uploaded.status.success(), "{}", stderr_of(&uploaded));
    assert!(stdout_of(&uploaded).starts_with("uploaded /e/hello.txt (fileId "));
    assert_eq!(json_lines(&stdout_of(&listed))[0]["filePath"], "/e/hello.txt");
}

#[test]
fn usage_errors_exit_2() {
    bare().assert().code(2);
    bare().arg("upload").assert().code(2).stderr(predicate::str::contains("PATH"));
    bare().arg("rm").assert().code(2);
    bare().args(["ls", "--page-size", "0"]).assert().code(2);
    bare().args(["upload", ".", "--concurrency", "0"]).assert().code(2);
    bare().args(["no-such-command"]).assert().code(2);
    bare().arg("--help").assert().success().stdout(predicate::str::contains("Exit codes:"));
}

#[test]
fn a_missing_key_exits_2_with_what_to_do() {
    let (_emulator, server) = serve();
    let mut command = imagekit(&server);
    command.env_remove("IMAGEKIT_PRIVATE_KEY").args(["ls"]).assert().code(2).stderr(
        predicate::str::starts_with("error: IMAGEKIT_PRIVATE_KEY is not set: export your private API key"),
    );
    // A wrong key is ImageKit's refusal: exit 1, its message.
    imagekit(&server)
        .env("IMAGEKIT_PRIVATE_KEY", "private_wrong")
        .args(["get", "f1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ImageKit answered 403"));
}

#[test]
fn the_key_is_not_in_the_log() {
    let (emulator, server) = serve();
    let file_id = emulator.seed_file("/a.txt", &b"a"[..]).unwrap();
    let output = imagekit(&server).env("IMAGE_KIT_LOG", "debug").args(["get", &file_id]).output().unwrap();
    assert!(output.status.success());
    let stderr = stderr_of(&output);
    assert!(stderr.contains("DEBUG"), "the log is on: {stderr}");
    assert!(!stderr.contains(KEY) && !stdout_of(&output).contains(KEY));
}

/// A server that takes its time over each upload: reads the head, then the body 16 KiB every
/// 100 ms, then answers an upload's JSON. Returns its URL and a count of the connections it
/// has accepted.
fn slow_upload_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read as _, Write as _};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let mut buffer = vec![0u8; 16 * 1024];
                let mut read = 0;
                while read < length {
                    match stream.read(&mut buffer[..(length - read).min(16 * 1024)]) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n,
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                let body = r#"{"fileId":"slow","name":"f","filePath":"/f"}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    (url, accepted)
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_starting_and_lists_what_was_not_uploaded() {
    use std::sync::atomic::Ordering;
    let (url, accepted) = slow_upload_server();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        std::fs::write(dir.path().join(format!("f{i}.bin")), vec![b'x'; 512 * 1024]).unwrap();
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_imagekit"))
        .env("IMAGEKIT_PRIVATE_KEY", KEY)
        .args([
            "--base-url",
            &url,
            "--upload-base-url",
            &url,
            "upload",
            "--concurrency",
            "2",
            "--folder",
            "/c",
        ])
        .arg(format!("{}/", dir.path().display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let interrupt = || {
        std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap();
    };
    // Stderr, line by line, as the tool writes it.
    let (lines, stderr_lines) = std::sync::mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    // Both uploads in flight (each takes over 3 s here), so the tool is listening for Ctrl-C.
    let started = std::time::Instant::now();
    while accepted.load(Ordering::SeqCst) < 2 {
        assert!(started.elapsed() < Duration::from_secs(20), "the uploads did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    interrupt();
    let mut seen = Vec::new();
    loop {
        let line = stderr_lines.recv_timeout(Duration::from_secs(20)).expect("the tool said it stopped");
        let stopping = line.starts_with("interrupted: no new upload starts; waiting for the 2 in flight");
        seen.push(line);
        if stopping {
            break;
        }
    }
    interrupt();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    seen.extend(stderr_lines.try_iter());
    let stderr = seen.join("\n");
    assert_eq!(status.code(), Some(130), "{stderr}");
    let abandoned = stderr.split("abandoned while uploading").nth(1).unwrap();
    assert!(abandoned.contains("-> /c/f0.bin") && abandoned.contains("-> /c/f1.bin"), "{stderr}");
    assert!(stderr.contains("not uploaded, never started: 4 files"), "{stderr}");
    for i in 2..6 {
        assert!(stderr.contains(&format!("-> /c/f{i}.bin")), "{stderr}");
    }
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
    assert!(stdout.is_empty(), "nothing was uploaded: {stdout}");
}
