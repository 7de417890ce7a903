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

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;

/// How far a webhook's timestamp may be from now before it is refused (5 minutes).
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Why a webhook was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is absent.
    #[error("missing webhook header `{name}`: pass the request's headers unchanged")]
    MissingHeader {
        /// The header name.
        name: &'static str,
    },
    /// A header is present but malformed.
    #[error("malformed webhook header `{name}`: {reason}")]
    InvalidHeader {
        /// The header name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The timestamp is too far from now: a replay, or a badly wrong clock.
    #[error(
        "webhook timestamp {timestamp} is more than {tolerance_secs} s away from now ({now}); \
         refuse the request, or check the server clock"
    )]
    TimestampOutOfTolerance {
        /// The webhook's timestamp, Unix seconds.
        timestamp: u64,
        /// The time it was checked against, Unix seconds.
        now: u64,
        /// The allowed distance in seconds.
        tolerance_secs: u64,
    },
    /// No signature matched: wrong secret, or a body changed in transit (verify the raw bytes,
    /// not re-serialized JSON).
    #[error("webhook signature does not match: check the webhook secret and verify the raw request body")]
    SignatureMismatch,
    /// The secret is empty.
    #[error("the webhook secret is empty: use the secret shown in the ImageKit dashboard")]
    EmptySecret,
    /// No clock on this target.
    #[error("no system clock on this target: call WebhookVerifier::now_unix with the current Unix time")]
    ClockUnavailable,
    /// The signature is valid but the body is not an ImageKit event.
    #[error("webhook body is not a valid ImageKit event: {reason}")]
    InvalidPayload {
        /// What is wrong.
        reason: String,
    },
}

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
            None => crate::url::system_now().ok_or(WebhookError::ClockUnavailable)?,
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

/// The typed event and the whole JSON body.
fn parse_body(body: &[u8]) -> Result<(WebhookEvent, Value), WebhookError> {
    let raw: Value =
        serde_json::from_slice(body).map_err(|e| WebhookError::InvalidPayload { reason: e.to_string() })?;
    Ok((WebhookEvent::from_value(raw.clone())?, raw))
}

/// Parses a webhook body WITHOUT checking its signature: only for bodies already verified
/// elsewhere, or for tests. Use [`WebhookVerifier`] on anything received over the network.
pub fn parse_event(body: impl AsRef<[u8]>) -> Result<WebhookEvent, WebhookError> {
    parse_body(body.as_ref()).map(|(event, _)| event)
}

/// The fields every event has; `data` and `request` depend on the event type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Event<D, R = Value> {
    /// Unique id of the event.
    pub id: String,
    /// When the event happened (ISO 8601).
    pub created_at: Option<String>,
    /// The request that caused the event, where there is one.
    pub request: Option<R>,
    /// The event's payload.
    pub data: D,
}

/// The request behind a video transformation event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoWebhookRequest {
    /// ImageKit's id of the delivery request.
    pub x_request_id: Option<String>,
    /// The requested URL.
    pub url: Option<String>,
    /// The requesting client's user agent.
    pub user_agent: Option<String>,
}

/// The payload of the video transformation events.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformationData {
    /// The source video.
    pub asset: Option<VideoAsset>,
    /// The transformation, with its output (ready) or error (error).
    pub transformation: Option<VideoTransformation>,
}

/// A source video.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoAsset {
    /// Its URL.
    pub url: Option<String>,
}

/// A video transformation and its outcome.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformation {
    /// `video-transformation`, `gif-to-video` or `video-thumbnail`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// The requested options (`video_codec`, `format`, ...), as sent.
    pub options: Option<Value>,
    /// The result, on `video.transformation.ready`.
    pub output: Option<VideoOutput>,
    /// The failure, on `video.transformation.error`.
    pub error: Option<TransformationFailure>,
}

/// The result of a video transformation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoOutput {
    /// URL of the transformed video.
    pub url: Option<String>,
    /// Duration, size and bitrate of the result, as sent.
    pub video_metadata: Option<Value>,
}

/// Why a transformation failed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TransformationFailure {
    /// The reason, e.g. `encoding_failed`.
    pub reason: Option<String>,
}

/// A transformation with an error, as in the upload transformation error events.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FailedTransformation {
    /// Why it failed.
    pub error: Option<TransformationFailure>,
}

/// The request behind a pre-transformation event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PreTransformRequest {
    /// ImageKit's id of the upload request.
    pub x_request_id: Option<String>,
    /// The requested pre-transformation string.
    pub transformation: Option<String>,
}

/// The request behind a post-transformation event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PostTransformRequest {
    /// ImageKit's id of the upload request.
    pub x_request_id: Option<String>,
    /// The requested post-transformation (`type`, `value`, `protocol`), as sent.
    pub transformation: Option<Value>,
}

/// Payload of `upload.pre-transform.error`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PreTransformErrorData {
    /// File name.
    pub name: Option<String>,
    /// File path.
    pub path: Option<String>,
    /// The failed transformation.
    pub transformation: Option<FailedTransformation>,
}

/// Payload of `upload.post-transform.success`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PostTransformSuccessData {
    /// Id of the uploaded file.
    pub file_id: Option<String>,
    /// File name.
    pub name: Option<String>,
    /// URL of the generated version.
    pub url: Option<String>,
}

/// Payload of `upload.post-transform.error`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PostTransformErrorData {
    /// Id of the uploaded file.
    pub file_id: Option<String>,
    /// File name.
    pub name: Option<String>,
    /// File path.
    pub path: Option<String>,
    /// URL of the attempted version.
    pub url: Option<String>,
    /// The failed transformation.
    pub transformation: Option<FailedTransformation>,
}

/// Payload of `file.deleted`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileDeletedData {
    /// Id of the deleted file.
    pub file_id: String,
}

/// Payload of `file-version.deleted`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileVersionDeletedData {
    /// Id of the file.
    pub file_id: String,
    /// Id of the deleted version.
    pub version_id: String,
}

/// An ImageKit webhook event, by its `type`.
///
/// File details and upload results are kept as JSON here (`data: Value`); event types this
/// crate does not know yet arrive as [`WebhookEvent::Unknown`] with the whole body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `video.transformation.accepted`.
    VideoTransformationAccepted(Box<Event<VideoTransformationData, VideoWebhookRequest>>),
    /// `video.transformation.ready`.
    VideoTransformationReady(Box<Event<VideoTransformationData, VideoWebhookRequest>>),
    /// `video.transformation.error`.
    VideoTransformationError(Box<Event<VideoTransformationData, VideoWebhookRequest>>),
    /// `upload.pre-transform.success`; `data` is the upload result.
    UploadPreTransformSuccess(Box<Event<Value, PreTransformRequest>>),
    /// `upload.pre-transform.error`.
    UploadPreTransformError(Box<Event<PreTransformErrorData, PreTransformRequest>>),
    /// `upload.post-transform.success`.
    UploadPostTransformSuccess(Box<Event<PostTransformSuccessData, PostTransformRequest>>),
    /// `upload.post-transform.error`.
    UploadPostTransformError(Box<Event<PostTransformErrorData, PostTransformRequest>>),
    /// `file.created`; `data` is the file's details.
    FileCreated(Box<Event<Value>>),
    /// `file.updated`; `data` is the file's details.
    FileUpdated(Box<Event<Value>>),
    /// `file.deleted`.
    FileDeleted(Box<Event<FileDeletedData>>),
    /// `file-version.created`; `data` is the version's details.
    FileVersionCreated(Box<Event<Value>>),
    /// `file-version.deleted`.
    FileVersionDeleted(Box<Event<FileVersionDeletedData>>),
    /// An event type this crate does not model, kept whole.
    Unknown {
        /// The event's `type`.
        type_: String,
        /// The whole body.
        raw: Value,
    },
}

impl WebhookEvent {
    /// Types an event from its JSON body.
    pub fn from_value(raw: Value) -> Result<Self, WebhookError> {
        let type_ = raw
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| WebhookError::InvalidPayload { reason: "no string `type` field".to_owned() })?
            .to_owned();
        fn typed<T: serde::de::DeserializeOwned>(type_: &str, raw: Value) -> Result<Box<T>, WebhookError> {
            serde_json::from_value(raw)
                .map(Box::new)
                .map_err(|e| WebhookError::InvalidPayload { reason: format!("`{type_}` event: {e}") })
        }
        use WebhookEvent as E;
        Ok(match type_.as_str() {
            "video.transformation.accepted" => E::VideoTransformationAccepted(typed(&type_, raw)?),
            "video.transformation.ready" => E::VideoTransformationReady(typed(&type_, raw)?),
            "video.transformation.error" => E::VideoTransformationError(typed(&type_, raw)?),
            "upload.pre-transform.success" => E::UploadPreTransformSuccess(typed(&type_, raw)?),
            "upload.pre-transform.error" => E::UploadPreTransformError(typed(&type_, raw)?),
            "upload.post-transform.success" => E::UploadPostTransformSuccess(typed(&type_, raw)?),
            "upload.post-transform.error" => E::UploadPostTransformError(typed(&type_, raw)?),
            "file.created" => E::FileCreated(typed(&type_, raw)?),
            "file.updated" => E::FileUpdated(typed(&type_, raw)?),
            "file.deleted" => E::FileDeleted(typed(&type_, raw)?),
            "file-version.created" => E::FileVersionCreated(typed(&type_, raw)?),
            "file-version.deleted" => E::FileVersionDeleted(typed(&type_, raw)?),
            _ => E::Unknown { type_, raw },
        })
    }

    /// The event's `type`, e.g. `file.deleted`.
    pub fn event_type(&self) -> &str {
        use WebhookEvent as E;
        match self {
            E::VideoTransformationAccepted(_) => "video.transformation.accepted",
            E::VideoTransformationReady(_) => "video.transformation.ready",
            E::VideoTransformationError(_) => "video.transformation.error",
            E::UploadPreTransformSuccess(_) => "upload.pre-transform.success",
            E::UploadPreTransformError(_) => "upload.pre-transform.error",
            E::UploadPostTransformSuccess(_) => "upload.post-transform.success",
            E::UploadPostTransformError(_) => "upload.post-transform.error",
            E::FileCreated(_) => "file.created",
            E::FileUpdated(_) => "file.updated",
            E::FileDeleted(_) => "file.deleted",
            E::FileVersionCreated(_) => "file-version.created",
            E::FileVersionDeleted(_) => "file-version.deleted",
            E::Unknown { type_, .. } => type_,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
