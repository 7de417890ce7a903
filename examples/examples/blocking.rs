//! Synchronous code: the blocking client, over the ready ureq transport. Every call returns its
//! value directly; retries wait with `std::thread::sleep`. No async runtime runs here.
//!
//! ```text
//! cargo run -p imagekit-examples --example blocking -- [FILE_ID [VERSION_ID]]
//! ```
//!
//! With `IMAGEKIT_PRIVATE_KEY` set it calls ImageKit (or `IMAGEKIT_BASE_URL`) for `FILE_ID`.
//! Without it, it starts the emulator's HTTP server in a child process and calls that.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, ExitCode, Stdio};

use imagekit_core::{BlockingClient, Error, TransportError, TransportErrorKind};
use imagekit_mock::emulator::Emulator;

fn main() -> ExitCode {
    // Offline, this program is also the emulator's server, in a child process: see the end.
    let outcome = if std::env::args().nth(1).as_deref() == Some(SERVE_FLAG) {
        serve_offline_library()
    } else {
        init_logging();
        run()
    };
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
    let (client, file_id, _emulator): (BlockingClient, String, _) = if online {
        let file_id =
            file_id.ok_or_else(|| Error::invalid_input("FILE_ID", "is required against the real API"))?;
        (imagekit_ureq::from_env()?, file_id, None)
    } else {
        let (emulator, base_url, seeded) = start_emulator()?;
        println!("offline: IMAGEKIT_PRIVATE_KEY is not set, calling the ImageKit emulator on {base_url}");
        let client = imagekit_ureq::builder()?.private_key(OFFLINE_KEY).base_url(&base_url).build()?;
        (client, file_id.unwrap_or(seeded), Some(emulator))
    };

    let versions = client.files().versions();
    let version_id = match version_id {
        Some(id) => id,
        None => {
            let list = versions.list(&file_id)?;
            println!("{} version(s) of {file_id}", list.len());
            let first = list.first().and_then(|v| v.version_id());
            first.ok_or_else(|| Error::invalid_input("VERSION_ID", "the file has no versions"))?.to_owned()
        }
    };
    let version = versions.get(&file_id, &version_id)?;
    println!("version id: {}", version.version_id().unwrap_or_default());
    println!("version name: {}", version.version_name().unwrap_or_default());
    println!("path: {}", version.path().unwrap_or_default());
    Ok(())
}

/// Shows the client's log events on stderr at the level `IMAGE_KIT_LOG` names, as the official
/// SDKs read it: `debug` for each request and answer (the key redacted), `info` for retries.
/// Unset or `off`, nothing is shown; an unknown level is reported and ignored.
fn init_logging() {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;

    let Ok(value) = std::env::var(imagekit_core::config::ENV_LOG) else { return };
    let level = match imagekit_core::config::log_level(&value) {
        Ok(Some(level)) => level,
        Ok(None) => return,
        Err(error) => return eprintln!("{error}: ignored"),
    };
    // The client's events only (target `imagekit`), not those of the HTTP stack beneath it.
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false))
        .with(Targets::new().with_target("imagekit", level))
        .init();
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
