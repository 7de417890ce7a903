//! Signed webhooks for tests of webhook handlers: the headers ImageKit would send with a body,
//! in either signature scheme, so a test needs no HMAC code of its own.
//!
//! ```
//! use imagekit_mock::webhooks;
//!
//! let body = webhooks::event_body("file.deleted", serde_json::json!({"fileId": "f1"}));
//! let headers = webhooks::sign_standard("whsec_test", "msg_1", 1_700_000_000, &body);
//! let verifier = imagekit_core::webhook::WebhookVerifier::new("whsec_test").now_unix(1_700_000_030);
//! let verified = verifier.verify(&headers, &body).unwrap();
//! assert_eq!(verified.event.event_type(), "file.deleted");
//! ```

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use sha2::Sha256;

/// HMAC-SHA256 of the parts, keyed with the whole secret as ImageKit keys it (its UTF-8 bytes,
/// `whsec_` included).
fn hmac(secret: &str, parts: &[&[u8]]) -> Vec<u8> {
    // HMAC takes keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return Vec::new() };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

fn value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

/// The headers of the current scheme: `webhook-id`, `webhook-timestamp` (Unix seconds) and
/// `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`).
pub fn sign_standard(secret: &str, webhook_id: &str, timestamp: u64, body: impl AsRef<[u8]>) -> HeaderMap {
    let timestamp = timestamp.to_string();
    let mac = hmac(secret, &[webhook_id.as_bytes(), b".", timestamp.as_bytes(), b".", body.as_ref()]);
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", value(webhook_id));
    headers.insert("webhook-timestamp", value(&timestamp));
    headers.insert(
        "webhook-signature",
        value(&format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac))),
    );
    headers
}

/// The header of the legacy scheme: `x-ik-signature: t=<Unix ms>,v1=<hex HMAC-SHA256 of t.body>`.
pub fn sign_legacy(secret: &str, timestamp_ms: u64, body: impl AsRef<[u8]>) -> HeaderMap {
    let t = timestamp_ms.to_string();
    let mac = hmac(secret, &[t.as_bytes(), b".", body.as_ref()]);
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    let mut headers = HeaderMap::new();
    headers.insert("x-ik-signature", value(&format!("t={t},v1={hex}")));
    headers
}

/// A webhook body of `event_type` with `data`, shaped as ImageKit sends them.
pub fn event_body(event_type: &str, data: serde_json::Value) -> String {
    serde_json::json!({
        "id": "b3f2e1d0-0000-4000-8000-000000000001",
        "type": event_type,
        "created_at": "2025-01-01T00:00:00.000Z",
        "data": data,
    })
    .to_string()
}
