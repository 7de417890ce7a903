//! What the core needs from the runtime, from the JavaScript host: a timer ([`sleep`]), a clock
//! ([`DateClock`]) and a random source ([`CryptoRandom`]).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use imagekit_core::Clock;
use imagekit_core::runtime::Random;
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::classify::timer_step;
use crate::js;

/// A future that completes after `duration`, timed by the host's `setTimeout`: the sleeper
/// [`crate::builder`] gives the client, for waits between retries and for deadlines.
///
/// The timer starts when `sleep` is called. Dropping the future clears it, so an abandoned
/// wait (a deadline that did not pass) does not keep Node's event loop alive. A wait longer
/// than `setTimeout` can take (about 24.8 days) is made of several timers. On a host without
/// `setTimeout` the wait ends at once, so a deadline ends its call instead of being ignored.
///
/// ```no_run
/// # async fn run() {
/// imagekit_fetch::sleep(std::time::Duration::from_millis(250)).await;
/// # }
/// ```
pub fn sleep(duration: Duration) -> Delay {
    Delay::new(duration)
}

/// The future of [`sleep`].
#[must_use = "a delay does nothing unless awaited"]
#[derive(Debug)]
pub struct Delay {
    /// What is left to wait after the armed timer fires.
    remaining: Duration,
    armed: Option<Timer>,
}

impl Delay {
    fn new(duration: Duration) -> Self {
        let mut delay = Self { remaining: duration, armed: None };
        if delay.arm_next().is_err() {
            delay.remaining = Duration::ZERO;
        }
        delay
    }

    /// A delay whose first timer is known to be armed: what the transport times attempts with,
    /// so a host without `setTimeout` refuses the timeout instead of ending the attempt at once.
    pub(crate) fn armed(duration: Duration) -> Result<Self, JsValue> {
        let mut delay = Self { remaining: duration, armed: None };
        delay.arm_next()?;
        Ok(delay)
    }

    /// Arms the timer for the next step of the wait, if any is left.
    fn arm_next(&mut self) -> Result<(), JsValue> {
        if self.remaining.is_zero() {
            return Ok(());
        }
        let (ms, rest) = timer_step(self.remaining);
        self.armed = Some(Timer::start(ms)?);
        self.remaining = rest;
        Ok(())
    }
}

impl Future for Delay {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            if let Some(timer) = &this.armed {
                if !timer.shared.fired.get() {
                    // Single-threaded: the timer's callback cannot run during this poll.
                    *timer.shared.waker.borrow_mut() = Some(cx.waker().clone());
                    return Poll::Pending;
                }
                this.armed = None;
            }
            if this.remaining.is_zero() {
                return Poll::Ready(());
            }
            if this.arm_next().is_err() {
                this.remaining = Duration::ZERO;
            }
        }
    }
}

/// What the timer's callback and the future share.
#[derive(Debug, Default)]
struct Shared {
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// One armed `setTimeout`, cleared when dropped before it fired.
struct Timer {
    handle: JsValue,
    shared: Rc<Shared>,
    /// Kept alive until the timer fired or was cleared: JavaScript calls it.
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(ms: u32) -> Result<Self, JsValue> {
        let shared = Rc::new(Shared::default());
        let on_fire = Rc::clone(&shared);
        let callback = Closure::<dyn FnMut()>::new(move || {
            on_fire.fired.set(true);
            if let Some(waker) = on_fire.waker.borrow_mut().take() {
                waker.wake();
            }
        });
        let handle = js::set_timeout(callback.as_ref().unchecked_ref(), f64::from(ms))?;
        Ok(Self { handle, shared, _callback: callback })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if !self.shared.fired.get() {
            // Nothing to do if the host has no clearTimeout: it had no setTimeout either.
            let _ = js::clear_timeout(&self.handle);
        }
    }
}

impl std::fmt::Debug for Timer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timer").field("fired", &self.shared.fired.get()).finish_non_exhaustive()
    }
}

/// The host's clock, `Date.now()`: what upload expiries, JWTs, signed URL expiries and webhook
/// ages are computed with (the system clock of `imagekit-core` reports no time on
/// `wasm32-unknown-unknown`).
///
/// On Cloudflare Workers `Date.now()` advances only across I/O; that is precise enough for
/// expiries counted in minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateClock;

impl Clock for DateClock {
    fn now_unix(&self) -> Option<u64> {
        let ms = js_sys::Date::now();
        // A NaN or negative time is a broken host clock: report none rather than 1970.
        (ms.is_finite() && ms >= 0.0).then(|| (ms / 1000.0) as u64)
    }
}

/// The host's random source, `crypto.getRandomValues` (Web Crypto): what upload tokens and
/// multipart boundaries are drawn from, in place of the `getrandom` feature of
/// `imagekit-core` (whose wasm32 backend needs a build flag).
///
/// Browsers, Deno, Cloudflare Workers and Node 19 and later have a global `crypto`; Node 18
/// has it only with `--experimental-global-webcrypto`. Where it is missing,
/// [`Random::fill`] returns `false` and the core does without: boundaries fall back to its
/// own counter and a random upload token must be passed in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CryptoRandom;

/// The most bytes `getRandomValues` fills in one call (Web Crypto's quota).
const QUOTA: usize = 65_536;

impl Random for CryptoRandom {
    fn fill(&self, bytes: &mut [u8]) -> bool {
        for chunk in bytes.chunks_mut(QUOTA) {
            // A fresh JavaScript array rather than a view of wasm memory: hosts refuse views of
            // shared memory, and a view is invalidated if memory grows.
            let Ok(length) = u32::try_from(chunk.len()) else { return false };
            let array = Uint8Array::new_with_length(length);
            if js::get_random_values(&array).is_err() {
                return false;
            }
            array.copy_to(chunk);
        }
        true
    }
}
