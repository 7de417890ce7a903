//! Bulk file operations: `client.files().bulk()`.
//!
//! A 207 answer (some files failed) is a success whose value lists the failures; a 404 whose
//! body lists `missingFileIds` is an error, read with [`crate::ApiError::missing_file_ids`].

use http::Method;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{BulkDeleteResult, BulkTagsResult};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::background::{ChunkStep, absorb};
use crate::resources::handle::check_count;
use crate::resources::handle::resource;

/// At most this many files in one bulk delete.
pub const MAX_DELETE_FILES: usize = 100;
/// At most this many files in one bulk tag operation.
pub const MAX_TAG_FILES: usize = 50;

resource! {
    /// Bulk file operations, from [`crate::resources::files::Files::bulk`].
    Bulk
}

/// Adds to a count error where to go for more files than one request takes.
fn split_hint(method: &'static str) -> impl Fn(Error) -> Error {
    move |error| match &error {
        Error::InvalidInput(e) if e.reason().contains("at most") || e.reason().contains("between") => {
            Error::invalid_input(
                "fileIds",
                format!("{}; {method} splits more into several requests", e.reason()),
            )
        }
        _ => error,
    }
}

fn strings<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileIds {
    file_ids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tags {
    file_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(rename = "AITags", skip_serializing_if = "Option::is_none")]
    ai_tags: Option<Vec<String>>,
}

impl<C: Caller> Bulk<C> {
    /// Deletes up to 100 files and all their versions (more: [`Bulk::delete_all`] on a client).
    ///
    /// `POST /v1/files/batch/deleteByFileIds`
    pub fn delete<S: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
    ) -> C::Call<BulkDeleteResult> {
        let body = FileIds { file_ids: strings(file_ids) };
        let op = check_count("fileIds", body.file_ids.len(), 1, MAX_DELETE_FILES)
            .map_err(split_hint("delete_all"))
            .and_then(|()| {
                Operation::json_partial(
                    "delete-multiple-files",
                    Method::POST,
                    ApiPath::new("/v1/files/batch/deleteByFileIds"),
                )
                .with_idempotency(Idempotency::Deletion)
                .json_body(&body)
            });
        self.caller.call(op)
    }

    /// Adds tags to up to 50 files.
    ///
    /// `POST /v1/files/addTags`
    pub fn add_tags<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        tags: impl IntoIterator<Item = T>,
    ) -> C::Call<BulkTagsResult> {
        let body = Tags { file_ids: strings(file_ids), tags: Some(strings(tags)), ai_tags: None };
        self.tags("add-tags-bulk", "/v1/files/addTags", "tags", body)
    }

    /// Removes tags from up to 50 files.
    ///
    /// `POST /v1/files/removeTags`
    pub fn remove_tags<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        tags: impl IntoIterator<Item = T>,
    ) -> C::Call<BulkTagsResult> {
        let body = Tags { file_ids: strings(file_ids), tags: Some(strings(tags)), ai_tags: None };
        self.tags("remove-tags-bulk", "/v1/files/removeTags", "tags", body)
    }

    /// Removes AI tags from up to 50 files.
    ///
    /// `POST /v1/files/removeAITags`
    pub fn remove_ai_tags<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        ai_tags: impl IntoIterator<Item = T>,
    ) -> C::Call<BulkTagsResult> {
        let body = Tags { file_ids: strings(file_ids), tags: None, ai_tags: Some(strings(ai_tags)) };
        self.tags("remove-ai-tags-bulk", "/v1/files/removeAITags", "AITags", body)
    }

    fn tags(
        &self,
        name: &'static str,
        path: &'static str,
        tags_field: &'static str,
        body: Tags,
    ) -> C::Call<BulkTagsResult> {
        let tag_count = body.tags.as_ref().or(body.ai_tags.as_ref()).map_or(0, Vec::len);
        let op = check_count("fileIds", body.file_ids.len(), 1, MAX_TAG_FILES)
            .map_err(split_hint("the *_all methods"))
            .and_then(|()| check_count(tags_field, tag_count, 1, usize::MAX))
            .and_then(|()| Operation::json_partial(name, Method::POST, ApiPath::new(path)).json_body(&body))
            // Adding or removing the same tags twice leaves the files as once: safe to retry.
            .map(|op| op.with_idempotency(Idempotency::Idempotent));
        self.caller.call(op)
    }
}

/// Bulk operations over any number of files, on the async client: split into requests of at
/// most 100 files (50 for tags), sent one after another, with their results merged.
impl Bulk<crate::client::Client> {
    /// Deletes any number of files, 100 per request, and merges what each request did.
    ///
    /// Files ImageKit cannot find are listed in the result's `errors` (a request with missing
    /// files deletes none of them, so the rest of that request is sent again); a request that
    /// fails lists its files there with the reason. No or wrong credentials end it at once.
    pub async fn delete_all<S: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
    ) -> Result<BulkDeleteResult, Error> {
        let ids = strings(file_ids);
        let mut result = BulkDeleteResult::default();
        for chunk in ids.chunks(MAX_DELETE_FILES) {
            let mut pending = chunk.to_vec();
            loop {
                let outcome = self.delete(pending.clone()).await;
                if let ChunkStep::Next = absorb(&mut result, &mut pending, outcome)? {
                    break;
                }
            }
        }
        Ok(result)
    }

    /// Adds tags to any number of files, 50 per request; see [`Bulk::delete_all`].
    pub async fn add_tags_all<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        tags: impl IntoIterator<Item = T>,
    ) -> Result<BulkTagsResult, Error> {
        let tags = strings(tags);
        self.tags_all(file_ids, |ids| self.add_tags(ids, tags.clone())).await
    }

    /// Removes tags from any number of files, 50 per request; see [`Bulk::delete_all`].
    pub async fn remove_tags_all<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        tags: impl IntoIterator<Item = T>,
    ) -> Result<BulkTagsResult, Error> {
        let tags = strings(tags);
        self.tags_all(file_ids, |ids| self.remove_tags(ids, tags.clone())).await
    }

    /// Removes AI tags from any number of files, 50 per request; see [`Bulk::delete_all`].
    pub async fn remove_ai_tags_all<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        ai_tags: impl IntoIterator<Item = T>,
    ) -> Result<BulkTagsResult, Error> {
        let tags = strings(ai_tags);
        self.tags_all(file_ids, |ids| self.remove_ai_tags(ids, tags.clone())).await
    }

    async fn tags_all<S: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        call: impl Fn(Vec<String>) -> crate::call::Call<BulkTagsResult>,
    ) -> Result<BulkTagsResult, Error> {
        let ids = strings(file_ids);
        let mut result = BulkTagsResult::default();
        for chunk in ids.chunks(MAX_TAG_FILES) {
            let mut pending = chunk.to_vec();
            loop {
                let outcome = call(pending.clone()).await;
                if let ChunkStep::Next = absorb(&mut result, &mut pending, outcome)? {
                    break;
                }
            }
        }
        Ok(result)
    }
}

/// The same on the blocking client.
#[cfg(not(target_arch = "wasm32"))]
impl Bulk<crate::blocking::BlockingClient> {
    /// Deletes any number of files, 100 per request; as the async client's `delete_all`.
    pub fn delete_all<S: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
    ) -> Result<BulkDeleteResult, Error> {
        let ids = strings(file_ids);
        let mut result = BulkDeleteResult::default();
        for chunk in ids.chunks(MAX_DELETE_FILES) {
            let mut pending = chunk.to_vec();
            loop {
                let outcome = self.delete(pending.clone());
                if let ChunkStep::Next = absorb(&mut result, &mut pending, outcome)? {
                    break;
                }
            }
        }
        Ok(result)
    }

    /// Adds tags to any number of files, 50 per request; as the async client's `add_tags_all`.
    pub fn add_tags_all<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        tags: impl IntoIterator<Item = T>,
    ) -> Result<BulkTagsResult, Error> {
        let tags = strings(tags);
        self.tags_all(file_ids, |ids| self.add_tags(ids, tags.clone()))
    }

    /// Removes tags from any number of files, 50 per request.
    pub fn remove_tags_all<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        tags: impl IntoIterator<Item = T>,
    ) -> Result<BulkTagsResult, Error> {
        let tags = strings(tags);
        self.tags_all(file_ids, |ids| self.remove_tags(ids, tags.clone()))
    }

    /// Removes AI tags from any number of files, 50 per request.
    pub fn remove_ai_tags_all<S: Into<String>, T: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        ai_tags: impl IntoIterator<Item = T>,
    ) -> Result<BulkTagsResult, Error> {
        let tags = strings(ai_tags);
        self.tags_all(file_ids, |ids| self.remove_ai_tags(ids, tags.clone()))
    }

    fn tags_all<S: Into<String>>(
        &self,
        file_ids: impl IntoIterator<Item = S>,
        call: impl Fn(Vec<String>) -> Result<BulkTagsResult, Error>,
    ) -> Result<BulkTagsResult, Error> {
        let ids = strings(file_ids);
        let mut result = BulkTagsResult::default();
        for chunk in ids.chunks(MAX_TAG_FILES) {
            let mut pending = chunk.to_vec();
            loop {
                let outcome = call(pending.clone());
                if let ChunkStep::Next = absorb(&mut result, &mut pending, outcome)? {
                    break;
                }
            }
        }
        Ok(result)
    }
}
