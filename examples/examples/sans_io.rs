//! Sans-IO: ImageKit calls with no client, no transport trait and no async runtime. A
//! `Config` turns each operation into an `http::Request`; any HTTP client sends it (here the
//! blocking `ureq`); the operation reads the `http::Response` back into its typed value.
//!
//! ```text
//! cargo run -p imagekit-examples --example sans_io -- [FILE_ID [VERSION_ID]]
//! ```
//!
//! With `IMAGEKIT_PRIVATE_KEY` set it calls ImageKit (or `IMAGEKIT_BASE_URL`) for `FILE_ID`.
//! Without it, it starts the emulator's HTTP server in a child process (this program, run with
//! `--serve`) and calls that: this process runs no async runtime at all.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, ExitCode, Stdio};

use bytes::Bytes;
use imagekit_core::transport::{HttpRequest, HttpResponse};
use imagekit_core::{Config, Error, TransportError, TransportErrorKind};
use imagekit_mock::emulator::Emulator;

fn main() -> ExitCode {
    // Offline, this program is also the emulator's server, in a child process: see the end.
    let outcome =
        if std::env::args().nth(1).as_deref() == Some(SERVE_FLAG) { serve_offline_library() } else { run() };
    if let Err(error) = outcome {
        // The error, then each of its causes.
        eprintln!("error: {}", error.report());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn run() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (file_id, version_id) = (args.next(), args.next());
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    let (config, file_id, _emulator) = if online {
        let file_id =
            file_id.ok_or_else(|| Error::invalid_input("FILE_ID", "is required against the real API"))?;
        (imagekit_core::ConfigBuilder::from_env().build()?, file_id, None)
    } else {
        let (emulator, base_url, seeded) = start_emulator()?;
        println!("offline: IMAGEKIT_PRIVATE_KEY is not set, calling the ImageKit emulator on {base_url}");
        let config = Config::builder().private_key(OFFLINE_KEY).base_url(&base_url).build()?;
        (config, file_id.unwrap_or(seeded), Some(emulator))
    };
    // Redirects are not followed and error statuses are answers: the transport contract.
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();

    // One operation: describe it, send its request, read its answer.
    let version_id = match version_id {
        Some(id) => id,
        None => {
            let list = config.files().versions().list(&file_id)?;
            let versions = list.parse(send(&agent, list.to_request(&config)?)?)?;
            println!("{} version(s) of {file_id}", versions.len());
            let first = versions.first().and_then(|v| v.version_id());
            first.ok_or_else(|| Error::invalid_input("VERSION_ID", "the file has no versions"))?.to_owned()
        }
    };
    let get = config.files().versions().get(&file_id, &version_id)?;
    let version = get.parse(send(&agent, get.to_request(&config)?)?)?;
    println!("version id: {}", version.version_id().unwrap_or_default());
    println!("version name: {}", version.version_name().unwrap_or_default());
    println!("path: {}", version.path().unwrap_or_default());
    Ok(())
}

/// Sends a request with ureq and reads the whole answer; what any blocking client would do.
fn send(agent: &ureq::Agent, request: HttpRequest) -> Result<HttpResponse, Error> {
    let (parts, body) = request.into_parts();
    // Only uploads stream their body; these requests have theirs in memory.
    let body = body.as_bytes().cloned().unwrap_or_default();
    let response = agent.run(http::Request::from_parts(parts, body.to_vec())).map_err(|e| match e {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportError::connect(e),
        ureq::Error::Timeout(_) => TransportError::timeout(e),
        e => TransportError::other(e),
    })?;
    let (parts, mut body) = response.into_parts();
    let bytes = body.read_to_vec().map_err(TransportError::io)?;
    Ok(HttpResponse::from_parts(parts, Bytes::from(bytes)))
}

// ---- Offline: the built-in ImageKit emulator's HTTP server, in a child process --------------
// The child is this program run with SERVE_FLAG: the server runs an async runtime, and this way
// the process that makes the calls runs none.

/// The emulator's private key; not a real key.
const OFFLINE_KEY: &str = "private_offline_example_key=";

/// The argument on which this program serves the offline library instead of calling it.
const SERVE_FLAG: &str = "--serve";

/// Starts this program with [`SERVE_FLAG`] and reads the server's base URL and the seeded
/// file's id from it. The child serves until its stdin closes: when the returned `Child` is
/// dropped, or when this process ends, however it ends.
fn start_emulator() -> Result<(Child, String, String), Error> {
    let failed = || TransportError::with_message(TransportErrorKind::Other, "the emulator did not start");
    let mut child = Command::new(std::env::current_exe().map_err(TransportError::other)?)
        .arg(SERVE_FLAG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(TransportError::other)?;
    let mut lines = BufReader::new(child.stdout.take().ok_or_else(failed)?).lines();
    let mut line = || lines.next().and_then(Result::ok).ok_or_else(failed);
    let (base_url, file_id) = (line()?, line()?);
    Ok((child, base_url, file_id))
}

/// The child's side: serves an emulator holding 23 catalog files and
/// `/catalog/shoes/red-sneaker.jpg` in two versions, prints its base URL and that file's id,
/// and serves until its stdin closes.
fn serve_offline_library() -> Result<(), Error> {
    let emulator = Emulator::new(OFFLINE_KEY);
    for n in 0..23 {
        emulator.seed_file(&format!("/catalog/product-{n:03}.jpg"), vec![b'x'; 1000 + n * 10])?;
    }
    let file_id = emulator.seed_file("/catalog/shoes/red-sneaker.jpg", "first version")?;
    emulator.seed_file("/catalog/shoes/red-sneaker.jpg", "second version")?;
    let server = emulator.serve_on_free_port()?;
    println!("{}\n{file_id}", server.base_url());
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    Ok(())
}
