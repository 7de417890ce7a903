//! The offline tour: a file's version lifecycle on the built-in ImageKit emulator.

use std::fmt::Write as _;

use imagekit_core::models::{File, UploadOutcome};
use imagekit_core::upload::UploadSource;
use imagekit_core::{Client, Error};

/// The emulator's private key in the tour; not a real key.
pub const TOUR_KEY: &str = "private_tour_key=";

/// The header of a PNG of this size: all the emulator reads to know an image's dimensions.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

fn version_line(file: &File, current: Option<&str>) -> String {
    let info = file.version_info.clone().unwrap_or_default();
    let id = info.id.unwrap_or_default();
    let marker = if current == Some(id.as_str()) { "  <- current" } else { "" };
    let size = match (file.width, file.height) {
        (Some(w), Some(h)) => format!("{w}x{h}"),
        _ => "-".to_owned(),
    };
    format!(
        "   {:<10} {id}  {size:<8} created {}{marker}",
        info.name.unwrap_or_default(),
        file.created_at.as_deref().unwrap_or("-"),
    )
}

async fn upload(client: &Client, width: u32, height: u32) -> Result<(String, String), Error> {
    let outcome = client
        .files()
        .upload(UploadSource::bytes(png(width, height)), "poster.png")
        .folder("/tour")
        .use_unique_file_name(false)
        .tags(["tour"])
        .await?;
    let UploadOutcome::Uploaded(file) = outcome else {
        return Err(Error::invalid_input("upload", "the emulator accepted the upload without storing it"));
    };
    let version = file.version_info.clone().unwrap_or_default();
    Ok((file.file_id.clone().unwrap_or_default(), version.name.unwrap_or_default()))
}

/// Runs the tour through `client` and returns what it prints, one step after another:
/// upload, upload again, list the versions, get the older one, restore it, delete the version
/// that is now old, list again.
pub async fn run(client: &Client) -> Result<String, Error> {
    let mut out = String::new();
    let versions = client.files().versions();

    let (file_id, first) = upload(client, 800, 600).await?;
    let _ = writeln!(out, "1. upload /tour/poster.png (800x600)   -> file {file_id}, {first}");
    let (again, second) = upload(client, 1024, 768).await?;
    let _ = writeln!(out, "2. upload it again (1024x768)          -> file {again}, {second}");

    let current = client.files().get(&file_id).await?;
    let current_id = current.version_info.and_then(|v| v.id);
    let listed = versions.list(&file_id).await?;
    let _ = writeln!(out, "3. list the versions: {}", listed.len());
    for version in &listed {
        let _ = writeln!(out, "{}", version_line(version, current_id.as_deref()));
    }

    let older = listed.first().and_then(|v| v.version_info.clone()).and_then(|v| v.id).unwrap_or_default();
    let newer = listed.last().and_then(|v| v.version_info.clone()).and_then(|v| v.id).unwrap_or_default();
    let details = versions.get(&file_id, &older).await?;
    let _ = writeln!(out, "4. details of the older version:");
    let _ = writeln!(
        out,
        "   type {}, path {}",
        details.kind.map(|k| k.to_string()).unwrap_or_default(),
        details.file_path.unwrap_or_default()
    );
    let _ = writeln!(out, "   url  {}", details.url.unwrap_or_default());

    let restored = versions.restore(&file_id, &older).await?;
    let restored_info = restored.version_info.unwrap_or_default();
    let _ = writeln!(
        out,
        "5. restore it                          -> {} ({}) is current",
        restored_info.name.unwrap_or_default(),
        restored_info.id.as_deref().unwrap_or_default()
    );

    versions.delete(&file_id, &newer).await?;
    let _ = writeln!(out, "6. delete the now-old version {newer}");

    let listed = versions.list(&file_id).await?;
    let _ = writeln!(out, "7. list again: {}", listed.len());
    for version in &listed {
        let _ = writeln!(out, "{}", version_line(version, restored_info.id.as_deref()));
    }
    Ok(out)
}
