//! A `multipart/form-data` body whose file part is streamed, never buffered.

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::body::{BodySource, ByteStream, StreamingBody};
use crate::error::Error;
use crate::runtime::Random;

/// The size of the chunks in-memory content is handed to the transport in, so progress is
/// reported as it goes.
const CHUNK: usize = 256 * 1024;

/// Called with (bytes of the request body handed to the transport so far, the body's total).
///
/// The total is the whole multipart body (the file plus a few hundred bytes of fields and
/// framing), not the file alone; the last call has both equal. A retried upload starts again
/// from zero. A streaming transport pulls chunks as the connection takes them, so the figures
/// follow the network; over a transport that buffers they reach the total while the body is read
/// into memory, before it is sent.
pub type ProgressFn = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A `multipart/form-data` body: text fields, then at most one file part.
///
/// The file part's content is streamed when the body is: [`Multipart::to_stream`] hands it to
/// the transport chunk by chunk, and the other parts are a few hundred bytes.
///
/// The boundary never occurs in a field: when a field added contains it, a new one is drawn.
/// (Streamed file content cannot be checked before it is sent; a random 128-bit boundary makes
/// a collision there as likely as guessing it.) [`Multipart::check`] refuses control characters
/// in part names, file names and content types, which would end a part header early.
#[derive(Clone)]
pub struct Multipart {
    boundary: String,
    fields: Vec<(String, String)>,
    file: Option<FilePart>,
    progress: Option<ProgressFn>,
    random: Option<Arc<dyn Random>>,
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
enum FileContent {
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

/// The longest boundary RFC 2046 allows.
const MAX_BOUNDARY: usize = 70;

impl Multipart {
    /// An empty body with a random boundary, from the operating system's random source.
    pub fn new() -> Self {
        Self::with_random(crate::runtime::default_random())
    }

    /// An empty body whose boundaries are drawn from `random` (see [`Random`] for what happens
    /// without one).
    pub fn with_random(random: Option<Arc<dyn Random>>) -> Self {
        let boundary = random_boundary(random.as_deref());
        Self { boundary, fields: Vec::new(), file: None, progress: None, random }
    }

    /// An empty body with this boundary: 1 to 70 characters of RFC 2046's set (letters, digits
    /// and `'()+_,-./:=?`, spaces inside), else an invalid-input error. It is replaced if a
    /// field added later contains it.
    pub fn with_boundary(boundary: impl Into<String>) -> Result<Self, Error> {
        let boundary = boundary.into();
        let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
        if boundary.is_empty()
            || boundary.len() > MAX_BOUNDARY
            || boundary.ends_with(' ')
            || !boundary.chars().all(allowed)
        {
            return Err(Error::invalid_input(
                "boundary",
                "must be 1 to 70 letters, digits or '()+_,-./:=? and not end with a space",
            ));
        }
        Ok(Self { boundary, ..Self::with_random(crate::runtime::default_random()) })
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), value.into()));
        self.keep_boundary_unique();
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

    fn file(mut self, name: &str, filename: &str, content_type: &str, content: FileContent) -> Self {
        self.file = Some(FilePart {
            name: name.to_owned(),
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            content,
        });
        self.keep_boundary_unique();
        self
    }

    /// Draws new boundaries until none of the form's known text contains it.
    fn keep_boundary_unique(&mut self) {
        // Each draw has at least 50 unpredictable bits, so this ends at once in practice; the
        // bound keeps a broken random source from looping forever.
        for _ in 0..64 {
            if !self.contains_boundary() {
                return;
            }
            self.boundary = random_boundary(self.random.as_deref());
        }
    }

    fn contains_boundary(&self) -> bool {
        let needle = self.boundary.as_bytes();
        let contains = |haystack: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
        self.fields.iter().any(|(name, value)| contains(name.as_bytes()) || contains(value.as_bytes()))
            || self.file.as_ref().is_some_and(|file| {
                contains(file.name.as_bytes())
                    || contains(file.filename.as_bytes())
                    || contains(file.content_type.as_bytes())
                    || matches!(&file.content, FileContent::Bytes(bytes) if contains(bytes))
            })
    }

    /// Refuses what would break a part's headers: a control character in a field name, the
    /// file name or the content type, or a content type that is not `type/subtype[; params]`.
    /// The error names the field.
    pub fn check(&self) -> Result<(), Error> {
        for (name, _) in &self.fields {
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(Error::invalid_input(
                    "form field",
                    format!("the name {name:?} is empty or contains a control character"),
                ));
            }
        }
        if let Some(file) = &self.file {
            if file.filename.chars().any(char::is_control) {
                return Err(Error::invalid_input("fileName", "contains a control character"));
            }
            if !is_media_type(&file.content_type) {
                return Err(Error::invalid_input(
                    "content_type",
                    format!(
                        "{:?} is not a media type such as image/png (no control characters)",
                        crate::error::Excerpt(&file.content_type).to_string()
                    ),
                ));
            }
        }
        Ok(())
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
            .finish_non_exhaustive()
    }
}

/// Quotes a name as browsers do: `"`, CR and LF percent-encoded, so it cannot end the header
/// (control characters are refused before by [`Multipart::check`]).
fn escape(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A boundary no content will contain by chance: 128 random bits where there is a random
/// source, otherwise a per-process counter mixed with an address (see [`Random`]).
fn random_boundary(random: Option<&dyn Random>) -> String {
    let mut bytes = [0u8; 16];
    if random.is_some_and(|r| r.fill(&mut bytes)) {
        return format!("imagekit-rs-{}", crate::url::sign::to_hex(&bytes));
    }
    format!("imagekit-rs-{:016x}", (crate::retry::jitter_random() * 1e15) as u64)
}

/// `type/subtype` with optional `; parameters`, in visible ASCII.
fn is_media_type(value: &str) -> bool {
    let (essence, _params) = value.split_once(';').unwrap_or((value, ""));
    let token = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
    };
    let visible = value.bytes().all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic());
    visible && essence.trim().split_once('/').is_some_and(|(kind, sub)| token(kind) && token(sub))
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
