//! Webhooks: `client.webhooks()`, verified with the configured secret (the SDKs'
//! `client.webhooks.unwrap` / `unsafeUnwrap`).
//!
//! ```
//! use imagekit_core::webhook::WebhookEvent;
//!
//! let config = imagekit_core::Config::builder()
//!     .private_key("private_key")
//!     .webhook_secret("whsec_c2VjcmV0Cg==")
//!     .clock(imagekit_core::FixedClock(1_700_000_060))
//!     .build()?;
//! let body = r#"{"id":"id","type":"file.deleted","created_at":"2023-11-14T22:13:20.000Z","data":{"fileId":"598821f949c0a938d57563bd"}}"#;
//! let mut headers = http::HeaderMap::new();
//! headers.insert("webhook-id", "msg_2Lh9KRb0pzN4LePd3XiA4xN6VJZ".parse()?);
//! headers.insert("webhook-timestamp", "1700000000".parse()?);
//! headers.insert("webhook-signature", "v1,ISMOMVthL1XrSmlZhf/32IFQDXlJB11kw2BA081WDSg=".parse()?);
//!
//! let verified = config.webhooks().unwrap(&headers, body)?;
//! assert!(matches!(verified.event, WebhookEvent::FileDeleted(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::caller::Caller;
use crate::resources::handle::resource;
use crate::webhook::{VerifiedWebhook, WebhookError, WebhookEvent, WebhookVerifier, parse_event};

resource! {
    /// Webhook verification with the configured secret, from `webhooks()`. Nothing here sends a
    /// request.
    Webhooks
}

impl<C: Caller> Webhooks<C> {
    /// Verifies a webhook with the configured secret (`IMAGEKIT_WEBHOOK_SECRET`, or the
    /// builder's `webhook_secret`) and types its event. Either signature scheme is accepted;
    /// the timestamp must be within 5 minutes of the configured clock. Give the request's
    /// headers and its raw body, unchanged.
    pub fn unwrap(
        &self,
        headers: &http::HeaderMap,
        body: impl AsRef<[u8]>,
    ) -> Result<VerifiedWebhook, WebhookError> {
        self.verifier()?.verify(headers, body)
    }

    /// Types a webhook's event WITHOUT checking its signature: only for bodies verified
    /// elsewhere, or for tests. Use [`Webhooks::unwrap`] on anything received over the network.
    pub fn unsafe_unwrap(&self, body: impl AsRef<[u8]>) -> Result<WebhookEvent, WebhookError> {
        parse_event(body)
    }

    /// A verifier with the configured secret and clock, to change its tolerance.
    pub fn verifier(&self) -> Result<WebhookVerifier, WebhookError> {
        let config = self.caller.config();
        let secret = config.settings().webhook_secret.as_deref().ok_or(WebhookError::NoSecret)?;
        let verifier = WebhookVerifier::new(secret);
        Ok(match config.clock().now_unix() {
            Some(now) => verifier.now_unix(now),
            None => verifier,
        })
    }
}
