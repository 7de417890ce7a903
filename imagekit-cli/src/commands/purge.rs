//! `imagekit purge URL [--wait]`: a CDN cache purge, and its completion if asked.

use std::time::Duration;

use imagekit_core::Client;
use imagekit_core::resources::background::Polling;
use serde_json::json;

use crate::args::Purge;
use crate::failure::Failure;
use crate::output;

/// Sends the purge; with `--wait`, polls it through the library's `wait` (its back-off, within
/// `--wait-timeout`) until ImageKit says it is completed.
pub(crate) async fn run(client: &Client, args: &Purge, json: bool) -> Result<(), Failure> {
    let invalidation = client.cache().invalidation();
    let request = invalidation.create(&args.url).await?;
    let Some(request_id) = request.request_id.clone() else {
        return Err(Failure::failed("ImageKit accepted the purge but gave no request id to follow"));
    };
    if !args.wait {
        return if json {
            output::json(&request)
        } else {
            output::line(format!("purge requested: {}", crate::failure::escape(&request_id)))
        };
    }
    if !json {
        output::line(format!("purge requested: {}; waiting", crate::failure::escape(&request_id)))?;
    }
    let polling = Polling::within(Duration::from_secs(args.wait_timeout));
    let status = invalidation.wait(&request_id, polling).await?;
    if json {
        output::json(&json!({"requestId": request_id, "status": status.status}))
    } else {
        output::line(format!("purge {} completed", crate::failure::escape(&request_id)))
    }
}
