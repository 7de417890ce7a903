//! `imagekit emulator`: the in-memory ImageKit of imagekit-emulator, over HTTP on 127.0.0.1.

use imagekit_emulator::Emulator;

use crate::args::EmulatorArgs;
use crate::failure::Failure;
use crate::output;

/// Serves until Ctrl-C (exit 0). The first line of standard output is the base URL; the next
/// ones are the exports that point this tool (and the SDKs) at it: one base URL, which uploads
/// follow. The key printed is the
/// emulator's own test key, never the account's.
pub(crate) async fn run(args: &EmulatorArgs, json: bool) -> Result<(), Failure> {
    let mut emulator = Emulator::new(args.private_key.as_str());
    if let Some(limit) = args.max_storage_bytes {
        emulator = emulator.with_storage_limit(limit);
    }
    let server = emulator
        .serve(("127.0.0.1", args.port))
        .map_err(|error| Failure::failed(format!("cannot start the emulator: {}", error.report())))?;
    let url = server.base_url().to_owned();
    if json {
        output::json_line(&serde_json::json!({"baseUrl": url, "privateKey": args.private_key}))?;
    } else {
        output::line(&url)?;
        output::line(format!("export IMAGEKIT_BASE_URL={url} IMAGEKIT_PRIVATE_KEY={}", args.private_key))?;
        eprintln!("the in-memory ImageKit is serving on {url}; Ctrl-C stops it (and forgets everything)");
    }
    let stopped = tokio::signal::ctrl_c().await;
    server.shutdown();
    stopped.map_err(|error| Failure::failed(format!("cannot wait for Ctrl-C: {error}")))
}
