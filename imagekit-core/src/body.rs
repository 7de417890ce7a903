//! Request bodies: in memory, or streamed chunk by chunk from a source that can be re-opened.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::error::{TransportError, TransportErrorKind};
use crate::runtime::{MaybeSend, MaybeSync};

/// A stream of body chunks that is `Send` where the target has threads.
#[cfg(not(target_arch = "wasm32"))]
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send + 'static>>;
/// A stream of body chunks that is `Send` where the target has threads.
#[cfg(target_arch = "wasm32")]
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + 'static>>;

/// The body of a request the core hands to a transport.
///
/// Most requests carry a small body in memory ([`RequestBody::Full`]). Uploads carry a form
/// whose file is streamed ([`RequestBody::Stream`]), so a large file never sits in memory; a
/// transport that cannot stream calls [`RequestBody::collect`] and sends the bytes.
#[derive(Debug)]
pub enum RequestBody {
    /// The whole body, in memory (empty for requests without one).
    Full(Bytes),
    /// A body produced chunk by chunk, of a length known up front (sent as `Content-Length`).
    Stream(StreamingBody),
}

impl RequestBody {
    /// The number of bytes the body has.
    pub fn length(&self) -> u64 {
        match self {
            Self::Full(bytes) => bytes.len() as u64,
            Self::Stream(stream) => stream.length(),
        }
    }

    /// The bytes, when the body is in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Self::Full(bytes) => Some(bytes),
            Self::Stream(_) => None,
        }
    }

    /// The whole body in memory: what a transport that does not stream sends. A failure of a
    /// streamed body's source is a [`TransportErrorKind::BodySource`] error.
    pub async fn collect(self) -> Result<Bytes, TransportError> {
        match self {
            Self::Full(bytes) => Ok(bytes),
            Self::Stream(stream) => {
                stream.collect().await.map_err(|e| TransportError::new(TransportErrorKind::BodySource, e))
            }
        }
    }

    /// The body as a stream of chunks.
    pub fn into_stream(self) -> ByteStream {
        match self {
            Self::Full(bytes) => iter_stream(std::iter::once(Ok(bytes))),
            Self::Stream(stream) => stream.into_stream(),
        }
    }

    /// The body as a blocking reader, for blocking transports: chunks of a streamed body are
    /// awaited on the calling thread (see [`crate::runtime::block_on`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn into_reader(self) -> BodyReader {
        BodyReader { stream: self.into_stream(), chunk: Bytes::new() }
    }
}

impl From<Bytes> for RequestBody {
    fn from(bytes: Bytes) -> Self {
        Self::Full(bytes)
    }
}

/// A streamed body read through [`std::io::Read`]: see [`RequestBody::into_reader`].
#[cfg(not(target_arch = "wasm32"))]
pub struct BodyReader {
    stream: ByteStream,
    chunk: Bytes,
}

#[cfg(not(target_arch = "wasm32"))]
impl io::Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            let next =
                crate::runtime::block_on(std::future::poll_fn(|cx| self.stream.as_mut().poll_next(cx)));
            match next {
                Some(chunk) => self.chunk = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl fmt::Debug for BodyReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyReader").field("buffered", &self.chunk.len()).finish_non_exhaustive()
    }
}

/// A request body produced chunk by chunk, of a length known before the first byte is sent.
///
/// An error from the stream means its source failed (a file could not be read): the transport
/// stops and reports [`TransportErrorKind::BodySource`].
pub struct StreamingBody {
    length: u64,
    stream: ByteStream,
}

impl StreamingBody {
    /// A body of exactly `length` bytes, produced by `stream`.
    pub fn new(length: u64, stream: ByteStream) -> Self {
        Self { length, stream }
    }

    /// The number of bytes the body has (its `Content-Length`).
    pub fn length(&self) -> u64 {
        self.length
    }

    /// The chunks.
    pub fn into_stream(self) -> ByteStream {
        self.stream
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, io::Error> {
        // The announced length only sizes the first allocation, so a wrong one cannot exhaust memory.
        let capacity = usize::try_from(self.length.min(64 * 1024 * 1024)).unwrap_or(0);
        let mut buffer = BytesMut::with_capacity(capacity);
        while let Some(chunk) = std::future::poll_fn(|cx| self.stream.as_mut().poll_next(cx)).await {
            buffer.extend_from_slice(&chunk?);
        }
        Ok(buffer.freeze())
    }
}

impl Stream for StreamingBody {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for StreamingBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingBody").field("length", &self.length).finish_non_exhaustive()
    }
}

/// Content that can be streamed from the start any number of times: a file on disk, a blob in
/// another store. Implement it to upload from your own storage without loading it in memory.
///
/// `imagekit-hyper` implements it for files (`imagekit_hyper::upload::file`).
pub trait BodySource: MaybeSend + MaybeSync + fmt::Debug {
    /// The exact number of bytes every stream from [`BodySource::open`] yields.
    fn length(&self) -> u64;

    /// A fresh stream of the whole content, from its first byte; called once per attempt.
    ///
    /// The stream may open its resource lazily and report failures as stream errors. A stream
    /// that yields more or fewer bytes than [`BodySource::length`] fails the upload.
    fn open(&self) -> Result<ByteStream, io::Error>;

    /// Whether [`BodySource::open`] works more than once. An upload whose source cannot be
    /// re-opened is never retried, since its bytes cannot be sent again.
    fn reopenable(&self) -> bool {
        true
    }
}

/// A stream over chunks that are ready at once.
pub(crate) fn iter_stream<I>(chunks: I) -> ByteStream
where
    I: Iterator<Item = Result<Bytes, io::Error>> + MaybeSend + Unpin + 'static,
{
    struct IterStream<I>(I);
    impl<I: Iterator<Item = Result<Bytes, io::Error>> + Unpin> Stream for IterStream<I> {
        type Item = Result<Bytes, io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next())
        }
    }
    Box::pin(IterStream(chunks))
}
