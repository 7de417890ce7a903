//! Per-request timeouts with one sweeper task per transport instead of one timer per request.
//!
//! A Tokio timer per call registers in, and is removed from, the runtime's timer wheel on every
//! request; at tens of thousands of calls a second that alone cost 3 to 5 % of throughput in the
//! load driver. Timeouts of API calls are seconds long, so a sweeper that looks every
//! [`GRANULARITY`] is precise enough: a request times out at most that much after its limit.
//!
//! Requests in flight live in a slab whose slots are reused, so a request allocates nothing
//! for its timeout: it takes a slot when it first waits, and gives it back when it ends.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// How often the sweeper looks for expired requests.
pub(crate) const GRANULARITY: Duration = Duration::from_millis(10);

/// The deadlines of one transport's requests in flight.
#[derive(Default)]
pub(crate) struct Deadlines {
    slots: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    entries: Vec<Entry>,
    /// Indices of unused entries.
    free: Vec<usize>,
    /// Entries in use.
    watching: usize,
    /// Whether a sweeper task is running.
    sweeping: bool,
}

struct Entry {
    deadline: Instant,
    state: State,
    waker: Option<Waker>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Free,
    Watching,
    Expired,
}

impl Deadlines {
    /// Runs `work`, or yields `None` once `limit` has passed (within [`GRANULARITY`]).
    pub(crate) fn run<F: Future>(self: &Arc<Self>, limit: Duration, work: F) -> Timed<'_, F> {
        Timed { work, deadlines: self, limit, watch: None }
    }

    /// Takes a slot for a request that must end by `deadline`, starting the sweeper if none runs.
    fn watch(self: &Arc<Self>, deadline: Instant, waker: Waker) -> usize {
        let mut slots = lock(&self.slots);
        let entry = Entry { deadline, state: State::Watching, waker: Some(waker) };
        let slot = match slots.free.pop() {
            Some(slot) => {
                slots.entries[slot] = entry;
                slot
            }
            None => {
                slots.entries.push(entry);
                slots.entries.len() - 1
            }
        };
        slots.watching += 1;
        let start_sweeper = !std::mem::replace(&mut slots.sweeping, true);
        drop(slots);
        if start_sweeper {
            self.spawn_sweeper();
        }
        slot
    }

    /// Whether the request in `slot` has expired; if not, keeps `waker` for the sweeper.
    fn expired(&self, slot: usize, waker: &Waker) -> bool {
        let mut slots = lock(&self.slots);
        let entry = &mut slots.entries[slot];
        if entry.state == State::Expired {
            return true;
        }
        match &entry.waker {
            Some(current) if current.will_wake(waker) => {}
            _ => entry.waker = Some(waker.clone()),
        }
        false
    }

    /// Gives a request's slot back.
    fn release(&self, slot: usize) {
        let mut slots = lock(&self.slots);
        let entry = &mut slots.entries[slot];
        entry.state = State::Free;
        let waker = entry.waker.take();
        slots.free.push(slot);
        slots.watching -= 1;
        drop(slots);
        // Dropped outside the lock: dropping a waker may run arbitrary code.
        drop(waker);
    }

    /// Starts the sweeper; it ends when the transport is dropped or has nothing left to watch,
    /// and the next request starts another.
    fn spawn_sweeper(self: &Arc<Self>) {
        let deadlines = Arc::downgrade(self);
        tokio::spawn(async move {
            // Marks the sweeper gone if the task is dropped unfinished (the runtime shut down).
            struct Abandoned(Weak<Deadlines>);
            impl Drop for Abandoned {
                fn drop(&mut self) {
                    if let Some(deadlines) = self.0.upgrade() {
                        lock(&deadlines.slots).sweeping = false;
                    }
                }
            }
            let mut abandoned = Abandoned(deadlines.clone());
            loop {
                tokio::time::sleep(GRANULARITY).await;
                let Some(deadlines) = deadlines.upgrade() else { return };
                if !deadlines.sweep(Instant::now()) {
                    abandoned.0 = Weak::new();
                    return;
                }
            }
        });
    }

    /// Expires what is due and wakes its requests; whether the sweeper should go on. It stops
    /// when nothing is in flight, which it decides under the lock, so no request slips in unseen.
    fn sweep(&self, now: Instant) -> bool {
        let mut due = Vec::new();
        let mut slots = lock(&self.slots);
        if slots.watching == 0 {
            slots.sweeping = false;
            return false;
        }
        for entry in &mut slots.entries {
            if entry.state == State::Watching && entry.deadline <= now {
                entry.state = State::Expired;
                due.extend(entry.waker.take());
            }
        }
        drop(slots);
        due.into_iter().for_each(Waker::wake);
        true
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pin_project_lite::pin_project! {
    /// A request's work raced against its deadline: `Some(output)`, or `None` once it expired.
    pub(crate) struct Timed<'d, F> {
        #[pin]
        work: F,
        deadlines: &'d Arc<Deadlines>,
        limit: Duration,
        // Taken the first time the work waits (an answer already there needs none).
        watch: Option<Watch<'d>>,
    }
}

/// A request's slot; given back when the request ends, however it ends.
struct Watch<'d> {
    deadlines: &'d Deadlines,
    slot: usize,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.deadlines.release(self.slot);
    }
}

impl<F: Future> Future for Timed<'_, F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(output) = this.work.poll(cx) {
            return Poll::Ready(Some(output));
        }
        match this.watch {
            None => {
                let deadline = Instant::now() + *this.limit;
                let slot = this.deadlines.watch(deadline, cx.waker().clone());
                *this.watch = Some(Watch { deadlines: this.deadlines, slot });
                Poll::Pending
            }
            Some(watch) if watch.deadlines.expired(watch.slot, cx.waker()) => Poll::Ready(None),
            Some(_) => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweeping(deadlines: &Deadlines) -> bool {
        lock(&deadlines.slots).sweeping
    }

    #[tokio::test]
    async fn work_that_finishes_in_time_is_returned() {
        let deadlines = Arc::new(Deadlines::default());
        assert_eq!(deadlines.run(Duration::from_secs(5), async { 7 }).await, Some(7));
        let waits = async {
            tokio::task::yield_now().await;
            8
        };
        assert_eq!(deadlines.run(Duration::from_secs(5), waits).await, Some(8));
        assert_eq!(lock(&deadlines.slots).watching, 0, "the slot was given back");
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
    async fn slots_are_reused_and_only_the_late_request_expires() {
        let deadlines = Arc::new(Deadlines::default());
        let slow = deadlines.run(Duration::from_millis(30), std::future::pending::<()>());
        let quick = deadlines.run(Duration::from_secs(5), async {
            tokio::time::sleep(Duration::from_millis(60)).await;
            9
        });
        let (slow, quick) = tokio::join!(slow, quick);
        assert_eq!((slow, quick), (None, Some(9)));
        let slots = lock(&deadlines.slots);
        assert_eq!((slots.entries.len(), slots.free.len(), slots.watching), (2, 2, 0));
    }

    #[tokio::test]
    async fn the_sweeper_stops_when_idle_and_restarts_for_the_next_request() {
        let deadlines = Arc::new(Deadlines::default());
        let waits = async { tokio::task::yield_now().await };
        deadlines.run(Duration::from_secs(1), waits).await;
        tokio::time::sleep(5 * GRANULARITY).await;
        assert!(!sweeping(&deadlines), "no sweeper without requests");
        let outcome = deadlines.run(Duration::from_millis(20), std::future::pending::<()>()).await;
        assert_eq!(outcome, None, "a new sweeper timed the next request");
    }
}
