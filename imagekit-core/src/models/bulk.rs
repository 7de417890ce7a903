//! Results of bulk file operations and folder jobs, including 207 partial successes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::string_enum;
use crate::operation::PartialSuccess;

/// One file a bulk operation could not process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkItemError {
    /// The file's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a bulk delete did. A 207 answer is a partial success: [`BulkDeleteResult::errors`] says
/// which files were not deleted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkDeleteResult {
    /// The files that were deleted.
    #[serde(default)]
    pub successfully_deleted_file_ids: Vec<String>,
    /// The files that were not deleted, and why (only in a partial success).
    #[serde(default)]
    pub errors: Vec<BulkItemError>,
    /// Whether ImageKit answered 207: some files failed.
    #[serde(skip)]
    pub partial: bool,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BulkDeleteResult {
    /// Whether every file was deleted.
    pub fn is_complete(&self) -> bool {
        !self.partial && self.errors.is_empty()
    }
}

impl PartialSuccess for BulkDeleteResult {
    fn mark_partial(&mut self) {
        self.partial = true;
    }
}

/// What a bulk tag operation did. A 207 answer is a partial success: [`BulkTagsResult::errors`]
/// says which files were not updated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkTagsResult {
    /// The files that were updated.
    #[serde(default)]
    pub successfully_updated_file_ids: Vec<String>,
    /// The files that were not updated, and why (only in a partial success).
    #[serde(default)]
    pub errors: Vec<BulkItemError>,
    /// Whether ImageKit answered 207: some files failed.
    #[serde(skip)]
    pub partial: bool,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BulkTagsResult {
    /// Whether every file was updated.
    pub fn is_complete(&self) -> bool {
        !self.partial && self.errors.is_empty()
    }
}

impl PartialSuccess for BulkTagsResult {
    fn mark_partial(&mut self) {
        self.partial = true;
    }
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

/// A folder copy, move or rename accepted as a background job.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FolderJob {
    /// The job's id, for `client.folders().job().get(..)`.
    #[serde(default)]
    pub job_id: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// What a bulk job does.
    pub enum BulkJobType {
        /// Copies a folder.
        CopyFolder => "COPY_FOLDER",
        /// Moves a folder.
        MoveFolder => "MOVE_FOLDER",
        /// Renames a folder.
        RenameFolder => "RENAME_FOLDER",
    }
}

string_enum! {
    /// Where a bulk job or a purge request is.
    pub enum JobStatus {
        /// Still running.
        Pending => "Pending",
        /// Done.
        Completed => "Completed",
    }
}

/// The status of a folder job. A 207 answer means the job finished but a step after it (such
/// as purging the cache after a rename) failed; `message` says what.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkJob {
    /// The job's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// What the job does.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<BulkJobType>,
    /// Whether it is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<JobStatus>,
    /// The purge request started after a rename with `purgeCache`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_request_id: Option<String>,
    /// What went wrong in a partial success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// ImageKit's help text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Whether ImageKit answered 207.
    #[serde(skip)]
    pub partial: bool,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PartialSuccess for BulkJob {
    fn mark_partial(&mut self) {
        self.partial = true;
    }
}

/// A purge request accepted by ImageKit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PurgeRequest {
    /// The request's id, for `client.cache().invalidation().get(..)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a purge request is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PurgeStatus {
    /// `Pending` or `Completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<JobStatus>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
