//! Synchronous code: the blocking client, over the ready ureq transport. Every call returns its
//! value directly; retries wait with `std::thread::sleep`. No async runtime runs here.
//!
//! ```text
//! cargo run -p imagekit-examples --example blocking -- [FILE_ID [VERSION_ID]]
//! ```
//!
//! With `IMAGEKIT_PRIVATE_KEY` set it calls ImageKit (or `IMAGEKIT_BASE_URL`) for `FILE_ID`.
//! Without it, it starts the emulator's HTTP server in a child process and calls that.

use std::process::ExitCode;

use imagekit_core::{BlockingClient, Error};

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
    let (client, file_id, _server): (BlockingClient, String, _) = if online {
        let file_id =
            file_id.ok_or_else(|| Error::invalid_input("FILE_ID", "is required against the real API"))?;
        (imagekit_ureq::from_env()?, file_id, None)
    } else {
        let (server, base_url, seeded) = imagekit_examples::ChildEmulator::start()?;
        println!("offline: IMAGEKIT_PRIVATE_KEY is not set, calling the ImageKit emulator on {base_url}");
        let client = imagekit_ureq::builder()
            .private_key(imagekit_examples::OFFLINE_KEY)
            .base_url(&base_url)
            .build()?;
        (client, file_id.unwrap_or(seeded), Some(server))
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
