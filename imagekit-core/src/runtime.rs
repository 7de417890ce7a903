//! What the core needs from the runtime it runs on, in one place: thread-safety bounds that
//! relax on `wasm32`, boxed futures, a way to wait ([`Sleep`]) and a way to tell the time
//! ([`Clock`]).
//!
//! The core has no executor, timer or clock of its own. Where a target has threads, the
//! `default-timer` feature (on by default) gives every client a sleeper that needs no runtime;
//! `imagekit-hyper` replaces it with Tokio's timer, and on `wasm32` the host's timer comes from
//! the transport crate (or from you).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// `Send` on native targets, nothing on `wasm32`, where futures and handles are single-threaded.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send` on native targets, nothing on `wasm32`, where futures and handles are single-threaded.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` on native targets, nothing on `wasm32`.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> MaybeSync for T {}
/// `Sync` on native targets, nothing on `wasm32`.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSync for T {}

/// A boxed future that is `Send` where the target has threads.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future that is `Send` where the target has threads.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Waits without blocking: what a client waits between retries and times deadlines with.
///
/// Any function from a [`Duration`] to a future is a sleeper, so a runtime's own timer is one
/// line:
///
/// ```
/// # #[derive(Debug)] struct T;
/// # impl imagekit_core::HttpTransport for T {
/// #     async fn send(&self, _: imagekit_core::transport::HttpRequest, _: imagekit_core::transport::RequestOptions)
/// #         -> Result<imagekit_core::transport::HttpResponse, imagekit_core::TransportError> { unimplemented!() }
/// # }
/// let client = imagekit_core::Client::builder()
///     .private_key("private_key")
///     .transport(T)
///     .sleeper(tokio::time::sleep)
///     .build()?;
/// # Ok::<(), imagekit_core::Error>(())
/// ```
pub trait Sleep: MaybeSend + MaybeSync {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

impl<F, Fut> Sleep for F
where
    F: Fn(Duration) -> Fut + MaybeSend + MaybeSync,
    Fut: Future<Output = ()> + MaybeSend + 'static,
{
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(self(duration))
    }
}

/// The sleeper a client has when it is given none: a timer thread shared by the process
/// (`futures-timer`), so retries and deadlines work on any executor. `None` where the target
/// has no threads or the `default-timer` feature is off.
pub(crate) fn default_sleeper() -> Option<std::sync::Arc<dyn Sleep>> {
    #[cfg(all(feature = "default-timer", not(target_arch = "wasm32")))]
    return Some(std::sync::Arc::new(futures_timer::Delay::new));
    #[cfg(not(all(feature = "default-timer", not(target_arch = "wasm32"))))]
    return None;
}

/// A source of unpredictable bytes: what random upload tokens and multipart boundaries are
/// drawn from.
///
/// The default is the operating system's (`getrandom`) where the target has one and the
/// `getrandom` feature is on. `wasm32-unknown-unknown` has none the core can reach without a
/// JavaScript shim: give one there (e.g. from `crypto.getRandomValues`), or boundaries fall back
/// to a per-process counter mixed with an address (about 50 unpredictable bits; the writer still
/// checks that no field contains its boundary), and tokens must be passed in.
///
/// Any `Fn(&mut [u8]) -> bool` is a source; it returns `false` when it could not fill the buffer.
pub trait Random: MaybeSend + MaybeSync {
    /// Fills `bytes`; `false` when no random bytes could be had.
    fn fill(&self, bytes: &mut [u8]) -> bool;
}

impl<F> Random for F
where
    F: Fn(&mut [u8]) -> bool + MaybeSend + MaybeSync,
{
    fn fill(&self, bytes: &mut [u8]) -> bool {
        self(bytes)
    }
}

/// The operating system's random source, where the target has one the core can use.
pub(crate) fn default_random() -> Option<std::sync::Arc<dyn Random>> {
    #[cfg(all(feature = "getrandom", not(all(target_arch = "wasm32", target_os = "unknown"))))]
    return Some(std::sync::Arc::new(|bytes: &mut [u8]| getrandom::fill(bytes).is_ok()));
    #[cfg(not(all(feature = "getrandom", not(all(target_arch = "wasm32", target_os = "unknown")))))]
    return None;
}

/// Tells the current Unix time, in seconds.
///
/// `SystemTime::now()` panics on `wasm32-unknown-unknown`, so there [`SystemClock`] reports no
/// time and whatever needs one (default upload expiries, JWTs, URL expiries) asks for it.
pub trait Clock: MaybeSend + MaybeSync + fmt::Debug {
    /// Seconds since the Unix epoch, or `None` when this clock cannot tell.
    fn now_unix(&self) -> Option<u64>;
}

impl<T: Clock + ?Sized> Clock for std::sync::Arc<T> {
    fn now_unix(&self) -> Option<u64> {
        (**self).now_unix()
    }
}

/// The operating system's clock; it reports no time on `wasm32-unknown-unknown`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix(&self) -> Option<u64> {
        system_now()
    }
}

/// A clock stopped at one instant: for tests, and for targets without a system clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedClock(pub u64);

impl Clock for FixedClock {
    fn now_unix(&self) -> Option<u64> {
        Some(self.0)
    }
}

/// The system time in Unix seconds, where the target has a clock.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn system_now() -> Option<u64> {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs())
}

/// `wasm32-unknown-unknown` has no clock the core can read.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn system_now() -> Option<u64> {
    None
}

/// Runs a future to completion on this thread, parking between polls: for the blocking client
/// and blocking transports that read a streamed body. Not for futures that need a runtime's
/// reactor (Tokio I/O): those never wake.
#[cfg(not(target_arch = "wasm32"))]
pub fn block_on<F: Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }

    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}
