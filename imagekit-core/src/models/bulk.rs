//! Results of bulk file operations and folder jobs, including 207 partial successes.

use std::marker::PhantomData;

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

/// What a bulk operation did: the files it acted on and, in a partial success (HTTP 207), the
/// ones it could not, with why.
///
/// One type for every bulk operation, [`BulkDeleteResult`] and [`BulkTagsResult`]; only the
/// wire name of the list of files differs (`successfullyDeletedFileIds`,
/// `successfullyUpdatedFileIds`), and `K` knows it.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct BulkResult<K> {
    /// The files the operation acted on (deleted, or updated).
    pub file_ids: Vec<String>,
    /// The files it could not act on, and why (only in a partial success).
    pub errors: Vec<BulkItemError>,
    /// Whether ImageKit answered 207: some files failed.
    pub partial: bool,
    /// Fields this version of the crate does not know, kept as sent.
    pub extra: Map<String, Value>,
    kind: PhantomData<fn() -> K>,
}

/// What a bulk delete did (`successfullyDeletedFileIds`).
pub type BulkDeleteResult = BulkResult<Deleted>;
/// What a bulk tag change did (`successfullyUpdatedFileIds`).
pub type BulkTagsResult = BulkResult<TagsUpdated>;

/// Which bulk operation a [`BulkResult`] is of: the wire name of its list of files.
pub trait BulkKind {
    /// The field listing the files acted on.
    const FILE_IDS_FIELD: &'static str;
}

/// A bulk delete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deleted;

impl BulkKind for Deleted {
    const FILE_IDS_FIELD: &'static str = "successfullyDeletedFileIds";
}

/// A bulk change of tags or AI tags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagsUpdated;

impl BulkKind for TagsUpdated {
    const FILE_IDS_FIELD: &'static str = "successfullyUpdatedFileIds";
}

impl<K> BulkResult<K> {
    /// Whether every file was acted on.
    pub fn is_complete(&self) -> bool {
        !self.partial && self.errors.is_empty()
    }

    /// Adds the outcome of another part of the same bulk operation (a chunk of its files):
    /// the files and errors of both; partial if either was.
    pub fn merge(&mut self, other: Self) {
        self.file_ids.extend(other.file_ids);
        self.errors.extend(other.errors);
        self.partial |= other.partial;
        for (key, value) in other.extra {
            self.extra.entry(key).or_insert(value);
        }
    }
}

impl<K> PartialSuccess for BulkResult<K> {
    fn mark_partial(&mut self) {
        self.partial = true;
    }
}

impl<'de, K: BulkKind> Deserialize<'de> for BulkResult<K> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut extra = Map::<String, Value>::deserialize(deserializer)?;
        let mut take = |field: &str| extra.remove(field).filter(|v| !v.is_null());
        let file_ids = match take(K::FILE_IDS_FIELD) {
            Some(ids) => serde_json::from_value(ids)
                .map_err(|e| D::Error::custom(format!("{}: {e}", K::FILE_IDS_FIELD)))?,
            None => Vec::new(),
        };
        let errors = match take("errors") {
            Some(errors) => {
                serde_json::from_value(errors).map_err(|e| D::Error::custom(format!("errors: {e}")))?
            }
            None => Vec::new(),
        };
        Ok(Self { file_ids, errors, partial: false, extra, kind: PhantomData })
    }
}

impl<K: BulkKind> Serialize for BulkResult<K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(K::FILE_IDS_FIELD, &self.file_ids)?;
        map.serialize_entry("errors", &self.errors)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_result_type_reads_and_writes_each_kind_by_its_wire_name() {
        let json = serde_json::json!({"successfullyDeletedFileIds": ["a"], "errors": [{"fileId": "b", "error": "locked"}], "new": 1});
        let deleted: BulkDeleteResult = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(deleted.file_ids, ["a"]);
        assert_eq!(deleted.errors[0].file_id.as_deref(), Some("b"));
        assert_eq!(deleted.extra["new"], 1);
        assert_eq!(serde_json::to_value(&deleted).unwrap(), json);

        let tagged: BulkTagsResult =
            serde_json::from_value(serde_json::json!({"successfullyUpdatedFileIds": ["c"], "errors": null}))
                .unwrap();
        assert_eq!(tagged.file_ids, ["c"]);
        assert!(tagged.errors.is_empty());
        assert!(
            serde_json::from_value::<BulkTagsResult>(serde_json::json!({"successfullyUpdatedFileIds": 5}))
                .is_err()
        );
    }

    #[test]
    fn merged_parts_add_up() {
        let mut first: BulkDeleteResult =
            serde_json::from_value(serde_json::json!({"successfullyDeletedFileIds": ["a"]})).unwrap();
        let mut second: BulkDeleteResult = serde_json::from_value(
            serde_json::json!({"successfullyDeletedFileIds": ["b"], "errors": [{"fileId": "c"}]}),
        )
        .unwrap();
        second.mark_partial();
        first.merge(second);
        assert_eq!(first.file_ids, ["a", "b"]);
        assert_eq!(first.errors.len(), 1);
        assert!(first.partial && !first.is_complete());
    }
}
