//! File versions: `client.files().versions()`.
//!
//! ```
//! # async fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
//! let versions = client.files().versions().list("file_id").await?;
//! if let Some(id) = versions.last().and_then(|v| v.version_info.as_ref()?.id.as_deref()) {
//!     let version = client.files().versions().get("file_id", id).await?;
//!     println!("{:?}", version.url);
//! }
//! # Ok(()) }
//! ```

use http::Method;

use crate::caller::Caller;
use crate::models::File;
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::handle::resource;

resource! {
    /// File version operations, from [`crate::resources::files::Files::versions`].
    Versions
}

/// `/v1/files/{fileId}/versions[/{versionId}]`, with both ids checked and encoded.
fn versions_path(file_id: &str, version_id: Option<&str>) -> Result<ApiPath, crate::error::Error> {
    let path = ApiPath::new("/v1/files").id("fileId", file_id)?.lit("versions");
    match version_id {
        Some(id) => path.id("versionId", id),
        None => Ok(path),
    }
}

impl<C: Caller> Versions<C> {
    /// All versions of a file, the current one included.
    ///
    /// `GET /v1/files/{fileId}/versions`
    pub fn list(&self, file_id: &str) -> C::Call<Vec<File>> {
        let op = versions_path(file_id, None).map(|p| Operation::json("list-file-versions", Method::GET, p));
        self.caller.call(op)
    }

    /// Details of one version of a file.
    ///
    /// `GET /v1/files/{fileId}/versions/{versionId}`
    pub fn get(&self, file_id: &str, version_id: &str) -> C::Call<File> {
        let op = versions_path(file_id, Some(version_id))
            .map(|p| Operation::json("get-file-version-details", Method::GET, p));
        self.caller.call(op)
    }

    /// Deletes a version that is not the current one (deleting the current version is an API error).
    ///
    /// `DELETE /v1/files/{fileId}/versions/{versionId}`
    pub fn delete(&self, file_id: &str, version_id: &str) -> C::Call<()> {
        let op = versions_path(file_id, Some(version_id)).map(|p| {
            Operation::empty("delete-file-version", Method::DELETE, p).with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }

    /// Makes a copy of a version the file's current version, and returns it.
    ///
    /// Not retried once the request may have reached ImageKit: a second restore would add
    /// another version.
    ///
    /// `PUT /v1/files/{fileId}/versions/{versionId}/restore`
    pub fn restore(&self, file_id: &str, version_id: &str) -> C::Call<File> {
        let op = versions_path(file_id, Some(version_id))
            .map(|p| Operation::json("restore-file-version", Method::PUT, p.lit("restore")));
        self.caller.call(op)
    }
}
