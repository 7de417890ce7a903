//! Uploads a local file, streamed from disk, with progress.
//!
//! ```text
//! cargo run -p imagekit-examples --example upload -- [PATH]
//! ```
//!
//! Without `IMAGEKIT_PRIVATE_KEY` it runs offline: it starts the ImageKit emulator's server on
//! 127.0.0.1 and uploads PATH (this example's own source when PATH is left out) to it. With the key set it uploads PATH to ImageKit (or `IMAGEKIT_UPLOAD_BASE_URL`) into the
//! folder `/imagekit-rs-examples`. The first line says which; on failure it prints the error and
//! exits with status 1.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use imagekit_core::models::UploadOutcome;
use imagekit_core::{Client, Error, TransportError};

#[tokio::main]
async fn main() -> ExitCode {
    imagekit_examples::init_logging();
    imagekit_examples::exit_code(run().await)
}

async fn run() -> Result<(), Error> {
    let path = std::env::args_os().nth(1).map(PathBuf::from);
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    // Offline: the emulator and its server, alive until the end.
    let (mut emulator, mut _server) = (None, None);
    let (client, path) = if online {
        let client = imagekit_hyper::from_env()?;
        println!("online: uploading to {}", client.upload_base_url());
        let path = path
            .ok_or_else(|| Error::invalid_input("PATH", "is required against the real API: upload PATH"))?;
        (client, path)
    } else {
        let server = emulator
            .insert(imagekit_mock::emulator::Emulator::new(imagekit_examples::OFFLINE_KEY))
            .serve_on_free_port()
            .map_err(TransportError::io)?;
        println!(
            "offline: IMAGEKIT_PRIVATE_KEY is not set, uploading to the ImageKit emulator on {}",
            server.base_url()
        );
        let client: Client = imagekit_hyper::builder()?
            .private_key(imagekit_examples::OFFLINE_KEY)
            .base_url(server.base_url())
            .build()?;
        _server = Some(server);
        let own_source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/upload.rs");
        (client, path.unwrap_or(own_source))
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
