//! Files: `client.files()`.
//!
//! ```
//! # async fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
//! use imagekit_core::resources::files::{CopyFile, UpdateFileDetails, UpdateFilePublication};
//!
//! client.files().update("file_id", UpdateFileDetails::new().tags(["sale", "summer"])).await?;
//! client.files().update("file_id", UpdateFilePublication::new(true)).await?;
//! client.files().copy(CopyFile::new("/a/shoe.jpg", "/b/").include_file_versions(true)).await?;
//! # Ok(()) }
//! ```

use http::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::caller::Caller;
use crate::models::{Extension, File, RenameFileResult};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::bulk::Bulk;
use crate::resources::handle::{check_not_empty, resource};
use crate::resources::metadata::FileMetadata;
use crate::resources::versions::Versions;
use crate::upload::{UploadCall, UploadSource};

resource! {
    /// File operations, from [`crate::Client::files`].
    Files
}

fn file_path(file_id: &str) -> Result<ApiPath, crate::error::Error> {
    ApiPath::new("/v1/files").id("fileId", file_id)
}

impl<C: Caller> Files<C> {
    /// Details of a file's current version.
    ///
    /// `GET /v1/files/{fileId}/details`
    pub fn get(&self, file_id: &str) -> C::Call<File> {
        let op =
            file_path(file_id).map(|p| Operation::json("get-file-details", Method::GET, p.lit("details")));
        self.caller.call(op)
    }

    /// Updates a file's details ([`UpdateFileDetails`]) or its publication status
    /// ([`UpdateFilePublication`]); the API takes one or the other, never both. Returns the
    /// updated file, with `extension_status` when extensions were asked for.
    ///
    /// Setting the same details twice leaves the file as once, so the update is retried after a
    /// lost answer, unless it runs extensions, which would run again.
    ///
    /// `PATCH /v1/files/{fileId}/details`
    pub fn update(&self, file_id: &str, update: impl Into<UpdateFile>) -> C::Call<File> {
        let update = update.into();
        let repeat = match &update {
            UpdateFile::Details(details) if details.extensions.is_some() => Idempotency::NotIdempotent,
            _ => Idempotency::Idempotent,
        };
        let op = file_path(file_id).and_then(|p| {
            Operation::json("update-file-details", Method::PATCH, p.lit("details"))
                .with_idempotency(repeat)
                .json_body(&update)
        });
        self.caller.call(op)
    }

    /// Deletes a file and all its versions.
    ///
    /// `DELETE /v1/files/{fileId}`
    pub fn delete(&self, file_id: &str) -> C::Call<()> {
        let op = file_path(file_id).map(|p| {
            Operation::empty("delete-file", Method::DELETE, p).with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }

    /// Copies a file into a folder.
    ///
    /// `POST /v1/files/copy`
    pub fn copy(&self, params: CopyFile) -> C::Call<()> {
        let op = check_not_empty("sourceFilePath", &params.source_file_path)
            .and_then(|()| check_not_empty("destinationPath", &params.destination_path))
            .and_then(|()| {
                Operation::empty("copy-file", Method::POST, ApiPath::new("/v1/files/copy")).json_body(&params)
            });
        self.caller.call(op)
    }

    /// Moves a file into a folder.
    ///
    /// `POST /v1/files/move`
    pub fn r#move(&self, params: MoveFile) -> C::Call<()> {
        let op = check_not_empty("sourceFilePath", &params.source_file_path)
            .and_then(|()| check_not_empty("destinationPath", &params.destination_path))
            .and_then(|()| {
                Operation::empty("move-file", Method::POST, ApiPath::new("/v1/files/move")).json_body(&params)
            });
        self.caller.call(op)
    }

    /// Renames a file (all its versions). A 207 answer (renamed, cache not purged) is a success
    /// with [`RenameFileResult::partial`] set.
    ///
    /// Not retried once the request may have reached ImageKit: a second rename would fail,
    /// since the first one moved the file.
    ///
    /// `PUT /v1/files/rename`
    pub fn rename(&self, params: RenameFile) -> C::Call<RenameFileResult> {
        let op = check_not_empty("filePath", &params.file_path)
            .and_then(|()| check_not_empty("newFileName", &params.new_file_name))
            .and_then(|()| {
                Operation::json_partial("rename-file", Method::PUT, ApiPath::new("/v1/files/rename"))
                    .json_body(&params)
            });
        self.caller.call(op)
    }

    /// Bulk operations: delete, add tags, remove tags, remove AI tags.
    pub fn bulk(&self) -> Bulk<C> {
        Bulk::new(self.caller.clone())
    }

    /// Uploads a file through `POST /api/v1/files/upload` on the upload host, stored as
    /// `file_name`. Set fields on the returned call, then `.await` it; see [`crate::upload`].
    ///
    /// Like the SDKs' `client.files.upload({file, fileName, ..})`.
    pub fn upload(&self, file: UploadSource, file_name: &str) -> UploadCall<C> {
        UploadCall::v1(self.caller.clone(), file, file_name)
    }

    /// Uploads a file through `POST /api/v2/files/upload` (beta), which also accepts a JWT for
    /// client-side uploads ([`UploadCall::jwt_auth`]).
    ///
    /// Like the SDKs' `client.beta.v2.files.upload({file, fileName, ..})`.
    pub fn upload_v2(&self, file: UploadSource, file_name: &str) -> UploadCall<C> {
        UploadCall::v2(self.caller.clone(), file, file_name)
    }

    /// The versions of a file: list, get, delete, restore.
    pub fn versions(&self) -> Versions<C> {
        Versions::new(self.caller.clone())
    }

    /// Technical metadata of an uploaded file or of any ImageKit URL.
    pub fn metadata(&self) -> FileMetadata<C> {
        FileMetadata::new(self.caller.clone())
    }
}

/// Parameters of [`Files::copy`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CopyFile {
    /// The file to copy, e.g. `/catalog/shoe.jpg`.
    pub source_file_path: String,
    /// The folder to copy it into, e.g. `/archive/`.
    pub destination_path: String,
    /// Whether to copy the file's versions too (the API's default: no).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_file_versions: Option<bool>,
}

impl CopyFile {
    /// Copies `source_file_path` into the folder `destination_path`.
    pub fn new(source_file_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        Self {
            source_file_path: source_file_path.into(),
            destination_path: destination_path.into(),
            include_file_versions: None,
        }
    }

    /// Copies the file's versions too.
    pub fn include_file_versions(mut self, include: bool) -> Self {
        self.include_file_versions = Some(include);
        self
    }
}

/// Parameters of [`Files::r#move`](Files::move).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MoveFile {
    /// The file to move, e.g. `/catalog/shoe.jpg`.
    pub source_file_path: String,
    /// The folder to move it into, e.g. `/archive/`.
    pub destination_path: String,
}

impl MoveFile {
    /// Moves `source_file_path` into the folder `destination_path`.
    pub fn new(source_file_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        Self { source_file_path: source_file_path.into(), destination_path: destination_path.into() }
    }
}

/// Parameters of [`Files::rename`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenameFile {
    /// The file to rename, e.g. `/catalog/shoe.jpg`.
    pub file_path: String,
    /// The new name, without a path, e.g. `sneaker.jpg`.
    pub new_file_name: String,
    /// Whether to purge the CDN cache of the old URL (the API's default: no).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_cache: Option<bool>,
}

impl RenameFile {
    /// Renames `file_path` to `new_file_name`.
    pub fn new(file_path: impl Into<String>, new_file_name: impl Into<String>) -> Self {
        Self { file_path: file_path.into(), new_file_name: new_file_name.into(), purge_cache: None }
    }

    /// Purges the CDN cache of the old URL; the purge's id comes back in the result.
    pub fn purge_cache(mut self, purge: bool) -> Self {
        self.purge_cache = Some(purge);
        self
    }
}

/// What [`Files::update`] changes: the details, or the publication status, never both.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum UpdateFile {
    /// Tags, custom coordinates, custom metadata, description, extensions.
    Details(Box<UpdateFileDetails>),
    /// Publish or unpublish.
    Publication(UpdateFilePublication),
}

impl From<UpdateFileDetails> for UpdateFile {
    fn from(update: UpdateFileDetails) -> Self {
        Self::Details(Box::new(update))
    }
}

impl From<UpdateFilePublication> for UpdateFile {
    fn from(update: UpdateFilePublication) -> Self {
        Self::Publication(update)
    }
}

/// Which AI tags to remove in an [`UpdateFileDetails`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemoveAiTags {
    /// All of them (`"all"`).
    All,
    /// These ones.
    Tags(Vec<String>),
}

impl Serialize for RemoveAiTags {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::All => serializer.serialize_str("all"),
            Self::Tags(tags) => tags.serialize(serializer),
        }
    }
}

/// Detail updates of a file; only the fields set are sent.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateFileDetails {
    /// AI tags to remove.
    #[serde(rename = "removeAITags", skip_serializing_if = "Option::is_none")]
    pub remove_ai_tags: Option<RemoveAiTags>,
    /// Where to send a webhook when extensions finish.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// Extensions to run on the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<Extension>>,
    /// The new tags; `Some(None)` removes all tags (sends `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Option<Vec<String>>>,
    /// The new custom coordinates `x,y,width,height`; `Some(None)` removes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_coordinates: Option<Option<String>>,
    /// Custom metadata values to set, by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Map<String, Value>>,
    /// A new description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl UpdateFileDetails {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags = Some(Some(tags.into_iter().map(Into::into).collect()));
        self
    }

    /// Removes all tags.
    pub fn clear_tags(mut self) -> Self {
        self.tags = Some(None);
        self
    }

    /// Sets custom coordinates, `x,y,width,height`.
    pub fn custom_coordinates(mut self, coordinates: impl Into<String>) -> Self {
        self.custom_coordinates = Some(Some(coordinates.into()));
        self
    }

    /// Removes the custom coordinates.
    pub fn clear_custom_coordinates(mut self) -> Self {
        self.custom_coordinates = Some(None);
        self
    }

    /// Sets one custom metadata value.
    pub fn custom_metadata(mut self, field: impl Into<String>, value: impl Into<Value>) -> Self {
        self.custom_metadata.get_or_insert_with(Map::new).insert(field.into(), value.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Removes AI tags.
    pub fn remove_ai_tags(mut self, which: RemoveAiTags) -> Self {
        self.remove_ai_tags = Some(which);
        self
    }

    /// Runs an extension (call again for more).
    pub fn extension(mut self, extension: Extension) -> Self {
        self.extensions.get_or_insert_with(Vec::new).push(extension);
        self
    }

    /// Where to send a webhook when extensions finish.
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }
}

/// A publication change of a file.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct UpdateFilePublication {
    /// The publication status.
    pub publish: PublishStatus,
}

/// The publication status in an [`UpdateFilePublication`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublishStatus {
    /// Whether the file is published.
    pub is_published: bool,
    /// Whether the change applies to the file's versions too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_file_versions: Option<bool>,
}

impl UpdateFilePublication {
    /// Publishes (`true`) or unpublishes (`false`) the file.
    pub fn new(is_published: bool) -> Self {
        Self { publish: PublishStatus { is_published, include_file_versions: None } }
    }

    /// Applies the change to the file's versions too.
    pub fn include_file_versions(mut self, include: bool) -> Self {
        self.publish.include_file_versions = Some(include);
        self
    }
}
