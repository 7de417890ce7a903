//! The async send loop: build the request of an attempt, send it, decide what follows
//! ([`crate::attempt`]), sleep, repeat; then read the last answer.
//!
//! It is one hand-written future rather than an `async fn`, so its type can be named: a
//! [`crate::Call`] can then be awaited without boxing its future, and each call allocates only
//! what its transport does. It owns a clone of the client and borrows nothing, so it can be
//! spawned, and needs no pinning and no `unsafe`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::attempt::{Attempts, Next, deadline_passed};
use crate::client::{CallOptions, Client};
use crate::error::{Error, TransportError};
use crate::operation::Operation;
use crate::response::ApiResponse;
use crate::runtime::BoxFuture;
use crate::telemetry::{CallSpan, Started};
use crate::transport::HttpResponse;

/// How a call reads its final answer: into the value alone, or with its metadata.
type Read<T, U> = fn(&Operation<T>, HttpResponse) -> Result<U, Error>;

/// The future of one call: what awaiting a [`crate::Call`] (or an upload) runs.
///
/// Retries, timeouts and the deadline are those of the client, as overridden for the call. It
/// is `'static`, and `Send` where the target has threads, so it can be spawned.
#[must_use = "a call does nothing until it is awaited"]
pub struct CallFuture<T, U> {
    call: Result<Driver<T, U>, Option<Error>>,
}

impl<T, U> CallFuture<T, U> {
    pub(crate) fn new(
        client: Client,
        operation: Result<Operation<T>, Error>,
        mut options: CallOptions,
        read: Read<T, U>,
    ) -> Self {
        let operation = operation.and_then(|operation| options.apply(operation));
        let call = operation.map_err(Some).map(|operation| Driver {
            span: CallSpan::new(operation.name()),
            run: Run {
                client,
                operation,
                options,
                read,
                state: State::Start,
                attempts: Attempts::default(),
                deadline: None,
                started: None,
            },
        });
        Self { call }
    }
}

impl<T, U> Future for CallFuture<T, U> {
    type Output = Result<U, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().call {
            Ok(driver) => driver.poll(cx),
            // The operation could not be described (bad input): nothing is sent.
            Err(error) => Poll::Ready(Err(error.take().unwrap_or_else(polled_after_completion))),
        }
    }
}

impl<T, U> fmt::Debug for CallFuture<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("CallFuture");
        match &self.call {
            Ok(Driver { run, .. }) => out
                .field("operation", &run.operation.name())
                .field("retries_done", &run.attempts.retries_done)
                .field("state", &run.state.name()),
            Err(error) => out.field("error", error),
        };
        out.finish_non_exhaustive()
    }
}

/// A call in progress: its span apart, so it can be entered while the run changes.
struct Driver<T, U> {
    span: CallSpan,
    run: Run<T, U>,
}

impl<T, U> Driver<T, U> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<U, Error>> {
        let _entered = self.span.enter();
        self.run.poll(cx, &self.span)
    }
}

struct Run<T, U> {
    client: Client,
    operation: Operation<T>,
    options: CallOptions,
    read: Read<T, U>,
    state: State,
    attempts: Attempts,
    /// The whole call's deadline and its timer, from the first poll on.
    deadline: Option<(Duration, BoxFuture<'static, ()>)>,
    /// When the attempt in flight was sent, for the log.
    started: Option<Started>,
}

enum State {
    /// Not polled yet.
    Start,
    /// About to build and send an attempt.
    Attempt,
    /// The transport has the attempt.
    Sending(BoxFuture<'static, Result<HttpResponse, TransportError>>),
    /// Waiting before the next attempt.
    Waiting(BoxFuture<'static, ()>),
    /// Finished.
    Done,
}

impl State {
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

impl<T, U> Run<T, U> {
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
        Poll::Ready(Err(deadline_passed(limit)))
    }

    fn drive(&mut self, cx: &mut Context<'_>, span: &CallSpan) -> Poll<Result<U, Error>> {
        loop {
            // Taken out and put back when pending, so each arm owns its future.
            match std::mem::replace(&mut self.state, State::Done) {
                State::Start => {
                    if let Err(error) = self.start_deadline() {
                        return Poll::Ready(Err(error));
                    }
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
                    if let (Ok(response), Some(started)) = (&outcome, self.started.take()) {
                        span.answered(response);
                        crate::telemetry::answered(self.operation.name(), response, started);
                    }
                    let inner = &*self.client.inner;
                    let policy = inner.defaults.retry(&self.options);
                    let max = inner.config.max_response_bytes();
                    let sleeper = inner.sleeper.as_ref();
                    match self.attempts.after(&self.operation, outcome, policy, sleeper.is_some(), max) {
                        Ok(Next::Read(response)) => {
                            let result = (self.read)(&self.operation, response);
                            return Poll::Ready(self.attempts.finish(&self.operation, result));
                        }
                        Ok(Next::Retry(wait)) => match sleeper {
                            Some(sleeper) => self.state = State::Waiting(sleeper.sleep(wait)),
                            None => self.state = State::Attempt,
                        },
                        Err(error) => return Poll::Ready(Err(error)),
                    }
                }
                State::Waiting(mut waiting) => {
                    if waiting.as_mut().poll(cx).is_pending() {
                        self.state = State::Waiting(waiting);
                        return Poll::Pending;
                    }
                    self.state = State::Attempt;
                }
                State::Done => return Poll::Ready(Err(polled_after_completion())),
            }
        }
    }

    /// Starts the deadline's timer, when the call has a deadline. The client was refused at
    /// build time if it could have one but no sleeper; a per-call deadline is refused here.
    fn start_deadline(&mut self) -> Result<(), Error> {
        let inner = &*self.client.inner;
        let Some(limit) = inner.defaults.deadline(&self.options) else { return Ok(()) };
        let Some(sleeper) = &inner.sleeper else {
            return Err(Error::invalid_input(
                "deadline",
                "needs a sleeper to time it, and this client has none: give one with ClientBuilder::sleeper",
            ));
        };
        self.deadline = Some((limit, sleeper.sleep(limit)));
        Ok(())
    }

    /// Builds this attempt's request and hands it to the transport.
    fn send_attempt(
        &mut self,
        span: &CallSpan,
    ) -> Result<BoxFuture<'static, Result<HttpResponse, TransportError>>, Error> {
        let inner = &*self.client.inner;
        span.attempt(self.attempts.retries_done + 1);
        let timeout = inner.defaults.attempt_timeout(&self.operation, &self.options);
        let mut options = self.operation.request_options(&inner.config, timeout);
        if self.operation.body().is_streamed() {
            options.idle_timeout = inner.defaults.upload_idle_timeout;
        }
        let request = self.operation.to_request(&inner.config)?;
        self.started = Some(crate::telemetry::request(self.operation.name(), &request));
        Ok(inner.transport.clone().send_owned(request, options))
    }
}

impl Client {
    /// Runs one operation: build the request, send it, retry as the policy says, read the
    /// answer with its metadata. The deadline, when there is one, bounds all of it. It is the
    /// loop a [`crate::Call`] runs, for operations built by hand.
    ///
    /// ```
    /// use imagekit_core::operation::{ApiPath, Operation};
    /// use imagekit_core::{CallOptions, Client};
    /// use imagekit_mock::ScriptedTransport;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), imagekit_core::Error> {
    /// let transport = ScriptedTransport::new();
    /// transport.push_json(200, serde_json::json!({"id": "t1"}));
    /// let client = Client::builder().private_key("private_k").transport(transport.clone()).build()?;
    ///
    /// let path = ApiPath::new("/v1/things");
    /// let create = Operation::<serde_json::Value>::json("create-thing", http::Method::POST, path);
    /// let answer = client.execute(create, CallOptions::default()).await?;
    /// assert_eq!(answer.data["id"], "t1");
    /// assert_eq!(answer.meta.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn execute<T>(&self, operation: Operation<T>, options: CallOptions) -> CallFuture<T, ApiResponse<T>> {
        CallFuture::new(self.clone(), Ok(operation), options, Operation::parse_with_meta)
    }
}

/// What a call's future answers if it is polled again after it finished.
fn polled_after_completion() -> Error {
    Error::invalid_input("call", "its future was polled again after it completed")
}
