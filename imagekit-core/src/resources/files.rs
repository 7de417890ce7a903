//! Files: `client.files()`.

use http::Method;

use crate::client::{Call, Client};
use crate::models::File;
use crate::operation::{ApiPath, Operation};
use crate::resources::versions::Versions;

/// File operations, from [`Client::files`].
#[derive(Clone, Copy, Debug)]
pub struct Files<'c> {
    client: &'c Client,
}

impl<'c> Files<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }

    /// Details of a file's current version.
    ///
    /// `GET /v1/files/{fileId}/details`
    pub fn get(&self, file_id: &str) -> Call<'c, File> {
        self.client.call((|| {
            let path = ApiPath::new("/v1/files").id("fileId", file_id)?.lit("details");
            Ok(Operation::json("get-file-details", Method::GET, path))
        })())
    }

    /// The versions of a file: list, get, delete, restore.
    pub fn versions(&self) -> Versions<'c> {
        Versions::new(self.client)
    }
}
