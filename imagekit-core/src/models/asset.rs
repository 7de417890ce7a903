//! What the asset listing returns: files, file versions and folders, told apart by `type`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::File;
use super::string_enum::string_enum;

/// A folder, as the asset listing returns it (`type` is `folder`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Folder {
    /// The folder's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// The folder's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The folder's full path, e.g. `/catalog/shoes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_path: Option<String>,
    /// Custom metadata values of the folder, by field name (empty when none are set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Map<String, Value>>,
    /// When the folder was created, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the folder was last updated, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Who created the folder, when ImageKit knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Creator>,
    /// Fields this version of the crate does not know (and `type`), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Who created something: the user's name at the time, and email.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Creator {
    /// The user's email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One result of the asset listing: a file or file version, or a folder.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Asset {
    /// `type` is `file` or `file-version`.
    File(Box<File>),
    /// `type` is `folder`.
    Folder(Box<Folder>),
    /// A `type` this version of the crate does not know, kept as sent.
    Unknown(Value),
}

impl Asset {
    /// The file or file version, if this is one.
    pub fn as_file(&self) -> Option<&File> {
        match self {
            Self::File(file) => Some(file),
            _ => None,
        }
    }

    /// The folder, if this is one.
    pub fn as_folder(&self) -> Option<&Folder> {
        match self {
            Self::Folder(folder) => Some(folder),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Asset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let kind = value.get("type").and_then(Value::as_str).unwrap_or_default();
        match kind {
            "file" | "file-version" => serde_json::from_value(value)
                .map(|f| Self::File(Box::new(f)))
                .map_err(serde::de::Error::custom),
            "folder" => serde_json::from_value(value)
                .map(|f| Self::Folder(Box::new(f)))
                .map_err(serde::de::Error::custom),
            _ => Ok(Self::Unknown(value)),
        }
    }
}

string_enum! {
    /// Which kinds of assets a listing returns (`type`).
    pub enum AssetType {
        /// Current versions of files (the API's default).
        File => "file",
        /// File versions.
        FileVersion => "file-version",
        /// Folders.
        Folder => "folder",
        /// Files, file versions and folders.
        All => "all",
    }
}

string_enum! {
    /// The order of a listing (`sort`).
    pub enum AssetSort {
        /// By name, A to Z.
        AscName => "ASC_NAME",
        /// By name, Z to A.
        DescName => "DESC_NAME",
        /// Oldest first (the API's default).
        AscCreated => "ASC_CREATED",
        /// Newest first.
        DescCreated => "DESC_CREATED",
        /// Least recently updated first.
        AscUpdated => "ASC_UPDATED",
        /// Most recently updated first.
        DescUpdated => "DESC_UPDATED",
        /// Shortest first.
        AscHeight => "ASC_HEIGHT",
        /// Tallest first.
        DescHeight => "DESC_HEIGHT",
        /// Narrowest first.
        AscWidth => "ASC_WIDTH",
        /// Widest first.
        DescWidth => "DESC_WIDTH",
        /// Smallest first.
        AscSize => "ASC_SIZE",
        /// Largest first.
        DescSize => "DESC_SIZE",
        /// Least relevant to the search first.
        AscRelevance => "ASC_RELEVANCE",
        /// Most relevant to the search first.
        DescRelevance => "DESC_RELEVANCE",
        /// Shortest audio or video first.
        AscDuration => "ASC_DURATION",
        /// Longest audio or video first.
        DescDuration => "DESC_DURATION",
        /// Earliest original creation date (from the file's own metadata) first.
        AscOriginalCreationDate => "ASC_ORIGINAL_CREATION_DATE",
        /// Latest original creation date first.
        DescOriginalCreationDate => "DESC_ORIGINAL_CREATION_DATE",
    }
}

string_enum! {
    /// Which files a listing returns by broad type (`fileType`).
    pub enum FileTypeFilter {
        /// Every file (the API's default).
        All => "all",
        /// Images only.
        Image => "image",
        /// Everything but images.
        NonImage => "non-image",
    }
}
