//! The send loop: build the request of an attempt, send it, enforce the body cap, ask the retry
//! policy, sleep, repeat; then read the last answer.
//!
//! It is one hand-written future rather than an `async fn`, so its type can be named: a [`Call`]
//! can then be awaited without boxing its future, and each call allocates only what its
//! transport does. Nothing in it borrows from itself (each attempt's request is built from the
//! operation and handed over), so it needs no pinning and no `unsafe`.
//!
//! [`Call`]: crate::Call

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::client::{CallOptions, Client};
use crate::error::Error;
use crate::operation::Operation;
use crate::retry::{Attempt, RetryDecision, jitter_random};
use crate::telemetry::CallSpan;
use crate::transport::{BoxFuture, HttpResponse, TransportError, TransportErrorKind};

/// How a call reads its final answer: into the value alone, or with its metadata.
type Read<T, U> = fn(&Operation<T>, HttpResponse) -> Result<U, Error>;

/// The future of one call: what awaiting a [`crate::Call`] (or [`crate::UploadCall`]) runs.
///
/// Retries, timeouts and the deadline are those of the client, as overridden for the call.
#[must_use = "a call does nothing until it is awaited"]
pub struct CallFuture<'c, T, U> {
    call: Result<Driver<'c, T, U>, Option<Error>>,
}

impl<'c, T, U> CallFuture<'c, T, U> {
    pub(crate) fn new(
        client: &'c Client,
        operation: Result<Operation<T>, Error>,
        options: CallOptions,
        read: Read<T, U>,
    ) -> Self {
        let call = operation.map_err(Some).map(|operation| Driver {
            span: CallSpan::new(operation.name()),
            run: Run {
                client,
                operation,
                options,
                read,
                state: State::Start,
                retries_done: 0,
                deadline: None,
            },
        });
        Self { call }
    }
}

impl<T, U> Future for CallFuture<'_, T, U> {
    type Output = Result<U, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().call {
            Ok(driver) => driver.poll(cx),
            // The operation could not be described (bad input): nothing is sent.
            Err(error) => Poll::Ready(Err(error.take().unwrap_or_else(polled_after_completion))),
        }
    }
}

impl<T, U> fmt::Debug for CallFuture<'_, T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("CallFuture");
        match &self.call {
            Ok(Driver { run, .. }) => out
                .field("operation", &run.operation.name())
                .field("retries_done", &run.retries_done)
                .field("state", &run.state.name()),
            Err(error) => out.field("error", error),
        };
        out.finish_non_exhaustive()
    }
}

/// A call in progress: its span apart, so it can be entered while the run changes.
struct Driver<'c, T, U> {
    span: CallSpan,
    run: Run<'c, T, U>,
}

impl<T, U> Driver<'_, T, U> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<U, Error>> {
        let _entered = self.span.enter();
        self.run.poll(cx, &self.span)
    }
}

struct Run<'c, T, U> {
    client: &'c Client,
    operation: Operation<T>,
    options: CallOptions,
    read: Read<T, U>,
    state: State<'c>,
    retries_done: u32,
    /// The whole call's deadline and its timer, from the first poll on.
    deadline: Option<(Duration, BoxFuture<'static, ()>)>,
}

enum State<'c> {
    /// Not polled yet.
    Start,
    /// About to build and send an attempt.
    Attempt,
    /// The transport has the attempt.
    Sending(BoxFuture<'c, Result<HttpResponse, TransportError>>),
    /// Waiting before the next attempt.
    Waiting(BoxFuture<'static, ()>),
    /// Finished.
    Done,
}

impl State<'_> {
    fn name(&self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Attempt => "attempt",
            Self::Sending(_) => "sending",
            Self::Waiting(_) => "waiting to retry",
            Self::Done => "done",
        }
    }
}

/// What follows an attempt.
enum Next {
    /// Read this answer: the call ends with it.
    Read(HttpResponse),
    /// Wait this long, then try again.
    Wait(BoxFuture<'static, ()>),
}

impl<'c, T, U> Run<'c, T, U> {
    fn poll(&mut self, cx: &mut Context<'_>, span: &CallSpan) -> Poll<Result<U, Error>> {
        let outcome = self.drive(cx, span);
        if outcome.is_ready() {
            self.state = State::Done;
            return outcome;
        }
        // Looked at after the work, so an answer that is already there wins.
        let Some((limit, timer)) = &mut self.deadline else { return Poll::Pending };
        if timer.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        let limit = *limit;
        // Dropping the state drops the attempt in flight or the wait.
        self.state = State::Done;
        self.deadline = None;
        Poll::Ready(Err(Error::Transport(TransportError::with_message(
            TransportErrorKind::Timeout,
            format!("the call's deadline of {} ms passed", limit.as_millis()),
        ))))
    }

    fn drive(&mut self, cx: &mut Context<'_>, span: &CallSpan) -> Poll<Result<U, Error>> {
        loop {
            // Taken out and put back when pending, so each arm owns its future.
            match std::mem::replace(&mut self.state, State::Done) {
                State::Start => {
                    self.start_deadline();
                    self.state = State::Attempt;
                }
                State::Attempt => match self.send_attempt(span) {
                    Ok(sending) => self.state = State::Sending(sending),
                    Err(error) => return Poll::Ready(Err(error)),
                },
                State::Sending(mut sending) => {
                    let Poll::Ready(outcome) = sending.as_mut().poll(cx) else {
                        self.state = State::Sending(sending);
                        return Poll::Pending;
                    };
                    drop(sending);
                    match self.after(outcome, span) {
                        Ok(Next::Read(response)) => {
                            return Poll::Ready((self.read)(&self.operation, response));
                        }
                        Ok(Next::Wait(waiting)) => self.state = State::Waiting(waiting),
                        Err(error) => return Poll::Ready(Err(error)),
                    }
                }
                State::Waiting(mut waiting) => {
                    if waiting.as_mut().poll(cx).is_pending() {
                        self.state = State::Waiting(waiting);
                        return Poll::Pending;
                    }
                    self.retries_done += 1;
                    self.state = State::Attempt;
                }
                State::Done => return Poll::Ready(Err(polled_after_completion())),
            }
        }
    }

    /// Starts the deadline's timer, when the call has a deadline and the client a sleeper.
    fn start_deadline(&mut self) {
        let config = self.client.config();
        if let (Some(limit), Some(sleeper)) = (self.options.deadline.or(config.deadline), &config.sleeper) {
            self.deadline = Some((limit, sleeper.sleep(limit)));
        }
    }

    /// Builds this attempt's request and hands it to the transport.
    fn send_attempt(
        &self,
        span: &CallSpan,
    ) -> Result<BoxFuture<'c, Result<HttpResponse, TransportError>>, Error> {
        let (client, operation): (&'c Client, _) = (self.client, &self.operation);
        span.attempt(self.retries_done + 1);
        let timeout = self.options.timeout.or(client.config().timeout);
        let options = operation.request_options(client, timeout);
        let transport = &client.config().transport;
        Ok(if operation.body().is_streamed() {
            transport.send_streaming_with(operation.build_streaming_request(client)?, options)
        } else {
            transport.send_with(operation.build_request(client)?, options)
        })
    }

    /// Decides what follows an attempt that came to `outcome`.
    fn after(&self, outcome: Result<HttpResponse, TransportError>, span: &CallSpan) -> Result<Next, Error> {
        let config = self.client.config();
        let outcome = outcome.and_then(|response| self.client.check_size(response));
        if let Ok(response) = &outcome {
            span.answered(response);
            // A success is never retried: skip the policy on the common path.
            if response.status().is_success() {
                return Ok(Next::Read(outcome?));
            }
        }
        // A body that cannot be produced again (a one-shot stream) allows one attempt only.
        let resendable = self.operation.body().can_resend();
        let Some(sleeper) = config.sleeper.as_ref().filter(|_| resendable) else {
            return Ok(Next::Read(outcome?));
        };
        let attempt = match &outcome {
            Ok(response) => Attempt::Answered(response.status(), response.headers()),
            Err(error) => Attempt::Failed(error),
        };
        let policy = self.options.retry.as_ref().unwrap_or(&config.retry);
        match policy.decide(self.retries_done, self.operation.is_idempotent(), attempt, jitter_random()) {
            RetryDecision::RetryAfter(wait) => Ok(Next::Wait(sleeper.sleep(wait))),
            _ => Ok(Next::Read(outcome?)),
        }
    }
}

/// What a call's future answers if it is polled again after it finished.
fn polled_after_completion() -> Error {
    Error::invalid_input("call", "its future was polled again after it completed")
}
