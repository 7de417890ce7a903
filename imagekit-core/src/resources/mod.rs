//! One module per API resource, named as in the official SDKs.

pub mod files;
pub mod versions;
