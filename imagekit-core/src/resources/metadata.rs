//! Technical metadata: `client.files().metadata()`.

use http::Method;

use crate::client::{Call, Client};
use crate::models::Metadata;
use crate::operation::{ApiPath, Operation};
use crate::resources::check_not_empty;

/// Metadata operations, from [`crate::resources::files::Files::metadata`].
#[derive(Clone, Copy, Debug)]
pub struct FileMetadata<'c> {
    pub(crate) client: &'c Client,
}

impl<'c> FileMetadata<'c> {
    /// Metadata (dimensions, format, pHash, EXIF, ...) of an uploaded file.
    ///
    /// `GET /v1/files/{fileId}/metadata`
    pub fn get(&self, file_id: &str) -> Call<'c, Metadata> {
        let op = ApiPath::new("/v1/files")
            .id("fileId", file_id)
            .map(|p| Operation::json("get-uploaded-file-metadata", Method::GET, p.lit("metadata")));
        self.client.call(op)
    }

    /// Metadata of the file behind an ImageKit URL (`https://ik.imagekit.io/...`).
    ///
    /// `GET /v1/metadata?url=..`
    pub fn get_from_url(&self, url: &str) -> Call<'c, Metadata> {
        let op = check_not_empty("url", url).map(|()| {
            Operation::json("get-metadata-from-url", Method::GET, ApiPath::new("/v1/metadata"))
                .query("url", url)
        });
        self.client.call(op)
    }
}
