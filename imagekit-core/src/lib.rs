//! placeholder
#![warn(missing_docs)]

pub mod phash;
pub mod url;
pub mod webhook;
