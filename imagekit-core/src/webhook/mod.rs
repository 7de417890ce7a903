//! Verifying and parsing ImageKit webhooks.
//!
//! Two signature schemes are in use, and [`WebhookVerifier::verify`] accepts both:
//!
//! * the current one, after Standard Webhooks: headers `webhook-id`, `webhook-timestamp`
//!   (Unix seconds) and `webhook-signature` (`v1,<base64>`, space-separated), HMAC-SHA256 over
//!   `id.timestamp.body`;
//! * the legacy `x-ik-signature: t=<unix ms>,v1=<hex>`, HMAC-SHA256 over `t.body`.
//!
//! In both, the HMAC key is the UTF-8 bytes of the whole secret as shown in the dashboard,
//! `whsec_` prefix included. That is what the official SDKs do (they do not base64-decode
//! the part after `whsec_` as the Standard Webhooks spec would), so it is what ImageKit
//! signatures verify against.
//!
//! ```
//! use imagekit_core::webhook::{WebhookEvent, WebhookVerifier};
//!
//! let body = r#"{"id":"id","type":"file.deleted","created_at":"2023-11-14T22:13:20.000Z","data":{"fileId":"598821f949c0a938d57563bd"}}"#;
//! let mut headers = http::HeaderMap::new();
//! headers.insert("webhook-id", "msg_2Lh9KRb0pzN4LePd3XiA4xN6VJZ".parse()?);
//! headers.insert("webhook-timestamp", "1700000000".parse()?);
//! headers.insert("webhook-signature", "v1,ISMOMVthL1XrSmlZhf/32IFQDXlJB11kw2BA081WDSg=".parse()?);
//!
//! let verified = WebhookVerifier::new("whsec_c2VjcmV0Cg==")
//!     .now_unix(1_700_000_060) // optional: the system clock is used otherwise
//!     .verify(&headers, body)?;
//! match verified.event {
//!     WebhookEvent::FileDeleted(event) => assert_eq!(event.data.file_id, "598821f949c0a938d57563bd"),
//!     other => panic!("unexpected event {}", other.event_type()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod events;
mod verify;

pub use error::WebhookError;
pub use events::*;
pub use verify::{DEFAULT_TOLERANCE, VerifiedWebhook, WebhookScheme, WebhookVerifier};
