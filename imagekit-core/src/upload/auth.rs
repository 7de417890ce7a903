//! Client-side upload authentication: the v1 `{token, expire, signature}` parameters and the
//! v2 upload JWT.
//!
//! A browser or app uploads straight to ImageKit with credentials your server computes from
//! the private key, which never leaves the server:
//!
//! * v1 (`/api/v1/files/upload`): [`authentication_parameters`], the same values the official
//!   SDKs' `getAuthenticationParameters` return, sent with the public key.
//! * v2 (`/api/v2/files/upload`): [`upload_v2_token`], a JWT over every upload parameter, so
//!   the upload cannot be changed after the server approved it. The official SDKs leave this
//!   one to their users.

use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::error::Error;
use crate::runtime::Random;
use crate::upload::params::UploadFile;

/// How far ahead the default `expire` is: 30 minutes, as in the official SDKs.
pub const DEFAULT_EXPIRY: Duration = Duration::from_secs(30 * 60);
/// ImageKit refuses an `expire` (or JWT `exp`) this far ahead or more: one hour.
pub const MAX_EXPIRY: Duration = Duration::from_secs(60 * 60);

/// What a client needs to upload with v1 client-side authentication (with your public key).
///
/// Serializes as `{"token": .., "expire": .., "signature": ..}`, the shape the official SDKs
/// and ImageKit's client libraries use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthenticationParameters {
    /// A value used once: ImageKit refuses a token it has seen before.
    pub token: String,
    /// Unix time (seconds) until which the signature is valid, less than an hour ahead.
    pub expire: u64,
    /// Lowercase hex HMAC-SHA1 of `token` followed by `expire`, keyed with the private key.
    pub signature: String,
}

/// Computes v1 client-side upload authentication parameters.
///
/// * `token`: used as given; `None` or empty makes a random UUIDv4 (an error on targets without
///   a random source, such as `wasm32-unknown-unknown`: pass one there).
/// * `expire`: used as given; `None` or `0` means `now` + 30 minutes.
/// * `now`: the current Unix time, from the client's clock. An `expire` that is not in the
///   future, or an hour or more ahead of `now`, is refused (ImageKit would refuse the upload).
///   With no clock (`None`), a given `expire` is used unchecked and a default needs one.
///
/// ```
/// use imagekit_core::upload::auth::authentication_parameters;
///
/// let now = Some(1_582_269_249 - 600);
/// let params = authentication_parameters("private_key_test", Some("your_token"), Some(1582269249), now)?;
/// assert_eq!(params.signature, "e71bcd6031016b060d349d212e23e85c791decdd");
/// # Ok::<(), imagekit_core::Error>(())
/// ```
pub fn authentication_parameters(
    private_key: &str,
    token: Option<&str>,
    expire: Option<u64>,
    now: Option<u64>,
) -> Result<AuthenticationParameters, Error> {
    authentication_parameters_with(
        private_key,
        token,
        expire,
        now,
        crate::runtime::default_random().as_deref(),
    )
}

/// [`authentication_parameters`] with random tokens from `random`.
pub(crate) fn authentication_parameters_with(
    private_key: &str,
    token: Option<&str>,
    expire: Option<u64>,
    now: Option<u64>,
    random: Option<&dyn Random>,
) -> Result<AuthenticationParameters, Error> {
    let token = match token.filter(|t| !t.is_empty()) {
        Some(token) => token.to_owned(),
        None => uuid_v4(random).ok_or_else(|| {
            Error::invalid_input("token", "no random source on this target: pass a unique token")
        })?,
    };
    let expire = match expire.filter(|e| *e != 0) {
        Some(expire) => {
            if let Some(now) = now {
                check_expiry("expire", expire, now)?;
            }
            expire
        }
        None => {
            let now = now.ok_or_else(|| {
                Error::invalid_input(
                    "expire",
                    "no clock on this target: pass expire, or give the client a clock",
                )
            })?;
            now.saturating_add(DEFAULT_EXPIRY.as_secs())
        }
    };
    let signature = crate::url::sign_upload_params(private_key, &token, expire);
    Ok(AuthenticationParameters { token, expire, signature })
}

/// Refuses an expiry that is not in the future or is an hour or more ahead of `now`.
pub(crate) fn check_expiry(parameter: &'static str, expire: u64, now: u64) -> Result<(), Error> {
    if expire <= now {
        return Err(Error::invalid_input(
            parameter,
            format!("{expire} is not in the future (now is {now}); ImageKit would refuse the upload"),
        ));
    }
    if expire - now >= MAX_EXPIRY.as_secs() {
        return Err(Error::invalid_input(
            parameter,
            format!(
                "{expire} is {} s ahead of now ({now}); ImageKit accepts less than {} s",
                expire - now,
                MAX_EXPIRY.as_secs()
            ),
        ));
    }
    Ok(())
}

/// A random UUIDv4 in its lowercase hyphenated form, from the operating system's random
/// source, or `None` where there is none.
pub fn random_token() -> Option<String> {
    uuid_v4(crate::runtime::default_random().as_deref())
}

/// A UUIDv4 from `random`, or `None` without one.
pub(crate) fn uuid_v4(random: Option<&dyn Random>) -> Option<String> {
    let mut bytes = [0u8; 16];
    if !random?.fill(&mut bytes) {
        return None;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex = crate::url::sign::to_hex(&bytes);
    Some(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

/// The v2 upload JWT for `params`: HS256 keyed with the private key, header
/// `{"alg":"HS256","typ":"JWT","kid":<public key>}`, payload every upload parameter as the
/// string sent in its form field (`"useUniqueFileName":"false"`, `"tags":"a,b"`), plus `iat` and
/// `exp` (Unix seconds).
///
/// The upload must then carry exactly these parameters and the token in its `token` field, and
/// no `Authorization` header; `exp` must be less than an hour after `iat`.
///
/// ```
/// use imagekit_core::upload::{UploadFile, auth::upload_v2_token};
///
/// let params = UploadFile::new("shoe.jpg").folder("/catalog").use_unique_file_name(false);
/// let jwt = upload_v2_token("private_key", "public_key", &params, 1_700_000_000, 1_700_001_800)?;
/// assert_eq!(jwt.split('.').count(), 3);
/// # Ok::<(), imagekit_core::Error>(())
/// ```
pub fn upload_v2_token(
    private_key: &str,
    public_key: &str,
    params: &UploadFile,
    iat: u64,
    exp: u64,
) -> Result<String, Error> {
    if public_key.is_empty() {
        return Err(Error::invalid_input("publicKey", "must not be empty: it is the JWT's `kid`"));
    }
    check_expiry("exp", exp, iat)?;
    params.validate()?;
    let mut header = Map::new();
    header.insert("alg".into(), "HS256".into());
    header.insert("typ".into(), "JWT".into());
    header.insert("kid".into(), public_key.into());
    let mut payload = Map::new();
    for (name, value) in params.form_fields()? {
        payload.insert(name.to_owned(), Value::String(value));
    }
    payload.insert("iat".into(), iat.into());
    payload.insert("exp".into(), exp.into());
    Ok(sign_jwt(private_key, &Value::Object(header), &Value::Object(payload)))
}

/// `base64url(header).base64url(payload).base64url(HMAC-SHA256)`, without padding.
fn sign_jwt(private_key: &str, header: &Value, payload: &Value) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    // Serializing a `Value` cannot fail.
    let mut token = b64.encode(serde_json::to_vec(header).unwrap_or_default());
    token.push('.');
    token.push_str(&b64.encode(serde_json::to_vec(payload).unwrap_or_default()));
    // HMAC takes keys of any length; the fallback only keeps every path panic-free.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(private_key.as_bytes()) else {
        return String::new();
    };
    mac.update(token.as_bytes());
    let signature = mac.finalize().into_bytes();
    token.push('.');
    token.push_str(&b64.encode(signature));
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_are_uuid_v4() {
        let token = random_token().expect("this test runs where the OS has a random source");
        assert_eq!(token.len(), 36);
        let parts: Vec<&str> = token.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
        assert_ne!(random_token(), Some(token));
        assert_eq!(uuid_v4(None), None);
        let failing = |_: &mut [u8]| false;
        assert_eq!(uuid_v4(Some(&failing)), None);
    }

    #[test]
    fn expiry_must_be_ahead_but_under_an_hour() {
        assert!(check_expiry("expire", 101, 100).is_ok());
        assert!(check_expiry("expire", 100 + 3599, 100).is_ok());
        for bad in [0, 99, 100, 100 + 3600, u64::MAX] {
            assert!(check_expiry("expire", bad, 100).is_err(), "{bad}");
        }
    }
}
