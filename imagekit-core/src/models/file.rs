//! The File object: a file's current version, or one of its versions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::file_accessors;
use super::string_enum::string_enum;
use crate::operation::PartialSuccess;

string_enum! {
    /// What a [`File`] object describes.
    pub enum FileKind {
        /// The current version of a file.
        File => "file",
        /// One version of a file, from the version endpoints or a `file-version` search.
        FileVersion => "file-version",
    }
}

string_enum! {
    /// The broad type of a file.
    pub enum FileType {
        /// An image.
        Image => "image",
        /// Anything else: video, PDF, ...
        NonImage => "non-image",
    }
}

string_enum! {
    /// The type of a custom metadata field.
    pub enum CustomMetadataFieldType {
        /// Short text.
        Text => "Text",
        /// Long text.
        Textarea => "Textarea",
        /// A number.
        Number => "Number",
        /// A date (ISO 8601).
        Date => "Date",
        /// `true` or `false`.
        Boolean => "Boolean",
        /// One of `selectOptions`.
        SingleSelect => "SingleSelect",
        /// Several of `selectOptions`.
        MultiSelect => "MultiSelect",
    }
}

/// A file or a file version, as the details, version and list endpoints return it.
///
/// ImageKit marks almost nothing as required and several fields as nullable, so every field is
/// an `Option`; fields this version of the crate does not know are kept in [`File::extra`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct File {
    /// The file's id; the same for all its versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// `file` for the current version, `file-version` for a version.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<FileKind>,
    /// The file name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The path used in URLs, e.g. `/images/shoe.jpg`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// Tags; `None` when the file has none (the API sends `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Tags added by an auto-tagging extension; `None` when there are none.
    #[serde(rename = "AITags", skip_serializing_if = "Option::is_none")]
    pub ai_tags: Option<Vec<AiTag>>,
    /// Which version this object describes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_info: Option<VersionInfo>,
    /// Whether the file is private.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_private_file: Option<bool>,
    /// Whether the file is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_published: Option<bool>,
    /// Custom coordinates as `x,y,width,height`; `None` when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_coordinates: Option<String>,
    /// The file's URL (a version's URL pins that version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The media library thumbnail URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// `image` or `non-image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FileType>,
    /// The MIME type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
    /// Width in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// Height in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<f64>,
    /// Bit rate of a video or audio file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bit_rate: Option<f64>,
    /// Duration of a video or audio file, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Audio codec of a video or audio file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Video codec of a video file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// Whether the image has an alpha channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_alpha: Option<bool>,
    /// Custom metadata values, by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Map<String, Value>>,
    /// Schemas of the custom metadata fields selected for the file's path (Path policy plans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_fields_schema: Option<BTreeMap<String, SelectedFieldSchema>>,
    /// Metadata embedded in the file (EXIF, IPTC, XMP), consolidated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded_metadata: Option<Map<String, Value>>,
    /// A description, set by a user or an AI extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the file (version) was created, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the file (version) was last updated, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Where each extension asked for in an update stands, by extension name (only in the
    /// answer to `client.files().update(..)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_status: Option<BTreeMap<String, super::ExtensionStatus>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

file_accessors!(File);

/// More accessors for the fields most code reads.
impl File {
    /// Whether this object describes a version rather than the current file.
    pub fn is_version(&self) -> bool {
        self.kind == Some(FileKind::FileVersion)
    }
}

/// Which version a [`File`] object describes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VersionInfo {
    /// The version id (`versionId` in the version endpoints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The version's name, such as `Version 2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tag added by an auto-tagging extension.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AiTag {
    /// The tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The extension's confidence, in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The extension that added it, e.g. `google-auto-tagging`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The schema of one custom metadata field, as [`File::selected_fields_schema`] reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SelectedFieldSchema {
    /// The field's type.
    #[serde(rename = "type")]
    pub kind: CustomMetadataFieldType,
    /// Allowed values of a select field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select_options: Option<Vec<Value>>,
    /// Whether `select_options` was cut short (more than 100 options).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select_options_truncated: Option<bool>,
    /// The default value: a string, number, boolean, or an array of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// Whether a value is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_value_required: Option<bool>,
    /// Whether the value can no longer be changed once set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Minimum of a number or date field (a number, or an ISO 8601 string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Value>,
    /// Maximum of a number or date field (a number, or an ISO 8601 string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<Value>,
    /// Minimum length of a text field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<f64>,
    /// Maximum length of a text field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<f64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What renaming a file did. A 207 answer means the file was renamed but purging the CDN cache
/// of the old URL was not done; `reason` and `message` say why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenameFileResult {
    /// The purge request to follow with `client.cache().invalidation().get(..)`, when a purge
    /// was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_request_id: Option<String>,
    /// Why the purge was not done (partial success only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A description of the partial success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// ImageKit's help text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Whether ImageKit answered 207: renamed, but the cache was not purged.
    #[serde(skip)]
    pub partial: bool,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PartialSuccess for RenameFileResult {
    fn mark_partial(&mut self) {
        self.partial = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_values_are_kept() {
        let json = r#"{"fileId":"f1","type":"file-version","fileType":"video","tags":null,
            "AITags":null,"customCoordinates":null,"width":1.5,"newField":{"a":1},
            "versionInfo":{"id":"v1","name":"Version 1","label":"x"}}"#;
        let file: File = serde_json::from_str(json).unwrap();
        assert_eq!(file.kind, Some(FileKind::FileVersion));
        assert_eq!(file.file_type, Some(FileType::Unknown("video".into())));
        assert_eq!(file.tags, None);
        assert_eq!(file.width, Some(1.5));
        assert_eq!(file.extra["newField"], serde_json::json!({"a": 1}));
        let version = file.version_info.as_ref().unwrap();
        assert_eq!(version.extra["label"], "x");
        let round_trip: File = serde_json::from_value(serde_json::to_value(&file).unwrap()).unwrap();
        assert_eq!(round_trip, file);
    }
}
