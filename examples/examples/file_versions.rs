//! Shows a file's versions.
//!
//! ```text
//! cargo run -p imagekit-examples --example file_versions -- [FILE_ID [VERSION_ID]]
//! cargo run -p imagekit-examples --example file_versions -- --over-http
//! ```
//!
//! Without `IMAGEKIT_PRIVATE_KEY` it runs offline: a tour of a file's version lifecycle on the
//! built-in ImageKit emulator (upload, upload again, list, get, restore, delete, list), in
//! process, or with `--over-http` through imagekit-hyper against the emulator's HTTP server on
//! 127.0.0.1 (the output is the same). With the key it calls ImageKit (or `IMAGEKIT_BASE_URL`):
//! with FILE_ID and VERSION_ID it makes one call, get version details; with FILE_ID alone it
//! lists the versions and shows the newest.

use std::fmt::Write as _;
use std::process::ExitCode;

use imagekit_core::models::{File, UploadOutcome};
use imagekit_core::upload::UploadSource;
use imagekit_core::{Client, Error};
use imagekit_mock::emulator::Emulator;

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let over_http = args.iter().any(|a| a == "--over-http");
    let mut ids = args.iter().filter(|a| !a.starts_with("--")).cloned();
    let (file_id, version_id) = (ids.next(), ids.next());
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    if !online {
        return offline_tour(over_http).await;
    }

    let client = imagekit_hyper::from_env()?;
    println!("online: calling {}", client.base_url());
    let file_id = file_id.ok_or_else(|| {
        Error::invalid_input(
            "FILE_ID",
            "is required against the real API: file_versions FILE_ID [VERSION_ID]",
        )
    })?;
    match version_id {
        Some(version_id) => {
            let version = client.files().versions().get(&file_id, &version_id).await?;
            print_file(&version);
        }
        None => show_newest(&client, &file_id).await?,
    }
    Ok(())
}

async fn show_newest(client: &Client, file_id: &str) -> Result<(), Error> {
    let versions = client.files().versions().list(file_id).await?;
    println!("{} version(s) of {file_id}:", versions.len());
    for version in &versions {
        let info = version.version_info.as_ref();
        println!(
            "  {:<26} {:<12} {}",
            info.and_then(|i| i.id.as_deref()).unwrap_or("?"),
            info.and_then(|i| i.name.as_deref()).unwrap_or("?"),
            version.created_at.as_deref().unwrap_or("?"),
        );
    }
    // ISO 8601 timestamps in UTC sort as text.
    match versions.iter().max_by(|a, b| a.created_at.cmp(&b.created_at)) {
        Some(newest) => {
            println!("newest:");
            print_file(newest);
        }
        None => println!("no versions"),
    }
    Ok(())
}

fn print_file(file: &File) {
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
    let info = file.version_info.clone().unwrap_or_default();
    println!("version id:   {}", text(&info.id));
    println!("version name: {}", text(&info.name));
    println!("file id:      {}", text(&file.file_id));
    println!("name:         {}", text(&file.name));
    println!("path:         {}", text(&file.file_path));
    println!("type:         {}", file.kind.as_ref().map(ToString::to_string).unwrap_or_else(|| "-".into()));
    println!(
        "file type:    {}",
        file.file_type.as_ref().map(ToString::to_string).unwrap_or_else(|| "-".into())
    );
    println!("mime:         {}", text(&file.mime));
    match (file.width, file.height) {
        (Some(w), Some(h)) => println!("dimensions:   {w} x {h}"),
        _ => println!("dimensions:   -"),
    }
    println!("size:         {}", file.size.map(|s| format!("{s} bytes")).unwrap_or_else(|| "-".into()));
    println!("tags:         {}", file.tags.as_ref().map(|t| t.join(", ")).unwrap_or_else(|| "-".into()));
    println!("url:          {}", text(&file.url));
    println!("created at:   {}", text(&file.created_at));
    println!("updated at:   {}", text(&file.updated_at));
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

// ---- Offline: a tour of a file's versions on the built-in ImageKit emulator -----------------

/// The emulator's private key in the tour; not a real key. (Public, as is [`tour`], for the
/// test that runs the tour both ways: `tests/tour.rs`.)
pub const TOUR_KEY: &str = "private_tour_key=";

/// The tour on a fresh emulator, in process (the emulator is the transport) or over its HTTP
/// server through imagekit-hyper; both print the same.
async fn offline_tour(over_http: bool) -> Result<(), Error> {
    println!("offline: IMAGEKIT_PRIVATE_KEY is not set, so this is a tour of the built-in ImageKit emulator");
    let emulator = Emulator::new(TOUR_KEY);
    let output = if over_http {
        let server = emulator.serve_on_free_port()?;
        eprintln!("(through imagekit-hyper, emulator serving on {})", server.base_url());
        let client = imagekit_hyper::builder()?.private_key(TOUR_KEY).base_url(server.base_url()).build()?;
        tour(&client).await
    } else {
        eprintln!("(in process: the emulator is the transport)");
        tour(&Client::builder().private_key(TOUR_KEY).transport(emulator).build()?).await
    }?;
    print!("{output}");
    Ok(())
}

/// Runs the tour through `client` and returns what it prints, one step after another:
/// upload, upload again, list the versions, get the older one, restore it, delete the version
/// that is now old, list again.
pub async fn tour(client: &Client) -> Result<String, Error> {
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

/// The header of a PNG of this size: all the emulator reads to know an image's dimensions.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

/// One line of a version list, marking the current version.
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

/// Uploads a PNG of this size as `/tour/poster.png` (a new version once it is there); returns
/// the file id and the version's name.
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
