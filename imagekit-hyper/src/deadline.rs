//! Per-request timeouts with one sweeper task per transport instead of one timer per request.
//!
//! A Tokio timer per call registers in, and is removed from, the runtime's timer wheel on every
//! request; at tens of thousands of calls a second that alone cost 3 to 5 % of throughput in the
//! load driver. Timeouts of API calls are seconds long, so a sweeper that looks every
//! [`GRANULARITY`] is precise enough: a request times out at most that much after its limit.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// How often the sweeper looks for expired requests.
pub(crate) const GRANULARITY: Duration = Duration::from_millis(10);

/// The deadlines of one transport's requests in flight.
#[derive(Default)]
pub(crate) struct Deadlines {
    watches: Mutex<Vec<Weak<Watch>>>,
    sweeping: AtomicBool,
}

/// One request's deadline, shared with the sweeper.
struct Watch {
    deadline: Instant,
    expired: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Deadlines {
    /// Runs `work`, or returns `None` once `limit` has passed (within [`GRANULARITY`]).
    pub(crate) async fn run<F: Future>(self: &Arc<Self>, limit: Duration, work: F) -> Option<F::Output> {
        let watch = Arc::new(Watch {
            deadline: Instant::now() + limit,
            expired: AtomicBool::new(false),
            waker: Mutex::new(None),
        });
        lock(&self.watches).push(Arc::downgrade(&watch));
        self.ensure_sweeper();
        let mut work = std::pin::pin!(work);
        std::future::poll_fn(|cx| {
            if let Poll::Ready(output) = work.as_mut().poll(cx) {
                return Poll::Ready(Some(output));
            }
            watch.pending(cx)
        })
        .await
    }

    /// Starts the sweeper unless one runs; it ends when the transport is dropped or has nothing
    /// left to watch, and the next request starts another.
    fn ensure_sweeper(self: &Arc<Self>) {
        if self.sweeping.swap(true, Ordering::AcqRel) {
            return;
        }
        let deadlines = Arc::downgrade(self);
        tokio::spawn(async move {
            // Marks the sweeper gone if the task is dropped unfinished (the runtime shut down).
            struct Abandoned(Weak<Deadlines>);
            impl Drop for Abandoned {
                fn drop(&mut self) {
                    if let Some(deadlines) = self.0.upgrade() {
                        deadlines.sweeping.store(false, Ordering::Release);
                    }
                }
            }
            let mut abandoned = Abandoned(deadlines.clone());
            loop {
                tokio::time::sleep(GRANULARITY).await;
                let Some(deadlines) = deadlines.upgrade() else { return };
                if !deadlines.sweep(Instant::now()) {
                    // Nothing in flight: stop, and let the next request start a new sweeper.
                    // Clearing the flag under the lock means no request can slip in unseen.
                    let watches = lock(&deadlines.watches);
                    if watches.is_empty() {
                        deadlines.sweeping.store(false, Ordering::Release);
                        abandoned.0 = Weak::new();
                        return;
                    }
                }
            }
        });
    }

    /// Expires what is due and forgets what finished; whether anything is still in flight.
    fn sweep(&self, now: Instant) -> bool {
        let mut watches = lock(&self.watches);
        watches.retain(|weak| {
            let Some(watch) = weak.upgrade() else { return false };
            if now < watch.deadline {
                return true;
            }
            watch.expired.store(true, Ordering::Release);
            if let Some(waker) = lock(&watch.waker).take() {
                waker.wake();
            }
            false
        });
        !watches.is_empty()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Watch {
    /// `Ready(None)` once expired; otherwise leaves the waker for the sweeper.
    fn pending<T>(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if self.expired.load(Ordering::Acquire) {
            return Poll::Ready(None);
        }
        let mut waker = lock(&self.waker);
        match &*waker {
            Some(current) if current.will_wake(cx.waker()) => {}
            _ => *waker = Some(cx.waker().clone()),
        }
        drop(waker);
        // The sweeper may have expired the watch before it saw this waker.
        if self.expired.load(Ordering::Acquire) { Poll::Ready(None) } else { Poll::Pending }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_that_finishes_in_time_is_returned() {
        let deadlines = Arc::new(Deadlines::default());
        assert_eq!(deadlines.run(Duration::from_secs(5), async { 7 }).await, Some(7));
    }

    #[tokio::test]
    async fn work_past_its_limit_is_cut_within_the_granularity() {
        let deadlines = Arc::new(Deadlines::default());
        let started = Instant::now();
        let outcome = deadlines.run(Duration::from_millis(50), std::future::pending::<()>()).await;
        assert_eq!(outcome, None);
        let elapsed = started.elapsed();
        assert!(
            elapsed >= Duration::from_millis(50) && elapsed < Duration::from_millis(50) + 10 * GRANULARITY
        );
    }

    #[tokio::test]
    async fn the_sweeper_stops_when_idle_and_restarts_for_the_next_request() {
        let deadlines = Arc::new(Deadlines::default());
        deadlines.run(Duration::from_secs(1), async {}).await;
        tokio::time::sleep(5 * GRANULARITY).await;
        assert!(!deadlines.sweeping.load(Ordering::Acquire), "no sweeper without requests");
        let outcome = deadlines.run(Duration::from_millis(20), std::future::pending::<()>()).await;
        assert_eq!(outcome, None, "a new sweeper timed the next request");
    }
}
