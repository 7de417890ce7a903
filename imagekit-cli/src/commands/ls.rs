//! `imagekit ls`: every page of a listing or search, printed as the pages arrive.

use std::pin::Pin;

use imagekit_core::Client;
use imagekit_core::models::Asset;
use imagekit_core::resources::assets::ListAssets;

use crate::args::Ls;
use crate::failure::Failure;
use crate::output::{self, or_dash};

/// Lists through the library's paging stream (`assets().list_all`): one request per page, the
/// next sent only when the last is printed, so the first rows show at once and memory holds one
/// page. `--json` writes one asset per line (JSON Lines), in the API's shape.
pub(crate) async fn run(client: &Client, args: &Ls, json: bool) -> Result<(), Failure> {
    let mut params = ListAssets::new().limit(args.page_size);
    if let Some(query) = &args.search {
        params = params.search_query(query);
    }
    if let Some(path) = &args.path {
        params = params.path(path);
    }
    let mut assets = client.assets().list_all(params);
    if !json {
        output::line(format!("{:<7}  {:<24}  {:>10}  PATH", "TYPE", "ID", "SIZE"))?;
    }
    while let Some(asset) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut assets), cx)).await
    {
        let asset = asset?;
        if json {
            let value = serde_json::to_value(&asset)
                .map_err(|error| Failure::failed(format!("cannot write JSON: {error}")))?;
            output::json_line(&value)?;
        } else {
            output::line(row(&asset))?;
        }
    }
    Ok(())
}

/// One table row: type, id, size, path.
fn row(asset: &Asset) -> String {
    match asset {
        Asset::File(file) => format!(
            "{:<7}  {:<24}  {:>10}  {}",
            if file.is_version() { "version" } else { "file" },
            or_dash(file.file_id.as_deref()),
            file.size.map(output::size).unwrap_or_else(|| "-".into()),
            or_dash(file.file_path.as_deref()),
        ),
        Asset::Folder(folder) => format!(
            "{:<7}  {:<24}  {:>10}  {}/",
            "folder",
            or_dash(folder.folder_id.as_deref()),
            "-",
            or_dash(folder.folder_path.as_deref()),
        ),
        Asset::Unknown(value) => {
            let kind = value.get("type").and_then(|t| t.as_str());
            format!("{:<7}  {:<24}  {:>10}  -", or_dash(kind), "-", "-")
        }
        _ => "?".to_owned(),
    }
}
