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
mod multipart;
mod source;

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{CallFuture, CallOptions, Client};
use crate::error::Error;
use crate::models::string_enum::string_enum;
use crate::models::{Upload, UploadOutcome};
use crate::operation::{ApiPath, Body, Host, Operation};
use crate::response::ApiResponse;
use crate::retry::RetryPolicy;
use crate::transport::HttpResponse;

pub use auth::AuthenticationParameters;
pub use multipart::{Multipart, ProgressFn};
pub use source::{BodySource, UploadSource};

use source::SourceKind;

/// The most characters all tags of a file may have together.
pub const MAX_TAGS_LENGTH: usize = 500;

string_enum! {
    /// A field to include in the upload's answer (`responseFields`).
    pub enum ResponseField {
        /// `tags`
        Tags => "tags",
        /// `customCoordinates`
        CustomCoordinates => "customCoordinates",
        /// `isPrivateFile`
        IsPrivateFile => "isPrivateFile",
        /// `embeddedMetadata`
        EmbeddedMetadata => "embeddedMetadata",
        /// `isPublished`
        IsPublished => "isPublished",
        /// `customMetadata`
        CustomMetadata => "customMetadata",
        /// `metadata`
        Metadata => "metadata",
        /// `selectedFieldsSchema`
        SelectedFieldsSchema => "selectedFieldsSchema",
    }
}

string_enum! {
    /// The kind of a post-upload transformation.
    pub enum PostTransformationType {
        /// A transformation string applied and cached right after the upload.
        Transformation => "transformation",
        /// An animated GIF converted to MP4.
        GifToVideo => "gif-to-video",
        /// A thumbnail generated.
        Thumbnail => "thumbnail",
        /// Adaptive bitrate streaming renditions (`protocol` is `hls` or `dash`).
        Abs => "abs",
    }
}

/// Transformations applied when a file is uploaded (`transformation`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadTransformation {
    /// A transformation string applied before the file is stored, e.g. `w-1200,q-80`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre: Option<String>,
    /// Transformations applied right after the upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post: Option<Vec<PostTransformation>>,
}

impl UploadTransformation {
    /// No transformation yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the pre-upload transformation string.
    pub fn pre(mut self, transformation: impl Into<String>) -> Self {
        self.pre = Some(transformation.into());
        self
    }

    /// Adds a post-upload transformation.
    pub fn post(mut self, step: PostTransformation) -> Self {
        self.post.get_or_insert_with(Vec::new).push(step);
        self
    }
}

/// One post-upload transformation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PostTransformation {
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: PostTransformationType,
    /// The transformation string (required for `transformation` and `abs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `hls` or `dash`, for `abs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

impl PostTransformation {
    /// A transformation string, e.g. `w-300,h-300`.
    pub fn transformation(value: impl Into<String>) -> Self {
        Self { kind: PostTransformationType::Transformation, value: Some(value.into()), protocol: None }
    }

    /// Converts an animated GIF to MP4, with an optional transformation of the video.
    pub fn gif_to_video(value: Option<String>) -> Self {
        Self { kind: PostTransformationType::GifToVideo, value, protocol: None }
    }

    /// Generates a thumbnail, with an optional transformation string.
    pub fn thumbnail(value: Option<String>) -> Self {
        Self { kind: PostTransformationType::Thumbnail, value, protocol: None }
    }

    /// Adaptive bitrate streaming: `protocol` `hls` or `dash`, `value` the renditions, e.g.
    /// `sr-240_360_480_720_1080`.
    pub fn abs(protocol: impl Into<String>, value: impl Into<String>) -> Self {
        Self { kind: PostTransformationType::Abs, value: Some(value.into()), protocol: Some(protocol.into()) }
    }
}

/// The parameters of an upload, every form field of the API but the file and the credentials.
///
/// Unset fields are not sent, so ImageKit's defaults apply. The same parameters build the v2
/// upload JWT ([`auth::upload_v2_token`]).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct UploadParams {
    /// `fileName`: the name to store the file under (required).
    pub file_name: String,
    /// `useUniqueFileName`: add a unique suffix to the name (ImageKit's default: `true`).
    pub use_unique_file_name: Option<bool>,
    /// `tags`.
    pub tags: Option<Vec<String>>,
    /// `folder`: the folder to upload into, created if missing (default `/`).
    pub folder: Option<String>,
    /// `isPrivateFile` (default `false`).
    pub is_private_file: Option<bool>,
    /// `isPublished` (default `true`; unpublished uploads need an enterprise plan).
    pub is_published: Option<bool>,
    /// `customCoordinates`: `x,y,width,height` of the important area of an image.
    pub custom_coordinates: Option<String>,
    /// `responseFields`: extra fields to include in the answer.
    pub response_fields: Option<Vec<ResponseField>>,
    /// `extensions`: the extensions to run, as the JSON objects the API takes, e.g.
    /// `{"name": "google-auto-tagging", "maxTags": 5, "minConfidence": 95}`.
    pub extensions: Option<Vec<Value>>,
    /// `webhookUrl`: where the final status of extensions is posted.
    pub webhook_url: Option<String>,
    /// `overwriteFile` (default `true`).
    pub overwrite_file: Option<bool>,
    /// `overwriteAITags` (default `true`).
    pub overwrite_ai_tags: Option<bool>,
    /// `overwriteTags` (default `true`).
    pub overwrite_tags: Option<bool>,
    /// `overwriteCustomMetadata` (default `true`).
    pub overwrite_custom_metadata: Option<bool>,
    /// `customMetadata`: values of custom metadata fields, by field name.
    pub custom_metadata: Option<Map<String, Value>>,
    /// `transformation`: pre- and post-upload transformations.
    pub transformation: Option<UploadTransformation>,
    /// `checks`: server-side checks the upload must pass, e.g. `"file.size" < "1mb"`.
    pub checks: Option<String>,
    /// `description`.
    pub description: Option<String>,
}

/// Declares a setter on [`UploadParams`] and the same setter forwarding to it on [`UploadCall`].
macro_rules! setters {
    ($( $(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) => $field:ident = $value:expr; )*) => {
        impl UploadParams {
            $( $(#[$doc])* pub fn $name(mut self, $arg: $ty) -> Self {
                self.$field = Some($value);
                self
            } )*
        }
        impl UploadCall<'_> {
            $( $(#[$doc])* pub fn $name(mut self, $arg: $ty) -> Self {
                self.params = self.params.$name($arg);
                self
            } )*
        }
    };
}

setters! {
    /// Sets `useUniqueFileName`.
    fn use_unique_file_name(unique: bool) => use_unique_file_name = unique;
    /// Sets `tags`.
    fn tags(tags: impl IntoIterator<Item = impl Into<String>>) => tags = tags.into_iter().map(Into::into).collect();
    /// Sets `folder`.
    fn folder(folder: impl Into<String>) => folder = folder.into();
    /// Sets `isPrivateFile`.
    fn is_private_file(private: bool) => is_private_file = private;
    /// Sets `isPublished`.
    fn is_published(published: bool) => is_published = published;
    /// Sets `customCoordinates` (`x,y,width,height`).
    fn custom_coordinates(coordinates: impl Into<String>) => custom_coordinates = coordinates.into();
    /// Sets `responseFields`.
    fn response_fields(fields: impl IntoIterator<Item = ResponseField>) => response_fields = fields.into_iter().collect();
    /// Sets `extensions`, as the JSON objects the API takes.
    fn extensions(extensions: impl IntoIterator<Item = Value>) => extensions = extensions.into_iter().collect();
    /// Sets `webhookUrl`.
    fn webhook_url(url: impl Into<String>) => webhook_url = url.into();
    /// Sets `overwriteFile`.
    fn overwrite_file(overwrite: bool) => overwrite_file = overwrite;
    /// Sets `overwriteAITags`.
    fn overwrite_ai_tags(overwrite: bool) => overwrite_ai_tags = overwrite;
    /// Sets `overwriteTags`.
    fn overwrite_tags(overwrite: bool) => overwrite_tags = overwrite;
    /// Sets `overwriteCustomMetadata`.
    fn overwrite_custom_metadata(overwrite: bool) => overwrite_custom_metadata = overwrite;
    /// Sets `customMetadata`.
    fn custom_metadata(values: Map<String, Value>) => custom_metadata = values;
    /// Sets `transformation`.
    fn transformation(transformation: UploadTransformation) => transformation = transformation;
    /// Sets `checks`.
    fn checks(checks: impl Into<String>) => checks = checks.into();
    /// Sets `description`.
    fn description(description: impl Into<String>) => description = description.into();
}

impl UploadParams {
    /// Parameters for a file stored as `file_name`, everything else left to ImageKit's defaults.
    pub fn new(file_name: impl Into<String>) -> Self {
        Self { file_name: file_name.into(), ..Self::default() }
    }

    /// Checks the parameters ImageKit would refuse, naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if self.file_name.trim().is_empty() {
            return Err(Error::invalid_input("fileName", "is required and must not be empty"));
        }
        if let Some(tags) = &self.tags {
            let mut length = 0;
            for tag in tags {
                if tag.is_empty() {
                    return Err(Error::invalid_input("tags", "contains an empty tag"));
                }
                if tag.contains('%') {
                    return Err(Error::invalid_input(
                        "tags",
                        format!("tag {tag:?} contains `%`, which ImageKit refuses"),
                    ));
                }
                if tag.contains(',') {
                    return Err(Error::invalid_input(
                        "tags",
                        format!("tag {tag:?} contains `,`, which separates tags when they are sent"),
                    ));
                }
                length += tag.chars().count();
            }
            if length > MAX_TAGS_LENGTH {
                return Err(Error::invalid_input(
                    "tags",
                    format!("are {length} characters together; ImageKit allows {MAX_TAGS_LENGTH}"),
                ));
            }
        }
        Ok(())
    }

    /// The form fields, in order, as the official SDKs encode them (unset fields left out).
    pub fn form_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        let json = |name: &'static str, value: &dyn erased::Json| {
            value.to_json().map_err(|e| Error::invalid_input(name, format!("cannot be encoded as JSON: {e}")))
        };
        let flag = |b: bool| if b { "true" } else { "false" }.to_owned();
        let mut fields = vec![("fileName", self.file_name.clone())];
        let mut add = |name: &'static str, value: Option<String>| {
            if let Some(value) = value {
                fields.push((name, value));
            }
        };
        add("useUniqueFileName", self.use_unique_file_name.map(flag));
        add("tags", self.tags.as_ref().map(|t| t.join(",")));
        add("folder", self.folder.clone());
        add("isPrivateFile", self.is_private_file.map(flag));
        add("isPublished", self.is_published.map(flag));
        add("customCoordinates", self.custom_coordinates.clone());
        add(
            "responseFields",
            self.response_fields
                .as_ref()
                .map(|f| f.iter().map(ResponseField::as_str).collect::<Vec<_>>().join(",")),
        );
        add("extensions", self.extensions.as_ref().map(|e| json("extensions", e)).transpose()?);
        add("webhookUrl", self.webhook_url.clone());
        add("overwriteFile", self.overwrite_file.map(flag));
        add("overwriteAITags", self.overwrite_ai_tags.map(flag));
        add("overwriteTags", self.overwrite_tags.map(flag));
        add("overwriteCustomMetadata", self.overwrite_custom_metadata.map(flag));
        add("customMetadata", self.custom_metadata.as_ref().map(|m| json("customMetadata", m)).transpose()?);
        add("transformation", self.transformation.as_ref().map(|t| json("transformation", t)).transpose()?);
        add("checks", self.checks.clone());
        add("description", self.description.clone());
        Ok(fields)
    }
}

mod erased {
    /// Serializes to JSON text without making the closure above generic.
    pub(super) trait Json {
        fn to_json(&self) -> Result<String, serde_json::Error>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Result<String, serde_json::Error> {
            serde_json::to_string(self)
        }
    }
}

/// Which upload endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

/// How an upload authenticates.
#[derive(Clone, Debug)]
enum Credentials {
    /// The private key, as HTTP Basic auth (server-side uploads).
    PrivateKey,
    /// v1 client-side: public key and signed parameters, no Authorization header.
    Signature { public_key: String, params: AuthenticationParameters },
    /// v2 client-side: a JWT over the parameters, no Authorization header.
    Jwt { public_key: String, expires_in: Duration },
}

/// An upload, ready to send: set fields, then `.await` it (or `.send()`).
///
/// Made by [`crate::resources::files::Files::upload`] and `upload_v2`. Input errors are
/// returned before any byte is sent.
#[must_use = "an upload does nothing until it is sent or awaited"]
pub struct UploadCall<'c> {
    client: &'c Client,
    version: Version,
    source: UploadSource,
    params: UploadParams,
    content_type: Option<String>,
    credentials: Credentials,
    progress: Option<ProgressFn>,
    options: CallOptions,
}

impl<'c> UploadCall<'c> {
    pub(crate) fn v1(client: &'c Client, source: UploadSource, file_name: &str) -> Self {
        Self::new(client, Version::V1, source, file_name)
    }

    pub(crate) fn v2(client: &'c Client, source: UploadSource, file_name: &str) -> Self {
        Self::new(client, Version::V2, source, file_name)
    }

    fn new(client: &'c Client, version: Version, source: UploadSource, file_name: &str) -> Self {
        Self {
            client,
            version,
            source,
            params: UploadParams::new(file_name),
            content_type: None,
            credentials: Credentials::PrivateKey,
            progress: None,
            options: CallOptions::default(),
        }
    }

    /// Replaces all parameters, the file name included.
    pub fn params(mut self, params: UploadParams) -> Self {
        self.params = params;
        self
    }

    /// The parameters as set so far.
    pub fn current_params(&self) -> &UploadParams {
        &self.params
    }

    /// The `Content-Type` of the file part; guessed from the file name's extension otherwise
    /// (ImageKit detects the type from the content in any case).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// v1 only: authenticate as a client-side upload would, with `public_key` and parameters
    /// from [`Client::authentication_parameters`], instead of the private key. Mostly useful to
    /// test what a browser will send; `expire` is checked against the client's clock.
    pub fn client_side_auth(
        mut self,
        public_key: impl Into<String>,
        params: AuthenticationParameters,
    ) -> Self {
        self.credentials = Credentials::Signature { public_key: public_key.into(), params };
        self
    }

    /// v2 only: authenticate with a JWT over the parameters, signed now and valid for
    /// `expires_in` (less than an hour), instead of sending the private key.
    pub fn jwt_auth(mut self, public_key: impl Into<String>, expires_in: Duration) -> Self {
        self.credentials = Credentials::Jwt { public_key: public_key.into(), expires_in };
        self
    }

    /// Calls `progress(sent, total)` as the body goes out (see [`ProgressFn`]).
    pub fn on_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Overrides the timeout of each attempt, which is the client's
    /// [upload timeout](crate::ClientBuilder::upload_timeout) (1 hour by default), not the
    /// 60 s of other calls.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Bounds the whole call, retries and waits included (needs a sleeper on the client).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Overrides the client's retry policy for this upload.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Makes exactly one attempt.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// The operation this upload would run, after every check; for driving it with your own I/O.
    pub fn into_operation(self) -> Result<Operation<UploadOutcome>, Error> {
        self.build().map(|(operation, _)| operation)
    }

    fn build(self) -> Result<(Operation<UploadOutcome>, CallOptions), Error> {
        self.params.validate()?;
        self.source.validate()?;
        let mut multipart = Multipart::new();
        for (name, value) in self.params.form_fields()? {
            multipart = multipart.text(name, value);
        }
        let now = self.client.config().clock.now_unix();
        match (&self.credentials, self.version) {
            (Credentials::PrivateKey, _) => {}
            (Credentials::Signature { public_key, params }, Version::V1) => {
                if public_key.is_empty() {
                    return Err(Error::invalid_input("publicKey", "must not be empty"));
                }
                if let Some(now) = now {
                    auth::check_expiry("expire", params.expire, now)?;
                }
                multipart = multipart
                    .text("publicKey", public_key.as_str())
                    .text("signature", params.signature.as_str())
                    .text("expire", params.expire.to_string())
                    .text("token", params.token.as_str());
            }
            (Credentials::Jwt { public_key, expires_in }, Version::V2) => {
                let now = now.ok_or_else(|| {
                    Error::invalid_input(
                        "token",
                        "no clock on this target to sign the JWT: give the client one",
                    )
                })?;
                let exp = now.saturating_add(expires_in.as_secs());
                let jwt = auth::upload_v2_token(
                    &self.client.config().private_key,
                    public_key,
                    &self.params,
                    now,
                    exp,
                )?;
                multipart = multipart.text("token", jwt);
            }
            (Credentials::Signature { .. }, Version::V2) => {
                return Err(Error::invalid_input(
                    "signature",
                    "v2 uploads authenticate with a JWT: use jwt_auth",
                ));
            }
            (Credentials::Jwt { .. }, Version::V1) => {
                return Err(Error::invalid_input(
                    "token",
                    "v1 uploads take no JWT: use client_side_auth or upload_v2",
                ));
            }
        }
        let file_name = self.params.file_name.as_str();
        let content_type = self.content_type.as_deref().unwrap_or_else(|| guess_content_type(file_name));
        multipart = match self.source.kind {
            SourceKind::Bytes(bytes) => multipart.file_bytes("file", file_name, content_type, bytes),
            SourceKind::Stream(source) => multipart.file_source("file", file_name, content_type, source),
            SourceKind::Text { value, .. } => multipart.text("file", value),
        };
        if let Some(progress) = self.progress {
            multipart = multipart.on_progress(progress);
        }
        let (name, path) = match self.version {
            Version::V1 => ("upload-file", "/api/v1/files/upload"),
            Version::V2 => ("upload-file-v2", "/api/v2/files/upload"),
        };
        let operation = Operation::with_decoder(name, Method::POST, ApiPath::new(path), decode_upload)
            .host(Host::Upload)
            .with_body(Body::Multipart(Box::new(multipart)))
            .basic_auth(matches!(self.credentials, Credentials::PrivateKey));
        let mut options = self.options;
        options.timeout = options.timeout.or(Some(self.client.config().upload_timeout));
        Ok((operation, options))
    }

    /// Sends the upload and returns how it ended.
    ///
    /// The form is checked and assembled now; a mistake in it is the future's error, and then
    /// nothing is sent.
    pub fn send(self) -> CallFuture<'c, UploadOutcome, UploadOutcome> {
        self.into_call(Operation::parse_data)
    }

    /// Sends the upload and returns how it ended, with the response's metadata.
    pub fn send_with_meta(self) -> CallFuture<'c, UploadOutcome, ApiResponse<UploadOutcome>> {
        self.into_call(Operation::parse_response)
    }

    fn into_call<U>(
        self,
        read: fn(&Operation<UploadOutcome>, HttpResponse) -> Result<U, Error>,
    ) -> CallFuture<'c, UploadOutcome, U> {
        let client = self.client;
        match self.build() {
            Ok((operation, options)) => CallFuture::new(client, Ok(operation), options, read),
            Err(error) => CallFuture::new(client, Err(error), CallOptions::default(), read),
        }
    }
}

impl fmt::Debug for UploadCall<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadCall")
            .field("version", &self.version)
            .field("source", &self.source)
            .field("params", &self.params)
            .field("progress", &self.progress.is_some())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'c> IntoFuture for UploadCall<'c> {
    type Output = Result<UploadOutcome, Error>;
    type IntoFuture = CallFuture<'c, UploadOutcome, UploadOutcome>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

/// `200` is a stored file, `202` a file still being pre-transformed.
fn decode_upload(
    status: StatusCode,
    body: &bytes::Bytes,
) -> Result<UploadOutcome, (String, serde_json::Error)> {
    if status == StatusCode::ACCEPTED {
        #[derive(Deserialize)]
        struct Accepted {
            message: Option<String>,
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(UploadOutcome::Accepted { message: None });
        }
        let accepted: Accepted = crate::operation::decode_json(status, body)?;
        return Ok(UploadOutcome::Accepted { message: accepted.message });
    }
    crate::operation::decode_json::<Upload>(status, body).map(|u| UploadOutcome::Uploaded(Box::new(u)))
}

/// A content type for common media extensions, `application/octet-stream` otherwise.
fn guess_content_type(file_name: &str) -> &'static str {
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}
