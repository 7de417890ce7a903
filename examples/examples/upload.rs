//! Uploads a local file, streamed from disk, with progress.
//!
//! ```text
//! cargo run -p imagekit-examples --example upload -- [PATH]
//! ```
//!
//! Without `IMAGEKIT_PRIVATE_KEY` it runs offline: it starts the ImageKit emulator's server on
//! 127.0.0.1 and uploads PATH (this example's own source when PATH is left out) to it. With the
//! key set it uploads PATH to ImageKit (or `IMAGEKIT_UPLOAD_BASE_URL`) into the folder
//! `/imagekit-rs-examples`. The first line says which; on failure it prints the error and exits
//! with status 1.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use imagekit_core::models::UploadOutcome;
use imagekit_core::{Client, Error};
use imagekit_mock::emulator::{Emulator, ServerHandle};

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    if let Err(error) = run().await {
        // The error, then each of its causes.
        eprintln!("error: {}", error.report());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn run() -> Result<(), Error> {
    let path = std::env::args_os().nth(1).map(PathBuf::from);
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    // Offline: the emulator's server, alive until the end.
    let (client, path, _server) = if online {
        let client = imagekit_hyper::from_env()?;
        println!("online: uploading to {}", client.upload_base_url());
        let path = path
            .ok_or_else(|| Error::invalid_input("PATH", "is required against the real API: upload PATH"))?;
        (client, path, None)
    } else {
        let (client, server) = offline_client()?;
        let own_source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/upload.rs");
        (client, path.unwrap_or(own_source), Some(server))
    };

    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid_input("PATH", format!("{} has no file name", path.display())))?;
    // Refuses a missing, unreadable, empty or non-regular file before anything is sent.
    let source = imagekit_hyper::upload::file(&path).await?;

    let started = Instant::now();
    let last_tenth = AtomicU64::new(0);
    let outcome = client
        .files()
        .upload(source, &file_name)
        .folder("/imagekit-rs-examples")
        .tags(["imagekit-rs", "example"])
        .on_progress(move |sent, total| {
            let tenth = sent * 10 / total.max(1);
            if tenth > last_tenth.swap(tenth, Ordering::Relaxed) {
                println!("sent {:>3} % ({sent} of {total} bytes)", tenth * 10);
            }
        })
        .await?;
    match outcome {
        UploadOutcome::Uploaded(file) => {
            println!("uploaded in {:.1} s", started.elapsed().as_secs_f64());
            println!("file id: {}", file.file_id.as_deref().unwrap_or("?"));
            println!("path: {}", file.file_path.as_deref().unwrap_or("?"));
            println!("url: {}", file.url.as_deref().unwrap_or("?"));
            println!("size: {} bytes", file.size.unwrap_or_default());
        }
        UploadOutcome::Accepted { message } => {
            println!("accepted, still processing: {}", message.as_deref().unwrap_or("(no message)"));
        }
        _ => println!("finished with an outcome this example does not know"),
    }
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

// ---- Offline: the built-in ImageKit emulator's HTTP server ----------------------------------

/// The emulator's private key; not a real key.
const OFFLINE_KEY: &str = "private_offline_example_key=";

/// A client for an empty emulator served on a free port of 127.0.0.1, and its server, which
/// stops when dropped.
fn offline_client() -> Result<(Client, ServerHandle), Error> {
    let server = Emulator::new(OFFLINE_KEY).serve_on_free_port()?;
    println!(
        "offline: IMAGEKIT_PRIVATE_KEY is not set, uploading to the ImageKit emulator on {}",
        server.base_url()
    );
    let client = imagekit_hyper::builder()?.private_key(OFFLINE_KEY).base_url(server.base_url()).build()?;
    Ok((client, server))
}
