//! [`WebhookVerifier`]: checks the signature and age of a webhook, then types its event.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::webhook::error::WebhookError;
use crate::webhook::events::{WebhookEvent, parse_body};

/// How far a webhook's timestamp may be from now before it is refused (5 minutes).
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Which signature scheme a webhook used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookScheme {
    /// `webhook-id` / `webhook-timestamp` / `webhook-signature`.
    Standard,
    /// `x-ik-signature: t=…,v1=…`.
    Legacy,
}

/// A webhook whose signature and timestamp checked out.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedWebhook {
    /// The scheme it was signed with.
    pub scheme: WebhookScheme,
    /// The `webhook-id` header (Standard scheme only); use it to drop duplicate deliveries.
    pub webhook_id: Option<String>,
    /// The signed timestamp in Unix milliseconds (the Standard scheme has second precision).
    pub timestamp_ms: u64,
    /// The typed event.
    pub event: WebhookEvent,
    /// The whole body as JSON, including fields this crate does not model.
    pub raw: Value,
}

/// Checks webhook signatures with the endpoint's secret.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: String,
    tolerance: Duration,
    now_unix: Option<u64>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .field("now_unix", &self.now_unix)
            .finish()
    }
}

const H_ID: &str = "webhook-id";
const H_TIMESTAMP: &str = "webhook-timestamp";
const H_SIGNATURE: &str = "webhook-signature";
const H_LEGACY: &str = "x-ik-signature";

fn header<'a>(headers: &'a http::HeaderMap, name: &'static str) -> Result<Option<&'a str>, WebhookError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(Some)
            .map_err(|_| WebhookError::InvalidHeader { name, reason: "not visible ASCII".to_owned() }),
    }
}

fn parse_digits(name: &'static str, value: &str) -> Result<u64, WebhookError> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::InvalidHeader {
            name,
            reason: format!("expected a Unix timestamp, got {value:?}"),
        });
    }
    value
        .parse()
        .map_err(|_| WebhookError::InvalidHeader { name, reason: "timestamp out of range".to_owned() })
}

impl crate::models::Webhook {
    /// A verifier for the events this subscription receives, from its secret; `None` when the
    /// answer carried no secret. (Defined beside the verifier so models stay below webhooks.)
    pub fn verifier(&self) -> Option<WebhookVerifier> {
        self.secret.as_ref().map(WebhookVerifier::new)
    }
}

impl WebhookVerifier {
    /// A verifier for `secret` (`whsec_…`), with the default 5-minute tolerance.
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookVerifier { secret: secret.into(), tolerance: DEFAULT_TOLERANCE, now_unix: None }
    }

    /// How far the signed timestamp may be from now, in either direction.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Uses this Unix time (seconds) as "now" instead of the system clock.
    pub fn now_unix(mut self, now_unix: u64) -> Self {
        self.now_unix = Some(now_unix);
        self
    }

    /// Verifies a request given its headers and raw body, using whichever scheme it carries
    /// (Standard if `webhook-signature` is present, else legacy `x-ik-signature`).
    pub fn verify(
        &self,
        headers: &http::HeaderMap,
        body: impl AsRef<[u8]>,
    ) -> Result<VerifiedWebhook, WebhookError> {
        if let Some(signature) = header(headers, H_SIGNATURE)? {
            let id = header(headers, H_ID)?.ok_or(WebhookError::MissingHeader { name: H_ID })?;
            let timestamp =
                header(headers, H_TIMESTAMP)?.ok_or(WebhookError::MissingHeader { name: H_TIMESTAMP })?;
            return self.verify_standard(id, timestamp, signature, body);
        }
        if let Some(signature) = header(headers, H_LEGACY)? {
            return self.verify_legacy(signature, body);
        }
        Err(WebhookError::MissingHeader { name: H_SIGNATURE })
    }

    /// Verifies the Standard-Webhooks-style scheme from the three header values.
    pub fn verify_standard(
        &self,
        webhook_id: &str,
        webhook_timestamp: &str,
        webhook_signature: &str,
        body: impl AsRef<[u8]>,
    ) -> Result<VerifiedWebhook, WebhookError> {
        let body = body.as_ref();
        let timestamp = parse_digits(H_TIMESTAMP, webhook_timestamp)?;
        self.check_timestamp(timestamp)?;
        let mac = self.mac(&[webhook_id.as_bytes(), b".", timestamp.to_string().as_bytes(), b".", body])?;
        let matched = webhook_signature.split(' ').any(|entry| {
            entry
                .split_once(',')
                .filter(|(version, _)| *version == "v1")
                .and_then(|(_, sig)| STANDARD.decode(sig).ok())
                .is_some_and(|sig| mac.clone().verify_slice(&sig).is_ok())
        });
        if !matched {
            return Err(WebhookError::SignatureMismatch);
        }
        let (event, raw) = parse_body(body)?;
        Ok(VerifiedWebhook {
            scheme: WebhookScheme::Standard,
            webhook_id: Some(webhook_id.to_owned()),
            timestamp_ms: timestamp.saturating_mul(1000),
            event,
            raw,
        })
    }

    /// Verifies the legacy `x-ik-signature: t=<unix ms>,v1=<hex>` scheme.
    ///
    /// The timestamp is held to the same tolerance as the current scheme (the legacy SDKs
    /// did not check it), so a captured request cannot be replayed later.
    pub fn verify_legacy(
        &self,
        x_ik_signature: &str,
        body: impl AsRef<[u8]>,
    ) -> Result<VerifiedWebhook, WebhookError> {
        let body = body.as_ref();
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for item in x_ik_signature.split(',') {
            match item.trim().split_once('=') {
                Some(("t", t)) => timestamp = Some(parse_digits(H_LEGACY, t)?),
                Some(("v1", sig)) => signatures.push(sig),
                _ => {}
            }
        }
        let timestamp_ms = timestamp.ok_or_else(|| WebhookError::InvalidHeader {
            name: H_LEGACY,
            reason: "no `t=` timestamp".to_owned(),
        })?;
        if signatures.is_empty() {
            return Err(WebhookError::InvalidHeader {
                name: H_LEGACY,
                reason: "no `v1=` signature".to_owned(),
            });
        }
        self.check_timestamp(timestamp_ms / 1000)?;
        let mac = self.mac(&[timestamp_ms.to_string().as_bytes(), b".", body])?;
        let matched = signatures
            .iter()
            .any(|sig| decode_hex(sig).is_some_and(|sig| mac.clone().verify_slice(&sig).is_ok()));
        if !matched {
            return Err(WebhookError::SignatureMismatch);
        }
        let (event, raw) = parse_body(body)?;
        Ok(VerifiedWebhook { scheme: WebhookScheme::Legacy, webhook_id: None, timestamp_ms, event, raw })
    }

    fn mac(&self, parts: &[&[u8]]) -> Result<Hmac<Sha256>, WebhookError> {
        if self.secret.is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()).map_err(|_| WebhookError::EmptySecret)?;
        for part in parts {
            mac.update(part);
        }
        Ok(mac)
    }

    fn check_timestamp(&self, timestamp: u64) -> Result<(), WebhookError> {
        let now = match self.now_unix {
            Some(now) => now,
            None => crate::runtime::system_now().ok_or(WebhookError::ClockUnavailable)?,
        };
        let tolerance_secs = self.tolerance.as_secs();
        if now.abs_diff(timestamp) > tolerance_secs {
            return Err(WebhookError::TimestampOutOfTolerance { timestamp, now, tolerance_secs });
        }
        Ok(())
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    let nibble = |b: u8| char::from(b).to_digit(16);
    s.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some(u8::try_from(nibble(*hi)? * 16 + nibble(*lo)?).ok()?),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::events::parse_event;

    #[test]
    fn debug_redacts_the_secret() {
        let dbg = format!("{:?}", WebhookVerifier::new("whsec_topsecret"));
        assert!(!dbg.contains("topsecret"), "{dbg}");
    }

    #[test]
    fn unknown_event_types_are_kept_raw() {
        let event = parse_event(br#"{"id":"1","type":"brand.new","data":{"x":1}}"#).unwrap();
        match event {
            WebhookEvent::Unknown { type_, raw } => {
                assert_eq!(type_, "brand.new");
                assert_eq!(raw["data"]["x"], 1);
            }
            other => panic!("expected Unknown, got {other:?}"),
        }
    }

    #[test]
    fn hex_decoding_rejects_odd_and_non_hex() {
        assert_eq!(decode_hex("0aFf"), Some(vec![0x0a, 0xff]));
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("é1"), None);
    }
}
