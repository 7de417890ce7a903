//! One module per command (or per resource, for the small ones).

pub(crate) mod emulator;
pub(crate) mod files;
pub(crate) mod ls;
pub(crate) mod purge;
pub(crate) mod upload;
pub(crate) mod url;
pub(crate) mod webhook;
