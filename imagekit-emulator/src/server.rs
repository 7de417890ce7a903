//! The emulator over HTTP/1.1 on a local address, on its own thread and Tokio runtime, so it
//! can be started from synchronous tests, async tests and the binary alike.
//!
//! A developer runs it on their own machine while browsing, so the server assumes the requests
//! it gets may come from a hostile web page: every request must name a loopback host (and come
//! from no page, or a page of a loopback origin) unless remote use was allowed, admin requests
//! always, and admin requests carry JSON (which a page cannot send across origins without the emulator's consent), it binds to
//! loopback unless told otherwise, and slow or oversized requests cannot hold it.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http::header::{
    AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN, TRANSFER_ENCODING,
};
use http::{HeaderMap, HeaderValue, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use imagekit_core::transport::HttpResponse;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, SemaphorePermit, oneshot};

use imagekit_core::{Error, TransportError, TransportErrorKind};

use crate::emulator::Emulator;
use crate::handlers;

/// The emulator's server could not start (the address is taken, no socket could be made).
#[derive(Debug)]
struct ServerFailed(io::Error);

impl std::fmt::Display for ServerFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the emulator's server could not start")
    }
}

impl std::error::Error for ServerFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn server_failed(error: io::Error) -> Error {
    Error::Transport(TransportError::new(TransportErrorKind::Other, ServerFailed(error)))
}

/// The first pause after an accept error, doubled on each error that follows.
const ACCEPT_PAUSE_MIN: Duration = Duration::from_millis(100);
/// The longest pause after accept errors.
const ACCEPT_PAUSE_MAX: Duration = Duration::from_secs(1);

/// How the emulator's HTTP server treats connections and admin requests, for
/// [`Emulator::serve_with`]. The defaults are what [`Emulator::serve`] uses: loopback only, no
/// admin token, 10 s to send a request head, 60 s to send a body, bodies up to 256 MiB.
///
/// ```
/// use std::time::Duration;
/// use imagekit_emulator::{Emulator, ServeOptions};
///
/// let options = ServeOptions::new().admin_token("let-me-in").header_read_timeout(Duration::from_secs(2));
/// let server = Emulator::new("private_test").serve_with("127.0.0.1:0", options).unwrap();
/// // Admin requests now need `Authorization: Bearer let-me-in`.
/// server.shutdown();
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct ServeOptions {
    admin_token: Option<String>,
    allow_remote: bool,
    header_read_timeout: Duration,
    body_read_timeout: Duration,
    max_body_bytes: usize,
    max_in_flight_bytes: usize,
    max_connections: usize,
    write_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            admin_token: None,
            allow_remote: false,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(60),
            max_body_bytes: 256 * 1024 * 1024,
            max_in_flight_bytes: 512 * 1024 * 1024,
            max_connections: 1024,
            write_timeout: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<redacted>"))
            .field("allow_remote", &self.allow_remote)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_in_flight_bytes", &self.max_in_flight_bytes)
            .field("max_connections", &self.max_connections)
            .field("write_timeout", &self.write_timeout)
            .finish()
    }
}

impl ServeOptions {
    /// The defaults; see [`ServeOptions`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Requires `Authorization: Bearer <token>` on every admin request (`/__emulator/...`). An
    /// empty token is refused when serving.
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.admin_token = Some(token.into());
        self
    }

    /// Allows binding to an address other machines can reach (e.g. `0.0.0.0` in a container),
    /// and lets the API answer requests whose `Host` or `Origin` is not loopback. Without it,
    /// serving on a non-loopback address is an error, and the API, like the admin endpoints,
    /// answers only requests addressed to `localhost`, `127.0.0.1` or `[::1]` from no page or a
    /// page of a loopback origin, so a web page elsewhere (or rebound to 127.0.0.1 by DNS)
    /// cannot use the well-known default key. Admin requests still need a loopback `Host`
    /// header: send `Host: localhost` from elsewhere, and set an admin token.
    pub fn allow_remote(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }

    /// How long a connection may take to send a request head (also the longest a kept-alive
    /// connection may stay idle); then it is closed. 10 s unless set.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// How long a request body may take to arrive after its head; then the answer is 408.
    /// 60 s unless set.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// The largest request body read (uploads included); a larger one is answered 413, at once
    /// when its `Content-Length` says so. 256 MiB unless set.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// The most request body bytes held at once across all connections, 512 MiB unless set
    /// (and never less than [`max_body_bytes`](Self::max_body_bytes)). A body is read only once
    /// its bytes fit (a declared `Content-Length` is reserved whole before reading; a chunked
    /// body as it arrives), so concurrent large uploads wait their turn instead of exhausting
    /// memory; one that cannot start within the body timeout is answered 503 with
    /// `Retry-After`.
    pub fn max_in_flight_bytes(mut self, bytes: usize) -> Self {
        self.max_in_flight_bytes = bytes;
        self
    }

    /// The most connections served at once, 1024 unless set (at least 1). Further connections
    /// wait in the listen queue until one closes, so a flood of idle connections cannot take
    /// every file descriptor.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// How long writing an answer may stall (a client that stopped reading) before the
    /// connection is closed, 30 s unless set.
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout;
        self
    }
}

/// Request body bytes held across connections, counted in KiB so one permit count (a `u32`)
/// covers any body.
struct InFlight {
    kib: Semaphore,
    total_kib: u32,
}

impl InFlight {
    fn new(options: &ServeOptions) -> Self {
        let bytes = options.max_in_flight_bytes.max(options.max_body_bytes);
        let total_kib =
            u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX).min(Semaphore::MAX_PERMITS as u32);
        Self { kib: Semaphore::new(total_kib as usize), total_kib }
    }

    /// Room for `bytes` more, waiting until it is free.
    async fn reserve(&self, bytes: usize) -> Option<SemaphorePermit<'_>> {
        let kib = u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX).min(self.total_kib);
        self.kib.acquire_many(kib).await.ok()
    }
}

/// A running emulator server. Dropping it (or [`ServerHandle::shutdown`]) stops it.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    base_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// The base URL, `http://127.0.0.1:PORT`: use it as both the API and the upload base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    /// Blocks until the server stops (it only stops when shut down from elsewhere or when the
    /// process ends): what the binary does.
    pub fn wait(mut self) {
        // Holding the sender keeps the server running while waiting.
        let _keep_running = self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

impl Emulator {
    /// Serves this emulator (and its clones' shared state) over HTTP on `addr`, e.g.
    /// `127.0.0.1:4010`, with the default [`ServeOptions`]: a loopback address only. Returns
    /// once the socket is bound.
    ///
    /// ```
    /// use imagekit_emulator::Emulator;
    ///
    /// let emulator = Emulator::new("private_test");
    /// let server = emulator.serve_on_free_port().unwrap();
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// // Client::builder().base_url(server.base_url())... (uploads follow the base URL)
    /// server.shutdown();
    /// ```
    pub fn serve(&self, addr: impl ToSocketAddrs) -> Result<ServerHandle, Error> {
        self.serve_with(addr, ServeOptions::default())
    }

    /// Serves on `addr` with these options. An address that is not loopback is an
    /// [`Error::InvalidInput`] unless [`ServeOptions::allow_remote`] is set, as is an empty admin
    /// token.
    pub fn serve_with(&self, addr: impl ToSocketAddrs, options: ServeOptions) -> Result<ServerHandle, Error> {
        let addrs: Vec<SocketAddr> = addr.to_socket_addrs().map_err(server_failed)?.collect();
        if !options.allow_remote {
            if let Some(remote) = addrs.iter().find(|a| !a.ip().to_canonical().is_loopback()) {
                return Err(Error::invalid_input(
                    "addr",
                    format!(
                        "{remote} is not a loopback address; serving where other machines can reach the \
                         emulator needs ServeOptions::allow_remote(true) (--allow-remote on imagekit-emulator)"
                    ),
                ));
            }
        }
        if options.admin_token.as_deref() == Some("") {
            return Err(Error::invalid_input("admin_token", "must not be empty"));
        }
        self.try_serve(&addrs, options).map_err(server_failed)
    }

    fn try_serve(&self, addrs: &[SocketAddr], options: ServeOptions) -> io::Result<ServerHandle> {
        let listener = StdListener::bind(addrs)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let emulator = self.clone();
        let in_flight = Arc::new(InFlight::new(&options));
        let connections = Arc::new(Semaphore::new(options.max_connections.min(Semaphore::MAX_PERMITS)));
        let options = Arc::new(options);
        let thread = std::thread::Builder::new().name(format!("imagekit-emulator-{}", addr.port())).spawn(
            move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
                    let serve = |(stream, permit): (tokio::net::TcpStream, OwnedSemaphorePermit)| {
                        let shared = Shared {
                            emulator: emulator.clone(),
                            options: Arc::clone(&options),
                            in_flight: Arc::clone(&in_flight),
                        };
                        tokio::spawn(async move {
                            serve_connection(stream, shared).await;
                            drop(permit);
                        });
                    };
                    // A connection is accepted only when it can be served.
                    let accept = || {
                        let (listener, connections) = (&listener, Arc::clone(&connections));
                        async move {
                            let permit = connections.acquire_owned().await.map_err(io::Error::other)?;
                            let (stream, _) = listener.accept().await?;
                            Ok((stream, permit))
                        }
                    };
                    tokio::select! {
                        _ = stopped => {}
                        _ = accept_loop(accept, serve) => {}
                    }
                });
            },
        )?;
        Ok(ServerHandle { addr, base_url: format!("http://{addr}"), stop: Some(stop), thread: Some(thread) })
    }

    /// Serves on a free port of 127.0.0.1; see [`ServerHandle::base_url`].
    pub fn serve_on_free_port(&self) -> Result<ServerHandle, Error> {
        self.serve(("127.0.0.1", 0))
    }
}

/// Accepts connections for ever. An accept error that concerns one connection is passed over;
/// any other (out of file descriptors, of memory) pauses the loop, 100 ms doubling to 1 s, so
/// it waits for resources to be freed instead of spinning on the error.
async fn accept_loop<S, F, A>(mut accept: A, mut serve: impl FnMut(S))
where
    A: FnMut() -> F,
    F: Future<Output = io::Result<S>>,
{
    let mut pause = ACCEPT_PAUSE_MIN;
    loop {
        match accept().await {
            Ok(connection) => {
                pause = ACCEPT_PAUSE_MIN;
                serve(connection);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(_) => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(ACCEPT_PAUSE_MAX);
            }
        }
    }
}

/// A connection whose writes may stall at most `limit` (a client that stopped reading): then
/// they fail, and the connection is closed.
struct WriteTimeout<T> {
    io: T,
    limit: Duration,
    /// Running while a write waits; reset once the client takes bytes again.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<T> WriteTimeout<T> {
    /// `Pending` until the stall outlasts the limit, then the error that ends the connection.
    fn stall(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let limit = self.limit;
        let timer = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        timer.as_mut().poll(cx).map(|()| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                "the client read none of the answer within the write timeout",
            )
        })
    }

    fn progress<R>(&mut self, cx: &mut Context<'_>, outcome: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        match outcome {
            Poll::Pending => self.stall(cx).map(Err),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl<T: hyper::rt::Read + Unpin> hyper::rt::Read for WriteTimeout<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: hyper::rt::Write + Unpin> hyper::rt::Write for WriteTimeout<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut this.io).poll_write(cx, buf);
        this.progress(cx, outcome)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut this.io).poll_flush(cx);
        this.progress(cx, outcome)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.progress(cx, outcome)
    }
}

/// What every connection of one server shares.
#[derive(Clone)]
struct Shared {
    emulator: Emulator,
    options: Arc<ServeOptions>,
    in_flight: Arc<InFlight>,
}

async fn serve_connection(stream: tokio::net::TcpStream, shared: Shared) {
    let header_read_timeout = shared.options.header_read_timeout;
    let io = WriteTimeout { io: TokioIo::new(stream), limit: shared.options.write_timeout, stalled: None };
    let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(answer(&shared, request).await.map(Full::new)) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .serve_connection(io, service)
        .await;
}

async fn answer(shared: &Shared, request: http::Request<hyper::body::Incoming>) -> http::Response<Bytes> {
    let options = &*shared.options;
    let (parts, body) = request.into_parts();
    if handlers::is_admin_path(parts.uri.path()) {
        if let Err(refusal) = check_admin(&parts, options) {
            return closing(refusal);
        }
    } else if !options.allow_remote {
        // The API too: a page of another origin (or one rebound to 127.0.0.1) would otherwise
        // upload and read the library with the well-known default key.
        if let Err(refusal) = check_local(&parts, "The emulator's API") {
            return closing(refusal);
        }
    }
    let declared =
        parts.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > options.max_body_bytes as u64) {
        return closing(too_large());
    }
    let deadline = tokio::time::Instant::now() + options.body_read_timeout;
    // A declared length is reserved whole before reading, so two large bodies never each hold
    // half of the room the other waits for.
    let reserved = match declared {
        Some(length) if length > 0 => {
            match tokio::time::timeout_at(deadline, shared.in_flight.reserve(length as usize)).await {
                Ok(Some(permit)) => Some(permit),
                _ => return closing(busy(options)),
            }
        }
        _ => None,
    };
    let read = read_body(body, options.max_body_bytes, &shared.in_flight, reserved.is_none());
    match tokio::time::timeout_at(deadline, read).await {
        Ok(Ok((bytes, _permits))) => {
            let emulator = shared.emulator.clone();
            let request = http::Request::from_parts(parts, bytes);
            // Off the connection thread: the other connections' heads and bodies are read
            // while this one is handled. The body's room is freed once it is answered.
            let answered = tokio::task::spawn_blocking(move || emulator.handle(request)).await;
            drop(reserved);
            answered.unwrap_or_else(|_| {
                handlers::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The emulator failed to answer this request.",
                )
            })
        }
        Ok(Err(BodyFailure::TooLarge)) => closing(too_large()),
        Ok(Err(BodyFailure::NoRoom)) => closing(busy(options)),
        Err(_) => closing(handlers::error(
            StatusCode::REQUEST_TIMEOUT,
            &format!(
                "Your request body did not arrive within {} s.",
                options.body_read_timeout.as_secs_f64()
            ),
        )),
    }
}

/// Why a body was not read whole.
enum BodyFailure {
    /// Over the cap, or cut short.
    TooLarge,
    /// No room among the bytes in flight.
    NoRoom,
}

/// Reads a body up to `cap` bytes; with `reserve`, takes room for each frame as it arrives
/// (a body of undeclared length), and returns that room with the bytes.
async fn read_body(
    mut body: hyper::body::Incoming,
    cap: usize,
    in_flight: &InFlight,
    reserve: bool,
) -> Result<(Bytes, Vec<SemaphorePermit<'_>>), BodyFailure> {
    let mut collected = bytes::BytesMut::new();
    let mut permits = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return Err(BodyFailure::TooLarge) };
        let Ok(data) = frame.into_data() else { continue };
        if collected.len() + data.len() > cap {
            return Err(BodyFailure::TooLarge);
        }
        if reserve {
            permits.push(in_flight.reserve(data.len()).await.ok_or(BodyFailure::NoRoom)?);
        }
        collected.extend_from_slice(&data);
    }
    Ok((collected.freeze(), permits))
}

fn busy(options: &ServeOptions) -> HttpResponse {
    let mut answer = handlers::error(
        StatusCode::SERVICE_UNAVAILABLE,
        &format!(
            "The emulator is reading other request bodies and had no room for this one within {} s; \
             try again.",
            options.body_read_timeout.as_secs_f64()
        ),
    );
    answer.headers_mut().insert(http::header::RETRY_AFTER, HeaderValue::from_static("1"));
    answer
}

fn too_large() -> HttpResponse {
    handlers::error(StatusCode::PAYLOAD_TOO_LARGE, "Your request body is too large or was cut short.")
}

/// The answer, and the connection closed after it: what is left of the request is not read.
fn closing(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Admin requests over HTTP: a loopback `Host` (and target, and `Origin` if any) so a web page
/// cannot reach them by DNS rebinding or from another origin; JSON bodies, which a page cannot
/// send across origins without a preflight the emulator never approves; the admin token, if
/// one is set.
// The refusal is the answer, sent as it is; boxing it would only add noise.
#[allow(clippy::result_large_err)]
fn check_admin(parts: &http::request::Parts, options: &ServeOptions) -> Result<(), HttpResponse> {
    let header = |name: http::header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok());
    check_local(parts, "The emulator's admin endpoints")?;
    if has_body(&parts.headers) && !header(CONTENT_TYPE).is_some_and(is_json) {
        return Err(handlers::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The emulator's admin endpoints only take request bodies sent as Content-Type: application/json.",
        ));
    }
    if let Some(token) = &options.admin_token {
        let given = header(AUTHORIZATION).and_then(|value| {
            let (scheme, credentials) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| credentials.trim())
        });
        if !given.is_some_and(|given| same_secret(given.as_bytes(), token.as_bytes())) {
            let mut refusal = handlers::error(
                StatusCode::UNAUTHORIZED,
                "The emulator's admin endpoints need Authorization: Bearer <its admin token>.",
            );
            refusal.headers_mut().insert(http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return Err(refusal);
        }
    }
    Ok(())
}

/// A loopback `Host` (and target, and `Origin` if any): what a request from this machine's own
/// programs and pages carries, and what a page of another origin, or one rebound to 127.0.0.1
/// by DNS, cannot. `what` names the endpoints in the refusal.
#[allow(clippy::result_large_err)]
fn check_local(parts: &http::request::Parts, what: &str) -> Result<(), HttpResponse> {
    let host_ok = parts.headers.get(HOST).and_then(|v| v.to_str().ok()).is_some_and(is_loopback_host)
        && parts.uri.authority().is_none_or(|a| is_loopback_host(a.as_str()));
    if !host_ok {
        return Err(handlers::error(
            StatusCode::FORBIDDEN,
            &format!(
                "{what} only answer requests addressed to localhost, 127.0.0.1 or [::1] (the Host header); \
                 serve other hosts with --allow-remote (ServeOptions::allow_remote)."
            ),
        ));
    }
    let origin_ok = parts.headers.get(ORIGIN).is_none_or(|origin| {
        let origin = origin.to_str().unwrap_or_default();
        let host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
        host.is_some_and(is_loopback_host)
    });
    if !origin_ok {
        return Err(handlers::error(
            StatusCode::FORBIDDEN,
            &format!("{what} do not answer requests from web pages of other origins."),
        ));
    }
    Ok(())
}

/// Whether a request says it has a body.
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
            .is_some_and(|length| length > 0)
}

fn is_json(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// `localhost`, an address of 127.0.0.0/8 or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inner, after)) => (inner, after.strip_prefix(':').or(after.is_empty().then_some(""))),
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, Some("")),
        },
    };
    let port_ok = port.is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let loopback = name.eq_ignore_ascii_case("localhost")
        || name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || (host.starts_with('[')
            && name.parse::<Ipv6Addr>().is_ok_and(|ip| IpAddr::V6(ip).to_canonical().is_loopback()));
    port_ok && loopback
}

/// Compares without stopping at the first difference, so the time taken does not tell how much
/// of a guess was right.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    #[test]
    fn loopback_hosts() {
        for host in ["localhost", "LOCALHOST:4010", "127.0.0.1", "127.3.4.5:80", "[::1]", "[::1]:4010"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "10.0.0.1:4010",
            "[::2]:1",
            "[::1",
            "[::1]x",
            "localhost:80x",
            "::1",
            "0.0.0.0",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"token", b"token"));
        assert!(!same_secret(b"token", b"tokem"));
        assert!(!same_secret(b"token", b"token2"));
    }

    /// An accept that always fails (as it does when file descriptors run out) must not spin:
    /// in 350 ms the loop tries at 0, 100 and 300 ms, not thousands of times.
    #[test]
    fn accept_errors_back_off_instead_of_spinning() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let attempts = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&attempts);
        runtime.block_on(async move {
            let accept = || {
                counted.fetch_add(1, Ordering::Relaxed);
                async {
                    // Let the timer below run even if the loop never sleeps.
                    tokio::task::yield_now().await;
                    Err::<(), _>(io::Error::other("Too many open files"))
                }
            };
            let started = Instant::now();
            let _ = tokio::time::timeout(Duration::from_millis(350), accept_loop(accept, |()| {})).await;
            assert!(started.elapsed() < Duration::from_secs(2));
        });
        let attempts = attempts.load(Ordering::Relaxed);
        assert!((2..=4).contains(&attempts), "{attempts} accepts in 350 ms");
    }
}
