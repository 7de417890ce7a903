//! `get`, `versions`, `restore` and `rm`: one file, its versions, and deleting many.

use imagekit_core::Client;
use imagekit_core::models::File;

use crate::failure::{Failure, escape};
use crate::output::{self, or_dash};

/// `imagekit get FILE_ID`.
pub(crate) async fn get(client: &Client, file_id: &str, json: bool) -> Result<(), Failure> {
    let file = client.files().get(file_id).await?;
    if json { output::json(&file) } else { show_file(&file) }
}

/// `imagekit versions FILE_ID [VERSION_ID]`: a table of versions, or one version's details.
pub(crate) async fn versions(
    client: &Client,
    file_id: &str,
    version_id: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    if let Some(version_id) = version_id {
        let version = client.files().versions().get(file_id, version_id).await?;
        return if json { output::json(&version) } else { show_file(&version) };
    }
    let versions = client.files().versions().list(file_id).await?;
    if json {
        return output::json(&versions);
    }
    output::line(format!("{:<24}  {:<12}  {:>10}  {:<24}  PATH", "VERSION ID", "NAME", "SIZE", "CREATED"))?;
    for version in &versions {
        output::line(format!(
            "{:<24}  {:<12}  {:>10}  {:<24}  {}",
            or_dash(version.version_id()),
            or_dash(version.version_name()),
            version.size.map(output::size).unwrap_or_else(|| "-".into()),
            or_dash(version.created_at.as_deref()),
            or_dash(version.file_path.as_deref()),
        ))?;
    }
    Ok(())
}

/// `imagekit restore FILE_ID VERSION_ID`.
pub(crate) async fn restore(
    client: &Client,
    file_id: &str,
    version_id: &str,
    json: bool,
) -> Result<(), Failure> {
    let file = client.files().versions().restore(file_id, version_id).await?;
    if json {
        return output::json(&file);
    }
    output::line(format!(
        "restored {} to version {} ({})",
        or_dash(file.file_path.as_deref()),
        or_dash(file.version_id()),
        or_dash(file.version_name()),
    ))
}

/// `imagekit rm FILE_ID...`: the library's `delete_all`, 100 ids per request. Ids ImageKit did
/// not delete are listed with why, and make the exit code 1.
pub(crate) async fn rm(client: &Client, file_ids: &[String], json: bool) -> Result<(), Failure> {
    let result = client.files().bulk().delete_all(file_ids.iter().map(String::as_str)).await?;
    if json {
        output::json(&result)?;
    } else {
        output::line(format!("deleted {} of {} files", result.file_ids.len(), file_ids.len()))?;
    }
    if result.errors.is_empty() {
        return Ok(());
    }
    let mut summary = format!("not deleted ({} of {}):", result.errors.len(), file_ids.len());
    for error in &result.errors {
        summary.push_str(&format!(
            "\n  {}: {}",
            or_dash(error.file_id.as_deref()),
            escape(error.error.as_deref().unwrap_or("no reason given"))
        ));
    }
    Err(Failure::failed(summary))
}

/// A file's (or version's) details, one per line.
fn show_file(file: &File) -> Result<(), Failure> {
    let dimensions = match (file.width, file.height) {
        (Some(w), Some(h)) => format!("{w} x {h}"),
        _ => "-".into(),
    };
    let tags = file.tags.as_ref().filter(|t| !t.is_empty()).map(|t| t.join(", "));
    output::details(&[
        ("file id", or_dash(file.file_id.as_deref())),
        ("name", or_dash(file.name.as_deref())),
        ("path", or_dash(file.file_path.as_deref())),
        ("type", or_dash(file.file_type.as_ref().map(|t| t.as_str()))),
        ("mime", or_dash(file.mime.as_deref())),
        ("size", file.size.map(output::size).unwrap_or_else(|| "-".into())),
        ("dimensions", dimensions),
        ("version", format!("{} ({})", or_dash(file.version_id()), or_dash(file.version_name()))),
        ("tags", or_dash(tags.as_deref())),
        ("url", or_dash(file.url.as_deref())),
        ("created", or_dash(file.created_at.as_deref())),
        ("updated", or_dash(file.updated_at.as_deref())),
    ])
}
