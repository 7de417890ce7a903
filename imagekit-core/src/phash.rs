//! Perceptual-hash (pHash) distance.
//!
//! ImageKit reports a pHash for images (a hex string, e.g. in file details). The Hamming
//! distance between two of them says how alike the images look: 0 is identical, small
//! values are near-duplicates.

/// Why two pHashes could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhashError {
    /// One of the hashes is empty.
    #[error("pHash {which} is empty: pass the hex pHash ImageKit returned")]
    Empty {
        /// `first` or `second`.
        which: &'static str,
    },
    /// A hash contains something other than hex digits.
    #[error("pHash {which} is not hexadecimal (character {position}): pass the hex pHash ImageKit returned")]
    NotHex {
        /// `first` or `second`.
        which: &'static str,
        /// Byte offset of the first offending character.
        position: usize,
    },
    /// The hashes have different lengths, so they were not made the same way.
    #[error(
        "pHashes differ in length ({first} vs {second} hex digits): only hashes of equal length can be compared"
    )]
    LengthMismatch {
        /// Length of the first hash.
        first: usize,
        /// Length of the second hash.
        second: usize,
    },
}

fn check(hash: &str, which: &'static str) -> Result<(), PhashError> {
    if hash.is_empty() {
        return Err(PhashError::Empty { which });
    }
    match hash.bytes().position(|b| !b.is_ascii_hexdigit()) {
        Some(position) => Err(PhashError::NotHex { which, position }),
        None => Ok(()),
    }
}

/// The Hamming distance (number of differing bits) between two hex pHashes of equal length.
///
/// ```
/// assert_eq!(imagekit_core::phash::distance("2d5ad3936d2e015b", "2d6ed293db36a4fb"), Ok(17));
/// assert!(imagekit_core::phash::distance("2d5a", "xyz1").is_err());
/// ```
pub fn distance(a: &str, b: &str) -> Result<u32, PhashError> {
    check(a, "first")?;
    check(b, "second")?;
    if a.len() != b.len() {
        return Err(PhashError::LengthMismatch { first: a.len(), second: b.len() });
    }
    let nibble = |c: u8| char::from(c).to_digit(16).unwrap_or(0);
    Ok(a.bytes().zip(b.bytes()).map(|(x, y)| (nibble(x) ^ nibble(y)).count_ones()).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(distance("", "ab"), Err(PhashError::Empty { which: "first" }));
        assert_eq!(distance("ab", "ag"), Err(PhashError::NotHex { which: "second", position: 1 }));
        assert_eq!(distance("ab", "abc"), Err(PhashError::LengthMismatch { first: 2, second: 3 }));
        assert_eq!(distance("FF", "00"), Ok(8));
    }
}
