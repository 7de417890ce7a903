//! Lists, searches and pages through the media library.
//!
//! ```text
//! cargo run -p imagekit-examples --example list_assets -- [SEARCH_QUERY]
//! ```
//!
//! Without `IMAGEKIT_PRIVATE_KEY` it runs offline on the ImageKit emulator's library. With it, it calls
//! ImageKit (or `IMAGEKIT_BASE_URL`). It shows the first page of files, the files matching
//! SEARCH_QUERY (by default `name : "product-01"`), and then pages through every matching file
//! lazily, a few at a time.

use std::process::ExitCode;

use futures_util::StreamExt;
use imagekit_core::models::{Asset, AssetSort};
use imagekit_core::resources::assets::ListAssets;
use imagekit_core::{Client, Error};
use imagekit_mock::emulator::Emulator;

/// Page size of the walk through every match: small, to show the pages being fetched.
const PAGE: u32 = 4;

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
    let search = std::env::args().nth(1).unwrap_or_else(|| r#"name : "product-01""#.to_owned());
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    let client = if online {
        let client = imagekit_hyper::from_env()?;
        println!("online: calling {}", client.base_url());
        client
    } else {
        println!(
            "offline: IMAGEKIT_PRIVATE_KEY is not set, listing the built-in ImageKit emulator's library"
        );
        offline_client()?
    };

    // One page: `GET /v1/files?sort=ASC_NAME&limit=5`.
    let first = client.assets().list(ListAssets::new().sort(AssetSort::AscName).limit(5)).await?;
    println!("first page: {} assets", first.len());
    for asset in &first {
        println!("  {}", describe(asset));
    }

    // A search: `GET /v1/files?searchQuery=...`.
    let found = client.assets().list(ListAssets::new().search_query(&search)).await?;
    println!("search {search}: {} assets", found.len());
    for asset in &found {
        println!("  {}", describe(asset));
    }

    // Every match, PAGE at a time, fetched lazily as the loop asks for more.
    walk(&client, &search).await
}

async fn walk(client: &Client, search: &str) -> Result<(), Error> {
    let mut all = client.assets().list_all(ListAssets::new().search_query(search).limit(PAGE));
    let mut count = 0;
    while let Some(asset) = all.next().await {
        let asset = asset?;
        count += 1;
        if count <= 2 {
            println!("  paging: {}", describe(&asset));
        }
    }
    println!("all matches, {PAGE} per page: {count} assets");
    Ok(())
}

fn describe(asset: &Asset) -> String {
    match asset {
        Asset::File(file) => format!(
            "file   {} ({} bytes)",
            file.file_path.as_deref().unwrap_or("?"),
            file.size.map_or_else(|| "?".to_owned(), |s| s.to_string())
        ),
        Asset::Folder(folder) => format!("folder {}", folder.folder_path.as_deref().unwrap_or("?")),
        other => format!("other  {other:?}"),
    }
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

// ---- Offline: the built-in ImageKit emulator, with a small catalog --------------------------

/// The emulator's private key; not a real key.
const OFFLINE_KEY: &str = "private_offline_example_key=";

/// A client whose transport is an emulator holding `/catalog/product-000.jpg` to
/// `/catalog/product-022.jpg`, of 1000 bytes and 10 more for each.
fn offline_client() -> Result<Client, Error> {
    let emulator = Emulator::new(OFFLINE_KEY);
    for n in 0..23 {
        emulator.seed_file(&format!("/catalog/product-{n:03}.jpg"), vec![b'x'; 1000 + n * 10])?;
    }
    Client::builder().private_key(OFFLINE_KEY).transport(emulator).build()
}
