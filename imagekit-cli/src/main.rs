//! `imagekit`: the ImageKit.io media API from the command line, built on imagekit-rs.
//!
//! ```text
//! cargo install --path imagekit-cli
//! export IMAGEKIT_PRIVATE_KEY=private_...
//! imagekit upload photos --folder /archive --concurrency 8 --tags holiday,2024 --skip-existing
//! imagekit ls --path /archive/photos
//! imagekit versions FILE_ID
//! imagekit url /archive/photos/a.jpg --tr w-300,h-200 --sign --expires 600 --url-endpoint https://ik.imagekit.io/your_id
//! ```
//!
//! | command | what it does |
//! | --- | --- |
//! | `upload PATH... [--folder F] [--concurrency N] [--tags T,..] [--skip-existing]` | files and trees, streamed, N at a time |
//! | `ls [--search QUERY] [--path P] [--page-size N]` | every page of a listing, printed as pages arrive |
//! | `get FILE_ID` | a file's details |
//! | `versions FILE_ID [VERSION_ID]` | a file's versions, or one |
//! | `restore FILE_ID VERSION_ID` | make a version current |
//! | `rm FILE_ID...` | delete files, 100 per request; lists the ids not deleted |
//! | `purge URL [--wait]` | purge the CDN cache, and wait for it |
//! | `url SRC [--tr STEP].. [--sign [--expires S]]` | a delivery URL, signed if asked |
//! | `webhook verify [--header 'N: V'].. [--id ..] [--timestamp ..] [--signature ..] [--legacy-signature ..]` | check a webhook's body (stdin) |
//! | `emulator [--port P]` | the in-memory ImageKit on 127.0.0.1, until Ctrl-C |
//!
//! Every command takes `--json` (JSON documents; JSON Lines for `ls` and `upload`, which
//! stream), `--base-url` and `--upload-base-url` (else `IMAGEKIT_BASE_URL` and
//! `IMAGEKIT_UPLOAD_BASE_URL`, read by the library's `ClientBuilder::from_env`), so the whole
//! tool works offline against `imagekit emulator`.
//!
//! The private key comes from `IMAGEKIT_PRIVATE_KEY` only: there is no flag for it, since a
//! flag stays in the shell's history and shows in the process list. It is never printed.
//!
//! # Exit codes
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success (also when the reader of the output goes away, as in `imagekit ls \| head`) |
//! | 1 | ImageKit refused a request or it could not be sent; some files failed to upload; some ids were not deleted; a webhook was refused |
//! | 2 | usage: arguments clap refuses, and values refused before anything is sent (the library's `InvalidInput`, an unusable URL endpoint, no private key, no webhook secret) |
//! | 130 | `upload` interrupted by Ctrl-C |
//!
//! A value the library refuses for the command itself (an empty purge URL, a page size out of
//! range) is a usage error, 2. Within an upload, a file the library refuses (an empty file, a
//! name it cannot send) is that file's failure, reported with the others: the command goes on
//! and exits 1.
//!
//! # Uploads
//!
//! `imagekit_hyper::upload::tree` maps paths to remote paths (`dir` keeps its name, `dir/` its
//! contents only; links to directories inside a tree are not followed) and
//! `imagekit_hyper::upload::batch` uploads them: see `imagekit upload --help`. Retries are the
//! library's policy. On a terminal, stderr shows a bar for the batch and one per file in
//! flight; otherwise each file is a line on stdout (`uploaded /x/dir/a/b.png (fileId ...)`).
//! The first Ctrl-C starts no new upload and waits for those in flight; a second abandons
//! them. Then the tool lists what was abandoned (it may or may not be stored) and what never
//! started, and exits 130.

mod args;
mod commands;
mod connect;
mod failure;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser as _;

use args::{Cli, Command, Webhook};
use failure::Failure;

fn main() -> ExitCode {
    // clap prints its own usage errors and exits 2, and 0 for --help and --version.
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("error: {}", failure.message);
            }
            failure.code.into()
        }
    }
}

/// Runs the command.
async fn run(cli: Cli) -> Result<(), Failure> {
    let json = cli.global.json;
    match &cli.command {
        Command::Url(args) => commands::url::run(args, json),
        Command::Webhook(Webhook::Verify(args)) => commands::webhook::run(args, json),
        Command::Emulator(args) => commands::emulator::run(args, json).await,
        command => {
            let client = connect::client(&cli.global)?;
            match command {
                Command::Upload(args) => commands::upload::run(client, args, json).await,
                Command::Ls(args) => commands::ls::run(&client, args, json).await,
                Command::Get { file_id } => commands::files::get(&client, file_id, json).await,
                Command::Versions { file_id, version_id } => {
                    commands::files::versions(&client, file_id, version_id.as_deref(), json).await
                }
                Command::Restore { file_id, version_id } => {
                    commands::files::restore(&client, file_id, version_id, json).await
                }
                Command::Rm { file_ids } => commands::files::rm(&client, file_ids, json).await,
                Command::Purge(args) => commands::purge::run(&client, args, json).await,
                Command::Url(_) | Command::Webhook(_) | Command::Emulator(_) => Ok(()),
            }
        }
    }
}

/// `IMAGE_KIT_LOG` (`off`, `error`, `warn`, `info`, `debug`, `trace`), as the SDKs read it:
/// the client's events on stderr (requests and answers at `debug`, retries at `info`), the key
/// redacted by the library. Unset or `off`: nothing.
fn init_logging() {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;

    let Ok(value) = std::env::var(imagekit_core::config::ENV_LOG) else { return };
    let level = match imagekit_core::config::log_level(&value) {
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
