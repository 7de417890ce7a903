//! Bring your own HTTP stack: an adapter for the blocking `ureq` client, used through the same
//! `Client` as every other transport.
//!
//! ```text
//! cargo run -p imagekit-examples --example byo_transport -- [FILE_ID]
//! ```
//!
//! With `IMAGEKIT_PRIVATE_KEY` set it lists a file's versions from ImageKit (or
//! `IMAGEKIT_BASE_URL`); without it, it serves the fixtures from a local server on 127.0.0.1 and
//! calls that through ureq, so the adapter is exercised either way.

use std::process::ExitCode;

use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestOptions};
use imagekit_core::{ClientBuilder, Error, TransportError};
use imagekit_mock::emulator::{Emulator, ServerHandle};

// ---- the adapter: about twenty lines ----------------------------------------------------
#[derive(Debug, Clone)]
struct UreqTransport(ureq::Agent);

impl HttpTransport for UreqTransport {
    async fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        let request = imagekit_core::transport::collect(request).await?; // this adapter does not stream
        let agent = self.0.clone();
        // ureq blocks, so run it off the async threads.
        let exchange = tokio::task::spawn_blocking(move || {
            let request =
                agent.configure_request(request.map(Vec::from)).timeout_global(options.timeout).build();
            let response = agent.run(request).map_err(|e| match e {
                ureq::Error::Timeout(_) => TransportError::timeout(e),
                ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportError::connect(e),
                e => TransportError::other(e),
            })?;
            let (parts, mut body) = response.into_parts();
            let bytes = body.read_to_vec().map_err(TransportError::io)?;
            Ok(HttpResponse::from_parts(parts, bytes.into()))
        });
        exchange.await.map_err(TransportError::other)?
    }
}
// ------------------------------------------------------------------------------------------

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
    // The transport contract: error statuses are answers the core reads, not failures; and
    // redirects are not followed (a followed redirect could carry the key elsewhere).
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    // Offline: the emulator's server (kept alive until the end) and the seeded file's id.
    let mut offline = None;
    let builder = if online {
        ClientBuilder::from_env()
    } else {
        let (server, file_id) = offline_server()?;
        let builder = ClientBuilder::default().private_key(OFFLINE_KEY).base_url(server.base_url());
        offline = Some((server, file_id));
        builder
    };
    let client = builder.transport(UreqTransport(agent)).build()?;
    let file_id = match (std::env::args().nth(1), &offline) {
        (Some(id), _) => id,
        (None, Some((_, seeded))) => seeded.clone(),
        (None, None) => return Err(Error::invalid_input("FILE_ID", "is required against the real API")),
    };
    let versions = client.files().versions().list(&file_id).await?;
    println!("{} version(s) of {file_id} through ureq:", versions.len());
    for version in versions {
        let info = version.version_info.unwrap_or_default();
        println!("  {} {}", info.id.unwrap_or_default(), info.name.unwrap_or_default());
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

// ---- Offline: the built-in ImageKit emulator's HTTP server, with a small library ------------

/// The emulator's private key; not a real key.
const OFFLINE_KEY: &str = "private_offline_example_key=";

/// Serves, on a free port of 127.0.0.1, an emulator holding 23 catalog files and
/// `/catalog/shoes/red-sneaker.jpg` in two versions. Returns the server, which stops when
/// dropped, and that file's id.
fn offline_server() -> Result<(ServerHandle, String), Error> {
    let emulator = Emulator::new(OFFLINE_KEY);
    for n in 0..23 {
        emulator.seed_file(&format!("/catalog/product-{n:03}.jpg"), vec![b'x'; 1000 + n * 10])?;
    }
    let file_id = emulator.seed_file("/catalog/shoes/red-sneaker.jpg", "first version")?;
    emulator.seed_file("/catalog/shoes/red-sneaker.jpg", "second version")?;
    let server = emulator.serve_on_free_port()?;
    println!(
        "offline: IMAGEKIT_PRIVATE_KEY is not set, calling the ImageKit emulator on {}",
        server.base_url()
    );
    Ok((server, file_id))
}
