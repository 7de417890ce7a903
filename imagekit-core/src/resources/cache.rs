//! The CDN cache: `client.cache().invalidation()`.

use http::Method;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{JobStatus, PurgeRequest, PurgeStatus};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::background::{Backoff, Polling};
use crate::resources::folders::no_sleeper;
use crate::resources::handle::check_not_empty;
use crate::resources::handle::resource;

resource! {
    /// Cache operations, from [`crate::Client::cache`].
    Cache
}

impl<C: Caller> Cache<C> {
    /// Purging cached URLs and following the purges.
    pub fn invalidation(&self) -> Invalidation<C> {
        Invalidation::new(self.caller.clone())
    }
}

resource! {
    /// Cache purges, from [`Cache::invalidation`].
    Invalidation
}

#[derive(Serialize)]
struct Purge<'a> {
    url: &'a str,
}

impl<C: Caller> Invalidation<C> {
    /// Purges a URL (a `*` suffix purges a prefix) from the CDN cache. ImageKit answers 201.
    ///
    /// `POST /v1/files/purge`
    pub fn create(&self, url: &str) -> C::Call<PurgeRequest> {
        let op = check_not_empty("url", url).and_then(|()| {
            // Purging twice purges once: safe to retry.
            Operation::json("purge-cache", Method::POST, ApiPath::new("/v1/files/purge"))
                .with_idempotency(Idempotency::Idempotent)
                .json_body(&Purge { url })
        });
        self.caller.call(op)
    }

    /// Where a purge request stands.
    ///
    /// `GET /v1/files/purge/{requestId}`
    pub fn get(&self, request_id: &str) -> C::Call<PurgeStatus> {
        let op = ApiPath::new("/v1/files/purge")
            .id("requestId", request_id)
            .map(|p| Operation::json("purge-status", Method::GET, p));
        self.caller.call(op)
    }
}

/// Waiting for a purge, on the async client.
impl Invalidation<crate::client::Client> {
    /// Polls the purge until it is completed, and returns its final state; as
    /// `folders().job().wait(..)`.
    pub async fn wait(&self, request_id: &str, polling: Polling) -> Result<PurgeStatus, Error> {
        let sleeper = self.caller.inner.sleeper.clone().ok_or_else(no_sleeper)?;
        let mut backoff = Backoff::new(polling);
        loop {
            let status = self.get(request_id).await?;
            if status.status == Some(JobStatus::Completed) {
                return Ok(status);
            }
            let wait = backoff.next_wait().ok_or_else(|| backoff.gave_up(&format!("purge {request_id}")))?;
            sleeper.sleep(wait).await;
        }
    }
}

/// Waiting for a purge, on the blocking client.
#[cfg(not(target_arch = "wasm32"))]
impl Invalidation<crate::blocking::BlockingClient> {
    /// Polls the purge until it is completed, sleeping the thread between polls.
    pub fn wait(&self, request_id: &str, polling: Polling) -> Result<PurgeStatus, Error> {
        let mut backoff = Backoff::new(polling);
        loop {
            let status = self.get(request_id)?;
            if status.status == Some(JobStatus::Completed) {
                return Ok(status);
            }
            let wait = backoff.next_wait().ok_or_else(|| backoff.gave_up(&format!("purge {request_id}")))?;
            std::thread::sleep(wait);
        }
    }
}
