//! Webhook subscriptions of the account: the endpoints ImageKit posts events to.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::string_enum;

string_enum! {
    /// An event a webhook subscription can receive.
    pub enum WebhookEventType {
        /// A video transformation was accepted for processing.
        VideoTransformationAccepted => "video.transformation.accepted",
        /// A video transformation is ready.
        VideoTransformationReady => "video.transformation.ready",
        /// A video transformation failed.
        VideoTransformationError => "video.transformation.error",
        /// A pre-upload transformation succeeded.
        UploadPreTransformSuccess => "upload.pre-transform.success",
        /// A pre-upload transformation failed.
        UploadPreTransformError => "upload.pre-transform.error",
        /// A post-upload transformation succeeded.
        UploadPostTransformSuccess => "upload.post-transform.success",
        /// A post-upload transformation failed.
        UploadPostTransformError => "upload.post-transform.error",
        /// A file was created.
        FileCreated => "file.created",
        /// A file was updated.
        FileUpdated => "file.updated",
        /// A file was deleted.
        FileDeleted => "file.deleted",
        /// A file version was created.
        FileVersionCreated => "file-version.created",
        /// A file version was deleted.
        FileVersionDeleted => "file-version.deleted",
        /// A folder was created.
        FolderCreated => "folder.created",
        /// A folder was updated.
        FolderUpdated => "folder.updated",
        /// A folder was deleted.
        FolderDeleted => "folder.deleted",
    }
}

/// A webhook subscription: an endpoint ImageKit posts the chosen events to, signed with
/// `secret`. Its `Debug` output hides the secret; [`Webhook::verifier`] checks what it receives.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Webhook {
    /// Its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The URL events are posted to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The events it receives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<WebhookEventType>>,
    /// Whether events are sent at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The signing secret ImageKit generated (`whsec_…`); it cannot be set or changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// When it was created, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it last changed, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("endpoint", &self.endpoint)
            .field("events", &self.events)
            .field("enabled", &self.enabled)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("extra", &self.extra)
            .finish()
    }
}
