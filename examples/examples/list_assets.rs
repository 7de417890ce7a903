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

/// Page size of the walk through every match: small, to show the pages being fetched.
const PAGE: u32 = 4;

#[tokio::main]
async fn main() -> ExitCode {
    imagekit_examples::init_logging();
    imagekit_examples::exit_code(run().await)
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
        imagekit_examples::offline_client()?
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
