//! Uploads: `client.files().upload(..)` (v1) and `client.files().upload_v2(..)`, streamed, with
//! progress, and the credentials for client-side uploads ([`auth`]).
//!
//! ```
//! use imagekit_core::upload::UploadSource;
//! use imagekit_core::models::UploadOutcome;
//!
//! # async fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
//! let outcome = client
//!     .files()
//!     .upload(UploadSource::bytes(std::fs::read("shoe.jpg").unwrap()), "shoe.jpg")
//!     .folder("/catalog")
//!     .tags(["shoe", "summer"])
//!     .use_unique_file_name(false)
//!     .on_progress(|sent, total| println!("{sent}/{total}"))
//!     .await?;
//! if let UploadOutcome::Uploaded(file) = outcome {
//!     println!("{:?}", file.url);
//! }
//! # Ok(()) }
//! ```
//!
//! # What is sent
//!
//! A `multipart/form-data` POST to the upload host, encoded as the official SDKs do: `tags` and
//! `responseFields` joined with `,`; `extensions`, `customMetadata` and `transformation` as JSON
//! text; booleans as `true`/`false`; the file last, streamed chunk by chunk. A remote URL or
//! base64 source is sent as a text `file` field.
//!
//! # Checked before anything is sent
//!
//! An empty `fileName`; an empty source (ImageKit stores no empty files, so a 0-byte file is an
//! error too); a URL source that is not `http(s)://`; a tag containing `%` (ImageKit refuses it)
//! or `,` (the wire format separates tags with it), an empty tag, or tags longer than 500
//! characters together; an `expire` that is past or an hour or more ahead. Each error names the
//! field. Unreadable files are refused when their source is made (see `imagekit_hyper::upload`).
//!
//! # Retries
//!
//! Uploads are not idempotent, so only failures where nothing was processed are retried: a
//! connection that could not be made, and 429. The body is produced again for each attempt,
//! which bytes and re-openable sources ([`BodySource`], e.g. a file path) allow; an upload from
//! a one-shot stream ([`UploadSource::stream`]) is never retried.

pub mod auth;
mod call;
mod params;
mod source;

pub use crate::body::BodySource;
pub use crate::multipart::{Multipart, ProgressFn};
pub use auth::AuthenticationParameters;
pub use call::UploadCall;
pub use params::{
    MAX_TAGS_LENGTH, PostTransformation, PostTransformationType, ResponseField, UploadFile,
    UploadTransformation,
};
pub use source::{UploadSource, checked_file_length, guess_content_type};
