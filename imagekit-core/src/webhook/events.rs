//! The payloads of ImageKit's webhook events.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::models::string_enum::string_enum;
use crate::models::{File, Folder, Upload, WebhookEventType};
use crate::upload::PostTransformation;
use crate::webhook::error::WebhookError;

/// The typed event and the whole JSON body.
pub(crate) fn parse_body(body: &[u8]) -> Result<(WebhookEvent, Value), WebhookError> {
    let raw: Value =
        serde_json::from_slice(body).map_err(|e| WebhookError::InvalidPayload { reason: e.to_string() })?;
    Ok((WebhookEvent::from_value(raw.clone())?, raw))
}

/// Parses a webhook body WITHOUT checking its signature: only for bodies already verified
/// elsewhere, or for tests. Use [`crate::webhook::WebhookVerifier`] on anything received over the network.
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
    /// How long downloading and encoding took, on `video.transformation.ready`.
    pub timings: Option<VideoTimings>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How long the steps of a video transformation took, in milliseconds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoTimings {
    /// Fetching the source video.
    pub download_duration: Option<u64>,
    /// Encoding the output.
    pub encoding_duration: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// What a video transformation makes.
    pub enum VideoTransformationType {
        /// A transformed video.
        VideoTransformation => "video-transformation",
        /// A video from an animated GIF.
        GifToVideo => "gif-to-video",
        /// A thumbnail image of a video.
        VideoThumbnail => "video-thumbnail",
    }
}

string_enum! {
    /// Why a video transformation failed.
    pub enum VideoFailureReason {
        /// The video could not be encoded.
        EncodingFailed => "encoding_failed",
        /// The source could not be fetched.
        DownloadFailed => "download_failed",
        /// ImageKit failed.
        InternalServerError => "internal_server_error",
    }
}

/// The options a video transformation was asked for.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformationOptions {
    /// The audio codec, e.g. `aac` or `opus`.
    pub audio_codec: Option<String>,
    /// Whether the video is rotated by its metadata.
    pub auto_rotate: Option<bool>,
    /// The output format, e.g. `mp4`, `webm`, `jpg`.
    pub format: Option<String>,
    /// The quality, 1 to 100.
    pub quality: Option<u32>,
    /// The adaptive streaming protocol, `HLS` or `DASH`.
    pub stream_protocol: Option<String>,
    /// The adaptive streaming variants, e.g. `sr-240_360_480`.
    pub variants: Option<Vec<String>>,
    /// The video codec, e.g. `h264`, `vp9`, `av1`.
    pub video_codec: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Size and length of a transformed video.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoMetadata {
    /// Bit rate, in bits per second.
    pub bitrate: Option<f64>,
    /// Duration, in seconds.
    pub duration: Option<f64>,
    /// Height, in pixels.
    pub height: Option<f64>,
    /// Width, in pixels.
    pub width: Option<f64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The payload of the video transformation events.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformationData {
    /// The source video.
    pub asset: Option<VideoAsset>,
    /// The transformation, with its output (ready) or error (error).
    pub transformation: Option<VideoTransformation>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A source video.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoAsset {
    /// Its URL.
    pub url: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A video transformation and its outcome.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoTransformation {
    /// What it makes.
    #[serde(rename = "type")]
    pub type_: Option<VideoTransformationType>,
    /// The options it was asked for.
    pub options: Option<VideoTransformationOptions>,
    /// The result, on `video.transformation.ready`.
    pub output: Option<VideoOutput>,
    /// The failure, on `video.transformation.error`.
    pub error: Option<TransformationFailure>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of a video transformation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VideoOutput {
    /// URL of the transformed video.
    pub url: Option<String>,
    /// Size and length of the result.
    pub video_metadata: Option<VideoMetadata>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Why a transformation failed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TransformationFailure {
    /// The reason, e.g. `encoding_failed` (see [`TransformationFailure::video_reason`]).
    pub reason: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TransformationFailure {
    /// The reason of a failed video transformation, typed.
    pub fn video_reason(&self) -> Option<VideoFailureReason> {
        self.reason.as_deref().map(VideoFailureReason::from)
    }
}

/// A transformation with an error, as in the upload transformation error events.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FailedTransformation {
    /// Why it failed.
    pub error: Option<TransformationFailure>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The request behind a pre-transformation event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PreTransformRequest {
    /// ImageKit's id of the upload request.
    pub x_request_id: Option<String>,
    /// The requested pre-transformation string.
    pub transformation: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The request behind a post-transformation event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PostTransformRequest {
    /// ImageKit's id of the upload request.
    pub x_request_id: Option<String>,
    /// The requested post-transformation, as the upload sent it.
    pub transformation: Option<PostTransformation>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Payload of `file.deleted`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileDeletedData {
    /// Id of the deleted file.
    pub file_id: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Payload of `folder.deleted`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FolderDeletedData {
    /// Id of the deleted folder.
    pub folder_id: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Declares [`WebhookEvent`] from one list of its variants: each one's wire `type`, payload and
/// request types, so typing an event and naming its type cannot drift apart.
macro_rules! webhook_events {
    ($( $(#[$doc:meta])* $variant:ident($event:ty) => $wire:literal, )+) => {
        /// An ImageKit webhook event, by its `type`.
        ///
        /// File events carry the file's details ([`File`]), `upload.pre-transform.success` the
        /// upload's result ([`Upload`]), folder events the folder ([`Folder`]); event types this
        /// crate does not know yet arrive as [`WebhookEvent::Unknown`] with the whole body.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            $( $(#[$doc])* $variant(Box<$event>), )+
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
                Ok(match type_.as_str() {
                    $( $wire => Self::$variant(typed(&type_, raw)?), )+
                    _ => Self::Unknown { type_, raw },
                })
            }

            /// The event's type, typed as subscriptions name it.
            pub fn kind(&self) -> WebhookEventType {
                WebhookEventType::from(self.event_type())
            }

            /// The event's `type`, e.g. `file.deleted`.
            pub fn event_type(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $wire, )+
                    Self::Unknown { type_, .. } => type_,
                }
            }
        }
    };
}

webhook_events! {
    /// `video.transformation.accepted`.
    VideoTransformationAccepted(Event<VideoTransformationData, VideoWebhookRequest>) => "video.transformation.accepted",
    /// `video.transformation.ready`.
    VideoTransformationReady(Event<VideoTransformationData, VideoWebhookRequest>) => "video.transformation.ready",
    /// `video.transformation.error`.
    VideoTransformationError(Event<VideoTransformationData, VideoWebhookRequest>) => "video.transformation.error",
    /// `upload.pre-transform.success`; `data` is the upload result.
    UploadPreTransformSuccess(Event<Upload, PreTransformRequest>) => "upload.pre-transform.success",
    /// `upload.pre-transform.error`.
    UploadPreTransformError(Event<PreTransformErrorData, PreTransformRequest>) => "upload.pre-transform.error",
    /// `upload.post-transform.success`.
    UploadPostTransformSuccess(Event<PostTransformSuccessData, PostTransformRequest>) => "upload.post-transform.success",
    /// `upload.post-transform.error`.
    UploadPostTransformError(Event<PostTransformErrorData, PostTransformRequest>) => "upload.post-transform.error",
    /// `file.created`; `data` is the file's details.
    FileCreated(Event<File>) => "file.created",
    /// `file.updated`; `data` is the file's details.
    FileUpdated(Event<File>) => "file.updated",
    /// `file.deleted`.
    FileDeleted(Event<FileDeletedData>) => "file.deleted",
    /// `file-version.created`; `data` is the version's details.
    FileVersionCreated(Event<File>) => "file-version.created",
    /// `file-version.deleted`.
    FileVersionDeleted(Event<FileVersionDeletedData>) => "file-version.deleted",
    /// `folder.created`: a folder was made, explicitly, by a copy or move, or by an upload into
    /// a folder that did not exist.
    FolderCreated(Event<Folder>) => "folder.created",
    /// `folder.updated`: a folder changed (custom metadata, a rename).
    FolderUpdated(Event<Folder>) => "folder.updated",
    /// `folder.deleted`.
    FolderDeleted(Event<FolderDeletedData>) => "folder.deleted",
}
