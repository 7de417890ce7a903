//! Upload sources that need a runtime: files on disk and Tokio readers; and many files at once:
//! [`tree`] walks files and directories into entries, [`batch`] uploads them a few at a time.
//!
//! ```no_run
//! # async fn run() -> Result<(), imagekit_core::Error> {
//! let client = imagekit_hyper::from_env()?;
//! let video = imagekit_hyper::upload::file("holiday.mp4").await?;
//! let outcome = client
//!     .files()
//!     .upload(video, "holiday.mp4")
//!     .folder("/videos")
//!     .on_progress(|sent, total| eprintln!("{} %", sent * 100 / total))
//!     .await?;
//! # Ok(()) }
//! ```

pub mod batch;
pub mod tree;

use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_core::Stream;
use imagekit_core::Error;
use imagekit_core::transport::ByteStream;
use imagekit_core::upload::{BodySource, UploadSource};
use tokio::io::{AsyncRead, ReadBuf};

/// How much is read from a file or reader at a time: the unit memory holds per upload.
const CHUNK: usize = 128 * 1024;

/// A file on disk, streamed from its start on every attempt of an upload (so a retried upload
/// sends it again), never loaded whole.
#[derive(Clone, Debug)]
pub struct FileSource {
    path: PathBuf,
    length: u64,
}

impl FileSource {
    /// Checks that `path` is a readable, non-empty regular file and remembers its length.
    ///
    /// Errors are invalid input naming `file`, before anything is sent.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let metadata = match tokio::fs::File::open(path).await {
            Ok(file) => file.metadata().await,
            Err(e) => Err(e),
        };
        let length = imagekit_core::upload::checked_file_length(path, metadata)?;
        Ok(Self { path: path.to_owned(), length })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl BodySource for FileSource {
    fn length(&self) -> u64 {
        self.length
    }

    fn open(&self) -> Result<ByteStream, io::Error> {
        let path = self.path.clone();
        Ok(Box::pin(FileStream::Opening(Box::pin(async move { tokio::fs::File::open(path).await }))))
    }
}

/// Opens the file on first poll, then reads it chunk by chunk.
enum FileStream {
    Opening(Pin<Box<dyn Future<Output = io::Result<tokio::fs::File>> + Send>>),
    Reading(ReaderStream<tokio::fs::File>),
    Done,
}

impl Stream for FileStream {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match &mut *self {
                FileStream::Opening(opening) => match ready!(opening.as_mut().poll(cx)) {
                    Ok(file) => *self = FileStream::Reading(ReaderStream::new(file)),
                    Err(error) => {
                        *self = FileStream::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                FileStream::Reading(reader) => return Pin::new(reader).poll_next(cx),
                FileStream::Done => return Poll::Ready(None),
            }
        }
    }
}

/// An async reader as a stream of chunks.
struct ReaderStream<R> {
    reader: Option<R>,
}

impl<R> ReaderStream<R> {
    fn new(reader: R) -> Self {
        Self { reader: Some(reader) }
    }
}

impl<R: AsyncRead + Unpin> Stream for ReaderStream<R> {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(reader) = self.reader.as_mut() else { return Poll::Ready(None) };
        let mut buffer = vec![0u8; CHUNK];
        let mut read = ReadBuf::new(&mut buffer);
        match ready!(Pin::new(reader).poll_read(cx, &mut read)) {
            Ok(()) => {
                let n = read.filled().len();
                if n == 0 {
                    self.reader = None;
                    return Poll::Ready(None);
                }
                buffer.truncate(n);
                Poll::Ready(Some(Ok(Bytes::from(buffer))))
            }
            Err(error) => {
                self.reader = None;
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

impl<R> fmt::Debug for ReaderStream<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReaderStream").finish_non_exhaustive()
    }
}

/// The file at `path` as an upload source, streamed from disk (see [`FileSource::open`]).
pub async fn file(path: impl AsRef<Path>) -> Result<UploadSource, Error> {
    Ok(UploadSource::source(FileSource::open(path).await?))
}

/// Any Tokio reader that yields exactly `length` bytes, as an upload source. It can be read
/// once, so the upload is not retried; a reader that yields another length fails the upload.
pub fn reader<R>(reader: R, length: u64) -> UploadSource
where
    R: AsyncRead + Send + Unpin + 'static,
{
    UploadSource::stream(length, Box::pin(ReaderStream::new(reader)))
}
