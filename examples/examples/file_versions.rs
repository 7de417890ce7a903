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

use std::process::ExitCode;

use imagekit_core::models::File;
use imagekit_core::{Client, Error};

#[tokio::main]
async fn main() -> ExitCode {
    imagekit_examples::init_logging();
    imagekit_examples::exit_code(run().await)
}

async fn run() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let over_http = args.iter().any(|a| a == "--over-http");
    let mut ids = args.iter().filter(|a| !a.starts_with("--")).cloned();
    let (file_id, version_id) = (ids.next(), ids.next());
    let online = std::env::var_os(imagekit_core::config::ENV_PRIVATE_KEY).is_some_and(|k| !k.is_empty());
    if !online {
        return tour(over_http).await;
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

/// The offline tour on a fresh emulator, in process or over its HTTP server.
async fn tour(over_http: bool) -> Result<(), Error> {
    use imagekit_examples::tour::{TOUR_KEY, run};
    use imagekit_mock::emulator::Emulator;

    println!("offline: IMAGEKIT_PRIVATE_KEY is not set, so this is a tour of the built-in ImageKit emulator");
    let emulator = Emulator::new(TOUR_KEY);
    let output = if over_http {
        let server = emulator.serve_on_free_port().map_err(imagekit_core::TransportError::io)?;
        eprintln!("(through imagekit-hyper, emulator serving on {})", server.base_url());
        let client = imagekit_hyper::builder()?
            .private_key(TOUR_KEY)
            .base_url(server.base_url())
            .build()?;
        run(&client).await
    } else {
        eprintln!("(in process: the emulator is the transport)");
        run(&Client::builder().private_key(TOUR_KEY).transport(emulator).build()?).await
    }?;
    print!("{output}");
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
