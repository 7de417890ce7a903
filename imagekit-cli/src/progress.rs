//! Progress bars for uploads on a terminal: one for the whole batch, one per file in flight.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use imagekit_core::UploadCall;
use imagekit_hyper::upload::tree::{TreeWalk, UploadEntry};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bars: the batch's (bytes of every file found) and one per upload in flight.
#[derive(Clone)]
pub(crate) struct Bars {
    multi: MultiProgress,
    overall: ProgressBar,
    files: Arc<Mutex<HashMap<PathBuf, FileBar>>>,
    total_files: u64,
    done_files: Arc<AtomicU64>,
}

/// One file's bar, and how many of its bytes the overall bar has been credited with.
struct FileBar {
    bar: ProgressBar,
    size: u64,
    credited: Arc<AtomicU64>,
}

impl Bars {
    /// Bars on stderr for the files `paths` hold. The tree is walked once first, to count files
    /// and bytes (metadata only; a path that cannot be read is left to the upload to report).
    pub(crate) fn new(paths: &[PathBuf]) -> Self {
        let (mut total_files, mut total_bytes) = (0u64, 0u64);
        for entry in TreeWalk::new(paths, "/").flatten() {
            total_files += 1;
            total_bytes += std::fs::metadata(&entry.local_path).map(|m| m.len()).unwrap_or(0);
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = multi.add(ProgressBar::new(total_bytes));
        overall.set_style(
            ProgressStyle::with_template(
                "{bar:40.cyan/blue} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let bars = Self { multi, overall, files: Arc::default(), total_files, done_files: Arc::default() };
        bars.update_message();
        bars
    }

    fn update_message(&self) {
        let done = self.done_files.load(Ordering::Relaxed);
        self.overall.set_message(format!("{done}/{} files", self.total_files));
    }

    /// A bar for a file whose upload starts now, fed by the upload's progress callback.
    pub(crate) fn start(&self, call: UploadCall, entry: &UploadEntry) -> UploadCall {
        let size = std::fs::metadata(&entry.local_path).map(|m| m.len()).unwrap_or(0);
        let bar = self.multi.add(ProgressBar::new(size));
        bar.set_style(
            ProgressStyle::with_template("  {bar:30} {bytes:>10}/{total_bytes:<10} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(crate::failure::escape(&entry.remote_path()));
        let credited = Arc::new(AtomicU64::new(0));
        let file = FileBar { bar: bar.clone(), size, credited: Arc::clone(&credited) };
        self.lock().insert(entry.local_path.clone(), file);
        let overall = self.overall.clone();
        // The callback counts the whole form; the bars count the file's bytes in proportion.
        call.on_progress(move |sent, total| {
            let done = if total == 0 {
                size
            } else {
                (u128::from(sent) * u128::from(size) / u128::from(total)) as u64
            };
            bar.set_position(done);
            let before = credited.swap(done, Ordering::Relaxed);
            // A retried upload starts again from 0.
            if done >= before {
                overall.inc(done - before);
            } else {
                overall.set_position(overall.position().saturating_sub(before - done));
            }
        })
    }

    /// A file is done, whatever came of it: its bar goes, the batch's counts all its bytes.
    pub(crate) fn finish(&self, local_path: &Path) {
        if let Some(file) = self.lock().remove(local_path) {
            let credited = file.credited.load(Ordering::Relaxed);
            self.overall.inc(file.size.saturating_sub(credited));
            file.bar.finish_and_clear();
            self.multi.remove(&file.bar);
        } else if let Ok(metadata) = std::fs::metadata(local_path) {
            // Skipped or failed before it started: no bar, but its bytes count as done.
            self.overall.inc(metadata.len());
        }
        self.done_files.fetch_add(1, Ordering::Relaxed);
        self.update_message();
    }

    /// Runs `write` (which prints) with the bars hidden, then draws them again.
    pub(crate) fn suspend<T>(&self, write: impl FnOnce() -> T) -> T {
        self.multi.suspend(write)
    }

    /// Removes every bar from the screen.
    pub(crate) fn clear(&self) {
        for (_, file) in self.lock().drain() {
            file.bar.finish_and_clear();
        }
        self.overall.finish_and_clear();
        let _ = self.multi.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, FileBar>> {
        self.files.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
