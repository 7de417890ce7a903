//! pHash
