//! Helpers for work ImageKit does in the background or in pieces, which no official SDK has:
//! waiting for folder jobs and cache purges, and bulk operations over more files than one
//! request takes. Shared by the async and the blocking client.

use std::time::Duration;

use http::StatusCode;

use crate::error::{Error, TransportError, TransportErrorKind};
use crate::models::{BulkItemError, BulkResult};

/// How `wait` polls: first after `initial`, then half as long again each time up to `max`,
/// giving up once the next poll would pass `deadline`.
///
/// ```
/// use std::time::Duration;
/// let patient = imagekit_core::resources::background::Polling::within(Duration::from_secs(600));
/// # let _ = patient;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Polling {
    /// How long to wait in all for the work to finish.
    pub deadline: Duration,
    /// The wait before the second poll (the first is at once).
    pub initial: Duration,
    /// The longest wait between polls.
    pub max: Duration,
}

impl Default for Polling {
    /// Five minutes in all, polling after 0.5 s, then up to every 10 s.
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(300),
            initial: Duration::from_millis(500),
            max: Duration::from_secs(10),
        }
    }
}

impl Polling {
    /// The default polling, giving up after `deadline`.
    pub fn within(deadline: Duration) -> Self {
        Self { deadline, ..Self::default() }
    }

    /// The same polling with other intervals.
    pub fn intervals(mut self, initial: Duration, max: Duration) -> Self {
        self.initial = initial;
        self.max = max;
        self
    }
}

/// The waits of one `wait`.
#[derive(Debug)]
pub(crate) struct Backoff {
    polling: Polling,
    waited: Duration,
    next: Duration,
}

impl Backoff {
    pub(crate) fn new(polling: Polling) -> Self {
        Self { polling, waited: Duration::ZERO, next: polling.initial }
    }

    /// The wait before the next poll, or `None` when it would pass the deadline.
    pub(crate) fn next_wait(&mut self) -> Option<Duration> {
        let wait = self.next.min(self.polling.max);
        if self.waited + wait > self.polling.deadline {
            return None;
        }
        self.waited += wait;
        self.next = wait.mul_f64(1.5);
        Some(wait)
    }

    /// The error of a wait that ran out of time while the work was still running.
    pub(crate) fn gave_up(&self, what: &str) -> Error {
        Error::Transport(TransportError::with_message(
            TransportErrorKind::Timeout,
            format!("{what} was still pending after {} s of waiting", self.waited.as_secs()),
        ))
    }
}

/// What a bulk operation over many files does with one request's outcome.
pub(crate) enum ChunkStep {
    /// Done with this chunk.
    Next,
    /// Send what is left of this chunk again (the files ImageKit could not find are taken out).
    Again,
}

/// Takes one chunk's outcome into the merged `result`. A 404 that lists missing files records
/// them as errors and asks to send the rest of the chunk again (ImageKit acts on none of a
/// chunk's files when some are missing); another failure records every file of the chunk with
/// the reason, unless it would fail every chunk alike (no or wrong credentials, bad input), which
/// ends the whole operation.
pub(crate) fn absorb<K>(
    result: &mut BulkResult<K>,
    pending: &mut Vec<String>,
    outcome: Result<BulkResult<K>, Error>,
) -> Result<ChunkStep, Error> {
    let error = match outcome {
        Ok(done) => {
            result.merge(done);
            return Ok(ChunkStep::Next);
        }
        Err(error) => error,
    };
    if let Error::Api(api) = &error {
        let missing: Vec<String> = api.missing_file_ids().into_iter().map(str::to_owned).collect();
        let known = !missing.is_empty() && missing.iter().all(|id| pending.contains(id));
        if api.status() == StatusCode::NOT_FOUND && known {
            for id in &missing {
                result.errors.push(item_error(id, "the file does not exist"));
            }
            result.partial = true;
            pending.retain(|id| !missing.contains(id));
            return Ok(if pending.is_empty() { ChunkStep::Next } else { ChunkStep::Again });
        }
        if matches!(api.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            return Err(error);
        }
    }
    if matches!(error, Error::InvalidInput(_)) {
        return Err(error);
    }
    let reason = error.report().to_string();
    for id in pending.iter() {
        result.errors.push(item_error(id, &reason));
    }
    result.partial = true;
    Ok(ChunkStep::Next)
}

fn item_error(file_id: &str, reason: &str) -> BulkItemError {
    BulkItemError {
        file_id: Some(file_id.to_owned()),
        error: Some(reason.to_owned()),
        ..BulkItemError::default()
    }
}
