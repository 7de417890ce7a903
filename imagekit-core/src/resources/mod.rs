//! One module per API resource, named as in the official SDKs.
//!
//! | Node SDK | Rust |
//! | --- | --- |
//! | `client.assets.list` | [`Client::assets`]`().list(..)` |
//! | `client.files.{get,update,delete,copy,move,rename}` | [`Client::files`]`()...` |
//! | `client.files.bulk.{delete,addTags,removeTags,removeAITags}` | `client.files().bulk()...` |
//! | `client.files.versions.{list,get,delete,restore}` | `client.files().versions()...` |
//! | `client.files.metadata.{get,getFromURL}` | `client.files().metadata()...` |
//! | `client.folders.{create,delete,copy,move,rename}`, `client.folders.job.get` | [`Client::folders`]`()...` |
//! | `client.cache.invalidation.{create,get}` | [`Client::cache`]`().invalidation()...` |
//! | `client.customMetadataFields.{create,list,update,delete}` | [`Client::custom_metadata_fields`]`()...` |
//! | `client.savedExtensions.{list,create,get,update,delete}` | [`Client::saved_extensions`]`()...` |
//! | `client.accounts.{usage,usageAnalytics}.get` | [`Client::accounts`]`().usage().get(..)` |
//! | `client.accounts.{origins,urlEndpoints}.{list,create,get,update,delete}` | `client.accounts().origins()...` |
//! | `client.namedTransformations.{list,create,get,update,delete}` | [`Client::named_transformations`]`()...` |
//!
//! Operations with optional parameters take a typed parameter struct, as the Node SDK takes a
//! params object: required values in its `new`, optional ones as chained setters. Documented
//! bounds are checked before anything is sent, with an invalid-input error naming the field.

pub mod accounts;
pub mod assets;
pub mod bulk;
pub mod cache;
pub mod custom_metadata_fields;
pub mod files;
pub mod folders;
pub mod metadata;
pub mod named_transformations;
pub mod saved_extensions;
pub mod versions;

use crate::client::Client;
use crate::error::Error;

impl Client {
    /// Listing and searching of files, file versions and folders.
    pub fn assets(&self) -> assets::Assets<'_> {
        assets::Assets { client: self }
    }

    /// Folders: create, delete, copy, move, rename, and the status of their jobs.
    pub fn folders(&self) -> folders::Folders<'_> {
        folders::Folders { client: self }
    }

    /// The CDN cache: purge a URL and follow the purge.
    pub fn cache(&self) -> cache::Cache<'_> {
        cache::Cache { client: self }
    }

    /// Custom metadata field definitions.
    pub fn custom_metadata_fields(&self) -> custom_metadata_fields::CustomMetadataFields<'_> {
        custom_metadata_fields::CustomMetadataFields { client: self }
    }

    /// Saved extensions.
    pub fn saved_extensions(&self) -> saved_extensions::SavedExtensions<'_> {
        saved_extensions::SavedExtensions { client: self }
    }

    /// The account: usage, usage analytics, origins and URL endpoints.
    pub fn accounts(&self) -> accounts::Accounts<'_> {
        accounts::Accounts { client: self }
    }

    /// Named transformations.
    pub fn named_transformations(&self) -> named_transformations::NamedTransformations<'_> {
        named_transformations::NamedTransformations { client: self }
    }
}

/// Checks that a list has between `min` and `max` items.
pub(crate) fn check_count(field: &'static str, len: usize, min: usize, max: usize) -> Result<(), Error> {
    if len < min || len > max {
        let reason = if min == 1 && len == 0 {
            format!("must not be empty (at most {max} items)")
        } else {
            format!("must have between {min} and {max} items, got {len}")
        };
        return Err(Error::invalid_input(field, reason));
    }
    Ok(())
}

/// Checks that a required text value is not empty.
pub(crate) fn check_not_empty(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}
