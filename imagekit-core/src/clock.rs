//! The current time, injectable: the core reads it only through a [`Clock`].
//!
//! `SystemTime::now()` panics on `wasm32-unknown-unknown`, so there [`SystemClock`] reports no
//! time and whatever needs one (default upload expiries) asks the caller for it instead.

use std::fmt;

use crate::transport::{MaybeSend, MaybeSync};

/// Tells the current Unix time, in seconds.
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
        crate::url::system_now()
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
