//! Memory benchmark: uploads generated files of 64 MiB, 256 MiB and 1 GiB through
//! imagekit-hyper to a sink on 127.0.0.1 and prints this process's peak RSS for each.
//!
//! ```text
//! cargo run --release -p imagekit-examples --example upload_rss
//! ```
//!
//! The sink runs in a child process (this program, started with `--sink`), so its memory is not
//! counted; it reads each upload as it arrives and discards it. Each file is sparse (its
//! length set, one 1 MiB block of varied bytes written at the start), one at a time in the
//! temporary directory, and deleted after its upload. The peak (VmHWM in /proc/self/status) is
//! reset before each upload where the kernel allows (`/proc/self/clear_refs`), so each figure
//! is that upload's own; where it cannot be reset the figures are cumulative, and say so.
//! Linux only. Exits 1 if the 1 GiB upload peaks at 64 MiB or more.
//!
//! With `--buffered` the transport is wrapped so it collects each body before sending, as a
//! transport that cannot stream does: that shows what the figures measure (the 1 GiB upload
//! then peaks above 1 GiB, and the run fails).

use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

use imagekit_core::TransportError;
use imagekit_core::models::UploadOutcome;
use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestBody, RequestOptions};
use imagekit_hyper::HyperTransport;

/// A transport that does not stream: it collects every body first, as a buffering adapter does.
#[derive(Debug)]
struct BufferingOnly(HyperTransport);

impl HttpTransport for BufferingOnly {
    async fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        let request = imagekit_core::transport::collect(request).await?;
        self.0.send(request.map(RequestBody::Full), options).await
    }
}

const MIB: u64 = 1024 * 1024;
const SIZES: [(u64, &str); 3] = [(64 * MIB, "64 MiB"), (256 * MIB, "256 MiB"), (1024 * MIB, "1 GiB")];
const LIMIT_FOR_1_GIB: u64 = 64 * MIB;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--sink") {
        return sink();
    }
    match benchmark() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The child: serve the upload sink and print its URL, until the parent ends it.
fn sink() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let Ok(runtime) = runtime else { return ExitCode::FAILURE };
    runtime.block_on(async {
        match imagekit_examples::serve_upload_sink().await {
            Ok(url) => {
                println!("{url}");
                let _ = std::io::stdout().flush();
                std::future::pending::<()>().await;
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("sink: {error}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Ends the sink process when the benchmark is done, however it ends.
struct SinkProcess(Child);

impl Drop for SinkProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Removes a generated file, however the benchmark ends.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn status_kib(field: &str) -> Result<u64, String> {
    let status =
        std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.trim().strip_suffix("kB")?.trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/self/status"))
}

/// Resets the peak RSS to the current RSS; false where the kernel does not allow it.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn generate(size: u64) -> Result<TempFile, String> {
    let path = std::env::temp_dir().join(format!("imagekit-upload-rss-{}-{size}.bin", std::process::id()));
    let file = TempFile(path);
    let mut handle = std::fs::File::create(&file.0).map_err(|e| format!("{}: {e}", file.0.display()))?;
    let block: Vec<u8> = (0..MIB as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    handle.write_all(&block).map_err(|e| e.to_string())?;
    handle.set_len(size).map_err(|e| e.to_string())?;
    handle.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    Ok(file)
}

fn benchmark() -> Result<bool, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .arg("--sink")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the sink: {e}"))?;
    let stdout = child.stdout.take().ok_or("the sink has no stdout")?;
    let _sink = SinkProcess(child);
    let mut sink_url = String::new();
    BufReader::new(stdout).read_line(&mut sink_url).map_err(|e| e.to_string())?;
    let sink_url = sink_url.trim().to_owned();
    if sink_url.is_empty() {
        return Err("the sink did not start".into());
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let buffered = std::env::args().any(|a| a == "--buffered");
    let client = runtime.block_on(async {
        let transport = HyperTransport::new()?;
        let builder = imagekit_core::Client::builder();
        let builder =
            if buffered { builder.transport(BufferingOnly(transport)) } else { builder.transport(transport) };
        builder
            .sleeper(tokio::time::sleep)
            .private_key(imagekit_examples::OFFLINE_KEY)
            .upload_base_url(&sink_url)
            .build()
    });
    let client = client.map_err(|e| e.to_string())?;
    let mode =
        if buffered { "a transport that collects the body first" } else { "imagekit-hyper's streaming" };
    println!(
        "upload_rss: {mode} send, sink in a child process on {sink_url}; baseline peak RSS {} KiB",
        status_kib("VmHWM:")?
    );

    let mut ok = true;
    for (size, label) in SIZES {
        let file = generate(size)?;
        let resettable = reset_peak();
        let started = Instant::now();
        let outcome = runtime.block_on(async {
            let source = imagekit_hyper::upload::file(&file.0).await?;
            client.files().upload(source, "rss.bin").await
        });
        let elapsed = started.elapsed();
        drop(file);
        let stored = match outcome.map_err(|e| format!("{label}: {e}"))? {
            UploadOutcome::Uploaded(upload) => upload.size.unwrap_or_default() as u64,
            other => return Err(format!("{label}: unexpected outcome {other:?}")),
        };
        if stored != size {
            return Err(format!("{label}: the sink stored {stored} bytes, not {size}"));
        }
        let peak = status_kib("VmHWM:")?;
        let scope = if resettable { "this upload" } else { "cumulative" };
        println!(
            "{label:>7}: peak RSS {:>6} KiB ({:.1} MiB, {scope}), {:.2} s, {:.0} MiB/s",
            peak,
            peak as f64 / 1024.0,
            elapsed.as_secs_f64(),
            size as f64 / MIB as f64 / elapsed.as_secs_f64()
        );
        if size == 1024 * MIB && peak * 1024 >= LIMIT_FOR_1_GIB {
            println!("FAIL: the 1 GiB upload peaked at {} MiB, over the 64 MiB budget", peak / 1024);
            ok = false;
        }
    }
    Ok(ok)
}
