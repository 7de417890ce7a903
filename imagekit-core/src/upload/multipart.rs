//! A `multipart/form-data` body whose file part is streamed, never buffered.

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::transport::{ByteStream, StreamingBody};
use crate::upload::source::BodySource;

/// The size of the chunks in-memory content is handed to the transport in, so progress is
/// reported as it goes.
const CHUNK: usize = 256 * 1024;

/// Called with (bytes of the request body handed to the transport so far, the body's total).
///
/// The total is the whole multipart body (the file plus a few hundred bytes of fields and
/// framing); the last call has both equal. A retried upload starts again from zero. A streaming
/// transport pulls chunks as the connection takes them, so the figures follow the network; over
/// a transport that buffers (the trait's default `send_streaming`) they reach the total while
/// the body is read into memory, before it is sent.
pub type ProgressFn = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A `multipart/form-data` body: text fields, then at most one file part.
///
/// The file part's content is streamed when the body is: [`Multipart::to_stream`] hands it to
/// the transport chunk by chunk, and the other parts are a few hundred bytes.
#[derive(Clone)]
pub struct Multipart {
    boundary: String,
    fields: Vec<(String, String)>,
    file: Option<FilePart>,
    progress: Option<ProgressFn>,
}

#[derive(Clone, Debug)]
struct FilePart {
    name: String,
    filename: String,
    content_type: String,
    content: FileContent,
}

/// The content of a file part.
#[derive(Clone, Debug)]
pub(crate) enum FileContent {
    Bytes(Bytes),
    Source(Arc<dyn BodySource>),
}

impl FileContent {
    fn length(&self) -> u64 {
        match self {
            Self::Bytes(bytes) => bytes.len() as u64,
            Self::Source(source) => source.length(),
        }
    }
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty body with a random boundary.
    pub fn new() -> Self {
        Self::with_boundary(random_boundary())
    }

    /// An empty body with this boundary (it must not occur in any part).
    pub fn with_boundary(boundary: impl Into<String>) -> Self {
        Self { boundary: boundary.into(), fields: Vec::new(), file: None, progress: None }
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Sets the file part, from memory.
    pub fn file_bytes(self, name: &str, filename: &str, content_type: &str, content: Bytes) -> Self {
        self.file(name, filename, content_type, FileContent::Bytes(content))
    }

    /// Sets the file part, streamed from `source`.
    pub fn file_source(
        self,
        name: &str,
        filename: &str,
        content_type: &str,
        source: Arc<dyn BodySource>,
    ) -> Self {
        self.file(name, filename, content_type, FileContent::Source(source))
    }

    pub(crate) fn file(
        mut self,
        name: &str,
        filename: &str,
        content_type: &str,
        content: FileContent,
    ) -> Self {
        self.file = Some(FilePart {
            name: name.to_owned(),
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            content,
        });
        self
    }

    /// Reports the progress of sending the body through `progress`.
    pub fn on_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    /// The boundary.
    pub fn boundary(&self) -> &str {
        &self.boundary
    }

    /// The text fields, in order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The value of the first text field with this name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The `Content-Type` header value, with the boundary.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The exact length of the encoded body.
    pub fn content_length(&self) -> u64 {
        let (head, tail) = self.frame();
        head.len() as u64 + self.file.as_ref().map_or(0, |f| f.content.length()) + tail.len() as u64
    }

    /// Whether the body has a file part, so it is sent through the streaming path.
    pub fn is_streamed(&self) -> bool {
        self.file.is_some()
    }

    /// Whether the body can be produced again for another attempt.
    pub fn can_resend(&self) -> bool {
        match &self.file {
            Some(FilePart { content: FileContent::Source(source), .. }) => source.reopenable(),
            _ => true,
        }
    }

    /// The whole body in memory; `None` when the file part is streamed from a source.
    pub fn to_bytes(&self) -> Option<Bytes> {
        let (head, tail) = self.frame();
        let content = match &self.file {
            Some(FilePart { content: FileContent::Source(_), .. }) => return None,
            Some(FilePart { content: FileContent::Bytes(bytes), .. }) => bytes.clone(),
            None => Bytes::new(),
        };
        let mut body = BytesMut::with_capacity(head.len() + content.len() + tail.len());
        body.extend_from_slice(&head);
        body.extend_from_slice(&content);
        body.extend_from_slice(&tail);
        Some(body.freeze())
    }

    /// The body as a stream: fields, then the file content chunk by chunk (opening its source),
    /// then the closing boundary. Fails if the source cannot be opened.
    pub fn to_stream(&self) -> Result<StreamingBody, io::Error> {
        let total = self.content_length();
        let (head, tail) = self.frame();
        let mut segments = VecDeque::new();
        segments.push_back(Segment::Ready(head));
        match self.file.as_ref().map(|f| &f.content) {
            Some(FileContent::Bytes(bytes)) => {
                let mut offset = 0;
                while offset < bytes.len() {
                    let end = (offset + CHUNK).min(bytes.len());
                    segments.push_back(Segment::Ready(bytes.slice(offset..end)));
                    offset = end;
                }
            }
            Some(FileContent::Source(source)) => segments.push_back(Segment::Stream {
                stream: source.open()?,
                expected: source.length(),
                seen: 0,
            }),
            None => {}
        }
        segments.push_back(Segment::Ready(tail));
        let stream = MultipartStream { segments, sent: 0, total, progress: self.progress.clone() };
        Ok(StreamingBody::new(total, Box::pin(stream)))
    }

    /// Everything before the file content (all fields, the file part's headers) and after it.
    fn frame(&self) -> (Bytes, Bytes) {
        let mut head = String::new();
        for (name, value) in &self.fields {
            head.push_str("--");
            head.push_str(&self.boundary);
            head.push_str("\r\nContent-Disposition: form-data; name=\"");
            head.push_str(&escape(name));
            head.push_str("\"\r\n\r\n");
            head.push_str(value);
            head.push_str("\r\n");
        }
        let mut tail = String::new();
        if let Some(file) = &self.file {
            head.push_str("--");
            head.push_str(&self.boundary);
            head.push_str("\r\nContent-Disposition: form-data; name=\"");
            head.push_str(&escape(&file.name));
            head.push_str("\"; filename=\"");
            head.push_str(&escape(&file.filename));
            head.push_str("\"\r\nContent-Type: ");
            head.push_str(&file.content_type);
            head.push_str("\r\n\r\n");
            tail.push_str("\r\n");
        }
        tail.push_str("--");
        tail.push_str(&self.boundary);
        tail.push_str("--\r\n");
        (Bytes::from(head), Bytes::from(tail))
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("boundary", &self.boundary)
            .field("fields", &self.fields.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
            .field("file", &self.file)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Quotes a name as browsers do: `"`, CR and LF percent-encoded, so it cannot end the header.
fn escape(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A boundary no file content will contain by chance: 128 random bits where there is a random
/// source, otherwise a per-process counter mixed with an address.
fn random_boundary() -> String {
    let random = crate::upload::auth::random_token()
        .map(|t| t.replace('-', ""))
        .unwrap_or_else(|| format!("{:016x}", (crate::retry::jitter_random() * 1e15) as u64));
    format!("imagekit-rs-{random}")
}

enum Segment {
    Ready(Bytes),
    Stream { stream: ByteStream, expected: u64, seen: u64 },
}

struct MultipartStream {
    segments: VecDeque<Segment>,
    sent: u64,
    total: u64,
    progress: Option<ProgressFn>,
}

impl MultipartStream {
    fn fail(&mut self, error: io::Error) -> Poll<Option<Result<Bytes, io::Error>>> {
        self.segments.clear();
        Poll::Ready(Some(Err(error)))
    }
}

impl Stream for MultipartStream {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            let chunk = match this.segments.front_mut() {
                None => return Poll::Ready(None),
                Some(Segment::Ready(_)) => match this.segments.pop_front() {
                    Some(Segment::Ready(bytes)) => bytes,
                    _ => continue,
                },
                Some(Segment::Stream { stream, expected, seen }) => match stream.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(bytes))) => {
                        *seen += bytes.len() as u64;
                        if *seen > *expected {
                            let message =
                                format!("the source gave more than the {expected} bytes it announced");
                            return this.fail(io::Error::new(io::ErrorKind::InvalidData, message));
                        }
                        bytes
                    }
                    Poll::Ready(Some(Err(error))) => return this.fail(error),
                    Poll::Ready(None) => {
                        if *seen != *expected {
                            let message =
                                format!("the source ended after {seen} of the {expected} bytes it announced");
                            return this.fail(io::Error::new(io::ErrorKind::UnexpectedEof, message));
                        }
                        this.segments.pop_front();
                        continue;
                    }
                },
            };
            if chunk.is_empty() {
                continue;
            }
            this.sent += chunk.len() as u64;
            if let Some(progress) = &this.progress {
                progress(this.sent, this.total);
            }
            return Poll::Ready(Some(Ok(chunk)));
        }
    }
}
