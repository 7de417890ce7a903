//! Typed models of what ImageKit sends and accepts, apart from the plumbing.

mod account;
mod asset;
mod bulk;
mod custom_metadata_field;
mod extension;
mod file;
mod metadata;
mod named_transformation;
pub(crate) mod string_enum;
mod upload;

pub use account::{
    CacheAnalytics, Origin, OriginType, UrlEndpoint, UrlRewriter, UrlRewriterType, Usage, UsageAnalytics,
};
pub use asset::{Asset, AssetSort, AssetType, FileTypeFilter, Folder};
pub use bulk::{
    BulkDeleteResult, BulkItemError, BulkJob, BulkJobType, BulkKind, BulkResult, BulkTagsResult, Deleted,
    FolderJob, JobStatus, PurgeRequest, PurgeStatus, RenameFileResult, TagsUpdated,
};
pub use custom_metadata_field::{CustomMetadataField, CustomMetadataFieldSchema};
pub use extension::{Extension, ExtensionName, ExtensionStatus, SavedExtension};
pub use file::{AiTag, CustomMetadataFieldType, File, FileKind, FileType, SelectedFieldSchema, VersionInfo};
pub use metadata::{Exif, Metadata};
pub use named_transformation::NamedTransformation;
pub use upload::{Upload, UploadOutcome};
