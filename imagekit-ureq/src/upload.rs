//! Upload sources for synchronous code: files on disk, read as they are sent.
//!
//! ```no_run
//! # fn run() -> Result<(), imagekit_core::Error> {
//! let client = imagekit_ureq::from_env()?;
//! let video = imagekit_ureq::upload::file("holiday.mp4")?;
//! let outcome = client
//!     .files()
//!     .upload(video, "holiday.mp4")
//!     .folder("/videos")
//!     .on_progress(|sent, total| eprintln!("{} %", sent * 100 / total))
//!     .send()?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use imagekit_core::Error;
use imagekit_core::transport::ByteStream;
use imagekit_core::upload::{BodySource, UploadSource};

/// How much is read from a file at a time: the unit memory holds per upload.
const CHUNK: usize = 128 * 1024;

/// A file on disk, read from its start on every attempt of an upload (so a retried upload sends
/// it again), never loaded whole.
#[derive(Clone, Debug)]
pub struct FileSource {
    path: PathBuf,
    length: u64,
}

impl FileSource {
    /// Checks that `path` is a readable, non-empty regular file and remembers its length.
    ///
    /// Errors are invalid input naming `file`, before anything is sent.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let metadata = File::open(path).and_then(|f| f.metadata());
        let length = imagekit_core::upload::checked_file_length(path, metadata)?;
        Ok(Self { path: path.to_owned(), length })
    }
}

impl BodySource for FileSource {
    fn length(&self) -> u64 {
        self.length
    }

    fn open(&self) -> Result<ByteStream, io::Error> {
        Ok(Box::pin(FileChunks { file: File::open(&self.path)?, left: self.length }))
    }
}

/// The file's chunks, read on the thread that polls them: a blocking transport's.
struct FileChunks {
    file: File,
    left: u64,
}

impl fmt::Debug for FileChunks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileChunks").field("left", &self.left).finish_non_exhaustive()
    }
}

impl Stream for FileChunks {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let want = usize::try_from(self.left).unwrap_or(CHUNK).min(CHUNK);
        let mut chunk = BytesMut::zeroed(want);
        loop {
            return match self.file.read(&mut chunk) {
                // Shorter than its length: the file changed; the core reports the mismatch.
                Ok(0) => Poll::Ready(None),
                Ok(n) => {
                    self.left -= n as u64;
                    chunk.truncate(n);
                    Poll::Ready(Some(Ok(chunk.freeze())))
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Poll::Ready(Some(Err(e))),
            };
        }
    }
}

/// The file at `path` as an upload source, streamed (see [`FileSource`]).
pub fn file(path: impl AsRef<Path>) -> Result<UploadSource, Error> {
    Ok(UploadSource::source(FileSource::open(path)?))
}
