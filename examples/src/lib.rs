//! Shared pieces of the example programs.
//!
//! Offline, the examples talk to the in-memory ImageKit emulator of `imagekit-mock`
//! ([`offline_emulator`]), in process or over its HTTP server, so every example runs without a
//! network or an account.

pub mod tour;

use http::Method;
use imagekit_core::transport::HttpResponse;
use imagekit_core::{Client, Error};
use imagekit_mock::emulator::Emulator;
use imagekit_mock::fixtures;

/// The private key the offline examples use; it is not a real key.
pub const OFFLINE_KEY: &str = "private_offline_example_key=";

/// An example's exit: 0 on success; 1, with the error and its causes on stderr, on any error.
pub fn exit_code(outcome: Result<(), Error>) -> std::process::ExitCode {
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error.report());
            std::process::ExitCode::FAILURE
        }
    }
}

/// How many files the offline media library holds: `/catalog/product-000.jpg` and on.
pub const OFFLINE_CATALOG_SIZE: usize = 23;

/// The path of the file whose versions the offline examples show.
pub const OFFLINE_FILE_PATH: &str = "/catalog/shoes/red-sneaker.jpg";

/// A fresh ImageKit emulator holding the offline media library: [`OFFLINE_CATALOG_SIZE`] files
/// under `/catalog/`, and [`OFFLINE_FILE_PATH`] with two versions. Returns the emulator and the
/// id of that file.
pub fn offline_emulator() -> Result<(Emulator, String), Error> {
    let emulator = Emulator::new(OFFLINE_KEY);
    for n in 0..OFFLINE_CATALOG_SIZE {
        emulator.seed_file(&format!("/catalog/product-{n:03}.jpg"), vec![b'x'; 1000 + n * 10])?;
    }
    let file_id = emulator.seed_file(OFFLINE_FILE_PATH, b"first version".to_vec())?;
    emulator.seed_file(OFFLINE_FILE_PATH, b"second version".to_vec())?;
    Ok((emulator, file_id))
}

/// A client over the offline library, in process (the emulator is the transport).
pub fn offline_client() -> Result<Client, Error> {
    let (emulator, _) = offline_emulator()?;
    Client::builder().private_key(OFFLINE_KEY).transport(emulator).build()
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

// The README's code blocks compile and run as doctests of this crate.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Shows the client's log events on stderr at the level `IMAGE_KIT_LOG` names, as the official
/// SDKs read it ([`imagekit_core::config::log_level`]). Unset or `off`: nothing is shown.
/// Requests and answers are `debug`, retries `info`; the private key never appears. An unknown
/// level is reported and ignored. Needs the default `logging` feature (the core's `tracing`);
/// without it, a set level is reported as unavailable.
pub fn init_logging() {
    let Ok(value) = std::env::var(imagekit_core::config::ENV_LOG) else { return };
    start_logging(&value);
}

#[cfg(feature = "logging")]
fn start_logging(value: &str) {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;

    let level = match imagekit_core::config::log_level(value) {
        Ok(Some(level)) => level,
        Ok(None) => return,
        Err(error) => return eprintln!("{error}: ignored"),
    };
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(Targets::new().with_target("imagekit", level))
        .try_init();
}

#[cfg(not(feature = "logging"))]
fn start_logging(value: &str) {
    if !value.trim().is_empty() && !value.trim().eq_ignore_ascii_case("off") {
        eprintln!(
            "{} is set, but these examples were built without the `logging` feature: nothing is logged",
            imagekit_core::config::ENV_LOG
        );
    }
}

/// The argument on which an example runs as [`ChildEmulator`]'s child instead of itself.
pub const SERVE_FLAG: &str = "--serve";

/// The emulator's HTTP server holding the offline library, in a child process (this program run
/// with [`SERVE_FLAG`]), so the example's own process runs no async runtime at all; stopped
/// when dropped.
#[derive(Debug)]
pub struct ChildEmulator(std::process::Child);

impl ChildEmulator {
    /// Starts `this program --serve` and reads the server's base URL and the seeded file's id.
    pub fn start() -> Result<(Self, String, String), Error> {
        use std::io::{BufRead as _, BufReader};
        use std::process::{Command, Stdio};

        let failed = |what: &str| {
            Error::Transport(imagekit_core::TransportError::with_message(
                imagekit_core::TransportErrorKind::Other,
                format!("the emulator's server did not start: {what}"),
            ))
        };
        let exe = std::env::current_exe().map_err(|_| failed("no path to this program"))?;
        let mut child = Command::new(exe)
            .arg(SERVE_FLAG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|_| failed("it could not be run"))?;
        let mut lines = BufReader::new(child.stdout.take().ok_or_else(|| failed("no output"))?).lines();
        let mut line = || lines.next().and_then(Result::ok).ok_or_else(|| failed("it said nothing"));
        let (base_url, file_id) = (line()?, line()?);
        Ok((Self(child), base_url, file_id))
    }
}

impl Drop for ChildEmulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The child's side of [`ChildEmulator`]: serves the offline library, prints the base URL and
/// the seeded file's id, and runs until the parent closes its stdin.
pub fn serve_offline_library() -> std::process::ExitCode {
    let started = offline_emulator().and_then(|(emulator, file_id)| {
        let server = emulator.serve_on_free_port()?;
        Ok((server, file_id))
    });
    match started {
        Ok((server, file_id)) => {
            println!("{}\n{file_id}", server.base_url());
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", error.report());
            std::process::ExitCode::FAILURE
        }
    }
}
