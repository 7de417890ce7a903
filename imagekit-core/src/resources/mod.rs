//! One module per API resource, named as in the official SDKs.
//!
//! | Node SDK | Rust |
//! | --- | --- |
//! | `client.assets.list` | [`crate::Client::assets`]`().list(..)` |
//! | `client.files.{get,update,delete,copy,move,rename}` | [`crate::Client::files`]`()...` |
//! | `client.files.bulk.{delete,addTags,removeTags,removeAITags}` | `client.files().bulk()...` |
//! | `client.files.versions.{list,get,delete,restore}` | `client.files().versions()...` |
//! | `client.files.metadata.{get,getFromURL}` | `client.files().metadata()...` |
//! | `client.folders.{create,delete,copy,move,rename}`, `client.folders.job.get` | [`crate::Client::folders`]`()...` |
//! | `client.cache.invalidation.{create,get}` | [`crate::Client::cache`]`().invalidation()...` |
//! | `client.customMetadataFields.{create,list,update,delete}` | [`crate::Client::custom_metadata_fields`]`()...` |
//! | `client.savedExtensions.{list,create,get,update,delete}` | [`crate::Client::saved_extensions`]`()...` |
//! | `client.accounts.{usage,usageAnalytics}.get` | [`crate::Client::accounts`]`().usage().get(..)` |
//! | `client.accounts.{origins,urlEndpoints}.{list,create,get,update,delete}` | `client.accounts().origins()...` |
//! | `client.accounts.webhooks.{list,create,get,update,delete}` (Python) | `client.accounts().webhooks()...` |
//! | `client.namedTransformations.{list,create,get,update,delete}` | [`crate::Client::named_transformations`]`()...` |
//!
//! Operations with optional parameters take a typed parameter struct, as the Node SDK takes a
//! params object: required values in its `new`, optional ones as chained setters. Parameter
//! structs are named verb first, for what they do: `CopyFile`, `ListAssets`,
//! `UpdateFileDetails`, `CreateOrigin`. Documented bounds are checked before anything is sent,
//! with an invalid-input error naming the field.
//!
//! Every handle works for every [`crate::Caller`]: the async [`crate::client::Client`], the
//! [`crate::blocking::BlockingClient`] and the sans-IO [`crate::Config`].

pub mod account_webhooks;
pub mod accounts;
pub mod assets;
pub mod background;
pub mod bulk;
pub mod cache;
pub mod custom_metadata_fields;
pub mod files;
pub mod folders;
pub(crate) mod handle;
pub mod helper;
pub mod metadata;
pub mod named_transformations;
pub mod saved_extensions;
pub mod versions;
pub mod webhooks;

use crate::client::Client;
use crate::config::Config;

#[cfg(not(target_arch = "wasm32"))]
use crate::blocking::BlockingClient;

/// The root of the resource tree, on every caller.
macro_rules! root_resources {
    ($($caller:ty),*) => {$(
        impl $caller {
            /// Files: details, updates, copies, moves, renames, bulk operations, uploads,
            /// metadata and [`files::Files::versions`].
            pub fn files(&self) -> files::Files<$caller> {
                files::Files::new(self.clone())
            }

            /// Listing and searching of files, file versions and folders.
            pub fn assets(&self) -> assets::Assets<$caller> {
                assets::Assets::new(self.clone())
            }

            /// Folders: create, delete, copy, move, rename, and the status of their jobs.
            pub fn folders(&self) -> folders::Folders<$caller> {
                folders::Folders::new(self.clone())
            }

            /// The CDN cache: purge a URL and follow the purge.
            pub fn cache(&self) -> cache::Cache<$caller> {
                cache::Cache::new(self.clone())
            }

            /// Custom metadata field definitions.
            pub fn custom_metadata_fields(&self) -> custom_metadata_fields::CustomMetadataFields<$caller> {
                custom_metadata_fields::CustomMetadataFields::new(self.clone())
            }

            /// Saved extensions.
            pub fn saved_extensions(&self) -> saved_extensions::SavedExtensions<$caller> {
                saved_extensions::SavedExtensions::new(self.clone())
            }

            /// The account: usage, usage analytics, origins and URL endpoints.
            pub fn accounts(&self) -> accounts::Accounts<$caller> {
                accounts::Accounts::new(self.clone())
            }

            /// Named transformations.
            pub fn named_transformations(&self) -> named_transformations::NamedTransformations<$caller> {
                named_transformations::NamedTransformations::new(self.clone())
            }

            /// Webhook verification with the configured webhook secret.
            pub fn webhooks(&self) -> webhooks::Webhooks<$caller> {
                webhooks::Webhooks::new(self.clone())
            }

            /// Signed delivery URLs and client-side upload credentials, made with the private
            /// key and no request (the SDKs' `client.helper`).
            pub fn helper(&self) -> helper::Helper<$caller> {
                helper::Helper::new(self.clone())
            }
        }
    )*};
}

root_resources!(Client, Config);
#[cfg(not(target_arch = "wasm32"))]
root_resources!(BlockingClient);
