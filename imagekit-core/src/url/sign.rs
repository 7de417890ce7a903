//! HMAC helpers shared by URL signing and client-side upload authentication.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The expiry the SDKs sign with when a URL should never expire; it is left out of the URL.
pub(crate) const NO_EXPIRY: u64 = 9_999_999_999;

/// Lowercase hex of HMAC-SHA1(`key`, `message`).
pub(crate) fn hmac_sha1_hex(key: &[u8], message: &[u8]) -> String {
    // HMAC takes keys of any length, so this constructor cannot fail; the fallback only
    // exists so that no code path can panic.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(message);
    to_hex(&mac.finalize().into_bytes())
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// The string ImageKit verifies for a signed URL: the URL without the endpoint prefix,
/// followed by the expiry timestamp.
///
/// Like the official SDKs this removes the first occurrence of the endpoint (with a trailing
/// slash added if missing); an absolute URL that is not under the endpoint is signed whole.
pub(crate) fn url_string_to_sign(url: &str, url_endpoint: &str, expiry: u64) -> String {
    let mut endpoint = url_endpoint.to_owned();
    if !endpoint.ends_with('/') {
        endpoint.push('/');
    }
    let mut out = url.replacen(&endpoint, "", 1);
    out.push_str(&expiry.to_string());
    out
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
    let message = format!("{token}{expire}");
    hmac_sha1_hex(private_key.as_bytes(), message.as_bytes())
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
}
