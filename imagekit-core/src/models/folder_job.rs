//! Folder copies, moves and renames, which run as background jobs.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::string_enum;
use crate::operation::PartialSuccess;

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
