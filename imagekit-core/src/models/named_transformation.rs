//! Named transformations: aliases used in URLs as `tr:n-<name>`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A named transformation.
///
/// This operation is not in ImageKit's public OpenAPI document; the shape follows the official
/// SDKs. `transformation` is kept as the JSON value ImageKit sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NamedTransformation {
    /// Its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name used in URLs as `tr:n-<name>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The transformation the name stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transformation: Option<String>,
    /// Whether URLs may use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// When it was created, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
