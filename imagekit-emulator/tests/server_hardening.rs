//! The emulator's HTTP server against what a hostile web page or a careless client could send:
//! admin requests from other hosts and origins or without JSON, a missing admin token, binding
//! beyond loopback, unfinished heads and bodies, oversized bodies.
//! Raw requests over loopback sockets, so every header is what the test says.
#![cfg(feature = "server")]

mod common;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use http::{Method, StatusCode};
use imagekit_core::Error;
use imagekit_emulator::{Emulator, ServeOptions, ServerHandle};
use serde_json::{Value, json};

/// Reads an answer until the server closes the connection: `(status, JSON body)`; status 0
/// when the server closed without answering.
fn read_answer(stream: &mut TcpStream) -> (u16, Value) {
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap_or_else(|e| panic!("the connection is still open: {e}"));
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = if body.is_empty() { Value::Null } else { serde_json::from_str(body).unwrap_or(json!(body)) };
    (status, body)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream
}

/// Sends `raw` and reads the answer.
fn exchange(addr: SocketAddr, raw: &str) -> (u16, Value) {
    let mut stream = connect(addr);
    stream.write_all(raw.as_bytes()).unwrap();
    read_answer(&mut stream)
}

/// A request with these extra header lines (each ending in `\r\n`) and body.
fn send(addr: SocketAddr, method: &str, path: &str, host: &str, headers: &str, body: &str) -> (u16, Value) {
    let length = if body.is_empty() { String::new() } else { format!("Content-Length: {}\r\n", body.len()) };
    exchange(
        addr,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{headers}{length}Connection: close\r\n\r\n{body}"
        ),
    )
}

fn local(server: &ServerHandle) -> String {
    format!("127.0.0.1:{}", server.addr().port())
}

const JSON: &str = "Content-Type: application/json\r\n";
const RULE: &str = r#"{"pathPrefix": "/v1/files", "status": 500}"#;

#[test]
fn admin_requests_need_a_loopback_host() {
    let emulator = Emulator::new(KEY);
    emulator.seed_file("/keep.txt", &b"keep"[..]).unwrap();
    let server = emulator.serve_on_free_port().unwrap();
    let (addr, port) = (server.addr(), server.addr().port());
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LocalHost".into(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(
            send(addr, "GET", "/__emulator/health", &host, "", ""),
            (200, json!({"status": "ok"})),
            "{host}"
        );
    }
    // What a page rebound to 127.0.0.1 sends: its own name.
    for host in ["evil.example".to_owned(), format!("evil.example:{port}"), "127.0.0.1.nip.io".into()] {
        let (status, body) = send(addr, "POST", "/__emulator/reset", &host, "", "");
        assert_eq!(status, 403, "{host}: {body}");
        assert!(body["message"].as_str().unwrap().contains("Host"), "{body}");
    }
    let (status, _) = exchange(
        addr,
        "GET http://evil.example/__emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 403, "an absolute target naming another host");
    // A page of another origin posting without a body, which needs no preflight.
    let (status, body) =
        send(addr, "POST", "/__emulator/reset", &local(&server), "Origin: https://evil.example\r\n", "");
    assert_eq!(status, 403, "{body}");
    assert_eq!(emulator.file_count(), 1, "nothing was reset");
    let own_page = "Origin: http://localhost:3000\r\n";
    assert_eq!(send(addr, "GET", "/__emulator/health", &local(&server), own_page, "").0, 200);
}

#[test]
fn the_api_answers_other_hosts_and_origins_only_when_remote_use_is_allowed() {
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_on_free_port().unwrap();
    let (addr, port) = (server.addr(), server.addr().port());
    let auth = format!("Authorization: {}\r\n", auth_header(KEY));
    let upload = |host: &str, headers: &str| {
        let boundary = "b0undary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\nx.txt\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.txt\"\r\n\r\nx\r\n--{boundary}--\r\n"
        );
        let headers = format!("{auth}{headers}Content-Type: multipart/form-data; boundary={boundary}\r\n");
        send(addr, "POST", "/api/v1/files/upload", host, &headers, &body)
    };
    // This machine's programs and pages: answered.
    assert_eq!(send(addr, "GET", "/v1/files", &format!("localhost:{port}"), &auth, "").0, 200);
    assert_eq!(upload(&local(&server), "Origin: http://localhost:3000\r\n").0, 200);
    // A page rebound to 127.0.0.1 (its own name as Host), or of another origin: refused, and
    // nothing is stored or listed.
    for (host, headers) in [
        ("evil.example".to_owned(), String::new()),
        (format!("evil.example:{port}"), String::new()),
        (local(&server), "Origin: https://evil.example\r\n".to_owned()),
        (local(&server), "Origin: null\r\n".to_owned()),
    ] {
        let (status, body) = upload(&host, &headers);
        assert_eq!(status, 403, "{host} {headers}: {body}");
        let (status, body) = send(addr, "GET", "/v1/files", &host, &format!("{auth}{headers}"), "");
        assert_eq!(status, 403, "{host} {headers}: {body}");
        assert!(body["message"].as_str().unwrap().contains("The emulator's API"), "{body}");
    }
    assert_eq!(emulator.file_count(), 1, "only the loopback upload was stored");

    let remote = emulator.serve_with("127.0.0.1:0", ServeOptions::new().allow_remote(true)).unwrap();
    assert_eq!(send(remote.addr(), "GET", "/v1/files", "evil.example", &auth, "").0, 200);
    let origin = format!("{auth}Origin: https://app.example\r\n");
    assert_eq!(send(remote.addr(), "GET", "/v1/files", "imagekit.internal", &origin, "").0, 200);
    // Admin requests keep their guard either way.
    assert_eq!(send(remote.addr(), "POST", "/__emulator/reset", "evil.example", "", "").0, 403);
}

#[test]
fn admin_bodies_must_be_json() {
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_on_free_port().unwrap();
    let (addr, host) = (server.addr(), local(&server));
    for content_type in
        ["Content-Type: text/plain\r\n", "Content-Type: application/x-www-form-urlencoded\r\n", ""]
    {
        let (status, body) = send(addr, "POST", "/__emulator/faults", &host, content_type, RULE);
        assert_eq!(status, 415, "{content_type:?}: {body}");
        assert!(body["message"].as_str().unwrap().contains("application/json"), "{body}");
    }
    assert!(emulator.faults().is_empty());
    let json_utf8 = "Content-Type: Application/JSON; charset=utf-8\r\n";
    assert_eq!(send(addr, "POST", "/__emulator/faults", &host, json_utf8, RULE).0, 201);
    assert_eq!(emulator.faults().len(), 1);
    // Without a body no content type is needed.
    assert_eq!(send(addr, "DELETE", "/__emulator/faults", &host, "", "").0, 204);
    assert_eq!(send(addr, "POST", "/__emulator/reset", &host, "", "").0, 204);
}

#[test]
fn an_admin_token_is_required_when_set() {
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_with("127.0.0.1:0", ServeOptions::new().admin_token("t0ken")).unwrap();
    let (addr, host) = (server.addr(), local(&server));
    let basic = format!("Authorization: {}\r\n", auth_header(KEY));
    for auth in ["", "Authorization: Bearer t0kem\r\n", "Authorization: Bearer t0ken2\r\n", basic.as_str()] {
        let (status, body) = send(addr, "POST", "/__emulator/faults", &host, &format!("{JSON}{auth}"), RULE);
        assert_eq!(status, 401, "{auth:?}: {body}");
    }
    assert!(emulator.faults().is_empty());
    let bearer = "Authorization: bearer t0ken\r\n";
    assert_eq!(send(addr, "POST", "/__emulator/faults", &host, &format!("{JSON}{bearer}"), RULE).0, 201);
    assert_eq!(send(addr, "GET", "/__emulator/health", &host, bearer, "").0, 200);
    // The token guards the admin endpoints only; the API keeps its own auth.
    assert_eq!(send(addr, "GET", "/v1/folder", &host, &basic, "").0, 404);

    let refused = emulator.serve_with("127.0.0.1:0", ServeOptions::new().admin_token("")).unwrap_err();
    assert!(matches!(&refused, Error::InvalidInput(e) if e.parameter() == "admin_token"), "{refused}");
}

/// The router drops empty segments and percent-decodes, so every spelling it sends to the admin
/// handlers must meet the guard too: from a foreign Host and Origin, with a text body and no
/// token, each is refused and nothing changes.
#[test]
fn non_canonical_admin_paths_meet_the_same_guard() {
    let emulator = Emulator::new(KEY);
    emulator.seed_file("/keep.txt", &b"keep"[..]).unwrap();
    let server = emulator.serve_with("127.0.0.1:0", ServeOptions::new().admin_token("s3cret")).unwrap();
    let (addr, host) = (server.addr(), local(&server));
    let foreign = "Origin: http://evil.example\r\n";
    let text = "Content-Type: text/plain\r\n";
    let bearer = "Authorization: Bearer s3cret\r\n";
    for path in ["//__emulator/reset", "/%5F%5Femulator/reset", "/%5f_emulator/reset", "///__emulator//reset"]
    {
        let (status, body) = send(addr, "POST", path, "evil.example", foreign, "");
        assert_eq!(status, 403, "{path} from a foreign host: {body}");
        let (status, body) = send(addr, "POST", path, &host, "", "");
        assert_eq!(status, 401, "{path} without the token: {body}");
    }
    for path in ["//__emulator/faults", "/%5F%5Femulator/faults"] {
        let (status, body) = send(addr, "POST", path, &host, &format!("{text}{bearer}"), RULE);
        assert_eq!(status, 415, "{path} with a text body: {body}");
    }
    for path in ["//__emulator/requests", "/%5F%5Femulator/requests"] {
        let (status, body) = send(addr, "GET", path, "evil.example", "", "");
        assert_eq!(status, 403, "{path} from a foreign host: {body}");
    }
    assert!(emulator.faults().is_empty());
    assert_eq!(emulator.requests().len(), 0, "refused admin requests are not API requests");
    let basic = format!("Authorization: {}\r\n", auth_header(KEY));
    let (status, files) = send(addr, "GET", "/v1/files", &host, &basic, "");
    assert_eq!((status, files.as_array().map(Vec::len)), (200, Some(1)), "the library is untouched");
    // The guard passes them when they meet it, so they are admin requests like any other.
    assert_eq!(send(addr, "POST", "/%5F%5Femulator/reset", &host, bearer, "").0, 204);
}

#[test]
fn in_process_admin_requests_are_answered_as_before() {
    let emulator = Emulator::new(KEY);
    let request = http::Request::builder()
        .method(Method::POST)
        .uri("/__emulator/faults")
        .header("content-type", "text/plain")
        .body(bytes::Bytes::from(RULE))
        .unwrap();
    assert_eq!(emulator.handle(request).status(), StatusCode::CREATED);
    assert_eq!(emulator.faults().len(), 1);
}

#[test]
fn binding_beyond_loopback_needs_allow_remote() {
    let emulator = Emulator::new(KEY);
    let refused = emulator.serve("0.0.0.0:0").unwrap_err();
    match &refused {
        Error::InvalidInput(e) => {
            assert_eq!(e.parameter(), "addr");
            assert!(
                e.reason().contains("allow_remote(true)") && e.reason().contains("--allow-remote"),
                "{refused}"
            );
        }
        other => panic!("{other}"),
    }
    let server = emulator.serve_with("0.0.0.0:0", ServeOptions::new().allow_remote(true)).unwrap();
    assert!(server.addr().ip().is_unspecified());
    server.shutdown();
    emulator.serve(("localhost", 0)).unwrap().shutdown();
}

#[test]
fn an_unfinished_request_head_is_closed() {
    let emulator = Emulator::new(KEY);
    let options = ServeOptions::new().header_read_timeout(Duration::from_millis(200));
    let server = emulator.serve_with("127.0.0.1:0", options).unwrap();
    let mut half = connect(server.addr());
    half.write_all(b"GET /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    let silent = connect(server.addr());
    let started = Instant::now();
    read_answer(&mut half);
    read_answer(&mut { silent });
    assert!(started.elapsed() < Duration::from_secs(2), "closed after {:?}", started.elapsed());
}

#[test]
fn a_body_that_does_not_arrive_gets_408() {
    let emulator = Emulator::new(KEY);
    let options = ServeOptions::new().body_read_timeout(Duration::from_millis(200));
    let server = emulator.serve_with("127.0.0.1:0", options).unwrap();
    let mut stream = connect(server.addr());
    let head =
        format!("POST /v1/folder HTTP/1.1\r\nHost: {}\r\n{JSON}Content-Length: 40\r\n\r\n", local(&server));
    stream.write_all(format!("{head}{{\"folderName\"").as_bytes()).unwrap();
    let started = Instant::now();
    let (status, body) = read_answer(&mut stream);
    assert_eq!(status, 408, "{body}");
    assert!(body["message"].as_str().unwrap().contains("did not arrive"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn five_hundred_half_sent_requests_are_all_let_go() {
    let emulator = Emulator::new(KEY);
    let options = ServeOptions::new()
        .header_read_timeout(Duration::from_millis(300))
        .body_read_timeout(Duration::from_millis(300));
    let server = emulator.serve_with("127.0.0.1:0", options).unwrap();
    let started = Instant::now();
    let streams: Vec<TcpStream> = (0..500)
        .map(|i| {
            let mut stream = connect(server.addr());
            let partial = if i % 2 == 0 {
                "GET /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthoriz".to_owned()
            } else {
                format!(
                    "POST /v1/folder HTTP/1.1\r\nHost: 127.0.0.1\r\n{JSON}Content-Length: 100\r\n\r\n{{\"fold"
                )
            };
            stream.write_all(partial.as_bytes()).unwrap();
            stream
        })
        .collect();
    for (i, mut stream) in streams.into_iter().enumerate() {
        let (status, _) = read_answer(&mut stream);
        if i % 2 == 1 {
            assert_eq!(status, 408, "half-sent body {i}");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(10), "all let go after {:?}", started.elapsed());
}

#[test]
fn a_content_length_over_the_cap_gets_413_at_once() {
    let emulator = Emulator::new(KEY);
    let options = ServeOptions::new().max_body_bytes(1024).body_read_timeout(Duration::from_secs(30));
    let server = emulator.serve_with("127.0.0.1:0", options).unwrap();
    let mut stream = connect(server.addr());
    let head = "POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\n\r\n";
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let (status, body) = read_answer(&mut stream);
    assert_eq!(status, 413, "{body}");
    assert!(started.elapsed() < Duration::from_secs(2), "answered after {:?}", started.elapsed());
    // A body within the cap is read as before.
    let auth = format!("Authorization: {}\r\n{JSON}", auth_header(KEY));
    assert_eq!(
        send(server.addr(), "POST", "/v1/folder", "127.0.0.1", &auth, r#"{"folderName": "a"}"#).0,
        201
    );
}

#[test]
fn the_binary_needs_allow_remote_and_takes_an_admin_token() {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};

    let binary = env!("CARGO_BIN_EXE_imagekit-emulator");
    let refused = Command::new(binary).args(["--host", "0.0.0.0", "--port", "0"]).output().unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--allow-remote"), "{stderr}");

    /// Stops the server however the test ends.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Running(
        Command::new(binary)
            .args(["--port", "0", "--admin-token", "t0ken", "--header-timeout", "0.5"])
            .env_remove("IMAGEKIT_EMULATOR_ADMIN_TOKEN")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first_line = String::new();
    BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let addr: SocketAddr = first_line.trim().trim_start_matches("http://").parse().unwrap();
    let host = format!("127.0.0.1:{}", addr.port());
    assert_eq!(send(addr, "GET", "/__emulator/health", &host, "", "").0, 401);
    assert_eq!(send(addr, "GET", "/__emulator/health", &host, "Authorization: Bearer t0ken\r\n", "").0, 200);
    let started = Instant::now();
    read_answer(&mut connect(addr));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "an idle connection was kept {:?}",
        started.elapsed()
    );
}

#[test]
fn bodies_in_flight_share_one_cap_and_a_held_body_stalls_no_other_request() {
    let emulator = Emulator::new(KEY);
    let options = ServeOptions::new()
        .max_body_bytes(64 * 1024)
        .max_in_flight_bytes(64 * 1024)
        .body_read_timeout(Duration::from_secs(20));
    let server = emulator.serve_with("127.0.0.1:0", options).unwrap();
    let (addr, host) = (server.addr(), local(&server));
    let auth = format!("Authorization: {}\r\n{JSON}", auth_header(KEY));
    // One body that declares the whole cap and sends half: it holds all the room.
    let padding = |n: usize| " ".repeat(n);
    let held_body = format!(r#"{{"folderName": "held"}}{}"#, padding(64 * 1024 - 22));
    let mut held = connect(addr);
    let head = format!(
        "POST /v1/folder HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n",
        held_body.len()
    );
    held.write_all(format!("{head}{}", &held_body[..32 * 1024]).as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    // A request without a body is answered while the held one waits for the rest of its own.
    assert_eq!(send(addr, "GET", "/v1/files", &host, &auth, "").0, 200);
    // A request whose body finds no room is not read, and not answered, until the room is free.
    let mut waiting = connect(addr);
    let body = r#"{"folderName": "waited"}"#;
    let request = format!(
        "POST /v1/folder HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    waiting.write_all(request.as_bytes()).unwrap();
    waiting.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    let mut first = [0u8; 1];
    let early = waiting.read(&mut first);
    assert!(early.is_err(), "answered while the room was held: {early:?}");
    let folders = || {
        let (status, list) = send(addr, "GET", "/v1/files?type=folder", &host, &auth, "");
        assert_eq!(status, 200, "{list}");
        list.as_array().map_or(0, Vec::len)
    };
    assert_eq!(folders(), 0);
    // The held body completes and is answered; then the waiting one is.
    held.write_all(&held_body.as_bytes()[32 * 1024..]).unwrap();
    assert_eq!(read_answer(&mut held).0, 201);
    waiting.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(read_answer(&mut waiting).0, 201);
    assert_eq!(folders(), 2);
}

#[test]
fn connections_beyond_the_cap_wait_until_one_closes() {
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_with("127.0.0.1:0", ServeOptions::new().max_connections(2)).unwrap();
    let (addr, host) = (server.addr(), local(&server));
    let idle = [connect(addr), connect(addr)];
    std::thread::sleep(Duration::from_millis(100));
    let mut third = connect(addr);
    let auth = format!("Authorization: {}\r\n", auth_header(KEY));
    third
        .write_all(
            format!("GET /v1/files HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n").as_bytes(),
        )
        .unwrap();
    third.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    let early = third.read(&mut [0u8; 1]);
    assert!(early.is_err(), "served beyond the cap: {early:?}");
    drop(idle);
    third.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(read_answer(&mut third).0, 200, "served once a connection closed");
}

#[test]
fn a_client_that_stops_reading_is_let_go_after_the_write_timeout() {
    let emulator = Emulator::new(KEY);
    for n in 0..1_000 {
        emulator
            .seed_file(&format!("/catalogue/a-long-file-name-for-a-long-answer-{n:04}.txt"), &b"x"[..])
            .unwrap();
    }
    let options = ServeOptions::new().max_connections(1).write_timeout(Duration::from_millis(300));
    let server = emulator.serve_with("127.0.0.1:0", options).unwrap();
    let (addr, host) = (server.addr(), local(&server));
    let auth = format!("Authorization: {}\r\n", auth_header(KEY));
    // A client with a tiny receive buffer asks for large pages and never reads them: the
    // server's writes stall, holding the only connection it may serve.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
    let mut stuck = runtime
        .block_on(async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.set_recv_buffer_size(4096)?;
            socket.connect(addr).await?.into_std()
        })
        .unwrap();
    stuck.set_nonblocking(false).unwrap();
    // Pipelined: some 20 MB of answers, more than any socket buffers hold.
    let page = format!("GET /v1/files?limit=1000 HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n");
    stuck.write_all(page.repeat(40).as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    // The next client is served once the stuck one's write times out and its slot frees.
    let started = Instant::now();
    let mut next = connect(addr);
    next.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    next.write_all(
        format!("GET /v1/files?limit=1 HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(read_answer(&mut next).0, 200);
    assert!(started.elapsed() < Duration::from_secs(5), "served after {:?}", started.elapsed());
    drop(stuck);
}

#[test]
fn a_large_form_being_read_holds_up_no_other_request() {
    let emulator = Emulator::new(KEY);
    let server = emulator.serve_on_free_port().unwrap();
    let (addr, host) = (server.addr(), local(&server));
    let auth = format!("Authorization: {}\r\n", auth_header(KEY));
    // 64 MiB of boundary characters: the slowest body to read as a form.
    let size = 64 * 1024 * 1024;
    let head = format!(
        "POST /api/v1/files/upload HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: multipart/form-data; \
         boundary={}x\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n",
        "-".repeat(68)
    );
    let (sent, body_sent) = std::sync::mpsc::channel();
    let upload = std::thread::spawn(move || {
        let mut stream = connect(addr);
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&vec![b'-'; size]).unwrap();
        sent.send(()).unwrap();
        let status = read_answer(&mut stream).0;
        (status, Instant::now())
    });
    body_sent.recv().unwrap();
    // While that form is being read: a list is answered, before the upload is.
    std::thread::sleep(Duration::from_millis(200));
    let (status, _) = send(addr, "GET", "/v1/files", &host, &auth, "");
    let listed = Instant::now();
    assert_eq!(status, 200);
    let (upload_status, uploaded) = upload.join().unwrap();
    assert_eq!(upload_status, 400, "not a form");
    assert!(listed < uploaded, "the list waited for the upload");
}
