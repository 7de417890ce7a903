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

use std::process::ExitCode;

use bytes::Bytes;
use imagekit_core::transport::{HttpRequest, HttpResponse};
use imagekit_core::{Config, Error, TransportError};

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some(imagekit_examples::SERVE_FLAG) {
        return imagekit_examples::serve_offline_library();
    }
    imagekit_examples::init_logging();
    imagekit_examples::exit_code(run())
}

fn run() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (file_id, version_id) = (args.next(), args.next());
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    let (config, file_id, _server) = if online {
        let file_id =
            file_id.ok_or_else(|| Error::invalid_input("FILE_ID", "is required against the real API"))?;
        (imagekit_core::ConfigBuilder::from_env().build()?, file_id, None)
    } else {
        let (server, base_url, seeded) = imagekit_examples::ChildEmulator::start()?;
        println!("offline: IMAGEKIT_PRIVATE_KEY is not set, calling the ImageKit emulator on {base_url}");
        let config = Config::builder()
            .private_key(imagekit_examples::OFFLINE_KEY)
            .base_url(&base_url)
            .build()?;
        (config, file_id.unwrap_or(seeded), Some(server))
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
