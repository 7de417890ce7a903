//! What a call does after each attempt: shared by the async send loop and the blocking one, so
//! both retry, cap bodies and report alike.

use std::time::Duration;

use http::StatusCode;

use crate::error::{Error, TransportError, TransportErrorKind};
use crate::operation::Operation;
use crate::retry::{Attempt, RetryDecision, RetryPolicy, jitter_random};
use crate::telemetry;
use crate::transport::HttpResponse;

/// What follows an attempt.
pub(crate) enum Next {
    /// The call ends with this answer: read it.
    Read(HttpResponse),
    /// Wait this long, then try again.
    Retry(Duration),
}

/// The attempts of one call so far.
#[derive(Debug, Default)]
pub(crate) struct Attempts {
    /// Retries made (0 during the first attempt).
    pub(crate) retries_done: u32,
    /// Whether an earlier attempt ended so that the server may have acted without us knowing.
    ambiguous: bool,
}

impl Attempts {
    /// Decides what follows an attempt of `operation` that came to `outcome`. `can_wait` is
    /// false when nothing can time a wait, so there are no retries.
    pub(crate) fn after<T>(
        &mut self,
        operation: &Operation<T>,
        outcome: Result<HttpResponse, TransportError>,
        policy: &RetryPolicy,
        can_wait: bool,
        max_response_bytes: u64,
    ) -> Result<Next, Error> {
        let outcome = outcome.and_then(|response| check_size(response, max_response_bytes));
        if let Ok(response) = &outcome {
            // A success is never retried: skip the policy on the common path.
            if response.status().is_success() {
                return Ok(Next::Read(outcome?));
            }
        }
        // A body that cannot be produced again (a one-shot stream) allows one attempt only.
        if !can_wait || !operation.body().can_resend() {
            return Ok(Next::Read(outcome?));
        }
        let attempt = match &outcome {
            Ok(response) => Attempt::Answered(response.status(), response.headers()),
            Err(error) => Attempt::Failed(error),
        };
        let safe = operation.idempotency().retries_after_ambiguity();
        match policy.decide(self.retries_done, safe, attempt, jitter_random()) {
            RetryDecision::RetryAfter(wait) => {
                telemetry::retrying(operation.name(), self.retries_done + 1, &outcome, wait);
                self.ambiguous |= server_may_have_acted(&outcome);
                self.retries_done += 1;
                Ok(Next::Retry(wait))
            }
            _ => Ok(Next::Read(outcome?)),
        }
    }

    /// The call's final result, with a deletion's 404 after an ambiguous attempt marked as
    /// possibly done by that attempt.
    pub(crate) fn finish<T, U>(
        &self,
        operation: &Operation<T>,
        result: Result<U, Error>,
    ) -> Result<U, Error> {
        match result {
            Err(Error::Api(mut error))
                if self.ambiguous
                    && error.status() == StatusCode::NOT_FOUND
                    && operation.idempotency() == crate::operation::Idempotency::Deletion =>
            {
                error.mark_earlier_attempt();
                Err(Error::Api(error))
            }
            other => other,
        }
    }
}

/// Whether the server may have acted on an attempt that came to `outcome` (its answer lost, or
/// an error status that does not say it did nothing).
fn server_may_have_acted(outcome: &Result<HttpResponse, TransportError>) -> bool {
    match outcome {
        Ok(response) => {
            response.status().is_server_error() || response.status() == StatusCode::REQUEST_TIMEOUT
        }
        Err(error) => matches!(error.kind(), TransportErrorKind::Timeout | TransportErrorKind::Io),
    }
}

/// Enforces the body cap for transports that did not (the hyper transport stops reading).
fn check_size(response: HttpResponse, cap: u64) -> Result<HttpResponse, TransportError> {
    if response.body().len() as u64 > cap {
        return Err(TransportError::with_message(
            TransportErrorKind::BodyTooLarge,
            format!("the response body is over the {cap}-byte cap"),
        ));
    }
    Ok(response)
}

/// The error of a call whose deadline passed.
pub(crate) fn deadline_passed(limit: Duration) -> Error {
    Error::Transport(TransportError::with_message(
        TransportErrorKind::Timeout,
        format!("the call's deadline of {} ms passed", limit.as_millis()),
    ))
}
