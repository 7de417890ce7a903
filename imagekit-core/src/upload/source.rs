//! Where an upload's bytes come from, and the content type its file part is sent with.

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::body::{BodySource, ByteStream};

/// The `file` of an upload: its bytes, or a remote URL or base64 text that ImageKit reads.
///
/// * [`UploadSource::bytes`]: content in memory.
/// * [`UploadSource::source`]: a [`BodySource`] such as a file, streamed and re-opened per attempt.
/// * [`UploadSource::stream`]: any stream of a known length, sent once (never retried).
/// * [`UploadSource::url`]: an `http(s)://` URL that ImageKit fetches.
/// * [`UploadSource::base64`]: base64 content, plain or as a `data:` URI.
///
/// An empty source is refused before anything is sent: ImageKit stores no empty files.
#[derive(Clone, Debug)]
pub struct UploadSource {
    pub(crate) kind: SourceKind,
}

#[derive(Clone, Debug)]
pub(crate) enum SourceKind {
    /// Sent as the binary file part.
    Bytes(Bytes),
    /// Sent as the binary file part, streamed.
    Stream(Arc<dyn BodySource>),
    /// Sent as a text `file` field.
    Text { value: String, what: &'static str },
}

impl UploadSource {
    /// Content already in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self { kind: SourceKind::Bytes(bytes.into()) }
    }

    /// Content streamed from `source`, which is re-opened if the upload is retried.
    pub fn source(source: impl BodySource + 'static) -> Self {
        Self { kind: SourceKind::Stream(Arc::new(source)) }
    }

    /// A shared [`BodySource`].
    pub fn shared_source(source: Arc<dyn BodySource>) -> Self {
        Self { kind: SourceKind::Stream(source) }
    }

    /// Content from a stream of exactly `length` bytes, such as an async reader turned into a
    /// stream. It can be read only once, so the upload is never retried.
    pub fn stream(length: u64, stream: ByteStream) -> Self {
        Self::source(OneShot { length, stream: Mutex::new(Some(stream)) })
    }

    /// A public `http://` or `https://` URL that ImageKit fetches (it must answer within 8 s).
    pub fn url(url: impl Into<String>) -> Self {
        Self { kind: SourceKind::Text { value: url.into(), what: "url" } }
    }

    /// Base64 content, plain or as a data URI (`data:image/png;base64,...`).
    pub fn base64(data: impl Into<String>) -> Self {
        Self { kind: SourceKind::Text { value: data.into(), what: "base64" } }
    }

    /// Checks what can be checked before sending: not empty, a URL that is one.
    pub(crate) fn validate(&self) -> Result<(), crate::error::Error> {
        let empty = || crate::error::Error::invalid_input("file", "is empty: ImageKit stores no empty files");
        match &self.kind {
            SourceKind::Bytes(bytes) if bytes.is_empty() => Err(empty()),
            SourceKind::Stream(source) if source.length() == 0 => Err(empty()),
            SourceKind::Text { value, .. } if value.trim().is_empty() => Err(empty()),
            SourceKind::Text { value, what: "url" } => {
                let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
                if lower.starts_with("http://") || lower.starts_with("https://") {
                    Ok(())
                } else {
                    Err(crate::error::Error::invalid_input(
                        "file",
                        "a URL source must start with http:// or https://",
                    ))
                }
            }
            _ => Ok(()),
        }
    }
}

/// A stream that can be read once.
struct OneShot {
    length: u64,
    stream: Mutex<Option<ByteStream>>,
}

impl fmt::Debug for OneShot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneShot").field("length", &self.length).finish_non_exhaustive()
    }
}

impl BodySource for OneShot {
    fn length(&self) -> u64 {
        self.length
    }

    fn open(&self) -> Result<ByteStream, io::Error> {
        let mut slot = self.stream.lock().unwrap_or_else(|p| p.into_inner());
        slot.take().ok_or_else(|| io::Error::other("the stream was already read by an earlier attempt"))
    }

    fn reopenable(&self) -> bool {
        false
    }
}

/// The content type a file name's extension suggests, `application/octet-stream` when it says
/// nothing: what an upload's file part is sent with unless one is given. (ImageKit detects the
/// type from the content; the emulator uses the same table as its stand-in for that.)
///
/// ```
/// assert_eq!(imagekit_core::upload::guess_content_type("shoe.JPG"), "image/jpeg");
/// assert_eq!(imagekit_core::upload::guess_content_type("notes"), "application/octet-stream");
/// ```
pub fn guess_content_type(file_name: &str) -> &'static str {
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "ico" => "image/x-icon",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "txt" => "text/plain",
        "css" => "text/css",
        "js" => "application/javascript",
        "html" | "htm" => "text/html",
        _ => "application/octet-stream",
    }
}

/// The length of the file at `path` as an upload source, from its metadata (or the error of
/// reading it): a readable, non-empty regular file, else an invalid input naming `file`. For
/// the file sources of the transports, which read the metadata their own way.
pub fn checked_file_length(
    path: &std::path::Path,
    metadata: std::io::Result<std::fs::Metadata>,
) -> Result<u64, crate::error::Error> {
    use crate::error::Error;
    let metadata =
        metadata.map_err(|e| Error::invalid_input("file", format!("cannot read {}: {e}", path.display())))?;
    if !metadata.is_file() {
        return Err(Error::invalid_input("file", format!("{} is not a regular file", path.display())));
    }
    if metadata.len() == 0 {
        return Err(Error::invalid_input(
            "file",
            format!("{} is empty: ImageKit stores no empty files", path.display()),
        ));
    }
    Ok(metadata.len())
}
