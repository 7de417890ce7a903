//! Technical metadata: `client.files().metadata()`.

use http::Method;

use crate::caller::Caller;
use crate::models::Metadata;
use crate::operation::{ApiPath, Operation};
use crate::resources::handle::check_not_empty;
use crate::resources::handle::resource;

resource! {
    /// Metadata operations, from [`crate::resources::files::Files::metadata`].
    FileMetadata
}

impl<C: Caller> FileMetadata<C> {
    /// Metadata (dimensions, format, pHash, EXIF, ...) of an uploaded file.
    ///
    /// `GET /v1/files/{fileId}/metadata`
    pub fn get(&self, file_id: &str) -> C::Call<Metadata> {
        let op = ApiPath::new("/v1/files")
            .id("fileId", file_id)
            .map(|p| Operation::json("get-uploaded-file-metadata", Method::GET, p.lit("metadata")));
        self.caller.call(op)
    }

    /// Metadata of the file behind an ImageKit URL (`https://ik.imagekit.io/...`).
    ///
    /// `GET /v1/metadata?url=..`
    pub fn get_from_url(&self, url: &str) -> C::Call<Metadata> {
        let op = check_not_empty("url", url).map(|()| {
            Operation::json("get-metadata-from-url", Method::GET, ApiPath::new("/v1/metadata"))
                .query("url", url)
        });
        self.caller.call(op)
    }
}
