//! Typed models of what ImageKit sends and accepts, apart from the plumbing.

mod file;
pub(crate) mod string_enum;
mod upload;

pub use file::{AiTag, CustomMetadataFieldType, File, FileKind, FileType, SelectedFieldSchema, VersionInfo};
pub use upload::{ExtensionStatus, Upload, UploadOutcome};
