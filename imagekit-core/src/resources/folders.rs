//! Folders: `client.folders()`.
//!
//! Copy, move and rename run as background jobs: each returns a [`FolderJob`] whose id
//! `client.folders().job().get(..)` follows. A folder busy with another job answers 423.

use http::Method;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{BulkJob, FolderJob, JobStatus};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::background::{Backoff, Polling};
use crate::resources::handle::check_not_empty;
use crate::resources::handle::resource;

resource! {
    /// Folder operations, from [`crate::Client::folders`].
    Folders
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateFolder<'a> {
    folder_name: &'a str,
    parent_folder_path: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeleteFolder<'a> {
    folder_path: &'a str,
}

impl<C: Caller> Folders<C> {
    /// Creates `folder_name` inside `parent_folder_path` (`/` for the root), with any missing
    /// parents. ImageKit answers 201.
    ///
    /// `POST /v1/folder`
    pub fn create(&self, folder_name: &str, parent_folder_path: &str) -> C::Call<()> {
        let body = CreateFolder { folder_name, parent_folder_path };
        let op = check_not_empty("folderName", folder_name)
            .and_then(|()| check_not_empty("parentFolderPath", parent_folder_path))
            .and_then(|()| {
                Operation::empty("create-folder", Method::POST, ApiPath::new("/v1/folder")).json_body(&body)
            });
        self.caller.call(op)
    }

    /// Deletes a folder with everything in it. The folder travels in a JSON body.
    ///
    /// `DELETE /v1/folder`
    pub fn delete(&self, folder_path: &str) -> C::Call<()> {
        let op = check_not_empty("folderPath", folder_path).and_then(|()| {
            Operation::empty("delete-folder", Method::DELETE, ApiPath::new("/v1/folder"))
                .with_idempotency(Idempotency::Deletion)
                .json_body(&DeleteFolder { folder_path })
        });
        self.caller.call(op)
    }

    /// Starts copying a folder into another.
    ///
    /// `POST /v1/bulkJobs/copyFolder`
    pub fn copy(&self, params: CopyFolder) -> C::Call<FolderJob> {
        let op = check_not_empty("sourceFolderPath", &params.source_folder_path)
            .and_then(|()| check_not_empty("destinationPath", &params.destination_path))
            .and_then(|()| {
                Operation::json("copy-folder", Method::POST, ApiPath::new("/v1/bulkJobs/copyFolder"))
                    .json_body(&params)
            });
        self.caller.call(op)
    }

    /// Starts moving a folder into another.
    ///
    /// `POST /v1/bulkJobs/moveFolder`
    pub fn r#move(&self, params: MoveFolder) -> C::Call<FolderJob> {
        let op = check_not_empty("sourceFolderPath", &params.source_folder_path)
            .and_then(|()| check_not_empty("destinationPath", &params.destination_path))
            .and_then(|()| {
                Operation::json("move-folder", Method::POST, ApiPath::new("/v1/bulkJobs/moveFolder"))
                    .json_body(&params)
            });
        self.caller.call(op)
    }

    /// Starts renaming a folder. ImageKit answers 202.
    ///
    /// `POST /v1/bulkJobs/renameFolder`
    pub fn rename(&self, params: RenameFolder) -> C::Call<FolderJob> {
        let op = check_not_empty("folderPath", &params.folder_path)
            .and_then(|()| check_not_empty("newFolderName", &params.new_folder_name))
            .and_then(|()| {
                Operation::json("rename-folder", Method::POST, ApiPath::new("/v1/bulkJobs/renameFolder"))
                    .json_body(&params)
            });
        self.caller.call(op)
    }

    /// The status of folder jobs.
    pub fn job(&self) -> Job<C> {
        Job::new(self.caller.clone())
    }
}

resource! {
    /// Folder job status, from [`Folders::job`].
    Job
}

impl<C: Caller> Job<C> {
    /// Where a copy, move or rename job stands. A 207 answer (the job finished, a later step
    /// such as the cache purge did not) is a success with [`BulkJob::partial`] set.
    ///
    /// `GET /v1/bulkJobs/{jobId}`
    pub fn get(&self, job_id: &str) -> C::Call<BulkJob> {
        let op = ApiPath::new("/v1/bulkJobs")
            .id("jobId", job_id)
            .map(|p| Operation::json_partial("bulk-job-status", Method::GET, p));
        self.caller.call(op)
    }
}

/// Parameters of [`Folders::copy`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CopyFolder {
    /// The folder to copy, e.g. `/catalog/shoes`.
    pub source_folder_path: String,
    /// The folder to copy it into, e.g. `/archive`.
    pub destination_path: String,
    /// Whether to copy every version of the files too (the API's default: no).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_versions: Option<bool>,
}

impl CopyFolder {
    /// Copies `source_folder_path` into `destination_path`.
    pub fn new(source_folder_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        Self {
            source_folder_path: source_folder_path.into(),
            destination_path: destination_path.into(),
            include_versions: None,
        }
    }

    /// Copies every version of the files too.
    pub fn include_versions(mut self, include: bool) -> Self {
        self.include_versions = Some(include);
        self
    }
}

/// Parameters of [`Folders::r#move`](Folders::move).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MoveFolder {
    /// The folder to move.
    pub source_folder_path: String,
    /// The folder to move it into.
    pub destination_path: String,
}

impl MoveFolder {
    /// Moves `source_folder_path` into `destination_path`.
    pub fn new(source_folder_path: impl Into<String>, destination_path: impl Into<String>) -> Self {
        Self { source_folder_path: source_folder_path.into(), destination_path: destination_path.into() }
    }
}

/// Parameters of [`Folders::rename`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenameFolder {
    /// The folder to rename, e.g. `/catalog/shoes`.
    pub folder_path: String,
    /// Its new name, without a path.
    pub new_folder_name: String,
    /// Whether to purge the CDN cache of the old URLs (the API's default: no).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_cache: Option<bool>,
}

impl RenameFolder {
    /// Renames `folder_path` to `new_folder_name`.
    pub fn new(folder_path: impl Into<String>, new_folder_name: impl Into<String>) -> Self {
        Self { folder_path: folder_path.into(), new_folder_name: new_folder_name.into(), purge_cache: None }
    }

    /// Purges the CDN cache of the old URLs.
    pub fn purge_cache(mut self, purge: bool) -> Self {
        self.purge_cache = Some(purge);
        self
    }
}

/// Waiting for a job, on the async client.
impl Job<crate::client::Client> {
    /// Polls the job until it is completed, and returns its final state: at once, then with
    /// growing waits, within `polling.deadline` (a timeout error says it was still pending).
    /// Waits on the client's sleeper.
    ///
    /// ```
    /// # async fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
    /// use imagekit_core::resources::background::Polling;
    /// use imagekit_core::resources::folders::CopyFolder;
    ///
    /// let job = client.folders().copy(CopyFolder::new("/catalog", "/archive")).await?;
    /// let done = client.folders().job().wait(&job.job_id, Polling::default()).await?;
    /// println!("{:?}", done.status);
    /// # Ok(()) }
    /// ```
    pub async fn wait(&self, job_id: &str, polling: Polling) -> Result<BulkJob, Error> {
        let sleeper = self.caller.inner.sleeper.clone().ok_or_else(no_sleeper)?;
        let mut backoff = Backoff::new(polling);
        loop {
            let job = self.get(job_id).await?;
            if job.status == Some(JobStatus::Completed) {
                return Ok(job);
            }
            let wait = backoff.next_wait().ok_or_else(|| backoff.gave_up(&format!("folder job {job_id}")))?;
            sleeper.sleep(wait).await;
        }
    }
}

/// Waiting for a job, on the blocking client.
#[cfg(not(target_arch = "wasm32"))]
impl Job<crate::blocking::BlockingClient> {
    /// Polls the job until it is completed; as the async client's `wait`, sleeping the thread.
    pub fn wait(&self, job_id: &str, polling: Polling) -> Result<BulkJob, Error> {
        let mut backoff = Backoff::new(polling);
        loop {
            let job = self.get(job_id)?;
            if job.status == Some(JobStatus::Completed) {
                return Ok(job);
            }
            let wait = backoff.next_wait().ok_or_else(|| backoff.gave_up(&format!("folder job {job_id}")))?;
            std::thread::sleep(wait);
        }
    }
}

/// The error of `wait` on a client that cannot time a wait.
pub(crate) fn no_sleeper() -> Error {
    Error::invalid_input(
        "sleeper",
        "waiting needs a sleeper, and this client has none: give one to the builder",
    )
}
