//! Results of bulk file operations, including 207 partial successes.

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
