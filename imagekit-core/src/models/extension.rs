//! Extensions (background removal, auto-tagging, AI description, AI tasks) and saved extensions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::string_enum;

string_enum! {
    /// Which extension an [`Extension`] runs.
    pub enum ExtensionName {
        /// Background removal.
        RemoveBg => "remove-bg",
        /// Auto-tagging with Google's vision API.
        GoogleAutoTagging => "google-auto-tagging",
        /// Auto-tagging with AWS Rekognition.
        AwsAutoTagging => "aws-auto-tagging",
        /// An AI-written description.
        AiAutoDescription => "ai-auto-description",
        /// AI tasks: tags and metadata chosen by instructions.
        AiTasks => "ai-tasks",
        /// A saved extension, by id (only where extensions are applied to a file).
        SavedExtension => "saved-extension",
    }
}

string_enum! {
    /// Where an extension run is.
    pub enum ExtensionStatus {
        /// It finished.
        Success => "success",
        /// It is still running; a webhook will tell.
        Pending => "pending",
        /// It failed.
        Failed => "failed",
    }
}

/// One extension to run, with its settings.
///
/// The constructors set what each extension requires; [`Extension::option`] adds any other
/// setting the API documents (they are sent next to `name`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Extension {
    /// Which extension.
    pub name: ExtensionName,
    /// Its settings, as sent next to `name` (e.g. `minConfidence`, `maxTags`, `options`, `tasks`).
    #[serde(flatten)]
    pub settings: Map<String, Value>,
}

impl Extension {
    /// An extension with no settings.
    pub fn new(name: ExtensionName) -> Self {
        Self { name, settings: Map::new() }
    }

    /// Background removal; `options` (e.g. `{"add_shadow": true}`) may be empty.
    pub fn remove_bg(options: Map<String, Value>) -> Self {
        let extension = Self::new(ExtensionName::RemoveBg);
        if options.is_empty() { extension } else { extension.option("options", Value::Object(options)) }
    }

    /// Auto-tagging (`GoogleAutoTagging` or `AwsAutoTagging`): at most `max_tags` tags with at
    /// least `min_confidence` percent confidence.
    pub fn auto_tagging(name: ExtensionName, min_confidence: u32, max_tags: u32) -> Self {
        Self::new(name).option("minConfidence", min_confidence).option("maxTags", max_tags)
    }

    /// An AI-written description.
    pub fn ai_auto_description() -> Self {
        Self::new(ExtensionName::AiAutoDescription)
    }

    /// AI tasks, each a JSON object such as `{"type": "select_tags", "instruction": ..}`.
    pub fn ai_tasks(tasks: Vec<Value>) -> Self {
        Self::new(ExtensionName::AiTasks).option("tasks", tasks)
    }

    /// A saved extension, by id.
    pub fn saved(id: impl Into<String>) -> Self {
        Self::new(ExtensionName::SavedExtension).option("id", id.into())
    }

    /// Adds or replaces one setting.
    pub fn option(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.settings.insert(key.to_owned(), value.into());
        self
    }
}

/// A named, reusable extension configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SavedExtension {
    /// The saved extension's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The extension it runs, with its settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Extension>,
    /// When it was created, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it was last updated, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
