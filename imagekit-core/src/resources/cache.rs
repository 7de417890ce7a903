//! The CDN cache: `client.cache().invalidation()`.

use http::Method;
use serde::Serialize;

use crate::client::{Call, Client};
use crate::models::{PurgeRequest, PurgeStatus};
use crate::operation::{ApiPath, Operation};
use crate::resources::check_not_empty;

/// Cache operations, from [`Client::cache`].
#[derive(Clone, Copy, Debug)]
pub struct Cache<'c> {
    pub(crate) client: &'c Client,
}

impl<'c> Cache<'c> {
    /// Purging cached URLs and following the purges.
    pub fn invalidation(&self) -> Invalidation<'c> {
        Invalidation { client: self.client }
    }
}

/// Cache purges, from [`Cache::invalidation`].
#[derive(Clone, Copy, Debug)]
pub struct Invalidation<'c> {
    client: &'c Client,
}

#[derive(Serialize)]
struct Purge<'a> {
    url: &'a str,
}

impl<'c> Invalidation<'c> {
    /// Purges a URL (a `*` suffix purges a prefix) from the CDN cache. ImageKit answers 201.
    ///
    /// `POST /v1/files/purge`
    pub fn create(&self, url: &str) -> Call<'c, PurgeRequest> {
        let op = check_not_empty("url", url).and_then(|()| {
            // Purging twice purges once: safe to retry.
            Operation::json("purge-cache", Method::POST, ApiPath::new("/v1/files/purge"))
                .idempotent(true)
                .json_body(&Purge { url })
        });
        self.client.call(op)
    }

    /// Where a purge request stands.
    ///
    /// `GET /v1/files/purge/{requestId}`
    pub fn get(&self, request_id: &str) -> Call<'c, PurgeStatus> {
        let op = ApiPath::new("/v1/files/purge")
            .id("requestId", request_id)
            .map(|p| Operation::json("purge-status", Method::GET, p));
        self.client.call(op)
    }
}
