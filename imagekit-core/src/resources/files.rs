//! Files: `client.files()`.

use http::Method;

use crate::client::{Call, Client};
use crate::models::File;
use crate::operation::{ApiPath, Operation};
use crate::resources::versions::Versions;
use crate::upload::{UploadCall, UploadSource};

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

    /// Uploads a file through `POST /api/v1/files/upload` on the upload host, stored as
    /// `file_name`. Set fields on the returned call, then `.await` it; see [`crate::upload`].
    ///
    /// Like the SDKs' `client.files.upload({file, fileName, ..})`.
    pub fn upload(&self, file: UploadSource, file_name: &str) -> UploadCall<'c> {
        UploadCall::v1(self.client, file, file_name)
    }

    /// Uploads a file through `POST /api/v2/files/upload` (beta), which also accepts a JWT for
    /// client-side uploads ([`UploadCall::jwt_auth`]).
    ///
    /// Like the SDKs' `client.beta.v2.files.upload({file, fileName, ..})`.
    pub fn upload_v2(&self, file: UploadSource, file_name: &str) -> UploadCall<'c> {
        UploadCall::v2(self.client, file, file_name)
    }

    /// The versions of a file: list, get, delete, restore.
    pub fn versions(&self) -> Versions<'c> {
        Versions::new(self.client)
    }
}
