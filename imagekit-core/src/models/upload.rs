//! What an upload answers.

use std::collections::BTreeMap;

use super::file_accessors;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::extension::ExtensionStatus;
use super::file::{AiTag, FileType, SelectedFieldSchema, VersionInfo};

/// A stored file, as the upload endpoints describe it (their `200` answer).
///
/// Every field is optional: several are only sent when asked for with `responseFields`. Fields
/// this version of the crate does not know are kept in [`Upload::extra`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Upload {
    /// The file's id, for every later operation on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// The stored name (a unique suffix is added unless `useUniqueFileName` was `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The path in the media library, e.g. `/catalog/shoe_x1y2.jpg`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// The public URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A small thumbnail URL, for images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// Height in pixels, for images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    /// Width in pixels, for images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<f64>,
    /// Bit rate in kbps, for videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bit_rate: Option<f64>,
    /// Duration in seconds, for videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Audio codec, for videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Video codec, for videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// Tags (`null` when none; sent when asked for with `responseFields`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Tags added by auto-tagging extensions.
    #[serde(rename = "AITags", skip_serializing_if = "Option::is_none")]
    pub ai_tags: Option<Vec<AiTag>>,
    /// Which version of the file this upload created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    /// Whether the file is private.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_private_file: Option<bool>,
    /// Whether the file is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_published: Option<bool>,
    /// Custom coordinates as `x,y,width,height` (`null` when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_coordinates: Option<String>,
    /// `image` or `non-image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FileType>,
    /// Custom metadata values, by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Map<String, Value>>,
    /// Schemas of the custom metadata fields selected for the file's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_fields_schema: Option<BTreeMap<String, SelectedFieldSchema>>,
    /// Each requested extension's status when the upload answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_status: Option<BTreeMap<String, ExtensionStatus>>,
    /// Legacy metadata (sent when asked for with `responseFields`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Embedded metadata (EXIF, IPTC, XMP), consolidated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded_metadata: Option<Map<String, Value>>,
    /// A description, set by the uploader or an AI extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

file_accessors!(Upload);

/// How an upload ended.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum UploadOutcome {
    /// `200`: the file is stored.
    Uploaded(Box<Upload>),
    /// `202`: the file was accepted and a pre-transformation (of a video) is still running; the
    /// result goes to the upload's `webhookUrl`.
    Accepted {
        /// ImageKit's message, e.g. that the pre-transformation was queued.
        message: Option<String>,
    },
}

impl UploadOutcome {
    /// The stored file, when the upload answered `200`.
    pub fn uploaded(&self) -> Option<&Upload> {
        match self {
            Self::Uploaded(upload) => Some(upload),
            Self::Accepted { .. } => None,
        }
    }

    /// The stored file, when the upload answered `200`.
    pub fn into_uploaded(self) -> Option<Upload> {
        match self {
            Self::Uploaded(upload) => Some(*upload),
            Self::Accepted { .. } => None,
        }
    }

    /// Whether ImageKit accepted the file but is still processing it (`202`).
    pub fn is_accepted(&self) -> bool {
        matches!(self, Self::Accepted { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_statuses_are_kept() {
        let json = r#"{"fileId":"f1","tags":null,"extensionStatus":{"remove-bg":"pending","x":"queued"},
            "duration":12.5,"newField":[1]}"#;
        let upload: Upload = serde_json::from_str(json).unwrap();
        assert_eq!(upload.file_id.as_deref(), Some("f1"));
        assert_eq!(upload.tags, None);
        let status = upload.extension_status.as_ref().unwrap();
        assert_eq!(status["remove-bg"], ExtensionStatus::Pending);
        assert_eq!(status["x"], ExtensionStatus::Unknown("queued".into()));
        assert_eq!(upload.duration, Some(12.5));
        assert_eq!(upload.extra["newField"], serde_json::json!([1]));
    }
}
