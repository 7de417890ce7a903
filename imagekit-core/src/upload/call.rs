//! [`UploadCall`]: an upload being described, then sent by its caller.

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use http::{Method, StatusCode};
use serde::Deserialize;

use crate::builder::RunsCalls;
use crate::call::call_settings;
use crate::caller::Caller;
use crate::client::{CallOptions, Client};
use crate::config::Config;
use crate::error::Error;
use crate::models::{Upload, UploadOutcome};
use crate::multipart::{Multipart, ProgressFn};
use crate::operation::{ApiPath, Body, Host, Operation};
use crate::response::ApiResponse;
use crate::send::CallFuture;
use crate::upload::auth::{self, AuthenticationParameters};
use crate::upload::params::{UploadFile, upload_fields};
use crate::upload::source::{SourceKind, UploadSource, guess_content_type};

/// The most characters a v1 de-duplication token may have (the SDKs' tokens are UUIDs).
const MAX_DEDUP_TOKEN_CHARS: usize = 50;

fn check_dedup_token(token: &str) -> Result<(), Error> {
    if token.is_empty() || token.len() > MAX_DEDUP_TOKEN_CHARS || !token.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(Error::invalid_input(
            "token",
            format!("must be 1 to {MAX_DEDUP_TOKEN_CHARS} visible ASCII characters"),
        ));
    }
    Ok(())
}

/// Which upload endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

/// How an upload authenticates.
#[derive(Clone)]
enum Credentials {
    /// The private key, as HTTP Basic auth (server-side uploads).
    PrivateKey,
    /// v1 client-side: public key and signed parameters, no Authorization header.
    Signature { public_key: String, params: AuthenticationParameters },
    /// v2 client-side: a JWT over the parameters, signed now, no Authorization header.
    Jwt { public_key: String, expires_in: Duration },
    /// v2 client-side: a JWT made elsewhere (by your server), no Authorization header.
    Token(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PrivateKey => "PrivateKey",
            Self::Signature { .. } => "Signature",
            Self::Jwt { .. } => "Jwt",
            Self::Token(_) => "Token",
        })
    }
}

/// An upload, ready to send: set fields, then `.await` it (or `.send()`).
///
/// Made by [`crate::resources::files::Files::upload`] and `upload_v2`. Input errors are
/// returned before any byte is sent. With a [`crate::blocking::BlockingClient`], `.send()` blocks and
/// returns the outcome; with a [`Config`], [`UploadCall::into_operation`] gives the operation.
#[must_use = "an upload does nothing until it is sent or awaited"]
pub struct UploadCall<C = Client> {
    caller: C,
    version: Version,
    source: UploadSource,
    params: UploadFile,
    content_type: Option<String>,
    credentials: Credentials,
    dedup_token: Option<String>,
    progress: Option<ProgressFn>,
    options: CallOptions,
}

/// Forwards each field's setter to the call's [`UploadFile`].
macro_rules! forward {
    ($( $(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) => $field:ident = $value:expr; )*) => {
        impl<C: Caller> UploadCall<C> {
            $( $(#[$doc])* pub fn $name(mut self, $arg: $ty) -> Self {
                self.params = self.params.$name($arg);
                self
            } )*
        }
    };
}
upload_fields!(forward);

impl<C: Caller> UploadCall<C> {
    pub(crate) fn v1(caller: C, source: UploadSource, file_name: &str) -> Self {
        Self::new(caller, Version::V1, source, file_name)
    }

    pub(crate) fn v2(caller: C, source: UploadSource, file_name: &str) -> Self {
        Self::new(caller, Version::V2, source, file_name)
    }

    fn new(caller: C, version: Version, source: UploadSource, file_name: &str) -> Self {
        Self {
            caller,
            version,
            source,
            params: UploadFile::new(file_name),
            content_type: None,
            credentials: Credentials::PrivateKey,
            dedup_token: None,
            progress: None,
            options: CallOptions::default(),
        }
    }

    /// Replaces all parameters, the file name included.
    pub fn params(mut self, params: UploadFile) -> Self {
        self.params = params;
        self
    }

    /// The parameters as set so far.
    pub fn current_params(&self) -> &UploadFile {
        &self.params
    }

    /// The `Content-Type` of the file part, e.g. `image/png`; guessed from the file name's
    /// extension otherwise (ImageKit detects the type from the content in any case). A value
    /// that is not a media type, or has a control character, is refused when the upload is sent.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// v1 only: authenticate as a client-side upload would, with `public_key` and parameters
    /// from `helper().authentication_parameters(..)`, instead of the private key. Mostly useful
    /// to test what a browser will send; `expire` is checked against the configured clock.
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

    /// v2 only: authenticate with a JWT your server made (`helper().upload_v2_token(..)`, or an
    /// official SDK's), sent as the form's `token`, instead of the private key. The parameters
    /// must be exactly those the token was signed over.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Token(token.into());
        self
    }

    /// v1 with the private key: a value unique to this upload (a UUID, at most 50 visible
    /// ASCII characters), sent as the form's `token`, as the official SDKs allow. ImageKit
    /// refuses any later request with the same token, so an upload repeated with it after a
    /// failure whose outcome is unknown cannot store the file twice: the repeat is refused
    /// (400) if the first went through. The client does not repeat uploads by itself; after an
    /// upload that certainly failed, use a new token.
    pub fn dedup_token(mut self, token: impl Into<String>) -> Self {
        self.dedup_token = Some(token.into());
        self
    }

    /// Calls `progress(sent, total)` as the body goes out (see [`ProgressFn`]).
    pub fn on_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The operation this upload would run, after every check, with the call's extras.
    pub fn into_operation(mut self) -> Result<Operation<UploadOutcome>, Error> {
        let mut options = std::mem::take(&mut self.options);
        options.apply(self.build()?)
    }

    fn build(self) -> Result<Operation<UploadOutcome>, Error> {
        let config: &Config = self.caller.config();
        self.params.validate()?;
        self.source.validate()?;
        let mut multipart = Multipart::with_random(config.random().cloned());
        for (name, value) in self.params.form_fields()? {
            multipart = multipart.text(name, value);
        }
        let now = config.clock().now_unix();
        if let Some(token) = &self.dedup_token {
            check_dedup_token(token)?;
            match (&self.credentials, self.version) {
                (Credentials::PrivateKey, Version::V1) => multipart = multipart.text("token", token.as_str()),
                (_, Version::V2) => {
                    return Err(Error::invalid_input(
                        "token",
                        "v2 uploads use `token` for a JWT: dedup_token is for v1 uploads",
                    ));
                }
                (_, Version::V1) => {
                    return Err(Error::invalid_input(
                        "token",
                        "a client-side upload's token comes from its authentication parameters",
                    ));
                }
            }
        }
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
                    Error::invalid_input("token", "no clock on this target to sign the JWT: configure one")
                })?;
                let exp = now.saturating_add(expires_in.as_secs());
                let jwt = auth::upload_v2_token(
                    &config.settings().private_key,
                    public_key,
                    &self.params,
                    now,
                    exp,
                )?;
                multipart = multipart.text("token", jwt);
            }
            (Credentials::Token(token), Version::V2) => {
                if token.split('.').count() != 3 {
                    return Err(Error::invalid_input("token", "must be a JWT: three dot-separated parts"));
                }
                multipart = multipart.text("token", token.as_str());
            }
            (Credentials::Signature { .. }, Version::V2) => {
                return Err(Error::invalid_input(
                    "signature",
                    "v2 uploads authenticate with a JWT: use jwt_auth",
                ));
            }
            (Credentials::Jwt { .. } | Credentials::Token(_), Version::V1) => {
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
        multipart.check()?;
        let (name, path) = match self.version {
            Version::V1 => ("upload-file", "/api/v1/files/upload"),
            Version::V2 => ("upload-file-v2", "/api/v2/files/upload"),
        };
        Ok(Operation::with_decoder(name, Method::POST, ApiPath::new(path), decode_upload)
            .with_host(Host::Upload)
            .with_body(Body::Multipart(Box::new(multipart)))
            .basic_auth(matches!(self.credentials, Credentials::PrivateKey)))
    }

    /// The operation and the call's settings, or the error that stops it before anything is sent.
    fn into_parts(mut self) -> (C, Result<Operation<UploadOutcome>, Error>, CallOptions) {
        let caller = self.caller.clone();
        let options = std::mem::take(&mut self.options);
        (caller, self.build(), options)
    }
}

/// Per-call settings and extras, on the clients.
impl<C: Caller + RunsCalls> UploadCall<C> {
    call_settings!();
}

impl UploadCall<Client> {
    /// Sends the upload and returns how it ended.
    ///
    /// The form is checked and assembled now; a mistake in it is the future's error, and then
    /// nothing is sent.
    pub fn send(self) -> CallFuture<UploadOutcome, UploadOutcome> {
        let (client, operation, options) = self.into_parts();
        CallFuture::new(client, operation, options, Operation::parse)
    }

    /// Sends the upload and returns how it ended, with the response's metadata.
    pub fn send_with_meta(self) -> CallFuture<UploadOutcome, ApiResponse<UploadOutcome>> {
        let (client, operation, options) = self.into_parts();
        CallFuture::new(client, operation, options, Operation::parse_with_meta)
    }
}

impl IntoFuture for UploadCall<Client> {
    type Output = Result<UploadOutcome, Error>;
    type IntoFuture = CallFuture<UploadOutcome, UploadOutcome>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl UploadCall<crate::blocking::BlockingClient> {
    /// Sends the upload, blocking the thread, and returns how it ended.
    pub fn send(self) -> Result<UploadOutcome, Error> {
        let (client, operation, options) = self.into_parts();
        client.run(operation, &options, Operation::parse)
    }

    /// Sends the upload, blocking the thread, and returns how it ended with the response's
    /// metadata.
    pub fn send_with_meta(self) -> Result<ApiResponse<UploadOutcome>, Error> {
        let (client, operation, options) = self.into_parts();
        client.run(operation, &options, Operation::parse_with_meta)
    }
}

impl<C> fmt::Debug for UploadCall<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadCall")
            .field("version", &self.version)
            .field("source", &self.source)
            .field("params", &self.params)
            .field("credentials", &self.credentials)
            .field("progress", &self.progress.is_some())
            .field("options", &self.options)
            .finish_non_exhaustive()
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
