//! An in-memory ImageKit: the media library's API answered from memory, for offline
//! integration tests of whole workflows (upload, upload again, list versions, restore, clean up).
//!
//! Use it two ways:
//!
//! * as an [`HttpTransport`](imagekit_core::HttpTransport): give an [`Emulator`] to `Client::builder().transport(..)`; no
//!   sockets, no runtime needed beyond the one your test already has;
//! * as an HTTP server on 127.0.0.1 ([`Emulator::serve`], [`Emulator::serve_on_free_port`], or
//!   the `imagekit-emulator` binary) for tests in any language. It serves the API paths
//!   (`/v1/...`) and the upload paths (`/api/v1/files/upload`, `/api/v2/files/upload`) on the
//!   same origin: use its base URL as both the API and the upload base URL.
//!
//! Clones share one state. Everything is deterministic: ids are counters shaped like ImageKit's
//! 24-hex-digit ids, and timestamps come from a logical clock that starts at
//! 2025-01-01T00:00:00.000Z and moves one second on each change, so the same calls give the same
//! answers, in process or over HTTP.
//!
//! ```
//! use imagekit_core::Client;
//! use imagekit_emulator::Emulator;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let emulator = Emulator::new("private_test");
//! let file_id = emulator.seed_file("/docs/readme.txt", &b"first"[..]).unwrap();
//! emulator.seed_file("/docs/readme.txt", &b"second"[..]).unwrap();
//! let client = Client::builder().private_key("private_test").transport(emulator.clone()).build().unwrap();
//! let versions = client.files().versions().list(&file_id).await.unwrap();
//! assert_eq!(versions.len(), 2);
//! # }
//! ```
//!
//! # What it implements
//!
//! Uploads (v1 and v2; multipart with `file` as binary, URL, base64 or data URI), file details,
//! update (tags, custom coordinates, custom metadata, description, AI tag removal, publish),
//! delete and bulk delete, copy, move, rename, metadata, versions (list, get, delete, restore),
//! bulk tags and AI tags, list and search, folders (create, delete, and copy, move, rename as
//! bulk jobs that complete at once), job status, cache purge and its status.
//!
//! The account's settings, each a collection of records with ids and the API's rules:
//!
//! * custom metadata fields (`/v1/customMetadataFields`): create, list (`includeDeleted`;
//!   `folderPath` is accepted, every field applies everywhere), update, delete; a deleted field
//!   is hidden but keeps its name, which no new field may take;
//! * saved extensions (`/v1/saved-extensions`): create, list, get, update, delete, with each
//!   extension's configuration checked;
//! * origins (`/v1/accounts/origins`): every kind, checked against what it requires and
//!   accepts, answered with the defaults filled in and without credentials; an origin a URL
//!   endpoint uses cannot be deleted;
//! * URL endpoints (`/v1/accounts/url-endpoints`): the account's `default` one from the start
//!   (it cannot be deleted), others with a prefix of their own and origins that exist;
//! * named transformations (`/v1/named-transformations`) and account webhooks
//!   (`/v1/accounts/webhooks`), which the official SDKs call though the OpenAPI document does not
//!   have them.
//!
//! Usage (`/v1/accounts/usage`, and `/v1/accounts/usage-analytics` as the SDKs call it) checks
//! its dates and answers figures made from the library's size. See the crate README for the
//! details and what is not implemented.
//!
//! # Authentication
//!
//! Basic auth with the emulator's private key as user name (the password is ignored; the raw
//! key after `Basic` is accepted too, as the API documents). No key: 401 `Your request does not
//! contain private API key.`; another key: 403 `Your account cannot be authenticated.`. Uploads
//! also accept client-side auth: v1 `signature` (HMAC-SHA1 of `token` + `expire` with the
//! private key), v2 a `token` JWT signed HS256 with the private key whose payload carries
//! exactly the form's other fields.
//!
//! # Fault injection and admin endpoints
//!
//! [`Emulator::fail_next`] makes the next calls to a path answer an error status, so you can
//! test your retry handling. Over HTTP, the same through the admin endpoints. Since a web page
//! the developer visits could send requests to the server, the server only answers admin
//! requests addressed to a loopback host (`Host: localhost`, `127.0.0.1` or `[::1]`, any port;
//! else 403), from no other web origin (403), with bodies as `Content-Type: application/json`
//! (else 415), and with `Authorization: Bearer <token>` when [`ServeOptions::admin_token`] is set
//! (else 401). [`Emulator::handle`] in process answers them without these checks.
//!
//! | request | effect |
//! | --- | --- |
//! | `POST /__emulator/faults` `{"method": "GET", "pathPrefix": "/v1/files", "times": 2, "status": 500}` | add a rule (`method` optional or `"ANY"`; optional `body`: the JSON answered; optional `fileName`: only uploads of that file); 201 with the rule |
//! | `GET /__emulator/faults` | the rules still pending |
//! | `GET /__emulator/requests` | the requests answered so far: `[{method, path, query, status, injected}]` |
//! | `DELETE /__emulator/requests` | empty that log |
//! | `DELETE /__emulator/faults` | remove all rules |
//! | `POST /__emulator/reset` | forget everything: files, folders, jobs, settings, rules, counters, clock |
//! | `GET /__emulator/health` | `{"status": "ok"}` |
//!
//! # The HTTP server
//!
//! [`Emulator::serve`] binds loopback addresses only; [`Emulator::serve_with`] takes
//! [`ServeOptions`] to allow others, set an admin token, and change the limits: a request head
//! must arrive within 10 s (else the connection is closed), a body within 60 s (else 408), a
//! body is at most 256 MiB (else 413, at once when `Content-Length` says so). Accept errors
//! (out of file descriptors) pause the server briefly instead of spinning. The library holds at
//! most 1 GiB of file content ([`Emulator::with_storage_limit`]), in process too.

#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: feature-gated items get their feature badges.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The crate README (its crates.io page) is a doctest, so its example keeps compiling.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod emulator;
mod faults;
mod form;
mod handlers;
mod library;
pub mod multipart;
mod reply;

mod search;
#[cfg(feature = "server")]
mod server;
mod state;

/// Hooks for the fuzz targets: not a stable API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    /// Whether the HTTP server's admin guard applies to `path`.
    pub fn guard_applies(path: &str) -> bool {
        super::handlers::is_admin_path(path)
    }

    /// Whether the router would answer `path` with an admin endpoint.
    pub fn routes_to_admin(path: &str) -> bool {
        super::handlers::path_routes_to_admin(path)
    }
}

pub use emulator::Emulator;
pub use faults::{FaultRule, RequestRecord};
pub use form::UploadForm;
#[cfg(feature = "server")]
pub use server::{ServeOptions, ServerHandle};
