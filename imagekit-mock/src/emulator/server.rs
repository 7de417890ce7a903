//! The emulator over HTTP/1.1 on a local address, on its own thread and Tokio runtime, so it
//! can be started from synchronous tests, async tests and the binary alike.

use std::convert::Infallible;
use std::io;
use std::net::{SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use imagekit_core::{Error, TransportError, TransportErrorKind};

use super::Emulator;
use super::handlers;

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

/// The largest request body the server reads (uploads included).
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

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
    /// `127.0.0.1:4010`. Returns once the socket is bound.
    ///
    /// ```
    /// use imagekit_mock::emulator::Emulator;
    ///
    /// let emulator = Emulator::new("private_test");
    /// let server = emulator.serve_on_free_port().unwrap();
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// // Client::builder().base_url(server.base_url()).upload_base_url(server.base_url())...
    /// server.shutdown();
    /// ```
    pub fn serve(&self, addr: impl ToSocketAddrs) -> Result<ServerHandle, Error> {
        self.try_serve(addr)
            .map_err(|e| Error::Transport(TransportError::new(TransportErrorKind::Other, ServerFailed(e))))
    }

    fn try_serve(&self, addr: impl ToSocketAddrs) -> io::Result<ServerHandle> {
        let listener = StdListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let emulator = self.clone();
        let thread = std::thread::Builder::new().name(format!("imagekit-emulator-{}", addr.port())).spawn(
            move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
                    tokio::select! {
                        _ = stopped => {}
                        _ = accept_loop(listener, emulator) => {}
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

async fn accept_loop(listener: tokio::net::TcpListener, emulator: Emulator) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let emulator = emulator.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                let emulator = emulator.clone();
                async move { Ok::<_, Infallible>(answer(&emulator, request).await.map(Full::new)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(emulator: &Emulator, request: http::Request<hyper::body::Incoming>) -> http::Response<Bytes> {
    let (parts, body) = request.into_parts();
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => emulator.handle(http::Request::from_parts(parts, collected.to_bytes())),
        Err(_) => handlers::error(
            http::StatusCode::PAYLOAD_TOO_LARGE,
            "Your request body is too large or was cut short.",
        ),
    }
}
