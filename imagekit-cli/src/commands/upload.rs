//! `imagekit upload PATH...`: files and trees through the library's batch uploads.

use std::io::IsTerminal as _;
use std::path::Path;

use imagekit_core::Client;
use imagekit_core::models::UploadOutcome;
use imagekit_hyper::upload::batch::{BatchUpload, Done, FileOutcome, UploadStream};
use imagekit_hyper::upload::tree::{TreeWalk, UploadEntry, WalkError, WalkErrorKind};
use serde_json::json;

use crate::args::Upload;
use crate::failure::{Code, Failure, describe, escape};
use crate::output;
use crate::progress::Bars;

/// How many not-started files an interruption lists by name (the rest are counted), unless
/// `--json` asked for every one.
const LIST_NOT_STARTED: usize = 20;

/// What the run came to, for the summary.
#[derive(Default)]
struct Tally {
    uploaded: usize,
    skipped: usize,
    /// (local path, remote path or "", why)
    failed: Vec<(String, String, String)>,
}

/// Where lines go: plain lines or JSON lines on stdout, and bars on stderr on a terminal.
struct Report {
    json: bool,
    bars: Option<Bars>,
}

impl Report {
    /// Writes a line to stdout, with the bars hidden while it is written.
    fn out(&self, line: String) -> Result<(), Failure> {
        match &self.bars {
            Some(bars) => bars.suspend(|| output::line(line)),
            None => output::line(line),
        }
    }

    /// Writes a line to stderr, with the bars hidden while it is written.
    fn err(&self, line: String) {
        match &self.bars {
            Some(bars) => bars.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self, local_path: &Path) {
        if let Some(bars) = &self.bars {
            bars.finish(local_path);
        }
    }

    /// One file's line: JSON, or `uploaded /x/a.png (fileId ...)` and the like.
    fn file(
        &self,
        status: &str,
        entry: &UploadEntry,
        detail: serde_json::Value,
        text: String,
    ) -> Result<(), Failure> {
        if self.json {
            let mut line = json!({
                "status": status,
                "localPath": entry.local_path.display().to_string(),
                "remotePath": entry.remote_path(),
            });
            if let (Some(line), serde_json::Value::Object(detail)) = (line.as_object_mut(), detail) {
                line.extend(detail);
            }
            self.out(output::json_text(&line))
        } else {
            self.out(text)
        }
    }
}

/// Walks the paths into entries, uploads them `--concurrency` at a time, reports each as it
/// finishes, then sums up. Exit 1 if any failed; 130 if Ctrl-C stopped it.
pub(crate) async fn run(client: Client, args: &Upload, json: bool) -> Result<(), Failure> {
    let tags: Vec<String> = args.tags.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    let bars = (!json && std::io::stderr().is_terminal()).then(|| Bars::new(&args.paths));
    let report = Report { json, bars: bars.clone() };
    let batch = BatchUpload::new(client)
        .concurrency(usize::from(args.concurrency))
        .skip_existing(args.skip_existing)
        .configure(move |mut call, entry| {
            if !tags.is_empty() {
                call = call.tags(tags.clone());
            }
            match &bars {
                Some(bars) => bars.start(call, entry),
                None => call,
            }
        });
    let mut uploads = batch.start(TreeWalk::new(&args.paths, &args.folder).follow_links(args.follow_links));
    let mut tally = Tally::default();
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let mut abandoned = Vec::new();
    loop {
        tokio::select! {
            item = uploads.next() => match item {
                Some(item) => record(&report, &mut tally, item)?,
                None => break,
            },
            _ = &mut ctrl_c => {
                if uploads.is_stopped() {
                    abandoned = uploads.in_flight().cloned().collect();
                    break;
                }
                uploads.stop();
                let in_flight = uploads.in_flight().count();
                report.err(format!(
                    "interrupted: no new upload starts; waiting for the {in_flight} in flight (Ctrl-C again abandons them)"
                ));
                ctrl_c = Box::pin(tokio::signal::ctrl_c());
            }
        }
    }
    if let Some(bars) = &report.bars {
        bars.clear();
    }
    let interrupted = uploads.is_stopped();
    if interrupted {
        return interruption(&report, &tally, &abandoned, uploads);
    }
    summary(&tally);
    if tally.failed.is_empty() { Ok(()) } else { Err(Failure::silent(Code::Failed)) }
}

/// Reports one finished file (or a path the walk could not use).
fn record(report: &Report, tally: &mut Tally, item: Result<FileOutcome, WalkError>) -> Result<(), Failure> {
    let file = match item {
        Ok(file) => file,
        Err(walk_error) if matches!(walk_error.kind, WalkErrorKind::LinkLeavesTree) => {
            report.finish(&walk_error.path);
            tally.skipped += 1;
            let local = walk_error.path.display().to_string();
            return if report.json {
                let reason = "a link to a file outside the tree (--follow-links follows it)";
                report.out(output::json_text(
                    &json!({"status": "skipped", "localPath": local, "reason": reason}),
                ))
            } else {
                report.err(format!(
                    "skipped {}: a link to a file outside the tree (--follow-links follows it)",
                    escape(&local)
                ));
                Ok(())
            };
        }
        Err(walk_error) => {
            let why = walk_error.to_string();
            report.finish(&walk_error.path);
            let local = walk_error.path.display().to_string();
            if report.json {
                report
                    .out(output::json_text(&json!({"status": "failed", "localPath": local, "error": why})))?;
            } else {
                report.err(format!("failed {}: {}", escape(&local), escape(&why)));
            }
            tally.failed.push((local, String::new(), why));
            return Ok(());
        }
    };
    report.finish(&file.entry.local_path);
    let remote = escape(&file.entry.remote_path());
    match &file.result {
        Ok(Done::Uploaded(UploadOutcome::Uploaded(upload))) => {
            tally.uploaded += 1;
            let file_id = upload.file_id.as_deref().unwrap_or("-");
            report.file(
                "uploaded",
                &file.entry,
                json!({"fileId": upload.file_id, "url": upload.url}),
                format!("uploaded {remote} (fileId {})", escape(file_id)),
            )
        }
        Ok(Done::Uploaded(UploadOutcome::Accepted { message })) => {
            tally.uploaded += 1;
            report.file(
                "accepted",
                &file.entry,
                json!({"message": message}),
                format!("uploaded {remote} (accepted, still processing)"),
            )
        }
        Ok(Done::Skipped) => {
            tally.skipped += 1;
            report.file("skipped", &file.entry, json!({}), format!("skipped {remote} (already exists)"))
        }
        Ok(_) => Ok(()),
        Err(error) => {
            let why = describe(error);
            let local = file.entry.local_path.display().to_string();
            if report.json {
                report.file("failed", &file.entry, json!({"error": why}), String::new())?;
            } else {
                report.err(format!("failed {} -> {remote}: {}", escape(&local), why.replace('\n', "\n  ")));
            }
            tally.failed.push((local, file.entry.remote_path(), why));
            Ok(())
        }
    }
}

/// The summary on stderr: counts, then every failure with why.
fn summary(tally: &Tally) {
    eprintln!("uploaded {}, skipped {}, failed {}", tally.uploaded, tally.skipped, tally.failed.len());
    if tally.failed.is_empty() {
        return;
    }
    eprintln!("these files were not uploaded:");
    for (local, remote, why) in &tally.failed {
        let target = if remote.is_empty() { String::new() } else { format!(" -> {}", escape(remote)) };
        eprintln!("  {}{target}: {}", escape(local), why.replace('\n', "\n    "));
    }
}

/// After Ctrl-C: what was uploaded (counted; each had its line), what was abandoned in
/// flight, and what never started. Exit 130.
fn interruption<I>(
    report: &Report,
    tally: &Tally,
    abandoned: &[UploadEntry],
    uploads: UploadStream<I>,
) -> Result<(), Failure>
where
    I: Iterator<Item = Result<UploadEntry, WalkError>>,
{
    // Dropping the stream with the rest ends the uploads still in flight.
    let rest = uploads.into_rest();
    for entry in abandoned {
        if report.json {
            report.file("abandoned", entry, json!({}), String::new())?;
        }
    }
    let mut not_started = Vec::new();
    let mut count = 0usize;
    for entry in rest.flatten() {
        count += 1;
        if report.json {
            report.file("not-started", &entry, json!({}), String::new())?;
        } else if not_started.len() < LIST_NOT_STARTED {
            not_started.push(entry);
        }
    }
    summary(tally);
    eprintln!("interrupted by Ctrl-C");
    if !abandoned.is_empty() {
        eprintln!("abandoned while uploading (each may or may not have been stored):");
        for entry in abandoned {
            eprintln!(
                "  {} -> {}",
                escape(&entry.local_path.display().to_string()),
                escape(&entry.remote_path())
            );
        }
    }
    if count > 0 {
        eprintln!("not uploaded, never started: {count} files");
        for entry in &not_started {
            eprintln!(
                "  {} -> {}",
                escape(&entry.local_path.display().to_string()),
                escape(&entry.remote_path())
            );
        }
        if count > not_started.len() && !report.json {
            eprintln!("  ... and {} more", count - not_started.len());
        }
    }
    Err(Failure::silent(Code::Interrupted))
}
