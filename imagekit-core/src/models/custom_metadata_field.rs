//! Custom metadata fields: the typed values files can carry in `customMetadata`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::CustomMetadataFieldType;

/// A custom metadata field definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomMetadataField {
    /// The field's id.
    #[serde(default)]
    pub id: String,
    /// The name used as the key in `customMetadata`; reserved even after deletion.
    #[serde(default)]
    pub name: String,
    /// The label shown in the media library.
    #[serde(default)]
    pub label: String,
    /// The field's type and constraints.
    #[serde(default)]
    pub schema: CustomMetadataFieldSchema,
    /// A hint shown in the media library, when one was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether ImageKit manages the field (such as the original creation date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The type and constraints of a custom metadata field.
///
/// Values such as `defaultValue` or `minValue` are a string, a number, a boolean or (for
/// `defaultValue` of a multi-select) an array of them, so they are kept as JSON values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomMetadataFieldSchema {
    /// The field's type.
    #[serde(rename = "type")]
    pub kind: CustomMetadataFieldType,
    /// Allowed values of a select field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select_options: Option<Vec<Value>>,
    /// The value files get when none is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// Whether every file must have a value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_value_required: Option<bool>,
    /// Minimum of a number (a number) or a date (an ISO 8601 string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Value>,
    /// Maximum of a number (a number) or a date (an ISO 8601 string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<Value>,
    /// Minimum length of a text value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<f64>,
    /// Maximum length of a text value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<f64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for CustomMetadataFieldSchema {
    fn default() -> Self {
        Self::new(CustomMetadataFieldType::Text)
    }
}

impl CustomMetadataFieldSchema {
    /// A schema of this type with no constraints.
    pub fn new(kind: CustomMetadataFieldType) -> Self {
        Self {
            kind,
            select_options: None,
            default_value: None,
            is_value_required: None,
            min_value: None,
            max_value: None,
            min_length: None,
            max_length: None,
            extra: Map::new(),
        }
    }

    /// Sets the allowed values of a select field.
    pub fn select_options<V: Into<Value>>(mut self, options: impl IntoIterator<Item = V>) -> Self {
        self.select_options = Some(options.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the default value.
    pub fn default_value(mut self, value: impl Into<Value>) -> Self {
        self.default_value = Some(value.into());
        self
    }

    /// Sets whether every file must have a value.
    pub fn is_value_required(mut self, required: bool) -> Self {
        self.is_value_required = Some(required);
        self
    }

    /// Sets the minimum value (a number, or an ISO 8601 date string).
    pub fn min_value(mut self, value: impl Into<Value>) -> Self {
        self.min_value = Some(value.into());
        self
    }

    /// Sets the maximum value (a number, or an ISO 8601 date string).
    pub fn max_value(mut self, value: impl Into<Value>) -> Self {
        self.max_value = Some(value.into());
        self
    }

    /// Sets the minimum length of a text value.
    pub fn min_length(mut self, length: u32) -> Self {
        self.min_length = Some(f64::from(length));
        self
    }

    /// Sets the maximum length of a text value.
    pub fn max_length(mut self, length: u32) -> Self {
        self.max_length = Some(f64::from(length));
        self
    }
}
