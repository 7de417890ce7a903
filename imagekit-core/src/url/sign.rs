//! HMAC helpers shared by URL signing and client-side upload authentication.

use hmac::{Hmac, Mac};

use super::decimal;
use sha1::Sha1;

/// The expiry the SDKs sign with when a URL should never expire; it is left out of the URL.
pub(crate) const NO_EXPIRY: u64 = 9_999_999_999;

/// HMAC-SHA1(`key`, the concatenation of `parts`), without concatenating them.
fn hmac_sha1(key: &[u8], parts: &[&[u8]]) -> Option<[u8; 20]> {
    // HMAC takes keys of any length, so this constructor cannot fail; the fallback only
    // exists so that no code path can panic.
    let mut mac = Hmac::<Sha1>::new_from_slice(key).ok()?;
    for part in parts {
        mac.update(part);
    }
    Some(mac.finalize().into_bytes().into())
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(bytes, &mut out);
    out
}

/// Appends the lowercase hex of `bytes` to `out`.
pub(crate) fn push_hex(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // A stack buffer and one push_str per 32 bytes, rather than a push per digit.
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (pair, b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 0x0f)];
        }
        out.push_str(std::str::from_utf8(&buf[..chunk.len() * 2]).unwrap_or_default());
    }
}

/// The string ImageKit verifies for a signed URL: the URL without the endpoint prefix,
/// followed by the expiry timestamp.
///
/// Like the official SDKs this removes the first occurrence of the endpoint (with a trailing
/// slash added if missing); an absolute URL that is not under the endpoint is signed whole.
#[cfg(test)]
pub(crate) fn url_string_to_sign(url: &str, url_endpoint: &str, expiry: u64) -> String {
    let (before, after) = split_at_endpoint(url, url_endpoint);
    format!("{before}{after}{expiry}")
}

/// HMAC-SHA1 of the string ImageKit verifies for a signed URL (see `url_string_to_sign`),
/// fed to the MAC in pieces instead of being built; `expiry` is the timestamp's digits.
pub(crate) fn url_signature(key: &[u8], url: &str, url_endpoint: &str, expiry: &str) -> Option<[u8; 20]> {
    let (before, after) = split_at_endpoint(url, url_endpoint);
    hmac_sha1(key, &[before.as_bytes(), after.as_bytes(), expiry.as_bytes()])
}

/// `url` around the first occurrence of `url_endpoint` followed by a slash (the slash is
/// taken as the endpoint's own when it already ends with one): the text before and after.
/// `(url, "")` when there is none.
fn split_at_endpoint<'u>(url: &'u str, url_endpoint: &str) -> (&'u str, &'u str) {
    // Usually the URL starts with the endpoint: nothing to search for.
    if let Some(rest) = url.strip_prefix(url_endpoint).filter(|_| !url_endpoint.is_empty()) {
        if url_endpoint.ends_with('/') {
            return ("", rest);
        }
        if let Some(rest) = rest.strip_prefix('/') {
            return ("", rest);
        }
    }
    let found = if url_endpoint.is_empty() || url_endpoint.ends_with('/') {
        let needle = if url_endpoint.is_empty() { "/" } else { url_endpoint };
        url.find(needle).map(|at| (at, at + needle.len()))
    } else {
        // The first occurrence of `endpoint/`: occurrences may overlap, so step one character
        // past each miss rather than past the whole match.
        let step = url_endpoint.chars().next().map_or(1, char::len_utf8);
        let mut from = 0;
        let mut found = None;
        while let Some(i) = url.get(from..).and_then(|rest| rest.find(url_endpoint)) {
            let end = from + i + url_endpoint.len();
            if url.as_bytes().get(end) == Some(&b'/') {
                found = Some((from + i, end + 1));
                break;
            }
            from += i + step;
        }
        found
    };
    match found {
        Some((start, end)) => (&url[..start], &url[end..]),
        None => (url, ""),
    }
}

/// Signature (`signature` field) for ImageKit's client-side upload authentication parameters:
/// lowercase hex HMAC-SHA1 of `token` followed by the decimal `expire` timestamp.
///
/// The token must be unique per upload and `expire` a Unix time (seconds) less than an hour
/// ahead; generating them is up to the caller.
///
/// ```
/// let signature = imagekit_core::url::sign_upload_params("private_key_test", "your_token", 1582269249);
/// assert_eq!(signature, "e71bcd6031016b060d349d212e23e85c791decdd");
/// ```
pub fn sign_upload_params(private_key: &str, token: &str, expire: u64) -> String {
    let mut digits = [0u8; 20];
    let expire = decimal(expire, &mut digits);
    hmac_sha1(private_key.as_bytes(), &[token.as_bytes(), expire.as_bytes()])
        .map_or_else(String::new, |mac| to_hex(&mac))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_to_sign_strips_endpoint_with_slash() {
        assert_eq!(
            url_string_to_sign("https://ik.imagekit.io/demo/a.png", "https://ik.imagekit.io/demo", 9),
            "a.png9"
        );
        assert_eq!(
            url_string_to_sign("https://other/a.png", "https://ik.imagekit.io/demo/", 9),
            "https://other/a.png9"
        );
    }

    #[test]
    fn string_to_sign_removes_the_first_occurrence_only() {
        // As `String.prototype.replace` with a string pattern; occurrences can overlap.
        assert_eq!(url_string_to_sign("aa/x", "a", 9), "ax9");
        assert_eq!(url_string_to_sign("https://x/ep/ep/a", "ep", 9), "https://x/ep/a9");
        assert_eq!(url_string_to_sign("https://x/a", "", 9), "https:/x/a9");
        assert_eq!(url_string_to_sign("https://x/a", "https://x/", 9), "a9");
    }
}
