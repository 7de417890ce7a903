//! Percent-encoding of ids and query values, so a value can never leave its place in a URL.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters is encoded, so a value can never end a path
/// segment (`/`), start a query (`?`) or fragment (`#`), or be read as an escape (`%`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The bytes [`COMPONENT`] leaves as they are: ASCII letters, digits, `-`, `.`, `_` and `~`.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Appends `value` percent-encoded as a URI component; ids are usually unreserved characters
/// only, which are copied as they are without going through the encoder.
pub(crate) fn push_encoded(out: &mut String, value: &str) {
    if value.bytes().all(|b| UNRESERVED[usize::from(b)]) {
        out.push_str(value);
    } else {
        out.extend(utf8_percent_encode(value, COMPONENT));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_encodes_as_the_encoder_does() {
        let every_char: Vec<String> = (0u8..=127).map(|b| char::from(b).to_string()).collect();
        for value in every_char.iter().map(String::as_str).chain(["é", "a-b.c_d~e", "AZaz09"]) {
            let mut fast = String::new();
            push_encoded(&mut fast, value);
            assert_eq!(fast, utf8_percent_encode(value, COMPONENT).to_string(), "value {value:?}");
        }
    }
}
