//! Typed models of what ImageKit sends and accepts, apart from the plumbing.

mod account;
mod account_webhook;
mod asset;
mod bulk;
mod custom_metadata_field;
mod extension;
mod file;
mod folder_job;
mod metadata;
mod named_transformation;
mod purge;
pub(crate) mod string_enum;
mod upload;

/// The accessors for the fields most code reads, for each model that carries a file's id,
/// version, path, URL and tags: `file.version_id()` instead of
/// `file.version_info.as_ref().and_then(|v| v.id.as_deref())`.
macro_rules! file_accessors {
    ($model:ty) => {
        impl $model {
            /// The file's id.
            pub fn id(&self) -> Option<&str> {
                self.file_id.as_deref()
            }

            /// The id of the version this object describes.
            pub fn version_id(&self) -> Option<&str> {
                self.version_info.as_ref()?.id.as_deref()
            }

            /// The name of the version this object describes, such as `Version 2`.
            pub fn version_name(&self) -> Option<&str> {
                self.version_info.as_ref()?.name.as_deref()
            }

            /// The file's path, e.g. `/images/shoe.jpg`.
            pub fn path(&self) -> Option<&str> {
                self.file_path.as_deref()
            }

            /// The file's URL.
            pub fn url(&self) -> Option<&str> {
                self.url.as_deref()
            }

            /// The tags, empty when the file has none.
            pub fn tag_list(&self) -> &[String] {
                self.tags.as_deref().unwrap_or_default()
            }
        }
    };
}
pub(crate) use file_accessors;

pub use account::{
    Breakdown, CacheAnalytics, NamedCount, Origin, OriginType, UrlEndpoint, UrlRewriter, UrlRewriterType,
    Usage, UsageAnalytics, UsageEntry, VideoProcessingUsage,
};
pub use account_webhook::{Webhook, WebhookEventType};
pub use asset::{Asset, AssetSort, AssetType, Creator, FileTypeFilter, Folder};
pub use bulk::{BulkDeleteResult, BulkItemError, BulkKind, BulkResult, BulkTagsResult, Deleted, TagsUpdated};
pub use custom_metadata_field::{CustomMetadataField, CustomMetadataFieldSchema};
pub use extension::{Extension, ExtensionName, ExtensionStatus, SavedExtension};
pub use file::{
    AiTag, CustomMetadataFieldType, File, FileKind, FileType, RenameFileResult, SelectedFieldSchema,
    VersionInfo,
};
pub use folder_job::{BulkJob, BulkJobType, FolderJob, JobStatus};
pub use metadata::{Exif, Metadata};
pub use named_transformation::NamedTransformation;
pub use purge::{PurgeRequest, PurgeStatus};
pub use upload::{Upload, UploadOutcome};
